"""Normalising and comparing the labels of rows, columns and headings.

Published labels arrive damaged: full/half-width punctuation, spaces and line breaks inside
words, "1、" for "1.", traditional characters, typos.  :func:`core` reduces a label to what it
says (simplified characters, no enumerator, no punctuation or spaces) so that
:func:`similarity` can compare it with the official text; :func:`enumerator` keeps the
numbering apart so deviations in it can be reported.
"""

from __future__ import annotations

import re
from pathlib import Path
from functools import lru_cache
from typing import Final

from opencc import OpenCC
from rapidfuzz import fuzz, process

from ..memo import CACHE_SIZE, MAX_TEXT, memo_text, memo_text_args
from ..nfkc import nfkc

_TW2SP: Final = OpenCC("tw2sp")  # phrases too: 檔案 -> 文件, 資訊 -> 信息


def _traditional_characters() -> frozenset[str]:
    """Characters OpenCC's t2s table changes: their presence is what makes text traditional."""
    import opencc

    path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    out = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        trad, _, simp = line.partition("\t")
        if len(trad) == 1 and simp.split(" ")[0] != trad:
            out.add(trad)
    return frozenset(out)


_TRADITIONAL: Final = _traditional_characters()
# The set's characters of the Basic Multilingual Plane, and every character beyond it: the regex
# engine tests a character against a class of BMP characters with one bitmap look-up, far faster
# than hashing each character of the text into the set; beyond the BMP the set decides.
_MAYBE_TRADITIONAL: Final = re.compile(
    "[" + "".join(re.escape(ch) for ch in sorted(_TRADITIONAL) if ord(ch) <= 0xFFFF) + "\U00010000-\U0010FFFF]"
)


def has_traditional(text: str) -> bool:
    """True when ``text`` holds a character that simplified Chinese writes differently."""
    return _MAYBE_TRADITIONAL.search(text) is not None and not _TRADITIONAL.isdisjoint(text)

_CN_NUM = "一二三四五六七八九十"
_ENUM: Final = re.compile(
    rf"""^\s*(
        第[{_CN_NUM}\d]+[条项]\s* |             # not an enumerator: kept (第二十条第（一）项)
        [{_CN_NUM}]+\s*[、.．,，]\s* |          # 一、
        [(（]\s*[{_CN_NUM}\d]+\s*[)）]\s*[、.．]?\s* |   # （一） (1)
        \d+\s*[、.．,，)）]\s*(?!\d) |           # 1. 1、 1)
        [①②③④⑤⑥⑦⑧⑨⑩]\s*
    )""",
    re.X,
)
_PUNCT_WS: Final = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")
_QUOTES: Final = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "〝": '"', "〞": '"', "「": '"', "」": '"'})
# what _QUOTES changes: most texts hold none, and one search is far cheaper than str.translate
# (a dict look-up per character of a non-Latin text)
_QUOTE: Final = re.compile("[“”‘’〝〞「」]")


def _plain_nfkc(text: str) -> str:
    """``text`` (NFKC already) with curly quotes straightened and whitespace removed."""
    if _QUOTE.search(text) is not None:
        text = text.translate(_QUOTES)
    return _PUNCT_WS.sub("", text)  # (the text itself when there is no whitespace)


# The memoised functions below are bound as Final names to their wrappers (see xxgk.memo).
def _simplify(text: str) -> str:
    """NFKC, simplified characters, curly quotes straightened, whitespace removed."""
    text = _plain_nfkc(nfkc(text))
    # the converter is slow pure Python: run it only on text that has traditional characters
    return _to_simplified(text) if has_traditional(text) else text


def _to_simplified_uncached(text: str) -> str:
    """OpenCC's conversion, cached apart from :func:`simplify`: labels damaged in different ways
    (spaces, widths) come to the same text here.

    OpenCC cuts a text at its separators (spaces, punctuation: :data:`_OPENCC_SEPARATORS`) and
    converts each piece alone; the pieces are cached here, as the same words come back in texts
    that differ elsewhere, and converting one costs some 60 µs in OpenCC's pure Python.
    """
    parts = _OPENCC_SEPARATORS.split(text)
    parts[0::2] = [_convert_piece(p) if p else p for p in parts[0::2]]
    return "".join(parts)


