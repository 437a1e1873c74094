"""HTML as government CMSs publish it.

The page is walked in document order: block elements become paragraphs, data tables become
:class:`~xxgk.document.Table` with their row and column spans, and layout tables (tables whose
cells hold further tables) are flattened so the report inside them reads as if it stood alone.
Navigation and footers simply become paragraphs and tables the extractor does not recognise.

Word-pasted markup is harmless here: comments (and so conditional comments) are dropped,
``<o:p>`` and other unknown tags are inline, ``&nbsp;`` is whitespace, ``<br>`` and ``<p>``
inside a cell become line breaks in its text, and runs split over several spans join up.

Hostile pages stay bounded: the parser counts elements as it builds the tree (stopping at
:data:`~xxgk.limits.MAX_ELEMENTS`), DTD entities are never expanded, and the walk uses an
explicit stack, so nesting depth costs no recursion.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

from lxml import etree

from .. import compiled, limits
from ..document import Cell, Document, Location, Paragraph, Table, new_tuple
from ..errors import UnreadableInput
from .layout import LAYOUT_CELL_TEXT

_SKIP: Final = {
    "script", "style", "noscript", "head", "template", "iframe", "object", "embed", "svg",
    "select", "option", "button", "input", "textarea", "map", "canvas", "audio", "video",
}  # fmt: skip
_BLOCK: Final = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
    "section", "article", "header", "footer", "aside", "nav", "main", "center", "blockquote",
    "pre", "form", "fieldset", "address", "hr", "figure", "figcaption", "caption", "body", "html",
    "tr", "td", "th", "tbody", "thead", "tfoot",
}  # fmt: skip
_HEADINGS: Final = {"h1", "h2", "h3", "h4", "h5", "h6"}
_HIDDEN: Final = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_WS: Final = re.compile(r"[ \t\r\n\f\v\u00a0\u3000\u200b\ufeff]+")
_XML_DECL: Final = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
# characters XML text may not hold (lxml refuses them when the tree is edited), and the
# noncharacters U+FDD0..U+FDEF that mark rows and cells in _table_texts: read as spaces.  Matched
# in the page's UTF-8, where a byte below 0x20 is always a character of its own and 0xEF always
# starts one, so a match is always whole characters.
_NOT_XML: Final = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xb7[\x90-\xaf]|\xef\xbf[\xbe\xbf]")
# the control bytes of _NOT_XML made 0 and every other byte 1: a byte table scans far faster
# than a character class
_CONTROL_TABLE: Final = bytes(0 if b < 0x20 and b not in b"\t\n\r" else 1 for b in range(256))


def _page_flags(data: bytes) -> tuple[bool, bool]:
    """Two quick looks at the page before it is parsed: whether it may hold what :data:`_NOT_XML`
    matches, and whether its ASCII-lowered bytes say ``display`` or ``visibility`` (see
    :func:`_may_hide`).  The accelerator (:mod:`xxgk.readers.page_scan`) answers both exactly in
    one pass, :func:`_scan_page` in several."""
    return _SCANNER.scan(data) if _SCANNER is not None else _scan_page(data)


def _scan_page(data: bytes) -> tuple[bool, bool]:
    """:func:`_page_flags` in Python, each answer a scan of its own; the first is a superset."""
    noncharacters = (b"\xef\xb7", b"\xef\xbf\xbe", b"\xef\xbf\xbf")  # U+FDC0..FDFF (a superset), U+FFFE, U+FFFF
    unsafe = 0 in data.translate(_CONTROL_TABLE) or any(seq in data for seq in noncharacters)
    # (a non-ASCII character never lowers into one of these words)
    ascii_lowered = data.lower()
    return unsafe, b"display" in ascii_lowered or b"visibility" in ascii_lowered


_CHUNK: Final = 1 << 16
_META_NAMES: Final = {"articletitle", "pubdate", "contentsource", "sitename", "columnname", "author", "description"}


def _span(value: str | None) -> int:
    if value is None:
        return 1
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        return 1
    return n if 1 <= n <= limits.MAX_SPAN else 1


class _Walker:
    """Walks the page in document order with an explicit stack (no recursion, whatever the nesting)."""

    def __init__(self, native=None) -> None:
        #: the accelerator reading data tables (:mod:`xxgk.readers.html_tables`), or None
        self.native = native
        self.blocks: list[Paragraph | Table] = []
        self.buf: list[str] = []
        self.buf_line: int | None = None
        self.buf_style: str | None = None
        self.tables = 0
        self.cells = 0

    # paragraphs -----------------------------------------------------------------------------
    def flush(self) -> None:
        if self.buf:
            text = _WS.sub(" ", "".join(self.buf)).strip()
            if text:
                self.add_block(Paragraph(text, Location(line=self.buf_line), self.buf_style))
        self.buf = []
        self.buf_line = None
        self.buf_style = None

    def add_block(self, block: Paragraph | Table) -> None:
        self.blocks.append(block)
        if len(self.blocks) > limits.MAX_BLOCKS:
            raise UnreadableInput("网页内容过多，超出处理上限 (too many blocks)")

    def add_text(self, text: str | None, line: int | None) -> None:
        if text:
            if self.buf_line is None and text.strip():
                self.buf_line = line
            self.buf.append(text)

    # tree walk ------------------------------------------------------------------------------
    def walk(self, root: etree._Element) -> None:
        """Visit ``root`` and everything in it.

        :meth:`visit` returns a generator for an element whose content is to be walked: it
        yields the children to visit in turn and does the element's closing work when resumed
        after the last one.  The stack holds these generators, one per open element.
        """
        stack = []
        first = self.visit(root)
        if first is not None:
            stack.append(first)
        while stack:
            child = next(stack[-1], None)
            if child is None:
                stack.pop()
                continue
            frame = self.visit(child)
            if frame is not None:
                stack.append(frame)

    def visit(self, el: etree._Element):
        tag = _local(el)
        if not tag:  # comment or processing instruction: keep only the tail
            self.add_text(el.tail, getattr(el, "sourceline", None))
            return None
        if tag == "table":
            self.flush()
            if self.native is not None:
                return self.native_table(el)
            trs = _rows_of(el)
            rows = [_cells_of(tr) for tr in trs]
            if sum(map(len, rows)) > limits.MAX_TABLE_CELLS:
                raise UnreadableInput("表格过大，超出处理上限 (table too large)")
            if next(el.iterdescendants("table"), None) is not None:
                return self.layout_table(el, rows)
            texts = _table_texts(el, trs, rows)
            if texts is None:
                return self.layout_table(el, rows)
            self.table(el, rows, texts)
            self.add_text(el.tail, el.sourceline)
            return None
        if tag == "br":
            self.flush()
            self.add_text(el.tail, el.sourceline)
            return None
        return self.element(el, tag)

    def element(self, el: etree._Element, tag: str):
        block = tag in _BLOCK
        if block:
            self.flush()
            if tag in _HEADINGS:
                self.buf_style = "heading"
        self.add_text(el.text, el.sourceline)
        yield from el
        if block:
            self.flush()
        self.add_text(el.tail, el.sourceline)

    def layout_table(self, el: etree._Element, rows: list[list[etree._Element]]):
        """A table used for layout: each cell's content is read as if it stood alone."""
        for row in rows:
            for cell in row:
                self.add_text(cell.text, cell.sourceline)
                yield from cell
                self.flush()
        self.add_text(el.tail, el.sourceline)

    def table(self, el: etree._Element, tds: list[list[etree._Element]], texts: list[list[str]]) -> None:
        """A data table; ``texts`` are its cells' texts (:func:`_table_texts`)."""
        index = self.tables
        self.tables += 1
        rows: list[tuple[Cell, ...]] = []
        area = 0
        make, location, cell = new_tuple, Location, Cell  # (looked up once, not once per cell)
        for r, (tr, trow) in enumerate(zip(tds, texts)):
            cells = []
            for c, (td, text) in enumerate(zip(tr, trow)):
                rowspan = colspan = 1
                # all attributes in one call: far cheaper than looking each name up
                for name, value in td.items():
                    if name == "rowspan":
                        rowspan = _span(value)
                    elif name == "colspan":
                        colspan = _span(value)
                area += rowspan * colspan
                loc = make(location, (td.sourceline, None, index, r, c))
                cells.append(make(cell, (text, loc, rowspan, colspan, None)))
            rows.append(tuple(cells))
        self.add_table(el, index, rows, area)

    def native_table(self, el: etree._Element):
        """A table read by the accelerator: as :meth:`visit` reads it, only faster."""
        count, rows, area = self.native.read_table(el, self.tables, limits.MAX_TABLE_CELLS, LAYOUT_CELL_TEXT, _span)
        if count > limits.MAX_TABLE_CELLS:
            raise UnreadableInput("表格过大，超出处理上限 (table too large)")
        if rows is None:
            return self.layout_table(el, [_cells_of(tr) for tr in _rows_of(el)])
        index = self.tables
        self.tables += 1
        self.add_table(el, index, rows, area)
        self.add_text(el.tail, el.sourceline)
        return None

    def add_table(self, el: etree._Element, index: int, rows, area: int) -> None:
        """Data table ``el`` read as ``rows`` of cells spanning ``area`` grid cells."""
        # the cell count is bounded already (MAX_TABLE_CELLS): the area is only arithmetic till here
        if area > limits.MAX_TABLE_CELLS:
            raise UnreadableInput("表格过大，超出处理上限 (table too large)")
        self.cells += area
        if self.cells > limits.MAX_CELLS:
            raise UnreadableInput("网页中的表格过多，超出处理上限 (too many table cells)")
        self.add_block(Table(tuple(rows), index=index, loc=Location(line=el.sourceline, table=index)))


