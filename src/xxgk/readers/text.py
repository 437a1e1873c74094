"""Plain text as converters and crawlers produce it.

Two table styles occur (both read into :class:`~xxgk.document.Table`):

* one cell per line, each line indented by a tab, blank lines between rows; a cell whose text
  was broken one character per line ("自\\n然\\n人") continues on lines without a tab;
* one row per line, cells separated by tabs, with ragged leading and trailing tabs.

Lines without tabs are paragraphs.  Word debris such as ``[bookmark: _GoBack]`` is removed.
"""

from __future__ import annotations

import re

from ..document import Cell, Document, Location, Paragraph, Table

_DEBRIS = re.compile(r"\[bookmark:[^\]]*\]")
_CONTINUATION_MAX = 4  # a line without a tab continues the previous cell if it is this short


def _clean(line: str) -> str:
    return _DEBRIS.sub("", line).rstrip("\r\n\x0b\x0c")


def read_text(text: str, name: str | None = None) -> Document:
    lines = [_clean(x) for x in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    blocks: list[Paragraph | Table] = []
    i = 0
    n = len(lines)
    while i < n:
        line = lines[i]
        if "\t" in line:
            j = _region_end(lines, i)
            table = _table(lines, i, j, len([b for b in blocks if isinstance(b, Table)]))
            if table.rows:
                blocks.append(table)
            i = j
            continue
        stripped = line.strip().replace("\u3000", " ").strip()
        if stripped:
            blocks.append(Paragraph(stripped, Location(line=i + 1)))
        i += 1
    return Document(tuple(blocks), name=name, format="text")


def _is_continuation(lines: list[str], k: int) -> bool:
    s = lines[k].strip()
    return bool(s) and "\t" not in lines[k] and len(s) <= _CONTINUATION_MAX and k > 0 and lines[k - 1].strip() != ""


def _region_end(lines: list[str], start: int) -> int:
    """Index just past the table region that starts at ``start``."""
    k = start
    last_table_line = start
    while k < len(lines):
        line = lines[k]
        if "\t" in line:
            last_table_line = k
        elif line.strip() == "":
            pass
        elif _is_continuation(lines, k):
            last_table_line = k
        else:
            break
        k += 1
    return last_table_line + 1


def _table(lines: list[str], start: int, end: int, index: int) -> Table:
    tabbed = [lines[k] for k in range(start, end) if "\t" in lines[k]]
    single = sum(1 for x in tabbed if "\t" not in x.lstrip("\t"))
    if single >= 0.8 * len(tabbed):
        rows = _cell_per_line(lines, start, end, index)
    else:
        rows = _row_per_line(lines, start, end, index)
    return Table(tuple(tuple(r) for r in rows if r), index=index, loc=Location(line=start + 1))


def _cell_per_line(lines: list[str], start: int, end: int, index: int) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    row: list[Cell] = []
    for k in range(start, end):
        line = lines[k]
        if "\t" in line:
            text = line.lstrip("\t").strip()
            row.append(Cell(text, Location(line=k + 1, table=index, row=len(rows), col=len(row))))
        elif line.strip() == "":
            if row:
                rows.append(row)
                row = []
        elif row:  # continuation of the previous cell's text
            prev = row[-1]
            row[-1] = Cell(prev.text + "\n" + line.strip(), prev.loc)
    if row:
        rows.append(row)
    return rows


def _row_per_line(lines: list[str], start: int, end: int, index: int) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    for k in range(start, end):
        line = lines[k]
        if "\t" in line:
            parts = line.split("\t")
            r = len(rows)
            rows.append([Cell(p.strip(), Location(line=k + 1, table=index, row=r, col=c)) for c, p in enumerate(parts)])
        elif line.strip() and rows:
            prev = rows[-1][-1]
            rows[-1][-1] = Cell(prev.text + "\n" + line.strip(), prev.loc)
    return rows
