"""The pages: sign-in, reports (list, upload, one report, batch export), authoring, overview,
user management.  Server-rendered with Jinja2 (autoescaped); every form POST checks the CSRF
token."""

from __future__ import annotations

import json
from html import escape
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from .. import limits
from ..errors import XxgkError
from ..render.common import cell_text
from ..render.data import DataError
from ..render.html import table_html
from ..store import schema as s
from ..templates import TEMPLATES, get_template
from . import accounts, authoring, overview, views
from .accounts import User
from .app import page_user
from .security import CSRF_FIELD, csrf_ok, csrf_token
from .uploads import upload as store_upload

router = APIRouter(include_in_schema=False)
FORM_FIELDS = 2000


def render(request: Request, name: str, user: User | None, status_code: int = 200, **context) -> HTMLResponse:
    t = request.app.state.templates
    return t.TemplateResponse(request, name, {"user": user, "csrf": csrf_token(request), **context},
                              status_code=status_code)  # fmt: skip


async def checked_form(request: Request, **kwargs):
    form = await request.form(max_fields=FORM_FIELDS, **kwargs)
    if not csrf_ok(request, form.get(CSRF_FIELD)):
        raise HTTPException(403, "表单已过期或缺少安全令牌，请刷新页面后重试 (CSRF token missing or invalid)")
    return form


def _int(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


# signing in ----------------------------------------------------------------------------------
@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/"):
    return render(request, "login.html", None, next=next if next.startswith("/") else "/")


@router.post("/login")
async def login(request: Request):
    form = await checked_form(request)
    engine = request.app.state.engine
    user = await run_in_threadpool(accounts.authenticate, engine, str(form.get("name", "")), str(form.get("password", "")))
    target = str(form.get("next") or "/")
    if not target.startswith("/") or target.startswith("//"):
        target = "/"
    if user is None:
        return render(request, "login.html", None, status_code=401, next=target, error="用户名或密码不正确")
    request.session.clear()
    request.session["uid"] = user.id
    csrf_token(request)
    return RedirectResponse(target, status_code=303)


@router.post("/logout")
async def logout(request: Request):
    await checked_form(request)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


# reports -------------------------------------------------------------------------------------
@router.get("/reports", response_class=HTMLResponse)
def report_list(request: Request, agency: str = "", year: str = "", status: str = "", region: str = ""):
    user = page_user(request)
    engine = request.app.state.engine
    rows = views.visible_reports(engine, user, agency=agency or None, year=_int(year), status=status or None,
                                 region=region or None)  # fmt: skip
    everything = views.visible_reports(engine, user)
    years = sorted({r.year for r in everything if r.year}, reverse=True)
    counts = {k: sum(1 for r in rows if r.status == k) for k in views.STATUS_LABELS}
    return render(request, "reports.html", user, rows=rows, years=years, counts=counts,
                  filters={"agency": agency, "year": _int(year), "status": status, "region": region},
                  statuses=views.STATUS_LABELS, batches=views.user_batches(engine, user, 10))  # fmt: skip


@router.get("/upload", response_class=HTMLResponse)
def upload_page(request: Request):
    user = page_user(request)
    return render(request, "upload.html", user, max_mb=limits.MAX_UPLOAD_BYTES / (1024 * 1024),
                  max_files=limits.MAX_UPLOAD_FILES)  # fmt: skip


@router.post("/upload")
async def upload_files(request: Request):
    user = page_user(request)
    form = await checked_form(request, max_files=limits.MAX_UPLOAD_FILES)
    files = []
    for f in form.getlist("files"):
        if hasattr(f, "read") and f.filename:
            files.append((f.filename, await f.read()))
    if not files:
        return render(request, "upload.html", user, status_code=400, error="请选择要上传的报告文件",
                      max_mb=limits.MAX_UPLOAD_BYTES / (1024 * 1024), max_files=limits.MAX_UPLOAD_FILES)  # fmt: skip
    try:
        upload_id = await run_in_threadpool(store_upload, request.app.state.engine, request.app.state.workers, user, files)
    except XxgkError as exc:
        return render(request, "upload.html", user, status_code=400, error=exc.message,
                      max_mb=limits.MAX_UPLOAD_BYTES / (1024 * 1024), max_files=limits.MAX_UPLOAD_FILES)  # fmt: skip
    return RedirectResponse(f"/uploads/{upload_id}", status_code=303)


def _batch(request: Request, user: User, upload_id: int):
    found = views.batch(request.app.state.engine, user, upload_id)
    if found is None:
        raise HTTPException(404, "没有这批上传，或您无权查看")
    return found


@router.get("/uploads/{upload_id}", response_class=HTMLResponse)
def upload_result(request: Request, upload_id: int):
    user = page_user(request)
    up, items = _batch(request, user, upload_id)
    return render(request, "batch.html", user, upload=up, items=items)


@router.get("/uploads/{upload_id}/findings.xlsx")
def upload_findings(request: Request, upload_id: int):
    user = page_user(request)
    _up, items = _batch(request, user, upload_id)
    return xlsx_response(views.batch_findings_xlsx(request.app.state.engine, items), f"检查问题-第{upload_id}批.xlsx")


def xlsx_response(data: bytes, name: str) -> Response:
    return Response(data, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})  # fmt: skip