def _local(el: etree._Element) -> str:
    tag = el.tag
    return _local_name(tag) if isinstance(tag, str) else ""


def _local_name_uncached(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


_local_name: Final = lru_cache(maxsize=1024)(_local_name_uncached)


# The HTML parser gives lower-case tag names without namespaces, so lxml can filter by tag in C.
def _rows_of(table: etree._Element) -> list[etree._Element]:
    out = []
    for child in table.iterchildren("tr", "thead", "tbody", "tfoot"):
        if child.tag == "tr":
            out.append(child)
        else:
            out.extend(child.iterchildren("tr"))
    return out


def _cells_of(tr: etree._Element) -> list[etree._Element]:
    return list(tr.iterchildren("td", "th"))


#: elements whose start and end are line breaks in a cell's text
_CELL_BREAKS: Final = ("br", "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6")
_styled: Final = etree.XPath("//*[@style]")


def _prepare(root: etree._Element, data: bytes, words: bool) -> None:
    """Make the tree say only what a reader sees, once for the whole page.

    Hidden elements (``display:none``, ``visibility:hidden``) and elements that hold no reading
    text (scripts, styles, forms, ...) are removed, their tails kept.  ``words`` says whether the
    page (``data``) says ``display`` or ``visibility`` at all (:func:`_page_flags`).
    """
    drop = list(root.iter(*_SKIP))
    if words and _may_hide(data):
        drop.extend(el for el in _styled(root) if _HIDDEN.search(el.get("style")))
    for el in drop:
        _remove_keeping_tail(el)


def _mark_breaks(root: etree._Element) -> None:
    """Each line-breaking element gets a line break at its start and its end, so a table cell's
    text is simply the join of its text nodes.  Paragraph text is unchanged by the marks: the
    walker folds whitespace there.  (Not needed when the accelerator reads the tables.)"""
    for el in root.iter(*_CELL_BREAKS):
        el.text = "\n" + el.text if el.text else "\n"
        el.tail = "\n" + el.tail if el.tail else "\n"


def _may_hide(data: bytes) -> bool:
    """Whether the page's source (UTF-8) says ``display:none`` or ``visibility:hidden`` anywhere
    (asked only of a page whose lowered bytes say one of the words: :func:`_page_flags`)."""
    lowered = data.decode("utf-8", errors="replace").lower()
    for word in ("display", "visibility"):
        at = lowered.find(word)
        while at >= 0:
            if _HIDDEN.match(lowered, at):
                return True
            at = lowered.find(word, at + 1)
    return False


def _remove_keeping_tail(el: etree._Element) -> None:
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


# Unicode noncharacters, never in a page's text (read_html turns them into spaces, see _NOT_XML)
_ROW_MARK: Final = "\ufdd0"
_CELL_MARK: Final = "\ufdd1"
# A cell's text is its text nodes joined, with each run of whitespace within a line made one
# space (zero-width spaces and BOMs count as whitespace), lines trimmed, empty lines dropped and
# the ends trimmed.  The patterns start with a character class or a literal, which the regex
# engine scans for quickly, and never backtrack.
_SPACES: Final = re.compile("[\t\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]+")
_BREAKS: Final = re.compile(r"\n\s+")


def _fold(text: str) -> str:
    """Whitespace folded as the steps above say, all but the trimming of the ends."""
    return _BREAKS.sub("\n", _SPACES.sub(" ", text).replace(" \n", "\n"))


def _lines(text: str) -> str:
    """A cell's raw text (its text nodes joined) as the cell's text: see the steps above."""
    return _fold(text).strip()


def _cell_text(td: etree._Element) -> str:
    """A cell's raw text: its text nodes joined (line breaks already marked by :func:`_prepare`)."""
    return "".join(td.itertext()) if len(td) else td.text or ""


def _table_texts(table: etree._Element, trs: list[etree._Element], rows: list[list[etree._Element]]) -> list[list[str]] | None:
    """The texts of a table's cells (``rows``, in rows ``trs``), or None for a layout table.

    A table is a layout table when a cell's raw text is longer than a data cell's ever is
    (:data:`~xxgk.readers.layout.LAYOUT_CELL_TEXT`).  The whole table is serialised as text in
    one go: each row is marked to start where its first cell does (in the row's ``text``) and
    each cell to end where it does (in its ``tail``), places no reading uses, and the marked
    text is made cell text (:func:`_lines`) and split.  A row holding anything but cells is
    read cell by cell instead, as its other children would spill into the serialised text.
    """
    if any(len(tr) != len(tds) for tr, tds in zip(trs, rows)):
        raws = [[_cell_text(td) for td in tds] for tds in rows]
        rows = [[_lines(raw) for raw in row] for row in raws]
        if any(len(cell) > LAYOUT_CELL_TEXT for row in rows for cell in row):
            return None
        return rows
    for tr, tds in zip(trs, rows):
        tr.text = _ROW_MARK
        for td in tds:
            td.tail = _CELL_MARK
    raw = etree.tostring(table, method="text", encoding=str, with_tail=False)
    text = _fold(raw)  # (marks are not whitespace: folding the table folds each cell alike)
    rows = [list(map(str.strip, piece.split(_CELL_MARK)[:-1])) for piece in text.split(_ROW_MARK)[1:]]
    if len(text) > LAYOUT_CELL_TEXT and any(len(cell) > LAYOUT_CELL_TEXT for row in rows for cell in row):
        return None
    return rows


#: pages up to this size are parsed whole and their elements counted after
_SMALL_PAGE: Final = 1 << 20
_count_elements: Final = etree.XPath("count(//*)")


def _parse(data: bytes) -> etree._Element:
    """Parse the page, keeping the tree bounded.

    A page of at most :data:`_SMALL_PAGE` bytes (every ordinary report) is parsed in one go and
    its elements counted after; a larger one is parsed chunk by chunk, counting elements as
    they are built, so a page of millions of tiny elements stops early.
    """
    options = dict(remove_comments=True, remove_pis=True, no_network=True, huge_tree=False)
    if len(data) <= _SMALL_PAGE:
        try:
            root = etree.fromstring(data, etree.HTMLParser(encoding="utf-8", **options))
        except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
            reason = str(exc).split("\n", 1)[0]
            raise UnreadableInput(f"网页无法解析 (HTML could not be parsed: {reason})") from None
        if root is None:
            raise UnreadableInput("网页无法解析 (HTML could not be parsed: document is empty)")
        if _count_elements(root) > limits.MAX_ELEMENTS:
            raise UnreadableInput("网页元素过多，超出处理上限 (too many HTML elements)")
        return root
    parser = etree.HTMLPullParser(events=("start",), encoding="utf-8", **options)
    elements = 0
    try:
        for pos in range(0, len(data), _CHUNK):
            parser.feed(data[pos : pos + _CHUNK])
            for _ in parser.read_events():
                elements += 1
            if elements > limits.MAX_ELEMENTS:
                raise UnreadableInput("网页元素过多，超出处理上限 (too many HTML elements)")
        root = parser.close()
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        reason = str(exc).split("\n", 1)[0]
        raise UnreadableInput(f"网页无法解析 (HTML could not be parsed: {reason})") from None
    if root is None:
        raise UnreadableInput("网页无法解析 (HTML could not be parsed: document is empty)")
    return root


#: reads data tables straight from libxml2 when built (see :mod:`xxgk.compiled`), else None
_NATIVE: Final = compiled.native("xxgk.readers.html_tables")
#: scans the page's bytes in one pass when built, else None (:func:`_page_flags`)
_SCANNER: Final = compiled.native("xxgk.readers.page_scan")
#: pages of this many line breaks or more are read in Python: libxml2 keeps a line from 65535 on
#: in the text nodes, which :func:`_mark_breaks` replaces, and the lines lxml gives then differ
_NATIVE_LINES: Final = 65_000


def read_html(text: str, name: str | None = None, *, utf8: bytes | None = None) -> Document:
    """The page ``text`` as a document.  ``utf8``, when given, must be exactly ``text`` encoded in
    UTF-8 (as the page's own bytes are when it was decoded from strict UTF-8): it spares encoding
    the text again."""
    return _read(text, name, _NATIVE, utf8)


def _read(text: str, name: str | None, native, utf8: bytes | None = None) -> Document:
    """:func:`read_html`, with data tables read by ``native`` (the accelerator) or in Python (None)."""
    if utf8 is None or _XML_DECL.match(text):
        utf8 = _XML_DECL.sub("", text, count=1).encode("utf-8", errors="replace")
    unsafe, words = _page_flags(utf8)
    data = _NOT_XML.sub(b" ", utf8) if unsafe else utf8
    root = _parse(data)
    title = None
    meta: list[tuple[str, str]] = []
    for t in root.iter("title"):
        title = _WS.sub(" ", "".join(t.itertext())).strip() or None
        break
    for m in root.iter("meta"):
        key = (m.get("name") or m.get("property") or "").strip()
        if key.lower() in _META_NAMES and m.get("content"):
            meta.append((key, m.get("content").strip()))
    _prepare(root, data, words)
    # (a line takes a byte at least: a smaller page is never counted)
    if native is not None and len(data) >= _NATIVE_LINES and data.count(b"\n") + data.count(b"\r") >= _NATIVE_LINES:
        native = None
    if native is None:
        _mark_breaks(root)
    walker = _Walker(native)
    body = root.find("body")
    walker.walk(body if body is not None else root)
    walker.flush()
    return Document(tuple(walker.blocks), name=name, format="html", title=title, meta=tuple(meta))
