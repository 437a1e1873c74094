"""Word files converted to PDF with LibreOffice, for the PDF reader's tests and benchmark.

Each call runs ``soffice --headless --convert-to pdf`` with a user profile of its own (so that
parallel test workers do not share one) on a batch of files: one LibreOffice start for many
files, where :func:`xxgk.office.convert` (used by the renderer and the legacy Word reader)
starts it for each file under a time limit.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from ..office import soffice

#: seconds one conversion batch may take
TIMEOUT = 180


def convert_to_pdf(files: list[bytes], suffix: str = ".docx") -> list[bytes]:
    """The PDFs LibreOffice makes of ``files`` (Word files, or HTML pages with ``suffix=".html"``)."""
    exe = soffice()
    if exe is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory(prefix="xxgk-soffice-") as tmp:
        work = Path(tmp)
        names = []
        for k, data in enumerate(files):
            path = work / f"in{k:04d}{suffix}"
            path.write_bytes(data)
            names.append(path)
        out = work / "out"
        profile = (work / "profile").as_uri()
        subprocess.run(
            [exe, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "pdf",
             "--outdir", str(out), *map(str, names)],
            check=True, capture_output=True, timeout=TIMEOUT, env={**os.environ, "HOME": tmp},
        )  # fmt: skip
        return [(out / (p.stem + ".pdf")).read_bytes() for p in names]


def docx_variant(
    data: bytes, rng, *, borders: bool = True, shift: int = 0, repeat_header: bool = False, table_pt: float | None = None
) -> bytes:
    """A Word file from :func:`~xxgk.render.docx.render_docx` laid out differently before PDF
    conversion: ``borders=False`` removes the tables' rules (a table without lines), ``shift``
    empty lines before 表三 move the page break to another of its rows, ``repeat_header`` marks
    表三's header rows to repeat on each page, ``table_pt`` sets the tables' font size."""
    import io

    from docx import Document as OpenDocument
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    doc = OpenDocument(io.BytesIO(data))
    tables = doc.tables
    if not borders:
        for table in tables:
            pr = table._tbl.tblPr
            for el in pr.findall(qn("w:tblStyle")):
                pr.remove(el)
    if table_pt is not None:
        for table in tables:
            for sz in table._tbl.iter(qn("w:sz")):
                sz.set(qn("w:val"), str(round(table_pt * 2)))
    t3 = tables[1]._tbl
    if shift:
        for _ in range(shift):
            t3.addprevious(OxmlElement("w:p"))
    if repeat_header:
        for tr in t3.findall(qn("w:tr"))[:3]:
            trpr = tr.get_or_add_trPr()
            trpr.append(OxmlElement("w:tblHeader"))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
