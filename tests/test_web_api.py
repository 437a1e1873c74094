"""The web application through FastAPI's TestClient: accounts and scopes on every API route,
CSRF, upload limits, escaping, the OpenAPI description, authoring through the API."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from fastapi.testclient import TestClient

from .conftest import SEEDS, load_expected
from .web_support import ADMIN, CLERK, CLERK_AGENCY, REVIEWER, make_users
from xxgk import limits
from xxgk.store import open_database

SEED_FILES = sorted(SEEDS.glob("*.txt"))


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from xxgk.web.app import create_app

    db_url = f"sqlite:///{tmp_path_factory.mktemp('webapi') / 'xxgk.sqlite3'}"
    make_users(db_url)
    application = create_app(db_url, workers=1)
    with TestClient(application) as admin:
        _login(admin, ADMIN)
        files = [("files", (p.name, p.read_bytes())) for p in SEED_FILES]
        r = admin.post("/api/uploads", files=files, headers=_csrf(admin))
        assert r.status_code == 200, r.text
    yield application


def _csrf(client: TestClient) -> dict[str, str]:
    token = re.search(r'data-csrf="([^"]+)"', client.get("/upload").text).group(1)
    return {"X-CSRF-Token": token}


def _login(client: TestClient, who) -> None:
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    r = client.post("/login", data={"csrf_token": token, "name": who[0], "password": who[1], "next": "/"},
                    follow_redirects=False)  # fmt: skip
    assert r.status_code == 303, r.text


@pytest.fixture
def as_admin(app):
    with TestClient(app) as c:
        _login(c, ADMIN)
        yield c


@pytest.fixture
def as_clerk(app):
    with TestClient(app) as c:
        _login(c, CLERK)
        yield c


def _ids(client) -> dict[str, int]:
    return {r["agency"]: r["id"] for r in client.get("/api/reports").json()}


def test_passwords_are_argon2_hashes_and_wrong_ones_fail(app):
    from sqlalchemy import select

    from xxgk.store import schema as s

    with app.state.engine.connect() as conn:
        hashes = conn.execute(select(s.users.c.password_hash)).scalars().all()
    assert hashes and all(h.startswith("$argon2id$") for h in hashes)
    assert not any(ADMIN[1] in h for h in hashes)
    with TestClient(app) as c:
        token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").text).group(1)
        r = c.post("/login", data={"csrf_token": token, "name": ADMIN[0], "password": "wrong-password"})
        assert r.status_code == 401 and "用户名或密码不正确" in r.text
        assert c.get("/reports", follow_redirects=False).status_code == 303  # still signed out
        assert c.get("/api/reports").status_code == 401


def test_http_basic_for_api_clients(app):
    with TestClient(app) as c:
        assert c.get("/api/reports", auth=ADMIN).status_code == 200
        assert c.get("/api/reports", auth=(ADMIN[0], "nope")).status_code == 401
        # no cookie, no CSRF token needed; a POST works
        data = load_expected(SEEDS / "004_be19f74464ca47e9.expected.json")
        assert c.post("/api/check", json=data, auth=ADMIN).json()["ok"] is True


def test_clerk_scope_on_every_api_route(app, as_admin, as_clerk):
    everything = _ids(as_admin)
    assert len(everything) == len(SEED_FILES)
    own = everything[CLERK_AGENCY]
    assert list(_ids(as_clerk)) == [CLERK_AGENCY]
    for agency, rid in everything.items():
        expected = 200 if rid == own else 404
        for path in (f"/api/reports/{rid}", f"/api/reports/{rid}/findings"):
            assert as_clerk.get(path).status_code == expected, (path, agency)
        assert as_clerk.get(f"/reports/{rid}").status_code == expected
        assert as_clerk.get(f"/author?source={rid}").status_code == expected
    # the admin's upload batch is not the clerk's
    assert as_clerk.get("/api/uploads/1").status_code == 404
    assert as_clerk.get("/api/uploads/1/findings.xlsx").status_code == 404
    assert as_clerk.get("/uploads/1").status_code == 404
    assert as_clerk.get("/api/users").status_code == 403
    assert as_clerk.get("/users").status_code == 403
    overview = as_clerk.get("/api/overview").json()
    assert {r["agency"] for r in overview["reported"]} <= {CLERK_AGENCY}
    assert all(m["agency"] == "上饶市工业和信息化局" for m in overview["missing"])
    # writing another agency's report is refused
    data = load_expected(SEEDS / "004_be19f74464ca47e9.expected.json")
    r = as_clerk.post("/api/render?format=html", json=data, headers=_csrf(as_clerk))
    assert r.status_code == 400 and "权限" in r.json()["detail"]


def test_every_api_route_needs_a_user(app):
    with TestClient(app) as c:
        for route in app.routes:
            path = getattr(route, "path", "")
            if not path.startswith("/api/") or path == "/api/openapi.json":
                continue
            url = path.replace("{report_id}", "1").replace("{upload_id}", "1")
            for method in route.methods - {"HEAD", "OPTIONS"}:
                assert c.request(method, url).status_code == 401, (method, url)


def test_reviewer_sees_their_region(app):
    with TestClient(app) as c:
        _login(c, REVIEWER)
        assert list(_ids(c)) == ["信阳市浉河区工信局"]


def test_clerk_upload_of_another_agency_is_refused(app, as_clerk):
    other = next(p for p in SEED_FILES if p.name.startswith("004"))
    edited = other.read_bytes() + b"\n"  # new bytes, same agency: would be a new version
    r = as_clerk.post("/api/uploads", files=[("files", ("x.txt", edited))], headers=_csrf(as_clerk))
    assert r.status_code == 200
    [item] = r.json()["items"]
    assert item["outcome"] == "refused" and "权限" in item["message"]


def test_csrf_is_required(app, as_admin):
    data = load_expected(SEEDS / "004_be19f74464ca47e9.expected.json")
    # API call with the session cookie but no token
    r = as_admin.post("/api/check", json=data)
    assert r.status_code == 403 and "CSRF" in r.json()["detail"]
    assert as_admin.post("/api/check", json=data, headers={"X-CSRF-Token": "forged"}).status_code == 403
    assert as_admin.post("/api/check", json=data, headers=_csrf(as_admin)).status_code == 200
    # form posts
    r = as_admin.post("/upload", files=[("files", ("a.txt", b"x"))])
    assert r.status_code == 403 and "安全令牌" in r.text
    r = as_admin.post("/users", data={"name": "mallory", "password": "12345678", "role": "admin"})
    assert r.status_code == 403
    assert "mallory" not in as_admin.get("/users").text
    assert as_admin.post("/logout", follow_redirects=False).status_code == 403


def test_oversize_upload_is_refused_in_chinese(app, as_admin, monkeypatch):
    monkeypatch.setattr(limits, "MAX_UPLOAD_BYTES", 64 * 1024)
    big = b"x" * (100 * 1024)
    r = as_admin.post("/api/uploads", files=[("files", ("big.txt", big))], headers=_csrf(as_admin))
    assert r.status_code == 413
    assert "上传内容过大" in r.json()["detail"] and "0.0625 MB" in r.json()["detail"]
    token = _csrf(as_admin)["X-CSRF-Token"]
    r = as_admin.post("/upload", data={"csrf_token": token}, files=[("files", ("big.txt", big))])
    assert r.status_code == 413 and "上传内容过大" in r.text


def test_a_file_too_large_inside_a_zip_is_reported(app, as_admin, monkeypatch):
    monkeypatch.setattr(limits, "MAX_INPUT_BYTES", 10_000)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("big.txt", "年度报告" * 10_000)
    r = as_admin.post("/api/uploads", files=[("files", ("many.zip", buf.getvalue()))], headers=_csrf(as_admin))
    [item] = r.json()["items"]
    assert item["name"] == "many.zip!big.txt" and item["outcome"] == "failed" and "过大" in item["message"]


def test_report_text_is_escaped(app, as_admin):
    """A report whose agency and prose hold markup shows it as text, on every page."""
    from xxgk.checks import check_report
    from xxgk.render.data import report_from_data
    from xxgk.store.ingest import store
    from xxgk.store.records import Record, report_rows

    data = load_expected(SEEDS / "004_be19f74464ca47e9.expected.json")
    evil = '<script>alert("x")</script>某某局'
    data["agency"] = evil
    data["sections"] = {"s1": '<img src=x onerror="alert(1)">总体情况'}
    report = report_from_data(data)
    store(app.state.engine, Record("e" * 64, evil + ".txt", 1, template=report.template, year=report.year,
                                   agency=report.agency, rows=report_rows(report, check_report(report))))  # fmt: skip
    rid = next(r["id"] for r in as_admin.get("/api/reports").json() if r["agency"] == evil)
    for path in ("/reports", f"/reports/{rid}", f"/author?source={rid}", "/overview?year=2022"):
        text = as_admin.get(path).text
        assert "<script>alert" not in text and "<img src=x" not in text, path
    page = as_admin.get(f"/reports/{rid}").text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;某某局" in page
    assert "&lt;img src=x onerror=" in page


def test_openapi_describes_the_api(app):
    with TestClient(app) as c:
        spec = c.get("/api/openapi.json").json()
    paths = spec["paths"]
    for path in ("/api/reports", "/api/reports/{report_id}", "/api/uploads", "/api/uploads/{upload_id}/findings.xlsx",
                 "/api/check", "/api/render", "/api/overview", "/api/users"):  # fmt: skip
        assert path in paths, path
    assert not any(not p.startswith("/api/") for p in paths)  # the pages are not part of the API


def test_render_through_the_api_round_trips(as_admin):
    from xxgk.api import parse

    data = load_expected(SEEDS / "004_be19f74464ca47e9.expected.json")
    r = as_admin.post("/api/render?format=docx", json=data, headers=_csrf(as_admin))
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    report = parse(r.content, name="r.docx")
    assert report.cells["t3.new_received.total"].value == data["t3"]["new_received"]["total"]
    data["t3"]["new_received"]["total"] += 1
    r = as_admin.post("/api/render?format=html", json=data, headers=_csrf(as_admin))
    assert r.status_code == 422 and r.json()["detail"]["findings"]
    check = as_admin.post("/api/check", json=data, headers=_csrf(as_admin)).json()
    assert not check["ok"] and any("t3.new_received.total" in f.get("cells", []) for f in check["findings"])
    published = data["t3"]["new_received"]["total"] - 1
    data["t3"]["new_received"]["total"] = None
    data["t3"]["new_received"]["natural_person"] += 2
    filled = as_admin.post("/api/fill-totals", json=data, headers=_csrf(as_admin)).json()
    assert filled == {"t3.new_received.total": str(published + 2)}  # only the empty total, computed


def test_batch_findings_excel(as_admin):
    from openpyxl import load_workbook

    r = as_admin.get("/api/uploads/1/findings.xlsx")
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.content))
    rows = list(wb["检查问题"].iter_rows(values_only=True))
    assert rows[0][:6] == ("文件", "机关", "年度", "严重程度", "规则", "问题说明")
    assert any(row[4] == "cell.blank" and row[1] == CLERK_AGENCY for row in rows[1:])
    files = list(wb["文件"].iter_rows(min_row=2, values_only=True))
    assert len(files) == len(SEED_FILES)


def test_admin_adds_a_clerk_who_must_have_one_agency(as_admin):
    h = _csrf(as_admin)
    r = as_admin.post("/api/users", json={"name": "c2", "password": "password-2", "role": "clerk"}, headers=h)
    assert r.status_code == 400 and "一个机关" in r.json()["detail"]
    r = as_admin.post("/api/users", json={"name": "c2", "password": "password-2", "role": "clerk",
                                          "agencies": ["海州区 工业和信息化局"]}, headers=h)  # fmt: skip
    assert r.status_code == 201 and r.json()["agencies"] == ["海州区工业和信息化局"]
    with TestClient(as_admin.app) as c:
        _login(c, ("c2", "password-2"))
        assert list(_ids(c)) == ["海州区工业和信息化局"]


def test_serve_and_user_add_on_the_command_line(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from xxgk.cli import app as cli
    from xxgk.web import accounts

    db = str(tmp_path / "x.sqlite3")
    monkeypatch.setenv("XXGK_PASSWORD", "short")
    r = CliRunner().invoke(cli, ["user", "add", "boss", "--role", "admin", "--db", db])
    assert r.exit_code == 2 and "密码至少" in r.output
    monkeypatch.setenv("XXGK_PASSWORD", "long-enough-1")
    r = CliRunner().invoke(cli, ["user", "add", "boss", "--role", "admin", "--db", db])
    assert r.exit_code == 0, r.output
    assert accounts.authenticate(open_database(db), "boss", "long-enough-1").is_admin
    r = CliRunner().invoke(cli, ["serve", "--help"])
    assert r.exit_code == 0 and "--port" in r.output


def test_report_page_reads_its_source_once_while_the_reviewer_goes_back_and_forth(as_admin, monkeypatch):
    """The source view is kept: a .doc or a scan would start LibreOffice or OCR on every visit."""
    from xxgk.web import views

    shown = [r["id"] for r in as_admin.get("/api/reports").json()]
    ids = [i for i in shown if 'class="src-table"' in as_admin.get(f"/reports/{i}").text][:2]
    assert len(ids) == 2
    calls = []
    real = views._source_html
    monkeypatch.setattr(views, "_source_cache", views.OrderedDict())
    monkeypatch.setattr(views, "_source_html", lambda data, name: calls.append(name) or real(data, name))
    pages = [as_admin.get(f"/reports/{i}").text for i in ids + ids + ids]
    assert len(calls) == 2
    assert pages[0] == pages[2] and pages[1] == pages[3] and 'class="src-table"' in pages[0]
    monkeypatch.setattr(views, "SOURCE_CACHE_SIZE", 1)
    as_admin.get(f"/reports/{ids[0]}")  # still kept: the cache shrinks only when it takes a new view
    assert len(calls) == 2
    views._source_cache.clear()
    for i in ids + ids:
        as_admin.get(f"/reports/{i}")
    assert len(calls) == 6  # a cache of one view: each report is read again after the other was shown
