"""The report's year, agency and publication date, as the document states them."""

from __future__ import annotations

import re
from datetime import date
from typing import Final

from ..document import Document, Paragraph
from ..labels.normalize import simplify

_TITLE_WORDS: Final = re.compile(r"政府信息公开.{0,6}(年度)?报告|政务公开.{0,6}年度报告|信息公开.{0,4}年报")
_YEAR: Final = re.compile(r"((?:19|20)\d{2})\s*年\s*度?")
_CN_YEAR: Final = re.compile(r"([〇零一二三四五六七八九○Ｏ]{4})\s*年\s*度?")
_DATE: Final = re.compile(r"^\D{0,12}?((?:19|20)\d{2})\s*[年.\-/]\s*(\d{1,2})\s*[月.\-/]\s*(\d{1,2})\s*日?\s*$")
_CN_DATE: Final = re.compile(r"^([〇零一二三四五六七八九○Ｏ]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日$")
_AGENCY_TAIL: Final = re.compile(r"(关于|的|之)$")
_AGENCY_END: Final = re.compile(r"(局|委|办|府|院|会|中心|所|处|厅|部|室|站|队|馆|署|社|行|团|庭|镇|乡|街道|办事处|公司|管委会|委员会|政府)$")
_PUNCT: Final = "　 \t:：,，。.、“”\"'《》()（）[]【】-—_"
_CN_NUM: Final = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _cn_int(s: str) -> int:
    if all(ch in _CN_NUM for ch in s):
        return int("".join(str(_CN_NUM[ch]) for ch in s))
    # 十, 十二, 二十, 二十一
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (_CN_NUM[tens] if tens else 1) * 10 + (_CN_NUM[ones] if ones else 0)
    return _CN_NUM[s]


def parse_date(text: str) -> date | None:
    s = simplify(text)
    m = _DATE.match(s)
    try:
        if m:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = _CN_DATE.match(s)
        if m:
            return date(_cn_int(m.group(1)), _cn_int(m.group(2)), _cn_int(m.group(3)))
    except (ValueError, KeyError):
        return None
    return None


def _year_in(text: str) -> tuple[int, re.Match] | None:
    m = _YEAR.search(text)
    if m:
        return int(m.group(1)), m
    m = _CN_YEAR.search(text)
    if m:
        try:
            return _cn_int(m.group(1)), m
        except KeyError:
            return None
    return None


def _agency_from_title(title: str, m: re.Match) -> str | None:
    before = title[: m.start()].strip(_PUNCT)
    before = _AGENCY_TAIL.sub("", before).strip(_PUNCT)
    if before:
        return before
    after = title[m.end() :]
    cut = re.search(r"政府信息公开|政务公开|信息公开", after)
    if cut:
        name = after[: cut.start()].strip(_PUNCT)
        name = _AGENCY_TAIL.sub("", name).strip(_PUNCT)
        if name:
            return name
    return None


def find_title(doc: Document, before_block: int | None) -> tuple[str | None, int | None]:
    """The report title: the last title-like paragraph (or pair of lines) before the first section."""
    limit = before_block if before_block is not None else min(len(doc.blocks), 40)
    paras = [(i, b) for i, b in enumerate(doc.blocks[:limit]) if isinstance(b, Paragraph)]
    best: tuple[str, int] | None = None
    undated: tuple[str, int] | None = None  # a title that names no year, if nothing better
    for k, (i, p) in enumerate(paras):
        candidates = [simplify(p.text)]
        if k + 1 < len(paras):
            candidates.append(simplify(p.text) + simplify(paras[k + 1][1].text))
        for text in candidates:
            if len(text) <= 80 and _TITLE_WORDS.search(text):
                if _year_in(text):
                    best = (text, i)
                    break
                undated = undated or (text, i)
    if best:
        return best
    for meta_title in [doc.title] + [v for k, v in doc.meta if k.lower() == "articletitle"]:
        if meta_title and _TITLE_WORDS.search(simplify(meta_title)) and _year_in(simplify(meta_title)):
            return simplify(meta_title), None
    return undated or (None, None)


def find_year_agency(title: str | None) -> tuple[int | None, str | None]:
    if not title:
        return None, None
    found = _year_in(title)
    if not found:  # "XX局政府信息公开工作年度报告": the agency stands before the title words
        cut = re.search(r"政府信息公开|政务公开|信息公开", title)
        name = _AGENCY_TAIL.sub("", title[: cut.start()].strip(_PUNCT)).strip(_PUNCT) if cut else ""
        return None, name or None
    year, m = found
    return year, _agency_from_title(title, m)


def find_signature(doc: Document) -> tuple[str | None, date | None]:
    """The agency and date under the last section (the signature block), if any."""
    paras = [b for b in doc.blocks[-12:] if isinstance(b, Paragraph)]
    for k in range(len(paras) - 1, -1, -1):
        d = parse_date(paras[k].text)
        if d:
            agency = None
            if k > 0:
                prev = simplify(paras[k - 1].text).strip(_PUNCT)
                if len(prev) <= 30 and _AGENCY_END.search(prev):
                    agency = prev
            return agency, d
    return None, None


def meta_date(doc: Document) -> date | None:
    for key, value in doc.meta:
        if key.lower() == "pubdate":
            return parse_date(value[:10])
    return None
