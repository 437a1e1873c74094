"""The Excel fill-in sheet and the data workbook (issue 4): layout, formulas, reading back."""

from __future__ import annotations

import io
import random
import re
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import xxgk
from xxgk import limits
from xxgk.errors import UnreadableInput
from xxgk.render.xlsx_sheet import COMPUTED_NOTE, write_data_workbook, write_fill_in
from xxgk.templates import GOV2019, GOV2021, TEMPLATES
from xxgk.templates.layout import table_layout
from xxgk.testing import build_report, random_report, random_values

SETTINGS = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SPECS = [GOV2019, GOV2021]


def fill_in_bytes(spec, year=2025, report=None) -> bytes:
    buf = io.BytesIO()
    write_fill_in(spec, year, buf, report=report)
    return buf.getvalue()


def grid_position(cell) -> tuple[int, int]:
    """Where a layout cell is drawn: one title row above the grid (1-based Excel coordinates)."""
    return cell.row + 2, cell.col + 1


def total_keys(spec) -> set[str]:
    """The cells a clerk must not type: 表三 总计 column and （七）总计 row, 表四 总计."""
    out = set()
    for key, table, block, row, col in spec.cells:
        if col.total_rule or row.total_rule:
            out.add(key)
    return out


# ------------------------------------------------------------------ the blank fill-in sheet


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.key)
def test_fill_in_has_the_official_merges_and_formulas(spec):
    wb = openpyxl.load_workbook(io.BytesIO(fill_in_bytes(spec)))
    assert wb.sheetnames[:2] == ["填报说明", "基本信息"]
    assert {"表二", "表三", "表四", "_meta"} <= set(wb.sheetnames)
    assert wb["_meta"].sheet_state == "hidden"
    for table in spec.tables:
        ws = wb[table.title]
        layout = table_layout(table)
        expected = set()
        for cell in layout.cells:
            r, c = grid_position(cell)
            if cell.rowspan > 1 or cell.colspan > 1:
                expected.add((r, c, r + cell.rowspan - 1, c + cell.colspan - 1))
            if cell.role != "value" and cell.text:
                assert ws.cell(r, c).value == cell.text
        merged = {(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges}
        merged.discard((1, 1, 1, layout.width))  # the title row
        assert merged == expected
        assert ws.protection.sheet
        totals = total_keys(spec)
        for cell in layout.value_cells:
            xc = ws.cell(*grid_position(cell))
            if cell.key in totals:
                assert isinstance(xc.value, str) and xc.value.startswith("="), cell.key
                assert xc.protection.locked
            else:
                assert xc.value is None, cell.key
                assert not xc.protection.locked, cell.key
        for cell in layout.cells:
            if cell.role != "value":
                assert ws.cell(*grid_position(cell)).protection.locked


def test_total_formulas_and_balance_checks_of_table_3():
    wb = openpyxl.load_workbook(io.BytesIO(fill_in_bytes(GOV2021)))
    ws = wb["表三"]
    layout = table_layout(GOV2021.table_by_key["t3"])
    at = {c.key: ws.cell(*grid_position(c)).coordinate for c in layout.value_cells}
    cols = ["natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
            "legal_service_org", "other_org"]  # fmt: skip
    # the total column sums the six applicant columns
    row_total = ws[at["t3.new_received.total"]].value
    assert row_total == "=" + "+".join(at[f"t3.new_received.{c}"] for c in cols)
    # （七）总计 sums the 21 result leaves
    leaves = [k for k in at if k.startswith("t3.result.") and k.endswith(".natural_person") and ".total." not in k]
    assert len(leaves) == 21
    assert ws[at["t3.result.total.natural_person"]].value == "=" + "+".join(at[k] for k in leaves)
    # 一 + 二 = 三 + 四 as a check cell per column
    expected = '=IF({}+{}={}+{},"平衡","不平衡")'.format(
        at["t3.new_received.natural_person"], at["t3.carried_over.natural_person"],
        at["t3.result.total.natural_person"], at["t3.carried_forward.natural_person"],
    )  # fmt: skip
    formulas = {c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert expected in formulas
    checks = [f for f in formulas if f.startswith("=IF(") and "平衡" in f]
    assert len(checks) == 8  # 7 balance columns + （七）总计 of the 总计 column
    # 表四: each group's 总计 is a formula over its four results
    ws4 = wb["表四"]
    layout4 = table_layout(GOV2021.table_by_key["t4"])
    at4 = {c.key: ws4.cell(*grid_position(c)).coordinate for c in layout4.value_cells}
    for g in ("review", "lit_direct", "lit_after_review"):
        parts = "+".join(at4[f"t4.{g}.{k}"] for k in ("upheld", "corrected", "other", "pending"))
        assert ws4[at4[f"t4.{g}.total"]].value == "=" + parts


def test_blank_fill_in_reads_as_all_null():
    rep = xxgk.parse(fill_in_bytes(GOV2021, 2024))
    assert rep.template == "gov2021" and rep.year == 2024 and rep.agency is None
    assert all(v is None for v in rep.values().values())
    assert rep.source.format == "xlsx"


# ------------------------------------------------------------------ a clerk fills it in


def clerk_fills(data: bytes, spec, values: dict, *, year: int, agency: str, prose: dict[str, str]) -> bytes:
    """Type numbers into the unlocked cells only, found by the table layout; formulas untouched."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    info = wb["基本信息"]
    labels = {info.cell(r, 1).value: r for r in range(1, info.max_row + 1)}
    info.cell(labels["机关名称"], 2).value = agency
    info.cell(labels["报告年度"], 2).value = year
    for s in spec.sections:
        if s.key in prose:
            info.cell(labels[f"{s.number}、{s.heading}"], 2).value = prose[s.key]
    typed = 0
    for table in spec.tables:
        ws = wb[table.title]
        for cell in table_layout(table).value_cells:
            xc = ws.cell(*grid_position(cell))
            if xc.protection.locked:
                assert isinstance(xc.value, str) and xc.value.startswith("=")
                continue
            v = values[cell.key]
            # a clerk types numbers: Excel keeps them as doubles
            xc.value = float(v) if isinstance(v, Decimal) else v
            typed += 1
    assert typed == len(spec.cell_keys) - len(total_keys(spec))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.key)
@pytest.mark.parametrize("seed", range(4))
def test_clerk_filled_sheet_parses_to_the_report(spec, seed, tmp_path):
    rng = random.Random(seed)
    values = random_values(rng, spec)
    prose = {"s1": "本年度，我局认真贯彻落实条例。", "s5": "存在问题：解读不够。\n改进：加强培训。", "s6": "本年度未收取信息处理费。"}
    data = clerk_fills(fill_in_bytes(spec), spec, values, year=2025, agency="海州区财政局", prose=prose)
    path = tmp_path / "填报.xlsx"
    path.write_bytes(data)
    rep = xxgk.parse(path)
    expected = build_report(spec, values, year=2025, agency="海州区财政局", sections=prose)
    assert rep == expected
    assert rep.section("s5").text == prose["s5"]
    # no cached values in a file saved by openpyxl: the totals were recomputed and say so
    for key in total_keys(spec):
        assert rep.cells[key].note == COMPUTED_NOTE
    assert any(w.code == "xlsx.computed" for w in rep.warnings)
    assert rep.source.name == "填报.xlsx"


def test_blank_input_cell_is_null_not_zero():
    spec = GOV2021
    values = random_values(random.Random(7), spec)
    values["t4.review.upheld"] = None
    data = clerk_fills(fill_in_bytes(spec), spec, values, year=2025, agency="某局", prose={})
    rep = xxgk.parse(data)
    assert rep["t4.review.upheld"] is None
    assert rep.cells["t4.review.upheld"].status.value == "blank"
    # the total is computed from the numbers that are there
    assert rep["t4.review.total"] == sum(values[f"t4.review.{k}"] for k in ("corrected", "other", "pending"))


def with_cached_value(data: bytes, sheet_title: str, ref: str, cached: str) -> bytes:
    """Give one formula cell a cached value, as Excel or LibreOffice would on saving."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    index = wb.sheetnames.index(sheet_title) + 1
    part = f"xl/worksheets/sheet{index}.xml"
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == part:
                text = body.decode("utf-8")
                text, n = re.subn(rf'(<c r="{ref}"[^>]*>\s*<f>[^<]*</f>)(\s*<v>\s*</v>)?', rf"\1<v>{cached}</v>", text)
                assert n == 1
                body = text.encode("utf-8")
            dst.writestr(item, body)
    return out.getvalue()


def test_formula_cell_with_cached_value_uses_it():
    spec = GOV2021
    values = random_values(random.Random(3), spec)
    data = clerk_fills(fill_in_bytes(spec), spec, values, year=2025, agency="某局", prose={})
    ws = openpyxl.load_workbook(io.BytesIO(data))["表四"]
    cell = next(c for c in table_layout(spec.table_by_key["t4"]).value_cells if c.key == "t4.review.total")
    ref = ws.cell(*grid_position(cell)).coordinate
    data = with_cached_value(data, "表四", ref, "999")
    rep = xxgk.parse(data)
    assert rep["t4.review.total"] == 999  # the saved value, never "fixed" from the identity
    assert rep.cells["t4.review.total"].note != COMPUTED_NOTE
    assert rep["t4.lit_direct.total"] == sum(values[f"t4.lit_direct.{k}"] for k in ("upheld", "corrected", "other", "pending"))


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.key)
def test_prefilled_fill_in_reads_back(spec):
    rep = random_report(random.Random(11), spec)
    back = xxgk.parse(fill_in_bytes(spec, None, report=rep))
    assert back == rep


def test_unreadable_typed_text_is_reported_not_guessed():
    spec = GOV2021
    wb = openpyxl.load_workbook(io.BytesIO(fill_in_bytes(spec)))
    cell = next(c for c in table_layout(spec.table_by_key["t2"]).value_cells if c.key == "t2.regulations.issued")
    wb["表二"].cell(*grid_position(cell)).value = "十二件"
    out = io.BytesIO()
    wb.save(out)
    rep = xxgk.parse(out.getvalue())
    assert rep["t2.regulations.issued"] is None
    assert rep.cells["t2.regulations.issued"].status.value == "unreadable"
    assert rep.cells["t2.regulations.issued"].raw == "十二件"


# ------------------------------------------------------------------ the data workbook


@SETTINGS
@given(
    key=st.sampled_from(sorted(TEMPLATES)),
    seed=st.integers(0, 2**32 - 1),
    blank_rate=st.sampled_from([0.0, 0.05, 0.3, 1.0]),
)
def test_data_workbook_round_trip(key, seed, blank_rate):
    rep = random_report(random.Random(seed), TEMPLATES[key], blank_rate=blank_rate)
    buf = io.BytesIO()
    write_data_workbook(rep, buf)
    back = xxgk.parse(buf.getvalue())
    assert back == rep
    for k, cell in rep.cells.items():
        assert type(back[k]) is type(cell.value) or (cell.value is not None and isinstance(back[k], Decimal)), k
    assert [s.text for s in back.sections] == [s.text for s in rep.sections]


def test_data_workbook_has_the_long_sheet_and_tables(tmp_path):
    rep = random_report(random.Random(5), GOV2019, blank_rate=0.1)
    path = tmp_path / "data.xlsx"
    write_data_workbook(rep, path)
    wb = openpyxl.load_workbook(path)
    assert {"基本信息", "数据", "表二", "表三", "表四", "_meta"} <= set(wb.sheetnames)
    rows = list(wb["数据"].iter_rows(values_only=True))
    assert rows[0][:6] == ("单元格键", "表", "栏目", "行", "列", "数值")
    assert len(rows) == 1 + len(GOV2019.cell_keys)
    by_key = {r[0]: r for r in rows[1:]}
    for key, cell in rep.cells.items():
        v = by_key[key][5]
        assert (v is None) == (cell.value is None)
        if v is not None:
            assert Decimal(repr(v)) == cell.value if isinstance(v, float) else v == cell.value
    # the tables hold the values, not formulas, so a reviewer sees what the report says
    ws = wb["表三"]
    cell = next(c for c in table_layout(GOV2019.table_by_key["t3"]).value_cells if c.key == "t3.result.total.total")
    v = ws.cell(*grid_position(cell)).value
    assert v == rep["t3.result.total.total"]


def test_data_workbook_keeps_broken_identities():
    spec = GOV2021
    values = random_values(random.Random(2), spec)
    values["t4.review.total"] = 0
    values["t4.review.upheld"] = 10
    rep = build_report(spec, values, year=2023, agency="某区人民政府")
    buf = io.BytesIO()
    write_data_workbook(rep, buf)
    assert xxgk.parse(buf.getvalue()) == rep


# ------------------------------------------------------------------ hostile and foreign workbooks


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "xxgk.cli", *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def test_other_spreadsheet_is_one_line_exit_2(tmp_path):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "表三"
    wb.active["B2"] = 5
    path = tmp_path / "统计.xlsx"
    wb.save(path)
    with pytest.raises(UnreadableInput, match="Excel"):
        xxgk.parse(path)
    out = run_cli("parse", str(path))
    assert out.returncode == 2
    assert out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "Excel" in lines[0]


def test_zip_bomb_in_fill_in_is_refused(monkeypatch):
    data = fill_in_bytes(GOV2021)
    monkeypatch.setattr(limits, "MAX_ZIP_PART_BYTES", 2000)
    with pytest.raises(UnreadableInput, match="过大"):
        xxgk.parse(data)


def test_fill_in_with_too_many_entries_is_refused():
    data = fill_in_bytes(GOV2021)
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        for i in range(limits.MAX_ZIP_ENTRIES + 1):
            dst.writestr(f"xl/junk/{i}.xml", b"")
    with pytest.raises(UnreadableInput):
        xxgk.parse(out.getvalue())


def test_damaged_meta_is_a_clear_error():
    wb = openpyxl.load_workbook(io.BytesIO(fill_in_bytes(GOV2021)))
    wb["_meta"]["B3"] = "gov1999"
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(UnreadableInput, match="模板"):
        xxgk.parse(out.getvalue())


# ------------------------------------------------------------------ the command


def test_template_command_writes_a_sheet_that_parses(tmp_path):
    out = run_cli("template", "--year", "2025", "-o", "填报.xlsx", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    rep = xxgk.parse(tmp_path / "填报.xlsx")
    assert (rep.template, rep.year) == ("gov2021", 2025)
    out = run_cli("template", "--year", "2020", "-o", "t.xlsx", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert xxgk.parse(tmp_path / "t.xlsx").template == "gov2019"
    out = run_cli("template", "--year", "2020", "-o", "t21.xlsx", "--template", "gov2021", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert xxgk.parse(tmp_path / "t21.xlsx").template == "gov2021"
    parsed = run_cli("parse", "t21.xlsx", "--brief", cwd=tmp_path)
    assert parsed.returncode == 0, parsed.stderr
    assert '"template": "gov2021"' in parsed.stdout


@pytest.mark.parametrize("args", [["--year", "2017", "-o", "x.xlsx"], ["--year", "2025", "-o", "x.docx"],
                                  ["--year", "2025", "-o", "x.xlsx", "--template", "nope"]])  # fmt: skip
def test_template_command_errors_are_one_line(tmp_path, args):
    out = run_cli("template", *args, cwd=tmp_path)
    assert out.returncode == 2
    assert len(out.stderr.strip().splitlines()) == 1


def test_prose_with_control_characters_and_leading_equals_stays_text():
    spec = GOV2021
    values = random_values(random.Random(4), spec)
    prose = {"s1": "=SUM(A1:A9) 不是公式\x0b第二行", "s5": "问题\x01改进"}
    rep = build_report(spec, values, year=2024, agency="=某局", sections=prose)
    buf = io.BytesIO()
    write_data_workbook(rep, buf)
    back = xxgk.parse(buf.getvalue())
    assert back.agency == "=某局"
    assert back.section("s1").text == "=SUM(A1:A9) 不是公式第二行"
    assert back.section("s5").text == "问题改进"


def test_year_typed_with_a_suffix():
    wb = openpyxl.load_workbook(io.BytesIO(fill_in_bytes(GOV2021, 2025)))
    info = wb["基本信息"]
    row = next(r for r in range(1, info.max_row + 1) if info.cell(r, 1).value == "报告年度")
    info.cell(row, 2).value = "2024年"
    out = io.BytesIO()
    wb.save(out)
    assert xxgk.parse(out.getvalue()).year == 2024


def test_entity_bomb_in_a_sheet_is_refused_quickly():
    data = fill_in_bytes(GOV2021)
    src = zipfile.ZipFile(io.BytesIO(data))
    ents = b'<!ENTITY lol "lololololololololol">' + b"".join(
        b'<!ENTITY lol%d "%s">' % (i + 1, (b"&lol%s;" % (str(i).encode() if i else b"")) * 10) for i in range(9)
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(b"<worksheet", b"<!DOCTYPE worksheet [" + ents + b"]><worksheet", 1)
                body = body.replace(b"<sheetData>", b'<sheetData><row r="40"><c r="A40" t="inlineStr"><is><t>&lol9;</t></is></c></row>', 1)
            dst.writestr(item, body)
    with pytest.raises(UnreadableInput):
        xxgk.parse(out.getvalue())


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.key)
def test_clerk_filled_sheet_renders_to_a_correct_report(spec, tmp_path):
    """The issue's end to end: fill the sheet by script, render Word and Excel, read them back."""
    values = random_values(random.Random(21), spec)
    prose = {
        "s1": "本年度，我局认真贯彻落实条例，扎实做好主动公开、依申请公开、政府信息管理、平台建设和监督保障工作。",
        "s5": "存在问题：政策解读形式单一。改进措施：丰富解读形式，加强业务培训。",
        "s6": "本年度未收取信息处理费。",
    }
    year = 2025 if spec is GOV2021 else 2020
    data = clerk_fills(fill_in_bytes(spec, year), spec, values, year=year, agency="海州区财政局", prose=prose)
    (tmp_path / "填报.xlsx").write_bytes(data)
    expected = build_report(spec, values, year=year, agency="海州区财政局", sections=prose)
    for out_name in ("报告.docx", "数据.xlsx"):
        out = run_cli("render", "填报.xlsx", "-o", out_name, cwd=tmp_path)
        assert out.returncode == 0, out.stderr
        assert xxgk.parse(tmp_path / out_name) == expected, out_name


SEED_FILES = sorted(Path(__file__).parent.joinpath("seeds").glob("*.txt"))


@pytest.mark.parametrize("seed_file", SEED_FILES, ids=[p.stem[:3] for p in SEED_FILES])
def test_seeds_round_trip_through_the_data_workbook(seed_file):
    from xxgk.render.data import report_from_data

    from .conftest import load_expected

    parsed = xxgk.parse(seed_file)
    expected = report_from_data(load_expected(seed_file.with_name(seed_file.stem + ".expected.json")))
    for rep in (parsed, expected):
        buf = io.BytesIO()
        write_data_workbook(rep, buf)
        back = xxgk.parse(buf.getvalue())
        assert back == rep
        for key in rep.cells:
            if rep[key] is None:
                assert back.cells[key].status.value == "blank", key
