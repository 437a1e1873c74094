"""Hostile and bad input: a one-line message and exit code 2, never a traceback, in bounded time and memory.

Every hostile file is generated here, at test time, into ``tmp_path``.  The command line runs in
a subprocess under an address-space limit and a timeout, so a reader that loses control of its
memory or time fails the test instead of the machine.
"""

from __future__ import annotations

import io
import os
import random
import re
import resource
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

import xxgk
from xxgk import limits
from xxgk.readers import docx as docx_reader
from xxgk.readers import html as html_reader
from xxgk.readers import read_document
from xxgk.templates import TEMPLATES
from xxgk.testing import random_report, to_docx, to_html

from .conftest import SEEDS

MEMORY_LIMIT = 1536 * 1024 * 1024  # 1.5 GiB of address space for the command under test
TIMEOUT = 60  # seconds; generous on purpose: the point is "finite", not "fast"

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="xml" ContentType="application/xml"/></Types>'
)


# helpers --------------------------------------------------------------------------------------
def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_cli(path: Path | str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "xxgk.cli", "parse", str(path), *args],
        capture_output=True,
        text=True,
        errors="replace",
        timeout=TIMEOUT,
        preexec_fn=_limit_memory,
        env={**os.environ, **(env or {})},
    )


def assert_refused(proc: subprocess.CompletedProcess, *fragments: str) -> str:
    """Exit 2, nothing on stdout, exactly one line on stderr, no traceback; returns that line."""
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-2000:])
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    line = lines[0]
    assert line.startswith("xxgk: ")
    assert re.search(r"[\u4e00-\u9fff].*\(.+\)$", line), f"Chinese first, English in parentheses: {line}"
    for fragment in fragments:
        assert fragment in line, line
    return line


def refuse(path: Path, *fragments: str) -> str:
    return assert_refused(run_cli(path), *fragments)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def make_zip(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buf.getvalue()


def document_xml(body: str, prolog: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}'
        f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'
    ).encode()


