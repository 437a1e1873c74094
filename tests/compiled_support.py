"""Copies of the package's sources, for the tests of stale compiled code."""

from __future__ import annotations

from pathlib import Path

from xxgk import compiled


def copy_sources(tmp_path: Path, source_of, names) -> Path:
    """Copy the source file ``source_of(name, root)`` of each module into ``tmp_path`` (same
    layout as under ``src/``) and return the copied package's folder."""
    sources = Path(compiled.__file__).resolve().parent.parent
    for name in names:
        origin = source_of(name, sources)
        target = tmp_path / origin.relative_to(sources)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(origin.read_bytes())
    return tmp_path / "xxgk"
