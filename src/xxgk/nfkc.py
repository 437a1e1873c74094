"""Unicode NFKC, exactly as :func:`unicodedata.normalize` gives it, fast for Chinese text.

Labels and cells are compared after NFKC ("，" → ",", "（" → "(", "①" → "1", "㈠" → "(一)").
CPython normalises by decomposing every character and composing the result again, about
0.2 µs per character of Chinese text, while what changes in such text is a few punctuation
marks.  Here a text longer than a label (:data:`_SHORT`) that is not normalised already is
normalised character by character instead, when each of its characters lies in :data:`_RANGES`
(ASCII, Latin-1, general punctuation, the CJK blocks, full-width forms) and NFKC maps it,
alone, to characters that never take part in a composition: then no character can compose
with, or reorder around, its neighbours, and NFKC of the text is the characters' NFKC joined.
Any other text goes to :func:`unicodedata.normalize`.

The tables are built from the running Python's own Unicode database, so the two ways agree
for the version in use; the tests check every character, and that no character these tables
produce is ever the second part of a canonical decomposition.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

#: the blocks read character by character, each character looked at once when the tables are
#: built (a character NFKC does not map to characters of combining class 0 is left out)
_RANGES: Final = (
    (0x0000, 0x00FF),  # ASCII and Latin-1
    (0x2000, 0x218F),  # general punctuation, super/subscripts, currency, letterlike, number forms
    (0x2460, 0x25FF),  # enclosed alphanumerics (①), box drawing (─), geometric shapes (■ □ ○)
    (0x2E80, 0x2FDF),  # CJK radicals and Kangxi radicals (as PDF text gives them)
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x31C0, 0x31EF),  # CJK strokes
    (0x3200, 0x33FF),  # enclosed CJK letters and months (㈠), CJK compatibility
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFE10, 0xFE1F),  # vertical forms
    (0xFE30, 0xFE6F),  # CJK compatibility forms, small form variants
    (0xFF00, 0xFF9F),  # full-width forms and half-width katakana (half-width Hangul left out)
    (0xFFE0, 0xFFEF),  # full-width signs
)
#: blocks NFKC leaves alone as a whole (the CJK unified ideographs): taken whole when
#: unicodedata says the block is normalised, else read character by character
_WHOLE_RANGES: Final = (
    (0x3400, 0x4DBF),  # CJK unified ideographs extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
)


def _character_maps() -> tuple[dict[str, str], list[str]]:
    """(character -> its NFKC, for the characters NFKC changes; the characters that may be
    normalised alone, sorted)."""
    changes: dict[str, str] = {}
    safe: list[str] = []
    ranges = list(_RANGES)
    for first, last in _WHOLE_RANGES:
        block = "".join(map(chr, range(first, last + 1)))
        if unicodedata.is_normalized("NFKC", block):
            safe.extend(block)
        else:
            ranges.append((first, last))
    for first, last in ranges:
        for cp in range(first, last + 1):
            ch = chr(cp)
            if unicodedata.combining(ch):
                continue
            image = unicodedata.normalize("NFKC", ch)
            if image != ch:
                if any(unicodedata.combining(x) for x in image):
                    continue
                changes[ch] = image
            safe.append(ch)
    safe.sort()
    return changes, safe


def _class_body(chars: list[str]) -> str:
    """A regex character class body for ``chars`` (sorted), as ranges."""
    parts: list[str] = []
    start = prev = -2
    for cp in [ord(c) for c in chars] + [-1]:
        if cp == prev + 1:
            prev = cp
            continue
        if start >= 0:
            parts.append(re.escape(chr(start)) if start == prev else f"{re.escape(chr(start))}-{re.escape(chr(prev))}")
        start = prev = cp
    return "".join(parts)


_CHANGES, _SAFE = _character_maps()
#: a character that is not normalised alone
_OTHER: Final = re.compile("[^" + _class_body(_SAFE) + "]")
#: runs of characters NFKC changes, among those
_CHANGING: Final = re.compile("([" + _class_body(sorted(_CHANGES)) + "]+)")
_CHANGES_FINAL: Final = _CHANGES
#: texts up to this long are left to unicodedata, which is as fast on them
_SHORT: Final = 16


def nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``."""
    if unicodedata.is_normalized("NFKC", text):  # (a quick check: most labels are)
        return text
    if len(text) <= _SHORT or _OTHER.search(text) is not None:
        return unicodedata.normalize("NFKC", text)
    parts = _CHANGING.split(text)  # text, run, text, run, ..., text
    for i in range(1, len(parts), 2):
        run = parts[i]
        parts[i] = _CHANGES_FINAL[run] if len(run) == 1 else "".join([_CHANGES_FINAL[ch] for ch in run])
    return "".join(parts)
