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
    Cases,
    Cell,
    InputKind,
    LeafData,
    Method,
    Role,
    fmt,
    pct,
    pct_texts,
)
from zwgk_score.methods.dated import Deadline, Periodic


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
class Reason:
    id: str
    name: str
    per: float


@attrs.define
class DeductionParams:
    per: float | None = None
    reasons: list[Reason] | None = None
    amount: bool = False
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
    score: float | None = None
    scope: str | None = None


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

    def describe_fields(self, params: NoParams) -> tuple[str, ...]:
        return ("score",)

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
        if d.text_codes is not None:
            uniq, inverse = d.text_codes
        else:
            uniq, inverse = np.unique(d.text.astype(str), return_inverse=True)
        # parsed exactly as check_value parses them (any whitespace, incl. full-width, is trimmed)
        have = _split_parts(uniq)
        share = np.array([sum(p.share for p in params.parts if p.id in h) for h in have])
        out: Array = points * np.minimum(share, 1.0)[inverse.reshape(-1)]
        return out

    def describe_fields(self, params: ChecklistParams) -> tuple[str, ...]:
        return ("text",)

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
        # each distinct text once, in first-seen order: the first bad one is the first bad row's;
        # surrounding spaces (incl. full-width) are trimmed, as checklist trims its parts
        bad = [t for t in dict.fromkeys(texts) if str(t).strip() not in names]
        if bad:
            return f"未知的档次「{bad[0]}」（可选：{'、'.join(lv.name for lv in params.levels)}）"
        return None

    def score(self, params: LevelsParams, points: float, d: LeafData) -> Array:
        # each distinct text once (when the engine gives them), then spread back to the units
        texts, codes = d.text_codes or (d.text, None)
        text = np.char.strip(texts.astype(str))
        share = np.zeros(len(texts))
        for lv in params.levels:
            share = np.where(text == lv.name, lv.share, share)
        out: Array = points * (share if codes is None else share[codes])
        return out

    def describe_fields(self, params: LevelsParams) -> tuple[str, ...]:
        return ("score", "text")

    def describe(self, params: LevelsParams, points: float, cell: Cell) -> str:
        return f"评定为「{cell.text.strip()}」" if cell.score < points else ""


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

    def describe_fields(self, params: RatioParams) -> tuple[str, ...]:
        return ("score", "value")

    def describe(self, params: RatioParams, points: float, cell: Cell) -> str:
        if cell.score >= points:
            return ""
        if params.bands is not None:  # the full band's threshold, not full_at (unused with bands)
            full = min((b.min for b in params.bands if b.share >= 1), default=None)
            if full is not None:
                return f"比率 {pct(cell.value)}，满分要求不低于 {pct(full)}"
            return f"比率 {pct(cell.value)}"
        return f"比率 {pct(cell.value)}，满分要求 {pct(params.full_at)}"

    def describe_cases(self, params: RatioParams, points: float, cases: Cases) -> list[str]:
        """:meth:`describe` of many cases (the same texts, one format per case)."""
        if params.bands is not None:
            full = min((b.min for b in params.bands if b.share >= 1), default=None)
            tail = "" if full is None else f"，满分要求不低于 {pct(full)}"
        else:
            tail = f"，满分要求 {pct(params.full_at)}"
        lost = np.flatnonzero(~(cases.score >= points))  # as describe: a NaN score is described
        out = np.full(len(cases.score), "", dtype=object)
        out[lost] = pct_texts(cases.value[lost], "比率 ", tail)
        out_list: list[str] = out.tolist()
        return out_list


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

    def describe_fields(self, params: NoParams) -> tuple[str, ...]:
        return ("score", "text")

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

    def describe_fields(self, params: CountParams) -> tuple[str, ...]:
        return ("score", "total")

    def describe(self, params: CountParams, points: float, cell: Cell) -> str:
        if cell.score >= points:
            return ""
        if params.target is not None:
            return f"完成 {fmt(cell.total)} 次，要求不少于 {fmt(params.target)} 次"
        return f"完成 {fmt(cell.total)} 次，每次 {fmt(_given(params.per))} 分"