def make_docx(document: bytes, compression: int = zipfile.ZIP_DEFLATED, **extra: bytes) -> bytes:
    return make_zip({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": document, **extra}, compression)


def para(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def replace_part(docx: bytes, name: str, edit) -> bytes:
    """A copy of ``docx`` with part ``name`` passed through ``edit``."""
    src = zipfile.ZipFile(io.BytesIO(docx))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info)
            z.writestr(info.filename, edit(data) if info.filename == name else data)
    return buf.getvalue()


def values(report: xxgk.Report) -> dict:
    return {k: c.value for k, c in report.cells.items()}


def report_for(seed: int):
    rng = random.Random(seed)
    return random_report(rng, TEMPLATES["gov2021"], year=2022)


def passwd_marker() -> str:
    try:
        first = Path("/etc/passwd").read_text(errors="replace").splitlines()[0]
    except (OSError, IndexError):
        pytest.skip("no /etc/passwd to leak")
    return first.split(":", 1)[0] + ":x:" if ":x:" in first else first[:20]


def billion_laughs(levels: int = 10) -> tuple[str, str]:
    """A DOCTYPE whose last entity expands to 3 * 10**levels characters, and a reference to it."""
    ents = '<!ENTITY lol0 "lollollollollollollollollollol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, levels)
    )
    return f"<!DOCTYPE lolz [{ents}]>", f"&lol{levels - 1};"


# empty and random ------------------------------------------------------------------------------
def test_empty_file(tmp_path):
    refuse(write(tmp_path, "empty.html", b""), "empty file")


@pytest.mark.parametrize("content", [b" ", b"\n\n\n", b" \t\r\n\x0b\x0c" * 1000], ids=["space", "newlines", "mixed"])
def test_whitespace_only_file(tmp_path, content):
    refuse(write(tmp_path, "blank.txt", content), "empty file")


@pytest.mark.parametrize("seed", range(6))
def test_random_bytes_cli(tmp_path, seed):
    rng = random.Random(seed)
    size = (1, 100, 4096, 65536, 1 << 20, 3 << 20)[seed]
    refuse(write(tmp_path, f"random{seed}.bin", rng.randbytes(size)))


@pytest.mark.parametrize(
    "prefix",
    [b"PK\x03\x04", b"PK\x05\x06", b"<html><body><table><tr><td>", b"\xef\xbb\xbf", b"\xff\xfe", b"%PDF-1.7\n"],
    ids=["zip", "empty-zip", "html", "utf8-bom", "utf16-bom", "pdf"],
)
def test_random_bytes_behind_a_plausible_header(tmp_path, prefix):
    refuse(write(tmp_path, "x.dat", prefix + random.Random(7).randbytes(50_000)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4096))
def test_any_bytes_give_a_report_or_a_user_error(data):
    try:
        result = xxgk.parse(data)
    except xxgk.XxgkError as exc:
        assert "\n" not in str(exc)
    else:
        assert isinstance(result, xxgk.Report)


_HTML_BITS = st.sampled_from(
    [
        "<table>", "</table>", "<tr>", "</tr>", "<td>", "</td>", '<td colspan="100000">', '<td rowspan="-3">',
        '<td rowspan="64" colspan="64">', "<th>", "<tbody>", "<p>", "</p>", "<div>", "</div>", "<br>", "<span>",
        "</span>", "<h1>", "<!--", "-->", "<![CDATA[", "]]>", "<script>", "</script>", '<p style="display:none">',
        "&nbsp;", "&#0;", "&#xFFFFFFFF;", "&lol;", "<!DOCTYPE x [<!ENTITY lol 'lol'>]>", "<?xml version='1.0'?>",
        "<o:p>", "一、总体情况", "二、主动公开政府信息情况", "第二十条第（一）项", "规章", "行政许可", "0", "12", "3.5",
        "收到和处理政府信息公开申请情况", "政府信息公开行政复议、行政诉讼情况", "\t", "\n", " ", "\u3000",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_HTML_BITS, st.text(max_size=8)), max_size=200), st.sampled_from(["utf-8", "gb18030"]))
def test_any_tag_soup_gives_a_report_or_a_user_error(bits, encoding):
    data = ("<html><body>" + "".join(bits)).encode(encoding, errors="replace")
    try:
        xxgk.parse(data)
    except xxgk.XxgkError as exc:
        assert "\n" not in str(exc)


@pytest.fixture(scope="module")
def valid_docx() -> bytes:
    return to_docx(report_for(3), random.Random(3))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=255)), min_size=1, max_size=8))
def test_damaged_docx_gives_a_report_or_a_user_error(valid_docx, edits):
    data = bytearray(valid_docx)
    for pos, value in edits:
        data[pos % len(data)] = value
    try:
        xxgk.parse(bytes(data))
    except xxgk.XxgkError as exc:
        assert "\n" not in str(exc)


