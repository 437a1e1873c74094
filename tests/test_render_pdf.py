"""PDF output (xxgk.render.pdf): the renderer's Word file through LibreOffice, with real CJK glyphs.

The PDF's text layer (pypdfium2) must hold every number of 表二 and the official row labels, the
seeds must read back from their PDF exactly (random reports: tests/test_pdf.py), every Chinese character must be drawn
with an embedded CJK font, and the Word file must survive LibreOffice with its merges.
Tests skip when LibreOffice is absent (.ci/run installs it, with the fonts and poppler-utils).
"""

from __future__ import annotations

import ctypes
import random
import re
import shutil
import subprocess
from collections import Counter

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from xxgk import office
from xxgk.readers import read_document
from xxgk.render.common import cell_text, parts
from xxgk.render.docx import render_docx
from xxgk.render.pdf import render_pdf
from xxgk.templates import TEMPLATES
from xxgk.testing import random_report

import xxgk
from xxgk.render.data import report_from_data

from .conftest import load_expected
from .test_render import SEED_FILES, _assert_same, _data, _write, _xxgk

needs_soffice = pytest.mark.skipif(not office.available(), reason="LibreOffice (soffice) is not installed")

NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
#: the families the set-up installs (fonts-noto-cjk, fonts-wqy-zenhei), as PDF base font names
CJK_FONT = re.compile(r"NotoSerifCJK|NotoSansCJK|SourceHan|WenQuanYi", re.I)


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_text(pdf: bytes) -> str:
    doc = pdfium.PdfDocument(pdf)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in doc)
    finally:
        doc.close()


def _loose(text: str) -> str:
    """A pattern for ``text`` with any whitespace between its characters (lines wrap in the PDF)."""
    return r"\s*".join(re.escape(c) for c in _flat(text))


def table_two_region(report, text: str) -> str:
    """The text between 表二's section heading and what follows the table (prose or the next heading)."""
    ps = parts(report)
    i = next(i for i, p in enumerate(ps) if p.kind == "table" and p.table.key == "t2")
    start = re.search(_loose(ps[i - 1].text), text).end()
    end = re.compile(_loose(_flat(ps[i + 1].text)[:12])).search(text, start).start()
    return text[start:end]


@needs_soffice
# a PDF takes seconds: a few examples, and no shrinking (a failing report is printed whole)
@settings(
    max_examples=4,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    template=st.sampled_from(sorted(TEMPLATES)),
    seed=st.integers(0, 2**32 - 1),
    blank_rate=st.sampled_from([0.0, 0.3]),
)
def test_pdf_text_layer_has_every_number_of_table_two_and_the_row_labels(template, seed, blank_rate):
    spec = TEMPLATES[template]
    report = random_report(random.Random(seed), spec, blank_rate=blank_rate)
    pdf = render_pdf(report)
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf)
    flat = _flat(text)
    t2 = spec.table_by_key["t2"]
    numbers = [cell_text(report, key) for key in report.cells if key.startswith("t2.") and report[key] is not None]
    assert Counter(NUMBER.findall(table_two_region(report, text))) == Counter(numbers)
    for table in spec.tables:
        for block in table.blocks:
            for row in block.rows:
                assert _flat(row.label) in flat, (table.key, row.label)
    assert t2.blocks[0].label in flat


def _char_fonts(pdf: bytes) -> dict[str, set[str]]:
    """Every character on every page -> the base names of the fonts it is drawn with."""
    fonts: dict[str, set[str]] = {}
    buf = ctypes.create_string_buffer(512)
    flags = ctypes.c_int()
    doc = pdfium.PdfDocument(pdf)
    try:
        for page in doc:
            textpage = page.get_textpage()
            for i in range(textpage.count_chars()):
                char = chr(pdfium_c.FPDFText_GetUnicode(textpage, i))
                pdfium_c.FPDFText_GetFontInfo(textpage, i, buf, len(buf), ctypes.byref(flags))
                fonts.setdefault(char, set()).add(buf.value.decode("utf-8", "replace"))
    finally:
        doc.close()
    return fonts


@pytest.fixture(scope="module")
def seed_pdf():  # (its tests are marked needs_soffice)
    from .conftest import SEEDS

    import xxgk

    report = xxgk.parse(sorted(SEEDS.glob("*.txt"))[0])  # 信阳市浉河区: a rare character in the title
    return report, render_pdf(report)


@needs_soffice
def test_every_chinese_character_is_drawn_with_a_cjk_font(seed_pdf):
    report, pdf = seed_pdf
    fonts = _char_fonts(pdf)
    chinese = {c: f for c, f in fonts.items() if CJK.match(c)}
    assert "浉" in chinese and len(chinese) > 300
    wrong = {c: f for c, f in chinese.items() if not all(CJK_FONT.search(name) for name in f)}
    assert not wrong


@needs_soffice
@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="pdffonts (poppler-utils) is not installed")
def test_pdf_fonts_are_embedded_with_unicode_maps(seed_pdf):
    _, pdf = seed_pdf
    out = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    assert rows
    for row in rows:
        emb, sub, uni = row[-5:-2]
        assert (emb, uni) == ("yes", "yes"), row
    assert any(CJK_FONT.search(row[0]) for row in rows)


@needs_soffice
def test_docx_survives_libreoffice_with_its_merges():
    """The Word file opens in LibreOffice (it converts) and LibreOffice's own .docx keeps the merges
    of 表二 and 表三 (表四: see test_office.test_legacy_word_tables_keep_their_merges)."""
    report = random_report(random.Random(11), TEMPLATES["gov2021"], blank_rate=0.1)
    docx = render_docx(report)
    again = office.convert(docx, ".docx", "docx:MS Word 2007 XML")
    want, got = read_document(docx), read_document(again)
    assert len(got.tables) == len(want.tables) == 3
    for a, b in list(zip(got.tables, want.tables))[:2]:
        assert [[(c.text, c.rowspan, c.colspan) for c in row] for row in a.rows] == [
            [(c.text, c.rowspan, c.colspan) for c in row] for row in b.rows
        ]


@needs_soffice
def test_cli_renders_a_pdf(tmp_path):
    report, data = _data()
    out = tmp_path / "报告.pdf"
    res = _xxgk("render", _write(tmp_path, data), "-o", out, cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    text = pdf_text(out.read_bytes())
    assert _flat(report.agency) in _flat(text)


def test_render_pdf_without_libreoffice_is_one_line(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    report = random_report(random.Random(1), TEMPLATES["gov2021"])
    with pytest.raises(office.OfficeError, match="LibreOffice is not installed"):
        render_pdf(report)


@needs_soffice
@pytest.mark.parametrize("seed_file", SEED_FILES, ids=[p.stem[:3] for p in SEED_FILES])
def test_seeds_roundtrip_through_pdf(seed_file):
    """parse(render_pdf(x)) == x for each seed, and for its expected data loaded as render data."""
    report = xxgk.parse(seed_file)
    _assert_same(report, xxgk.parse(render_pdf(report)))
    expected = report_from_data(load_expected(seed_file.with_name(seed_file.stem + ".expected.json")))
    _assert_same(expected, xxgk.parse(render_pdf(expected)))
