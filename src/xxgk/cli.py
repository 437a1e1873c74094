"""The ``xxgk`` command line (see spec/interface.md for the contracts)."""

from __future__ import annotations

import signal
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path

import typer
from rich.console import Console

from . import __version__, limits
from .errors import XxgkError

app = typer.Typer(
    name="xxgk",
    help="政府信息公开工作年度报告工具：读取、检查、生成与汇总年度报告。",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


class OutputFormat(str, Enum):
    json = "json"
    text = "text"


#: control characters (a newline in a file name, say) are shown escaped so a message stays one line
_CONTROL = {c: f"\\x{c:02x}" for c in (*range(0x20), *range(0x7F, 0xA0))} | {0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t"}
_CONTROL |= {c: f"\\u{c:04x}" for c in (0x2028, 0x2029)}


def one_line(text: str) -> str:
    return text.translate(_CONTROL)


def fail(message: str, code: int = 2) -> None:
    """One line on stderr and the exit code: never a traceback."""
    print(f"xxgk: {one_line(message)}", file=sys.stderr)
    raise typer.Exit(code)


class _OutOfTime(BaseException):
    """Raised by the alarm; a BaseException so that no ``except Exception`` on the way swallows it."""


@contextmanager
def deadline(seconds: float):
    """Give up on one file after ``seconds`` (no limit when 0 or where there is no SIGALRM)."""
    if seconds <= 0 or not hasattr(signal, "setitimer"):
        yield
        return

    def alarm(signum, frame):
        raise _OutOfTime()

    try:
        previous = signal.signal(signal.SIGALRM, alarm)
    except ValueError:  # not the main thread
        yield
        return
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def version_callback(value: bool) -> None:
    if value:
        print(f"xxgk {__version__}")
        raise typer.Exit(0)


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", help="显示版本号", callback=version_callback, is_eager=True),
) -> None:
    """政府信息公开工作年度报告工具。"""


def read_report(file: Path | bytes, name: str | None = None):
    """(report, None) or (None, one-line reason): a bad file never stops a batch."""
    from .api import parse as parse_report

    try:
        with deadline(limits.MAX_SECONDS):
            return parse_report(file, name=name), None
    except _OutOfTime:
        return None, f"处理超时（{limits.MAX_SECONDS:g} 秒），文件内容异常或过于复杂 (gave up after {limits.MAX_SECONDS:g} s)"
    except XxgkError as exc:
        return None, exc.message
    except RecursionError:
        return None, "文件结构嵌套过深，无法读取 (nesting too deep)"
    except MemoryError:
        return None, "文件过大，内存不足 (out of memory)"
    except Exception as exc:  # a bug must still not print a traceback at the user
        return None, f"读取失败，内部错误 (internal error: {type(exc).__name__}: {exc})"


def report_error(file: Path, reason: str) -> None:
    print(f"xxgk: {one_line(str(file))}: {one_line(reason)}", file=sys.stderr)


@app.command()
def parse(
    files: list[Path] = typer.Argument(..., help="报告文件：文本、网页（HTML）或 Word（.docx .doc .wps .rtf），按内容识别格式；可给多个"),
    format: OutputFormat = typer.Option(OutputFormat.json, "--format", "-f", help="输出格式：json 或 text"),
    brief: bool = typer.Option(False, "--brief", help="JSON 只输出模板、年度、机关和三张表的数据"),
) -> None:
    """读取年度报告，输出表二、表三、表四的全部数据（每个数字附原文位置）。

    一个文件输出一个 JSON 对象，多个文件输出 JSON 数组。退出码：0 全部读取；2 有文件无法读取（其余照常输出）。
    """
    from .report.jsonio import dumps, report_to_dict
    from .report.textview import print_text

    docs, failed = [], False
    console = Console()
    for file in files:
        report, reason = read_report(file)
        if report is None:
            report_error(file, reason)
            failed = True
            continue
        if format is OutputFormat.json:
            docs.append(report_to_dict(report, detail=not brief) | ({"file": str(file)} if len(files) > 1 else {}))
        else:
            if len(files) > 1:
                console.rule(str(file))
            print_text(report, console)
    if format is OutputFormat.json and docs:
        sys.stdout.write(dumps(docs[0] if len(files) == 1 else docs) + "\n")
    if failed:
        raise typer.Exit(2)


@app.command()
def check(
    files: list[Path] = typer.Argument(..., help="一份或多份报告；同一机关相邻年度的报告一起做跨年度检查"),
    format: OutputFormat = typer.Option(OutputFormat.text, "--format", "-f", help="输出格式：text 或 json"),
    config: Path | None = typer.Option(None, "--config", help="配置文件（默认在当前文件夹及上级文件夹中查找 xxgk.toml）"),
) -> None:
    """检查报告：勾稽关系、空白单元格、格式与年度、章节与标题、文字与表格是否一致、信息处理费、发布期限、跨年度一致性。

    退出码：0 没有“错误”级问题；1 有“错误”级问题；2 有文件无法读取（其余照常检查）。
    """
    from .checks import check_reports, has_errors, load_config
    from .checks.textview import print_findings
    from .report.jsonio import dumps

    try:
        cfg = load_config(config)
    except XxgkError as exc:
        fail(exc.message)
    reports, names, errors = [], [], []
    for file in files:
        report, reason = read_report(file)
        if report is None:
            errors.append((str(file), reason))
            continue
        reports.append(report)
        names.append(str(file))
    results = check_reports(reports, cfg)
    if format is OutputFormat.json:
        data = {
            "reports": [
                {
                    "file": name,
                    "template": rep.template,
                    "year": rep.year,
                    "agency": rep.agency,
                    "findings": [f.to_dict() for f in findings],
                }
                for name, rep, findings in zip(names, reports, results)
            ],
            "errors": [{"file": name, "message": message} for name, message in errors],
        }
        sys.stdout.write(dumps(data) + "\n")
    else:
        console = Console()
        for name, rep, findings in zip(names, reports, results):
            print_findings(console, name, rep, findings)
    for name, message in errors:
        report_error(Path(name), message)
    if errors:
        raise typer.Exit(2)
    raise typer.Exit(1 if any(has_errors(f) for f in results) else 0)


@app.command()
def template(
    year: int = typer.Option(..., "--year", "-y", help="报告年度，例如 2025"),
    output: Path = typer.Option(..., "--output", "-o", help="输出的 Excel 填报表（.xlsx）"),
    template_key: str | None = typer.Option(None, "--template", "-t", help="模板：gov2019 或 gov2021（默认按年度选择）"),
) -> None:
    """生成 Excel 填报表：官方表格样式，合计为公式，勾稽关系显示为检查单元格；填好后 xxgk parse 可读回。"""
    from .templates import TEMPLATES, template_for_year

    if output.suffix.lower() != ".xlsx":
        fail(f"输出文件须为 .xlsx：{output} (output must be .xlsx)")
    if template_key is not None:
        spec = TEMPLATES.get(template_key)
        if spec is None:
            fail(f"未知模板 {template_key}，可选：{', '.join(TEMPLATES)} (unknown template)")
    else:
        spec = template_for_year(year)
        if spec is None:
            fail(f"{year} 年度没有国家统一的报告模板（2019 年起适用）(no template for {year})")
    from .render.xlsx_sheet import write_fill_in

    try:
        write_fill_in(spec, year, output)
    except OSError as exc:
        fail(f"{output}: 无法写入 ({exc.strerror or exc})")
    print(f"已生成 {spec.key} 填报表：{output}", file=sys.stderr)


@app.command()
def render(
    data: Path = typer.Argument(..., help="数据文件（JSON/YAML，或 Excel 填报表），也可以是任何 xxgk 能读取的报告文件"),
    output: Path = typer.Option(..., "--output", "-o", help="输出文件，格式按扩展名：.docx .html .md .pdf .xlsx"),
    allow_errors: bool = typer.Option(False, "--allow-errors", help="数据违反勾稽关系等错误时仍然写出（并提示）"),
    fill_totals: bool = typer.Option(False, "--fill-totals", help="按勾稽关系补算空缺的合计、总计（不改动已填写的数字）"),
) -> None:
    """按官方格式生成年度报告（Word、网页、Markdown、PDF、Excel），写出前先检查勾稽关系、章节结构与模板。

    退出码：0 已写出；1 数据违反勾稽关系等（未写出；加 --allow-errors 时写出并提示）；2 数据有误或无法读取。
    """
    from .render.data import fill_totals as compute_totals
    from .render.data import load_report_file
    from .render.write import gate_findings, writer_for

    try:
        writer = writer_for(output)
    except XxgkError as exc:
        fail(exc.message)
    try:
        with deadline(limits.MAX_SECONDS):
            report = load_report_file(data)
    except _OutOfTime:
        fail(f"{data}: 处理超时（{limits.MAX_SECONDS:g} 秒）(gave up)")
    except XxgkError as exc:
        fail(f"{data}: {exc.message}")
    except Exception as exc:  # a bug must still not print a traceback at the user
        fail(f"{data}: 读取失败，内部错误 (internal error: {type(exc).__name__}: {exc})")
    if fill_totals:
        report = compute_totals(report)
    errors = gate_findings(report)
    for f in errors:
        where = "/".join(str(x) for x in f.location.values())
        print(f"xxgk: {f.rule} [{f.severity.value}] {one_line(f.message)}" + (f" ({where})" if where else ""), file=sys.stderr)
    if errors and not allow_errors:
        fail(f"数据有 {len(errors)} 处错误，未写出 {output}；核对数据，或加 --allow-errors 仍然写出", 1)
    try:
        content = writer(report)
        output.write_bytes(content)
    except XxgkError as exc:
        fail(exc.message)
    except OSError as exc:
        fail(f"{output}: 无法写入 ({exc.strerror or exc})")
    if errors:
        print(f"xxgk: 警告：{one_line(str(output))} 已写出，但含 {len(errors)} 处错误（见上），请核对后再发布", file=sys.stderr)
        raise typer.Exit(1)
    print(f"已写出 {one_line(str(output))}", file=sys.stderr)



class IngestEngine(str, Enum):
    local = "local"
    dask = "dask"


_DB_HELP = "数据库：SQLAlchemy 地址（如 postgresql+psycopg://用户:密码@主机/库）或 SQLite 文件路径；默认取环境变量 XXGK_DATABASE_URL，否则用用户数据目录下的 SQLite"


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(..., help="报告文件、文件夹（递归）或 zip 压缩包，可给多个"),
    db: str | None = typer.Option(None, "--db", help=_DB_HELP),
    jobs: int | None = typer.Option(None, "--jobs", "-j", min=1, help="并行进程数（默认为 CPU 核数）"),
    engine: IngestEngine = typer.Option(IngestEngine.local, "--engine", help="local：本机进程池；dask：Dask 集群"),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Dask 调度器地址，如 tcp://10.0.0.5:8786（不给则在本机启动）"),
    config: Path | None = typer.Option(None, "--config", help="检查配置文件（默认查找 xxgk.toml）"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="不显示进度条"),
) -> None:
    """读取、检查报告并存入数据库：同样内容（SHA-256 相同）只存一次；内容有变化的同一报告存为新版本，旧版本保留。

    每份报告单独提交，中断后重新运行会跳过已入库的文件。读取失败的文件连同原因存入数据库（xxgk export --what failed）。
    退出码：0 全部入库或已存在；1 有文件失败（已列出，其余照常入库）；2 数据库无法打开。
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    from .checks import load_config
    from .store import open_database
    from .store.ingest import ingest as run_ingest

    try:
        cfg = load_config(config)
        database = open_database(db)
    except XxgkError as exc:
        fail(exc.message)
    console = Console(stderr=True)
    columns = (TextColumn("入库"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, disable=quiet, transient=False) as bar:
        task = bar.add_task("ingest", total=None)
        try:
            summary = run_ingest(
                database,
                paths,
                jobs=jobs,
                executor=engine.value,
                scheduler=scheduler,
                config=cfg,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
        except XxgkError as exc:
            fail(exc.message)
    for name, reason in summary.failed:
        report_error(Path(name), reason)
    print(
        f"入库 {summary.stored} 份，跳过 {summary.skipped} 份（已存在），失败 {len(summary.failed)} 份"
        f"（stored {summary.stored}, skipped {summary.skipped}, failed {len(summary.failed)}）",
        file=sys.stderr,
    )
    raise typer.Exit(0 if summary.ok else 1)


@app.command()
def export(
    output: Path = typer.Option(..., "--output", "-o", help="输出文件，格式按扩展名：.csv .parquet .xlsx .json"),
    what: str = typer.Option("reports", "--what", "-w", help="导出内容：reports cells findings totals identities crossyear missing rules failed"),
    by: str = typer.Option("region,year", "--by", help="totals/identities 的汇总维度（逗号分隔）：region level agency year"),
    db: str | None = typer.Option(None, "--db", help=_DB_HELP),
) -> None:
    """导出数据库中的数据：报告清单、全部单元格、检查问题、汇总合计（并复核勾稽关系）、跨年度检查、缺报机关等。"""
    from .store import open_database
    from .store.export import export as run_export
    from .store.queries import GROUPS

    groups = tuple(g.strip() for g in by.split(",") if g.strip())
    bad = [g for g in groups if g not in GROUPS]
    if bad:
        fail(f"未知的汇总维度 {'、'.join(bad)}，可选：{' '.join(GROUPS)} (unknown grouping)")
    try:
        rows = run_export(open_database(db), output, what, groups)
    except XxgkError as exc:
        fail(exc.message)
    print(f"已导出 {rows} 行到 {one_line(str(output))}", file=sys.stderr)


@app.command()
def serve(
    db: str | None = typer.Option(None, "--db", help=_DB_HELP),
    host: str = typer.Option("127.0.0.1", "--host", help="监听地址（默认只接受本机访问；对外服务请放在 HTTPS 反向代理之后）"),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="端口"),
    workers: int = typer.Option(2, "--workers", min=1, help="解析上传文件的进程数"),
) -> None:
    """启动网页应用：上传与审核报告、在线撰写、汇总概览、用户管理，以及 JSON API（/api/openapi.json）。

    第一次使用前先用 xxgk user add 名字 --role admin 建立管理员。
    """
    import uvicorn

    from .store import open_database
    from .web import accounts
    from .web.app import create_app

    try:
        application = create_app(db, workers=workers)
        if not accounts.has_users(open_database(db)):
            print("xxgk: 提示：还没有任何用户，请先运行 xxgk user add 名字 --role admin", file=sys.stderr)
    except XxgkError as exc:
        fail(exc.message)
    print(f"xxgk 网页应用：http://{host}:{port}/", file=sys.stderr)
    uvicorn.run(application, host=host, port=port, log_level="warning")


user_app = typer.Typer(help="管理网页应用的用户（管理员、审核人员、部门填报员）。", no_args_is_help=True)
app.add_typer(user_app, name="user")


class Role(str, Enum):
    admin = "admin"
    reviewer = "reviewer"
    clerk = "clerk"


@user_app.command("add")
def user_add(
    name: str = typer.Argument(..., help="用户名"),
    role: Role = typer.Option(..., "--role", help="admin 管理员；reviewer 审核人员；clerk 部门填报员"),
    region: list[str] = typer.Option([], "--region", help="审核人员可见的地区（可多次给出；不给则可见全部）"),
    agency: str | None = typer.Option(None, "--agency", help="部门填报员所属机关（必填）；审核人员也可按机关授权"),
    db: str | None = typer.Option(None, "--db", help=_DB_HELP),
) -> None:
    """新建用户。密码取自环境变量 XXGK_PASSWORD，否则在终端提示输入（不回显）。"""
    import os

    from .store import open_database
    from .web import accounts

    password = os.environ.get("XXGK_PASSWORD")
    if not password:
        if not sys.stdin.isatty():
            fail("请在环境变量 XXGK_PASSWORD 中给出密码，或在终端中运行以输入密码 (no password given)")
        password = typer.prompt("密码", hide_input=True, confirmation_prompt=True)
    try:
        user = accounts.add_user(open_database(db), name, password, role.value, regions=region,
                                 agencies=[agency] if agency else [])  # fmt: skip
    except XxgkError as exc:
        fail(exc.message)
    print(f"已新建用户 {one_line(user.name)}（{user.role_label}）", file=sys.stderr)


def run() -> None:
    app()


if __name__ == "__main__":
    run()
