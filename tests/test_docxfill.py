"""Word files filled into a layout rendered once read back as the report they were filled with."""

from __future__ import annotations

import hashlib
import io
import random
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import xxgk
from xxgk.report.model import CellStatus
from xxgk.templates import TEMPLATES
from xxgk.testing import random_report
from xxgk.testing.docxfill import DocxLayout

COMBOS = {(u, s) for u in (False, True) for s in (False, True)}


@pytest.fixture(scope="module")
def layouts() -> dict[tuple[str, bool, bool], DocxLayout]:
    """For each template a layout with and without units, with and without values split in runs."""
    out: dict[tuple[str, bool, bool], DocxLayout] = {}
    for key, spec in TEMPLATES.items():
        seed = 0
        while {(u, s) for t, u, s in out if t == key} != COMBOS:
            layout = DocxLayout(spec, random.Random(seed))
            out.setdefault((key, layout.units, layout.split), layout)
            seed += 1
            assert seed < 60
    return out


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(
    template=st.sampled_from(sorted(TEMPLATES)),
    combo=st.sampled_from(sorted(COMBOS)),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
    blank_rate=st.sampled_from([0.0, 0.05, 0.3]),
)
def test_a_filled_layout_reads_back_as_the_report(layouts, template, combo, seed, blank_rate):
    rng = random.Random(seed)
    report = random_report(rng, TEMPLATES[template], blank_rate=blank_rate)
    got = xxgk.parse(layouts[(template, *combo)].fill(report, rng))
    assert (got.template, got.year, got.agency, got.title) == (report.template, report.year, report.agency, report.title)
    assert {k: got[k] for k in report.cells} == {k: report[k] for k in report.cells}
    assert all(got.cells[k].status is CellStatus.BLANK for k in report.cells if report[k] is None)
    for section in report.sections:  # (the signature after the last section is read into it)
        assert section.text in got.section(section.key).text


def test_each_fill_is_its_own_file(layouts):
    layout = layouts[("gov2021", True, True)]
    spec = TEMPLATES["gov2021"]
    files = [layout.fill(random_report(random.Random(i), spec), random.Random(i)) for i in range(20)]
    assert len({hashlib.sha256(f).hexdigest() for f in files}) == len(files)
    for f in files:
        with zipfile.ZipFile(io.BytesIO(f)) as zf:
            assert zf.testzip() is None
            assert "word/styles.xml" in zf.namelist()


def test_a_report_of_other_parts_is_refused(layouts):
    layout = layouts[("gov2021", False, False)]
    other = random_report(random.Random(1), TEMPLATES["gov2019"])
    with pytest.raises(ValueError):
        layout.fill(other, random.Random(1))
