"""The user's own documents parse to exactly their expected data."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import xxgk
from xxgk.report.jsonio import report_to_dict

from .conftest import SEEDS, flatten, load_expected

SEED_FILES = sorted(SEEDS.glob("*.txt"))


def test_seeds_are_present():
    assert len(SEED_FILES) == 5


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.stem)
def test_seed_parses_to_expected(path):
    expected = load_expected(path.with_suffix(".expected.json"))
    got = report_to_dict(xxgk.parse(path), detail=False)
    assert flatten(got) == flatten(expected)


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.stem)
def test_cli_json_matches_expected(path):
    out = subprocess.run(
        [sys.executable, "-m", "xxgk.cli", "parse", str(path), "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    from decimal import Decimal

    data = json.loads(out.stdout, parse_float=Decimal)
    expected = load_expected(path.with_suffix(".expected.json"))
    for key in ("template", "year", "agency", "t2", "t3", "t4"):
        assert data[key] == expected[key], key
    # provenance: every number can be traced to the line it was read from
    for key, cell in data["cells"].items():
        if cell["status"] == "read":
            assert cell["location"]["line"] >= 1
            assert cell["raw"] is not None


def test_seed_002_blank_cells_are_null_not_zero():
    report = xxgk.parse(SEEDS / "002_69dc6e22679cfd75.txt")
    for col in ("natural_person", "total"):
        cell = report.cells[f"t3.result.other.unpaid_fee.{col}"]
        assert cell.value is None
        assert cell.status is xxgk.CellStatus.BLANK
        assert cell.raw == ""
    assert report["t3.result.other.no_correction.total"] == 0


def test_seed_001_records_the_deviations_a_reviewer_sees():
    report = xxgk.parse(SEEDS / "001_63ce3d751c5ce596.txt")
    numbering = [d for d in report.deviations if d.kind == "numbering" and d.section == "s4"]
    assert numbering and numbering[0].found.startswith("4、")
    missing = [d for d in report.deviations if d.kind == "missing_column" and d.column == "delta_items"]
    assert len(missing) == 2  # the （五） and （六） blocks
    assert report["t2.gov_procurement.total_amount"] == xxgk.report.model.Decimal("1.77")
    assert report.cells["t2.gov_procurement.total_amount"].raw == "1.77万元"


def test_seed_template_comes_from_tables_not_year():
    report = xxgk.parse(SEEDS / "000_bc477244ecc46112.txt")
    assert (report.template, report.year) == ("gov2019", 2021)


def test_seed_sections_found_in_order():
    for path in SEED_FILES:
        report = xxgk.parse(path)
        assert [s.key for s in report.sections] == ["s1", "s2", "s3", "s4", "s5", "s6"], path.name


def test_text_view_shows_every_table():
    out = subprocess.run(
        [sys.executable, "-m", "xxgk.cli", "parse", str(SEEDS / "002_69dc6e22679cfd75.txt"), "--format", "text"],
        capture_output=True,
        text=True,
        check=True,
        env={"COLUMNS": "160", "PATH": "", "PYTHONIOENCODING": "utf-8"},
    )
    for word in ("上饶市工业和信息化局", "表二", "表三", "表四", "行政规范性文件", "空"):
        assert word in out.stdout


def test_damaged_labels_read_the_same_and_are_recorded():
    path = SEEDS / "002_69dc6e22679cfd75.txt"
    text = path.read_text(encoding="utf-8")
    damaged = (
        text.replace("\t规范性文件", "\t規範性檔案")
        .replace("2.其他法律行政法规禁止公开", "2.其他法律行政止公开")
        .replace("\t商业企业", "\t商业 企业")
        .replace("1.属于国家秘密", "1、属于国家秘密")
    )
    assert damaged != text
    original, report = xxgk.parse(path), xxgk.parse(damaged.encode("utf-8"))
    assert report == original
    kinds = {(d.row or d.column, d.kind) for d in report.deviations}
    assert ("normative_docs", "traditional") in kinds
    assert ("result.denied.law_prohibited", "wording") in kinds
    assert ("result.denied.state_secret", "numbering") in kinds


def test_gov2021_report_with_the_single_2019_other_row():
    """2023/2024 reports mix the 2021 表二 with the single （六）其他处理 row of 2019 (templates.md §0)."""
    lines = (SEEDS / "004_be19f74464ca47e9.txt").read_text(encoding="utf-8").splitlines()
    i = next(k for k, line in enumerate(lines) if "(六) 其他处理" in line)
    lines[i : i + 3] = ["\t(六) 其他处理\t0\t0\t0\t0\t0\t2\t2"]
    report = xxgk.parse("\n".join(lines).encode("utf-8"))
    assert report.template == "gov2021"
    assert report["t3.result.other.other.total"] == 2
    assert report["t3.result.other.other.other_org"] == 2
    assert report["t3.result.other.no_correction.total"] is None
    assert report["t3.result.other.unpaid_fee.total"] is None
    missing = {d.row for d in report.deviations if d.kind == "missing_row"}
    assert missing == {"result.other.no_correction", "result.other.unpaid_fee"}


def test_title_without_a_year_still_names_the_agency():
    text = (SEEDS / "004_be19f74464ca47e9.txt").read_text(encoding="utf-8")
    text = text.replace("海州区工业和信息化局 2022 年政府信息公开工作年度报告", "海州区工业和信息化局政府信息公开工作年度报告")
    report = xxgk.parse(text.encode("utf-8"))
    assert (report.year, report.agency) == (None, "海州区工业和信息化局")
    assert any(w.code == "meta.year" for w in report.warnings)


def test_heading_in_traditional_characters_is_recorded():
    text = (SEEDS / "004_be19f74464ca47e9.txt").read_text(encoding="utf-8")
    text = text.replace("五、存在的主要问题及改进情况", "五、存在的主要問題及改進情況")
    report = xxgk.parse(text.encode("utf-8"))
    assert [s.key for s in report.sections] == ["s1", "s2", "s3", "s4", "s5", "s6"]
    assert [(d.section, d.kind) for d in report.deviations] == [("s5", "traditional")]


_IMPORTS = """
import sys
import xxgk
for path in sys.argv[1:]:
    xxgk.parse(path)
heavy = [m for m in ("numpy", "PIL", "pypdfium2", "xxgk.readers.ocr", "xxgk.readers.pdf") if m in sys.modules]
print(",".join(heavy))
"""


def test_text_reports_are_read_without_loading_the_scan_and_pdf_readers():
    # `xxgk parse` on a text, HTML or Word report starts without NumPy, Pillow or pypdfium2
    out = subprocess.run(
        [sys.executable, "-c", _IMPORTS, *map(str, SEED_FILES)], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == ""


def test_the_scan_and_pdf_readers_are_there_when_asked_for():
    from xxgk import readers

    assert callable(readers.read_pdf) and callable(readers.read_image) and callable(readers.read_legacy)
    with pytest.raises(AttributeError):
        readers.read_nothing  # noqa: B018