# zip containers --------------------------------------------------------------------------------
def _docx_bomb(path: Path, size: int, zip64: bool = True) -> None:
    """A .docx whose main part inflates to ``size`` bytes of (valid) whitespace; written as a stream."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        with z.open("word/document.xml", "w", force_zip64=zip64) as fh:
            fh.write(document_xml("").replace(b"</w:body>", b""))
            chunk = b" " * (1 << 20)
            for _ in range(size >> 20):
                fh.write(chunk)
            fh.write(b"</w:body></w:document>")


def test_docx_zip_bomb(tmp_path):
    path = tmp_path / "bomb.docx"
    _docx_bomb(path, 2 * limits.MAX_ZIP_PART_BYTES)
    assert path.stat().st_size < limits.MAX_ZIP_PART_BYTES // 100  # it really is a bomb
    refuse(path, "zip part too large")


def _lie_about_size(data: bytes, name: str, claimed: int) -> bytes:
    """Rewrite the uncompressed size of ``name`` in its local header and central directory entry."""
    zf = zipfile.ZipFile(io.BytesIO(data))
    out = bytearray(data)
    pos = zf.start_dir
    for info in zf.infolist():
        (n, m, k) = struct.unpack_from("<HHH", out, pos + 28)
        if info.filename == name:
            struct.pack_into("<L", out, pos + 24, claimed)
            struct.pack_into("<L", out, info.header_offset + 22, claimed)
            return bytes(out)
        pos += 46 + n + m + k
    raise AssertionError(f"{name} not found")


@pytest.mark.parametrize("claimed", [1000, limits.MAX_ZIP_PART_BYTES - 1], ids=["tiny", "just-under-limit"])
def test_docx_zip_bomb_lying_about_its_size(tmp_path, claimed):
    """The directory claims an allowed size; the data inflates to more.  Reading stops at the claim."""
    path = tmp_path / "liar.docx"
    _docx_bomb(path, limits.MAX_ZIP_PART_BYTES + (8 << 20), zip64=False)
    data = _lie_about_size(path.read_bytes(), "word/document.xml", claimed)
    refuse(write(tmp_path, "liar.docx", data))


def test_docx_bomb_of_elements(tmp_path):
    # compresses ~1000:1; inflates to far more elements than a report could have
    data = make_docx(document_xml("<w:p/>" * (limits.MAX_ELEMENTS + 10)))
    assert len(data) < 1 << 20
    refuse(write(tmp_path, "elements.docx", data), "too many XML elements")


@pytest.mark.parametrize("compression", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA], ids=["bzip2", "lzma"])
def test_docx_with_unbounded_compression_is_refused(tmp_path, compression):
    # zipfile inflates a whole bzip2/LZMA block at once, so such parts are not read at all
    data = make_docx(document_xml(para("x") + " " * (1 << 20)), compression=compression)
    refuse(write(tmp_path, "packed.docx", data), "unsupported zip compression")


def test_bomb_in_a_secondary_part_does_not_escape(tmp_path):
    path = tmp_path / "core-bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("word/document.xml", document_xml(para("不是报告")))
        with z.open("docProps/core.xml", "w", force_zip64=True) as fh:
            for _ in range((limits.MAX_ZIP_PART_BYTES >> 20) + 4):
                fh.write(b" " * (1 << 20))
    refuse(path, "not an annual report")


def test_zip_with_thousands_of_entries(tmp_path):
    entries = {"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": document_xml(para("x"))}
    entries.update({f"word/media/{i}.xml": b"" for i in range(limits.MAX_ZIP_ENTRIES + 1)})
    refuse(write(tmp_path, "many.docx", make_zip(entries, zipfile.ZIP_STORED)), "too many zip entries")


def test_zip_directory_listing_a_huge_number_of_entries(tmp_path):
    """A hand-made central directory of 400 000 entries: refused before zipfile parses it."""
    n = 400_000
    head = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 0, 0, 0, 0, 0, 0, 1, 0) + b"a"
    entry = struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0) + b"a"
    directory = entry * n
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, len(directory), len(head), 0)
    refuse(write(tmp_path, "directory.docx", head + directory + end), "too many zip entries")


@pytest.mark.parametrize("cut", [0.1, 0.5, 0.9, 0.999])
def test_truncated_docx(tmp_path, valid_docx, cut):
    refuse(write(tmp_path, "cut.docx", valid_docx[: int(len(valid_docx) * cut)]))


def test_docx_with_corrupt_compressed_data(tmp_path):
    data = make_docx(document_xml(para("政府信息公开工作年度报告") * 2000))
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + 100
    damaged = data[:start] + bytes(200) + data[start + 200 :]
    refuse(write(tmp_path, "corrupt.docx", damaged), "corrupt")


def test_garbage_after_zip_signature(tmp_path):
    refuse(write(tmp_path, "garbage.docx", b"PK\x03\x04" + b"\x00" * 100), "corrupt zip")


def test_docx_with_malformed_xml(tmp_path):
    refuse(write(tmp_path, "bad.docx", make_docx(b"<w:document><w:body><w:p>")), "malformed XML")


def test_docx_without_document_part(tmp_path):
    data = make_zip({"[Content_Types].xml": CONTENT_TYPES, "word/styles.xml": b"<x/>"})
    refuse(write(tmp_path, "nobody.docx", data), "no main document part")


# XML entities ------------------------------------------------------------------------------------
def test_docx_billion_laughs(tmp_path):
    doctype, ref = billion_laughs()
    data = make_docx(document_xml(para(ref) * 10, prolog=doctype))
    refuse(write(tmp_path, "laughs.docx", data), "entity expansion refused")


def test_docx_quadratic_blowup(tmp_path):
    doctype = f'<!DOCTYPE w:document [<!ENTITY a "{"a" * 50_000}">]>'
    data = make_docx(document_xml(para("&a;" * 50_000), prolog=doctype))
    refuse(write(tmp_path, "quadratic.docx", data))


def test_docx_external_entity_is_not_read(tmp_path, valid_docx):
    marker = passwd_marker()
    prolog = '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'

    def edit(xml: bytes) -> bytes:
        decl_end = xml.index(b"?>") + 2
        xml = xml[:decl_end] + prolog.encode() + xml[decl_end:]
        return re.sub(rb"(<w:body[^>]*>)", rb"\1" + para("&xxe;").encode(), xml, count=1)

    path = write(tmp_path, "xxe.docx", replace_part(valid_docx, "word/document.xml", edit))
    proc = run_cli(path)
    assert "Traceback" not in proc.stderr
    assert marker not in proc.stdout and marker not in proc.stderr
    doc = read_document(path)
    assert not any(marker in b.text for b in doc.paragraphs)


def _inject(page: bytes, doctype: str, paragraph: str) -> bytes:
    page = page.replace(b"<!DOCTYPE html>", doctype.encode(), 1)
    return re.sub(rb"(<body[^>]*>)", rb"\1" + paragraph.encode(), page, count=1)


def test_html_internal_entity_bomb(tmp_path):
    doctype, ref = billion_laughs()
    page = f"<?xml version='1.0'?>{doctype}<html><body><p>{ref}</p><table><tr><td>{ref * 100}</td></tr></table>"
    refuse(write(tmp_path, "laughs.html", page.encode()), "not an annual report")


def test_html_entity_bomb_around_a_real_report(tmp_path):
    """The HTML parser does not expand DTD entities at all: the report around the bomb reads as usual."""
    plain = to_html(report_for(11), random.Random(11))
    doctype, ref = billion_laughs()
    page = _inject(plain, doctype, f"<p>{ref * 1000}</p>")
    proc = run_cli(write(tmp_path, "report-laughs.html", page), "--brief")
    assert proc.returncode == 0, proc.stderr
    assert values(xxgk.parse(page)) == values(xxgk.parse(plain))


def test_html_external_entity_is_not_read(tmp_path):
    marker = passwd_marker()
    doctype = (
        '<!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">'
        '<!ENTITY % dtd SYSTEM "file:///etc/passwd">%dtd;]>'
    )
    page = _inject(to_html(report_for(12), random.Random(12)), doctype, "<p>&xxe;</p><p>&xxe;</p>")
    path = write(tmp_path, "xxe.html", b"<?xml version='1.0'?>" + page)
    proc = run_cli(path)
    assert proc.returncode == 0, proc.stderr
    assert marker not in proc.stdout
    assert not any(marker in b.text for b in read_document(path).paragraphs)
    alone = write(tmp_path, "xxe-alone.html", f"{doctype}<html><body><p>&xxe;</p></body></html>".encode())
    line = refuse(alone, "not an annual report")
    assert marker not in line


# nesting ------------------------------------------------------------------------------------------
DEPTH = 100_000


@pytest.mark.parametrize(
    "open_, close",
    [("<div>", "</div>"), ("<table><tr><td>", "</td></tr></table>"), ("<span>", "</span>"), ("<b>", "")],
    ids=["div", "table", "span", "unclosed-b"],
)
def test_deeply_nested_html(tmp_path, open_, close):
    page = "<html><body>" + open_ * DEPTH + "x" + close * DEPTH + "</body></html>"
    refuse(write(tmp_path, "deep.html", page.encode()), "not an annual report")


def test_deep_nesting_inside_a_table_cell(tmp_path):
    page = "<html><body><table><tr><td>" + "<span><p>" * DEPTH + "x" + "</p></span>" * DEPTH + "</td></tr></table>"
    refuse(write(tmp_path, "deep-cell.html", page.encode()), "not an annual report")


@pytest.mark.parametrize(
    "open_, close",
    [("<w:sdt><w:sdtContent>", "</w:sdtContent></w:sdt>"), ("<w:tbl><w:tr><w:tc>", "</w:tc></w:tr></w:tbl>")],
    ids=["content-controls", "tables"],
)
def test_deeply_nested_docx(tmp_path, open_, close):
    data = make_docx(document_xml(open_ * DEPTH + para("x") + close * DEPTH))
    refuse(write(tmp_path, "deep.docx", data), "nesting too deep")


def test_deeply_nested_docx_runs(tmp_path):
    data = make_docx(document_xml("<w:p>" + "<w:r>" * DEPTH + "<w:t>x</w:t>" + "</w:r>" * DEPTH + "</w:p>"))
    refuse(write(tmp_path, "deep-runs.docx", data), "nesting too deep")


# The parsers stop at a few hundred levels; the walkers must not depend on that.  A tree deeper
# than Python's recursion limit is built with the parsers' "huge" option and walked directly.
HUGE_DEPTH = 2000


def test_html_walker_is_not_recursive():
    cell = "<span>" * HUGE_DEPTH + "深" + "</span>" * HUGE_DEPTH
    nest = "<div>" * HUGE_DEPTH + "<p>段落</p>" + "</div>" * HUGE_DEPTH
    page = f"<html><body>{nest}<table><tr><td>{cell}</td><td>1</td></tr></table></body></html>"
    root = etree.fromstring(page, etree.HTMLParser(huge_tree=True))
    deepest = next(e for e in root.iter("span") if e.text == "深")
    assert sum(1 for _ in deepest.iterancestors()) > sys.getrecursionlimit()
    walker = html_reader._Walker()
    walker.walk(root.find("body"))
    walker.flush()
    texts = [b.text for b in walker.blocks if hasattr(b, "text")]
    tables = [b for b in walker.blocks if not hasattr(b, "text")]
    assert "段落" in texts
    assert [c.text for c in tables[0].rows[0]] == ["深", "1"]


def test_html_walker_flattens_deeply_nested_layout_tables():
    depth = 650  # 1950 levels of table/tr/td
    page = "<html><body>" + "<table><tr><td>" * depth + "<p>内容</p>" + "</td></tr></table>" * depth + "</body></html>"
    root = etree.fromstring(page, etree.HTMLParser(huge_tree=True))
    walker = html_reader._Walker()
    walker.walk(root.find("body"))
    walker.flush()
    (table,) = walker.blocks  # the innermost table holds data, every table around it is layout
    assert [[c.text for c in row] for row in table.rows] == [["内容"]]


def _walk_docx(body: str) -> list:
    root = etree.fromstring(document_xml(body), etree.XMLParser(huge_tree=True))
    walker = docx_reader._Walker()
    walker.body(root.find(f"{{{W_NS}}}body"))
    return walker.blocks


def test_docx_walker_is_not_recursive():
    depth = 650  # w:tbl/w:tr/w:tc: 1950 levels of layout tables
    blocks = _walk_docx("<w:tbl><w:tr><w:tc>" * depth + para("内容") + "</w:tc></w:tr></w:tbl>" * depth)
    (table,) = blocks  # the innermost table holds data, every table around it is layout
    assert [[c.text for c in row] for row in table.rows] == [["内容"]]
    depth = 950  # content controls: 1900 levels, in the body and in a table cell
    wrapped = "<w:sdt><w:sdtContent>" * depth + para("深") + "</w:sdtContent></w:sdt>" * depth
    blocks = _walk_docx(wrapped)
    assert [b.text for b in blocks] == ["深"]
    blocks = _walk_docx(f"<w:tbl><w:tr><w:tc>{wrapped}</w:tc><w:tc>{para('1')}</w:tc></w:tr></w:tbl>")
    assert [c.text for c in blocks[0].rows[0]] == ["深", "1"]
    runs = "<w:p>" + "<w:ins>" * 1900 + "<w:r><w:t>段</w:t></w:r>" + "</w:ins>" * 1900 + "</w:p>"
    assert [b.text for b in _walk_docx(runs)] == ["段"]


def test_report_inside_nested_layout_tables_still_reads(tmp_path):
    """Bounding the walk must not cost real pages: a report wrapped in 50 layout tables reads as itself."""
    report = report_for(21)
    page = to_html(report, random.Random(21))
    start = re.search(rb"<body[^>]*>", page).end()
    end = page.rindex(b"</body>")
    wrapped = page[:start] + b"<table><tr><td>" * 50 + page[start:end] + b"</td></tr></table>" * 50 + page[end:]
    plain = xxgk.parse(page)
    nested = xxgk.parse(wrapped)
    assert values(nested) == values(plain)


# big tables ---------------------------------------------------------------------------------------
def test_huge_html_table(tmp_path):
    row = "<tr>" + "<td>1</td>" * 200 + "</tr>"
    refuse(write(tmp_path, "wide.html", ("<html><body><table>" + row * 1000 + "</table>").encode()), "table too large")


def test_huge_spans_are_clamped(tmp_path):
    page = (
        '<html><body><table><tr><td colspan="100000" rowspan="100000">规章</td><td rowspan="99999999999999999999">1</td>'
        '<td colspan="-5" rowspan="0x10">2</td></tr></table></body></html>'
    )
    doc = read_document(page.encode())
    cells = doc.tables[0].rows[0]
    assert all(1 <= c.rowspan <= limits.MAX_SPAN and 1 <= c.colspan <= limits.MAX_SPAN for c in cells)
    assert len(doc.tables[0].grid()[0]) == 3
    refuse(write(tmp_path, "spans.html", page.encode()), "not an annual report")


def test_table_of_maximal_spans_is_refused(tmp_path):
    """Spans within MAX_SPAN, but so many that the expanded grid would hold millions of slots."""
    cell = f'<td rowspan="{limits.MAX_SPAN}" colspan="{limits.MAX_SPAN}">1</td>'
    page = "<html><body><table>" + ("<tr>" + cell * 50 + "</tr>") * 50 + "</table>"
    refuse(write(tmp_path, "spans.html", page.encode()), "table too large")


def test_too_many_table_cells_in_one_document(monkeypatch):
    """Tables each under the per-table limit, together over the per-document one (limit made small here)."""
    monkeypatch.setattr(limits, "MAX_CELLS", 1000)
    table_text = ("\t".join(["1"] * 20) + "\n") * 20  # 400 cells
    row_html = "<tr>" + "<td>1</td>" * 20 + "</tr>"
    row_docx = "<w:tr>" + f"<w:tc>{para('1')}</w:tc>" * 20 + "</w:tr>"
    for data in (
        "\n段落\n".join([table_text] * 3).encode(),
        ("<html><body>" + ("<table>" + row_html * 20 + "</table>") * 3).encode(),
        make_docx(document_xml(("<w:tbl>" + row_docx * 20 + "</w:tbl>" + para("段落")) * 3)),
    ):
        with pytest.raises(xxgk.UnreadableInput, match="too many table cells"):
            read_document(data)
        monkeypatch.setattr(limits, "MAX_CELLS", 1200)
        assert len(read_document(data).tables) == 3
        monkeypatch.setattr(limits, "MAX_CELLS", 1000)


def test_docx_huge_table(tmp_path):
    row = "<w:tr>" + "<w:tc><w:p/></w:tc>" * 400 + "</w:tr>"
    refuse(write(tmp_path, "wide.docx", make_docx(document_xml("<w:tbl>" + row * 300 + "</w:tbl>"))), "table too large")


def test_docx_vertical_merge_over_many_rows(tmp_path):
    first = '<w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/><w:gridSpan w:val="100000"/></w:tcPr><w:p/></w:tc></w:tr>'
    more = "<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc></w:tr>" * 2_000
    data = make_docx(document_xml("<w:tbl>" + first + more + "</w:tbl>"))
    doc = read_document(data)
    cell = doc.tables[0].rows[0][0]
    assert cell.rowspan <= limits.MAX_SPAN and cell.colspan <= limits.MAX_SPAN
    refuse(write(tmp_path, "merge.docx", data), "not an annual report")


# size ----------------------------------------------------------------------------------------------
def test_100mb_html_page_is_refused_by_size(tmp_path):
    path = tmp_path / "huge.html"
    with path.open("wb") as fh:
        fh.write(b"<html><body><table>")
        chunk = b"<tr><td>1</td><td>2</td></tr>" * 35_000  # about 1 MB
        while fh.tell() < 100 * 1024 * 1024:
            fh.write(chunk)
    refuse(path, "file too large")


def test_oversized_bytes_are_refused():
    with pytest.raises(xxgk.UnreadableInput, match="file too large"):
        xxgk.parse(b"<p>" + b"x" * limits.MAX_INPUT_BYTES)


def test_page_dense_with_elements(tmp_path):
    """Under the size limit, but far more elements than a page holds: refused while parsing."""
    page = b"<html><body>" + b"<p>x" * (limits.MAX_ELEMENTS + 10)
    refuse(write(tmp_path, "dense.html", page), "too many HTML elements")


def test_text_with_too_many_lines(tmp_path):
    refuse(write(tmp_path, "lines.txt", b"x\n" * (limits.MAX_LINES + 1)), "too many lines")


def test_text_with_too_many_paragraphs(tmp_path):
    refuse(write(tmp_path, "paras.txt", b"x\n" * (limits.MAX_BLOCKS + 10)), "too many blocks")


def test_text_line_of_tabs(tmp_path):
    refuse(write(tmp_path, "tabs.txt", b"x" + b"\t" * (limits.MAX_TABLE_CELLS + 10)), "table too large")


def test_text_cell_with_endless_continuation_lines(tmp_path):
    """A cell continued over 200 000 lines: joined once, not re-copied per line."""
    text = "\tx\n" + "续\n" * 200_000
    doc = read_document(text.encode())
    assert doc.tables[0].rows[0][0].text.count("续") == 200_000
    refuse(write(tmp_path, "continued.txt", text.encode()), "not an annual report")


# not reports ---------------------------------------------------------------------------------------
NEWS_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>市政府召开第十二次常务会议_新闻中心</title></head>
<body><div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/news">新闻中心</a></li></ul></div>
<div class="article"><h1>市政府召开第十二次常务会议</h1><div class="info">发布时间：2023-05-12 来源：市政府办公室</div>
<p>5月11日，市长主持召开市政府第十二次常务会议，研究部署近期重点工作。</p>
<p>会议听取了一季度经济运行情况汇报。会议指出，要坚持稳中求进工作总基调。</p>
<table border="1"><tr><th>指标</th><th>一季度</th><th>同比增长（%）</th></tr>
<tr><td>地区生产总值（亿元）</td><td>512.3</td><td>5.1</td></tr>
<tr><td>规模以上工业增加值</td><td>—</td><td>6.3</td></tr>
<tr><td>社会消费品零售总额（亿元）</td><td>201.7</td><td>7.8</td></tr></table>
<p>会议还研究了其他事项。</p></div>
<div class="footer"><table><tr><td>主办单位：某市人民政府办公室</td><td>网站标识码：3201000001</td></tr></table></div>
</body></html>"""


