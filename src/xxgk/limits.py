"""Bounds that keep time and memory finite on hostile input."""

from __future__ import annotations

import math
import os


def _env(name: str, default: float) -> float:
    """A limit overridden from the environment; an unusable value keeps the default."""
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        return default
    return value if math.isfinite(value) and value >= 0 else default


#: largest input file accepted (bytes); a real report is well under 20 MB even as a scanned PDF
MAX_INPUT_BYTES = int(_env("XXGK_MAX_INPUT_BYTES", 64 * 1024 * 1024))
#: largest single decompressed part of a zip container (DOCX) that is read
MAX_ZIP_PART_BYTES = 64 * 1024 * 1024
#: largest total decompressed size read from one zip container
MAX_ZIP_TOTAL_BYTES = 128 * 1024 * 1024
#: most entries a zip container may list
MAX_ZIP_ENTRIES = 5000
#: most markup elements in one HTML page or one Word XML part (a real report has a few tens of
#: thousands at most); counted while parsing, so the parsed tree never grows past it
MAX_ELEMENTS = 500_000
#: most lines a text file may have
MAX_LINES = 1_000_000
#: most blocks (paragraphs + tables) a document may have
MAX_BLOCKS = 200_000
#: most cells one table may have, counting every slot a merged cell covers
MAX_TABLE_CELLS = 100_000
#: most cells all the tables of one document may have together
MAX_CELLS = 500_000
#: widest span honoured in a table (larger spans are clamped to 1)
MAX_SPAN = 64
#: seconds the command line spends on one file before giving up (0 = no limit)
MAX_SECONDS = _env("XXGK_MAX_SECONDS", 120)
#: seconds one LibreOffice conversion (.doc/.wps/.rtf in, PDF out) may take before it is killed;
#: a report converts in 2–3 s, most of it LibreOffice starting
OFFICE_SECONDS = _env("XXGK_OFFICE_SECONDS", 60)
#: address space LibreOffice may use for one conversion (it needs about 1 GiB of it to start)
OFFICE_MEMORY_BYTES = int(_env("XXGK_OFFICE_MEMORY_BYTES", 3 * 1024 * 1024 * 1024))
#: most pages of a PDF that is read (a report has a few tens at most)
MAX_PDF_PAGES = 200
#: most characters on one PDF page (a dense page has a few thousand)
MAX_PDF_PAGE_CHARS = 100_000
#: most objects on one PDF page, counting those inside forms
MAX_PDF_PAGE_OBJECTS = 200_000
#: seconds spent reading one PDF before giving up
MAX_PDF_SECONDS = _env("XXGK_MAX_PDF_SECONDS", 60)
#: largest request body the web application accepts (one upload of files or a zip, all parts)
MAX_UPLOAD_BYTES = int(_env("XXGK_MAX_UPLOAD_BYTES", 200 * 1024 * 1024))
#: most files one web upload may carry (members of an uploaded zip count too)
MAX_UPLOAD_FILES = int(_env("XXGK_MAX_UPLOAD_FILES", 2000))
#: most pixels in one image read by OCR (an A4 page scanned at 600 dpi has 35 million)
MAX_IMAGE_PIXELS = int(_env("XXGK_MAX_IMAGE_PIXELS", 60_000_000))
#: resolution a scanned PDF page is rendered at for OCR, at most and at least (dots per inch)
OCR_MAX_DPI = 400
OCR_MIN_DPI = 150
#: seconds one OCR read (a page's running text, or one table cell) may take
OCR_READ_SECONDS = _env("XXGK_OCR_READ_SECONDS", 30)
#: seconds spent on OCR for one file before giving up (a page takes a few seconds)
OCR_SECONDS = _env("XXGK_OCR_SECONDS", 300)
