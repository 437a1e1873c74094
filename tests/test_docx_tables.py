"""The DOCX reader's one-pass table reading says exactly what the cell-by-cell reading says.

``_plain_table`` reads a table of plain cells in one tag-filtered pass; ``_table_by_cells``
reads any table cell by cell.  Random tables in the markup Word writes (runs, tabs, tab stops,
breaks, spans, vertical merges, cells skipped before a row, tracked property changes, content
controls around rows and cells) must read the same either way.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from xxgk.readers.docx import _plain_table, _table_by_cells

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

texts = st.text(alphabet="0123456789一二三自然人总计（）、 ", min_size=0, max_size=6)


@st.composite
def runs(draw) -> str:
    out = []
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["t", "t", "tab", "br", "cr", "rpr"]))
        if kind == "t":
            out.append(f'<w:r><w:t xml:space="preserve">{draw(texts)}</w:t></w:r>')
        elif kind == "rpr":
            out.append(f"<w:r><w:rPr><w:b/></w:rPr><w:t>{draw(texts)}</w:t></w:r>")
        else:
            out.append(f"<w:r><w:{kind}/></w:r>")
    return "".join(out)


@st.composite
def paragraph(draw) -> str:
    ppr = draw(st.sampled_from(["", '<w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>']))
    return f"<w:p>{ppr}{draw(runs())}</w:p>"


@st.composite
def cell(draw) -> str:
    props = []
    span = draw(st.sampled_from([None, "1", "2", "3", "0", "x"]))
    if span is not None:
        props.append(f'<w:gridSpan w:val="{span}"/>')
    merge = draw(st.sampled_from([None, "restart", "continue", ""]))
    if merge is not None:
        props.append("<w:vMerge/>" if merge == "" else f'<w:vMerge w:val="{merge}"/>')
    if draw(st.booleans()):  # a tracked change: the old properties never count
        props.append('<w:tcPrChange w:id="1"><w:tcPr><w:gridSpan w:val="2"/><w:vMerge w:val="restart"/></w:tcPr></w:tcPrChange>')
    tcpr = f"<w:tcPr>{''.join(props)}</w:tcPr>" if props or draw(st.booleans()) else ""
    body = "".join(draw(st.lists(paragraph(), min_size=0, max_size=3)))
    tc = f"<w:tc>{tcpr}{body}</w:tc>"
    return f"<w:sdt><w:sdtContent>{tc}</w:sdtContent></w:sdt>" if draw(st.integers(0, 9)) == 0 else tc


@st.composite
def table(draw) -> str:
    rows = []
    for _ in range(draw(st.integers(0, 4))):
        before = draw(st.sampled_from([None, "1", "2"]))
        trpr = f'<w:trPr><w:gridBefore w:val="{before}"/></w:trPr>' if before else ""
        tr = f"<w:tr>{trpr}{''.join(draw(st.lists(cell(), min_size=0, max_size=4)))}</w:tr>"
        rows.append(f"<w:customXml>{tr}</w:customXml>" if draw(st.integers(0, 9)) == 0 else tr)
    return f'<w:tbl xmlns:w="{W_NS}"><w:tblPr/>{"".join(rows)}</w:tbl>'


def _comparable(rows):
    return [(grid, [(text, length, span, vmerge) for _, text, length, span, vmerge in row]) for grid, row in rows]


@settings(max_examples=300, deadline=None)
@given(table())
def test_one_pass_reading_equals_cell_by_cell_reading(xml: str) -> None:
    tbl = etree.fromstring(xml)
    fast = _plain_table(tbl)
    assert fast is not None  # only plain cells here
    assert _comparable(fast) == _comparable(_table_by_cells(tbl))


def test_a_table_with_a_nested_table_is_read_cell_by_cell() -> None:
    inner = "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>内</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
    tbl = etree.fromstring(f'<w:tbl xmlns:w="{W_NS}"><w:tr><w:tc>{inner}<w:p/></w:tc></w:tr></w:tbl>')
    assert _plain_table(tbl) is None
    assert _table_by_cells(tbl)[0][1][0][1] is None  # the cell needs the element-by-element walk
