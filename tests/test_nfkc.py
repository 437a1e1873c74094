"""xxgk.nfkc.nfkc is unicodedata's NFKC, character by character only where that is exact."""

from __future__ import annotations

import sys
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from xxgk import nfkc as module
from xxgk.nfkc import nfkc


def _reference(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def test_every_character_alone_and_in_a_long_text():
    """Alone (as labels are, left to unicodedata) and after 16 full-width commas (a text long
    enough, and not normalised, so read character by character when it can be)."""
    pad = "，" * module._SHORT
    assert module._OTHER.search(pad) is None
    wrong = [cp for cp in range(sys.maxunicode + 1) if nfkc(chr(cp)) != _reference(chr(cp))]
    wrong += [cp for cp in range(sys.maxunicode + 1) if nfkc(pad + chr(cp)) != _reference(pad + chr(cp))]
    assert wrong == []


def test_characters_normalised_alone_never_compose_with_a_neighbour():
    """The reason joining per-character results is exact: nothing in a text made only of these
    characters has a combining class, and nothing they give is ever the second part of a
    canonical decomposition, so canonical composition and reordering find nothing to do."""
    seconds = set()
    for cp in range(sys.maxunicode + 1):
        decomposed = unicodedata.normalize("NFD", chr(cp))
        seconds.update(decomposed[1:])
    produced = set(module._SAFE) | {x for image in module._CHANGES.values() for x in image}
    assert not produced & seconds
    assert all(unicodedata.combining(x) == 0 for x in produced)


def test_the_fast_path_covers_chinese_report_text():
    prose = "2024年，本机关认真贯彻落实《中华人民共和国政府信息公开条例》（国务院令第711号）：①主动公开；㈠依申请公开。"
    assert len(prose) > module._SHORT and module._OTHER.search(prose) is None
    assert nfkc(prose) == _reference(prose)
    assert nfkc("（三）不予公开") == "(三)不予公开"
    assert nfkc("规章") == "规章"


# characters from the blocks read one by one, the characters around them that do compose
# (combining marks, Hangul jamo, Indic vowel signs), and anything else
_TRICKY = "\u0301\u0308\u0323\u1100\u1161\u11a8\u0b3e\u0bbe\u09be\uffc2\u3131\u314f\u212b\u2126e\u0041"
_alphabet = st.one_of(
    st.sampled_from(module._SAFE[::7]),
    st.sampled_from(sorted(module._CHANGES)),
    st.sampled_from(_TRICKY),
    st.characters(),
)


@settings(max_examples=3000, deadline=None)
@given(st.text(_alphabet, max_size=60))
def test_any_text(text):
    assert nfkc(text) == _reference(text)
