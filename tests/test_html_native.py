"""The accelerator reading HTML data tables from libxml2 (``xxgk.readers.html_tables``, Cython)
reads exactly what the Python path reads: same blocks, cell texts, locations and spans.

``.ci/run`` sets ``XXGK_EXPECT_COMPILED=1``: there the accelerator must have been built and be
in use.  Elsewhere (no C compiler) the comparisons are skipped, and the Python path is all there is.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xxgk import compiled, limits
from xxgk.errors import UnreadableInput
from xxgk.readers import html as html_reader
from xxgk.readers.encoding import declared_charset, decode

from .compiled_support import copy_sources
from .test_html_cells import _BITS, _CELL

NATIVE = html_reader._NATIVE
HERE = Path(__file__).parent
needs_native = pytest.mark.skipif(NATIVE is None, reason="the accelerator is not built here")


def _both(page: str):
    """The page read by the accelerator and by the Python path (a document, or the error)."""
    out = []
    for native in (NATIVE, None):
        try:
            out.append(html_reader._read(page, None, native))
        except UnreadableInput as exc:
            out.append(f"error: {exc}")
    return out


@pytest.mark.skipif(os.environ.get("XXGK_EXPECT_COMPILED") != "1", reason="the build is not required to be compiled here")
def test_ci_reads_html_tables_with_the_accelerator():
    assert compiled.stale_native() == []
    assert compiled.native("xxgk.readers.html_tables") is not None
    assert NATIVE is not None
    assert html_reader._SCANNER is not None


# -- generated tables -------------------------------------------------------------------------
_SPANS = st.sampled_from(
    [
        "", "", "", ' rowspan="2"', " colspan=3", ' rowspan="0"', ' colspan="-1"', ' rowspan="abc"', ' ROWSPAN="2"',
        ' colspan=" 4 "', ' rowspan="٣"', ' colspan="65"', ' colspan="64"', " rowspan", ' colspan="2" rowspan="2"',
        ' rowspan="1_0"', ' rowspan="2" rowspan="3"', ' colspan="+2"', ' class="x" colspan="2"', ' rowspan="&#50;"',
    ]
)  # fmt: skip
_STRAY = st.sampled_from(["", "", "<span>广告</span>", "文字", "<div>x</div>", "<p>段</p>", "<br>", " \n ", "<b>1</b>2"])
_LONG = "字" * (html_reader.LAYOUT_CELL_TEXT - 2)
_CONTENT = st.one_of(
    _CELL,
    st.sampled_from(["<table><tr><td>内</td></tr></table>", _LONG, _LONG + "<br>1 2", _LONG + "一二三", "<h3>题</h3>x<li>项</li>"]),
)


@st.composite
def _cell(draw) -> str:
    tag = draw(st.sampled_from(["td", "td", "th"]))
    close = draw(st.sampled_from([f"</{tag}>", f"</{tag}>", ""]))
    content = draw(_CONTENT) if draw(st.integers(0, 9)) == 0 else draw(_CELL)
    return f"<{tag}{draw(_SPANS)}>{content}{close}" + draw(st.sampled_from(["", "", "\n  ", " "]))


@st.composite
def _row(draw) -> str:
    cells = draw(st.lists(_cell(), max_size=5))
    at = draw(st.integers(0, len(cells)))
    cells.insert(at, draw(_STRAY))
    return "<tr>" + "".join(cells) + draw(st.sampled_from(["</tr>", "</tr>\n", ""]))


@st.composite
def _table(draw) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        rows = "".join(draw(st.lists(_row(), max_size=4)))
        section = draw(st.sampled_from(["", "", "tbody", "thead", "tfoot", "caption"]))
        parts.append(f"<{section}>{rows}</{section}>" if section else rows)
    return "<table border=1>" + "".join(parts) + "</table>"


_AROUND = st.lists(
    st.one_of(_BITS, st.sampled_from(["<h2>标题</h2>", "<li>一</li>", "<div>\n二</div>", "三<br>四", "<p> 五 </p>", "\n"])),
    max_size=6,
).map("".join)


@st.composite
def _page(draw) -> str:
    body = []
    for _ in range(draw(st.integers(1, 3))):
        body.append(draw(_AROUND))
        table = draw(_table())
        if draw(st.integers(0, 5)) == 0:  # a layout table holding it
            table = f"<table><tr><td>{draw(_AROUND)}{table}{draw(_AROUND)}</td><td><p>旁</p></td></tr></table>"
        body.append(table)
    body.append(draw(_AROUND))
    head = "\n" * draw(st.sampled_from([0, 1, 3]))
    return f"<html><head><title>t</title></head><body>{head}{''.join(body)}</body></html>"


@needs_native
@settings(max_examples=400, deadline=None)
@given(_page())
def test_tables_read_by_the_accelerator_equal_the_python_path(page):
    native, python = _both(page)
    assert native == python


# -- particular pages --------------------------------------------------------------------------
@needs_native
@pytest.mark.parametrize(
    "page",
    [
        "<table><tr><td>\n  <p> 第二\u3000\u3000十条 </p>\n<p>&nbsp;</p><p>（一）\u200b项 </p>\n</td><td> 1\u20032 </td></tr></table>",
        "<table><tr><td>规章</td><td>5</td></tr><tr><span>广告</span><td>规范性文件</td><td>7</td></tr></table>",
        "<table><tr><td>规\ufdd0章\ufdd1</td><td>5\x01</td><td>\ufffe件\x1f</td></tr></table>",
        "<table><tr><td>a\u1680b\u205fc\u202fd\u2029e\x85f\ufeffg\u00a0h\u2007i\u200bj\u200ck</td></tr></table>",
        "<table><tr><td>a<br>b</td><td><div><p></p></div>c</td><td><h1>x</h1><h7>y</h7><hr>z</td></tr></table>",
        "<table><thead><tr><th>项目</th></tr></thead><tr><td rowspan=2 colspan=2>1</td></tr><tfoot><tr></tr></tfoot></table>",
        "<table><tr><td>1<script>2</script><input value=3><span style='display:none'>4</span>5</td></tr></table>",
        "<table></table><table><tr></tr></table><table><caption>c</caption><tr><td>x</td></tr></table>",
        "<table><tr><td>" + "长" * (html_reader.LAYOUT_CELL_TEXT + 1) + "</td><td><p>段</p></td></tr></table>",
        "<table><tr><td>" + "长" * html_reader.LAYOUT_CELL_TEXT + "</td></tr></table>",
        "<table><tr><td><![CDATA[x]]>&amp;&lt;&#12354;&unknown;</td></tr></table>",
    ],
)
def test_particular_tables_read_alike(page):
    native, python = _both(page)
    assert native == python


@needs_native
def test_lines_from_65535_on_are_read_as_lxml_reads_them():
    rows = "".join(f"<tr>\n<td>{i}\n</td><td\n>x</td></tr>\n" for i in range(30))
    page = "<html><body>" + "\n" * 65_520 + f"<table>{rows}</table><p>after</p></body></html>"
    native, python = _both(page)
    assert native == python
    lines = [cell.loc.line for row in native.tables[0].rows for cell in row]
    assert lines[0] == 65_522 and lines.count(65_535) > 10


@needs_native
def test_the_accelerator_gives_the_lines_lxml_gives_from_65535_on():
    from lxml import etree

    rows = "".join(f"<tr>\n<td>{i}</td><td\n>x</td></tr>\n" for i in range(20))
    page = ("<html><body>" + "\n" * 65_520 + f"<table>{rows}</table></body></html>").encode()
    table = next(etree.fromstring(page, etree.HTMLParser(encoding="utf-8")).iter("table"))
    count, rows_read, area = NATIVE.read_table(table, 0, 1000, 400, html_reader._span)
    want = [td.sourceline for tr in table.iter("tr") for td in tr]
    assert [cell.loc.line for row in rows_read for cell in row] == want
    assert want[0] == 65_522 and want.count(65_535) > 10 and count == area == 40


@needs_native
def test_a_table_too_large_is_refused_alike(monkeypatch):
    monkeypatch.setattr(limits, "MAX_TABLE_CELLS", 5)
    page = "<table>" + "<tr><td>1</td><td>2</td></tr>" * 3 + "</table>"
    native, python = _both(page)
    assert native == python == "error: 表格过大，超出处理上限 (table too large)"
    spanned = "<table><tr><td colspan=4>1</td><td rowspan=2>2</td></tr></table>"
    assert _both(spanned)[0] == _both(spanned)[1] == "error: 表格过大，超出处理上限 (table too large)"


# -- whole reports -----------------------------------------------------------------------------
def _reports() -> list[bytes]:
    sys.path.insert(0, str(HERE.parent / "benchmarks"))
    import bench_parse

    datas = [case.data for case in bench_parse.generate("html", 100, 777)]
    return datas + [p.read_bytes() for p in sorted((HERE / "seeds").glob("*")) if p.suffix != ".json"]


@needs_native
def test_generated_reports_and_seeds_read_alike():
    tables = 0
    for data in _reports():
        text, _ = decode(data, declared_charset(data))
        native, python = _both(text)
        assert native == python
        tables += len(native.tables) if not isinstance(native, str) else 0
    assert tables >= 300


_CHILD = """
import json, sys
sys.path.insert(0, {root!r})
import xxgk
from xxgk.readers import html
from xxgk.report.jsonio import dumps, report_to_dict
from tests.test_html_native import _reports
out = []
for data in _reports():
    try:
        out.append(dumps(report_to_dict(xxgk.parse(data))))
    except xxgk.XxgkError as exc:
        out.append(f"error: {{exc}}")
