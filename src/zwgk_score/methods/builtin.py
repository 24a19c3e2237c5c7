"""The built-in scoring methods (内置评分方法), one class each.

Every formula below is documented in docs/rubric.md; all work on arrays over
units (no per-unit loop).
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np

from zwgk_score.methods.base import (
    Array,
    Cell,
    InputKind,
    LeafData,
    Method,
    Role,
    fmt,
    pct,
)


@attrs.define
class NoParams:
    """No parameters."""


@attrs.define
class Part:
    id: str
    name: str
    share: float


@attrs.define
class ChecklistParams:
    parts: list[Part]


@attrs.define
class Level:
    name: str
    share: float


@attrs.define
class LevelsParams:
    levels: list[Level]


@attrs.define
class Band:
    min: float
    share: float


@attrs.define
class RatioParams:
    floor: float = 0.0
    full_at: float = 1.0
    bands: list[Band] | None = None


@attrs.define
class CountParams:
    target: float | None = None
    per: float | None = None
    partial: str = "linear"


@attrs.define
class DeductionParams:
    per: float
    floor: bool = True


@attrs.define
class PerParams:
    per: float


@attrs.define
class TimelinessParams:
    limit: float
    mode: str = "ratio"
    per: float | None = None
    floor: bool = True
    unit: str = "个工作日"


@attrs.define
class BonusParams:
    per: float | None = None
    cap: float | None = None


@attrs.define
class VetoParams:
    policy: str = "fail"
    cap: float | None = None


def _is_true(values: Array) -> Array:
    out: Array = np.nan_to_num(values, nan=0.0) >= 1.0
    return out


class Binary(Method[NoParams]):
    """有/无: full points when the value is 1 (true), else 0."""

    name = "binary"
    title = "是否达标（二值）"
    params_type = NoParams

    def check_value(
        self, params: NoParams, points: float, values: Array, texts: Array
    ) -> str | None:
        bad = ~np.isin(values, (0.0, 1.0))
        if bad.any():
            return f"取值应为 1（是）或 0（否），实际为 {fmt(values[bad][0])}"
        return None

    def score(self, params: NoParams, points: float, d: LeafData) -> Array:
        return np.where(_is_true(d.value), points, 0.0)

    def describe(self, params: NoParams, points: float, cell: Cell) -> str:
        return "" if cell.score >= points else "未达到要求"


def _given(x: float | None) -> float:
    """A parameter that :meth:`Method.check` has ensured is given."""
    assert x is not None
    return x


def _split_parts(texts: np.ndarray) -> list[set[str]]:
    return [{p.strip() for p in str(t).replace("；", ";").split(";") if p.strip()} for t in texts]


class Checklist(Method[ChecklistParams]):
    """Partial credit: points × Σ share of the parts listed in ``text``."""

    name = "checklist"
    kind = InputKind.ITEMS
    title = "分项计分（清单）"
    params_type = ChecklistParams

    def check(self, params: ChecklistParams, points: float) -> list[tuple[str, str]]:
        errs = []
        ids = [p.id for p in params.parts]
        if len(set(ids)) != len(ids):
            errs.append(("parts", "分项 id 重复"))
        if any(not 0 < p.share <= 1 for p in params.parts):
            errs.append(("parts", "每个分项的 share 应在 (0, 1] 之间"))
        if abs(sum(p.share for p in params.parts) - 1.0) > 1e-6:
            errs.append(
                (
                    "parts",
                    f"各分项 share 之和应为 1，实际为 {fmt(sum(p.share for p in params.parts))}",
                )
            )
        return errs

    def check_value(
        self, params: ChecklistParams, points: float, values: Array, texts: Array
    ) -> str | None:
        known = {p.id for p in params.parts}
        # each distinct text once, in first-seen order (units repeat a handful of texts)
        for parts in _split_parts(np.array(list(dict.fromkeys(texts)), dtype=object)):
            unknown = parts - known
            if unknown:
                return (
                    f"未知的分项 {'、'.join(sorted(unknown))}（可选：{'、'.join(sorted(known))}）"
                )
        return None

    def score(self, params: ChecklistParams, points: float, d: LeafData) -> Array:
        # the distinct texts only (units repeat a handful), then spread back to the units
        uniq, inverse = np.unique(d.text.astype(str), return_inverse=True)
        # parsed exactly as check_value parses them (any whitespace, incl. full-width, is trimmed)
        have = _split_parts(uniq)
        share = np.array([sum(p.share for p in params.parts if p.id in h) for h in have])
        out: Array = points * np.minimum(share, 1.0)[inverse.reshape(-1)]
        return out

    def describe(self, params: ChecklistParams, points: float, cell: Cell) -> str:
        have = _split_parts(np.array([cell.text]))[0]
        missing = [p.name for p in params.parts if p.id not in have]
        return "未完成：" + "、".join(missing) if missing else ""


class Levels(Method[LevelsParams]):
    """Graded levels: the level named in ``text`` gives a share of the points."""

    name = "levels"
    kind = InputKind.CHOICE
    title = "分档评定"
    params_type = LevelsParams

    def check(self, params: LevelsParams, points: float) -> list[tuple[str, str]]:
        names = [lv.name for lv in params.levels]
        errs = []
        if len(set(names)) != len(names):
            errs.append(("levels", "档次名称重复"))
        if any(not 0 <= lv.share <= 1 for lv in params.levels):
            errs.append(("levels", "每个档次的 share 应在 [0, 1] 之间"))
        return errs

    def check_value(
        self, params: LevelsParams, points: float, values: Array, texts: Array
    ) -> str | None:
        names = {lv.name for lv in params.levels}
        # each distinct text once, in first-seen order: the first bad one is the first bad row's
        bad = [t for t in dict.fromkeys(texts) if t not in names]
        if bad:
            return f"未知的档次「{bad[0]}」（可选：{'、'.join(lv.name for lv in params.levels)}）"
        return None

    def score(self, params: LevelsParams, points: float, d: LeafData) -> Array:
        share = np.zeros(len(d.text))
        for lv in params.levels:
            share = np.where(d.text == lv.name, lv.share, share)
        return points * share

    def describe(self, params: LevelsParams, points: float, cell: Cell) -> str:
        return f"评定为「{cell.text}」" if cell.score < points else ""


class Ratio(Method[RatioParams]):
    """Ratio in [0, 1]: linear from ``floor`` to ``full_at``, or by ``bands``."""

    name = "ratio"
    title = "比率"
    params_type = RatioParams

    def check(self, params: RatioParams, points: float) -> list[tuple[str, str]]:
        errs = []
        if not 0 <= params.floor < params.full_at <= 1:
            errs.append(("floor", "应满足 0 ≤ floor < full_at ≤ 1"))
        if params.bands is not None:
            mins = [b.min for b in params.bands]
            if mins != sorted(mins, reverse=True):
                errs.append(("bands", "bands 应按 min 从高到低排列"))
            if any(not 0 <= b.share <= 1 for b in params.bands):
                errs.append(("bands", "每档 share 应在 [0, 1] 之间"))
        return errs

    def check_value(
        self, params: RatioParams, points: float, values: Array, texts: Array
    ) -> str | None:
        bad = (values < 0) | (values > 1)
        if bad.any():
            return f"比率应在 0 到 1 之间，实际为 {fmt(values[bad][0])}"
        return None

    def score(self, params: RatioParams, points: float, d: LeafData) -> Array:
        v = d.value
        if params.bands is not None:
            share = np.zeros(len(v))
            for band in reversed(params.bands):
                share = np.where(v >= band.min - 1e-12, band.share, share)
            return points * share
        share = (v - params.floor) / (params.full_at - params.floor)
        share = np.where(v < params.floor, 0.0, np.clip(share, 0.0, 1.0))
        return points * share

    def describe(self, params: RatioParams, points: float, cell: Cell) -> str:
        return (
            f"比率 {pct(cell.value)}，满分要求 {pct(params.full_at)}" if cell.score < points else ""
        )


class Manual(Method[NoParams]):
    """Reviewer-entered score (评审打分), 0 ≤ value ≤ points."""

    name = "manual"
    title = "评审打分"
    params_type = NoParams

    def check_value(
        self, params: NoParams, points: float, values: Array, texts: Array
    ) -> str | None:
        bad = (values < 0) | (values > points + 1e-9)
        if bad.any():
            return f"评审分应在 0 到 {fmt(points)} 之间，实际为 {fmt(values[bad][0])}"
        return None

    def score(self, params: NoParams, points: float, d: LeafData) -> Array:
        out: Array = d.value.copy()
        return out

    def describe(self, params: NoParams, points: float, cell: Cell) -> str:
        return (
            f"评审打分 {fmt(cell.score)}/{fmt(points)}" + (f"：{cell.text}" if cell.text else "")
            if cell.score < points
            else ""
        )


class _Events(Method[Any]):
    kind = InputKind.EVENTS
    requires_rows = False

    def check_value(self, params: Any, points: float, values: Array, texts: Array) -> str | None:
        bad = values < 0
        if bad.any():
            return f"次数/数值不能为负，实际为 {fmt(values[bad][0])}"
        return None


class Count(_Events):
    """At least ``target`` (linear partial credit or none), or ``per`` points each up to the item."""

    name = "count"
    title = "次数达标"
    params_type = CountParams
    requires_rows = True

    def check(self, params: CountParams, points: float) -> list[tuple[str, str]]:
        errs = []
        if (params.target is None) == (params.per is None):
            errs.append(("target", "target（目标次数）与 per（每次得分）须且只须给出一个"))
        if params.target is not None and params.target <= 0:
            errs.append(("target", "target 应大于 0"))
        if params.per is not None and params.per <= 0:
            errs.append(("per", "per 应大于 0"))
        if params.partial not in ("linear", "none"):
            errs.append(("partial", "partial 应为 linear 或 none"))
        return errs

    def score(self, params: CountParams, points: float, d: LeafData) -> Array:
        if params.per is not None:
            return np.minimum(d.total * params.per, points)
        target = _given(params.target)
        if params.partial == "none":
            return np.where(d.total >= target, points, 0.0)
        out: Array = points * np.minimum(d.total / target, 1.0)
        return out

    def row_effect(self, params: CountParams, points: float, values: Array, texts: Array) -> Array:
        out: Array = values * (
            params.per if params.per is not None else points / _given(params.target)
        )
        return out

    def describe(self, params: CountParams, points: float, cell: Cell) -> str:
        if cell.score >= points:
            return ""
        if params.target is not None:
            return f"完成 {fmt(cell.total)} 次，要求不少于 {fmt(params.target)} 次"
        return f"完成 {fmt(cell.total)} 次，每次 {fmt(_given(params.per))} 分"


class Deduction(_Events):
    """``per`` points off for each occurrence; 扣完为止 unless ``floor = false``."""

    name = "deduction"
    title = "按次扣分"
    params_type = DeductionParams

    def check(self, params: DeductionParams, points: float) -> list[tuple[str, str]]:
        return [("per", "per 应大于 0")] if params.per <= 0 else []

    def score(self, params: DeductionParams, points: float, d: LeafData) -> Array:
        s = points - params.per * d.total
        return np.maximum(s, 0.0) if params.floor else s

    def row_effect(
        self, params: DeductionParams, points: float, values: Array, texts: Array
    ) -> Array:
        return 0.0 - params.per * values  # 0.0 − x: no −0.0 for rows of value 0

    def describe(self, params: DeductionParams, points: float, cell: Cell) -> str:
        if cell.total <= 0:
            return ""
        return f"发现问题 {fmt(cell.total)} 处，每处扣 {fmt(params.per)} 分" + (
            "（扣完为止）" if params.floor and cell.score <= 0 else ""
        )


class MajorDeduction(_Events):
    """重大扣分项: ``per`` points off the total per occurrence, no cap."""

    name = "major_deduction"
    title = "重大扣分项"
    params_type = PerParams
    role = Role.MAJOR

    def check(self, params: PerParams, points: float) -> list[tuple[str, str]]:
        return [("per", "per 应大于 0")] if params.per <= 0 else []

    def score(self, params: PerParams, points: float, d: LeafData) -> Array:
        return params.per * d.total

    def row_effect(self, params: PerParams, points: float, values: Array, texts: Array) -> Array:
        return 0.0 - params.per * values  # 0.0 − x: no −0.0 for rows of value 0

    def describe(self, params: PerParams, points: float, cell: Cell) -> str:
        return f"重大扣分 {fmt(cell.total)} 处，扣 {fmt(cell.score)} 分" if cell.total > 0 else ""


class Timeliness(_Events):
    """Items answered within ``limit`` working days: on-time ratio, or ``per`` off each late item."""

    name = "timeliness"
    title = "时效"
    params_type = TimelinessParams

    def check(self, params: TimelinessParams, points: float) -> list[tuple[str, str]]:
        errs = []
        if params.limit < 0:
            errs.append(("limit", "limit（工作日时限）不能为负"))
        if params.mode not in ("ratio", "deduct"):
            errs.append(("mode", "mode 应为 ratio（按时率）或 deduct（逾期扣分）"))
        if params.mode == "deduct" and (params.per is None or params.per <= 0):
            errs.append(("per", "mode = deduct 时须给出大于 0 的 per（每件逾期扣分）"))
        return errs

    def threshold(self, params: TimelinessParams) -> float | None:
        return params.limit

    def score(self, params: TimelinessParams, points: float, d: LeafData) -> Array:
        if params.mode == "deduct":
            s = points - params.per * d.over
            return np.maximum(s, 0.0) if params.floor else s
        with np.errstate(invalid="ignore", divide="ignore"):
            on_time = np.where(d.n > 0, (d.n - d.over) / np.maximum(d.n, 1), 1.0)
        return points * on_time

    def row_effect(
        self, params: TimelinessParams, points: float, values: Array, texts: Array
    ) -> Array:
        late = (values > params.limit).astype(float)
        return 0.0 - late * (params.per if params.mode == "deduct" else 0.0)

    def describe(self, params: TimelinessParams, points: float, cell: Cell) -> str:
        if cell.over <= 0:
            return ""
        base = f"超过 {fmt(params.limit)} {params.unit} {int(cell.over)} 件（共 {int(cell.n)} 件）"
        if params.mode == "deduct":
            return base + f"，每件扣 {fmt(_given(params.per))} 分"
        return base + f"，按时率 {pct((cell.n - cell.over) / cell.n)}"


class Bonus(_Events):
    """加分: ``per`` each (or the row's value in points), capped at ``cap``; evidence required."""

    name = "bonus"
    title = "加分项"
    params_type = BonusParams
    role = Role.BONUS

    def check(self, params: BonusParams, points: float) -> list[tuple[str, str]]:
        errs = []
        if params.per is not None and params.per <= 0:
            errs.append(("per", "per 应大于 0"))
        if params.cap is not None and params.cap <= 0:
            errs.append(("cap", "cap 应大于 0"))
        return errs

    def score(self, params: BonusParams, points: float, d: LeafData) -> Array:
        b = d.total * (params.per if params.per is not None else 1.0)
        return np.minimum(b, params.cap) if params.cap is not None else b

    def row_effect(self, params: BonusParams, points: float, values: Array, texts: Array) -> Array:
        return values * (params.per if params.per is not None else 1.0)

    def describe(self, params: BonusParams, points: float, cell: Cell) -> str:
        if cell.total <= 0:
            return ""
        raw = cell.total * (params.per if params.per is not None else 1.0)
        capped = (
            f"（超过上限 {fmt(params.cap)} 分，按上限计）"
            if params.cap is not None and raw > params.cap
            else ""
        )
        return f"加分 {fmt(cell.score)} 分{capped}"


class Veto(_Events):
    """单项否决: any row with value > 0 triggers the declared policy."""

    name = "veto"
    title = "单项否决"
    params_type = VetoParams
    role = Role.VETO

    def check(self, params: VetoParams, points: float) -> list[tuple[str, str]]:
        errs = []
        if params.policy not in ("fail", "cap", "zero"):
            errs.append(
                ("policy", "policy 应为 fail（等次定为最低）、cap（总分封顶）或 zero（总分计 0）")
            )
        if params.policy == "cap" and params.cap is None:
            errs.append(("cap", "policy = cap 时须给出 cap（如 59）"))
        if params.policy != "cap" and params.cap is not None:
            errs.append(("cap", "只有 policy = cap 时才能给出 cap"))
        if params.cap is not None and params.cap < 0:
            errs.append(("cap", "cap（封顶分）不能为负"))
        return errs

    def score(self, params: VetoParams, points: float, d: LeafData) -> Array:
        return (d.total > 0).astype(float)

    def describe(self, params: VetoParams, points: float, cell: Cell) -> str:
        if cell.score <= 0:
            return ""
        what = {
            "fail": "等次直接定为最低档",
            "zero": "总分计 0 分",
            "cap": f"总分最高计 {fmt(params.cap or 0)} 分",
        }
        return f"触发单项否决，{what[params.policy]}"


BUILTIN_METHODS: tuple[type[Method[Any]], ...] = (
    Binary,
    Checklist,
    Levels,
    Ratio,
    Manual,
    Count,
    Deduction,
    MajorDeduction,
    Timeliness,
    Bonus,
    Veto,
)
