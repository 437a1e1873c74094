"""Random valid reports, written in the layouts seen in the wild, read back exactly."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import xxgk
from xxgk.report.model import CellStatus
from xxgk.templates import TEMPLATES
from xxgk.testing import WRITERS, random_report, to_text_runs

templates = st.sampled_from(sorted(TEMPLATES))
seeds = st.integers(min_value=0, max_value=2**32 - 1)
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _roundtrip(writer_name: str, template: str, seed: int, blank_rate: float) -> None:
    rng = random.Random(seed)
    report = random_report(rng, TEMPLATES[template], blank_rate=blank_rate)
    data = WRITERS[writer_name](report, rng)
    got = xxgk.parse(data.encode("utf-8") if isinstance(data, str) else data)
    assert got.template == report.template
    assert (got.year, got.agency) == (report.year, report.agency)
    diff = {k: (report[k], got[k]) for k in report.cells if report[k] != got[k]}
    assert not diff
    # null is not zero: every blank published cell is null and says so
    for key, cell in got.cells.items():
        if report[key] is None:
            assert cell.status is CellStatus.BLANK


@SETTINGS
@given(template=templates, seed=seeds, blank_rate=st.sampled_from([0.0, 0.0, 0.05, 0.3]))
def test_text_one_cell_per_line(template, seed, blank_rate):
    _roundtrip("text-cells", template, seed, blank_rate)


@SETTINGS
@given(template=templates, seed=seeds)
def test_text_tab_separated_rows(template, seed):
    # ragged padding next to blank cells is ambiguous in this style; see test_ragged_blanks
    _roundtrip("text-rows", template, seed, 0.0)


@SETTINGS
@given(template=templates, seed=seeds, blank_rate=st.sampled_from([0.0, 0.05, 0.3]))
def test_html(template, seed, blank_rate):
    _roundtrip("html", template, seed, blank_rate)


@SETTINGS
@given(template=templates, seed=seeds, blank_rate=st.sampled_from([0.0, 0.05, 0.3]))
def test_docx(template, seed, blank_rate):
    _roundtrip("docx", template, seed, blank_rate)


@SETTINGS
@given(template=templates, seed=seeds, blank_rate=st.sampled_from([0.05, 0.3]))
def test_text_rows_with_blanks_never_wrong(template, seed, blank_rate):
    """With ragged tabs and blank cells a position can be undecidable: then null, never a wrong number."""
    rng = random.Random(seed)
    report = random_report(rng, TEMPLATES[template], blank_rate=blank_rate)
    got = xxgk.parse(WRITERS["text-rows"](report, rng).encode())
    for key in report.cells:
        if got[key] is not None:
            assert got[key] == report[key], key


@SETTINGS
@given(template=templates, seed=seeds)
def test_crawler_digit_runs_never_guess(template, seed):
    """Numbers run together: a cell is exact or null with a warning, never a wrong number."""
    rng = random.Random(seed)
    report = random_report(rng, TEMPLATES[template], big=False)
    got = xxgk.parse(to_text_runs(report, rng).encode())
    for key in report.cells:
        cell = got.cells[key]
        if cell.value is None:
            assert cell.status in (CellStatus.UNREADABLE, CellStatus.BLANK, CellStatus.MISSING)
        else:
            assert cell.value == report[key], key
    if any(c.value is None for c in got.cells.values()):
        assert any(w.code.startswith("digits.") or w.code == "row.cell_count" for w in got.warnings)
