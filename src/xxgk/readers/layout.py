"""Telling layout tables from data tables (shared by the HTML and DOCX readers).

Pages and Word files often put a whole article inside a table used only for layout.  Such a
table is flattened: its cells are read as ordinary content, so the report tables inside it are
found as tables and the headings as paragraphs.
"""

from __future__ import annotations

from collections.abc import Iterable

#: a data-table cell never holds this much text; a layout cell holding an article does
LAYOUT_CELL_TEXT = 400


def is_layout_table(cells: Iterable[tuple[bool, int]]) -> bool:
    """``cells`` yields (holds a nested table, length of its text) for each cell of one table."""
    return any(nested or length > LAYOUT_CELL_TEXT for nested, length in cells)
