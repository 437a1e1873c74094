"""Loading many files into the corpus database (``xxgk ingest``).

The parent process walks the paths (folders recursively; a zip archive, recognised from its
content, gives one item per member), reads each file once (bounded by
:data:`xxgk.limits.MAX_INPUT_BYTES`), and skips bytes already stored (SHA-256).  New files go to
workers — a process pool, or a Dask cluster — that parse and check them
(:func:`xxgk.store.records.analyse`); the parent writes each result in its own transaction as it
arrives.  So a run that is killed loses only the reports not yet committed, and a rerun skips
the ones that were.  A file that fails to parse is stored with its one-line error; a file that
cannot be read at all (missing, unreadable, too large) is listed in the summary only.  At most a
few files per worker are in flight, so memory stays flat however large the corpus.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import zipfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor
from concurrent.futures import wait as wait_futures
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import bindparam, func, insert, select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from .. import limits
from ..checks import CheckConfig
from ..errors import UnreadableInput, XxgkError
from ..readers import load_bytes, sniff
from ..readers.ziparchive import open_zip
from . import schema as s
from .agencies import describe
from .bulk import insert_rows
from .records import Record, analyse

#: files in flight per worker: enough to keep workers busy, few enough to bound memory
IN_FLIGHT_PER_WORKER = 4
_RETRIES = 8


@dataclass
class Item:
    """One file (or archive member) to ingest, its bytes read."""

    name: str
    data: bytes
    error: str | None = None  # why it could not be read


@dataclass
class Summary:
    stored: int = 0
    skipped: int = 0  # same bytes already stored
    failed: list[tuple[str, str]] = field(default_factory=list)  # (name, one-line reason)
    recorded_failures: int = 0  # failures stored in the database (parse errors)

    @property
    def ok(self) -> bool:
        return not self.failed


class IngestError(XxgkError):
    pass


# sources ------------------------------------------------------------------------------------
def walk(paths: Iterable[Path]) -> Iterator[Path]:
    """Every file under ``paths`` (folders recursively, in name order); missing paths as given."""
    for path in paths:
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        yield Path(root) / name
        else:
            yield path


def _is_archive(data: bytes) -> bool:
    """A zip file that is not itself a report (a DOCX or an xxgk workbook is)."""
    if data[:2] != b"PK":
        return False
    try:
        sniff(data)
    except UnreadableInput:
        return True  # sniff refuses plain archives (and corrupt ones, which open_zip reports)
    return False


def _member_name(info: zipfile.ZipInfo) -> str:
    """The member's name; names written by Chinese Windows tools are GBK without the UTF-8 flag."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def archive_members(name: str, data: bytes) -> Iterator[Item]:
    """The files of a zip archive as items named ``archive!member``; raises UnreadableInput."""
    zf = open_zip(data)
    for info in zf.infolist():
        member = _member_name(info)
        base = member.rsplit("/", 1)[-1]
        if info.is_dir() or not base or base.startswith(".") or member.startswith("__MACOSX/"):
            continue
        label = f"{name}!{member}"
        try:
            with zf.open(info) as fh:
                content = fh.read(limits.MAX_INPUT_BYTES + 1)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError) as exc:
            yield Item(label, b"", f"无法解压 ({type(exc).__name__}: {exc})")
            continue
        if len(content) > limits.MAX_INPUT_BYTES:
            yield Item(label, b"", f"文件过大（上限 {limits.MAX_INPUT_BYTES // (1024 * 1024)} MB）(file too large)")
            continue
        yield Item(label, content)


def items(paths: Iterable[Path], on_error: Callable[[str, str], None]) -> Iterator[Item]:
    """Items to ingest; files that cannot be read are passed to ``on_error`` (name, reason)."""
    for path in walk(paths):
        name = str(path)
        try:
            data, _ = load_bytes(path)
        except XxgkError as exc:
            on_error(name, exc.message)
            continue
        if not _is_archive(data):
            yield Item(name, data)
            continue
        try:
            for member in archive_members(name, data):
                if member.error:
                    on_error(member.name, member.error)
                else:
                    yield member
        except XxgkError as exc:
            on_error(name, exc.message)


