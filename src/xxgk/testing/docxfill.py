"""Many Word files quickly: a layout rendered once by python-docx, then filled with report after report.

:func:`~xxgk.testing.layouts.to_docx` takes about a third of a second per report, nearly all of it
in python-docx (merging cells walks the table's XML).  A :class:`DocxLayout` makes those choices
once — nested layout table or not, title in a text box, damaged labels, values with units, values
split over two runs — with a marker in place of every value, the title and the paragraphs.
:meth:`DocxLayout.fill` then writes a report's own text into a copy of ``word/document.xml`` (a few
milliseconds).  The result is the file ``to_docx`` would write with those choices: the same
parts, every value formatted by :func:`~xxgk.testing.layouts.format_value` with its own random
blanks and units, and it reads back as the report.
"""

from __future__ import annotations

import html
import io
import random
import re
import zipfile

from ..report.model import Report
from ..templates.model import TemplateSpec
from .layouts import _doc_parts, format_value, render_docx
from .values import random_report

_DOCUMENT = "word/document.xml"
_MARK = re.compile("\ue000(\\d+)\ue001")


def _mark(n: int) -> str:
    return f"\ue000{n}\ue001"  # private-use characters: found in no report text


class DocxLayout:
    """One Word layout of a template, ready to be filled with any report of that template whose
    parts (:func:`~xxgk.testing.layouts._doc_parts`: title, headings, tables, paragraphs) are the
    ones :func:`~xxgk.testing.values.random_report` makes."""

    def __init__(self, spec: TemplateSpec, rng: random.Random):
        shape = random_report(random.Random(rng.random()), spec)
        self.spec = spec
        self.kinds = [kind for kind, _ in _doc_parts(shape)]
        self.slots: list[tuple[str, object]] = []  # what each marker stands for
        self.units = False
        self.split = False

        def slot(what: str, ref: object) -> str:
            self.slots.append((what, ref))
            return _mark(len(self.slots) - 1)

        parts = [
            (kind, text if kind in ("heading", "table") else slot("part", i))
            for i, (kind, text) in enumerate(_doc_parts(shape))
        ]

        def value_runs(key: str, units: bool, split: bool) -> list[str]:
            self.units, self.split = units, split
            return [slot("value", (key, 0)), slot("value", (key, 1))] if split else [slot("value", (key, None))]

        data = render_docx(spec, parts, rng, value_runs)
        # the other parts (styles alone are 800 kB) compressed once; each fill appends its document
        base = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(base, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                if info.filename == _DOCUMENT:
                    self.document = src.read(info).decode("utf-8")
                    self.date_time = info.date_time
                else:
                    dst.writestr(info, src.read(info))
        self.base = base.getvalue()

    def fill(self, report: Report, rng: random.Random) -> bytes:
        """The Word file of ``report`` in this layout; the values' blanks, units and run splits
        are drawn from ``rng``."""
        parts = _doc_parts(report)
        if report.template != self.spec.key or [kind for kind, _ in parts] != self.kinds:
            raise ValueError("report does not have this layout's parts")
        values: dict[str, list[str]] = {}
        texts = []
        for what, ref in self.slots:
            if what == "part":
                texts.append(parts[ref][1])
                continue
            key, piece = ref
            if piece is None:
                texts.append(format_value(report, key, rng, units=self.units))
                continue
            if piece == 0:
                text = format_value(report, key, rng, units=self.units)
                cut = rng.randint(1, len(text) - 1) if len(text) >= 2 else len(text)
                values[key] = [text[:cut], text[cut:]]
            texts.append(values[key][piece])
        document = _MARK.sub(lambda m: html.escape(texts[int(m.group(1))], quote=False), self.document)
        out = io.BytesIO(self.base)
        with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(zipfile.ZipInfo(_DOCUMENT, self.date_time), document.encode("utf-8"), zipfile.ZIP_DEFLATED)
        return out.getvalue()
