"""Report data from JSON or YAML (the ``xxgk parse --format json`` shape) into a :class:`Report`.

``template``, ``year``, ``agency`` and the nested ``t2``/``t3``/``t4`` keys are read; every cell
key of the template must be present (``null`` for a cell with no number).  ``sections`` may be
``{"s1": "…", …}`` or the list ``parse`` emits; ``title`` and ``published`` are optional.
Anything wrong is a :class:`DataError` with a one-line Chinese message (exit code 2).

A file that is not data (a published report: text, HTML, Word) is parsed as a report, so
``xxgk render report.txt -o report.docx`` converts.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..errors import XxgkError
from ..report.jsonio import flatten, loads
from ..report.model import CellStatus, CellValue, Report, Section
from ..templates import TEMPLATES, template_for_year
from ..templates.model import CellKind, TemplateSpec

MAX_DATA_BYTES = 20 * 1024 * 1024
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
#: no count or amount in a report comes near this; larger is a typo or hostile input
MAX_MAGNITUDE = Decimal(10) ** 15
MAX_DECIMAL_PLACES = 12
#: top-level keys besides the tables that parse emits and data may carry
_KNOWN = {"template", "year", "agency", "title", "published", "sections", "t2", "t3", "t4"}


class DataError(XxgkError):
    """Report data that cannot become a report: unknown template, missing keys, bad values."""


def _yaml_load(text: str) -> Any:
    try:
        import yaml
    except ImportError:  # pragma: no cover - PyYAML is a dependency
        raise DataError("读取 YAML 需要安装 PyYAML (PyYAML is not installed)") from None

    class _Loader(yaml.SafeLoader):
        pass

    def _decimal(loader, node):  # exact money: never a float
        text = str(node.value).replace("_", "")
        try:
            return Decimal(text)
        except InvalidOperation:
            return float(text)

    def _no_alias(self, parent, index):  # anchors and aliases are how YAML bombs work: data needs none
        if self.check_event(yaml.AliasEvent):
            raise DataError("YAML 数据中不允许使用锚点引用（*别名）(YAML aliases are not allowed)")
        return yaml.SafeLoader.compose_node(self, parent, index)

    _Loader.add_constructor("tag:yaml.org,2002:float", _decimal)
    _Loader.compose_node = _no_alias
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except RecursionError:
        raise DataError("YAML 数据嵌套过深 (nesting too deep)") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行" if mark is not None else ""
        raise DataError(f"YAML 格式错误{where}：{getattr(exc, 'problem', None) or exc}".replace("\n", " ")) from None


def load_data_text(text: str, kind: str | None = None) -> dict[str, Any]:
    """The data object from JSON or YAML text (``kind`` "json"/"yaml", or guessed)."""
    text = text.lstrip("\ufeff")
    if kind == "json" or (kind is None and text.lstrip().startswith(("{", "["))):
        try:
            data = loads(text)
        except RecursionError:
            raise DataError("JSON 数据嵌套过深 (nesting too deep)") from None
        except ValueError as exc:
            raise DataError(f"JSON 格式错误：{exc}".replace("\n", " ")) from None
    else:
        data = _yaml_load(text)
    if not isinstance(data, dict):
        raise DataError("数据应为一个对象（含 template、year、agency、t2、t3、t4），而不是列表或单个值")
    return data


def looks_like_data(path: Path, head: bytes) -> bool:
    """Whether a file holds report data (JSON/YAML) rather than a published report."""
    if path.suffix.lower() in (".json", ".yaml", ".yml"):
        return True
    s = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if s.startswith(b"{"):
        return True
    return bool(re.match(rb"(?m)^(template|year|agency|t2)\s*:", s[:4096]))


def load_report_file(path: Path) -> Report:
    """A report from a data file (JSON/YAML) or from any report file xxgk can parse."""
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError as exc:
        raise DataError(f"无法读取数据文件：{exc.strerror or exc}") from None
    if looks_like_data(path, head):
        if size > MAX_DATA_BYTES:
            raise DataError("数据文件过大 (data file too large)")
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise DataError("数据文件应为 UTF-8 编码 (data must be UTF-8)") from None
        kind = {".json": "json", ".yaml": "yaml", ".yml": "yaml"}.get(path.suffix.lower())
        return report_from_data(load_data_text(text, kind))
    from ..api import parse

    return parse(path)


def _template(data: dict[str, Any]) -> TemplateSpec:
    key = data.get("template")
    if key is None:
        year = data.get("year")
        spec = template_for_year(year) if isinstance(year, int) and not isinstance(year, bool) else None
        if spec is None:
            raise DataError("数据缺少 template（gov2019 或 gov2021），也无法从年度推定")
        return spec
    if not isinstance(key, str) or key not in TEMPLATES:
        raise DataError(f"未知的模板“{key}”，应为 {' 或 '.join(sorted(TEMPLATES))}")
    return TEMPLATES[key]


def _year(data: dict[str, Any]) -> int | None:
    year = data.get("year")
    if year is None:
        return None
    if isinstance(year, str) and year.strip().isdigit():
        year = int(year.strip())
    if isinstance(year, bool) or not isinstance(year, int) or not 1990 <= year <= 2100:
        raise DataError(f"年度“{year}”不是有效的年份")
    return year


def _text(data: dict[str, Any], key: str, label: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise DataError(f"{label}应为文字，而不是“{value}”")
    value = value.strip()
    return value or None


def _published(data: dict[str, Any]) -> date | None:
    value = data.get("published")
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    raise DataError(f"发布日期“{value}”应写作 YYYY-MM-DD")


def _number(key: str, value: Any, kind: CellKind) -> int | Decimal | None:
    if value is None:
        return None
    if isinstance(value, str):
        s = value.strip().replace(",", "")
        if s == "":
            return None
        if not _NUMBER.match(s):
            raise DataError(f"{key} 的值“{value}”不是数字")
        value = Decimal(s)
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise DataError(f"{key} 的值“{value}”不是数字")
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise DataError(f"{key} 的值“{value}”不是数字")
        value = Decimal(repr(value))
    if isinstance(value, Decimal) and not value.is_finite():
        raise DataError(f"{key} 的值“{value}”不是数字")
    if abs(value) >= MAX_MAGNITUDE or (isinstance(value, Decimal) and -value.as_tuple().exponent > MAX_DECIMAL_PLACES):
        raise DataError(f"{key} 的值“{value}”超出合理范围")
    if kind is CellKind.MONEY:
        d = Decimal(value)
        if d < 0:
            raise DataError(f"{key} 的金额不能为负数：{value}")
        return d
    if isinstance(value, Decimal):
        if value != value.to_integral_value():
            raise DataError(f"{key} 应为整数（件数），而不是 {value}")
        value = int(value)
    if kind is CellKind.COUNT and value < 0:
        raise DataError(f"{key} 应为非负整数，而不是 {value}")
    return value


def _sections(data: dict[str, Any], spec: TemplateSpec) -> tuple[Section, ...]:
    raw = data.get("sections")
    texts: dict[str, str] = {}
    headings: dict[str, str] = {}
    known = {s.key for s in spec.sections}
    if raw is None:
        pass
    elif isinstance(raw, dict):
        for k, v in raw.items():
            if k not in known:
                raise DataError(f"未知的章节“{k}”，应为 s1 至 s6")
            if v is not None and not isinstance(v, str):
                raise DataError(f"章节 {k} 的内容应为文字")
            texts[k] = v or ""
    elif isinstance(raw, list):
        for item in raw:
            if not isinstance(item, dict) or item.get("key") not in known:
                raise DataError("章节列表的每一项应为含 key（s1 至 s6）与 text 的对象")
            text = item.get("text")
            if text is not None and not isinstance(text, str):
                raise DataError(f"章节 {item['key']} 的内容应为文字")
            texts[item["key"]] = text or ""
            if isinstance(item.get("heading"), str) and item["heading"].strip():
                headings[item["key"]] = item["heading"].strip()
    else:
        raise DataError("sections 应为 {\"s1\": 文字, …} 或章节列表")
    return tuple(
        Section(s.key, headings.get(s.key, f"{s.number}、{s.heading}"), texts.get(s.key, "").strip("\n"), None, i)
        for i, s in enumerate(spec.sections)
    )


def report_from_data(data: dict[str, Any]) -> Report:
    """A :class:`Report` from the data object; cells GIVEN, or BLANK where null."""
    if not isinstance(data, dict):
        raise DataError("数据应为一个对象（含 template、year、agency、t2、t3、t4）")
    spec = _template(data)
    flat: dict[str, Any] = {}
    for table in ("t2", "t3", "t4"):
        part = data.get(table)
        if part is None:
            raise DataError(f"数据缺少{spec.table_by_key[table].title}（{table}）")
        if not isinstance(part, dict):
            raise DataError(f"{table} 应为按行、列嵌套的对象")
        flat.update(flatten(part, table))
    missing = [k for k in spec.cell_keys if k not in flat]
    if missing:
        more = f"等 {len(missing)} 项" if len(missing) > 1 else ""
        raise DataError(f"数据缺少 {missing[0]}{more}（{spec.key} 的每一项都要给出，没有数字的写 null）")
    extra = [k for k in flat if k not in spec.cell_spec]
    if extra:
        raise DataError(f"数据中有 {spec.key} 没有的项 {extra[0]}" + (f" 等 {len(extra)} 项" if len(extra) > 1 else ""))
    cells = {}
    for key in spec.cell_keys:
        kind = spec.cell_spec[key][3].kind
        value = _number(key, flat[key], kind)
        cells[key] = CellValue(key, value, CellStatus.GIVEN if value is not None else CellStatus.BLANK)
    return Report(
        spec.key,
        _year(data),
        _text(data, "agency", "机关名称"),
        cells,
        sections=_sections(data, spec),
        title=_text(data, "title", "标题"),
        published=_published(data),
    )


_FILLABLE = ("identity.results_total", "identity.row_total", "identity.t4_total")


def fill_totals(report: Report) -> Report:
    """Missing (null) totals computed from the identities; a given number is never overwritten."""
    cells = dict(report.cells)
    idents = [i for i in report.spec.identities if i.rule in _FILLABLE and len(i.lhs) == 1]
    changed = True
    while changed:
        changed = False
        for ident in idents:
            key = ident.lhs[0]
            if cells[key].value is not None:
                continue
            parts = [cells[k].value for k in ident.rhs]
            if any(p is None for p in parts):
                continue
            cells[key] = CellValue(key, sum(parts), CellStatus.GIVEN, note="由勾稽关系计算 (computed total)")
            changed = True
    return replace(report, cells=cells)
