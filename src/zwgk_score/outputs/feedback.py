"""Per-unit feedback sheets (反馈单): what each unit lost, why, and room for its rectification.

Each unit gets ``反馈单_<单位>.xlsx`` and ``.docx`` with the same content
(:class:`FeedbackSheet`): the unit, its total, grade and rank; a paragraph that
says in words how the total is made (适用分值 → 折算 → 加分/重大扣分 → 单项否决
→ 总分), so the figures add up; one row per lost point (测评指标, 分值, 扣分,
失分原因, 整改时限, 整改情况); the reporting note, the office's contact, and
lines for the unit's contact, phone, signature and seal (盖章).

All sheets are built in one pass over ``Results.items()``
(:func:`feedback_sheets`); the writers (``feedback_xlsx``, ``feedback_docx``)
only lay them out.  File names are made safe whatever the unit is called.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, cast, overload

import attrs
import pandas as pd

from zwgk_score.methods.base import ROLE_MAJOR, ROLE_SCORE, ROLE_VETO, fmt
from zwgk_score.outputs.attachments import shown_places
from zwgk_score.outputs.filenames import unique_filenames
from zwgk_score.outputs.notice import cn_date, period_label
from zwgk_score.outputs.reasons import readable_reason
from zwgk_score.outputs.tables import adjusted_after, lost_items, weighted_total
from zwgk_score.results import Results

#: columns of the feedback table
COLUMNS = ("序号", "测评指标", "分值", "扣分", "失分原因", "整改时限", "整改情况")
#: row flags: data missing (orange) and veto (red)
FLAG_MISSING = "missing"
FLAG_VETO = "veto"


@attrs.frozen
class FeedbackRow:
    """One lost point: number, indicator, its points (None for bonus/veto/major items) and the loss."""

    number: int
    indicator: str
    points: float | None
    lost: float | str
    reason: str
    deadline: str
    flag: str | None = None


@attrs.frozen
class FeedbackSheet:
    """Everything one unit's feedback sheet shows, in reading order."""

    unit: str
    title: str
    facts: tuple[tuple[str, str], ...]
    explanation: str
    rows: tuple[FeedbackRow, ...]
    note: str
    contact: str
    precision: int


@attrs.frozen
class FeedbackSettings:
    """Options of the feedback sheets (from ``[notice]``; see docs/outputs.md)."""

    deadline: dt.date | None = None
    issuer: str | None = None
    contact: str | None = None
    phone: str | None = None


def _num(x: float, prec: int) -> str:
    return "—" if x != x else f"{x:.{prec}f}"


def _records(results: Results) -> list[dict[str, Any]]:
    return cast(list[dict[str, Any]], results.summary.to_dict("records"))


def _summary_rows(results: Results) -> dict[str, dict[str, Any]]:
    return {str(r["unit"]): r for r in _records(results)}


def feedback_header(
    results: Results, unit: str, *, lost_sum: float | None = None
) -> list[tuple[str, str]]:
    """(label, value) pairs of a unit's figures: 单位, 类别, 总分, 等次, 组内排名, 基础得分, 失分合计 …

    For a combined result 总分构成 shows the weighted parts and the labels of the
    current part's figures carry its name (年终考核基础得分).
    """
    s = {**_summary_rows(results)[unit], "place": shown_places(results).get(unit)}
    return _header_pairs(results, s, _group_sizes(results), lost_sum)


def _group_sizes(results: Results) -> dict[str, int]:
    return {str(k): int(v) for k, v in results.summary["group"].value_counts().items()}


def _place(s: Mapping[str, Any]) -> int:
    """The unit's place as the notice's ranking prints it (``place``, counted without the
    vetoed units, see :func:`~zwgk_score.outputs.attachments.shown_places`), else its rank."""
    place = s.get("place", s["rank"])
    return int(s["rank"] if place is None else place)


def _rank_text(s: Mapping[str, Any], sizes: Mapping[str, int]) -> str:
    """组内排名 as the notice's ranking shows it: a vetoed unit takes no place (名次“—”)."""
    if s["veto"]:
        return "—（单项否决）"
    return f"{_place(s)}/{sizes[str(s['group'])]}"


def _lost_points(s: Mapping[str, Any]) -> float:
    return float(s["applicable"]) - float(s["obtained"])