print(json.dumps({{"native": html._NATIVE is not None, "parsed": out}}))
"""


@needs_native
def test_reports_parse_alike_with_the_accelerator_and_from_the_python_sources():
    runs = {}
    for pure in ("1", "0"):
        proc = subprocess.run(
            [sys.executable, "-c", _CHILD.format(root=str(HERE.parent))],
            capture_output=True,
            env=dict(os.environ, XXGK_PURE_PYTHON=pure),
            timeout=600,
            check=True,
        )
        runs[pure] = json.loads(proc.stdout)
    assert runs["0"]["native"] and not runs["1"]["native"]
    assert runs["0"]["parsed"] == runs["1"]["parsed"]
    assert sum(not p.startswith("error:") for p in runs["0"]["parsed"]) >= 100


# -- when it is used ---------------------------------------------------------------------------
def test_the_accelerator_is_not_used_when_python_is_asked_for(monkeypatch):
    monkeypatch.setenv(compiled.PURE_ENV, "1")
    assert compiled.native("xxgk.readers.html_tables") is None


def test_an_edited_accelerator_source_is_stale_and_not_used(tmp_path, monkeypatch):
    package = copy_sources(tmp_path, compiled.native_source_path, compiled.NATIVE)
    monkeypatch.setattr(compiled, "_PACKAGE_DIR", package)
    assert compiled.stale_native() == list(compiled.NATIVE)  # nothing recorded
    record = {name: compiled.source_hash(compiled.native_source_path(name, tmp_path)) for name in compiled.NATIVE}
    (package / compiled.SOURCES_FILE).write_text(json.dumps(record), encoding="utf-8")
    assert compiled.stale_native() == []
    pyx = compiled.native_source_path("xxgk.readers.html_tables", tmp_path)
    pyx.write_text(pyx.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert compiled.stale_native() == ["xxgk.readers.html_tables"]
    assert compiled.native("xxgk.readers.html_tables") is None