class Deduction(_Events):
    """Points off per occurrence; 扣完为止 unless ``floor = false``.

    Exactly one of: ``per`` (the same amount for every occurrence: P − per × Σv),
    ``reasons`` (each row's ``text`` names a reason id, each reason has its own
    ``per``: P − Σ per[reason] × v, one pot), ``amount = true`` (each row's
    ``value`` is the points off, "视情况扣减": P − Σv).
    """

    name = "deduction"
    title = "按次扣分"
    params_type = DeductionParams
    deducts = True

    def check(self, params: DeductionParams, points: float) -> list[tuple[str, str]]:
        given = [params.per is not None, params.reasons is not None, params.amount]
        if sum(given) != 1:
            return [
                (
                    "per",
                    "per（每处扣分）、reasons（按原因扣分）、amount（按值扣分）须且只须给出一个",
                )
            ]
        if params.per is not None and params.per <= 0:
            return [("per", "per 应大于 0")]
        if params.reasons is not None:
            ids = [r.id.strip() for r in params.reasons]
            if not ids:
                return [("reasons", "reasons 不能为空")]
            if len(set(ids)) != len(ids):
                return [("reasons", "扣分原因 id 重复")]
            if any(r.per <= 0 for r in params.reasons):
                return [("reasons", "每个扣分原因的 per 应大于 0")]
        return []

    def check_value(
        self, params: DeductionParams, points: float, values: Array, texts: Array
    ) -> str | None:
        msg = super().check_value(params, points, values, texts)
        if msg is None and params.reasons is not None:
            known = {r.id.strip() for r in params.reasons}
            bad = [t for t in dict.fromkeys(texts) if str(t).strip() not in known]
            if bad:
                return f"未知的扣分原因「{bad[0]}」（可选：{'、'.join(sorted(known))}）"
        return msg

    def score(self, params: DeductionParams, points: float, d: LeafData) -> Array:
        if params.per is not None:
            s = points - params.per * d.total
        else:
            if d.effect is None:
                raise ValueError("按原因 / 按值扣分需要各行的扣分（LeafData.effect）")
            s = points + d.effect
        return np.maximum(s, 0.0) if params.floor else s

    def row_effect(
        self, params: DeductionParams, points: float, values: Array, texts: Array
    ) -> Array:
        if params.reasons is not None:
            per = {r.id.strip(): r.per for r in params.reasons}
            amounts = np.array([per.get(str(t).strip(), 0.0) for t in texts], dtype=float)
            out: Array = 0.0 - amounts * values
            return out
        if params.amount:
            return 0.0 - values
        return 0.0 - _given(params.per) * values  # 0.0 − x: no −0.0 for rows of value 0

    def describe_rows(self, params: DeductionParams) -> bool:
        return params.reasons is not None

    def describe_fields(self, params: DeductionParams) -> tuple[str, ...]:
        return ("score", "n", "total")

    def describe(self, params: DeductionParams, points: float, cell: Cell) -> str:
        if cell.total <= 0:
            return ""
        floored = "（扣完为止）" if params.floor and cell.score <= 0 else ""
        if params.amount:
            return f"视情况扣减 {fmt(cell.total)} 分（{int(cell.n)} 处）{floored}"
        if params.reasons is not None:
            counts: dict[str, float] = {}
            for value, text in cell.rows:
                counts[text.strip()] = counts.get(text.strip(), 0.0) + value
            parts = [
                f"{r.name} {fmt(counts[r.id.strip()])} 处，每处扣 {fmt(r.per)} 分"
                for r in params.reasons
                if counts.get(r.id.strip(), 0.0) > 0
            ]
            if not parts:  # dense input: no rows, only the total
                return f"发现问题 {fmt(cell.total)} 处{floored}"
            return "；".join(parts) + floored
        return f"发现问题 {fmt(cell.total)} 处，每处扣 {fmt(_given(params.per))} 分" + floored


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

    def describe_fields(self, params: PerParams) -> tuple[str, ...]:
        return ("score", "total")

    def describe(self, params: PerParams, points: float, cell: Cell) -> str:
        return f"重大扣分 {fmt(cell.total)} 处，扣 {fmt(cell.score)} 分" if cell.total > 0 else ""


