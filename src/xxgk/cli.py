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


@app.command()
def parse(
    file: Path = typer.Argument(..., help="报告文件：文本、网页（HTML）或 Word（.docx），按内容识别格式"),
    format: OutputFormat = typer.Option(OutputFormat.json, "--format", "-f", help="输出格式：json 或 text"),
    brief: bool = typer.Option(False, "--brief", help="JSON 只输出模板、年度、机关和三张表的数据"),
) -> None:
    """读取一份年度报告，输出表二、表三、表四的全部数据。"""
    from .api import parse as parse_report
    from .report.jsonio import dumps, report_to_dict
    from .report.textview import print_text

    try:
        with deadline(limits.MAX_SECONDS):
            report = parse_report(file)
    except _OutOfTime:
        fail(f"{file}: 处理超时（{limits.MAX_SECONDS:g} 秒），文件内容异常或过于复杂 (gave up after {limits.MAX_SECONDS:g} s)")
    except XxgkError as exc:
        fail(f"{file}: {exc.message}")
    except RecursionError:
        fail(f"{file}: 文件结构嵌套过深，无法读取 (nesting too deep)")
    except MemoryError:
        fail(f"{file}: 文件过大，内存不足 (out of memory)")
    except Exception as exc:  # a bug must still not print a traceback at the user
        fail(f"{file}: 读取失败，内部错误 (internal error: {type(exc).__name__}: {exc})")
    if format is OutputFormat.json:
        sys.stdout.write(dumps(report_to_dict(report, detail=not brief)) + "\n")
    else:
        print_text(report, Console())


def run() -> None:
    app()


if __name__ == "__main__":
    run()