# storing ------------------------------------------------------------------------------------
# built once: constructing a statement costs more than running it
_STORED = select(s.reports.c.id).where(s.reports.c.sha256 == bindparam("sha256"))
_AGENCY = select(s.agencies.c.id, s.agencies.c.normalized).where(s.agencies.c.name == bindparam("name"))
_LAST_VERSION = select(func.max(s.reports.c.version)).where(s.reports.c.series == bindparam("series"))
_SYNC_OFF = text("SET LOCAL synchronous_commit = off")


def is_stored(conn: Connection, sha256: str) -> bool:
    return conn.execute(_STORED, {"sha256": sha256}).first() is not None


def _agency_id(conn: Connection, name: str) -> tuple[int, str]:
    """(id, normalised name) of the agency, added when new."""
    row = conn.execute(_AGENCY, {"name": name}).first()
    if row is not None:
        return row.id, row.normalized
    agency = describe(name)
    result = conn.execute(
        insert(s.agencies),
        {"name": name, "normalized": agency.normalized, "region": agency.region, "level": agency.level},
    )
    return result.inserted_primary_key[0], agency.normalized


def _write(conn: Connection, record: Record) -> int:
    agency_id = None
    if record.agency:
        agency_id, normalized = _agency_id(conn, record.agency)
    if record.agency and record.year is not None:
        series = f"{normalized}|{record.year}"
    else:
        series = f"file:{record.source_name}"
    version = conn.execute(_LAST_VERSION, {"series": series}).scalar()
    report_id = conn.execute(
        insert(s.reports),
        {
            "sha256": record.sha256,
            "source_name": record.source_name,
            "source_format": record.source_format,
            "source_size": record.source_size,
            "series": series,
            "version": (version or 0) + 1,
            "status": record.status,
            "error": record.error,
            "agency_id": agency_id,
            "year": record.year,
            "template": record.template,
            "title": record.title,
            "published": record.published,
            "ingested_at": datetime.now(timezone.utc),
        },
    ).inserted_primary_key[0]
    # the report's content: one bulk insert per table
    for table in s.CONTENT:
        insert_rows(conn, table, record.rows.get(table.name) or (), report_id=report_id)
    return report_id


def store(engine: Engine, record: Record) -> bool:
    """Write one record in its own transaction: True when stored, False when its bytes already
    were (by this or a concurrent run)."""
    for _ in range(_RETRIES):
        try:
            with engine.begin() as conn:
                if conn.dialect.name == "postgresql":
                    # the commit returns before the server's disk flush: a killed ingest loses
                    # nothing committed; a crash of the server itself may lose the last commits,
                    # which a rerun stores again
                    conn.execute(_SYNC_OFF)
                if is_stored(conn, record.sha256):
                    return False
                _write(conn, record)
                return True
        except IntegrityError:
            # a concurrent writer took the hash, the agency name or the series' next version
            # between our read and our write: look again
            continue
    raise IngestError(f"{record.source_name}: 多次写入冲突，未能入库 (write conflict, giving up)")


def failed_record(item: Item, reason: str) -> Record:
    return Record(hashlib.sha256(item.data).hexdigest(), item.name, len(item.data), status=s.STATUS_FAILED, error=reason)


# running ------------------------------------------------------------------------------------
class _Inline:
    """Runs the work in this process (one job): no pool to start."""

    def __init__(self, config: CheckConfig | None):
        self.config = config

    def submit(self, item: Item) -> Future:
        future: Future = Future()
        future.set_result(analyse(item.name, item.data, self.config))
        return future

    @staticmethod
    def wait(pending: set) -> set:
        return pending

    def restart(self) -> _Inline:
        return self

    def close(self) -> None:
        pass


class _Pool:
    def __init__(self, config: CheckConfig | None, jobs: int):
        self.jobs = jobs
        # forkserver: workers start from a clean interpreter, not from a copy of this process with
        # its database connections and the progress bar's thread
        context = multiprocessing.get_context("forkserver")
        self.pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context)
        self.config = config

    def submit(self, item: Item) -> Future:
        return self.pool.submit(analyse, item.name, item.data, self.config)

    @staticmethod
    def wait(pending: set) -> set:
        return wait_futures(pending, return_when=FIRST_COMPLETED).done

    def restart(self) -> _Pool:
        self.pool.shutdown(wait=False, cancel_futures=True)
        return _Pool(self.config, self.jobs)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class _Dask:
    def __init__(self, config: CheckConfig | None, jobs: int, scheduler: str | None):
        from distributed import Client, LocalCluster

        self.cluster = None
        if scheduler:
            try:
                self.client = Client(scheduler, timeout="30s")
            except OSError as exc:
                raise IngestError(f"无法连接 Dask 调度器 {scheduler} ({exc})") from None
        else:
            self.cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, dashboard_address=None)
            self.client = Client(self.cluster)
        self.config = config

    def submit(self, item: Item):
        return self.client.submit(analyse, item.name, item.data, self.config, pure=False)

    @staticmethod
    def wait(pending: set) -> set:
        from distributed import wait

        return set(wait(list(pending), return_when="FIRST_COMPLETED").done)

    def restart(self) -> _Dask:
        return self  # the scheduler reschedules the work of a lost worker itself

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


