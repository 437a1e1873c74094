"""Build hook: compile the parsing modules (``xxgk.compiled.MODULES``) to C with mypyc.

Everything else about the package is in ``pyproject.toml``.  Compiling is skipped, and the
package installs as plain Python, when ``XXGK_PURE_PYTHON=1`` is set or mypyc cannot be used; a
module whose C fails to compile is left as Python (the extensions are optional).  The hash of
each compiled source is recorded, so that an edited source is never shadowed by stale C
(see ``xxgk.compiled``).
"""

import json
import os
import runpy
from pathlib import Path

from setuptools import setup

SRC = Path(__file__).resolve().parent / "src"


def _extensions():
    compiled = runpy.run_path(str(SRC / "xxgk" / "compiled.py"))
    record = SRC / "xxgk" / compiled["SOURCES_FILE"]
    record.unlink(missing_ok=True)
    if os.environ.get(compiled["PURE_ENV"], "") not in ("", "0"):
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        return []
    paths = {name: compiled["source_path"](name, SRC) for name in compiled["MODULES"]}
    extensions = mypycify(
        ["--ignore-missing-imports", "--follow-imports=silent", *(str(p.relative_to(SRC.parent)) for p in paths.values())],
        opt_level="3",
    )
    for extension in extensions:
        extension.optional = True
    record.write_text(json.dumps({name: compiled["source_hash"](p) for name, p in paths.items()}, indent=1))
    return extensions


setup(ext_modules=_extensions())
