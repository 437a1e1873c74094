"""The report as Markdown: ``#`` headings, prose paragraphs and one pipe table per template table.

Merged cells are flattened: the stub column repeats the row's group labels in front of its own
label ("（三）不予公开 1.属于国家秘密"), a grouped column header names its groups
(the column labels stand alone: 商业企业), and each band of 表二 gets its own band-title and header rows.
A cell with no number is written "—" (null, not zero).  ``xxgk.parse`` reads the pipe tables back (see :mod:`xxgk.readers.text`).
"""

from __future__ import annotations

from ..report.model import Report
from ..templates.model import TableSpec
from .common import cell_text, parts

#: a cell with no number: an empty pipe cell is easily lost (leading padding, editors trimming),
#: so Markdown writes the dash published reports use for "not reported"
NULL = "—"


def _value(report: Report, key: str) -> str:
    return cell_text(report, key) or NULL




def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").strip()


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _stub(groups: tuple[str, ...], label: str) -> str:
    """The row label with its inner groups repeated in front; the outermost group
    (三、本年度办理结果) is the band the numbering already shows, so it is not repeated."""
    return " ".join((*groups[1:], label)).strip()


def _grouped(report: Report, table: TableSpec) -> list[str]:
    block = table.blocks[0]
    stub = any(r.label for r in block.rows)  # 表四 has no row labels and so no stub column
    width = int(stub) + len(block.columns)
    depth = max(len(c.groups) for c in block.columns) + 1
    # the header levels as rows, a spanning label written once over its first column
    heads: list[list[str]] = [[] for _ in range(depth)]
    if stub:
        for level in range(depth):
            heads[level].append(table.corner or block.stub_label or "" if level == 0 else "")
    for j, c in enumerate(block.columns):
        names = (*c.groups, c.label)
        for level in range(depth):
            if level < len(names) - 1:
                first = j == 0 or block.columns[j - 1].groups[: level + 1] != c.groups[: level + 1]
                heads[level].append(names[level] if first else "")
            elif level == len(names) - 1:
                heads[level].append(c.label)
            else:
                heads[level].append("")
    lines = [_row(heads[0]), "|" + "|".join([" --- "] * width) + "|", *(_row(h) for h in heads[1:])]
    for r in block.rows:
        values = [_value(report, table.cell_key(r, c)) for c in block.columns]
        lines.append(_row([_stub(r.groups, r.label), *values] if stub else values))
    return lines


def _banded(report: Report, table: TableSpec) -> list[str]:
    width = 1 + max(len(b.columns) for b in table.blocks)
    lines: list[str] = []
    for block in table.blocks:
        pad = [""] * (width - 1 - len(block.columns))
        band = [block.label or "", *([""] * (width - 1))]
        header = [block.stub_label or "", *(c.label for c in block.columns), *pad]
        if not lines:
            lines += [_row(band), "|" + "|".join([" --- "] * width) + "|"]
        else:
            lines.append(_row(band))
        lines.append(_row(header))
        for r in block.rows:
            lines.append(_row([r.label, *(_value(report, table.cell_key(r, c)) for c in block.columns), *pad]))
    return lines


def render_markdown(report: Report) -> bytes:
    out: list[str] = []
    for part in parts(report):
        if part.kind == "title":
            out += [f"# {part.text}", ""]
        elif part.kind == "heading":
            out += [f"## {part.text}", ""]
        elif part.kind == "para":
            out += [part.text, ""]
        elif part.kind == "table":
            table = part.table
            banded = len(table.blocks) > 1 or any(b.label for b in table.blocks)
            out += [f"**{table.title}**", ""]
            out += _banded(report, table) if banded else _grouped(report, table)
            out.append("")
        elif part.kind in ("signature", "date"):
            out += [part.text, ""]
    return ("\n".join(out).rstrip("\n") + "\n").encode("utf-8")
