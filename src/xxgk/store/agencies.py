"""An agency's normalised name, region and administrative level, from its name alone.

The normalised name is the one the rule engine compares agencies by
(:func:`xxgk.labels.normalize.simplify`: NFKC, simplified characters, no spaces), so
"海州区 财政局" and "海州區財政局" are one agency.  The region is the run of place names the name
starts with ("淮安市淮安区"), and the level follows from the last of them: 省级, 市级, 区县 or
乡镇 (中央 for 国务院 and 国家… bodies).  A name that starts with no place name has region and
level None: nothing is guessed.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..labels.normalize import simplify

#: place-name suffixes, longest first, with the level a place of that kind has
_SUFFIXES = (
    ("特别行政区", "省级"),
    ("自治区", "省级"),
    ("自治州", "市级"),
    ("自治县", "区县"),
    ("自治旗", "区县"),
    ("街道", "乡镇"),
    ("地区", "市级"),
    ("省", "省级"),
    ("市", "市级"),
    ("县", "区县"),
    ("区", "区县"),
    ("旗", "区县"),
    ("盟", "市级"),
    ("镇", "乡镇"),
    ("乡", "乡镇"),
)
#: words that start a department's name, not a place ("市场监督管理局", "城乡建设", "社区")
_NOT_PLACE = ("市场", "市政", "市容", "城市", "城乡", "乡村", "乡镇", "区域", "县域", "社区", "人民", "中心")
#: characters no place name contains: they belong to the department part
_NOT_IN_PLACE = frozenset("和与及、的局委厅办处科所府院会部司署党")
_MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
_CENTRAL = ("国务院", "国家", "中华人民共和国", "中共中央", "全国")
_MAX_PLACE_BODY = 7  # characters before the suffix ("延边朝鲜族" + 自治州)


@dataclass(frozen=True)
class AgencyName:
    name: str  # as published
    normalized: str
    region: str | None
    level: str | None


def _candidates(text: str, pos: int):
    """(end, level) of each place name that could start at ``pos``, shortest first."""
    for n in range(1, _MAX_PLACE_BODY + 1):
        body = text[pos : pos + n]
        if len(body) < n or _NOT_IN_PLACE.intersection(body) or text.startswith(_NOT_PLACE, pos + n - 1):
            return
        if text.startswith(_NOT_PLACE, pos + n):  # "上饶市" + "市场…", not "上饶市市"
            continue
        for suffix, level in _SUFFIXES:
            if text.startswith(suffix, pos + n):
                yield pos + n + len(suffix), level
                break


def _places(text: str, pos: int) -> list[tuple[int, str]]:
    """The run of place names from ``pos`` that covers most of the name; on a tie the one whose
    first place is shortest ("济南市" + "市中区", not "济南市市" + "中区")."""
    best: list[tuple[int, str]] = []
    for end, level in _candidates(text, pos):
        path = [(end, level), *_places(text, end)]
        if path[-1][0] > (best[-1][0] if best else pos):
            best = path
    return best


def region_and_level(name: str) -> tuple[str | None, str | None]:
    """The place names an agency's name starts with, and the level of the last one."""
    text = simplify(name)
    if text.startswith(_CENTRAL):
        return None, "中央"
    places = _places(text, 0)
    if not places:
        return None, None
    region, level = text[: places[-1][0]], places[-1][1]
    levels = [lvl for _, lvl in places]
    if level == "市级" and region in _MUNICIPALITIES:
        level = "省级"
    elif level == "市级" and len(levels) > 1 and levels[-2] == "市级":
        level = "区县"  # a city under a city (金华市义乌市) is county-level
    return region, level


def describe(name: str) -> AgencyName:
    region, level = region_and_level(name)
    return AgencyName(name, simplify(name), region, level)
