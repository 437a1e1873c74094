"""Writing query results to files (``xxgk export``): .csv .parquet .xlsx .json by extension.

CSV is UTF-8 with a byte-order mark (Excel then shows Chinese correctly); JSON is an array of
objects with exact numbers (the digits of each Decimal, as ``xxgk parse`` writes them); Parquet
keeps money as exact decimals; Excel holds at most 1,048,575 rows.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy.engine import Engine

from ..errors import XxgkError
from ..report.jsonio import dumps
from . import queries

FORMATS = (".csv", ".parquet", ".xlsx", ".json")
EXCEL_MAX_ROWS = 1_048_575

#: what can be exported: name -> (query, takes the ``by`` grouping, Chinese description)
WHAT: dict[str, tuple[Callable[..., pd.DataFrame], bool, str]] = {
    "reports": (queries.reports, False, "每个已入库文件一行（全部版本，含读取失败的文件和错误原因、问题数）"),
    "cells": (queries.cells, False, "每份报告（最新版本）的每个单元格一行：数值、原文、位置"),
    "findings": (queries.findings, False, "每份报告（最新版本）的检查问题"),
    "totals": (queries.totals, True, "按地区、层级、机关、年度汇总的各单元格合计"),
    "identities": (queries.total_findings, True, "在汇总合计上复核勾稽关系的结果"),
    "crossyear": (queries.crossyear, False, "全库跨年度检查（同一机关相邻年度）"),
    "missing": (queries.missing, False, "某年度没有报告的机关"),
    "rules": (queries.finding_counts, False, "按规则统计的问题数和报告数"),
    "failed": (queries.failed, False, "读取失败的文件及原因"),
}


class ExportError(XxgkError):
    pass


def _plain(value: Any) -> Any:
    """A cell of a DataFrame as a JSON value (exact Decimals kept for :func:`dumps`)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if hasattr(value, "item") and not isinstance(value, Decimal):  # numpy scalars
        return value.item()
    return value


def write(df: pd.DataFrame, output: Path) -> None:
    suffix = output.suffix.lower()
    if suffix not in FORMATS:
        raise ExportError(f"不支持的导出格式 {output.suffix or '(无扩展名)'}，可选：{' '.join(FORMATS)} (unsupported format)")
    try:
        if suffix == ".csv":
            df.to_csv(output, index=False, encoding="utf-8-sig")
        elif suffix == ".parquet":
            df.to_parquet(output, index=False)
        elif suffix == ".xlsx":
            if len(df) > EXCEL_MAX_ROWS:
                raise ExportError(
                    f"共 {len(df)} 行，超过 Excel 的行数上限 {EXCEL_MAX_ROWS}；请导出为 .csv 或 .parquet (too many rows for Excel)"
                )
            df.to_excel(output, index=False, sheet_name="xxgk")
        else:
            records = [{k: _plain(v) for k, v in row.items()} for row in df.to_dict("records")]
            output.write_text(dumps(records) + "\n", encoding="utf-8")
    except OSError as exc:
        raise ExportError(f"{output}: 无法写入 ({exc.strerror or exc})") from None


def export(engine: Engine, output: Path, what: str = "reports", by: tuple[str, ...] = ("region", "year")) -> int:
    """Run query ``what`` and write it to ``output``; the number of rows written."""
    if what not in WHAT:
        raise ExportError(f"未知的导出内容 {what}，可选：{'、'.join(WHAT)} (unknown export)")
    query, grouped, _ = WHAT[what]
    if output.suffix.lower() not in FORMATS:
        write(pd.DataFrame(), output)  # the one-line error for the format, before any work
    df = query(engine, by=by) if grouped else query(engine)
    write(df, output)
    return len(df)
