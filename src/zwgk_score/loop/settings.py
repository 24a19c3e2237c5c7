"""The ``[ledger]`` table of the assessment config: where the ledger is and the loop's dates.

```toml
[ledger]
file = "考核台账.db"              # SQLite file beside the config (default)
# url = "postgresql+psycopg://user@host/db"   # or a shared server
self_deadline = 2024-01-10        # 自评表报送截止
review_deadline = 2024-01-20      # 复核表报送截止
appeal_deadline = 2024-02-05      # 申诉截止（此后收到的申诉不予受理）
late = "reject"                   # 逾期报送的自评表：reject（不采用）| accept（采用并标注逾期）
appeals = "returned/申诉"          # 收回的申诉表所在目录
decisions = "申诉处理表.xlsx"      # 填好的申诉处理表
feedback = "returned/反馈"         # 收回的反馈单（填有整改情况）所在目录
review_indicators = ["I01a"]      # 复核表列出的指标（默认：全部分档、是否达标、分项、评审打分指标）
[ledger.reviewers]                # 复核组 = 考核类别 id 或单位名称（默认每个考核类别一组）
"第一复核组" = ["town"]
```
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import attrs

from zwgk_score.config import AssessmentConfig
from zwgk_score.errors import ConfigError

DEFAULT_FILE = "考核台账.db"
_KNOWN = {
    "file",
    "url",
    "self_deadline",
    "review_deadline",
    "appeal_deadline",
    "late",
    "appeals",
    "decisions",
    "feedback",
    "reviewers",
    "review_indicators",
}


@attrs.frozen
class LoopSettings:
    """The validated ``[ledger]`` table."""

    config: AssessmentConfig
    target: str
    self_deadline: date | None
    review_deadline: date | None
    appeal_deadline: date | None
    late: str
    appeals: Path | None
    decisions: Path | None
    feedback: Path | None
    reviewers: dict[str, tuple[str, ...]]
    review_indicators: tuple[str, ...] | None = None


def _date(cfg: AssessmentConfig, key: str) -> date | None:
    value = cfg.ledger.get(key)
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(
            f"日期「{value}」格式不正确", file=cfg.file, path=f"ledger.{key}", hint="如 2024-01-10"
        ) from None


def _path(cfg: AssessmentConfig, key: str) -> Path | None:
    value = cfg.ledger.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ConfigError("应为路径", file=cfg.file, path=f"ledger.{key}")
    return cfg.base_dir / value


def loop_settings(cfg: AssessmentConfig) -> LoopSettings:
    """Read ``cfg.ledger`` (an empty table gives the defaults)."""
    raw = cfg.ledger
    for key in raw:
        if key not in _KNOWN:
            raise ConfigError(
                f"未知的键：{key}",
                file=cfg.file,
                path=f"ledger.{key}",
                hint=f"可用的键：{'、'.join(sorted(_KNOWN))}",
            )
    url = raw.get("url")
    if url is not None:
        if not isinstance(url, str) or "://" not in url:
            raise ConfigError(
                "url 应为数据库地址",
                file=cfg.file,
                path="ledger.url",
                hint="如 postgresql+psycopg://user@127.0.0.1:5432/zwgk",
            )
        target = url
    else:
        target = str(cfg.base_dir / str(raw.get("file", DEFAULT_FILE)))
    late = raw.get("late", "reject")
    if late not in ("reject", "accept"):
        raise ConfigError(
            "late 应为 reject 或 accept",
            file=cfg.file,
            path="ledger.late",
            hint="reject：逾期报送的自评表不采用；accept：采用并标注逾期",
        )
    reviewers_raw = raw.get("reviewers", {})
    if not isinstance(reviewers_raw, dict) or not all(
        isinstance(v, list) and all(isinstance(x, str) for x in v) for v in reviewers_raw.values()
    ):
        raise ConfigError(
            "reviewers 应为「复核组 = [考核类别或单位, …]」",
            file=cfg.file,
            path="ledger.reviewers",
            hint='如 [ledger.reviewers] "第一复核组" = ["town"]',
        )
    return LoopSettings(
        config=cfg,
        target=target,
        self_deadline=_date(cfg, "self_deadline"),
        review_deadline=_date(cfg, "review_deadline"),
        appeal_deadline=_date(cfg, "appeal_deadline"),
        late=str(late),
        appeals=_path(cfg, "appeals"),
        decisions=_path(cfg, "decisions"),
        feedback=_path(cfg, "feedback"),
        reviewers={str(k): tuple(v) for k, v in reviewers_raw.items()},
        review_indicators=_ids(cfg),
    )


def _ids(cfg: AssessmentConfig) -> tuple[str, ...] | None:
    value = cfg.ledger.get("review_indicators")
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(
            "review_indicators 应为指标编号的数组",
            file=cfg.file,
            path="ledger.review_indicators",
            hint='如 review_indicators = ["I01a", "I05b"]',
        )
    return tuple(value)