def _header_pairs(
    results: Results, s: Mapping[str, Any], sizes: Mapping[str, int], lost_sum: float | None
) -> list[tuple[str, str]]:
    prec = results.rubric.meta.precision
    lost = _lost_points(s) if lost_sum is None else lost_sum
    pairs = [
        ("单位", str(s["unit"])),
        ("类别", str(s["group_name"])),
        ("总分", _num(float(s["total"]), prec)),
        ("等次", str(s["grade"])),
        ("组内排名", _rank_text(s, sizes)),
        ("基础得分", _num(float(s["base"]), prec)),
        ("失分合计", fmt(round(lost, prec))),
        ("加分", fmt(float(s["bonus"]))),
        ("重大扣分", fmt(float(s["major"]))),
    ]
    if results.parts:
        current = _current_part(results)
        pairs.insert(3, ("总分构成", weighted_total(results, s, prec)))
        own = ("基础得分", "失分合计", "加分", "重大扣分")
        pairs = [(f"{current}{k}" if k in own else k, v) for k, v in pairs]
    if s["veto"]:
        pairs.append(("单项否决", str(s["veto_policy"])))
    if int(s["missing"]):
        pairs.append(("缺失指标", f"{int(s['missing'])}项"))
    return pairs


def _current_part(results: Results) -> str:
    return next((name for pid, name, _ in results.parts if pid == results.current_part), "本阶段")


def explanation(
    results: Results, s: Mapping[str, Any], sizes: Mapping[str, int], vetoes: Sequence[str]
) -> str:
    """How the unit's total is made, in words, with figures that add up.

    e.g. "本单位适用指标满分 75 分，失分 6 分，实得 69 分；按适用分值折算为百分制：
    69 ÷ 75 × 100 = 92.00 分；加分 2 分，基础得分加减后为 94.00 分。总分 94.00 分，
    等次为优秀，在市直部门 12 个单位中排第 1 名。"
    """
    rubric = results.rubric
    prec = rubric.meta.precision
    group = rubric.group(str(s["group"]))
    applicable, obtained = float(s["applicable"]), float(s["obtained"])
    base, bonus, major = float(s["base"]), float(s["bonus"]), float(s["major"])
    total = float(s["total"])
    lead = f"{_current_part(results)}：" if results.parts else ""
    if applicable != applicable or applicable <= 0:
        text = f"{lead}本单位没有适用的计分指标"
    else:
        text = (
            f"{lead}本单位适用指标满分{fmt(applicable)}分，失分{fmt(round(applicable - obtained, prec))}分，"
            f"实得{fmt(round(obtained, prec))}分"
        )
        if group.rescale and abs(applicable - group.max_score) > 1e-9:
            text += (
                f"；因部分指标不适用，按适用分值折算为{fmt(group.max_score)}分制："
                f"{fmt(round(obtained, prec))} ÷ {fmt(applicable)} × {fmt(group.max_score)} = "
                f"{_num(base, prec)}分"
            )
    adds = []
    if bonus:
        adds.append(f"加分{fmt(bonus)}分")
    if major:
        adds.append(f"重大扣分{fmt(major)}分")
    if adds and not adjusted_after(results):
        raw = round(max(base + bonus - major, 0.0), prec)
        expr = f"{_num(base, prec)}" + (f" + {fmt(bonus)}" if bonus else "")
        expr += f" − {fmt(major)}" if major else ""
        text += f"；{'，'.join(adds)}：{expr} = {_num(raw, prec)}分"
    if s["veto"]:
        which = f"（{'、'.join(vetoes)}）" if vetoes else ""
        policy = str(s["veto_policy"])
        if "封顶" in policy:
            text += (
                f"；因触发单项否决{which}，总分最高计{_num(total, prec)}分，等次定为{s['grade']}"
            )
        elif "计0" in policy:
            text += f"；因触发单项否决{which}，总分计0分"
        else:
            text += f"；因触发单项否决{which}，等次直接定为最低等次"
    if results.parts:
        weighed = weighted_total(results, s, prec)
        if adjusted_after(results) and s["veto"]:  # the cap applies to the weighted total
            text += f"。总分按各阶段加权合成：{weighed}，因单项否决计{_num(total, prec)}分"
        else:
            text += f"。总分按各阶段加权合成：{weighed} = {_num(total, prec)}分"
    if s["veto"]:  # as in the notice's ranking: listed last, without a place
        text += (
            f"。总分{_num(total, prec)}分，等次为{s['grade']}，"
            f"因单项否决不参与{s['group_name']}排名（列于最后）。"
        )
    else:
        text += (
            f"。总分{_num(total, prec)}分，等次为{s['grade']}，"
            f"在{s['group_name']}{sizes[str(s['group'])]}个单位中排第{_place(s)}名。"
        )
    if int(s["missing"]):
        text += f"其中{int(s['missing'])}项指标数据缺失，按0分计，请补报。"
    if results.parts:
        text += f"下表所列为{_current_part(results)}的失分。"
    return text


