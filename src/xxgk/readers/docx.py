"""Word (.docx) files.

The main document part is read straight from the zip container with bounded reads (a zip bomb
or a part that lies about its size stops at the limit; bzip2 and LZMA parts, which zipfile
cannot inflate in bounded steps, are refused) and parsed by lxml as it is inflated, without
entity expansion or network access, counting elements so the tree stays bounded.  The body is
walked with an explicit stack, so nesting depth costs no recursion.  python-docx is not used
for reading: it loads every part whole and does not expose what this reader needs (vertical
merges as spans, text boxes, nested tables).

* ``w:gridSpan`` becomes a column span and ``w:vMerge`` a row span of the cell where it starts;
* tables whose cells hold tables are layout tables and are flattened;
* text boxes (``w:txbxContent``) are read after the paragraph that anchors them, once (the
  ``mc:Fallback`` copy of the same box is skipped);
* deleted text (``w:del``) is ignored, inserted text is kept, content controls are read.
"""

from __future__ import annotations

import itertools
import posixpath
import zipfile
import zlib

from lxml import etree

from .. import limits
from ..document import Cell, Document, Location, Paragraph, Table
from ..errors import UnreadableInput
from .layout import LAYOUT_CELL_TEXT, is_layout_table
from .ziparchive import open_zip

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
STRICT_OFFICE_DOCUMENT = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


P, TBL, TR, TC, T, TAB, BR, CR = (_w(x) for x in ("p", "tbl", "tr", "tc", "t", "tab", "br", "cr"))
TXBX = _w("txbxContent")
TABS = _w("tabs")
TCPR, GRIDSPAN, VMERGE, VAL, TRPR, GRIDBEFORE = (
    _w(x) for x in ("tcPr", "gridSpan", "vMerge", "val", "trPr", "gridBefore")
)
FALLBACK = f"{{{MC}}}Fallback"
SKIP = {_w("del"), _w("delText"), _w("instrText"), _w("rPr"), _w("pPr"), _w("tblPr"), _w("tcPr"), _w("trPr"), FALLBACK}

_PARSER_OPTIONS = dict(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True, remove_pis=True
)
#: Word writes its parts deflated (or stored); bzip2 and LZMA parts are refused because
#: :mod:`zipfile` decompresses a whole compressed block of them at once, unbounded
_COMPRESSIONS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
#: what reading a damaged or encrypted part raises
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError, RuntimeError,
               ValueError, zlib.error)  # fmt: skip
_TOO_LARGE = "Word 文件解压后过大，疑似压缩炸弹 (zip part too large)"
_CHUNK = 1 << 16


