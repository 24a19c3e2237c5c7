"""Collect stage (采集): collectors turn an office's data exports into evidence rows."""

from zwgk_score.collect.base import (
    EVIDENCE_COLUMNS,
    STATUS_MISSING,
    STATUS_NA,
    STATUS_OK,
    CollectContext,
    Collector,
    evidence_frame,
)

__all__ = [
    "EVIDENCE_COLUMNS",
    "STATUS_MISSING",
    "STATUS_NA",
    "STATUS_OK",
    "CollectContext",
    "Collector",
    "evidence_frame",
]