def _note(results: Results, settings: FeedbackSettings) -> str:
    when = f"{cn_date(settings.deadline)}前" if settings.deadline else "规定时间内"
    issuer = settings.issuer or results.rubric.meta.issuer
    return (
        f"请逐项填写“整改情况”（已整改的写明整改措施和完成时间，暂不能整改的说明原因和计划完成时限），"
        f"由单位主要负责同志签字并加盖公章，于{when}报送{issuer}。逾期未反馈的视为未整改。"
    )


def _contact(settings: FeedbackSettings) -> str:
    parts = []
    if settings.contact:
        parts.append(f"联系人：{settings.contact}")
    if settings.phone:
        parts.append(f"联系电话：{settings.phone}")
    return "　　".join(parts)


def feedback_sheets(
    results: Results, settings: FeedbackSettings | None = None
) -> dict[str, FeedbackSheet]:
    """unit → its :class:`FeedbackSheet`, in roster order, built in one pass over the items."""
    sheets = SheetMaker(results, settings).build(0, len(results.roster))
    return {s.unit: s for s in sheets}


class SheetMaker:
    """Builds the feedback sheets of a range of units, reading only those units' item rows.

    The items table holds each unit's rows together, in roster order (row
    ``unit position × indicators + indicator``), so the sheets of units
    ``lo … hi`` need only rows ``lo × L … hi × L``: a national run builds its
    40,000 sheets a few dozen at a time, where they are written, and never
    holds them all.
    """

    def __init__(self, results: Results, settings: FeedbackSettings | None = None) -> None:
        settings = settings or FeedbackSettings()
        rubric = results.rubric
        self.results = results
        self.prec = rubric.meta.precision
        period = period_label(results.period, rubric.meta.year)
        self.title = f"{period}政务公开工作考核反馈单"
        self.criteria = {leaf.id: leaf.criteria for leaf in results.leaves}
        self.deadline = cn_date(settings.deadline)  # the column is 整改时限: the date says "by"
        self.sizes = _group_sizes(results)
        self.places = shown_places(results)  # as the notice's ranking prints them
        self.note, self.contact = _note(results, settings), _contact(settings)
        self.units = results.units
        # the summary row of each unit, by roster position
        self.summary_at = pd.Index(results.summary["unit"].astype(str)).get_indexer(self.units)

    def build(self, lo: int, hi: int) -> list[FeedbackSheet]:
        """The sheets of the units at roster positions ``lo`` (included) to ``hi`` (excluded)."""
        results = self.results
        L = len(results.leaves)
        items = lost_items(results, results.items().iloc[lo * L : hi * L])
        rows_of: dict[str, list[FeedbackRow]] = {}
        vetoes_of: dict[str, list[str]] = {}
        lost_sum: dict[str, float] = {}
        r: Any
        for r in items.itertuples(index=False):
            unit = str(r.unit)
            rows = rows_of.setdefault(unit, [])
            status = str(r.status)
            flag = FLAG_MISSING if status.startswith("缺失") else None
            name = str(r.name)
            if r.role == ROLE_VETO:
                lost: float | str = "单项否决"
                flag = flag or FLAG_VETO
                vetoes_of.setdefault(unit, []).append(name)
            elif r.role == ROLE_MAJOR:
                lost = float(r.score)
                name = f"{name}（重大扣分项）"
            else:
                lost = float(r.lost)
                if r.role == ROLE_SCORE:
                    lost_sum[unit] = lost_sum.get(unit, 0.0) + lost
            reason = readable_reason(
                str(r.reason), criteria=self.criteria.get(str(r.indicator)), lost=True
            )
            if flag == FLAG_MISSING and status not in reason:
                reason = f"{reason}（{status}）" if reason else status
            rows.append(
                FeedbackRow(
                    number=len(rows) + 1,
                    indicator=name,
                    points=float(r.points) if r.role == ROLE_SCORE else None,
                    lost=lost,
                    reason=reason,
                    deadline="立即整改" if flag == FLAG_VETO else self.deadline,
                    flag=flag,
                )
            )
        records = cast(
            list[dict[str, Any]],
            results.summary.iloc[self.summary_at[lo:hi]].to_dict("records"),
        )
        out = []
        keep = ("单位", "总分", "等次", "组内排名")  # the group is named in the explanation
        for unit, s in zip(self.units[lo:hi], records, strict=True):
            s["place"] = self.places.get(unit)
            pairs = _header_pairs(results, s, self.sizes, lost_sum.get(unit, 0.0))
            out.append(
                FeedbackSheet(
                    unit=unit,
                    title=self.title,
                    facts=tuple((k, v) for k, v in pairs if k in keep),
                    explanation=explanation(results, s, self.sizes, vetoes_of.get(unit, [])),
                    rows=tuple(rows_of.get(unit, [])),
                    note=self.note,
                    contact=self.contact,
                    precision=self.prec,
                )
            )
        return out