def visible_row(request: Request, user: User, report_id: int) -> views.ReportRow:
    row = views.report_row(request.app.state.engine, report_id)
    if not views.allowed(user, row):
        # the same answer whether the report does not exist or is another agency's
        raise HTTPException(404, "没有这份报告，或您无权查看")
    return row


def _cell_attrs(report, marks, labels):
    def attrs(cell) -> dict[str, str]:
        c = report.cells.get(cell.key)
        out = {"data-key": cell.key, "class": "v", "tabindex": "0"}
        if cell.key in marks:
            sev, nums = marks[cell.key]
            out["class"] += f" mark-{sev}"
            out["data-findings"] = " ".join(map(str, nums))
        if c is not None and c.loc is not None:
            out["data-loc"] = json.dumps(c.loc.to_dict())
        tip = labels.get(cell.key, cell.key)
        if c is not None and c.raw not in (None, ""):
            tip += f"\n原文：{c.raw}"
        if c is not None and c.loc is not None and str(c.loc):
            tip += f"\n位置：{c.loc}"
        out["title"] = tip
        return out

    return attrs


def cell_labels(spec) -> dict[str, str]:
    """cell key -> "row label › column label", for tooltips and the findings list."""
    out = {}
    for key, (table, block, row, col) in spec.cell_spec.items():
        row_label = row.label or block.label or ""
        out[key] = f"{table.title} {row_label} › {col.label or ''}".strip()
    return out


def report_tables(report, findings) -> list[str]:
    """The three tables in the official layout, offending cells marked."""
    marks = views.cell_marks(findings)
    labels = cell_labels(report.spec)
    headings = {sec.table: f"{sec.number}、{sec.heading}" for sec in report.spec.sections if sec.table}
    attrs = _cell_attrs(report, marks, labels)
    return [
        table_html(report, t, headings.get(t.key, ""), attrs=attrs, styled=False) for t in report.spec.tables
    ]


@router.get("/reports/{report_id}", response_class=HTMLResponse)
def report_page(request: Request, report_id: int):
    user = page_user(request)
    engine = request.app.state.engine
    row = visible_row(request, user, report_id)
    if row.status == s.STATUS_FAILED:
        return render(request, "report_failed.html", user, row=row)
    report = views.stored_report(engine, report_id)
    findings = views.report_findings(engine, report_id)
    data = views.source_bytes(engine, row)
    source, source_error = None, None
    if data is None:
        source_error = "原文件未保存（由命令行入库且原路径已不存在），无法显示原文"
    else:
        try:
            source = views.source_html(data, row.file_name)
        except XxgkError as exc:
            source_error = exc.message
    return render(request, "report.html", user, row=row, report=report, findings=findings,
                  tables=report_tables(report, findings), source=source, source_error=source_error,
                  sections=report.sections)  # fmt: skip


# authoring -----------------------------------------------------------------------------------
def _inputs(values: dict[str, str], labels: dict[str, str]):
    def value(cell) -> str:
        v = values.get(cell.key, "")
        return (f'<input name="{escape(cell.key)}" value="{escape(v)}" inputmode="decimal" autocomplete="off" '
                f'aria-label="{escape(labels.get(cell.key, cell.key))}">')  # fmt: skip

    return value


def author_context(request: Request, user: User, template: str, values: dict[str, str], meta: dict, texts: dict):
    spec = get_template(template)
    labels = cell_labels(spec)
    headings = {sec.table: f"{sec.number}、{sec.heading}" for sec in spec.sections if sec.table}
    value = _inputs(values, labels)
    tables = {
        t.key: table_html(None, t, headings.get(t.key, ""), value=value, attrs=lambda c: {"data-key": c.key, "class": "v"},
                          styled=False)  # fmt: skip
        for t in spec.tables
    }
    return {"spec": spec, "tables": tables, "meta": meta, "texts": texts, "templates": TEMPLATES,
            "agency_fixed": user.is_clerk, "formats": authoring.FORMATS}  # fmt: skip


@router.get("/author", response_class=HTMLResponse)
def author_page(request: Request, template: str = "gov2021", source: str = ""):
    user = page_user(request)
    if template not in TEMPLATES:
        template = "gov2021"
    values: dict[str, str] = {}
    texts: dict[str, str] = {}
    meta = {"year": "", "agency": "", "title": "", "published": ""}
    if source:
        rid = _int(source)
        row = visible_row(request, user, rid) if rid is not None else None
        if row is None or row.status == s.STATUS_FAILED:
            raise HTTPException(404, "没有这份报告，或您无权查看")
        report = views.stored_report(request.app.state.engine, rid)
        template = report.template
        values = {k: cell_text(report, k) for k in report.cells}
        texts = {sec.key: sec.text for sec in report.sections}
        meta = {"year": report.year or "", "agency": report.agency or "", "title": report.title or "",
                "published": report.published.isoformat() if report.published else ""}  # fmt: skip
    if user.is_clerk and not meta["agency"]:
        meta["agency"] = _clerk_agency(request, user)
    return render(request, "author.html", user, **author_context(request, user, template, values, meta, texts))


