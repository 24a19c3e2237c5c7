"""Everything the loop needs about one assessment: config, settings, rubric, roster, ledger."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import attrs
import pandas as pd

from zwgk_score.config import AssessmentConfig, load_config
from zwgk_score.errors import ConfigError
from zwgk_score.ledger import Ledger, open_ledger
from zwgk_score.loop.settings import LoopSettings, loop_settings
from zwgk_score.plugins import PluginHost
from zwgk_score.roster import load_roster
from zwgk_score.rubric import load_rubric
from zwgk_score.rubric.model import Rubric


@attrs.define
class LoopContext:
    config: AssessmentConfig
    settings: LoopSettings
    rubric: Rubric
    roster: pd.DataFrame
    methods: dict[str, object]
    host: PluginHost
    _ledger: Ledger | None = None

    @property
    def ledger(self) -> Ledger:
        if self._ledger is None:
            self._ledger = open_ledger(self.settings.target)
        return self._ledger

    @property
    def assessment(self) -> str:
        return self.config.name

    @property
    def period(self) -> str:
        return self.config.period

    def unit_group(self, unit: str) -> str:
        return str(self.roster.set_index("unit").loc[unit, "group"])

    def close(self) -> None:
        if self._ledger is not None:
            self._ledger.close()
            self._ledger = None


def load_context(
    path: str | Path | AssessmentConfig, *, host: PluginHost | None = None
) -> LoopContext:
    cfg = path if isinstance(path, AssessmentConfig) else load_config(path)
    host = host or PluginHost()
    methods = host.methods()
    rubric = load_rubric(cfg.rubric, methods=methods)
    roster = load_roster(cfg.roster, rubric)
    settings = loop_settings(cfg)
    known = {leaf.id for leaf in rubric.leaves}
    for i, ind in enumerate(settings.review_indicators or ()):
        if ind not in known:
            raise ConfigError(
                f"指标「{ind}」不在考核细则中",
                file=cfg.file,
                path=f"ledger.review_indicators[{i}]",
                hint="写末级指标的编号（id）",
            )
    return LoopContext(cfg, settings, rubric, roster, methods, host)


def fixed_time(fallback: dt.date) -> dt.datetime:
    """Creation time of generated forms: ``SOURCE_DATE_EPOCH`` or a date of the assessment."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).replace(tzinfo=None)
    return dt.datetime(fallback.year, fallback.month, fallback.day)