def test_news_page_is_not_a_report(tmp_path):
    refuse(write(tmp_path, "news.html", NEWS_PAGE.encode()), "not an annual report")


def test_directory(tmp_path):
    refuse(tmp_path, "is a directory")


def test_missing_file(tmp_path):
    refuse(tmp_path / "no-such-report.html", "no such file")


def test_unreadable_file(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root reads everything")
    path = write(tmp_path, "secret.html", b"<p>x</p>")
    path.chmod(0)
    refuse(path, "permission denied")


def test_file_name_with_a_newline_stays_one_line(tmp_path):
    line = refuse(write(tmp_path, "two\nlines\u2028.txt", b""), "empty file")
    assert "two\\nlines" in line


OTHER_FORMATS = [
    ("book.xlsx", make_zip({"[Content_Types].xml": CONTENT_TYPES, "xl/workbook.xml": b"<workbook/>"}), "spreadsheet"),
    ("files.zip", make_zip({"a.txt": b"hello", "b/c.html": b"<p>x</p>"}), "zip archive"),
    ("empty.zip", make_zip({}), "zip archive"),
    ("report.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "PDF"),
    ("scan.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(100), "image"),
    ("scan.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(100), "image"),
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "legacy Word"),
    ("old.rtf", b"{\\rtf1\\ansi " + bytes(range(256)) * 4, "RTF"),
]


@pytest.mark.parametrize("name, data, fragment", OTHER_FORMATS, ids=[f[0] for f in OTHER_FORMATS])
def test_other_formats(tmp_path, name, data, fragment):
    refuse(write(tmp_path, name, data), fragment)


# time --------------------------------------------------------------------------------------------
# Within the limits a file still costs time in the extractor; the command line gives up on one
# file after limits.MAX_SECONDS.  A line like "a1111…1a" makes the extractor's label/number
# regular expression backtrack exponentially (src/xxgk/extract/rows.py, _TRAILING_NUMBERS).
BACKTRACKING_LINE = b"\xe8\xa7\x84\xe7\xab\xa0" + b"1" * 40 + b"x\n"  # "规章111…1x"


def test_cli_gives_up_after_its_time_limit(tmp_path):
    # 190 000 short paragraphs: within every limit (MAX_BLOCKS), but seconds of work for the
    # extractor even on a fast core (4 s on one that reads HTML reports at 450/s), twenty times the limit
    path = write(tmp_path, "long.txt", "".join(f"第{i}段\n" for i in range(190_000)).encode())
    proc = run_cli(path, env={"XXGK_MAX_SECONDS": "0.2"})
    assert_refused(proc, "gave up after 0.2 s")


def test_cli_is_bounded_on_a_backtracking_line(tmp_path):
    proc = run_cli(write(tmp_path, "slow.txt", BACKTRACKING_LINE), env={"XXGK_MAX_SECONDS": "2"})
    assert_refused(proc)


@pytest.mark.slow
def test_library_parse_of_a_backtracking_line_is_bounded():
    code = f"import xxgk\ntry:\n    xxgk.parse({BACKTRACKING_LINE!r})\nexcept xxgk.XxgkError:\n    pass\n"
    subprocess.run([sys.executable, "-c", code], timeout=10, check=True, preexec_fn=_limit_memory)


# a bad file never crashes a batch ----------------------------------------------------------------
def test_batch_of_bad_files_in_one_process(tmp_path):
    """The library, one file after another in one process: every bad file is a user error."""
    bad = [
        b"",
        random.Random(1).randbytes(5000),
        NEWS_PAGE.encode(),
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100),
        make_docx(b"<w:document"),
        b"<html><body>" + b"<div>" * 5000,
    ]
    good = (SEEDS / sorted(p.name for p in SEEDS.glob("*.txt"))[0]).read_bytes()
    for data in bad:
        with pytest.raises(xxgk.XxgkError):
            xxgk.parse(data)
        assert xxgk.parse(good).template