def _clerk_agency(request: Request, user: User) -> str:
    """The clerk's agency as published in their latest stored report, else its normalised name."""
    rows = views.visible_reports(request.app.state.engine, user)
    return rows[0].agency if rows and rows[0].agency else (user.agencies[0] if user.agencies else "")


def enforce_agency(user: User, data: dict) -> None:
    if not user.may_see_agency(data.get("agency")):
        raise DataError("报告机关不在您的权限范围内，只能撰写本机关的报告")


@router.post("/author/download")
async def author_download(request: Request):
    user = page_user(request)
    form = await checked_form(request)
    fields = {k: str(v) for k, v in form.items() if isinstance(v, str)}
    fmt = fields.get("format", "docx")
    if fmt not in authoring.FORMATS:
        raise DataError(f"不支持的下载格式“{fmt}”，应为 docx、pdf 或 html")
    data = authoring.data_from_fields(fields)
    enforce_agency(user, data)
    try:
        report = authoring.build(data)
    except DataError as exc:
        return _author_again(request, user, fields, exc.message, [])
    errors = authoring.blocking(report)
    if errors and not fields.get("allow_errors"):
        return _author_again(request, user, fields, f"数据有 {len(errors)} 处错误，未生成文件；请核对，或勾选“有错误时仍然生成”", errors)
    content = await run_in_threadpool(authoring.render, report, fmt)
    name = authoring.file_name(report, fmt)
    return Response(content, media_type=authoring.FORMATS[fmt][0],
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})  # fmt: skip


def _author_again(request: Request, user: User, fields: dict, error: str, findings: list):
    template = fields.get("template") if fields.get("template") in TEMPLATES else "gov2021"
    spec = get_template(template)
    values = {k: fields.get(k, "") for k in spec.cell_keys}
    texts = {sec.key: fields.get(f"sections.{sec.key}", "") for sec in spec.sections}
    meta = {k: fields.get(k, "") for k in ("year", "agency", "title", "published")}
    context = author_context(request, user, template, values, meta, texts)
    return render(request, "author.html", user, status_code=400, error=error, blocking=findings, **context)


# overview ------------------------------------------------------------------------------------
@router.get("/overview", response_class=HTMLResponse)
def overview_page(request: Request, region: str = "", year: str = ""):
    user = page_user(request)
    ov = overview.build(request.app.state.engine, user, region or None, _int(year))
    sums = []
    for sm in ov.sums:
        attrs = _sum_attrs(sm)
        headings = {sec.table: f"{sec.number}、{sec.heading}" for sec in sm.report.spec.sections if sec.table}
        sums.append((sm, [table_html(sm.report, t, headings.get(t.key, ""), attrs=attrs, styled=False)
                          for t in sm.report.spec.tables]))  # fmt: skip
    return render(request, "overview.html", user, ov=ov, sums=sums)


def _sum_attrs(sm):
    marked = {k for f in sm.findings for k in f.cells}

    def attrs(cell):
        out = {"data-key": cell.key, "class": "v"}
        if cell.key in sm.incomplete:
            out["class"] += " incomplete"
            out["title"] = f"{sm.incomplete[cell.key]} 份报告此项空白，合计不完整"
        if cell.key in marked:
            out["class"] += " mark-error"
        return out

    return attrs


# users ---------------------------------------------------------------------------------------
@router.get("/users", response_class=HTMLResponse)
def users_page(request: Request):
    user = page_user(request)
    if not user.is_admin:
        raise HTTPException(403, "只有管理员可以管理用户")
    return render(request, "users.html", user, users=accounts.list_users(request.app.state.engine),
                  roles=accounts.ROLE_LABELS)  # fmt: skip


@router.post("/users")
async def users_add(request: Request):
    user = page_user(request)
    if not user.is_admin:
        raise HTTPException(403, "只有管理员可以管理用户")
    form = await checked_form(request)
    engine = request.app.state.engine
    split = lambda v: [x for x in str(v or "").replace("，", ",").replace("、", ",").split(",") if x.strip()]  # noqa: E731
    try:
        await run_in_threadpool(
            accounts.add_user, engine, str(form.get("name", "")), str(form.get("password", "")),
            str(form.get("role", "")), regions=split(form.get("regions")), agencies=split(form.get("agencies")),
        )  # fmt: skip
    except XxgkError as exc:
        return render(request, "users.html", user, status_code=400, error=exc.message,
                      users=accounts.list_users(engine), roles=accounts.ROLE_LABELS)  # fmt: skip
    return RedirectResponse("/users", status_code=303)


@router.post("/users/{user_id}/active")
async def users_active(request: Request, user_id: int):
    user = page_user(request)
    if not user.is_admin:
        raise HTTPException(403, "只有管理员可以管理用户")
    form = await checked_form(request)
    if user_id == user.id:
        raise HTTPException(400, "不能停用自己的账号")
    accounts.set_active(request.app.state.engine, user_id, form.get("active") == "1")
    return RedirectResponse("/users", status_code=303)