class _Batch:
    """The state of one run: the runner, the files in flight, the counts."""

    def __init__(self, engine: Engine, runner, limit: int, progress: Callable[[int, int], None] | None):
        self.engine = engine
        self.runner = runner
        self.limit = limit
        self.progress = progress
        self.summary = Summary()
        self.seen: set[str] = set()
        self.pending: dict = {}  # future -> (item, generation of the pool it went to)
        self.generation = 0
        self.crashes: dict[str, int] = {}  # item name -> times a worker died on it
        self.done = 0
        self.total = 0

    def tick(self) -> None:
        self.done += 1
        if self.progress:
            self.progress(self.done, self.total)

    def unreadable(self, name: str, reason: str) -> None:
        self.total += 1
        self.summary.failed.append((name, reason))
        self.tick()

    def add(self, item: Item) -> None:
        self.total += 1
        digest = hashlib.sha256(item.data).hexdigest()
        if digest in self.seen or self._stored(digest):
            self.summary.skipped += 1
            self.tick()
            return
        self.seen.add(digest)
        self._submit(item)
        if len(self.pending) >= self.limit:
            self._collect()

    def finish(self) -> Summary:
        while self.pending:
            self._collect()
        return self.summary

    def _stored(self, digest: str) -> bool:
        with self.engine.connect() as conn:
            return is_stored(conn, digest)

    def _submit(self, item: Item) -> None:
        self.pending[self.runner.submit(item)] = (item, self.generation)

    def _collect(self) -> None:
        for future in self.runner.wait(set(self.pending)):
            item, generation = self.pending.pop(future)
            try:
                record: Record = future.result()
            except BrokenProcessPool:
                # a worker died (killed, out of memory, a crash in a C library) and every file in
                # flight with it: run them again on a fresh pool; a file on which a worker dies
                # twice is recorded as failed
                self.crashes[item.name] = self.crashes.get(item.name, 0) + 1
                if self.crashes[item.name] < 2:
                    if generation == self.generation:  # the first file to report this crash
                        self.runner = self.runner.restart()
                        self.generation += 1
                    self._submit(item)
                    continue
                record = failed_record(item, "处理时工作进程异常退出 (worker process died)")
            except Exception as exc:  # a Dask worker lost, a result that could not be sent back
                record = failed_record(item, f"处理失败 (worker error: {type(exc).__name__}: {exc})")
            self._store(record)

    def _store(self, record: Record) -> None:
        if not store(self.engine, record):
            self.summary.skipped += 1
        elif record.failed:
            self.summary.recorded_failures += 1
            self.summary.failed.append((record.source_name, record.error or ""))
        else:
            self.summary.stored += 1
        self.tick()


def ingest(
    engine: Engine,
    paths: Iterable[Path],
    *,
    jobs: int | None = None,
    executor: str = "local",
    scheduler: str | None = None,
    config: CheckConfig | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Summary:
    """Ingest files, folders and zip archives; see the module docstring.

    ``executor`` is ``"local"`` (a process pool of ``jobs`` workers; none for one job) or
    ``"dask"`` (the cluster at ``scheduler``, or a local one of ``jobs`` workers).  ``progress``
    is called with (files done, files seen so far).
    """
    jobs = jobs or default_jobs()
    if executor == "dask":
        runner = _Dask(config, jobs, scheduler)
    elif jobs > 1:
        runner = _Pool(config, jobs)
    else:
        runner = _Inline(config)
    batch = _Batch(engine, runner, jobs * IN_FLIGHT_PER_WORKER, progress)
    try:
        for item in items(paths, batch.unreadable):
            batch.add(item)
        return batch.finish()
    finally:
        batch.runner.close()
