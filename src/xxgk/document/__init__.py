from .model import Block, Cell, Document, Location, Paragraph, Table

__all__ = ["Block", "Cell", "Document", "Location", "Paragraph", "Table"]
