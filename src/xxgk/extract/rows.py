"""Cutting a published table row into its label cells and its value cells."""

from __future__ import annotations

import re
from typing import Final, NamedTuple

from ..document import Cell, Location, Paragraph, new_tuple
from ..memo import memo_text
from ..values.parse import clean, is_blank, looks_numeric

_ONE_NUMBER = r"[+\-]?\d[\d,]*(?:\.\d+)?"
# numbers are separated by whitespace: each way of reading a line is unique, so no backtracking blow-up
_TRAILING_NUMBERS: Final = re.compile(
    rf"^(?P<label>.*?[^\d\s.,+\-])\s*(?P<nums>{_ONE_NUMBER}(?:\s+{_ONE_NUMBER})*)\s*$", re.S
)
_SPACE_SPLIT: Final = re.compile(r"\s+")
_DIGIT: Final = re.compile(r"\d")


class Token(NamedTuple):
    """One value as published (a cell, or part of a cell split at spaces).

    A named tuple: the extractor makes one per value cell, and a tuple is built fastest.
    """

    raw: str
    loc: Location
    confidence: float | None = None

    @property
    def blank(self) -> bool:
        raw = self.raw
        return False if raw.isdigit() else is_blank(raw)

    @property
    def digit_run(self) -> bool:
        return self.raw.strip().isdigit()


class Row(NamedTuple):
    """A published row cut into label cells and value cells.

    A named tuple, built with :func:`~xxgk.document.new_tuple` per table row: a frozen
    dataclass's generated ``__init__`` runs as interpreted Python even in the compiled module
    and cost more than cutting the row.
    """

    labels: tuple[Cell, ...]  # non-blank label cells, left to right
    values: tuple[Token, ...]  # value cells after the last label
    loc: Location
    from_paragraph: bool = False

    @property
    def label(self) -> str:
        return self.labels[-1].text if self.labels else ""

    @property
    def joined_label(self) -> str:
        return "".join(c.text for c in self.labels)

    @property
    def has_numbers(self) -> bool:
        return any(not t.blank for t in self.values)


def _is_value_text(text: str) -> bool:
    """Blank, a number, or numbers separated by spaces ("0 0 0")."""
    if is_blank(text):
        return True
    cleaned = clean(text)
    if _DIGIT.search(cleaned) is None:  # (a label: a number has a digit, as has each of numbers)
        return False
    if looks_numeric(text):
        return True
    parts = _SPACE_SPLIT.split(cleaned)
    return len(parts) > 1 and all(looks_numeric(p) for p in parts)


# memoised (pure; cell texts repeat across rows and documents), bound Final (see xxgk.memo)
is_value_text: Final = memo_text(_is_value_text)


def split_row(cells: tuple[Cell, ...]) -> Row:
    """Labels are the cells up to the last one that is neither blank nor a number."""
    last_label = -1
    for i, cell in enumerate(cells):
        text = cell.text
        if text and not text.isdigit() and not is_value_text(text):  # (a number or empty: a value)
            last_label = i
    labels = tuple(c for c in cells[: last_label + 1] if not is_blank(c.text))
    make, token = new_tuple, Token  # (looked up once, not once per cell)
    values = tuple([make(token, (c.text, c.loc, c.confidence)) for c in cells[last_label + 1 :]])
    loc = cells[0].loc if cells else Location()
    if labels and not values:
        # "行政许可 0 0 0" or "行政规范性文件1215300" in one cell
        split = split_label_numbers(labels[-1].text)
        if split:
            label, nums = split
            last = labels[-1]
            labels = labels[:-1] + (Cell(label, last.loc, last.rowspan, last.colspan, last.confidence),)
            values = tuple(Token(n, last.loc, last.confidence) for n in nums)
    return new_tuple(Row, (labels, values, loc, False))


def split_label_numbers(text: str) -> tuple[str, list[str]] | None:
    """("行政许可", ["0", "0", "0"]) from "行政许可 0 0 0"; None when the text does not end in numbers."""
    m = _TRAILING_NUMBERS.match(clean(text))
    if not m:
        return None
    label = m.group("label").strip()
    # "1." or "第二十条第（一）项"-like endings are part of the label, not numbers
    if not label or label[-1] in "第":
        return None
    return label, _SPACE_SPLIT.split(m.group("nums").strip())


def paragraph_row(p: Paragraph) -> Row | None:
    """A paragraph read as a table row: "规章 0 0 0", "行政规范性文件1215300", or numbers alone."""
    conf = p.confidence  # (OCR: the paragraph's, on every value read from it)
    if is_value_text(p.text) and not is_blank(p.text):
        values = tuple(Token(n, p.loc, conf) for n in _SPACE_SPLIT.split(clean(p.text)))
        return Row((), values, p.loc, from_paragraph=True)
    split = split_label_numbers(p.text)
    if not split:
        return None
    label, nums = split
    values = tuple(Token(n, p.loc, conf) for n in nums)
    return Row((Cell(label, p.loc, confidence=conf),), values, p.loc, from_paragraph=True)


def split_spaces(tokens: tuple[Token, ...]) -> tuple[Token, ...]:
    """Split tokens at whitespace ("0 0 0" → three tokens); blanks stay one token."""
    out: list[Token] = []
    for t in tokens:
        parts = _SPACE_SPLIT.split(clean(t.raw)) if not t.blank else [t.raw]
        if len(parts) > 1 and all(looks_numeric(p) for p in parts):
            out.extend(Token(p, t.loc, t.confidence) for p in parts)
        else:
            out.append(t)
    return tuple(out)
