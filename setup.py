"""Build hook: compile the parsing modules (``xxgk.compiled.MODULES``) to C with mypyc, and the
Cython accelerators (``xxgk.compiled.NATIVE``) against lxml's C API.

Everything else about the package is in ``pyproject.toml``.  Compiling is skipped, and the
package installs as plain Python, when ``XXGK_PURE_PYTHON=1`` is set or mypyc / Cython cannot be
used; a module whose C fails to compile is left as Python, and an accelerator that fails to
build is left out (the extensions are optional).  The hash of each compiled source is recorded,
so that an edited source is never shadowed by stale C (see ``xxgk.compiled``).
"""

import json
import os
import runpy
from pathlib import Path

from setuptools import Extension, setup

SRC = Path(__file__).resolve().parent / "src"


def _mypyc(compiled, record: dict) -> list:
    try:
        from mypyc.build import mypycify
    except ImportError:
        return []
    paths = {name: compiled["source_path"](name, SRC) for name in compiled["MODULES"]}
    extensions = mypycify(
        ["--ignore-missing-imports", "--follow-imports=silent", *(str(p.relative_to(SRC.parent)) for p in paths.values())],
        opt_level="3",
    )
    record.update({name: compiled["source_hash"](p) for name, p in paths.items()})
    return extensions


def _cython(compiled, record: dict) -> list:
    try:
        import lxml
        from Cython.Build import cythonize
    except ImportError:
        return []
    paths = {name: compiled["native_source_path"](name, SRC) for name in compiled["NATIVE"]}
    extensions = [
        Extension(name, [str(p.relative_to(SRC.parent))], include_dirs=lxml.get_include()) for name, p in paths.items()
    ]
    extensions = cythonize(extensions, build_dir="build/cython", language_level=3, quiet=True)
    record.update({name: compiled["source_hash"](p) for name, p in paths.items()})
    return extensions


def _extensions():
    compiled = runpy.run_path(str(SRC / "xxgk" / "compiled.py"))
    path = SRC / "xxgk" / compiled["SOURCES_FILE"]
    path.unlink(missing_ok=True)
    if os.environ.get(compiled["PURE_ENV"], "") not in ("", "0"):
        return []
    record: dict = {}
    extensions = _mypyc(compiled, record) + _cython(compiled, record)
    for extension in extensions:
        extension.optional = True
    if record:
        path.write_text(json.dumps(record, indent=1))
    return extensions


setup(ext_modules=_extensions())
