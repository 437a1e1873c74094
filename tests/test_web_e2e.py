"""End-to-end: the web application driven in headless Chromium (Playwright with Debian's
chromium) against ``xxgk serve`` on a temporary SQLite database.

Upload seeds and see a finding highlighted and traced to the source; fill the authoring form,
see the live check catch a wrong total, download Word and parse it back to the same data; the
overview with its charts; a clerk of one agency cannot open another agency's report, by link or
by API.  Every page is screenshotted (see tests/web_support.py)."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest

from .conftest import SEEDS, flatten, load_expected
from .web_support import ADMIN, CLERK, CLERK_AGENCY, Screens, chromium, login, make_users, running_server

SHANGRAO = "002_69dc6e22679cfd75"  # 上饶市工业和信息化局 2021: two rows of 表三 left blank (warnings)
HAIZHOU = "004_be19f74464ca47e9"  # 海州区工业和信息化局 2022


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("web")
    db_url = f"sqlite:///{folder / 'xxgk.sqlite3'}"
    make_users(db_url)
    with running_server(db_url, folder / "server.log") as base, chromium() as browser:
        yield base, browser, Screens(folder / "screens")


@pytest.fixture
def page(site):
    base, browser, _ = site
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    yield page
    context.close()


def _upload_seeds(page, base: str) -> None:
    page.goto(base + "/upload")
    page.set_input_files("input[type=file]", [str(p) for p in sorted(SEEDS.glob("*.txt"))])
    page.click("#upload-button")
    page.wait_for_url("**/uploads/*")


def _report_id(page, base: str, agency: str) -> int:
    page.goto(base + "/reports")
    href = page.get_by_role("link", name=agency, exact=True).get_attribute("href")
    return int(href.rsplit("/", 1)[1])


def test_review_upload_highlight_trace_and_export(site, page):
    base, _, screens = site
    login(page, base, ADMIN)
    _upload_seeds(page, base)
    rows = page.locator("table.list tbody tr")
    assert rows.count() == len(list(SEEDS.glob("*.txt")))
    assert page.locator("text=已入库").count() == rows.count()
    screens.take(page, "01-batch")

    with page.expect_download() as info:
        page.click("text=导出检查问题（Excel）")
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(open(info.value.path(), "rb").read()))
    messages = [r[5] for r in wb["检查问题"].iter_rows(min_row=2, values_only=True)]
    assert any("（六）其他处理" in (m or "") and "为空" in (m or "") for m in messages)

    page.goto(base + "/reports")
    assert page.locator("text=有警告").count() >= 1
    screens.take(page, "02-reports")

    page.goto(f"{base}/reports/{_report_id(page, base, CLERK_AGENCY)}")
    blank = page.locator('td[data-key="t3.result.other.unpaid_fee.natural_person"]')
    assert "mark-warning" in blank.get_attribute("class")
    assert page.locator('td[data-key="t3.new_received.total"]').get_attribute("class") == "v"
    finding = page.locator(".finding", has_text="（六）其他处理 2.")
    assert finding.count() == 1 and "t3.result.other.unpaid_fee.total" in finding.get_attribute("data-cells")
    screens.take(page, "03-report-findings")

    # a number traced to where it was read: the source panel opens on that cell
    total = page.locator('td[data-key="t3.new_received.total"]')
    total.click()
    hit = page.locator("#panel-source .hit")
    assert hit.count() == 1 and hit.inner_text().strip() == total.inner_text().strip()
    assert json.loads(total.get_attribute("data-loc"))["line"] == int(hit.get_attribute("data-line"))
    screens.take(page, "04-report-source", full_page=False)  # the source pane scrolls on its own


def _fill(page, data: dict) -> None:
    page.fill("input[name=agency]", data["agency"])
    page.fill("input[name=year]", str(data["year"]))
    for key, value in flatten({k: data[k] for k in ("t2", "t3", "t4")}).items():
        page.fill(f'input[name="{key}"]', "" if value is None else str(value))


def test_authoring_live_checks_and_word_round_trip(site, page):
    base, _, screens = site
    from xxgk.api import parse

    login(page, base, ADMIN)
    data = load_expected(SEEDS / f"{HAIZHOU}.expected.json")
    page.goto(base + "/author?template=" + data["template"])
    screens.take(page, "05-author-empty")
    _fill(page, data)
    page.fill('textarea[name="sections.s1"]', "本机关坚持以公开为常态、不公开为例外，主动公开政府信息。")
    page.wait_for_selector("#check-status.ok")

    # a wrong total: the real checks (on the server) mark the cells of the broken identity
    right = str(data["t3"]["new_received"]["total"])
    page.fill('input[name="t3.new_received.total"]', str(int(right) + 5))
    page.wait_for_selector("#check-status.bad")
    assert "mark-error" in page.locator('td[data-key="t3.new_received.total"]').get_attribute("class")
    assert page.locator("#live-findings .sev-error").count() >= 1
    screens.take(page, "06-author-live-error")

    # blocked while wrong; fixed, the Word file parses back to the same data
    page.fill('input[name="t3.new_received.total"]', right)
    page.wait_for_selector("#check-status.ok")
    assert page.locator("td.mark-error").count() == 0
    screens.take(page, "07-author-ok")
    with page.expect_download() as info:
        page.click("button[value=docx]")
    download = info.value
    assert download.suggested_filename.endswith(".docx")
    report = parse(download.path(), name=download.suggested_filename)
    assert report.template == data["template"] and report.year == data["year"] and report.agency == data["agency"]
    expected = flatten({k: data[k] for k in ("t2", "t3", "t4")})
    got = {k: c.value for k, c in report.cells.items()}
    assert got == {k: (None if v is None else Decimal(str(v)) if isinstance(v, Decimal) else v) for k, v in expected.items()}
    assert "以公开为常态" in report.section("s1").text


def test_authoring_refuses_to_write_a_wrong_report(site, page):
    base, _, screens = site
    login(page, base, ADMIN)
    data = load_expected(SEEDS / f"{HAIZHOU}.expected.json")
    page.goto(base + "/author?template=" + data["template"])
    _fill(page, data)
    page.fill('input[name="t4.review.total"]', str(data["t4"]["review"]["total"] + 1))
    page.click("button[value=html]")
    page.wait_for_selector(".alert.error")
    assert "未生成文件" in page.locator(".alert.error").inner_text()
    # the form comes back as typed
    assert page.input_value('input[name="t4.review.total"]') == str(data["t4"]["review"]["total"] + 1)
    screens.take(page, "08-author-refused")


def test_overview_with_charts(site, page):
    base, _, screens = site
    login(page, base, ADMIN)
    _upload_seeds(page, base)  # idempotent: the same bytes are stored once
    page.goto(base + "/overview?year=2022")
    assert page.locator(".chart svg").count() == 3
    assert page.locator(".card b").first.inner_text() == "2"  # 封丘县…局 and 海州区…局 reported for 2022
    sums = page.locator('.official td[data-key="t3.new_received.total"]').first.inner_text()
    seeds = [load_expected(p) for p in SEEDS.glob("*.expected.json")]
    assert int(sums) == sum(d["t3"]["new_received"]["total"] for d in seeds if d["year"] == 2022)
    screens.take(page, "09-overview")
    page.goto(base + "/users")
    assert page.locator("text=部门填报员").count() >= 1
    screens.take(page, "10-users")


def test_clerk_sees_only_their_agency(site, page):
    base, browser, screens = site
    login(page, base, ADMIN)
    _upload_seeds(page, base)
    other = _report_id(page, base, "海州区工业和信息化局")
    own = _report_id(page, base, CLERK_AGENCY)
    page.context.clear_cookies()

    login(page, base, CLERK)
    page.goto(base + "/reports")
    agencies = page.locator("table.list tbody td:first-child").all_inner_texts()
    assert agencies == [CLERK_AGENCY]
    screens.take(page, "11-clerk-reports")
    # by link
    response = page.goto(f"{base}/reports/{other}")
    assert response.status == 404 and "海州区" not in page.content()
    screens.take(page, "12-clerk-refused")
    assert page.goto(f"{base}/reports/{own}").status == 200
    # by API, with the session cookie
    assert page.request.get(f"{base}/api/reports/{other}").status == 404
    assert page.request.get(f"{base}/api/reports/{other}/findings").status == 404
    assert page.request.get(f"{base}/api/reports/{own}").status == 200
    assert [r["agency"] for r in page.request.get(f"{base}/api/reports").json()] == [CLERK_AGENCY]
    # the authoring form is fixed to the clerk's agency
    page.goto(base + "/author")
    assert page.locator("input[name=agency]").get_attribute("readonly") is not None
    assert page.input_value("input[name=agency]") == CLERK_AGENCY