def _convert_piece_uncached(piece: str) -> str:
    return _TW2SP.convert(piece)


#: the separators OpenCC cuts a text at before converting it (its ``split_chars_re``)
_OPENCC_SEPARATORS: Final = re.compile(_TW2SP.split_chars_re.pattern)
_convert_piece: Final = memo_text(_convert_piece_uncached)
simplify: Final = lru_cache(maxsize=65536)(_simplify)
_to_simplified: Final = memo_text(_to_simplified_uncached)


def split_enumerator(text: str) -> tuple[str, str]:
    """("（三）", "不予公开") from "（三）不予公开"; "第二十条…" is not split."""
    s = simplify(text)
    m = _ENUM.match(s)
    if not m or m.group(1).startswith("第"):
        return "", s
    return m.group(1), s[m.end() :]


def enumerator(text: str) -> str:
    return split_enumerator(text)[0]


def _core(text: str) -> str:
    """What a label says: simplified, enumerator stripped, only letters and digits kept."""
    _, rest = split_enumerator(text)
    return "".join(ch for ch in rest if ch.isalnum() or ch in "/")


core: Final = lru_cache(maxsize=65536)(_core)


def similarity(found: str, official: str) -> float:
    """0..100: how well a published label matches an official one (by their cores)."""
    a, b = core(found), core(official)
    if len(a) + len(b) <= MAX_TEXT:
        return _core_similarity_memo(a, b)
    return core_similarity(a, b)


_ratio: Final = fuzz.ratio


def core_similarity(a: str, b: str) -> float:
    """:func:`similarity` of two labels already reduced by :func:`core`."""
    if not a or not b:
        return 0.0
    if a == b:
        return 100.0
    score = _ratio(a, b)
    # a label that carries its group in front ("（三）不予公开1.属于国家秘密") ends with the official one
    if len(b) >= 2 and a.endswith(b):
        score = max(score, 92.0)
    return score


# the extractor compares the same published labels with the same official ones many times
_core_similarity_memo: Final = lru_cache(maxsize=CACHE_SIZE)(core_similarity)


def _cores_uncached(officials: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(c for c in map(core, officials) if c)


_cores: Final = lru_cache(maxsize=1024)(_cores_uncached)
_extract_one: Final = process.extractOne


def best_core_similarity(a: str, cores: tuple[str, ...]) -> float:
    """``max(core_similarity(a, b) for b in cores)``, 0 when there are none, in one call to
    rapidfuzz: the best ratio, raised to 92 when ``a`` ends in one of ``cores``."""
    if not a or not cores:
        return 0.0
    best: float = _extract_one(a, cores, scorer=_ratio)[1]
    if best < 92.0 and any(len(b) >= 2 and a.endswith(b) for b in cores):
        best = 92.0
    return best


def best_similarity(found: str, officials: tuple[str, ...]) -> float:
    """``max(similarity(found, x) for x in officials)``, 0 when there are none."""
    return best_core_similarity(core(found), _cores(officials))


def _plain_uncached(text: str) -> str:
    """NFKC, curly quotes straightened, whitespace removed; characters left as written."""
    return _plain_nfkc(nfkc(text))


_plain: Final = memo_text(_plain_uncached)


def same_text(found: str, official: str) -> bool:
    """True when the published label is the official one up to width, spaces and quotes.

    Traditional characters are a deviation to record (label.nonstandard), not the same text:
    "行政規範性文件" matches 行政规范性文件 (:func:`similarity`) but is not written the same.
    """
    return _plain(found) == _plain(official)


def _describe_deviation(found: str, official: str) -> str:
    """Classify how a published label differs from the official one."""
    if has_traditional(nfkc(found)):
        return "traditional"
    if same_text(found, official):
        return "format"
    f_enum, f_rest = split_enumerator(found)
    o_enum, o_rest = split_enumerator(official)
    if f_rest == o_rest:
        return "numbering"
    return "wording"


describe_deviation: Final = memo_text_args(_describe_deviation)
