"""gov2019: 国办公开办函〔2019〕60号 《…年度报告格式（试行）》, used for report years 2019 and 2020."""

from __future__ import annotations

from .common import OTHER, RESULTS, SECTIONS, T4, t3_table
from .model import BlockSpec, CellKind, ColumnSpec, RowSpec, TableSpec, TemplateSpec

_DOC_COLUMNS = (
    ColumnSpec("new_made", "本年新制作数量"),
    ColumnSpec("new_published", "本年新公开数量"),
    ColumnSpec("total_published", "对外公开总数量"),
)
_ITEM_COLUMNS = (
    ColumnSpec("prev_year_items", "上一年项目数量"),
    ColumnSpec("delta_items", "本年增/减", kind=CellKind.SIGNED, variants=("本年增减", "本年增/减数量")),
    ColumnSpec("decisions", "处理决定数量", variants=("本年处理决定数量",)),
)

T2 = TableSpec(
    key="t2",
    title="表二",
    section="s2",
    blocks=(
        BlockSpec(
            "第二十条第（一）项",
            _DOC_COLUMNS,
            (RowSpec("regulations", "规章"), RowSpec("normative_docs", "规范性文件", ("行政规范性文件",))),
            stub_label="信息内容",
        ),
        BlockSpec(
            "第二十条第（五）项",
            _ITEM_COLUMNS,
            (RowSpec("admin_license", "行政许可"), RowSpec("other_mgmt_services", "其他对外管理服务事项")),
            stub_label="信息内容",
        ),
        BlockSpec(
            "第二十条第（六）项",
            _ITEM_COLUMNS,
            (RowSpec("admin_penalty", "行政处罚"), RowSpec("admin_coercion", "行政强制")),
            stub_label="信息内容",
        ),
        BlockSpec(
            "第二十条第（八）项",
            _ITEM_COLUMNS[:2],
            (RowSpec("admin_fees", "行政事业性收费"),),
            stub_label="信息内容",
        ),
        BlockSpec(
            "第二十条第（九）项",
            (
                ColumnSpec("projects", "采购项目数量"),
                ColumnSpec(
                    "total_amount",
                    "采购总金额",
                    kind=CellKind.MONEY,
                    unit="万元",
                    variants=("采购总金额（单位：万元，保留4位小数）", "采购总金额（单位：万元）"),
                ),
            ),
            (RowSpec("gov_procurement", "政府集中采购"),),
            stub_label="信息内容",
        ),
    ),
)

GOV2019 = TemplateSpec(
    key="gov2019",
    name="政府信息公开工作年度报告格式（试行）",
    issued_by="国办公开办函〔2019〕60号",
    first_year=2019,
    last_year=2020,
    sections=SECTIONS,
    tables=(T2, t3_table((RowSpec("result.other", OTHER, groups=(RESULTS,)),)), T4),
)
