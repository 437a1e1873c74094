"""The library entry points."""

from __future__ import annotations

import dataclasses
import hashlib

from .document import Document
from .extract import extract
from .readers import Source, load_bytes, read_document, sniff
from .report import Report, SourceInfo


def parse(source: Source, name: str | None = None) -> Report:
    """Read one report from a path or bytes (text, HTML, DOCX, .doc/.wps/.rtf through LibreOffice,
    or an xxgk Excel sheet, recognised from the content)."""
    data, path_name = load_bytes(source)
    kind = sniff(data)
    if kind == "xlsx":
        from .render.xlsx_sheet import read_fill_in

        report = read_fill_in(data, name=name or path_name)
        info = SourceInfo(name=name or path_name, format="xlsx", sha256=hashlib.sha256(data).hexdigest(), size=len(data))
        return dataclasses.replace(report, source=info)
    doc = read_document(data, name=name or path_name, kind=kind)
    info = SourceInfo(name=doc.name, format=doc.format, sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    return extract(doc, info)


def parse_document(doc: Document) -> Report:
    """Extract a report from a document model built by a reader (or by hand)."""
    return extract(doc)