class _Zip:
    """Bounded reads from a zip container."""

    def __init__(self, data: bytes):
        self.zf = open_zip(data)
        self.names = {i.filename for i in self.zf.infolist()}
        self.total = 0

    def _chunks(self, name: str):
        """The decompressed bytes of part ``name``, chunk by chunk, within the size limits."""
        try:
            info = self.zf.getinfo(name)
        except KeyError:
            raise UnreadableInput(f"Word 文件缺少部件 {name!r} (missing part)") from None
        if info.file_size > limits.MAX_ZIP_PART_BYTES:
            raise UnreadableInput(_TOO_LARGE)
        if info.compress_type not in _COMPRESSIONS:
            raise UnreadableInput(f"Word 文件使用了不支持的压缩方式 (unsupported zip compression method {info.compress_type})")
        size = 0
        try:
            with self.zf.open(info) as fh:
                while chunk := fh.read(_CHUNK):
                    size += len(chunk)
                    self.total += len(chunk)
                    if size > limits.MAX_ZIP_PART_BYTES or self.total > limits.MAX_ZIP_TOTAL_BYTES:
                        raise UnreadableInput(_TOO_LARGE)
                    yield chunk
        except _ZIP_ERRORS as exc:
            raise UnreadableInput(f"Word 文件已损坏，无法读取 (corrupt zip part {name!r}: {exc})") from None

    def read(self, name: str) -> bytes:
        return b"".join(self._chunks(name))

    def xml(self, name: str) -> etree._Element:
        """Parse part ``name``, keeping the tree bounded.

        A part of at most :data:`_SMALL_PART` bytes (every ordinary report) is parsed in one go
        and its elements counted after; a larger one is parsed as it is decompressed, counting
        elements as they are built, so a part of millions of tiny elements stops early.
        """
        chunks = self._chunks(name)
        head = b""
        for chunk in chunks:
            head += chunk
            if len(head) > _SMALL_PART:
                return self._xml_streamed(name, head, chunks)
        try:
            root = etree.fromstring(head, etree.XMLParser(**_PARSER_OPTIONS)) if head.strip() else None
        except etree.XMLSyntaxError as exc:
            raise UnreadableInput(_xml_problem(exc, name)) from None
        if root is None:
            raise UnreadableInput(f"Word 文件内容格式错误 (empty XML part {name!r})")
        if _count_elements(root) > limits.MAX_ELEMENTS:
            raise UnreadableInput("Word 文件内容过多，超出处理上限 (too many XML elements)")
        return root

    def _xml_streamed(self, name: str, head: bytes, rest) -> etree._Element:
        parser = etree.XMLPullParser(events=("start",), **_PARSER_OPTIONS)
        elements = 0
        try:
            for chunk in itertools.chain((head,), rest):
                parser.feed(chunk)
                for _ in parser.read_events():
                    elements += 1
                if elements > limits.MAX_ELEMENTS:
                    raise UnreadableInput("Word 文件内容过多，超出处理上限 (too many XML elements)")
            root = parser.close()
        except etree.XMLSyntaxError as exc:
            raise UnreadableInput(_xml_problem(exc, name)) from None
        if root is None:
            raise UnreadableInput(f"Word 文件内容格式错误 (empty XML part {name!r})")
        return root


#: parts up to this size are parsed whole (at most a few hundred thousand elements)
_SMALL_PART = 1 << 20
_count_elements = etree.XPath("count(//*)")


def _xml_problem(exc: etree.XMLSyntaxError, name: str) -> str:
    """The user's message for an XML error (libxml2's own text names parser options)."""
    text = str(exc)
    low = text.lower()
    if "amplification" in low or ("entity" in low and ("loop" in low or "exceeded" in low)):
        return f"Word 文件含有层层展开的实体定义，疑似恶意文件 (XML entity expansion refused in {name!r})"
    if "depth" in low:
        return f"Word 文件结构嵌套过深，无法读取 (XML nesting too deep in {name!r})"
    reason = text.split(",", 1)[0].strip() or "syntax error"
    return f"Word 文件内容格式错误 (malformed XML in {name!r}: {reason})"


def is_docx(names: set[str]) -> bool:
    return "[Content_Types].xml" in names and any(n.startswith("word/") for n in names)


def _main_part(z: _Zip) -> str:
    if "_rels/.rels" in z.names:
        rels = z.xml("_rels/.rels")
        for rel in rels.iter(f"{{{REL}}}Relationship"):
            if rel.get("Type") in (OFFICE_DOCUMENT, STRICT_OFFICE_DOCUMENT):
                target = posixpath.normpath(rel.get("Target", "").lstrip("/"))
                if target in z.names:
                    return target
    if "word/document.xml" in z.names:
        return "word/document.xml"
    raise UnreadableInput("不是 Word 文档：找不到正文部件 (no main document part)")


def _title(z: _Zip) -> str | None:
    if "docProps/core.xml" not in z.names:
        return None
    try:
        core = z.xml("docProps/core.xml")
    except UnreadableInput:
        return None
    for el in core.iter("{http://purl.org/dc/elements/1.1/}title"):
        return (el.text or "").strip() or None
    return None


