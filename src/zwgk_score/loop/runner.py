"""What ``zwgk-score run`` does with the ledger: apply decisions, record, write the audit log.

Used by :mod:`zwgk_score.run` only when the config has a ``[ledger]`` table.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from zwgk_score.config import AssessmentConfig
from zwgk_score.ledger import open_ledger
from zwgk_score.ledger.schema import FORM_REVIEW, FORM_SELF
from zwgk_score.ledger.store import now_text
from zwgk_score.loop.context import load_context
from zwgk_score.loop.settings import loop_settings
from zwgk_score.plugins import PluginHost
from zwgk_score.results import Results

AUDIT_FILE = "申诉处理记录.xlsx"


def with_decisions(results: Results, cfg: AssessmentConfig) -> Results:
    """The result with the period's 调整 decisions from the ledger applied."""
    if not cfg.ledger:
        return results
    from zwgk_score.loop.appeals import ADJUST
    from zwgk_score.loop.rescore import apply_adjustments

    with open_ledger(loop_settings(cfg).target) as ledger:
        adj = {}
        for d in ledger.decisions(cfg.name, cfg.period):
            if d["decision"] == ADJUST:
                adj[(d["unit"], d["indicator"])] = {
                    "before": d["score_before"],
                    "after": d["score_after"],
                    "reason": d["reason"],
                    "by": d["decided_by"],
                    "at": d["decided_at"],
                    "appeal": f"SS{d['appeal_id']:04d}",
                }
    return apply_adjustments(results, adj)


@contextlib.contextmanager
def publishing(
    cfg: AssessmentConfig, results: Results, stage: Path, host: PluginHost
) -> Iterator[list[Path]]:
    """Record the run in the ledger in one transaction around writing the outputs.

    Yields the extra files written into ``stage`` (the audit log); the ledger
    transaction commits only when the block (writing and moving the outputs)
    succeeds, so a failed run changes nothing in it.
    """
    if not cfg.ledger:
        yield []
        return
    from zwgk_score.loop.appeals import write_audit_log
    from zwgk_score.loop.readback import read_folder
    from zwgk_score.loop.record import record_forms

    ctx = load_context(cfg, host=host)
    try:
        written = []
        audit = write_audit_log(ctx, stage / AUDIT_FILE)
        if audit is not None:
            written.append(audit)
        forms = []
        for entry in cfg.collectors:
            kind = {"self_assessment": FORM_SELF, "review": FORM_REVIEW}.get(entry.collector)
            folder = entry.settings.get("folder")
            if kind and isinstance(folder, str) and (cfg.base_dir / folder).is_dir():
                forms.extend(read_folder(ctx, cfg.base_dir / folder, kind))
        with ctx.ledger.begin() as w:
            record_forms(ctx, w, forms)
            w.record_result(
                results.to_dict(),
                assessment=cfg.name,
                year=cfg.year,
                published_at=now_text(),
                comparable_with=results.rubric.meta.comparable_with,
            )
            yield written
    finally:
        ctx.close()
