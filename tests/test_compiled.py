"""The parsing modules compiled with mypyc read exactly what their Python sources read.

``.ci/run`` sets ``XXGK_EXPECT_COMPILED=1``: there the package must have been built compiled,
so the whole suite runs the compiled code.  The sources are always at hand as well
(``XXGK_PURE_PYTHON=1`` selects them), and every format is parsed both ways and compared.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

import xxgk
from xxgk import compiled
from xxgk.report.jsonio import dumps, report_to_dict
from xxgk.templates import TEMPLATES
from xxgk.testing import WRITERS, random_report

SEEDS = Path(__file__).parent / "seeds"


def _inputs() -> list[tuple[str, bytes]]:
    out = []
    for k in range(6):
        rng = random.Random(4000 + k)
        template = TEMPLATES[sorted(TEMPLATES)[k % len(TEMPLATES)]]
        report = random_report(rng, template, blank_rate=0.05 * (k % 2))
        for fmt, write in WRITERS.items():
            data = write(report, rng)
            out.append((f"{fmt}-{k}", data if isinstance(data, bytes) else data.encode("utf-8")))
    for path in sorted(SEEDS.glob("*")):
        if path.suffix != ".json":
            out.append((path.name, path.read_bytes()))
    return out


def _parse_all(inputs: list[tuple[str, bytes]]) -> dict[str, str]:
    out = {}
    for name, data in inputs:
        try:
            out[name] = dumps(report_to_dict(xxgk.parse(data)))
        except xxgk.XxgkError as exc:
            out[name] = f"error: {exc}"
    return out


_CHILD = """
import json, pickle, sys
sys.path.insert(0, {tests!r})
from test_compiled import _parse_all
import xxgk.compiled
inputs = pickle.load(sys.stdin.buffer)
print(json.dumps({{"status": xxgk.compiled.status(), "parsed": _parse_all(inputs)}}))
"""


def test_compiled_and_python_sources_parse_alike(tmp_path):
    import pickle

    inputs = _inputs()
    env = dict(os.environ, XXGK_PURE_PYTHON="1")
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD.format(tests=str(Path(__file__).parent))],
        input=pickle.dumps(inputs),
        capture_output=True,
        env=env,
        timeout=600,
        check=True,
    )
    child = json.loads(proc.stdout)
    assert not any(child["status"].values()), "XXGK_PURE_PYTHON=1 must load every module from its source"
    here = _parse_all(inputs)
    assert here.keys() == child["parsed"].keys()
    differ = [name for name in here if here[name] != child["parsed"][name]]
    assert not differ, f"compiled and Python parses differ for {differ}"
    assert sum(not v.startswith("error:") for v in here.values()) >= len(WRITERS) * 6


@pytest.mark.skipif(os.environ.get("XXGK_EXPECT_COMPILED") != "1", reason="the build is not required to be compiled here")
def test_ci_runs_the_compiled_modules():
    status = compiled.status()
    assert all(status.values()), f"modules not compiled: {[k for k, v in status.items() if not v]}"
    assert not compiled.stale_modules()


def test_an_edited_source_is_loaded_instead_of_stale_compiled_code(tmp_path, monkeypatch):
    """A module whose source changed since it was compiled (an edited checkout) is stale; then
    every module is found as its source, never compiled code beside an edited source."""
    from .compiled_support import copy_sources  # (here: a child process imports this file as a top-level module)

    package = copy_sources(tmp_path, compiled.source_path, compiled.MODULES)
    monkeypatch.setattr(compiled, "_PACKAGE_DIR", package)
    assert compiled.stale_modules() == list(compiled.MODULES)  # nothing recorded: all stale

    record = {name: compiled.source_hash(compiled.source_path(name, tmp_path)) for name in compiled.MODULES}
    (package / compiled.SOURCES_FILE).write_text(json.dumps(record), encoding="utf-8")
    assert compiled.stale_modules() == []
    tables = package / "extract" / "tables.py"
    tables.write_text(tables.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert compiled.stale_modules() == ["xxgk.extract.tables"]

    finder = compiled._SourceFinder()
    spec = finder.find_spec("xxgk.extract", None)
    assert spec.origin == str(package / "extract" / "__init__.py") and spec.submodule_search_locations
    assert finder.find_spec("xxgk.extract.tables", None).origin == str(tables)
    assert finder.find_spec("xxgk.checks", None) is None
