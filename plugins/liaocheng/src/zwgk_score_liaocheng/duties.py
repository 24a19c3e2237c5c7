"""Collector ``liaocheng_duties``: who each task of the plan is assessed on (责任分工).

Every task of the 聊城 plan ends with a 责任分工 line, quoted verbatim in the
rubric leaf's ``responsible``.  Some name whole classes (各县(市、区)政府,
市属开发区管委会, 市直各部门), others name departments only ("市发改委、市工商局、
市财政局……按职责分工分别牵头落实", "市环保局牵头,各县(市、区)政府、市属开发区管委会负责落实").
This collector turns that line into a checked rule: for each leaf, a roster
unit is assessed when

* its class is named (``各县(市、区)`` for ``county``, ``市属开发区`` for
  ``zone``, ``市直各部门`` for ``dept``; the phrases are settings), or
* its own name (or an alias from ``aliases``) appears in the line;

every other unit of a group the leaf applies to gets one ``na`` row
(不适用, rescaled) saying why.  ``exclude`` lists reasoned exceptions (a
cooperating department named for another part of the task).

Settings: ``rubric`` (default: the config's), ``roster`` (default: the
config's), ``aliases`` (``{名单中的名称 = ["方案中的写法", …]}``), ``classes``
(``{类别 = "方案中的写法"}``), ``exclude`` (list of ``{units, keys, reason}``).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
import pandas as pd

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

from zwgk_score.plugin import (
    STATUS_NA,
    CollectContext,
    check_keys,
    config_error,
    config_rubric_file,
    declared_settings,
    evidence_frame,
    load_rubric,
)

#: group id → the words of a 责任分工 line that name the whole class
CLASSES = {"county": "各县(市、区)", "zone": "市属开发区", "dept": "市直各部门"}


@attrs.frozen(kw_only=True)
class DutiesSettings:
    """Settings of ``liaocheng_duties``; see the module docstring.

    ``aliases`` values (a name or a list of names) and the ``exclude`` items
    (``{units, keys, reason}``) are checked by the collector, by position.
    """

    rubric: str | None = None
    roster: str | None = None
    aliases: dict[str, Any] = attrs.field(factory=dict)
    classes: dict[str, str] = attrs.field(factory=dict)
    exclude: list[dict[str, Any]] = attrs.field(factory=list)


def _path(settings: DutiesSettings, ctx: CollectContext, key: str, path: str) -> Path:
    given: str | None = getattr(settings, key)
    if given is not None:
        return ctx.resolve(given)
    if key == "rubric":
        return config_rubric_file(ctx)
    if ctx.config_file is None:
        raise config_error(ctx, f"{path}.{key}", "未给出单位名单", hint='设置 roster = "units.csv"')
    with Path(ctx.config_file).open("rb") as f:
        raw = tomllib.load(f)
    roster = raw.get("assessment", {}).get("roster")
    if not isinstance(roster, str):
        raise config_error(ctx, f"{path}.{key}", "考核配置中没有单位名单 roster")
    return Path(ctx.config_file).parent / roster


def _names(value: Any, ctx: CollectContext, where: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise config_error(ctx, where, "应为文字或文字列表")
    return [v.strip() for v in value]


def assessed(
    responsible: str,
    unit: str,
    group: str,
    aliases: Mapping[str, list[str]],
    classes: Mapping[str, str],
) -> bool:
    """Whether a 责任分工 line assigns the task to ``unit`` (of ``group``)."""
    phrase = classes.get(group)
    if phrase and phrase in responsible:
        return True
    return any(name in responsible for name in (unit, *aliases.get(unit, ())))


class DutiesCollector:
    """Collector ``liaocheng_duties`` (责任分工): units a task's 责任分工 does not name are 不适用."""

    name = "liaocheng_duties"

    def collect(
        self, settings: Mapping[str, Any] | DutiesSettings, ctx: CollectContext
    ) -> pd.DataFrame:
        """One ``na`` row per (leaf data key, unit) the leaf's 责任分工 does not assign."""
        path = f"collectors.{self.name}"
        settings = declared_settings(settings, DutiesSettings, self.name, ctx)
        rubric = load_rubric(_path(settings, ctx, "rubric", path))
        roster = pd.read_csv(_path(settings, ctx, "roster", path), dtype=str, encoding="utf-8")
        groups = dict(zip(roster["unit"].str.strip(), roster["group"].str.strip(), strict=True))
        aliases = {k: _names(v, ctx, f"{path}.aliases.{k}") for k, v in settings.aliases.items()}
        classes = {**CLASSES, **settings.classes}
        excluded: dict[tuple[str, str], str] = {}
        for i, ex in enumerate(settings.exclude):
            where = f"{path}.exclude[{i}]"
            check_keys(ex, ("units", "keys", "reason"), where, ctx)
            reason = ex.get("reason")
            if not isinstance(reason, str) or not reason.strip():
                raise config_error(ctx, f"{where}.reason", "须写明不考核的理由 reason")
            for u in _names(ex.get("units"), ctx, f"{where}.units"):
                for k in _names(ex.get("keys"), ctx, f"{where}.keys"):
                    excluded[(u, k)] = reason.strip()
        leaves = [n for n in rubric.nodes() if n.is_leaf and n.responsible]
        known = {leaf.data for leaf in leaves}
        for _unit, k in excluded:
            if k not in known:
                raise config_error(
                    ctx, f"{path}.exclude", f"「{k}」不是考核细则中写有责任分工的指标的数据键"
                )
        rows = []
        for leaf in leaves:
            text = str(leaf.responsible)
            for unit in ctx.units:
                group = groups.get(unit)
                if group is None or group not in leaf.groups:
                    continue
                why = excluded.get((unit, str(leaf.data)))
                if why is None and assessed(text, unit, group, aliases, classes):
                    continue
                rows.append(
                    {
                        "unit": unit,
                        "key": leaf.data,
                        "status": STATUS_NA,
                        "evidence": why
                        or f"第{leaf.task}项责任分工「{text}」未列本单位，不考核（不适用）",
                        "source": f"考核细则 {leaf.id} 责任分工",
                    }
                )
        return evidence_frame(rows)