#: units whose sheets :class:`FeedbackJobs` builds at a time when iterated
BLOCK_UNITS = 64


class FeedbackJobs(Sequence[tuple[FeedbackSheet, str, Path]]):
    """The (sheet, format, path) jobs of every unit, one unit's formats side by side.

    A sequence whose sheets are built only when a job is taken: a slice (what a
    worker of :mod:`~zwgk_score.outputs.feedback_pool` takes) builds the sheets
    of the units it spans, iteration builds :data:`BLOCK_UNITS` units at a time.
    The jobs are the same as a list over :func:`feedback_sheets` would hold.
    """

    def __init__(
        self, maker: SheetMaker, kinds: Sequence[str], paths: Mapping[str, Mapping[str, Path]]
    ) -> None:
        self.maker = maker
        self.kinds = tuple(kinds)
        self.paths_of = paths

    def __len__(self) -> int:
        return len(self.maker.units) * len(self.kinds)

    def _jobs(self, lo: int, hi: int) -> list[tuple[FeedbackSheet, str, Path]]:
        """Jobs ``lo`` … ``hi - 1`` (0 ≤ lo ≤ hi ≤ len)."""
        if lo >= hi:
            return []
        k = len(self.kinds)
        first = lo // k
        sheets = self.maker.build(first, -(-hi // k))
        out = []
        for i in range(lo, hi):
            sheet, kind = sheets[i // k - first], self.kinds[i % k]
            out.append((sheet, kind, self.paths_of[kind][sheet.unit]))
        return out

    @overload
    def __getitem__(self, index: int) -> tuple[FeedbackSheet, str, Path]: ...

    @overload
    def __getitem__(self, index: slice) -> list[tuple[FeedbackSheet, str, Path]]: ...

    def __getitem__(
        self, index: int | slice
    ) -> tuple[FeedbackSheet, str, Path] | list[tuple[FeedbackSheet, str, Path]]:
        n = len(self)
        if isinstance(index, slice):
            lo, hi, step = index.indices(n)
            if step != 1:
                return [self[i] for i in range(lo, hi, step)]
            return self._jobs(lo, max(lo, hi))
        i = index + n if index < 0 else index
        if not 0 <= i < n:
            raise IndexError(index)
        return self._jobs(i, i + 1)[0]

    def __iter__(self) -> Iterator[tuple[FeedbackSheet, str, Path]]:
        step = BLOCK_UNITS * len(self.kinds)
        for lo in range(0, len(self), step):
            yield from self._jobs(lo, min(lo + step, len(self)))

    def paths(self) -> list[Path]:
        """The jobs' paths, in job order (no sheet is built)."""
        return [self.paths_of[k][u] for u in self.maker.units for k in self.kinds]


def feedback_settings(options: Mapping[str, Any]) -> FeedbackSettings:
    """:class:`FeedbackSettings` from the exporter options (``[notice]`` keys)."""
    from zwgk_score.errors import ConfigError
    from zwgk_score.outputs.notice_options import notice_options

    opts = notice_options(options)
    kw: dict[str, str | None] = {}
    for key in ("contact", "phone"):
        value = options.get(key)
        if value is not None and not isinstance(value, str):
            raise ConfigError(f"{key} 应为文字", path=f"notice.{key}", hint='例如 contact = "张三"')
        kw[key] = value
    return FeedbackSettings(
        deadline=opts.rectify_deadline, issuer=opts.issuer, contact=kw["contact"], phone=kw["phone"]
    )


def points_text(x: float | None) -> str:
    """A points cell: 5, 0.5, or empty for items without points of their own."""
    return "" if x is None else fmt(x)


def lost_text(x: float | str) -> str:
    return x if isinstance(x, str) else fmt(x)


def feedback_paths(results: Results, out_dir: Path, suffix: str) -> dict[str, Path]:
    """unit → ``out_dir/反馈单_<safe name><suffix>``, distinct for every unit."""
    names = unique_filenames([f"反馈单_{u}" for u in results.units], suffix=suffix)
    return {u: out_dir / n for u, n in zip(results.units, names, strict=True)}


def feedback_rows(results: Results, unit: str) -> pd.DataFrame:
    """The unit's feedback table as a frame (columns :data:`COLUMNS`)."""
    sheet = feedback_sheets(results)[unit]
    frame: pd.DataFrame = pd.DataFrame(
        [(r.number, r.indicator, r.points, r.lost, r.reason, r.deadline, "") for r in sheet.rows],
        columns=list(COLUMNS),
    )
    return frame
