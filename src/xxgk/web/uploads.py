"""Files uploaded through the web: parsed, checked and stored by the ingest pipeline.

Each upload is a batch (``uploads``) with one row per file (``upload_items``): stored, already
there (same bytes), failed (with its one-line reason) or refused (a report outside the
uploader's scope: a clerk uploads only their own agency's reports).  Zip archives give one item
per member (:func:`xxgk.store.ingest.archive_members`).  Parsing runs in worker processes
(:func:`xxgk.store.records.analyse`, with the command line's time limit per file), so a hostile
file neither blocks the server nor runs unbounded; :func:`xxgk.store.ingest.store` writes each
report.  The bytes are kept (``sources``) so the report page can show the document.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from .. import limits
from ..errors import XxgkError
from ..store import schema as s
from ..store.ingest import Item, _is_archive, archive_members, failed_record, is_stored, store
from ..store.records import Record, analyse
from .accounts import User

OUTCOME_LABELS = {"stored": "已入库", "existing": "已存在", "failed": "读取失败", "refused": "无权上传"}


@dataclass
class Outcome:
    name: str
    sha256: str | None
    outcome: str
    message: str | None = None


class UploadError(XxgkError):
    pass


class Workers:
    """A small process pool for parsing uploads, started on first use."""

    def __init__(self, jobs: int = 2):
        self.jobs = jobs
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def pool(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                context = multiprocessing.get_context("forkserver")
                self._pool = ProcessPoolExecutor(max_workers=self.jobs, mp_context=context)
            return self._pool

    def analyse_all(self, items: list[Item]) -> list[Record]:
        futures = [self.pool().submit(analyse, item.name, item.data) for item in items]
        out = []
        for item, future in zip(items, futures):
            try:
                out.append(future.result())
            except BrokenProcessPool:
                with self._lock:
                    self._pool = None
                out.append(failed_record(item, "处理时工作进程异常退出 (worker process died)"))
            except Exception as exc:  # noqa: BLE001 - one bad file never stops the batch
                out.append(failed_record(item, f"处理失败 (worker error: {type(exc).__name__}: {exc})"))
        return out

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                # waiting: without it the server can exit before its workers do, leaving them behind
                self._pool.shutdown(wait=True, cancel_futures=True)
                self._pool = None


def expand(files: list[tuple[str, bytes]]) -> tuple[list[Item], list[Outcome]]:
    """The items of the uploaded files (zip archives opened), and the ones that cannot be read."""
    items: list[Item] = []
    bad: list[Outcome] = []
    for name, data in files:
        if len(data) > limits.MAX_INPUT_BYTES:
            bad.append(Outcome(name, None, "failed", f"文件过大（上限 {limits.MAX_INPUT_BYTES // (1024 * 1024)} MB）(file too large)"))
            continue
        if not _is_archive(data):
            items.append(Item(name, data))
            continue
        try:
            for member in archive_members(name, data):
                if member.error:
                    bad.append(Outcome(member.name, None, "failed", member.error))
                else:
                    items.append(member)
                if len(items) + len(bad) > limits.MAX_UPLOAD_FILES:
                    break
        except XxgkError as exc:
            bad.append(Outcome(name, None, "failed", exc.message))
    if len(items) + len(bad) > limits.MAX_UPLOAD_FILES:
        raise UploadError(f"一次最多上传 {limits.MAX_UPLOAD_FILES} 个文件，请分批上传 (too many files)")
    return items, bad


def _keep_source(engine: Engine, sha256: str, data: bytes) -> None:
    with engine.begin() as conn:
        if conn.execute(select(s.sources.c.sha256).where(s.sources.c.sha256 == sha256)).first():
            return
        try:
            conn.execute(insert(s.sources).values(sha256=sha256, data=data))
        except IntegrityError:  # a concurrent upload of the same bytes
            pass


def upload(engine: Engine, workers: Workers, user: User, files: list[tuple[str, bytes]]) -> int:
    """Store the uploaded files as one batch; returns the batch id."""
    items, outcomes = expand(files)
    fresh: list[Item] = []
    seen: set[str] = set()
    for item in items:
        digest = hashlib.sha256(item.data).hexdigest()
        with engine.connect() as conn:
            stored = is_stored(conn, digest)
        if stored or digest in seen:
            outcomes.append(Outcome(item.name, digest, "existing", "相同内容的文件已入库"))
        else:
            seen.add(digest)
            fresh.append(item)
    data_of = {hashlib.sha256(i.data).hexdigest(): i.data for i in fresh}
    for record in workers.analyse_all(fresh):
        if not record.failed and not user.may_see_agency(record.agency):
            outcomes.append(Outcome(record.source_name, record.sha256, "refused",
                                    f"报告机关“{record.agency or '未识别'}”不在您的权限范围内"))  # fmt: skip
            continue
        if not record.failed or user.sees_all:
            store(engine, record)
        if record.failed:
            outcomes.append(Outcome(record.source_name, record.sha256, "failed", record.error))
        else:
            _keep_source(engine, record.sha256, data_of[record.sha256])
            outcomes.append(Outcome(record.source_name, record.sha256, "stored"))
    order = {name: i for i, (name, _) in enumerate(files)}
    outcomes.sort(key=lambda o: (order.get(o.name.split("!", 1)[0], len(order)), o.name))
    with engine.begin() as conn:
        upload_id = conn.execute(
            insert(s.uploads).values(user_id=user.id, created_at=datetime.now(timezone.utc))
        ).inserted_primary_key[0]
        if outcomes:
            conn.execute(
                insert(s.upload_items),
                [{"upload_id": upload_id, "name": o.name, "sha256": o.sha256, "outcome": o.outcome, "message": o.message}
                 for o in outcomes],  # fmt: skip
            )
    return upload_id
