"""Parts shared by both official templates: the sections, 表三 and 表四.

Labels are the official texts of 国办公开办函〔2019〕60号 and 〔2021〕30号; ``variants`` are
other wordings seen in published reports (accepted, reported as non-standard).
"""

from __future__ import annotations

from .model import BlockSpec, ColumnSpec, RowSpec, SectionSpec, StatedIdentity, TableSpec

SECTIONS = (
    SectionSpec("s1", "一", "总体情况", ("政府信息公开工作总体情况", "政府信息公开总体情况", "基本情况", "概述")),
    SectionSpec("s2", "二", "主动公开政府信息情况", ("主动公开情况",), table="t2"),
    SectionSpec(
        "s3",
        "三",
        "收到和处理政府信息公开申请情况",
        ("收到和处理政府信息公开申请的情况", "依申请公开政府信息情况"),
        table="t3",
    ),
    SectionSpec(
        "s4",
        "四",
        "政府信息公开行政复议、行政诉讼情况",
        (
            "政府信息公开行政复议及行政诉讼情况",
            "因政府信息公开工作被申请行政复议和提起行政诉讼情况",
            "政府信息公开被申请行政复议、提起行政诉讼情况",
            "政府信息公开行政复议和行政诉讼情况",
        ),
        table="t4",
    ),
    SectionSpec(
        "s5",
        "五",
        "存在的主要问题及改进情况",
        (
            "政府信息公开工作存在的主要问题及改进情况",
            "存在的主要问题和改进措施",
            "存在的主要问题和改进情况",
            "存在的问题及改进情况",
            "存在的主要问题及改进措施",
        ),
    ),
    SectionSpec("s6", "六", "其他需要报告的事项", ("其他需要报告事项",)),
)

APPLICANT = "申请人情况"
ORGS = "法人或其他组织"

T3_COLUMNS = (
    ColumnSpec("natural_person", "自然人", groups=(APPLICANT,)),
    ColumnSpec("commercial_enterprise", "商业企业", groups=(APPLICANT, ORGS)),
    ColumnSpec("research_institution", "科研机构", groups=(APPLICANT, ORGS)),
    ColumnSpec("social_welfare_org", "社会公益组织", groups=(APPLICANT, ORGS)),
    ColumnSpec("legal_service_org", "法律服务机构", groups=(APPLICANT, ORGS)),
    ColumnSpec("other_org", "其他", variants=("其它",), groups=(APPLICANT, ORGS)),
    ColumnSpec("total", "总计", variants=("合计",), groups=(APPLICANT,), total_rule="identity.row_total"),
)

RESULTS = "三、本年度办理结果"
DENIED = "（三）不予公开"
UNABLE = "（四）无法提供"
NOT_PROCESSED = "（五）不予处理"
OTHER = "（六）其他处理"

T3_HEAD_ROWS = (
    RowSpec("new_received", "一、本年新收政府信息公开申请数量", ("一、本年新收政府信息公开申请",)),
    RowSpec("carried_over", "二、上年结转政府信息公开申请数量", ("二、上年结转政府信息公开申请",)),
    RowSpec("result.granted", "（一）予以公开", groups=(RESULTS,)),
    RowSpec(
        "result.partially_granted",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        ("（二）部分公开",),
        groups=(RESULTS,),
    ),
    RowSpec("result.denied.state_secret", "1.属于国家秘密", groups=(RESULTS, DENIED)),
    RowSpec(
        "result.denied.law_prohibited",
        "2.其他法律行政法规禁止公开",
        ("2.其他法律法规禁止公开",),
        groups=(RESULTS, DENIED),
    ),
    RowSpec("result.denied.security_stability", "3.危及“三安全一稳定”", groups=(RESULTS, DENIED)),
    RowSpec("result.denied.third_party_rights", "4.保护第三方合法权益", groups=(RESULTS, DENIED)),
    RowSpec("result.denied.internal_affairs", "5.属于三类内部事务信息", groups=(RESULTS, DENIED)),
    RowSpec("result.denied.process_info", "6.属于四类过程性信息", groups=(RESULTS, DENIED)),
    RowSpec("result.denied.enforcement_file", "7.属于行政执法案卷", groups=(RESULTS, DENIED)),
    RowSpec("result.denied.admin_query", "8.属于行政查询事项", groups=(RESULTS, DENIED)),
    RowSpec("result.unable.not_held", "1.本机关不掌握相关政府信息", groups=(RESULTS, UNABLE)),
    RowSpec("result.unable.needs_creation", "2.没有现成信息需要另行制作", groups=(RESULTS, UNABLE)),
    RowSpec("result.unable.unclear_after_correction", "3.补正后申请内容仍不明确", groups=(RESULTS, UNABLE)),
    RowSpec("result.not_processed.petition_complaint", "1.信访举报投诉类申请", groups=(RESULTS, NOT_PROCESSED)),
    RowSpec("result.not_processed.duplicate", "2.重复申请", groups=(RESULTS, NOT_PROCESSED)),
    RowSpec("result.not_processed.publication", "3.要求提供公开出版物", groups=(RESULTS, NOT_PROCESSED)),
    RowSpec("result.not_processed.excessive", "4.无正当理由大量反复申请", groups=(RESULTS, NOT_PROCESSED)),
    RowSpec(
        "result.not_processed.confirm_or_reissue",
        "5.要求行政机关确认或重新出具已获取信息",
        groups=(RESULTS, NOT_PROCESSED),
    ),
)

T3_TAIL_ROWS = (
    RowSpec("result.total", "（七）总计", ("（七）合计",), groups=(RESULTS,), total_rule="identity.results_total"),
    RowSpec("carried_forward", "四、结转下年度继续办理", ("四、结转下年度继续办理数量",)),
)

T3_CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T3_BALANCE = StatedIdentity(
    "identity.balance",
    lhs=("new_received", "carried_over"),
    rhs=("result.total", "carried_forward"),
    text="第一项加第二项之和，等于第三项加第四项之和",
)


def t3_table(other_rows: tuple[RowSpec, ...]) -> TableSpec:
    return TableSpec(
        key="t3",
        title="表三",
        section="s3",
        blocks=(BlockSpec(None, T3_COLUMNS, T3_HEAD_ROWS + other_rows + T3_TAIL_ROWS),),
        corner=T3_CORNER,
        stated=(T3_BALANCE,),
    )


REVIEW = "行政复议"
LITIGATION = "行政诉讼"
LIT_DIRECT = "未经复议直接起诉"
LIT_AFTER = "复议后起诉"


def _t4_group(prefix: str, groups: tuple[str, ...]) -> tuple[ColumnSpec, ...]:
    return (
        ColumnSpec(f"{prefix}.upheld", "结果维持", groups=groups),
        ColumnSpec(f"{prefix}.corrected", "结果纠正", groups=groups),
        ColumnSpec(f"{prefix}.other", "其他结果", groups=groups),
        ColumnSpec(f"{prefix}.pending", "尚未审结", groups=groups),
        ColumnSpec(f"{prefix}.total", "总计", variants=("合计",), groups=groups, total_rule="identity.t4_total"),
    )


T4 = TableSpec(
    key="t4",
    title="表四",
    section="s4",
    blocks=(
        BlockSpec(
            None,
            _t4_group("review", (REVIEW,))
            + _t4_group("lit_direct", (LITIGATION, LIT_DIRECT))
            + _t4_group("lit_after_review", (LITIGATION, LIT_AFTER)),
            (RowSpec("", ""),),
        ),
    ),
)
