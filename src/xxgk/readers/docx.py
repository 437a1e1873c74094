"""Word (.docx) files.

The main document part is read straight from the zip container with bounded reads (a zip bomb
or a part that lies about its size stops at the limit) and parsed by lxml without entity
expansion or network access.  python-docx is not used for reading: it loads every part whole
and does not expose what this reader needs (vertical merges as spans, text boxes, nested
tables).

* ``w:gridSpan`` becomes a column span and ``w:vMerge`` a row span of the cell where it starts;
* tables whose cells hold tables are layout tables and are flattened;
* text boxes (``w:txbxContent``) are read after the paragraph that anchors them, once (the
  ``mc:Fallback`` copy of the same box is skipped);
* deleted text (``w:del``) is ignored, inserted text is kept, content controls are read.
"""

from __future__ import annotations

import io
import posixpath
import zipfile

from lxml import etree

from .. import limits
from ..document import Cell, Document, Location, Paragraph, Table
from ..errors import UnreadableInput
from .layout import is_layout_table

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
STRICT_OFFICE_DOCUMENT = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


P, TBL, TR, TC, T, TAB, BR, CR = (_w(x) for x in ("p", "tbl", "tr", "tc", "t", "tab", "br", "cr"))
TXBX = _w("txbxContent")
FALLBACK = f"{{{MC}}}Fallback"
SKIP = {_w("del"), _w("delText"), _w("instrText"), _w("rPr"), _w("pPr"), _w("tblPr"), _w("tcPr"), _w("trPr"), FALLBACK}

_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True, remove_pis=True
)


class _Zip:
    """Bounded reads from a zip container."""

    def __init__(self, data: bytes):
        try:
            self.zf = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zf.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
            raise UnreadableInput(f"Word 文件已损坏，无法打开 (corrupt zip: {exc})") from None
        if len(infos) > limits.MAX_ZIP_ENTRIES:
            raise UnreadableInput("Word 文件包含的部件过多，疑似恶意文件 (too many zip entries)")
        self.names = {i.filename for i in infos}
        self.total = 0

    def read(self, name: str) -> bytes:
        try:
            info = self.zf.getinfo(name)
        except KeyError:
            raise UnreadableInput(f"Word 文件缺少部件 {name} (missing part)") from None
        if info.file_size > limits.MAX_ZIP_PART_BYTES:
            raise UnreadableInput("Word 文件解压后过大，疑似压缩炸弹 (zip part too large)")
        out = bytearray()
        try:
            with self.zf.open(info) as fh:
                while chunk := fh.read(1 << 16):
                    out += chunk
                    self.total += len(chunk)
                    if len(out) > limits.MAX_ZIP_PART_BYTES or self.total > limits.MAX_ZIP_TOTAL_BYTES:
                        raise UnreadableInput("Word 文件解压后过大，疑似压缩炸弹 (zip part too large)")
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
            raise UnreadableInput(f"Word 文件已损坏，无法读取 (corrupt zip part {name}: {exc})") from None
        return bytes(out)

    def xml(self, name: str) -> etree._Element:
        try:
            return etree.fromstring(self.read(name), parser=_PARSER)
        except etree.XMLSyntaxError as exc:
            raise UnreadableInput(f"Word 文件内容格式错误 (malformed XML in {name}: {exc})") from None


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
    def __init__(self) -> None:
        self.blocks: list[Paragraph | Table] = []
        self.tables = 0
        self.paragraphs = 0

    def body(self, container: etree._Element) -> None:
        for child in container:
            tag = child.tag
            if tag == P:
                self.paragraph(child)
            elif tag == TBL:
                self.table(child)
            elif tag in SKIP or not isinstance(tag, str):
                continue
            else:  # w:sdt, w:sdtContent, w:customXml, w:ins ... hold body content
                self.body(child)
            if len(self.blocks) > limits.MAX_BLOCKS:
                raise UnreadableInput("Word 文件内容过多，超出处理上限 (too many blocks)")

    def paragraph(self, p: etree._Element) -> None:
        boxes: list[etree._Element] = []
        text = _run_text(p, boxes)
        index = self.paragraphs
        self.paragraphs += 1
        text = text.strip()
        if text:
            self.blocks.append(Paragraph(text, Location(line=index + 1)))
        for box in boxes:
            self.body(box)

    def table(self, tbl: etree._Element) -> None:
        trs = [tr for tr in _children(tbl, TR)]
        tcs = [[tc for tc in _children(tr, TC)] for tr in trs]
        if is_layout_table(
            (any(True for _ in tc.iter(TBL)), sum(len(t.text or "") for t in tc.iter(T))) for row in tcs for tc in row
        ):
            for row in tcs:
                for tc in row:
                    self.body(tc)
            return
        index = self.tables
        self.tables += 1
        # first pass: cells with their grid columns; vMerge continuations extend the cell above
        origin: dict[int, list] = {}  # grid column -> [cell fields] of the open vertical merge
        rows: list[list[list]] = []
        count = 0
        for r, (tr, row_tcs) in enumerate(zip(trs, tcs)):
            grid = _grid_before(tr)
            out: list[list] = []
            for c, tc in enumerate(row_tcs):
                count += 1
                if count > limits.MAX_TABLE_CELLS:
                    raise UnreadableInput("表格过大，超出处理上限 (table too large)")
                span, vmerge = _tc_props(tc)
                if vmerge == "continue" and grid in origin:
                    origin[grid][2] += 1
                else:
                    fields = [_cell_text(tc), Location(line=None, table=index, row=r, col=c), 1, span]
                    out.append(fields)
                    for g in range(grid, grid + span):
                        origin.pop(g, None)
                    if vmerge == "restart":
                        origin[grid] = fields
                grid += span
            rows.append(out)
        cells = tuple(tuple(Cell(t, loc, rowspan=min(rs, limits.MAX_SPAN), colspan=cs) for t, loc, rs, cs in row) for row in rows)
        self.blocks.append(Table(cells, index=index, loc=Location(table=index)))