class Timeliness(_Events):
    """Items answered within ``limit`` working days: on-time ratio, or ``per`` off each late item."""

    name = "timeliness"
    title = "时效"
    params_type = TimelinessParams
    deducts = True  # in a deduction-only category only mode = "deduct" makes sense (checked)

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

    def describe_fields(self, params: TimelinessParams) -> tuple[str, ...]:
        return ("n", "over")

    def describe(self, params: TimelinessParams, points: float, cell: Cell) -> str:
        if cell.over <= 0:
            return ""
        base = f"超过 {fmt(params.limit)} {params.unit} {int(cell.over)} 件（共 {int(cell.n)} 件）"
        if params.mode == "deduct":
            return base + f"，每件扣 {fmt(_given(params.per))} 分"
        return base + f"，按时率 {pct((cell.n - cell.over) / cell.n)}"

    def describe_cases(self, params: TimelinessParams, points: float, cases: Cases) -> list[str]:
        """:meth:`describe` of many cases (the same texts, one format per case)."""
        limit = f"超过 {fmt(params.limit)} {params.unit} "
        per = f"，每件扣 {fmt(_given(params.per))} 分" if params.mode == "deduct" else None
        out = []
        for n, over in zip(cases.n.tolist(), cases.over.tolist(), strict=True):
            if over <= 0:
                out.append("")
                continue
            base = f"{limit}{over} 件（共 {n} 件）"
            out.append(base + per if per is not None else f"{base}，按时率 {pct((n - over) / n)}")
        return out


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

    def describe_fields(self, params: BonusParams) -> tuple[str, ...]:
        return ("score", "total")

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


@attrs.define
class SteppedBonusParams:
    first: float
    first_points: float
    required: float | None = None
    every: float | None = None
    every_points: float | None = None
    cap: float | None = None


class SteppedBonus(Method[SteppedBonusParams]):
    """Stepped bonus (阶梯加分) from a count over a required number, or a ratio.

    The row's value is the count (with ``required``) or the ratio actual ÷
    required (without).  excess = ratio − 1; bonus = 0 below ``first``, else
    ``first_points`` + ⌊(excess − first) ÷ ``every``⌋ × ``every_points``
    (default ``first_points``), capped at ``cap``: "超过规定数量10%加1分，此后每超过20%再加1分"
    is first = 0.10, first_points = 1, every = 0.20.
    """

    name = "stepped_bonus"
    title = "阶梯加分"
    params_type = SteppedBonusParams
    role = Role.BONUS
    requires_rows = False  # no row: nothing over the required number, no bonus

    def check(self, params: SteppedBonusParams, points: float) -> list[tuple[str, str]]:
        errs = []
        if params.first < 0:
            errs.append(("first", "first（首档超出比例）不能为负"))
        if params.first_points <= 0:
            errs.append(("first_points", "first_points 应大于 0"))
        if params.required is not None and params.required <= 0:
            errs.append(("required", "required（规定数量）应大于 0"))
        if params.every is not None and params.every <= 0:
            errs.append(("every", "every（此后每超出的比例）应大于 0"))
        if params.every is None and params.every_points is not None:
            errs.append(("every_points", "给出 every_points 时须给出 every"))
        if params.cap is not None and params.cap <= 0:
            errs.append(("cap", "cap 应大于 0"))
        return errs

    def check_value(
        self, params: SteppedBonusParams, points: float, values: Array, texts: Array
    ) -> str | None:
        bad = values < 0
        if bad.any():
            return f"数量/比率不能为负，实际为 {fmt(values[bad][0])}"
        return None

    def _points(self, params: SteppedBonusParams, values: Array) -> Array:
        ratio = values / params.required if params.required is not None else values
        excess = np.nan_to_num(ratio, nan=0.0) - 1.0
        # 1e-9: 22 ÷ 20 − 1 is 0.10000000000000009, 1.3 − 1 is 0.30000000000000004
        reached = excess >= params.first - 1e-9
        steps = np.zeros(len(values))
        if params.every is not None:
            steps = np.floor(np.maximum(excess - params.first, 0.0) / params.every + 1e-9)
        per_step = params.every_points if params.every_points is not None else params.first_points
        b = np.where(reached, params.first_points + steps * per_step, 0.0)
        out: Array = np.minimum(b, params.cap) if params.cap is not None else b
        return out

    def score(self, params: SteppedBonusParams, points: float, d: LeafData) -> Array:
        return self._points(params, d.value)

    def row_effect(
        self, params: SteppedBonusParams, points: float, values: Array, texts: Array
    ) -> Array:
        return self._points(params, values)

    def describe_fields(self, params: SteppedBonusParams) -> tuple[str, ...]:
        return ("score", "value")

    def describe(self, params: SteppedBonusParams, points: float, cell: Cell) -> str:
        if cell.value != cell.value:
            return ""
        ratio = cell.value / params.required if params.required is not None else cell.value
        over = f"超出规定 {pct(ratio - 1.0)}" if ratio > 1 else "未超出规定"
        base = f"{fmt(cell.value)}（规定 {fmt(params.required)}），" if params.required else ""
        return f"{base}{over}，加分 {fmt(cell.score)} 分"


