"""Sessions, CSRF tokens, request-size limits.

The session is a cookie signed with a key kept in the database (``settings``) or given in
``XXGK_SECRET_KEY``, so restarts and several server processes share it.  Every form POST carries
the session's CSRF token in a hidden field; every API call made with the session cookie carries
it in the ``X-CSRF-Token`` header (API clients that authenticate with HTTP Basic send no cookie
and need none).  Request bodies are bounded by :data:`xxgk.limits.MAX_UPLOAD_BYTES`, checked on
the declared length and again while the body streams in.
"""

from __future__ import annotations

import hmac
import json
import os
import secrets

from sqlalchemy import insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from starlette.requests import Request

from .. import limits
from ..store import schema as s

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def secret_key(engine: Engine) -> str:
    """The session-signing key: ``XXGK_SECRET_KEY``, else the one stored (made on first use)."""
    if os.environ.get("XXGK_SECRET_KEY"):
        return os.environ["XXGK_SECRET_KEY"]
    with engine.begin() as conn:
        row = conn.execute(select(s.settings.c.value).where(s.settings.c.key == "session_key")).first()
        if row:
            return row.value
        key = secrets.token_urlsafe(48)
        try:
            conn.execute(insert(s.settings).values(key="session_key", value=key))
        except IntegrityError:  # another process made it first
            pass
    with engine.connect() as conn:
        return conn.execute(select(s.settings.c.value).where(s.settings.c.key == "session_key")).scalar_one()


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def csrf_ok(request: Request, given: str | None) -> bool:
    expected = request.session.get("csrf")
    return bool(expected and given and hmac.compare_digest(expected, given))


def too_large_message() -> str:
    mb = limits.MAX_UPLOAD_BYTES / (1024 * 1024)
    return f"上传内容过大，上限为 {mb:g} MB，请分批上传 (upload too large)"


class _TooLarge(Exception):
    pass


class BodyLimit:
    """ASGI middleware: a request whose body exceeds :data:`limits.MAX_UPLOAD_BYTES` gets 413
    with a Chinese message (JSON for the API, a short page otherwise)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = limits.MAX_UPLOAD_BYTES
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            return await self._refuse(scope, send)
        seen = 0
        started = False

        async def counted_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise _TooLarge()
            return message

        async def watched_send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except _TooLarge:
            if not started:
                await self._refuse(scope, send)

    @staticmethod
    async def _refuse(scope, send):
        message = too_large_message()
        if scope["path"].startswith("/api/"):
            body = json.dumps({"detail": message}, ensure_ascii=False).encode()
            ctype = b"application/json"
        else:
            from html import escape

            body = (
                '<!DOCTYPE html><html lang="zh-CN"><meta charset="utf-8"><title>上传内容过大</title>'
                f'<p style="font:16px sans-serif;margin:2em">{escape(message)}</p><p style="margin:2em"><a href="/upload">返回</a></p>'
            ).encode()
            ctype = b"text/html; charset=utf-8"
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", ctype), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})  # fmt: skip
        await send({"type": "http.response.body", "body": body})