class _Walker:
    """Walks the body in document order with an explicit stack (no recursion, whatever the nesting)."""

    def __init__(self) -> None:
        self.blocks: list[Paragraph | Table] = []
        self.tables = 0
        self.paragraphs = 0
        self.cells = 0

    def body(self, container: etree._Element) -> None:
        # each entry iterates over elements holding body content (paragraphs, tables, wrappers)
        stack = [iter(container)]
        while stack:
            child = next(stack[-1], None)
            if child is None:
                stack.pop()
                continue
            tag = child.tag
            if tag == P:
                boxes = self.paragraph(child)
                if boxes:  # text boxes are read after the paragraph that anchors them
                    stack.append(itertools.chain.from_iterable(boxes))
            elif tag == TBL:
                flattened = self.table(child)
                if flattened:  # a layout table: its cells are read as body content
                    stack.append(itertools.chain.from_iterable(flattened))
            elif tag in SKIP or not isinstance(tag, str):
                continue
            else:  # w:sdt, w:sdtContent, w:customXml, w:ins ... hold body content
                stack.append(iter(child))
            if len(self.blocks) > limits.MAX_BLOCKS:
                raise UnreadableInput("Word 文件内容过多，超出处理上限 (too many blocks)")

    def paragraph(self, p: etree._Element) -> list[etree._Element]:
        """Add the paragraph; returns the text boxes it anchors."""
        boxes: list[etree._Element] = []
        text = _run_text(p, boxes)
        index = self.paragraphs
        self.paragraphs += 1
        text = text.strip()
        if text:
            self.blocks.append(Paragraph(text, Location(line=index + 1)))
        return boxes

    def table(self, tbl: etree._Element) -> list[etree._Element] | None:
        """Add a data table; for a layout table return its cells (to be read as body content)."""
        rows_read = _plain_table(tbl)
        if rows_read is None:  # a table holding tables, text boxes, alternate content or deletions
            rows_read = _table_by_cells(tbl)
            facts = (_layout_facts(c[0]) if c[1] is None else (False, c[2]) for _, row in rows_read for c in row)
        else:
            facts = ((False, c[2]) for _, row in rows_read for c in row)
        if sum(len(row) for _, row in rows_read) > limits.MAX_TABLE_CELLS:
            raise UnreadableInput("表格过大，超出处理上限 (table too large)")
        if is_layout_table(facts):
            return [c[0] for _, row in rows_read for c in row]
        index = self.tables
        self.tables += 1
        # cells with their grid columns; vMerge continuations extend the cell above
        origin: dict[int, list] = {}  # grid column -> [cell fields] of the open vertical merge
        rows: list[list[list]] = []
        for r, (grid, row_read) in enumerate(rows_read):
            out: list[list] = []
            for c, (tc, text, _, span, vmerge) in enumerate(row_read):
                if vmerge == "continue" and grid in origin:
                    origin[grid][2] += 1
                else:
                    fields = [text if text is not None else _cell_text(tc), Location(None, None, index, r, c), 1, span]
                    out.append(fields)
                    for g in range(grid, grid + span):
                        origin.pop(g, None)
                    if vmerge == "restart":
                        origin[grid] = fields
                grid += span
            rows.append(out)
        cells = tuple(
            tuple(Cell(t, loc, rowspan=min(rs, limits.MAX_SPAN), colspan=cs) for t, loc, rs, cs in row) for row in rows
        )
        area = sum(c.rowspan * c.colspan for row in cells for c in row)
        if area > limits.MAX_TABLE_CELLS:
            raise UnreadableInput("表格过大，超出处理上限 (table too large)")
        self.cells += area
        if self.cells > limits.MAX_CELLS:
            raise UnreadableInput("Word 文件中的表格过多，超出处理上限 (too many table cells)")
        self.blocks.append(Table(cells, index=index, loc=Location(table=index)))
        return None


#: a table's rows as read: (grid columns before the row, cells), each cell being
#: (w:tc, its text or None when it needs :func:`_cell_text`, text length, column span, vMerge)
RowsRead = list[tuple[int, list[tuple[etree._Element, "str | None", int, int, "str | None"]]]]


def _table_by_cells(tbl: etree._Element) -> RowsRead:
    """The rows of any table, cell by cell."""
    out: RowsRead = []
    for tr in _children(tbl, TR):
        row = []
        for tc in _children(tr, TC):
            plain = _plain_cell_text(tc)
            span, vmerge = _tc_props(tc)
            row.append((tc, None, 0, span, vmerge) if plain is None else (tc, plain[0], plain[1], span, vmerge))
            if len(row) > limits.MAX_TABLE_CELLS:
                raise UnreadableInput("表格过大，超出处理上限 (table too large)")
        out.append((_grid_before(tr), row))
    return out