class Veto(_Events):
    """单项否决: any row with value > 0 triggers the declared policy."""

    name = "veto"
    title = "单项否决"
    params_type = VetoParams
    role = Role.VETO

    def check(self, params: VetoParams, points: float) -> list[tuple[str, str]]:
        errs = []
        if params.policy not in ("fail", "cap", "zero", "fixed"):
            errs.append(
                (
                    "policy",
                    "policy 应为 fail（等次定为最低）、cap（总分封顶）、zero（总分计 0）"
                    "或 fixed（按固定分计，如按59分计）",
                )
            )
        if params.policy == "fixed" and params.score is None:
            errs.append(("score", "policy = fixed 时须给出 score（如 59，即“按59分计”）"))
        if params.policy != "fixed" and params.score is not None:
            errs.append(("score", "只有 policy = fixed 时才能给出 score"))
        if params.score is not None and params.score < 0:
            errs.append(("score", "score（按固定分计）不能为负"))
        if params.policy == "cap" and params.cap is None:
            errs.append(("cap", "policy = cap 时须给出 cap（如 59）"))
        if params.policy != "cap" and params.cap is not None:
            errs.append(("cap", "只有 policy = cap 时才能给出 cap"))
        if params.cap is not None and params.cap < 0:
            errs.append(("cap", "cap（封顶分）不能为负"))
        if params.scope is not None and params.policy != "zero":
            errs.append(
                ("scope", "scope（只否决某一部分）只能与 policy = zero 一起使用：该部分计 0 分")
            )
        return errs

    def score(self, params: VetoParams, points: float, d: LeafData) -> Array:
        return (d.total > 0).astype(float)

    def describe_fields(self, params: VetoParams) -> tuple[str, ...]:
        return ("score",)

    def describe(self, params: VetoParams, points: float, cell: Cell) -> str:
        if cell.score <= 0:
            return ""
        what = {
            "fail": "等次直接定为最低档",
            "zero": "总分计 0 分",
            "cap": f"总分最高计 {fmt(params.cap or 0)} 分",
            "fixed": f"总分按 {fmt(params.score or 0)} 分计",
        }
        if params.scope is not None:
            return f"触发单项否决，「{params.scope}」部分计 0 分"
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
    SteppedBonus,
    Veto,
    Periodic,
    Deadline,
)
