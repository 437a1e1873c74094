"""Legacy Word files (.doc and WPS .wps, both OLE2 containers; RTF), read through LibreOffice.

LibreOffice converts the file to .docx (:mod:`xxgk.office`: fresh profile, time limit, bounded
sizes) and the DOCX reader reads that, so merges, nested tables and text boxes read the same.
"""

from __future__ import annotations

import dataclasses

from ..document import Document
from ..errors import UnreadableInput
from .docx import read_docx

#: sniffed kind -> (suffix LibreOffice is given, the format's name in Chinese and English)
KINDS = {
    "doc": (".doc", "旧版 Word/WPS 文件（.doc/.wps）", "legacy Word file"),
    "rtf": (".rtf", "RTF 文件", "RTF file"),
}


def read_legacy(data: bytes, kind: str, name: str | None = None) -> Document:
    """Read a ``"doc"`` or ``"rtf"`` file (see :func:`~xxgk.readers.sniff.sniff`)."""
    from .. import office

    suffix, zh, en = KINDS[kind]
    try:
        docx = office.convert(data, suffix, "docx:MS Word 2007 XML")
    except office.OfficeError as exc:
        raise UnreadableInput(f"无法读取{zh}：{exc.zh} ({en}: {exc.en})") from None
    return dataclasses.replace(read_docx(docx, name), format=kind)