_DEL = _w("del")
#: what :func:`_plain_table` looks at, in one pass over the table
_PLAIN_TABLE_TAGS = (TR, TC, P, T, TAB, BR, CR, GRIDBEFORE, GRIDSPAN, VMERGE, TBL, TXBX, FALLBACK, _DEL)


def _plain_table(tbl: etree._Element) -> RowsRead | None:
    """The rows of a table of plain cells (paragraphs and runs only), read in one pass of lxml's
    tag-filtered iteration; None when some cell needs the element-by-element walk (a table, a text
    box, alternate content or a deletion inside).  The same as :func:`_table_by_cells` gives."""
    out: RowsRead = []
    row: list | None = None
    tr = tc = None
    cell: list | None = None  # [tc, lines, parts, length, span, vmerge]
    parts: list[str] | None = None
    count = 0
    it = tbl.iter(*_PLAIN_TABLE_TAGS)
    next(it)  # the table itself
    for el in it:
        tag = el.tag
        if tag == T:
            if parts is not None:
                text = el.text or ""
                cell[3] += len(text)
                parts.append(text)
        elif tag == P:
            if cell is not None:
                if parts is not None:
                    cell[1].append("".join(parts).strip())
                parts = cell[2] = []
        elif tag == TC:
            if row is None:
                continue
            parts = None
            tc = el
            cell = [el, [], None, 0, 1, None]
            row.append(cell)
            count += 1
            if count > limits.MAX_TABLE_CELLS:
                raise UnreadableInput("表格过大，超出处理上限 (table too large)")
        elif tag == TR:
            parts = cell = tc = None
            tr = el
            row = []
            out.append((0, row))
        elif tag == TAB:
            if parts is not None and el.getparent().tag != TABS:  # not a tab stop of w:pPr
                parts.append(" ")
        elif tag == BR or tag == CR:
            if parts is not None:
                parts.append("\n")
        elif tag == GRIDSPAN or tag == VMERGE:
            pr = el.getparent()  # the cell's own w:tcPr (its first child), not a w:tcPrChange
            if cell is not None and pr.tag == TCPR and pr.getparent() is tc and tc[0] is pr:
                if tag == GRIDSPAN:
                    try:
                        n = int(el.get(VAL, "1"))
                        cell[4] = n if 1 <= n <= limits.MAX_SPAN else 1
                    except ValueError:
                        cell[4] = 1
                else:
                    cell[5] = "restart" if el.get(VAL) == "restart" else "continue"
        elif tag == GRIDBEFORE:
            pr = el.getparent()
            if tr is not None and pr.tag == TRPR and pr.getparent() is tr:
                out[-1] = (_grid_before(tr), row)
        else:  # a nested table, text box, alternate content or deletion
            return None
    return [
        (grid, [(c[0], "\n".join(x for x in c[1] + (["".join(c[2]).strip()] if c[2] is not None else []) if x), c[3], c[4], c[5]) for c in cells])
        for grid, cells in out
    ]


def _layout_facts(tc: etree._Element) -> tuple[bool, int]:
    """(holds a table, text length) as :func:`is_layout_table` wants them, looking no further than needed."""
    if any(True for _ in tc.iter(TBL)):
        return True, 0
    return False, _text_length(tc)


def _text_length(tc: etree._Element) -> int:
    """Length of the text in a cell, counted only as far as telling a layout cell needs."""
    n = 0
    for t in tc.iter(T):
        n += len(t.text or "")
        if n > LAYOUT_CELL_TEXT:
            break
    return n


