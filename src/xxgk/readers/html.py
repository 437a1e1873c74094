"""HTML as government CMSs publish it.

The page is walked in document order: block elements become paragraphs, data tables become
:class:`~xxgk.document.Table` with their row and column spans, and layout tables (tables whose
cells hold further tables) are flattened so the report inside them reads as if it stood alone.
Navigation and footers simply become paragraphs and tables the extractor does not recognise.

Word-pasted markup is harmless here: comments (and so conditional comments) are dropped,
``<o:p>`` and other unknown tags are inline, ``&nbsp;`` is whitespace, ``<br>`` and ``<p>``
inside a cell become line breaks in its text, and runs split over several spans join up.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from .. import limits
from ..document import Cell, Document, Location, Paragraph, Table
from ..errors import UnreadableInput
from .layout import is_layout_table

_SKIP = {
    "script", "style", "noscript", "head", "template", "iframe", "object", "embed", "svg",
    "select", "option", "button", "input", "textarea", "map", "canvas", "audio", "video",
}  # fmt: skip
_BLOCK = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
    "section", "article", "header", "footer", "aside", "nav", "main", "center", "blockquote",
    "pre", "form", "fieldset", "address", "hr", "figure", "figcaption", "caption", "body", "html",
    "tr", "td", "th", "tbody", "thead", "tfoot",
}  # fmt: skip
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_WS = re.compile(r"[ \t\r\n\f\v\u00a0\u3000\u200b\ufeff]+")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_META_NAMES = {"articletitle", "pubdate", "contentsource", "sitename", "columnname", "author", "description"}


def _span(value: str | None) -> int:
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        return 1
    return n if 1 <= n <= limits.MAX_SPAN else 1


class _Walker:
    def __init__(self) -> None:
        self.blocks: list[Paragraph | Table] = []
        self.buf: list[str] = []
        self.buf_line: int | None = None
        self.buf_style: str | None = None
        self.tables = 0

    # paragraphs -----------------------------------------------------------------------------
    def flush(self) -> None:
        if self.buf:
            text = _WS.sub(" ", "".join(self.buf)).strip()
            if text:
                self.blocks.append(Paragraph(text, Location(line=self.buf_line), self.buf_style))
                if len(self.blocks) > limits.MAX_BLOCKS:
                    raise UnreadableInput("网页内容过多，超出处理上限 (too many blocks)")
        self.buf = []
        self.buf_line = None
        self.buf_style = None

    def add_text(self, text: str | None, line: int | None) -> None:
        if text:
            if self.buf_line is None and text.strip():
                self.buf_line = line
            self.buf.append(text)

    # tree walk ------------------------------------------------------------------------------
    def walk(self, el: etree._Element) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        tag = tag.rsplit("}", 1)[-1].lower() if tag else ""
        if not tag:  # comment or processing instruction: keep only the tail
            self.add_text(el.tail, getattr(el, "sourceline", None))
            return
        if tag in _SKIP or _HIDDEN.search(el.get("style") or ""):
            self.add_text(el.tail, el.sourceline)
            return
        if tag == "table":
            self.flush()
            if is_layout_table(
                (_has_nested_table(td), len(td.text_content())) for tr in _rows_of(el) for td in _cells_of(tr)
            ):
                for row in _rows_of(el):
                    for cell in _cells_of(row):
                        self.walk_children(cell)
                        self.flush()
            else:
                self.table(el)
            self.add_text(el.tail, el.sourceline)
            return
        if tag == "br":
            self.flush()
            self.add_text(el.tail, el.sourceline)
            return
        block = tag in _BLOCK
        if block:
            self.flush()
            if tag in _HEADINGS:
                self.buf_style = "heading"
        self.add_text(el.text, el.sourceline)
        for child in el:
            self.walk(child)
        if block:
            self.flush()
        self.add_text(el.tail, el.sourceline)

    def walk_children(self, el: etree._Element) -> None:
        self.add_text(el.text, el.sourceline)
        for child in el:
            self.walk(child)

    def table(self, el: etree._Element) -> None:
        index = self.tables
        self.tables += 1
        rows: list[tuple[Cell, ...]] = []
        count = 0
        for r, tr in enumerate(_rows_of(el)):
            cells = []
            for c, td in enumerate(_cells_of(tr)):
                count += 1
                if count > limits.MAX_TABLE_CELLS:
                    raise UnreadableInput("表格过大，超出处理上限 (table too large)")
                cells.append(
                    Cell(
                        _cell_text(td),
                        Location(line=td.sourceline, table=index, row=r, col=c),
                        rowspan=_span(td.get("rowspan")),
                        colspan=_span(td.get("colspan")),
                    )
                )
            rows.append(tuple(cells))
        self.blocks.append(Table(tuple(rows), index=index, loc=Location(line=el.sourceline, table=index)))


def _local(el: etree._Element) -> str:
    return el.tag.rsplit("}", 1)[-1].lower() if isinstance(el.tag, str) else ""


def _rows_of(table: etree._Element) -> list[etree._Element]:
    out = []
    for child in table:
        name = _local(child)
        if name == "tr":
            out.append(child)
        elif name in ("thead", "tbody", "tfoot"):
            out.extend(c for c in child if _local(c) == "tr")
    return out


def _cells_of(tr: etree._Element) -> list[etree._Element]:
    return [c for c in tr if _local(c) in ("td", "th")]


def _has_nested_table(cell: etree._Element) -> bool:
    return any(True for _ in cell.iter("table"))


_CELL_BREAKS = {"br", "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr"}


def _cell_text(td: etree._Element) -> str:
    """Text of a cell: runs joined as they are, line breaks where the cell had <br> or <p>."""
    parts: list[str] = []

    def visit(el: etree._Element) -> None:
        name = _local(el)
        if name in _SKIP or (name and _HIDDEN.search(el.get("style") or "")):
            pass
        elif name:
            if name in _CELL_BREAKS:
                parts.append("\n")
            if el.text:
                parts.append(el.text)
            for child in el:
                visit(child)
            if name in _CELL_BREAKS:
                parts.append("\n")
        if el.tail:
            parts.append(el.tail)

    if td.text:
        parts.append(td.text)
    for child in td:
        visit(child)
    lines = [_WS.sub(" ", x).strip() for x in "".join(parts).split("\n")]
    return "\n".join(x for x in lines if x)


def read_html(text: str, name: str | None = None) -> Document:
    text = _XML_DECL.sub("", text, count=1)
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, huge_tree=False)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise UnreadableInput(f"网页无法解析 (HTML could not be parsed: {exc})") from None
    title = None
    meta: list[tuple[str, str]] = []
    for t in root.iter("title"):
        title = _WS.sub(" ", t.text_content()).strip() or None
        break
    for m in root.iter("meta"):
        key = (m.get("name") or m.get("property") or "").strip()
        if key.lower() in _META_NAMES and m.get("content"):
            meta.append((key, m.get("content").strip()))
    walker = _Walker()
    body = root.find("body")
    walker.walk(body if body is not None else root)
    walker.flush()
    return Document(tuple(walker.blocks), name=name, format="html", title=title, meta=tuple(meta))
