"""`xxgk check` as scripts and reviewers call it (spec/interface.md)."""

from __future__ import annotations

import dataclasses
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from xxgk.report.model import CellStatus, CellValue
from xxgk.templates import GOV2021
from xxgk.testing import WRITERS, random_report

from .conftest import SEEDS


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "xxgk.cli", "check", *args], capture_output=True, text=True, cwd=cwd, timeout=120
    )


@pytest.mark.parametrize(
    "seed,code",
    [("000_bc477244ecc46112", 1), ("001_63ce3d751c5ce596", 0), ("002_69dc6e22679cfd75", 0), ("003_b09c830211926ec9", 1), ("004_be19f74464ca47e9", 0)],
)
def test_exit_code_follows_error_findings(seed, code):
    out = run(str(SEEDS / f"{seed}.txt"), "--format", "json")
    assert out.returncode == code, out.stderr
    data = json.loads(out.stdout)
    (report,) = data["reports"]
    assert set(report) >= {"file", "template", "year", "agency", "findings"}
    for f in report["findings"]:
        assert set(f) >= {"rule", "severity", "message", "location"}
        assert f["severity"] in ("error", "warning", "info")
    assert any(f["severity"] == "error" for f in report["findings"]) == (code == 1)


def test_unreadable_file_does_not_stop_the_batch(tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_bytes(b"")
    out = run(str(SEEDS / "004_be19f74464ca47e9.txt"), str(bad), "--format", "json")
    assert out.returncode == 2
    data = json.loads(out.stdout)
    assert [r["agency"] for r in data["reports"]] == ["海州区工业和信息化局"]
    assert data["errors"][0]["file"].endswith("bad.html")
    assert len(out.stderr.strip().splitlines()) == 1 and "Traceback" not in out.stderr


def test_text_output_is_grouped_and_most_severe_first():
    out = run(str(SEEDS / "003_b09c830211926ec9.txt"), str(SEEDS / "002_69dc6e22679cfd75.txt"))
    assert out.returncode == 1
    text = out.stdout
    assert text.index("003_b09c830211926ec9") < text.index("002_69dc6e22679cfd75")
    block = text[text.index("003_b09c830211926ec9") : text.index("002_69dc6e22679cfd75")]
    assert block.index("错误") < block.index("提示")
    assert "narrative.no_application" in block and "应为 1，实际 0" in block


def _write(report, path: Path) -> Path:
    path.write_text(WRITERS["text-cells"](report, random.Random(0)), encoding="utf-8")
    return path


def test_reports_of_one_agency_are_checked_across_years(tmp_path):
    rng = random.Random(7)
    earlier = random_report(rng, GOV2021, year=2022, agency="测试县财政局")
    later = random_report(rng, GOV2021, year=2023, agency="测试县财政局")
    # make this year's carried-over differ from last year's carried-forward in one column
    key = "t3.carried_over.natural_person"
    before = earlier["t3.carried_forward.natural_person"]
    cells = dict(later.cells)
    delta = before + 5 - later[key]
    cells[key] = CellValue(key, before + 5, CellStatus.GIVEN)
    for k in ("t3.carried_over.total", "t3.new_received.natural_person", "t3.new_received.total"):
        cells[k] = CellValue(k, later[k] + (delta if "carried" in k else -delta), CellStatus.GIVEN)
    later = dataclasses.replace(later, cells=cells)
    if any(later[k] < 0 for k in cells if later[k] is not None):
        pytest.skip("generated counts too small for this edit")
    a, b = _write(earlier, tmp_path / "a.txt"), _write(later, tmp_path / "b.txt")
    data = json.loads(run(str(b), str(a), "--format", "json").stdout)
    by_year = {r["year"]: r for r in data["reports"]}
    rules_2023 = [f["rule"] for f in by_year[2023]["findings"]]
    assert "crossyear.carried_over" in rules_2023
    assert not [f for f in by_year[2022]["findings"] if f["rule"].startswith("crossyear.")]
    # alone, the later report has nothing to compare with
    alone = json.loads(run(str(b), "--format", "json").stdout)["reports"][0]
    assert not [f for f in alone["findings"] if f["rule"].startswith("crossyear.")]


def test_config_file_is_discovered_and_applied(tmp_path):
    work = tmp_path / "office" / "2023"
    work.mkdir(parents=True)
    (tmp_path / "office" / "xxgk.toml").write_text('[rules]\ndisable = ["label.*"]\n[rules.severity]\n"cell.blank" = "error"\n', encoding="utf-8")
    seed = str(SEEDS / "002_69dc6e22679cfd75.txt")
    out = run(seed, "--format", "json", cwd=work)
    assert out.returncode == 1  # blanks are errors here
    rules = {f["rule"]: f["severity"] for f in json.loads(out.stdout)["reports"][0]["findings"]}
    assert rules.get("cell.blank") == "error"
    assert not [r for r in rules if r.startswith("label.")]


def test_bad_config_is_one_line_exit_2(tmp_path):
    cfg = tmp_path / "bad.toml"
    cfg.write_text("[rules\n", encoding="utf-8")
    out = run(str(SEEDS / "004_be19f74464ca47e9.txt"), "--config", str(cfg))
    assert out.returncode == 2
    assert len(out.stderr.strip().splitlines()) == 1 and "Traceback" not in out.stderr


def test_published_identity_break_is_reported_not_fixed(tmp_path):
    text = (SEEDS / "004_be19f74464ca47e9.txt").read_text(encoding="utf-8")
    broken = text.splitlines()
    i = max(k for k, line in enumerate(broken) if line.startswith("0\t0\t0"))
    broken[i] = "10\t1\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0"  # 复议 维持 10, 纠正 1, 总计 0
    path = tmp_path / "broken.txt"
    path.write_text("\n".join(broken), encoding="utf-8")
    data = json.loads(run(str(path), "--format", "json").stdout)
    (finding,) = [f for f in data["reports"][0]["findings"] if f["rule"] == "identity.t4_total"]
    assert finding["expected"] == 11 and finding["actual"] == 0
    assert finding["location"]["table"] == "t4"
    parsed = json.loads(
        subprocess.run([sys.executable, "-m", "xxgk.cli", "parse", str(path)], capture_output=True, text=True).stdout
    )
    assert parsed["t4"]["review"] == {"upheld": 10, "corrected": 1, "other": 0, "pending": 0, "total": 0}
