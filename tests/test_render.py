"""xxgk render: Word, HTML and Markdown in the official layout, read back exactly; the gate before writing."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import xxgk
from xxgk.readers import read_document
from xxgk.render.data import DataError, fill_totals, load_data_text, report_from_data
from xxgk.render.docx import render_docx
from xxgk.render.html import render_html
from xxgk.render.markdown import render_markdown
from xxgk.report.jsonio import dumps, report_to_dict
from xxgk.report.model import CellStatus
from xxgk.templates import TEMPLATES
from xxgk.templates.layout import table_layout
from xxgk.testing import random_report

from .conftest import SEEDS, load_expected

RENDERERS = {"docx": render_docx, "html": render_html, "md": render_markdown}
SETTINGS = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _assert_same(report, got):
    assert (got.template, got.year, got.agency) == (report.template, report.year, report.agency)
    diff = {k: (report[k], got[k]) for k in report.cells if report[k] != got[k]}
    assert not diff
    assert got == report
    for key in report.cells:
        if report[key] is None:
            assert got.cells[key].status is CellStatus.BLANK, key


@SETTINGS
@given(
    fmt=st.sampled_from(sorted(RENDERERS)),
    template=st.sampled_from(sorted(TEMPLATES)),
    seed=st.integers(0, 2**32 - 1),
    blank_rate=st.sampled_from([0.0, 0.05, 0.3]),
)
def test_roundtrip_random_reports(fmt, template, seed, blank_rate):
    report = random_report(random.Random(seed), TEMPLATES[template], blank_rate=blank_rate)
    _assert_same(report, xxgk.parse(RENDERERS[fmt](report)))


SEED_FILES = sorted(SEEDS.glob("*.txt"))


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
@pytest.mark.parametrize("seed_file", SEED_FILES, ids=[p.stem[:3] for p in SEED_FILES])
def test_seeds_roundtrip(fmt, seed_file):
    report = xxgk.parse(seed_file)
    _assert_same(report, xxgk.parse(RENDERERS[fmt](report)))
    # the expected data itself, loaded as render data, round-trips too
    expected = report_from_data(load_expected(seed_file.with_name(seed_file.stem + ".expected.json")))
    _assert_same(expected, xxgk.parse(RENDERERS[fmt](expected)))


@pytest.mark.parametrize("template", sorted(TEMPLATES))
def test_docx_has_the_official_merges(template):
    report = random_report(random.Random(7), TEMPLATES[template], blank_rate=0.1)
    doc = read_document(render_docx(report))
    assert len(doc.tables) == 3
    for spec, table in zip(TEMPLATES[template].tables, doc.tables):
        grid = table.grid()
        got = set()
        for r, row in enumerate(table.rows):
            for cell in row:
                c = next(i for i, x in enumerate(grid[r]) if x is cell)
                got.add((r, c, cell.rowspan, cell.colspan))
        official = {(c.row, c.col, c.rowspan, c.colspan) for c in table_layout(spec).cells}
        assert got == official, spec.key


def test_docx_typography():
    import io

    from docx import Document
    from docx.oxml.ns import qn

    report = random_report(random.Random(1), TEMPLATES["gov2021"])
    doc = Document(io.BytesIO(render_docx(report)))
    title = doc.paragraphs[0]
    run = title.runs[0]
    assert title.alignment == 1  # centred
    assert run.font.size.pt == 22
    assert run._r.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    heading = next(p for p in doc.paragraphs if p.text == "一、总体情况")
    assert heading.runs[0]._r.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    body = next(p for p in doc.paragraphs if p.text.startswith(f"{report.year}年，"))
    assert body.runs[0]._r.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert body.runs[0].font.size.pt == 16
    assert all(t.style.name == "Table Grid" for t in doc.tables)


def test_money_is_written_exactly():
    report = random_report(random.Random(2), TEMPLATES["gov2021"])
    data = report_to_dict(report, detail=False)
    data["t2"]["admin_fees"]["amount"] = Decimal("24252.311082")
    rep = report_from_data(data)
    for fmt, render in RENDERERS.items():
        got = xxgk.parse(render(rep))
        assert got["t2.admin_fees.amount"] == Decimal("24252.311082"), fmt
    assert "24252.311082" in render_html(rep).decode()


def test_html_is_standalone_accessible_and_escaped():
    report = random_report(random.Random(3), TEMPLATES["gov2021"], agency="<script>alert(1)</script>")
    page = render_html(report).decode()
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '<html lang="zh-CN">' in page
    assert page.count("<caption") == 3
    assert 'scope="col"' in page and 'scope="row"' in page and 'scope="colgroup"' in page
    assert "<style" not in page and "<link" not in page
    assert 'rowspan="' in page and 'colspan="' in page


def test_markdown_flattens_merged_cells():
    report = random_report(random.Random(4), TEMPLATES["gov2021"])
    text = render_markdown(report).decode()
    assert "| （三）不予公开 1.属于国家秘密 |" in text
    assert "## 三、收到和处理政府信息公开申请情况" in text
    assert text.splitlines()[0].startswith("# ")


def test_text_reader_reads_pipe_tables():
    doc = read_document("# 标题\n\n| a | b\\|c |\n|---|:---:|\n| 1 |  |\n\n段落\n".encode())
    assert len(doc.tables) == 1
    assert [[c.text for c in row] for row in doc.tables[0].rows] == [["a", "b|c"], ["1", ""]]
    texts = [b.text for b in doc.blocks if hasattr(b, "text")]
    assert "标题" in texts and "段落" in texts


# data -------------------------------------------------------------------------------------------
def _data(template="gov2021", seed=5, **kw):
    report = random_report(random.Random(seed), TEMPLATES[template], **kw)
    return report, report_to_dict(report, detail=False)


def test_yaml_data_keeps_decimals_and_sections():
    report, data = _data()
    data["t2"]["admin_fees"]["amount"] = Decimal("1.77")
    data["sections"] = {"s1": "总体情况的文字。", "s5": "存在问题。"}
    data["published"] = "2023-01-20"
    import yaml

    text = yaml.safe_dump(json.loads(dumps(data), parse_float=str), allow_unicode=True)
    text = text.replace("'1.77'", "1.77")
    rep = report_from_data(load_data_text(text, "yaml"))
    assert rep["t2.admin_fees.amount"] == Decimal("1.77") and isinstance(rep["t2.admin_fees.amount"], Decimal)
    assert rep.section("s1").text == "总体情况的文字。"
    assert rep.published.isoformat() == "2023-01-20"
    assert all(c.status in (CellStatus.GIVEN, CellStatus.BLANK) for c in rep.cells.values())


def test_sections_list_form_from_parse():
    report = xxgk.parse(SEED_FILES[0])
    data = json.loads(dumps(report_to_dict(report)), parse_float=Decimal)
    rep = report_from_data(data)
    assert rep == report
    assert rep.section("s1").text == report.section("s1").text


@pytest.mark.parametrize(
    "change, words",
    [
        (lambda d: d.update(template="gov2030"), "未知的模板"),
        (lambda d: d["t3"]["new_received"].pop("total"), "缺少"),
        (lambda d: d.pop("t4"), "缺少"),
        (lambda d: d["t3"]["new_received"].update(total="很多"), "不是数字"),
        (lambda d: d["t3"]["new_received"].update(total=1.5), "整数"),
        (lambda d: d["t4"]["review"].update(extra=1), "没有的项"),
        (lambda d: d.update(year="去年"), "年份"),
    ],
)
def test_bad_data_is_a_one_line_error(change, words):
    _, data = _data()
    change(data)
    with pytest.raises(DataError) as err:
        report_from_data(data)
    assert words in err.value.message and "\n" not in err.value.message
    assert err.value.exit_code == 2


def test_fill_totals_fills_only_missing():
    report, data = _data(seed=11)
    data["t3"]["result"]["total"]["total"] = None
    data["t3"]["result"]["total"]["natural_person"] = None
    data["t3"]["new_received"]["total"] = None
    data["t4"]["review"]["total"] = None
    filled = fill_totals(report_from_data(data))
    assert filled == report
    # a given (wrong) total is never overwritten
    data["t4"]["review"]["total"] = 999999
    filled = fill_totals(report_from_data(data))
    assert filled["t4.review.total"] == 999999


# the command line -----------------------------------------------------------------------------
def _xxgk(*args, cwd):
    return subprocess.run([sys.executable, "-m", "xxgk.cli", *map(str, args)], capture_output=True, text=True, cwd=cwd)


def _write(tmp_path: Path, data, name="data.json") -> Path:
    path = tmp_path / name
    path.write_text(dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize("ext", ["docx", "html", "md"])
def test_cli_renders_and_reads_back(tmp_path, ext):
    report, data = _data()
    src = _write(tmp_path, data)
    out = tmp_path / f"report.{ext}"
    res = _xxgk("render", src, "-o", out, cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert xxgk.parse(out) == report


def test_cli_refuses_a_broken_identity(tmp_path):
    _, data = _data()
    data["t4"]["review"]["total"] = data["t4"]["review"]["total"] + 1
    src = _write(tmp_path, data)
    out = tmp_path / "report.docx"
    res = _xxgk("render", src, "-o", out, cwd=tmp_path)
    assert res.returncode == 1
    assert "identity.t4_total" in res.stderr
    assert not out.exists()
    res = _xxgk("render", src, "-o", out, "--allow-errors", cwd=tmp_path)
    assert res.returncode == 1
    assert out.exists()
    assert "警告" in res.stderr and "identity.t4_total" in res.stderr
    assert xxgk.parse(out)["t4.review.total"] == data["t4"]["review"]["total"]


def test_cli_refuses_template_year_mismatch(tmp_path):
    _, data = _data(template="gov2019")
    data["year"] = 2023
    res = _xxgk("render", _write(tmp_path, data), "-o", tmp_path / "r.md", cwd=tmp_path)
    assert res.returncode == 1 and "template.year_mismatch" in res.stderr


def test_cli_fill_totals(tmp_path):
    report, data = _data(seed=12)
    data["t3"]["result"]["total"]["total"] = None
    data["t4"]["lit_direct"]["total"] = None
    src = _write(tmp_path, data)
    out = tmp_path / "r.html"
    res = _xxgk("render", src, "-o", out, "--fill-totals", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert xxgk.parse(out) == report
    # --fill-totals never repairs a given wrong number
    data["t4"]["lit_direct"]["total"] = 123456
    res = _xxgk("render", _write(tmp_path, data), "-o", out, "--fill-totals", cwd=tmp_path)
    assert res.returncode == 1 and "identity.t4_total" in res.stderr


def test_cli_converts_a_report_file(tmp_path):
    out = tmp_path / "seed.docx"
    res = _xxgk("render", SEED_FILES[3], "-o", out, cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert xxgk.parse(out) == xxgk.parse(SEED_FILES[3])


def test_cli_bad_data_and_formats(tmp_path):
    _, data = _data()
    src = _write(tmp_path, data)
    res = _xxgk("render", src, "-o", tmp_path / "r.odt", cwd=tmp_path)
    assert res.returncode == 2 and len(res.stderr.strip().splitlines()) == 1
    data["template"] = "gov1999"
    res = _xxgk("render", _write(tmp_path, data, "bad.json"), "-o", tmp_path / "r.md", cwd=tmp_path)
    assert res.returncode == 2 and "未知的模板" in res.stderr
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    res = _xxgk("render", tmp_path / "broken.json", "-o", tmp_path / "r.md", cwd=tmp_path)
    assert res.returncode == 2 and "JSON" in res.stderr
    assert "Traceback" not in res.stderr


@pytest.mark.parametrize(
    "text",
    [
        "a: &x [1, 2]\nb: [*x, *x]\n",  # YAML aliases (the billion-laughs shape)
        "[" * 100_000,  # nesting
        "- 1\n- 2\n",  # a list, not an object
        "template: [unclosed\n",
    ],
)
def test_hostile_or_malformed_data_text(text):
    with pytest.raises(DataError):
        report_from_data(load_data_text(text))


@pytest.mark.parametrize("value", [Decimal("1E+999999"), 10**20, Decimal("0.0000000000001")])
def test_absurd_numbers_are_refused(value):
    _, data = _data()
    data["t2"]["admin_fees"]["amount"] = value
    with pytest.raises(DataError):
        report_from_data(data)


def test_cli_xlsx_output_reads_back(tmp_path):
    pytest.importorskip("openpyxl")
    report, data = _data(seed=21, blank_rate=0.05)
    out = tmp_path / "data.xlsx"
    res = _xxgk("render", _write(tmp_path, data), "-o", out, "--allow-errors", cwd=tmp_path)
    assert res.returncode in (0, 1), res.stderr
    assert xxgk.parse(out) == report


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
@pytest.mark.parametrize("year, agency", [(None, None), (2022, None)])
def test_unknown_year_or_agency_round_trip(fmt, year, agency):
    _, data = _data(seed=31)
    data.update(year=year, agency=agency)
    report = report_from_data(data)
    _assert_same(report, xxgk.parse(RENDERERS[fmt](report)))


def test_docx_table_xml_is_well_formed_for_word():
    """Every cell holds a paragraph and the grid declares the layout's width (what Word repairs otherwise)."""
    import io
    import zipfile

    from lxml import etree

    W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    report = random_report(random.Random(8), TEMPLATES["gov2021"], blank_rate=0.2)
    part = zipfile.ZipFile(io.BytesIO(render_docx(report))).read("word/document.xml")
    root = etree.fromstring(part)
    tables = root.iter(f"{W}tbl")
    for spec, tbl in zip(TEMPLATES["gov2021"].tables, tables):
        layout = table_layout(spec)
        assert len(tbl.find(f"{W}tblGrid").findall(f"{W}gridCol")) == layout.width
        for tc in tbl.iter(f"{W}tc"):
            assert tc.find(f"{W}p") is not None
        for tr in tbl.findall(f"{W}tr"):
            spans = 0
            for tc in tr.findall(f"{W}tc"):
                span = tc.find(f"{W}tcPr/{W}gridSpan")
                spans += int(span.get(f"{W}val")) if span is not None else 1
            assert spans == layout.width
