"""The text memo behind label matching and value parsing: same answers, bounded size."""

from __future__ import annotations

import enum

from hypothesis import given
from hypothesis import strategies as st

from xxgk import memo
from xxgk.extract.rows import is_value_text
from xxgk.values.parse import is_blank


def test_answers_are_the_function_s_and_computed_once():
    calls = []

    @memo.memo_text
    def shout(text: str) -> str:
        calls.append(text)
        return text.upper()

    assert [shout(t) for t in ("ab", "cd", "ab", "ab")] == ["AB", "CD", "AB", "AB"]
    assert calls == ["ab", "cd"]
    assert shout.__name__ == "shout"


def test_long_texts_are_not_kept():
    @memo.memo_text
    def length(text: str) -> int:
        return len(text)

    long = "字" * (memo.MAX_TEXT + 1)
    assert length(long) == memo.MAX_TEXT + 1
    assert length.cache_size() == 0
    length("字" * memo.MAX_TEXT)
    assert length.cache_size() == 1


def test_the_cache_is_bounded():
    @memo.memo_text
    def same(text: str) -> str:
        return text

    for i in range(memo.CACHE_SIZE + 10):
        assert same(str(i)) == str(i)
    assert 0 < same.cache_size() <= memo.CACHE_SIZE


class Kind(str, enum.Enum):
    COUNT = "count"


def test_extra_arguments_are_told_apart_by_type():
    @memo.memo_text_args
    def describe(text: str, kind) -> str:
        return f"{text}:{type(kind).__name__}"

    assert describe("1", "count") == "1:str"
    assert describe("1", Kind.COUNT) == "1:Kind"  # equal to "count", but not the same argument
    assert describe("1", "count") == "1:str"
    assert describe.cache_size() == 2


@given(st.lists(st.sampled_from(["0", " 0", "—", "/", "1.5万元", "12 3", "规章", "", "\u3000", "0 0 0"]), max_size=12))
def test_cached_cell_tests_answer_as_computed(texts):
    # whatever the order texts are met in, the cached answer is the one the function computes
    for text in texts:
        assert is_blank(text) == is_blank.__wrapped__(text)
        assert is_value_text(text) == is_value_text.__wrapped__(text)
