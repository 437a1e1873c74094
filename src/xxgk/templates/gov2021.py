"""gov2021: 国办公开办函〔2021〕30号, used for report years 2021 onwards."""

from __future__ import annotations

from .common import OTHER, RESULTS, SECTIONS, T4, t3_table
from .model import BlockSpec, CellKind, ColumnSpec, RowSpec, TableSpec, TemplateSpec

_DOC_COLUMNS = (
    ColumnSpec("issued", "本年制发件数", variants=("本年新制发件数", "本年制发数量")),
    ColumnSpec("repealed", "本年废止件数", variants=("本年废止数量",)),
    ColumnSpec("in_force", "现行有效件数", variants=("现行有效数量",)),
)
_DECISIONS = (ColumnSpec("decisions", "本年处理决定数量", variants=("处理决定数量",)),)

T2 = TableSpec(
    key="t2",
    title="表二",
    section="s2",
    blocks=(
        BlockSpec(
            "第二十条第（一）项",
            _DOC_COLUMNS,
            (
                RowSpec("regulations", "规章"),
                RowSpec("normative_docs", "行政规范性文件", ("规范性文件",)),
            ),
            stub_label="信息内容",
        ),
        BlockSpec("第二十条第（五）项", _DECISIONS, (RowSpec("admin_license", "行政许可"),), stub_label="信息内容"),
        BlockSpec(
            "第二十条第（六）项",
            _DECISIONS,
            (RowSpec("admin_penalty", "行政处罚"), RowSpec("admin_coercion", "行政强制")),
            stub_label="信息内容",
        ),
        BlockSpec(
            "第二十条第（八）项",
            (
                ColumnSpec(
                    "amount",
                    "本年收费金额（单位：万元）",
                    kind=CellKind.MONEY,
                    unit="万元",
                    variants=("本年收费金额（单位：万元，保留4位小数）", "本年收费金额"),
                ),
            ),
            (RowSpec("admin_fees", "行政事业性收费"),),
            stub_label="信息内容",
        ),
    ),
)

_OTHER_ROWS = (
    RowSpec(
        "result.other.no_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        groups=(RESULTS, OTHER),
    ),
    RowSpec(
        "result.other.unpaid_fee",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        groups=(RESULTS, OTHER),
    ),
    # "（六）其他处理" alone is the single 2019 row, published in some gov2021 reports: its
    # values belong here and the two rows above stay null (templates.md §0).
    RowSpec("result.other.other", "3.其他", ("3.其它", "（六）其他处理"), groups=(RESULTS, OTHER)),
)

GOV2021 = TemplateSpec(
    key="gov2021",
    name="政府信息公开工作年度报告格式（2021年版）",
    issued_by="国办公开办函〔2021〕30号",
    first_year=2021,
    last_year=None,
    sections=SECTIONS,
    tables=(T2, t3_table(_OTHER_ROWS), T4),
)
