"""Plain text as converters and crawlers produce it.

Two table styles occur (both read into :class:`~xxgk.document.Table`):

* one cell per line, each line indented by a tab, blank lines between rows; a cell whose text
  was broken one character per line ("自\\n然\\n人") continues on lines without a tab;
* one row per line, cells separated by tabs, with ragged leading and trailing tabs;
* Markdown pipe tables: ``| a | b |`` rows, ``|---|:---:|`` separator lines skipped, ``\\|``
  an escaped bar inside a cell, ``<br>`` a line break inside a cell.

Other lines are paragraphs (a Markdown heading's leading ``#`` marks are dropped).  Word debris
such as ``[bookmark: _GoBack]`` is removed.
"""

from __future__ import annotations

import re
from typing import Final

from .. import limits
from ..document import Cell, Document, Location, Paragraph, Table, new_tuple
from ..errors import UnreadableInput

_DEBRIS: Final = re.compile(r"\[bookmark:[^\]\n]*\]")  # within one line
_PIPE_ROW: Final = re.compile(r"^\s*\|.*\|\s*$")
_PIPE_SEPARATOR: Final = re.compile(r"^\s*\|(\s*:?-{3,}:?\s*\|)+\s*$")
_PIPE_SPLIT: Final = re.compile(r"(?<!\\)\|")
_MD_HEADING: Final = re.compile(r"^#{1,6}\s+")
_BR: Final = re.compile(r"<br\s*/?>", re.I)
_CONTINUATION_MAX: Final = 4  # a line without a tab continues the previous cell if it is this short


def _lines(text: str) -> list[str]:
    """The text's lines, debris removed, without line-end characters (\\v and \\f included)."""
    text = _DEBRIS.sub("", text)
    lines = text.split("\n")
    if "\x0b" in text or "\x0c" in text:
        lines = [x.rstrip("\x0b\x0c") for x in lines]
    return lines


def read_text(text: str, name: str | None = None) -> Document:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.count("\n") >= limits.MAX_LINES:
        raise UnreadableInput(f"文本行数过多（上限 {limits.MAX_LINES} 行），超出处理上限 (too many lines)")
    lines = _lines(text)
    del text
    blocks: list[Paragraph | Table] = []
    tables = 0
    cells = 0
    i = 0
    n = len(lines)
    while i < n:
        line = lines[i]
        pipe = _PIPE_ROW.match(line) is not None and _pipe_region_end(lines, i) - i >= 2
        if "\t" in line or pipe:
            j = _pipe_region_end(lines, i) if pipe else _region_end(lines, i)
            table = _pipe_table(lines, i, j, tables) if pipe else _table(lines, i, j, tables)
            if table.rows:
                size = sum(len(r) for r in table.rows)
                if size > limits.MAX_TABLE_CELLS:
                    raise UnreadableInput("表格过大，超出处理上限 (table too large)")
                cells += size
                if cells > limits.MAX_CELLS:
                    raise UnreadableInput("文本中的表格过多，超出处理上限 (too many table cells)")
                blocks.append(table)
                tables += 1
            i = j
        else:
            stripped = _MD_HEADING.sub("", line.strip().replace("\u3000", " ").strip())
            if stripped:
                blocks.append(Paragraph(stripped, Location(line=i + 1)))
            i += 1
        if len(blocks) > limits.MAX_BLOCKS:
            raise UnreadableInput("文本内容过多，超出处理上限 (too many blocks)")
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


def _too_large() -> UnreadableInput:
    return UnreadableInput("表格过大，超出处理上限 (table too large)")


def _cell_per_line(lines: list[str], start: int, end: int, index: int) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    row: list[Cell] = []
    more: dict[int, list[str]] = {}  # continuation lines of the row's cells, joined once
    count = 0

    def close() -> None:
        for c, extra in more.items():
            cell = row[c]
            row[c] = Cell("\n".join([cell.text, *extra]), cell.loc)
        more.clear()
        rows.append(row)

    for k in range(start, end):
        line = lines[k]
        if "\t" in line:
            count += 1
            if count > limits.MAX_TABLE_CELLS:
                raise _too_large()
            text = line.lstrip("\t").strip()
            row.append(new_tuple(Cell, (text, new_tuple(Location, (k + 1, None, index, len(rows), len(row))), 1, 1, None)))
        elif line.strip() == "":
            if row:
                close()
                row = []
        elif row:  # continuation of the previous cell's text
            more.setdefault(len(row) - 1, []).append(line.strip())
    if row:
        close()
    return rows


def _row_per_line(lines: list[str], start: int, end: int, index: int) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    more: list[str] = []  # continuation lines of the last cell so far, joined once

    def close() -> None:
        if more and rows:
            cell = rows[-1][-1]
            rows[-1][-1] = Cell("\n".join([cell.text, *more]), cell.loc)
        more.clear()

    count = 0
    for k in range(start, end):
        line = lines[k]
        if "\t" in line:
            count += line.count("\t") + 1
            if count > limits.MAX_TABLE_CELLS:
                raise _too_large()
            close()
            parts = line.split("\t")
            r = len(rows)
            rows.append([new_tuple(Cell, (p.strip(), new_tuple(Location, (k + 1, None, index, r, c)), 1, 1, None)) for c, p in enumerate(parts)])
        elif line.strip() and rows:
            more.append(line.strip())
    close()
    return rows


def _pipe_region_end(lines: list[str], start: int) -> int:
    """Index just past the consecutive pipe-table lines that start at ``start``."""
    k = start
    while k < len(lines) and _PIPE_ROW.match(lines[k]) and k - start <= limits.MAX_TABLE_CELLS:
        k += 1
    return k


def _pipe_table(lines: list[str], start: int, end: int, index: int) -> Table:
    rows: list[tuple[Cell, ...]] = []
    count = 0
    for k in range(start, end):
        line = lines[k]
        if _PIPE_SEPARATOR.match(line):
            continue
        inner = line.strip()[1:-1]
        parts = _PIPE_SPLIT.split(inner)
        count += len(parts)
        if count > limits.MAX_TABLE_CELLS:
            raise _too_large()
        r = len(rows)
        rows.append(
            tuple(
                Cell(_BR.sub("\n", p.strip().replace("\\|", "|")), Location(line=k + 1, table=index, row=r, col=c))
                for c, p in enumerate(parts)
            )
        )
    return Table(tuple(rows), index=index, loc=Location(line=start + 1))
