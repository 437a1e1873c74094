from .model import CellStatus, CellValue, Deviation, Number, ParseWarning, Report, Section, SourceInfo

__all__ = ["CellStatus", "CellValue", "Deviation", "Number", "ParseWarning", "Report", "Section", "SourceInfo"]
