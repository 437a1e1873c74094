"""Local practice: ``xxgk.toml`` disables rules, changes severities, sets local deadlines.

```toml
[rules]
disable = ["label.*", "deadline.too_early"]

[rules.severity]
"cell.blank" = "error"

[deadlines]            # month-day in the year after the report year
department = "01-20"
government = "03-31"

[similarity]
threshold = 0.9        # crossyear.similar_text fires at or above this ratio
```

The file is found in the working folder or the nearest folder above it, or given with
``--config``.
"""

from __future__ import annotations

import fnmatch
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import XxgkError
from .model import Severity

CONFIG_NAME = "xxgk.toml"


class ConfigError(XxgkError):
    pass


@dataclass(frozen=True)
class CheckConfig:
    disabled: tuple[str, ...] = ()
    severities: dict[str, Severity] = field(default_factory=dict)
    deadlines: dict[str, tuple[int, int]] = field(default_factory=dict)
    similarity: float = 0.9
    path: Path | None = None

    def enabled(self, rule_id: str) -> bool:
        return not any(fnmatch.fnmatchcase(rule_id, pattern) for pattern in self.disabled)

    def severity(self, rule_id: str, default: Severity) -> Severity:
        for pattern, sev in self.severities.items():
            if fnmatch.fnmatchcase(rule_id, pattern):
                return sev
        return default


def find_config(start: Path | None = None) -> Path | None:
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def _month_day(value: object, where: str) -> tuple[int, int]:
    try:
        month, day = (int(x) for x in str(value).split("-"))
        if not (1 <= month <= 12 and 1 <= day <= 31):
            raise ValueError
    except ValueError:
        raise ConfigError(f"{where} 应为“月-日”，如 \"01-31\"，实际为 {value!r} (bad month-day)") from None
    return month, day


def load_config(path: Path | None = None, start: Path | None = None) -> CheckConfig:
    path = path or find_config(start)
    if path is None:
        return CheckConfig()
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}：配置文件不存在 (no such config file)") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}：配置文件格式错误 (invalid TOML: {exc})") from None
    rules = data.get("rules", {})
    disabled = rules.get("disable", [])
    if not isinstance(disabled, list) or not all(isinstance(x, str) for x in disabled):
        raise ConfigError(f"{path}：[rules] disable 应为规则编号列表 (rules.disable must be a list of rule ids)")
    severities: dict[str, Severity] = {}
    for rule_id, sev in rules.get("severity", {}).items():
        try:
            severities[rule_id] = Severity(str(sev))
        except ValueError:
            raise ConfigError(f"{path}：规则 {rule_id} 的级别 {sev!r} 无效，应为 error、warning 或 info (bad severity)") from None
    deadlines = {k: _month_day(v, f"{path}：[deadlines] {k}") for k, v in data.get("deadlines", {}).items()}
    unknown = set(deadlines) - {"department", "government"}
    if unknown:
        raise ConfigError(f"{path}：[deadlines] 只能设置 department 和 government (unknown: {', '.join(sorted(unknown))})")
    threshold = data.get("similarity", {}).get("threshold", 0.9)
    if not isinstance(threshold, (int, float)) or not 0 < threshold <= 1:
        raise ConfigError(f"{path}：[similarity] threshold 应在 0 到 1 之间 (bad threshold)")
    return CheckConfig(tuple(disabled), severities, deadlines, float(threshold), Path(path))
