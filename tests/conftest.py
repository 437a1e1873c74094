from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from xxgk.report.jsonio import flatten  # noqa: F401  (re-exported for the tests)

HERE = Path(__file__).parent
SEEDS = HERE / "seeds"
SHARED_CORPUS = HERE.parent.parent / "shared" / "corpus"


def load_expected(path: Path) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    data.pop("expected_findings", None)
    return data


@pytest.fixture
def shared_corpus() -> Path:
    if not SHARED_CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    return SHARED_CORPUS
