"""The whole assessment loop from Python: :class:`Assessment`.

>>> a = Assessment("examples/tancheng/loop.toml")      # doctest: +SKIP
>>> a.issue_forms("发放/自评")                          # 自评表_<单位>.xlsx
>>> a.status("报送")                                    # 报送情况.xlsx
>>> a.run()                                             # 初步结果
>>> a.issue_appeal_forms("发放/申诉"); a.read_appeals()
>>> a.decide(1, "调整", score_after=4, reason="…", by="张三")
>>> a.run()                                             # 最终结果，含申诉处理记录
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd

from zwgk_score.errors import ConfigError
from zwgk_score.ledger import Ledger
from zwgk_score.ledger import schema as t
from zwgk_score.ledger.schema import FORM_REVIEW, FORM_SELF
from zwgk_score.ledger.store import now_text
from zwgk_score.loop import appeals as A
from zwgk_score.loop import forms as F
from zwgk_score.loop.context import LoopContext, load_context
from zwgk_score.loop.history import unit_series
from zwgk_score.loop.readback import ReturnedForm, read_folder
from zwgk_score.loop.rectification import (
    RectificationStatus,
    read_rectifications,
    rectification_status,
    write_rectification_ledger,
)
from zwgk_score.loop.status import submission_status, write_status
from zwgk_score.plugins import PluginHost
from zwgk_score.run import RunOutcome, run_assessment


class Assessment:
    """One assessment (考核配置) and its ledger: forms, returns, appeals, rectification, history."""

    def __init__(self, config: str | Path, *, host: PluginHost | None = None) -> None:
        self.host = host or PluginHost()
        self.ctx: LoopContext = load_context(config, host=self.host)

    @property
    def ledger(self) -> Ledger:
        return self.ctx.ledger

    def close(self) -> None:
        self.ctx.close()

    def __enter__(self) -> Assessment:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- forms -------------------------------------------------------------
    def issue_forms(self, out_dir: str | Path) -> list[Path]:
        """One 自评表 per unit into ``out_dir``; each recorded in the ledger as issued."""
        out = Path(out_dir)
        ctx = self.ctx
        deadline = ctx.settings.self_deadline
        written = []
        with ctx.ledger.begin() as w:
            for unit in ctx.roster["unit"]:
                path, ident = F.write_self_form(ctx, unit, out)
                w.record_form(
                    assessment=ctx.assessment,
                    period=ctx.period,
                    kind=FORM_SELF,
                    form_id=ident.form_id,
                    unit=unit,
                    rubric=ident.rubric,
                    file_name=path.name,
                    deadline=deadline.isoformat() if deadline else None,
                    issued_at=now_text(),
                )
                written.append(path)
        return written

    def self_scores(self) -> dict[tuple[str, str], dict[str, Any]]:
        """(unit, indicator) → the self-score of the unit's accepted 自评表 (from the ledger)."""
        ctx = self.ctx
        latest = ctx.ledger.latest_submissions(ctx.assessment, ctx.period, FORM_SELF)
        out: dict[tuple[str, str], dict[str, Any]] = {}
        for sub in latest.values():
            for row in ctx.ledger.rows(t.self_scores, submission_id=sub["id"]):
                out[(row["unit"], row["indicator"])] = row
        return out

    def issue_review_forms(self, out_dir: str | Path) -> list[Path]:
        """One 复核表 per reviewer group, with each unit's self-score and evidence beside the inputs."""
        out = Path(out_dir)
        ctx = self.ctx
        self.status()  # the returned 自评表 are recorded first
        scores = self.self_scores()
        deadline = ctx.settings.review_deadline
        written = []
        with ctx.ledger.begin() as w:
            for reviewer, units in F.reviewer_groups(ctx).items():
                path, ident = F.write_review_form(ctx, reviewer, units, out, scores)
                w.record_form(
                    assessment=ctx.assessment,
                    period=ctx.period,
                    kind=FORM_REVIEW,
                    form_id=ident.form_id,
                    unit=reviewer,
                    rubric=ident.rubric,
                    file_name=path.name,
                    deadline=deadline.isoformat() if deadline else None,
                    issued_at=now_text(),
                )
                written.append(path)
        return written

    def status(self, out_dir: str | Path | None = None) -> pd.DataFrame:
        """报送情况 of the 自评表 (recorded in the ledger); writes 报送情况.xlsx into ``out_dir``."""
        table, _ = submission_status(self.ctx)
        if out_dir is not None:
            write_status(self.ctx, table, Path(out_dir) / "报送情况.xlsx")
        return table

    def returned_reviews(self, folder: str | Path) -> list[ReturnedForm]:
        return read_folder(self.ctx, Path(folder), FORM_REVIEW)

    # -- scoring -------------------------------------------------------------
    def run(self, **kwargs: Any) -> RunOutcome:
        """``zwgk-score run``: score with the decisions applied, write outputs, record the result."""
        self.ctx.close()  # the run opens its own connection
        return run_assessment(self.ctx.config.file, host=self.host, **kwargs)

    # -- appeals -------------------------------------------------------------
    def issue_appeal_forms(self, out_dir: str | Path) -> list[Path]:
        return A.write_appeal_forms(self.ctx, Path(out_dir))

    def read_appeals(self, folder: str | Path | None = None) -> list[ReturnedForm]:
        """Read the returned 申诉表 (default: ``[ledger] appeals``) into the ledger."""
        path = self._given_or_set(folder, "appeals", "收回申诉表的目录", '"returned/申诉"')
        return A.read_appeals(self.ctx, path)

    def appeal(
        self,
        unit: str,
        indicator: str,
        reason: str,
        *,
        evidence: str = "",
        received: dt.datetime | str | None = None,
    ) -> int:
        """Record one appeal from Python; returns its id (rejected ones are recorded with the reason)."""
        with self.ledger.begin() as w:
            return A.record_appeal(
                self.ctx,
                w,
                unit=unit,
                indicator=indicator,
                reason=reason,
                evidence=evidence,
                received=received,
            )

    def appeals(self) -> list[dict[str, Any]]:
        return self.ledger.rows(t.appeals, assessment=self.ctx.assessment, period=self.ctx.period)

    def write_decision_form(self, path: str | Path) -> Path:
        return A.write_decision_form(self.ctx, Path(path))

    def read_decisions(self, path: str | Path | None = None) -> int:
        target = self._given_or_set(path, "decisions", "申诉处理表", '"申诉处理表.xlsx"')
        return A.read_decisions(self.ctx, target)

    def _given_or_set(self, given: str | Path | None, key: str, what: str, example: str) -> Path:
        """The path given in the call, else the one set as ``[ledger] key``; neither is an error."""
        if given is not None:
            return Path(given)
        configured: Path | None = getattr(self.ctx.settings, key)
        if configured is None:
            raise ConfigError(
                f"没有给出{what}",
                file=self.ctx.config.file,
                path=f"ledger.{key}",
                hint=f"在 [ledger] 中写 {key} = {example}",
            )
        return configured

    def decide(
        self,
        appeal_id: int,
        decision: str,
        *,
        reason: str,
        by: str,
        score_after: float | None = None,
        at: dt.datetime | str | None = None,
    ) -> None:
        """Record 维持 / 调整 for one appeal (who, when, why)."""
        with self.ledger.begin() as w:
            A.decide(
                self.ctx,
                w,
                appeal_id,
                decision,
                reason=reason,
                by=by,
                score_after=score_after,
                at=at,
            )

    def audit_log(self) -> list[dict[str, Any]]:
        """The period's audit log (申诉处理记录), in time order."""
        rows = self.ledger.audit_log(self.ctx.assessment, self.ctx.period)
        return sorted(rows, key=lambda a: (a["at"], a["id"]))

    # -- rectification and history ---------------------------------------------
    def read_rectifications(self, folder: str | Path | None = None) -> list[ReturnedForm]:
        return read_rectifications(self.ctx, Path(folder) if folder is not None else None)

    def rectification(self, out_dir: str | Path | None = None) -> RectificationStatus:
        """The 整改台账 of this period; writes 整改台账.xlsx into ``out_dir``."""
        status = rectification_status(self.ledger, self.ctx.assessment, self.ctx.period)
        if out_dir is not None:
            write_rectification_ledger(self.ctx, status, Path(out_dir) / "整改台账.xlsx")
        return status

    def history(self, unit: str) -> pd.DataFrame:
        return unit_series(self.ledger, unit)
