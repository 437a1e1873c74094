""".doc / .wps / .rtf through LibreOffice (xxgk.office): read exactly like the DOCX they came from;
a broken file, a missing LibreOffice or a hung conversion is one line and exit code 2.

The legacy files are made here, at test time, by LibreOffice from the renderer's own DOCX.
Tests that need LibreOffice skip when ``soffice`` is absent (.ci/run installs it).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import xxgk
from xxgk import limits, office
from xxgk.readers import read_document, sniff
from xxgk.render.docx import render_docx

from .conftest import SEEDS
from .test_hostile import assert_refused

needs_soffice = pytest.mark.skipif(not office.available(), reason="LibreOffice (soffice) is not installed")

SEED_FILES = sorted(SEEDS.glob("*.txt"))
#: 000 is on the 2019 tables, 002 and 004 on the 2021 ones
LEGACY_SEEDS = [p for p in SEED_FILES if p.name[:3] in ("000", "002", "004")]
CORRUPT_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512)
GARBAGE_RTF = b"{\\rtf1\\ansi " + bytes(range(256)) * 4


def run_cli(path: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "xxgk.cli", "parse", str(path)],
        capture_output=True,
        text=True,
        errors="replace",
        timeout=120,
        env={**os.environ, **(env or {})},
    )



def _record_processes(monkeypatch) -> list[subprocess.Popen]:
    """The processes office.convert starts, recorded as it starts them."""
    started: list[subprocess.Popen] = []
    real_popen = subprocess.Popen

    def spy(*args, **kwargs):
        proc = real_popen(*args, **kwargs)
        started.append(proc)
        return proc

    monkeypatch.setattr(office.subprocess, "Popen", spy)
    return started

def _live_members(pgid: int) -> list[int]:
    """Processes of a process group that are still running (zombies waiting for a reaper are not)."""
    live = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        state, pgrp = fields[0], int(fields[2])
        if pgrp == pgid and state not in ("Z", "X"):
            live.append(int(entry.name))
    return live


def test_sniff_recognises_legacy_word():
    assert sniff(CORRUPT_OLE2) == "doc"
    assert sniff(b"{\\rtf1\\ansi hello}") == "rtf"


@pytest.fixture(scope="module")
def legacy_files():
    """seed file -> (report read from the seed, {"docx"|"doc"|"rtf": bytes})."""
    if not office.available():
        pytest.skip("LibreOffice (soffice) is not installed")
    files = {}
    for seed in LEGACY_SEEDS:
        report = xxgk.parse(seed)
        docx = render_docx(report)
        files[seed.name] = (report, {"docx": docx, "doc": office.convert(docx, ".docx", "doc"),
                                     "rtf": office.convert(docx, ".docx", "rtf")})  # fmt: skip
    return files


@needs_soffice
@pytest.mark.parametrize("kind", ["doc", "rtf"])
@pytest.mark.parametrize("seed", LEGACY_SEEDS, ids=[p.stem[:3] for p in LEGACY_SEEDS])
def test_legacy_word_reads_like_the_docx(legacy_files, seed, kind):
    report, files = legacy_files[seed.name]
    data = files[kind]
    assert sniff(data) == kind
    from_docx = xxgk.parse(files["docx"])
    got = xxgk.parse(data, name=f"report.{kind}")
    assert got.source.format == kind
    assert (got.template, got.year, got.agency) == (from_docx.template, from_docx.year, from_docx.agency)
    assert {k: got[k] for k in got.cells} == {k: from_docx[k] for k in from_docx.cells}
    assert {k: got[k] for k in got.cells} == {k: report[k] for k in report.cells}
    assert [c.status for c in got.cells.values()] == [c.status for c in from_docx.cells.values()]


@needs_soffice
def test_legacy_word_tables_keep_their_merges(legacy_files):
    """表二 and 表三 keep every merge.  表四 keeps its rows, texts and vertical merges; LibreOffice
    rounds its fifteen equal columns to relative positions and adds a one-twip sliver column
    between 总计 and 行政诉讼, so two of its cells span one grid column more (the data is exact)."""
    _, files = legacy_files[LEGACY_SEEDS[-1].name]
    want = read_document(files["docx"])
    for kind in ("doc", "rtf"):
        doc = read_document(files[kind])
        assert doc.format == kind
        assert len(doc.tables) == len(want.tables) == 3
        for i, (a, b) in enumerate(zip(doc.tables, want.tables)):
            spans = (lambda c: (c.text, c.rowspan, c.colspan)) if i < 2 else (lambda c: (c.text, c.rowspan))
            assert [[spans(c) for c in row] for row in a.rows] == [[spans(c) for c in row] for row in b.rows]


@needs_soffice
@pytest.mark.parametrize(
    "name, data, fragment",
    [("broken.doc", CORRUPT_OLE2, "legacy Word file"), ("broken.wps", CORRUPT_OLE2, "legacy Word file"),
     ("broken.rtf", GARBAGE_RTF, "RTF file")],  # fmt: skip
)
def test_cli_refuses_a_broken_legacy_file_in_one_line(tmp_path, name, data, fragment):
    path = tmp_path / name
    path.write_bytes(data)
    assert_refused(run_cli(path), fragment, "conversion failed")


def test_cli_without_libreoffice_says_so_in_one_line(tmp_path):
    path = tmp_path / "old.doc"
    path.write_bytes(CORRUPT_OLE2)
    empty = tmp_path / "bin"
    empty.mkdir()
    proc = run_cli(path, env={"PATH": str(empty)})
    assert_refused(proc, "LibreOffice is not installed", "legacy Word file")


def test_convert_without_libreoffice(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert not office.available()
    with pytest.raises(office.OfficeError, match="LibreOffice is not installed"):
        office.convert(b"{\\rtf1 x}", ".rtf", "docx")


def test_convert_refuses_input_over_the_limit(monkeypatch):
    monkeypatch.setattr(limits, "MAX_INPUT_BYTES", 100)
    with pytest.raises(office.OfficeError, match="file too large"):
        office.convert(b"{\\rtf1 " + b"x" * 200 + b"}", ".rtf", "docx")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to see processes")
def test_a_hung_conversion_is_killed_with_everything_it_started(monkeypatch, tmp_path):
    """A stand-in soffice that never finishes and leaves a child behind: both are killed."""
    pids = tmp_path / "pids"
    fake = tmp_path / "soffice"
    fake.write_text(f'#!/bin/sh\nsleep 600 &\necho $! >> "{pids}"\necho $$ >> "{pids}"\nwait\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    started = _record_processes(monkeypatch)
    with pytest.raises(office.OfficeError, match="conversion timed out"):
        office.convert(b"{\\rtf1 x}", ".rtf", "docx", timeout=0.5)
    (proc,) = started
    assert proc.returncode is not None  # reaped
    assert os.getpgid(os.getpid()) != proc.pid  # it ran in a group of its own
    recorded = [int(x) for x in pids.read_text().split()]
    assert len(recorded) == 2
    assert _live_members(proc.pid) == []


@needs_soffice
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to see processes")
def test_real_libreoffice_out_of_time_is_killed(monkeypatch):
    started = _record_processes(monkeypatch)
    with pytest.raises(office.OfficeError, match="conversion timed out") as info:
        office.convert(b"{\\rtf1\\ansi 2022}", ".rtf", "docx", timeout=0.05)
    assert "\n" not in str(info.value)
    (proc,) = started
    assert _live_members(proc.pid) == []
