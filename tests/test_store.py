"""The corpus database: schema and migrations, storing reports exactly, batch ingest (idempotent,
versioned, failures recorded, parallel, Dask, killed and rerun), queries and exports, SQLite and
PostgreSQL alike."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import random
import re
import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import func, insert, select
from typer.testing import CliRunner

import xxgk
from xxgk.checks import check_report
from xxgk.cli import app
from xxgk.report.jsonio import report_to_dict
from xxgk.report.model import CellValue
from xxgk.store import database, open_database, queries, resolve_url
from xxgk.store import schema as s
from xxgk.store.agencies import describe, region_and_level
from xxgk.store.bulk import insert_rows
from xxgk.store.export import WHAT, export
from xxgk.store.ingest import ingest, store
from xxgk.store.records import Record, analyse, load_report, report_rows
from xxgk.templates import TEMPLATES
from xxgk.testing import build_report, random_report, random_values

from .store_support import make_corpus, pg_database, write_report, zip_files

SRC = Path(xxgk.__file__).resolve().parent.parent


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'corpus.sqlite3'}"
    else:
        with pg_database() as url:
            yield url


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[Path, xxgk.Report]:
    return make_corpus(tmp_path_factory.mktemp("corpus"), 12)


def count(engine, table=s.reports, *where) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table).where(*where)).scalar()


# agencies ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name, region, level",
    [
        ("淮安市淮安区人民政府办公室", "淮安市淮安区", "区县"),
        ("封丘县科技和工业信息化局", "封丘县", "区县"),
        ("上饶市市场监督管理局", "上饶市", "市级"),  # 市场 is the department, not a second city
        ("淮安市城市管理局", "淮安市", "市级"),
        ("海州区住房和城乡建设局", "海州区", "区县"),
        ("安乡县财政局", "安乡县", "区县"),  # 安乡 is not a township
        ("济南市市中区人民政府", "济南市市中区", "区县"),
        ("金华市义乌市人民政府", "金华市义乌市", "区县"),  # a city under a city
        ("北京市教育委员会", "北京市", "省级"),
        ("浙江省人民政府", "浙江省", "省级"),
        ("延边朝鲜族自治州人民政府", "延边朝鲜族自治州", "市级"),
        ("广州市天河区沙河街道办事处", "广州市天河区沙河街道", "乡镇"),
        ("城关镇人民政府", "城关镇", "乡镇"),
        ("国家统计局", None, "中央"),
        ("财政局", None, None),
        ("市场监督管理局", None, None),
    ],
)
def test_region_and_level_from_the_agency_name(name, region, level):
    assert region_and_level(name) == (region, level)


def test_agency_normalised_as_the_rule_engine_compares_agencies():
    a, b = describe("海州区 财政局"), describe("海州區財政局")
    assert a.normalized == b.normalized == "海州区财政局"
    assert a.name == "海州区 财政局" and (a.region, a.level) == ("海州区", "区县")


# opening -------------------------------------------------------------------------------------
def test_default_database_is_sqlite_in_the_user_data_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    for var in database.ENV_VARS:
        monkeypatch.delenv(var, raising=False)
    assert resolve_url() == f"sqlite:///{tmp_path / 'data' / 'xxgk' / 'xxgk.sqlite3'}"
    monkeypatch.setenv("XXGK_DATABASE_URL", "postgresql+psycopg://u@h/db")
    assert resolve_url() == "postgresql+psycopg://u@h/db"
    assert resolve_url(str(tmp_path / "x.db")) == f"sqlite:///{tmp_path / 'x.db'}"


def test_migrations_build_the_declared_schema(db_url):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    engine = open_database(db_url)
    assert database.current_revision(engine) == database.head_revision()
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}), s.metadata)
    assert diff == []
    open_database(db_url)  # opening again is a no-op


def test_unusable_database_is_one_line_exit_2(tmp_path):
    result = CliRunner().invoke(app, ["export", "-o", str(tmp_path / "x.csv"), "--db", "nosuchdialect://x/y"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output and "无法" in result.output


# storing one report --------------------------------------------------------------------------
def _record(report: xxgk.Report, name: str) -> Record:
    return Record(
        sha256=hashlib.sha256(name.encode()).hexdigest(),
        source_name=name,
        source_size=1,
        template=report.template,
        year=report.year,
        agency=report.agency,
        title=report.title,
        published=report.published,
        rows=report_rows(report, check_report(report)),
    )


def test_a_stored_report_reads_back_exactly(db_url, corpus):
    """Every cell (money to the last digit, blanks as null), raw text, provenance, sections,
    deviations and warnings come back from the database as parsed."""
    engine = open_database(db_url)
    spec = TEMPLATES["gov2021"]
    values = random_values(random.Random(3), spec, blank_rate=0.1)
    values["t2.admin_fees.amount"] = Decimal("24252.311082")
    values["t2.normative_docs.in_force"] = None
    made = build_report(spec, values, year=2023, agency="海州区财政局")
    parsed = [xxgk.parse(p) for p in list(corpus)[:3]]
    for i, report in enumerate([made, *parsed]):
        assert store(engine, _record(report, f"r{i}"))
    with engine.connect() as conn:
        ids = conn.execute(select(s.reports.c.id).order_by(s.reports.c.id)).scalars().all()
        back = [load_report(conn, i) for i in ids]
    assert back[0]["t2.admin_fees.amount"] == Decimal("24252.311082")
    assert str(back[0]["t2.admin_fees.amount"]) == "24252.311082"
    assert back[0]["t2.normative_docs.in_force"] is None
    for original, loaded in zip([made, *parsed], back):
        assert loaded == original
        want, got = report_to_dict(original), report_to_dict(loaded)
        want.pop("source"), got.pop("source")
        assert got == want
        assert all(type(loaded[k]) is type(original[k]) for k in original.spec.cell_keys)


def test_bulk_writes_store_what_sqlalchemy_stores(db_url, corpus):
    """The driver-level bulk insert of a report's rows keeps every value as SQLAlchemy's own
    executemany does: exact decimals, null and JSON lists, floats, provenance."""
    engine = open_database(db_url)
    report = xxgk.parse(next(iter(corpus)))
    cells = dict(report.cells)
    for key, cell in cells.items():  # every count one more: the totals no longer add up
        if cell.value is not None and report.spec.cell_spec[key][3].kind.name == "COUNT":
            cells[key] = cell._replace(value=cell.value + 1, confidence=0.123456789, note="附注")
    rows = report_rows(dataclasses.replace(report, cells=cells), check_report(dataclasses.replace(report, cells=cells)))
    assert any(f["cells"] for f in rows["findings"]) and rows["sections"]
    rows["findings"].append({**rows["findings"][0], "cells": None, "expected": Decimal("24252.311082"), "actual": None})
    rows["cells"].append({**rows["cells"][0], "key": "extra", "value": Decimal("0.000001"), "raw": None})
    with engine.begin() as conn:
        ids = []
        for sha in ("a" * 64, "b" * 64):
            ids.append(conn.execute(insert(s.reports), {
                "sha256": sha, "source_name": sha, "series": sha, "version": 1, "status": "ok",
                "ingested_at": datetime.now(timezone.utc),
            }).inserted_primary_key[0])  # fmt: skip
        for table in s.CONTENT:
            if rows[table.name]:
                insert_rows(conn, table, rows[table.name], report_id=ids[0])
                conn.execute(insert(table), [{"report_id": ids[1], **r} for r in rows[table.name]])
    with engine.connect() as conn:
        for table in s.CONTENT:
            cols = [c for c in table.c if c.name not in ("id", "report_id")]
            order = table.c.id if "id" in table.c else list(table.primary_key)[1]  # as written
            got = [conn.execute(select(*cols).where(table.c.report_id == i).order_by(order)).all() for i in ids]
            assert len(got[0]) == len(rows[table.name])
            assert got[0] == got[1], table.name
        # JSON null as SQLAlchemy writes it (not SQL NULL), and a list
        sql_null = [
            conn.execute(select(func.count()).where(s.findings.c.report_id == i, s.findings.c.cells.is_(None))).scalar()
            for i in ids
        ]
        assert sql_null[0] == sql_null[1]
        cells_json = conn.execute(select(s.findings.c.cells).where(s.findings.c.report_id == ids[0])).scalars().all()
        assert None in cells_json and any(isinstance(c, list) for c in cells_json)


# ingest --------------------------------------------------------------------------------------
def test_ingesting_twice_stores_each_report_once(db_url, corpus, tmp_path):
    folder = next(iter(corpus)).parent
    archive = zip_files(list(corpus)[:4], tmp_path / "batch.zip")  # the same bytes again, zipped
    engine = open_database(db_url)
    first = ingest(engine, [folder, archive], jobs=1)
    assert (first.stored, first.skipped, first.failed) == (len(corpus), 4, [])
    second = ingest(engine, [folder, archive], jobs=1)
    assert (second.stored, second.skipped, second.failed) == (0, len(corpus) + 4, [])
    assert count(engine) == len(corpus)
    assert count(engine, s.cells) == sum(len(r.cells) for r in corpus.values())
    df = queries.reports(engine)
    assert sorted(df["sha256"]) == sorted(analyse(str(p), p.read_bytes()).sha256 for p in corpus)


def test_archive_members_are_reports(tmp_path, corpus):
    archive = zip_files(list(corpus)[:3], tmp_path / "a.zip")
    engine = open_database(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    summary = ingest(engine, [archive], jobs=1)
    assert summary.stored == 3
    names = sorted(queries.reports(engine)["source_name"])
    assert names == sorted(f"{archive}!报告/{p.name}" for p in list(corpus)[:3])


def test_changed_file_becomes_a_new_version_and_the_old_is_kept(tmp_path):
    rng = random.Random(11)
    spec = TEMPLATES["gov2021"]
    old = random_report(rng, spec, year=2022, agency="淮安市财政局", big=False)
    cells = dict(old.cells)
    cells["t4.review.upheld"] = CellValue("t4.review.upheld", old["t4.review.upheld"] + 1, cells["t4.review.upheld"].status)
    new = dataclasses.replace(old, cells=cells)
    (tmp_path / "in").mkdir()
    path = write_report(old, tmp_path / "in" / "report", "text-rows", 1)
    engine = open_database(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert ingest(engine, [path], jobs=1).stored == 1
    write_report(new, path, "text-rows", 1)
    assert ingest(engine, [path], jobs=1).stored == 1
    df = queries.reports(engine)
    assert list(df["version"]) == [1, 2] and list(df["latest"]) == [False, True]
    assert df["agency"].tolist() == ["淮安市财政局"] * 2
    cells_df = queries.cells(engine)
    upheld = cells_df[cells_df["key"] == "t4.review.upheld"]["value"].tolist()
    assert upheld == [Decimal(new["t4.review.upheld"])]  # queries read the latest version
    # the identity broken by the edit is a finding of the new version only
    assert queries.reports_with_finding("identity.t4_total", engine)["sha256"].tolist() == [df["sha256"][1]]


def test_a_file_that_fails_is_recorded_with_its_error_and_the_batch_goes_on(tmp_path, corpus):
    folder = tmp_path / "in"
    folder.mkdir()
    good = next(iter(corpus))
    (folder / good.name).write_bytes(good.read_bytes())
    (folder / "notes.txt").write_text("会议纪要：今天天气很好。\n", encoding="utf-8")
    (folder / "empty.html").write_bytes(b"")
    db = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    result = CliRunner().invoke(app, ["ingest", str(folder), str(tmp_path / "missing.txt"), "--db", db, "-q"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "入库 1 份" in result.output and "失败 3 份" in result.output
    failed = queries.failed(db)
    assert sorted(Path(n).name for n in failed["source_name"]) == ["empty.html", "notes.txt"]
    assert all(e and "\n" not in e for e in failed["error"])
    # a missing path cannot be stored (no content) but is listed
    assert "missing.txt" in result.output
    rerun = CliRunner().invoke(app, ["ingest", str(folder), "--db", db, "-q"])
    assert rerun.exit_code == 0 and "跳过 3 份" in rerun.output


def test_parallel_and_dask_ingest_store_what_one_process_stores(tmp_path, corpus):
    from distributed import LocalCluster

    folder = next(iter(corpus)).parent
    dumps = {}
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster:
        runs = {"one": dict(jobs=1), "pool": dict(jobs=2), "dask": dict(executor="dask", scheduler=cluster.scheduler_address)}
        for label, kw in runs.items():
            engine = open_database(f"sqlite:///{tmp_path / label}.sqlite3")
            assert ingest(engine, [folder], **kw).stored == len(corpus)
            dumps[label] = {what: WHAT[what][0](engine) for what in ("reports", "cells", "findings")}
    for label in ("pool", "dask"):
        for what, df in dumps["one"].items():
            pd.testing.assert_frame_equal(dumps[label][what], df)


def test_a_killed_run_loses_nothing_committed_and_a_rerun_completes_it(tmp_path):
    reports = make_corpus(tmp_path / "in", 100, seed=99, formats=("text-rows",))
    db = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    engine = open_database(db)
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    cmd = [sys.executable, "-m", "xxgk.cli", "ingest", str(tmp_path / "in"), "--db", db, "--jobs", "2", "-q"]
    proc = subprocess.Popen(cmd, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while count(engine) < 5 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        os.killpg(proc.pid, signal.SIGKILL)  # the whole run: parent and workers
    finally:
        proc.wait()
    at_kill = count(engine)
    assert 5 <= at_kill < len(reports), "the run should have been killed mid-way"
    rerun = subprocess.run(cmd, env=env, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert count(engine) == len(reports)
    with engine.connect() as conn:
        assert conn.execute(select(func.count(func.distinct(s.reports.c.sha256)))).scalar() == len(reports)
        assert conn.execute(select(func.count()).select_from(s.cells)).scalar() == 200 * 50 + 198 * 50
    stored, skipped = map(int, re.search(r"入库 (\d+) 份，跳过 (\d+) 份", rerun.stderr).groups())
    assert stored + skipped == len(reports) and skipped >= at_kill


# queries -------------------------------------------------------------------------------------
def _ingest_reports(engine, tmp_path, reports: list[xxgk.Report]) -> None:
    folder = tmp_path / "q"
    folder.mkdir(exist_ok=True)
    for i, rep in enumerate(reports):
        write_report(rep, folder / f"{i:03d}", "text-rows", i)
    summary = ingest(engine, [folder], jobs=1)
    assert summary.stored == len(reports), summary.failed


def test_totals_are_exact_sums_and_identities_are_rechecked_on_them(db_url, tmp_path):
    rng = random.Random(5)
    spec = TEMPLATES["gov2021"]
    good = [random_report(rng, spec, year=2022, agency=f"淮安市{d}", big=False) for d in ("财政局", "教育局")]
    bad = random_report(rng, spec, year=2022, agency="海州区财政局", big=False)
    cells = dict(bad.cells)
    key = "t3.result.total.total"
    cells[key] = CellValue(key, bad[key] + 3, cells[key].status)
    bad = dataclasses.replace(bad, cells=cells)
    money = [Decimal("24252.311082"), Decimal("0.000018")]
    fee = "t2.admin_fees.amount"
    good = [dataclasses.replace(r, cells={**r.cells, fee: CellValue(fee, m, r.cells[fee].status)}) for r, m in zip(good, money)]
    engine = open_database(db_url)
    _ingest_reports(engine, tmp_path, [*good, bad])
    totals = queries.totals(engine, by=("region", "year"))
    huaian = totals[totals["region"] == "淮安市"].set_index("key")
    assert huaian.loc["t2.admin_fees.amount", "value"] == Decimal("24252.311100")
    assert huaian.loc["t3.new_received.total", "value"] == sum(r["t3.new_received.total"] for r in good)
    assert set(huaian["reports"]) == {2} and set(huaian["blank"]) == {0}
    checked = queries.total_findings(engine, by=("region", "year"))
    assert set(checked["region"]) == {"海州区"}  # 淮安市's sums balance, 海州区's report does not
    assert "identity.results_total" in set(checked["rule"])
    by_level = queries.totals(engine, by=("level",))
    assert set(by_level["level"]) == {"市级", "区县"}


def test_crossyear_missing_and_by_finding_over_the_database(db_url, tmp_path):
    rng = random.Random(8)
    spec = TEMPLATES["gov2021"]
    a21 = random_report(rng, spec, year=2021, agency="淮安市财政局", big=False)
    a22 = random_report(rng, spec, year=2022, agency="淮安市财政局", big=False)
    b22 = random_report(rng, spec, year=2022, agency="海州区教育局", big=False)
    engine = open_database(db_url)
    _ingest_reports(engine, tmp_path, [a21, a22, b22])
    cross = queries.crossyear(engine)
    carried = cross[cross["rule"] == "crossyear.carried_over"]
    mismatched = [c.key for c in spec.table_by_key["t3"].blocks[0].columns if a22[f"t3.carried_over.{c.key}"] != a21[f"t3.carried_forward.{c.key}"]]
    assert sorted(carried["column_key"]) == sorted(mismatched)
    assert set(cross["agency"]) <= {"淮安市财政局"} and set(cross["previous_year"]) <= {2021}
    missing = queries.missing(engine)
    assert missing[["year", "agency"]].values.tolist() == [[2021, "海州区教育局"]]
    assert missing["level"].tolist() == ["区县"]
    counts = queries.finding_counts(engine)
    all_findings = queries.findings(engine)
    assert counts["findings"].sum() == len(all_findings)
    rule = counts["rule"].iloc[0]
    assert set(queries.reports_with_finding(rule, engine)["sha256"]) == set(all_findings[all_findings["rule"] == rule]["sha256"])


# exports -------------------------------------------------------------------------------------
def test_sqlite_and_postgresql_give_identical_exports(tmp_path, corpus):
    folder = next(iter(corpus)).parent
    with pg_database() as pg:
        outputs = {}
        for label, url, jobs in (("sqlite", f"sqlite:///{tmp_path / 'c.sqlite3'}", 2), ("pg", pg, 1)):
            engine = open_database(url)
            ingest(engine, [folder], jobs=jobs)
            outputs[label] = {}
            for what in WHAT:
                for ext in (".csv", ".json"):
                    out = tmp_path / f"{label}-{what}{ext}"
                    export(engine, out, what)
                    outputs[label][out.name.split("-", 1)[1]] = out.read_bytes()
            engine.dispose()
    assert outputs["sqlite"] == outputs["pg"]
    cells = json.loads(outputs["sqlite"]["cells.json"])
    assert len(cells) == sum(len(r.cells) for r in corpus.values())


@pytest.mark.parametrize("ext", [".csv", ".parquet", ".xlsx", ".json"])
def test_export_formats_keep_the_numbers(tmp_path, corpus, ext):
    db = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    first = next(iter(corpus))
    ingest(open_database(db), [first], jobs=1)
    out = tmp_path / f"cells{ext}"
    result = CliRunner().invoke(app, ["export", "-o", str(out), "--what", "cells", "--db", db])
    assert result.exit_code == 0, result.output
    if ext == ".csv":
        df = pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    elif ext == ".parquet":
        df = pd.read_parquet(out)
    elif ext == ".xlsx":
        df = pd.read_excel(out, dtype=str, keep_default_na=False)
    else:
        df = pd.DataFrame(json.loads(out.read_text(encoding="utf-8"), parse_float=Decimal))
    report = corpus[first]
    got = {k: v for k, v in zip(df["key"], df["value"])}
    assert set(got) == set(report.spec.cell_keys)
    for key, value in report.values().items():
        g = got[key]
        if value is None:
            assert g in ("", None) or pd.isna(g)
        else:
            assert Decimal(str(g)) == value


def test_export_refuses_unknown_format_and_content(tmp_path):
    db = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    for args in (["-o", str(tmp_path / "x.txt")], ["-o", str(tmp_path / "x.csv"), "--what", "nothing"],
                 ["-o", str(tmp_path / "x.csv"), "--what", "totals", "--by", "planet"]):  # fmt: skip
        result = CliRunner().invoke(app, ["export", *args, "--db", db])
        assert result.exit_code == 2 and "Traceback" not in result.output