def _children(el: etree._Element, tag: str):
    """Direct children with ``tag``, looking through content controls and custom XML wrappers."""
    for child in el:
        if child.tag == tag:
            yield child
        elif isinstance(child.tag, str) and child.tag not in SKIP and child.tag not in (P, TBL, TR, TC):
            yield from _children(child, tag)


def _grid_before(tr: etree._Element) -> int:
    pr = tr.find(_w("trPr"))
    if pr is not None:
        gb = pr.find(_w("gridBefore"))
        if gb is not None:
            try:
                return max(0, min(int(gb.get(_w("val"), "0")), limits.MAX_SPAN))
            except ValueError:
                return 0
    return 0


def _tc_props(tc: etree._Element) -> tuple[int, str | None]:
    span, vmerge = 1, None
    pr = tc.find(_w("tcPr"))
    if pr is not None:
        gs = pr.find(_w("gridSpan"))
        if gs is not None:
            try:
                n = int(gs.get(_w("val"), "1"))
                span = n if 1 <= n <= limits.MAX_SPAN else 1
            except ValueError:
                span = 1
        vm = pr.find(_w("vMerge"))
        if vm is not None:
            vmerge = "restart" if vm.get(_w("val")) == "restart" else "continue"
    return span, vmerge


def _run_text(p: etree._Element, boxes: list[etree._Element]) -> str:
    parts: list[str] = []

    def visit(el: etree._Element) -> None:
        for child in el:
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
                visit(child)

    visit(p)
    return "".join(parts)


def _cell_text(tc: etree._Element) -> str:
    lines: list[str] = []

    def walk(el: etree._Element) -> None:
        for child in el:
            if child.tag == P:
                boxes: list[etree._Element] = []
                lines.append(_run_text(child, boxes).strip())
                for box in boxes:
                    walk(box)
            elif isinstance(child.tag, str) and child.tag not in SKIP:
                walk(child)

    walk(tc)
    return "\n".join(x for x in lines if x)


def read_docx(data: bytes, name: str | None = None) -> Document:
    z = _Zip(data)
    if not is_docx(z.names):
        raise UnreadableInput("压缩包不是 Word 文档 (zip archive is not a .docx)")
    root = z.xml(_main_part(z))
    body = root.find(_w("body"))
    if body is None:
        raise UnreadableInput("Word 文档没有正文 (no document body)")
    walker = _Walker()
    walker.body(body)
    return Document(tuple(walker.blocks), name=name, format="docx", title=_title(z))
