"""Recognise a file's format from its first bytes."""

from __future__ import annotations

import re

from ..errors import UnreadableInput
from .ziparchive import open_zip

_HTML_MARKERS = re.compile(
    r"<\s*(!doctype\s+html|html|head|body|meta|table|div|p|span|title|br|center|font|article|section)[\s>/]",
    re.I,
)


#: the workbook part of an xxgk Excel sheet is a few kB; more is not one of ours
_WORKBOOK_PART_BYTES = 1 << 20


def _is_xxgk_workbook(zf) -> bool:
    """Whether an Excel container lists the hidden ``_meta`` sheet xxgk writes (bounded read)."""
    try:
        info = zf.getinfo("xl/workbook.xml")
    except KeyError:
        return False
    if info.file_size > _WORKBOOK_PART_BYTES or info.compress_type not in (0, 8):
        return False
    try:
        with zf.open(info) as fh:
            part = fh.read(_WORKBOOK_PART_BYTES + 1)
    except Exception:  # damaged part: not ours
        return False
    return len(part) <= _WORKBOOK_PART_BYTES and re.search(rb'<(?:\w+:)?sheet\b[^>]*\bname="_meta"', part) is not None


def sniff(data: bytes) -> str:
    """Return "docx", "pdf", "xlsx" (an xxgk fill-in or data workbook), "doc" (an OLE2 container:
    Word .doc or WPS .wps), "rtf", "image" (PNG, JPEG, GIF, BMP, TIFF: a scan, read by OCR) or
    "text" (text or HTML: see :func:`looks_like_html`).

    Raises :class:`UnreadableInput` with the reason for anything else.
    """
    if not data or not data.strip():
        raise UnreadableInput("文件为空 (empty file)")
    head = data[:8]
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        zf = open_zip(data)
        names = set(zf.namelist())
        if any(n.startswith("word/") for n in names):
            return "docx"
        if any(n.startswith("xl/") for n in names):
            if _is_xxgk_workbook(zf):
                return "xlsx"
            raise UnreadableInput("这是 Excel 表格，不是报告文件 (spreadsheet, not a report)")
        raise UnreadableInput("这是压缩包，请解压后逐个读取 (zip archive, not a report)")
    if head.startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"II*\x00", b"MM\x00*")):
        return "image"
    sample = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if b"\x00" in sample and not (sample.startswith((b"\xff\xfe", b"\xfe\xff"))):
        # UTF-16 without BOM is rare; NUL bytes otherwise mean binary data
        raise UnreadableInput("无法识别的文件内容：不是文本、网页或 Word 文档 (unrecognised binary data)")
    return "text"


def looks_like_html(text: str) -> bool:
    return _HTML_MARKERS.search(text[:4096]) is not None
