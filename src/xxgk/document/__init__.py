from .model import Block, Cell, Document, Location, Paragraph, Table, new_tuple

__all__ = ["Block", "Cell", "Document", "Location", "Paragraph", "Table", "new_tuple"]
