"""Recording returned forms in the ledger (submissions and the scores read from them)."""

from __future__ import annotations

import sqlalchemy as sa

from zwgk_score.ledger import LedgerWriter
from zwgk_score.ledger import schema as t
from zwgk_score.ledger.schema import FORM_SELF
from zwgk_score.ledger.store import time_text
from zwgk_score.loop.context import LoopContext
from zwgk_score.loop.readback import ReturnedForm


def record_forms(ctx: LoopContext, w: LedgerWriter, forms: list[ReturnedForm]) -> int:
    """Record each returned form once (same kind, unit and file hash); return how many were new."""
    new = 0
    for form in forms:
        owner = form.owner or form.path.name
        seen = w.conn.execute(
            sa.select(t.submissions.c.id).where(
                t.submissions.c.assessment == ctx.assessment,
                t.submissions.c.period == ctx.period,
                t.submissions.c.kind == form.kind,
                t.submissions.c.file_name == form.path.name,
                t.submissions.c.sha256 == form.sha256,
            )
        ).first()
        if seen is not None:
            continue
        new += 1
        sid = w.insert(
            t.submissions,
            assessment=ctx.assessment,
            period=ctx.period,
            kind=form.kind,
            unit=owner,
            form_id=form.form_id or None,
            file_name=form.path.name,
            sha256=form.sha256,
            received_at=time_text(form.received),
            status=form.status,
            errors="\n".join(str(p) for p in form.problems),
        )
        if not form.usable:
            continue
        if form.kind == FORM_SELF:
            rows = [
                {
                    "assessment": ctx.assessment,
                    "period": ctx.period,
                    "submission_id": sid,
                    "unit": v["unit"],
                    "indicator": v["indicator"],
                    "score": v["score"],
                    "choice": v["choice"],
                    "note": v["note"],
                    "evidence": v["evidence"],
                    "cell": v["cell"],
                }
                for v in form.values
            ]
            w.insert_many(t.self_scores, rows)
        else:
            rows = [
                {
                    "assessment": ctx.assessment,
                    "period": ctx.period,
                    "submission_id": sid,
                    "reviewer": form.owner,
                    "unit": v["unit"],
                    "indicator": v["indicator"],
                    "score": v["score"],
                    "choice": v["choice"],
                    "reason": v["reason"],
                    "cell": v["cell"],
                }
                for v in form.values
            ]
            w.insert_many(t.review_scores, rows)
    return new
