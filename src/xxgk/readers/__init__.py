"""Readers turn a file into a :class:`~xxgk.document.Document`.

The reader is chosen by sniffing the content, not the file name: a ``.html`` saved as ``.txt``
or a Word file without extension read the same.  Readers know nothing about report templates.

The readers of PDF, scans and legacy Office files (with NumPy, Pillow and pypdfium2 behind them)
are imported when a file needs them, so that reading a text, HTML or Word report, and starting
the command line, does not pay for them.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from .. import limits
from ..document import Document
from ..errors import UnreadableInput
from .docx import read_docx
from .encoding import declared_charset, decode
from .html import read_html
from .sniff import looks_like_html, sniff
from .text import read_text

Source = str | os.PathLike | bytes


def load_bytes(source: Source) -> tuple[bytes, str | None]:
    """Read a path (bounded by :data:`limits.MAX_INPUT_BYTES`) or take bytes as they are."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        name = None
    else:
        path = Path(source)
        name = path.name
        try:
            if path.is_dir():
                raise UnreadableInput("这是一个文件夹，不是文件 (is a directory)")
            size = path.stat().st_size
            if size > limits.MAX_INPUT_BYTES:
                raise UnreadableInput(
                    f"文件过大（{size // (1024 * 1024)} MB，上限 {limits.MAX_INPUT_BYTES // (1024 * 1024)} MB）(file too large)"
                )
            with path.open("rb") as fh:
                data = fh.read(limits.MAX_INPUT_BYTES + 1)
        except FileNotFoundError:
            raise UnreadableInput("文件不存在 (no such file)") from None
        except PermissionError:
            raise UnreadableInput("没有读取权限 (permission denied)") from None
        except IsADirectoryError:
            raise UnreadableInput("这是一个文件夹，不是文件 (is a directory)") from None
        except OSError as exc:
            raise UnreadableInput(f"无法读取 ({exc.strerror or exc})") from None
    if len(data) > limits.MAX_INPUT_BYTES:
        raise UnreadableInput(f"文件过大，上限 {limits.MAX_INPUT_BYTES // (1024 * 1024)} MB (file too large)")
    return data, name


def read_document(source: Source, name: str | None = None, kind: str | None = None) -> Document:
    """Read any supported document; ``kind`` is what :func:`sniff` said of it, when known."""
    data, path_name = load_bytes(source)
    name = name or path_name
    kind = kind or sniff(data)
    if kind == "docx":
        return read_docx(data, name)
    if kind in ("doc", "rtf"):
        from .legacy import read_legacy

        return read_legacy(data, kind, name)
    if kind == "pdf":
        from .pdf import read_pdf

        return read_pdf(data, name)
    if kind == "image":
        from .ocr import read_image

        return read_image(data, name)
    if kind == "xlsx":  # an xxgk workbook holds data, not a document: xxgk.parse reads it
        raise UnreadableInput("这是 xxgk 填报表，请用 xxgk.parse 读取 (xxgk workbook: use xxgk.parse)")
    text, encoding = decode(data, declared_charset(data))
    if looks_like_html(text):
        doc = read_html(text, name, utf8=data if encoding == "utf-8" else None)
        if not doc.tables:  # the report may be inline pictures: read them by OCR
            from .ocr.embedded import html_pictures, images_to_blocks

            pictures = html_pictures(data)
            if pictures:
                doc = replace(doc, blocks=doc.blocks + tuple(images_to_blocks(pictures)))
        return doc
    return read_text(text, name)


_LAZY = {"read_legacy": ".legacy", "read_pdf": ".pdf", "read_image": ".ocr"}


def __getattr__(name: str):
    """The readers imported on first use (see the module's note)."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "read_document", "read_text", "read_html", "read_docx", "read_legacy", "read_pdf", "read_image", "load_bytes", "sniff",
]  # fmt: skip
