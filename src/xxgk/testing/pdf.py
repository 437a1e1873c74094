"""Word files converted to PDF with LibreOffice, for the PDF reader's tests and benchmark.

Each call runs ``soffice --headless --convert-to pdf`` with a user profile of its own (so that
parallel test workers do not share one) on a batch of files.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

#: seconds one conversion batch may take
TIMEOUT = 180


def soffice() -> str | None:
    """The LibreOffice executable, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


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
