"""An HTML table's cell texts are read in one serialisation of the table; they must be exactly
what reading each cell on its own gives (its text nodes joined, whitespace folded per line)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from xxgk.readers import html as html_reader
from xxgk.readers import read_html

# bits of cell content as CMSs and Word produce them, whitespace of every kind included
_BITS = st.sampled_from(
    [
        "1", "23", "规章", "自然人", " ", "  ", "\n", "\t", "\r\n", "&nbsp;", "\u3000", "\u200b", "\ufeff", "\u2003",
        "\u2028", "\x85", "<br>", "<br/>", "<p>", "</p>", "<span>", "</span>", "<o:p></o:p>", "<b>", "</b>",
        "<div>", "</div>", "<p class=MsoNormal><span lang=EN-US>", "</span></p>", "&lt;", "&amp;", "—", "/",
    ]
)  # fmt: skip
_CELL = st.lists(st.one_of(_BITS, st.text(alphabet="0123456789 万元件", max_size=4)), max_size=12).map("".join)
_ROW = st.lists(_CELL, min_size=0, max_size=6)


def _page(rows: list[list[str]], pretty: bool) -> str:
    sep = "\n    " if pretty else ""
    body = "".join(f"{sep}<tr>" + "".join(f"{sep}  <td>{c}</td>" for c in row) + f"{sep}</tr>" for row in rows)
    return f"<html><body><table><tbody>{body}</tbody></table></body></html>"


def _cell_by_cell(page: str) -> list[list[str]]:
    root = etree.fromstring(page.encode(), etree.HTMLParser(encoding="utf-8"))
    html_reader._prepare(root, page.encode(), True)
    html_reader._mark_breaks(root)
    table = next(root.iter("table"))
    return [
        [html_reader._lines(html_reader._cell_text(td)) for td in html_reader._cells_of(tr)]
        for tr in html_reader._rows_of(table)
    ]


@settings(max_examples=300, deadline=None)
@given(st.lists(_ROW, min_size=1, max_size=6), st.booleans())
def test_table_cells_read_in_one_pass_equal_cell_by_cell(rows, pretty):
    page = _page(rows, pretty)
    doc = read_html(page)
    want = _cell_by_cell(page)
    if any(len(t) > html_reader.LAYOUT_CELL_TEXT for row in want for t in row):
        return  # a layout table: no data table to compare
    got = [[c.text for c in row] for row in doc.tables[0].rows] if doc.tables else []
    assert got == want


def test_cell_text_folds_whitespace_per_line():
    page = "<table><tr><td>\n  <p> 第二\u3000\u3000十条 </p>\n<p>&nbsp;</p><p>（一）\u200b项 </p>\n</td><td> 1\u20032 </td></tr></table>"
    cells = read_html(page).tables[0].rows[0]
    assert [c.text for c in cells] == ["第二 十条\n（一） 项", "1 2"]


def test_text_in_a_row_outside_its_cells_is_not_read_into_a_cell():
    page = "<table><tr><td>规章</td><td>5</td></tr><tr><span>广告</span><td>规范性文件</td><td>7</td></tr></table>"
    rows = read_html(page).tables[0].rows
    assert [[c.text for c in row] for row in rows] == [["规章", "5"], ["规范性文件", "7"]]


def test_noncharacters_in_a_page_do_not_split_cells():
    page = "<table><tr><td>规\ufdd0章\ufdd1</td><td>5\x01</td><td>\ufffe件\x1f</td></tr></table>"
    assert [c.text for c in read_html(page).tables[0].rows[0]] == ["规 章", "5", "件"]


def test_hidden_elements_are_not_read_however_the_style_is_written():
    page = (
        '<html><body><p style="DISPLAY :\u3000None">隐藏一</p><div style="color:red;Visibility: HIDDEN">隐藏二</div>'
        '<p style="display:block">看得见</p><p>display: none 只是文字</p></body></html>'
    )
    texts = [p.text for p in read_html(page).paragraphs]
    assert texts == ["看得见", "display: none 只是文字"]


_SCANNED = st.text(alphabet="规章\ufdd0\ufdef\ufffe\uffff\ufdcf\ufdf0\uffbd\uffe5 \t\n\r\x01\x1fdisplyvtbDISPLYVTB", max_size=14)
_WORDS = st.sampled_from(["", "display", "DiSpLaY", "visibility", "VISIBILITY", "displa", "visibilit", "d\x01isplay"])


def _page_bytes(raw: bytes, text: str, word: str, cut: int) -> bytes:
    data = raw + text.encode("utf-8") + word.encode()
    return data[: len(data) - cut]  # (a page may end inside a character or a word)


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=64), _SCANNED, _WORDS, st.integers(0, 2))
def test_the_quick_look_at_a_page_misses_nothing_that_needs_cleaning_or_may_hide(raw, text, word, cut):
    data = _page_bytes(raw, text, word, cut)
    unsafe, words = html_reader._scan_page(data)
    assert unsafe or html_reader._NOT_XML.search(data) is None
    assert words == (b"display" in data.lower() or b"visibility" in data.lower())


@pytest.mark.skipif(html_reader._SCANNER is None, reason="the accelerator is not built here")
@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=64), _SCANNED, _WORDS, st.integers(0, 2))
def test_the_accelerated_look_at_a_page_is_exact(raw, text, word, cut):
    data = _page_bytes(raw, text, word, cut)
    lowered = data.lower()
    assert html_reader._SCANNER.scan(data) == (
        html_reader._NOT_XML.search(data) is not None,
        b"display" in lowered or b"visibility" in lowered,
    )


def test_a_page_with_characters_xml_cannot_hold_reads_them_as_spaces():
    page = "<html><body><p>甲\x01乙\ufdd0丙\uffff丁</p><table><tr><td>5\x0b件</td><td>\ufffe7</td></tr></table></body></html>"
    doc = read_html(page)
    assert [p.text for p in doc.paragraphs] == ["甲 乙 丙 丁"]
    assert [c.text for c in doc.tables[0].rows[0]] == ["5 件", "7"]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80), st.text(alphabet="\x00\x08\t\n\x0b\x0c\r\x0e\x1f\x7f\x80\x9f\xa0文\ufffd", max_size=20))
def test_control_characters_are_counted_as_the_unicode_category_says(noise, controls):
    import re
    import unicodedata

    from xxgk.readers.encoding import count_controls

    text = noise + controls
    want = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\x0b\x0c\r")
    assert count_controls(text) == want == len(re.findall("[\x00-\x08\x0e-\x1f\x7f-\x9f]", text))


def test_a_page_read_from_its_own_utf8_bytes_reads_as_from_its_text():
    from xxgk.readers import read_document
    from xxgk.readers.encoding import decode

    body = "<html><body><p>一、总体情况</p><table><tr><td>新收政府信息公开申请数量</td><td>12</td></tr></table></body></html>"
    for page in (body, '<?xml version="1.0" encoding="utf-8"?>\n' + body, "\ufeff" + body):
        data = page.encode("utf-8")
        assert read_html(page, utf8=data) == read_html(page)
        # only bytes that are the text exactly (no BOM, nothing replaced) are passed on as UTF-8
        text, encoding = decode(data)
        assert (encoding == "utf-8") == (text.encode("utf-8") == data)
        assert read_document(data) == read_html(text)
