"""Label matching copes with the damage labels suffer in publication."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xxgk.labels.normalize import core, describe_deviation, enumerator, similarity

from xxgk.extract.tables import ROW_MATCH


@pytest.mark.parametrize(
    "found,official",
    [
        ("規範性檔案", "规范性文件"),  # traditional characters
        ("商业 企业", "商业企业"),  # spaces inside words
        ("自\n然\n人", "自然人"),  # vertical text
        ("(一) 予以公开", "（一）予以公开"),  # half-width brackets
        ("1、属于国家秘密", "1.属于国家秘密"),  # 1、 for 1.
        ("其他法律行政止公开", "2.其他法律行政法规禁止公开"),  # typo
        ("3.危及\"三安全一稳定\"", "3.危及“三安全一稳定”"),
        ("（三）不予公开1.属于国家秘密", "1.属于国家秘密"),  # group label in front
    ],
)
def test_damaged_labels_still_match(found, official):
    assert similarity(found, official) >= ROW_MATCH


@pytest.mark.parametrize(
    "found,official",
    [("行政许可", "行政处罚"), ("1.属于国家秘密", "2.其他法律行政法规禁止公开"), ("重复申请", "要求提供公开出版物")],
)
def test_different_rows_do_not_match(found, official):
    assert similarity(found, official) < ROW_MATCH


def test_enumerators_are_kept_apart():
    assert enumerator("4、 政府信息公开行政复议、行政诉讼情况") == "4、"
    assert enumerator("第二十条第（一）项") == ""
    assert core("第二十条第（一）项") == "第二十条第一项"
    assert describe_deviation("4、政府信息公开行政复议、行政诉讼情况", "四、政府信息公开行政复议、行政诉讼情况") == "numbering"
    assert describe_deviation("規範性檔案", "规范性文件") == "traditional"


# -- the quick paths of the normaliser give exactly what the plain steps give --------------------
_LABEL_CHARS = "规範性檔案文件行政許可资讯國家一（）1.、 \u3000\u00a0\t\n“”‘’「」〝〞\"'ＡＢ１２，：\u200b\ufeff𠀀𡃁𧺯"


def _traditional_chars_sample():
    from xxgk.labels import normalize

    chars = sorted(normalize._TRADITIONAL)
    return chars[:: max(1, len(chars) // 60)] + [c for c in chars if ord(c) > 0xFFFF][:20]


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(_LABEL_CHARS) + _traditional_chars_sample()), max_size=30) | st.text(max_size=30))
def test_the_normaliser_quick_paths_agree_with_the_plain_steps(text):
    import unicodedata

    from xxgk.labels import normalize

    assert normalize.has_traditional(text) == (not normalize._TRADITIONAL.isdisjoint(text))
    nfkc = unicodedata.normalize("NFKC", text)
    plain = normalize._PUNCT_WS.sub("", nfkc.translate(normalize._QUOTES))
    assert normalize._plain_uncached(text) == plain
    want = normalize._TW2SP.convert(plain) if not normalize._TRADITIONAL.isdisjoint(plain) else plain
    assert normalize._simplify(text) == want


_PHRASE_TEXTS = ["資訊", "檔案", "記憶體", "軟體", "網路", "行政許可", "規範性", "第二十條第", "項", "數量"]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(_PHRASE_TEXTS + list("（）、，。：；“”,.-—! \u3000") + _traditional_chars_sample()), max_size=12
    ).map("".join)
)
def test_converting_piece_by_piece_is_opencc_on_the_whole_text(text):
    """OpenCC converts the pieces between its separators one by one; converting (and caching)
    each piece here gives exactly its conversion of the whole text."""
    from xxgk.labels import normalize

    assert normalize._to_simplified_uncached(text) == normalize._TW2SP.convert(text)


_OFFICIAL_SAMPLE = ["不予公开", "属于国家秘密", "其他法律行政法规禁止公开", "本年新收政府信息公开申请数量", "总计", "自然人", "商业企业", "（三）不予公开", "1.", ""]


@settings(max_examples=600, deadline=None)
@given(
    st.text(st.sampled_from("不予公开属于国家秘密其他总计自然人商业企业法人（三）1.、 本年新收申请数量"), max_size=20),
    st.lists(st.sampled_from(_OFFICIAL_SAMPLE) | st.text(st.sampled_from("不予公开秘密总计人（一）2"), max_size=8), max_size=6),
)
def test_best_similarity_is_the_best_of_each_similarity(found, officials):
    from xxgk.labels.normalize import best_similarity

    want = max((similarity(found, x) for x in officials), default=0.0)
    assert best_similarity(found, tuple(officials)) == want