def _children(el: etree._Element, tag: str):
    """Direct children with ``tag``, looking through content controls and custom XML wrappers."""
    stack = [iter(el)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
        elif child.tag == tag:
            yield child
        elif isinstance(child.tag, str) and child.tag not in SKIP and child.tag not in (P, TBL, TR, TC):
            stack.append(iter(child))


def _grid_before(tr: etree._Element) -> int:
    pr = tr.find(TRPR)
    if pr is not None:
        gb = pr.find(GRIDBEFORE)
        if gb is not None:
            try:
                return max(0, min(int(gb.get(VAL, "0")), limits.MAX_SPAN))
            except ValueError:
                return 0
    return 0


def _tc_props(tc: etree._Element) -> tuple[int, str | None]:
    span, vmerge = 1, None
    # the schema puts w:tcPr first: look no further than the first child
    pr = tc[0] if len(tc) else None
    if pr is not None and pr.tag == TCPR:
        for prop in pr:
            tag = prop.tag
            if tag == GRIDSPAN:
                try:
                    n = int(prop.get(VAL, "1"))
                    span = n if 1 <= n <= limits.MAX_SPAN else 1
                except ValueError:
                    span = 1
            elif tag == VMERGE:
                vmerge = "restart" if prop.get(VAL) == "restart" else "continue"
    return span, vmerge


def _run_text(p: etree._Element, boxes: list[etree._Element]) -> str:
    parts: list[str] = []
    stack = [iter(p)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            continue
        tag = child.tag
        if not isinstance(tag, str) or tag in SKIP:
            continue
        if tag == T:
            parts.append(child.text or "")
        elif tag == TAB:
            parts.append(" ")
        elif tag in (BR, CR):
            parts.append("\n")
        elif tag == TXBX:
            boxes.append(child)
        elif tag in (P, TBL):
            continue
        else:
            stack.append(iter(child))
    return "".join(parts)


#: content that needs the element-by-element walk of :func:`_cell_text`
_NOT_PLAIN = (TXBX, TBL, FALLBACK, _w("del"))


def _plain_cell_text(tc: etree._Element) -> tuple[str, int] | None:
    """:func:`_cell_text` (and the length of its w:t texts) for a cell of plain paragraphs and
    runs, read with lxml's tag-filtered iteration; None for a cell holding a table, a text box,
    alternate content or a deletion."""
    lines: list[str] = []
    parts: list[str] | None = None
    length = 0
    for el in tc.iter(P, T, TAB, BR, CR, *_NOT_PLAIN):
        tag = el.tag
        if tag == T:
            text = el.text or ""
            length += len(text)
            if parts is not None:
                parts.append(text)
        elif tag == P:
            if parts is not None:
                lines.append("".join(parts).strip())
            parts = []
        elif tag == TAB:
            if parts is not None and el.getparent().tag != TABS:  # not a tab stop of w:pPr
                parts.append(" ")
        elif tag in (BR, CR):
            if parts is not None:
                parts.append("\n")
        else:
            return None
    if parts is not None:
        lines.append("".join(parts).strip())
    return "\n".join(x for x in lines if x), length


def _cell_text(tc: etree._Element) -> str:
    lines: list[str] = []
    stack = [iter(tc)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            continue
        if child.tag == P:
            boxes: list[etree._Element] = []
            lines.append(_run_text(child, boxes).strip())
            if boxes:
                stack.append(itertools.chain.from_iterable(boxes))
        elif isinstance(child.tag, str) and child.tag not in SKIP:
            stack.append(iter(child))
    return "\n".join(x for x in lines if x)


def read_docx(data: bytes, name: str | None = None) -> Document:
    z = _Zip(data)
    if not is_docx(z.names):
        raise UnreadableInput("压缩包不是 Word 文档 (zip archive is not a .docx)")
    main = _main_part(z)
    root = z.xml(main)
    body = root.find(_w("body"))
    if body is None:
        raise UnreadableInput("Word 文档没有正文 (no document body)")
    walker = _Walker()
    walker.body(body)
    blocks = walker.blocks
    if not walker.tables:  # the report may be pasted in as pictures: read them by OCR
        from .ocr.embedded import docx_pictures, images_to_blocks

        pictures = docx_pictures(z, body, main)
        if pictures:
            blocks = blocks + images_to_blocks(pictures)
    return Document(tuple(blocks), name=name, format="docx", title=_title(z))
