"""The modules built to C with mypyc, and whether this installation runs them compiled.

Parsing spends its time in these modules: the table-reading HTML and text readers, the
extractor, label matching and value parsing.  ``setup.py`` compiles them with mypyc when the
package is installed, and records a hash of each one's source in :data:`SOURCES_FILE`.  Where no
C compiler is at hand the package installs and runs as plain Python, with the same results,
only slower.

The Python sources are used instead of the compiled modules, all of them together, when
``XXGK_PURE_PYTHON=1`` is set, or when a source no longer matches what was compiled (a source
checkout edited since ``pip install -e .``): compiled code never runs stale.  The modules
compiled together call each other directly, so they are never mixed with their sources.

Some work is done faster still by Cython modules (:data:`NATIVE`) reading libxml2's nodes
through lxml's C API.  They are accelerators the Python code asks for with :func:`native` and
does without when they are absent: the same results come from the Python path.  ``setup.py``
builds them (optionally) and records their ``.pyx`` hashes in the same file; one that is stale,
or any when ``XXGK_PURE_PYTHON=1`` is set, is never used.

``setup.py`` reads this file before the package can be imported: at module level it imports
only the standard library.
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.util
import json
import os
import sys
from pathlib import Path

MODULES = (
    "xxgk.memo",
    "xxgk.nfkc",
    "xxgk.labels.normalize",
    "xxgk.values.parse",
    "xxgk.readers.html",
    "xxgk.readers.text",
    "xxgk.extract.rows",
    "xxgk.extract.digits",
    "xxgk.extract.tables",
    "xxgk.extract.sections",
    "xxgk.extract.detect",
    "xxgk.extract.metadata",
    "xxgk.extract",
)

#: Cython modules, each built from a ``.pyx`` beside it: used through :func:`native`
NATIVE = ("xxgk.readers.html_tables", "xxgk.readers.page_scan")

#: written by setup.py next to this file: module name -> SHA-256 of the source compiled
SOURCES_FILE = "compiled_sources.json"
PURE_ENV = "XXGK_PURE_PYTHON"

_PACKAGE_DIR = Path(__file__).resolve().parent


def source_path(name: str, root: Path) -> Path:
    """The source file of module ``name`` under ``root`` (the folder holding the ``xxgk`` package)."""
    base = root.joinpath(*name.split("."))
    return base / "__init__.py" if base.is_dir() else base.with_suffix(".py")


def native_source_path(name: str, root: Path) -> Path:
    """The Cython source of native module ``name`` under ``root``."""
    return root.joinpath(*name.split(".")).with_suffix(".pyx")


def source_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def pure_python_wanted() -> bool:
    return os.environ.get(PURE_ENV, "") not in ("", "0")


def _recorded() -> dict | None:
    try:
        recorded = json.loads((_PACKAGE_DIR / SOURCES_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return recorded if isinstance(recorded, dict) else None


def stale_modules() -> list[str]:
    """Modules whose source differs from what was compiled (all of them if nothing was recorded)."""
    return _stale(MODULES, source_path)


def stale_native() -> list[str]:
    """Native modules whose ``.pyx`` differs from what was built (all if nothing was recorded)."""
    return _stale(NATIVE, native_source_path)


def _stale(names, path_of) -> list[str]:
    recorded = _recorded()
    if recorded is None:
        return list(names)
    out = []
    for name in names:
        path = path_of(name, _PACKAGE_DIR.parent)
        try:
            if recorded.get(name) != source_hash(path):
                out.append(name)
        except OSError:  # no source next to the compiled module (a wheel may leave it out)
            continue
    return out


class _SourceFinder(importlib.abc.MetaPathFinder):
    """Finds the modules of :data:`MODULES` as their Python sources, ahead of any shared library."""

    def find_spec(self, fullname, path, target=None):
        if fullname not in MODULES:
            return None
        file = source_path(fullname, _PACKAGE_DIR.parent)
        if not file.is_file():
            return None
        locations = [str(file.parent)] if file.name == "__init__.py" else None
        return importlib.util.spec_from_file_location(fullname, file, submodule_search_locations=locations)


def choose() -> None:
    """Called by ``xxgk/__init__`` before anything else: load sources when asked or when stale."""
    if any(isinstance(f, _SourceFinder) for f in sys.meta_path):
        return
    if pure_python_wanted() or stale_modules():
        sys.meta_path.insert(0, _SourceFinder())


def native(name: str):
    """Native module ``name`` (one of :data:`NATIVE`) when it is built, fresh and wanted, else None."""
    if pure_python_wanted() or name in stale_native():
        return None
    try:
        return importlib.import_module(name)
    except ImportError:  # not built (no compiler), or built against another lxml
        return None


def status() -> dict[str, bool]:
    """Each module of :data:`MODULES` and whether it is loaded compiled (not from its ``.py``)."""
    return {name: not str(importlib.import_module(name).__file__).endswith(".py") for name in MODULES}
