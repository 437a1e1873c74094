"""The JSON API: the same operations as the pages, described at ``/api/openapi.json``.

Authentication is the browser's session (then every call that changes something carries the
``X-CSRF-Token`` header) or HTTP Basic.  Every route filters by the caller's scope exactly as
the pages do (:mod:`xxgk.web.views`), so a clerk gets 404 for another agency's report here too.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Body, Depends, File, HTTPException, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pydantic import BaseModel, Field

from .. import limits
from ..report.jsonio import report_to_dict
from ..store import schema as s
from . import accounts, authoring, overview, views
from .accounts import User
from .app import api_user, require_admin
from .pages import enforce_agency, xlsx_response
from .uploads import upload as store_upload

router = APIRouter(prefix="/api", tags=["xxgk"])

REPORT_DATA = Body(
    ...,
    description="报告数据，与 `xxgk parse --format json` 的形状相同：template、year、agency、t2、t3、t4（每个单元格都要给出，无数字写 null），可选 sections、title、published",
    examples=[{"template": "gov2021", "year": 2023, "agency": "某某市某某局", "t2": {}, "t3": {}, "t4": {}}],
)


class ReportSummary(BaseModel):
    id: int
    agency: str | None
    region: str | None
    year: int | None
    template: str | None
    status: str = Field(description="clean 无问题 | warnings 有警告 | errors 有错误 | failed 读取失败")
    status_label: str
    errors: int
    warnings: int
    source_name: str
    version: int
    sha256: str
    error: str | None = None


class FindingOut(BaseModel):
    rule: str
    severity: str
    severity_label: str
    message: str
    table: str | None = None
    row: str | None = None
    column: str | None = None
    section: str | None = None
    expected: str | None = None
    actual: str | None = None
    cells: list[str] = []


class CheckResult(BaseModel):
    ok: bool = Field(description="没有错误级问题")
    error: str | None = Field(None, description="数据本身有误时的说明（不是数字、缺项等）")
    errors: int = 0
    findings: list[dict[str, Any]]


class UploadItemOut(BaseModel):
    name: str
    outcome: str = Field(description="stored 已入库 | existing 已存在 | failed 读取失败 | refused 无权上传")
    message: str | None = None
    report: ReportSummary | None = None


class UploadOut(BaseModel):
    id: int
    items: list[UploadItemOut]


class UserIn(BaseModel):
    name: str
    password: str
    role: str = Field(description="admin | reviewer | clerk")
    regions: list[str] = []
    agencies: list[str] = []


class UserOut(BaseModel):
    id: int
    name: str
    role: str
    regions: list[str]
    agencies: list[str]
    active: bool = True


def _row(request: Request, user: User, report_id: int) -> views.ReportRow:
    row = views.report_row(request.app.state.engine, report_id)
    if not views.allowed(user, row):
        raise HTTPException(404, "没有这份报告，或您无权查看")
    return row


@router.get("/me", response_model=UserOut, summary="当前用户")
def me(user: User = Depends(api_user)):
    return UserOut(id=user.id, name=user.name, role=user.role, regions=list(user.regions), agencies=list(user.agencies))


@router.get("/reports", response_model=list[ReportSummary], summary="报告列表（每份报告的最新版本）")
def list_reports(
    request: Request,
    user: User = Depends(api_user),
    agency: str | None = Query(None, description="机关名称包含"),
    year: int | None = None,
    status: str | None = Query(None, description="clean | warnings | errors"),
    region: str | None = Query(None, description="地区（前缀）"),
):
    rows = views.visible_reports(request.app.state.engine, user, agency=agency, year=year, status=status, region=region)
    return [r.to_dict() for r in rows]


@router.get("/reports/{report_id}", summary="一份报告：数据（每个数字附原文位置）与检查问题")
def get_report(request: Request, report_id: int, user: User = Depends(api_user)) -> dict[str, Any]:
    row = _row(request, user, report_id)
    out: dict[str, Any] = {"report": row.to_dict()}
    if row.status != s.STATUS_FAILED:
        report = views.stored_report(request.app.state.engine, report_id)
        out["data"] = _plain(report_to_dict(report))
        out["findings"] = [f.to_dict() for f in views.report_findings(request.app.state.engine, report_id)]
    return out


def _plain(obj):
    """Decimals as strings (exact), everything else JSON-ready."""
    from decimal import Decimal

    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    if isinstance(obj, Decimal):
        return str(obj)
    return obj


@router.get("/reports/{report_id}/findings", response_model=list[FindingOut], summary="一份报告的检查问题")
def get_findings(request: Request, report_id: int, user: User = Depends(api_user)):
    _row(request, user, report_id)
    return [f.to_dict() for f in views.report_findings(request.app.state.engine, report_id)]


@router.post("/uploads", response_model=UploadOut, summary="上传报告（一个或多个文件，或 zip 压缩包）并检查入库")
async def upload(request: Request, files: list[UploadFile] = File(...), user: User = Depends(api_user)):
    if len(files) > limits.MAX_UPLOAD_FILES:
        raise HTTPException(413, f"一次最多上传 {limits.MAX_UPLOAD_FILES} 个文件 (too many files)")
    data = [(f.filename or "upload", await f.read()) for f in files]
    upload_id = await run_in_threadpool(store_upload, request.app.state.engine, request.app.state.workers, user, data)
    return _upload(request, user, upload_id)


def _upload(request: Request, user: User, upload_id: int) -> UploadOut:
    found = views.batch(request.app.state.engine, user, upload_id)
    if found is None:
        raise HTTPException(404, "没有这批上传，或您无权查看")
    _up, items = found
    return UploadOut(id=upload_id, items=[
        UploadItemOut(name=i.name, outcome=i.outcome, message=i.message, report=i.report.to_dict() if i.report else None)
        for i in items
    ])  # fmt: skip


@router.get("/uploads/{upload_id}", response_model=UploadOut, summary="一批上传的结果")
def get_upload(request: Request, upload_id: int, user: User = Depends(api_user)):
    return _upload(request, user, upload_id)


@router.get("/uploads/{upload_id}/findings.xlsx", summary="一批上传的检查问题（Excel，发回各部门）",
            responses={200: {"content": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}}})
def upload_findings(request: Request, upload_id: int, user: User = Depends(api_user)):
    found = views.batch(request.app.state.engine, user, upload_id)
    if found is None:
        raise HTTPException(404, "没有这批上传，或您无权查看")
    return xlsx_response(views.batch_findings_xlsx(request.app.state.engine, found[1]), f"检查问题-第{upload_id}批.xlsx")


@router.post("/check", response_model=CheckResult, summary="检查报告数据（撰写时实时检查勾稽关系等）")
def check(request: Request, data: dict[str, Any] = REPORT_DATA, user: User = Depends(api_user)):
    return authoring.check(data)


@router.post("/fill-totals", summary="按勾稽关系补算空缺的合计（不改动已填写的数字）")
def fill_totals(request: Request, data: dict[str, Any] = REPORT_DATA, user: User = Depends(api_user)) -> dict[str, str]:
    return authoring.filled(data)


@router.post("/render", summary="按官方格式生成报告（Word、PDF 或网页）",
             responses={200: {"content": {v[0].split(";")[0]: {} for v in authoring.FORMATS.values()}}})
async def render(
    request: Request,
    data: dict[str, Any] = REPORT_DATA,
    format: str = Query("docx", description="docx | pdf | html"),
    allow_errors: bool = Query(False, description="数据有错误时仍然生成"),
    user: User = Depends(api_user),
):
    if format not in authoring.FORMATS:
        raise HTTPException(400, f"不支持的格式“{format}”，应为 docx、pdf 或 html")
    enforce_agency(user, data)
    report = authoring.build(data)
    errors = authoring.blocking(report)
    if errors and not allow_errors:
        raise HTTPException(422, {"message": f"数据有 {len(errors)} 处错误，未生成文件", "findings":
                                  [f.to_dict() | {"expected": None, "actual": None} for f in errors]})  # fmt: skip
    content = await run_in_threadpool(authoring.render, report, format)
    name = authoring.file_name(report, format)
    return Response(content, media_type=authoring.FORMATS[format][0],
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})  # fmt: skip


@router.get("/overview", summary="地区、年度汇总：已报、缺报、有错误的机关，各项合计及其勾稽复核")
def get_overview(request: Request, region: str | None = None, year: int | None = None, user: User = Depends(api_user)):
    ov = overview.build(request.app.state.engine, user, region, year)
    return {
        "region": ov.region,
        "year": ov.year,
        "reported": [r.to_dict() for r in ov.reported],
        "missing": [{k: (v if isinstance(v, (str, int)) else None) for k, v in m.items()} for m in ov.missing],
        "failing": [r.id for r in ov.failing],
        "sums": [
            {
                "template": sm.template,
                "reports": sm.reports,
                "cells": {k: (None if c.value is None else str(c.value)) for k, c in sm.report.cells.items()},
                "incomplete": sm.incomplete,
                "findings": [_plain(f.to_dict()) for f in sm.findings],
            }
            for sm in ov.sums
        ],
    }


@router.get("/users", response_model=list[UserOut], summary="用户列表（管理员）")
def list_users(request: Request, user: User = Depends(api_user)):
    require_admin(user)
    return [UserOut(id=u.id, name=u.name, role=u.role, regions=list(u.regions), agencies=list(u.agencies), active=a)
            for u, a in accounts.list_users(request.app.state.engine)]  # fmt: skip


@router.post("/users", response_model=UserOut, status_code=201, summary="新建用户（管理员）")
def add_user(request: Request, body: UserIn, user: User = Depends(api_user)):
    require_admin(user)
    u = accounts.add_user(request.app.state.engine, body.name, body.password, body.role, regions=body.regions,
                          agencies=body.agencies)  # fmt: skip
    return UserOut(id=u.id, name=u.name, role=u.role, regions=list(u.regions), agencies=list(u.agencies))
