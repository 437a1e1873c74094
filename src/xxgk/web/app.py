"""The FastAPI application: pages (server-rendered Jinja2, Chinese) and the JSON API."""

from __future__ import annotations

import base64
import os
from contextlib import asynccontextmanager
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from .. import __version__
from ..errors import XxgkError
from ..store import open_database
from . import accounts
from .security import CSRF_HEADER, SAFE_METHODS, BodyLimit, csrf_ok, csrf_token, secret_key
from .uploads import Workers

HERE = Path(__file__).parent
SESSION_SECONDS = 8 * 3600


class LoginRequired(Exception):
    pass


def local_time(value: datetime | None) -> str:
    """A stored time (UTC; naive from SQLite) in the office's time zone (``XXGK_TIMEZONE``,
    default Asia/Shanghai)."""
    if value is None:
        return ""
    try:
        zone = ZoneInfo(os.environ.get("XXGK_TIMEZONE", "Asia/Shanghai"))
    except (ZoneInfoNotFoundError, ValueError):
        zone = timezone.utc
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def templates() -> Jinja2Templates:
    t = Jinja2Templates(directory=str(HERE / "templates"))
    t.env.autoescape = True  # every .html template, and anything else rendered here
    t.env.filters["local_time"] = local_time
    return t


def current_user(request: Request) -> accounts.User | None:
    """The user of the session cookie, or of HTTP Basic credentials on an API call."""
    if hasattr(request.state, "user"):
        return request.state.user
    engine = request.app.state.engine
    user = None
    uid = request.session.get("uid")
    if uid is not None:
        user = accounts.get_user(engine, uid)
        request.state.via_session = user is not None
    if user is None and request.url.path.startswith("/api/"):
        auth = request.headers.get("authorization", "")
        if auth.lower().startswith("basic "):
            try:
                name, _, password = base64.b64decode(auth[6:]).decode("utf-8").partition(":")
            except ValueError:
                name, password = "", ""
            user = accounts.authenticate(engine, name, password) if name else None
            request.state.via_session = False
    request.state.user = user
    return user


def page_user(request: Request) -> accounts.User:
    """Pages: the signed-in user, else a redirect to the login page."""
    user = current_user(request)
    if user is None:
        raise LoginRequired()
    return user


def api_user(request: Request) -> accounts.User:
    """API: the user (session or HTTP Basic), else 401; a session call that changes anything
    must carry the CSRF token in ``X-CSRF-Token``."""
    user = current_user(request)
    if user is None:
        raise HTTPException(401, "请先登录（或使用 HTTP Basic 认证）(authentication required)",
                            headers={"WWW-Authenticate": 'Basic realm="xxgk-api"'})  # fmt: skip
    if request.method not in SAFE_METHODS and getattr(request.state, "via_session", False):
        if not csrf_ok(request, request.headers.get(CSRF_HEADER)):
            raise HTTPException(403, "缺少或无效的 CSRF 令牌，请刷新页面后重试 (CSRF token missing or invalid)")
    return user


def require_admin(user: accounts.User) -> None:
    if not user.is_admin:
        raise HTTPException(403, "只有管理员可以进行此操作 (administrators only)")


def create_app(db_url: str | None = None, *, workers: int = 2) -> FastAPI:
    """The application on the database at ``db_url`` (see :func:`xxgk.store.resolve_url`)."""
    engine = open_database(db_url)
    pool = Workers(workers)

    @asynccontextmanager
    async def lifespan(_app):
        yield
        pool.close()

    app = FastAPI(
        lifespan=lifespan,
        title="xxgk 政府信息公开工作年度报告 API",
        version=__version__,
        description="上传、检查、查看、撰写与汇总政府信息公开工作年度报告。认证：浏览器会话（写操作需 X-CSRF-Token 头）或 HTTP Basic。",
        openapi_url="/api/openapi.json",
        docs_url=None,  # Swagger UI loads its scripts from a CDN; the description is at /api/openapi.json
        redoc_url=None,
    )
    app.state.engine = engine
    app.state.workers = pool
    app.state.templates = templates()
    app.add_middleware(SessionMiddleware, secret_key=secret_key(engine), session_cookie="xxgk_session",
                       max_age=SESSION_SECONDS, same_site="lax", https_only=False)  # fmt: skip
    app.add_middleware(BodyLimit)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, exc: LoginRequired):
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=getattr(exc, "headers", None))
        return app.state.templates.TemplateResponse(
            request, "error.html", {"status": exc.status_code, "message": exc.detail, "user": current_user(request),
                                    "csrf": csrf_token(request)},
            status_code=exc.status_code,
        )  # fmt: skip

    @app.exception_handler(XxgkError)
    async def _xxgk_error(request: Request, exc: XxgkError):
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": exc.message}, status_code=400)
        return app.state.templates.TemplateResponse(
            request, "error.html", {"status": 400, "message": exc.message, "user": current_user(request),
                                    "csrf": csrf_token(request)},
            status_code=400,
        )  # fmt: skip

    from . import api, pages

    app.include_router(pages.router)
    app.include_router(api.router)

    @app.get("/", include_in_schema=False, response_class=HTMLResponse)
    def home(request: Request):
        user = current_user(request)
        if user is None:
            return RedirectResponse("/login", status_code=303)
        return RedirectResponse("/author" if user.is_clerk else "/reports", status_code=303)

    return app
