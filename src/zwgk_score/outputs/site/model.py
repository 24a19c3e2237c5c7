"""What each page of the results site shows (页面数据), as plain dicts for the templates.

Public pages are built from a whitelist: a field reaches a public page only
when this module copies it there.  Evidence (佐证), its sources, self-scores
(自评分) and indicators marked internal are copied only when the site is not
public, so a field added to the results later stays off the portal until it
is added here on purpose.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

import numpy as np

from zwgk_score.engine.aggregate import round_half_up
from zwgk_score.methods.base import ROLE_BONUS, ROLE_MAJOR, ROLE_VETO, fmt
from zwgk_score.outputs.attachments import display_order, shown_places
from zwgk_score.outputs.filenames import unique_filenames
from zwgk_score.outputs.site.charts import (
    Bar,
    BoxStats,
    GradeCount,
    TrendValue,
    box_plot,
    domain_bars,
    fmt_num,
    grade_distribution,
    grade_tone,
    trend_chart,
)
from zwgk_score.outputs.site.options import SiteOptions
from zwgk_score.outputs.site.trend import TrendSource, records_of, rows_of
from zwgk_score.outputs.tables import adjusted_after, domain_max, lost_items, weighted_total
from zwgk_score.results import Results

#: folder of the unit pages inside the site
UNIT_DIR = "单位"
#: units whose item rows and evidence the model holds at a time (pages go in roster order)
BLOCK_UNITS = 512


def unit_pages(results: Results) -> dict[str, str]:
    """Unit → file name of its page (safe and distinct, from the unit's name)."""
    return dict(zip(results.units, unique_filenames(results.units, suffix=".html"), strict=True))


def href(name: str) -> str:
    """A relative link to a file whose name may hold any character (%, #, spaces)."""
    return quote(name, safe="/")


def public_reason(reason: str, evidence: Sequence[str]) -> str:
    """失分原因 without the evidence texts appended to it (the method's own description stays)."""
    text = reason
    for e in sorted({e for e in evidence if e}, key=len, reverse=True):
        text = text.replace("；" + e, "")
        if text.startswith(e):
            text = text[len(e) :].lstrip("；")
    return text


class SiteModel:
    """Page data of one site (internal or public) built from one result."""

    def __init__(self, results: Results, opts: SiteOptions, trend: TrendSource) -> None:
        self.results = results
        self._places = shown_places(results)
        self.opts = opts
        self.trend = trend
        self.rubric = results.rubric
        self.digits = self.rubric.meta.precision
        self.pages = unit_pages(results)
        self.summary = results.summary.set_index("unit", drop=False)
        self.group_names = {g.id: g.name for g in self.rubric.groups}
        self._domains = results.domain_scores()
        self._current = next(
            (name for pid, name, _ in results.parts if pid == results.current_part), ""
        )

    # -- shared ----------------------------------------------------------------
    def site(self) -> dict[str, Any]:
        return {
            "title": self.opts.title,
            "period": self.opts.period,
            "issuer": self.opts.issuer,
            "date": self.opts.date,
            "public": self.opts.public,
            "unit_count": len(self.results.units),
            "group_count": len(self.rubric.groups),
        }

    def _grades(self, group_id: str) -> list[str]:
        return [g.name for g in self.rubric.group(group_id).grades]

    def _grade_index(self, group_id: str, grade: str) -> int:
        grades = self._grades(group_id)
        return grades.index(grade) if grade in grades else len(grades)

    def _grade_tone(self, group_id: str, grade: str) -> int:
        return grade_tone(self._grade_index(group_id, grade), len(self._grades(group_id)))

    # -- index -----------------------------------------------------------------
    def groups(self, prefix: str = "") -> list[dict[str, Any]]:
        """One ranking per group, in rank order, with the links to the unit pages."""
        out = []
        previous = self._previous_ranks()
        names = [str(u) for u in self.summary["unit"]]
        # the columns before 总分: each part's score; then, when they count once after
        # weighting (adjust_after) and some unit has one, 加分 and 重大扣分: each row adds up
        columns = [(f"part_{pid}", f"{name}（占{fmt(w)}%）") for pid, name, w in self.results.parts]
        if adjusted_after(self.results):
            columns += [
                (col, head)
                for col, head in (("bonus", "加分"), ("major", "重大扣分"))
                if self.summary[col].astype(float).any()
            ]
        scores = {
            col: dict(zip(names, self.summary[col].tolist(), strict=True)) for col, _ in columns
        }
        for g in self.rubric.groups:
            # in the notice's order and places: vetoed units last, without a place (名次“—”)
            table = display_order(self.results, g.id)
            rows = []
            for r in rows_of(table):
                total = float(r.total)
                prev = previous.get(str(r.unit)) if previous is not None else None
                place = self._places[str(r.unit)]
                rows.append(
                    {
                        "rank": "—" if place is None else str(place),
                        "rank_sort": str(len(table) + 1 if place is None else place),
                        "unit": str(r.unit),
                        "href": href(f"{prefix}{UNIT_DIR}/{self.pages[str(r.unit)]}"),
                        "parts": [
                            fmt_num(float(scores[col][str(r.unit)]), self.digits)
                            for col, _ in columns
                        ],
                        "total": fmt_num(total, self.digits),
                        "total_sort": "" if total != total else f"{total:.6f}",
                        "grade": str(r.grade),
                        "grade_index": self._grade_index(g.id, str(r.grade)),
                        "grade_tone": self._grade_tone(g.id, str(r.grade)),
                        "veto": bool(r.veto),
                        "prev_rank": "" if prev is None else str(prev),
                        "change": (
                            "—"
                            if place is None or self._moved(str(r.unit))
                            else _change(prev, place)
                        )
                        if previous is not None
                        else "",
                        "change_sort": "" if prev is None or place is None else str(prev - place),
                    }
                )
            out.append(
                {
                    "id": g.id,
                    "name": g.name,
                    "max_score": fmt(g.max_score),
                    "count": len(rows),
                    "grades": self._grades(g.id),
                    "parts": [head for _, head in columns],
                    "has_previous": previous is not None,
                    "baseline": self.trend.baseline,
                    "rows": rows,
                }
            )
        return out

    def _previous_ranks(self) -> dict[str, int] | None:
        """Ranks of the period the ranking's 排名变化 column compares with (上期), if any."""
        base = self.trend.baseline
        if base is None:
            return None
        out = {}
        for unit in self.results.units:
            for p in self.trend.series(unit):
                if p.period == base and p.rank is not None and self._comparable(unit):
                    out[unit] = p.rank
        return out

    def _moved(self, unit: str) -> bool:
        """In the baseline period but not comparable with it (ranked in another group then)."""
        base = self.trend.baseline
        there = any(p.period == base for p in self.trend.series(unit))
        return there and not self._comparable(unit)

    def _comparable(self, unit: str) -> bool:
        """Whether the unit's rank may be compared with the baseline's (a history may say no:
        the unit was ranked in another group then)."""
        check = getattr(self.trend, "comparable_rank", None)
        return check is None or getattr(self.trend, "base", None) is None or bool(check(unit))

    # -- unit page ---------------------------------------------------------------
    def unit(self, unit: str) -> dict[str, Any]:
        row = self._records(unit)["summary"][unit]
        group = self.rubric.group(str(row["group"]))
        total = float(row["total"])
        count = self._group_counts().get(group.id, 0)
        bars = self._bars(unit, group.id)
        head = f"{self._current}各一级指标得分" if self._current else "各一级指标得分"
        parts = [
            {
                "name": name,
                "weight": fmt(w),
                "score": fmt_num(float(row[f"part_{pid}"]), self.digits),
            }
            for pid, name, w in self.results.parts
        ]
        series = self.trend.series(unit)
        trend_points = [TrendValue(p.period, p.total, p.rank) for p in series]
        return {
            "unit": unit,
            "group": group.name,
            "group_id": group.id,
            "count": count,
            "total": fmt_num(total, self.digits),
            "max_score": fmt(group.max_score),
            "grade": str(row["grade"]),
            "grade_tone": self._grade_tone(group.id, str(row["grade"])),
            "rank": self._places.get(unit),  # as the notice prints it; None: vetoed, no place
            "performance": fmt_num(float(row["performance"]), self.digits),
            "performance_share": fmt(self.rubric.meta.performance_share),
            "base": fmt_num(float(row["base"]), self.digits),
            "bonus": fmt(float(row["bonus"])),
            "major": fmt(float(row["major"])),
            "veto": bool(row["veto"]),
            "veto_policy": str(row["veto_policy"]),
            "missing": int(row["missing"]),
            "parts": parts,
            "weighted": weighted_total(self.results, row, self.digits) if parts else "",
            "current_part": self._current,
            "domain_heading": head,
            "domain_chart": domain_bars("domains", f"{unit}{head}与类别平均", bars, self.digits),
            "domains": [
                {
                    "name": b.label,
                    "max": fmt(b.maximum),
                    "score": fmt_num(b.score, self.digits),
                    "average": fmt_num(b.average, self.digits),
                    "applicable": "" if b.applicable is None else fmt(b.applicable),
                }
                for b in bars
            ],
            "partial": any(b.applicable is not None for b in bars),
            "rescale": group.rescale,
            "lost": self._lost(unit),
            "bonus_items": self._bonus(unit),
            "show_evidence": not self.opts.public,
            "show_self": not self.opts.public and self._has_self_scores(unit),
            "trend_chart": trend_chart(
                "trend", f"{unit}历次总分与排名", trend_points, group.max_score
            )
            if len(series) > 1
            else None,
            "trend": [
                {
                    "period": p.period,
                    "total": fmt_num(p.total, self.digits),
                    "rank": "—" if p.rank is None else str(p.rank),
                    "grade": p.grade,
                }
                for p in series
            ],
        }

    def _group_counts(self) -> dict[str, int]:
        """Units per group (counted once, not once per page)."""
        if not hasattr(self, "_counts"):
            groups = self.results.summary["group"]
            self._counts = {str(k): int(v) for k, v in groups.value_counts(sort=False).items()}
        return self._counts

    def _bars(self, unit: str, group_id: str) -> list[Bar]:
        maxima, averages = self._group_domains(group_id)
        mine = self._records(unit)["domains"][unit]
        out = []
        for d in self.rubric.domains:
            if not maxima[d.id]:
                continue
            applicable = self.results.node_score(unit, d.id)[1]
            partial = applicable < maxima[d.id] - 1e-9
            out.append(
                Bar(
                    d.name,
                    float(mine[d.id]),
                    float(maxima[d.id]),
                    averages[d.id],
                    float(round_half_up(np.array([applicable]), 6)[0]) if partial else None,
                )
            )
        return out

    def _group_domains(self, group_id: str) -> tuple[dict[str, float], dict[str, float]]:
        """The group's full points and average score per 一级指标 (computed once per group)."""
        cache: dict[str, tuple[dict[str, float], dict[str, float]]] = self.__dict__.setdefault(
            "_group_domain_cache", {}
        )
        if group_id not in cache:
            members = self.results.summary.loc[self.results.summary["group"] == group_id, "unit"]
            means = self._domains.loc[list(members)].mean()
            averages = {
                d.id: float(round_half_up(np.array([means[d.id]]), self.digits)[0])
                for d in self.rubric.domains
            }
            cache[group_id] = (domain_max(self.results, group_id), averages)
        return cache[group_id]

    def _by_unit(self, unit: str) -> dict[str, dict[str, list[dict[str, Any]]]]:
        """Flagged item rows (``lost``) and bonus rows (``bonus``) per unit of ``unit``'s block.

        Built for :data:`BLOCK_UNITS` units at a time (the pages are written in roster
        order), from those units' item rows only: a national site never holds the
        records of all 40,000 units.
        """
        lo, hi = self._block_of(unit)
        if getattr(self, "_by_unit_block", None) != (lo, hi):
            L = len(self.results.leaves)
            items = self.results.items().iloc[lo * L : hi * L]
            lost = lost_items(self.results, items)
            bonus = items[(items["role"] == ROLE_BONUS) & (items["score"] != 0)]
            cache: dict[str, dict[str, list[dict[str, Any]]]] = {"lost": {}, "bonus": {}}
            for kind, frame in (("lost", lost), ("bonus", bonus)):
                for rec in records_of(frame):
                    cache[kind].setdefault(str(rec["unit"]), []).append(rec)
            self._by_unit_cache = cache
            self._by_unit_block = (lo, hi)
        return self._by_unit_cache

    def _records(self, unit: str) -> dict[str, dict[str, dict[str, Any]]]:
        """The summary row (``summary``) and 一级指标 scores (``domains``) of each unit of
        ``unit``'s block, as dicts: a page reads some thirty cells of its unit, and each
        row taken from a frame would be a new Series; the block's dicts are made in one go."""
        lo, hi = self._block_of(unit)
        if getattr(self, "_records_block", None) != (lo, hi):
            units = self.results.units[lo:hi]
            self._records_cache = {
                "summary": dict(zip(units, records_of(self.summary.loc[units]), strict=True)),
                "domains": dict(zip(units, records_of(self._domains.loc[units]), strict=True)),
            }
            self._records_block = (lo, hi)
        return self._records_cache

    def _block_of(self, unit: str) -> tuple[int, int]:
        """Roster positions (from, to) of the block of units holding ``unit``."""
        lo = self.results.unit_index[unit] // BLOCK_UNITS * BLOCK_UNITS
        return lo, min(lo + BLOCK_UNITS, len(self.results.roster))

    def _has_self_scores(self, unit: str) -> bool:
        if not hasattr(self, "_self_units"):
            items = self.results.items()
            self._self_units = set(items.loc[items["self_score"].notna(), "unit"])
        return unit in self._self_units

    def _evidence(self, unit: str) -> dict[tuple[str, str], list[tuple[str, str]]]:
        """(unit, indicator) → its evidence rows (text, source), for the units of ``unit``'s block.

        The rows of a block are found through the evidence rows' unit positions (sorted
        once); within a cell they keep their order in :meth:`Results.evidence`.
        """
        lo, hi = self._block_of(unit)
        if getattr(self, "_evidence_block", None) != (lo, hi):
            rows = self.results.aggregates.evidence_rows
            if not hasattr(self, "_by_unit_order"):
                unit_idx = rows.unit_idx
                order: np.ndarray = np.argsort(unit_idx, kind="stable")
                # 32-bit positions and each unit's first row: held for the whole site
                small = len(order) < 2**31
                self._by_unit_order: np.ndarray = order.astype(np.int32) if small else order
                del order
                counts = np.bincount(unit_idx, minlength=len(self.results.units))
                self._unit_starts = np.concatenate([[0], np.cumsum(counts)])
            a, b = int(self._unit_starts[lo]), int(self._unit_starts[hi])
            at = self._by_unit_order[a:b]  # ascending within each unit: the evidence order
            at = np.sort(at)
            ev, src = rows.take("evidence", at), rows.take("source", at)
            keep = (ev != "") | (src != "")
            at, ev, src = at[keep], ev[keep], src[keep]
            ids = np.array([leaf.id for leaf in self.results.leaves], dtype=object)
            out: dict[tuple[str, str], list[tuple[str, str]]] = {}
            for u, ind, e, so in zip(
                rows.take("unit", at).tolist(),
                ids[rows.leaf_idx[at]].tolist(),
                ev.tolist(),
                src.tolist(),
                strict=True,
            ):
                out.setdefault((str(u), str(ind)), []).append((str(e), str(so)))
            self._evidence_cache = out
            self._evidence_block = (lo, hi)
        return self._evidence_cache

    def _lost(self, unit: str) -> list[dict[str, Any]]:
        """失分原因: every indicator of the unit that cost or flagged something."""
        return self._rows(unit, self._by_unit(unit)["lost"].get(unit, []))

    def _bonus(self, unit: str) -> list[dict[str, Any]]:
        """加分事项: the bonus items that gave the unit points."""
        return self._rows(unit, self._by_unit(unit)["bonus"].get(unit, []))

    def _rows(self, unit: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        evidence = self._evidence(unit)
        out = []
        for it in rows:
            ident = str(it["indicator"])
            if self.opts.public and ident in self.opts.internal:
                continue
            cell = evidence.get((unit, ident), [])
            if it["role"] == ROLE_VETO:
                lost = "单项否决"
            elif it["role"] == ROLE_MAJOR:
                lost = f"扣 {fmt(float(it['score']))}"
            elif it["role"] == ROLE_BONUS:
                lost = f"加 {fmt(float(it['score']))}"
            else:
                lost = fmt(float(it["lost"]))
            reason = str(it["reason"])
            entry: dict[str, Any] = {
                "id": ident,
                "name": str(it["name"]),
                "points": fmt(float(it["points"])),
                "lost": lost,
                "status": str(it["status"]),
                "reason": public_reason(reason, [e for e, _ in cell])
                if self.opts.public
                else reason,
            }
            if not self.opts.public:
                entry["evidence"] = [{"text": e, "source": src} for e, src in cell if e or src]
                self_score = float(it["self_score"])
                entry["self_score"] = "" if self_score != self_score else fmt(self_score)
            out.append(entry)
        return out

    # -- overview ----------------------------------------------------------------
    def overview(self) -> dict[str, Any]:
        groups: list[dict[str, Any]] = []
        dist = []
        boxes = []
        for g in self.rubric.groups:
            s = self.results.summary[self.results.summary["group"] == g.id]
            grades = self._grades(g.id)
            counts = [GradeCount(name, int((s["grade"] == name).sum())) for name in grades]
            dist.append((g.name, counts))
            totals = s["total"].to_numpy(dtype=float)
            known = totals[~np.isnan(totals)]
            n = len(s)
            passed = int((s["grade"] != g.lowest_grade).sum())
            box = None
            if len(known):
                q1, med, q3 = (float(x) for x in np.percentile(known, [25, 50, 75]))
                box = BoxStats(
                    g.name, float(known.min()), q1, med, q3, float(known.max()), len(known)
                )
                boxes.append(box)
            groups.append(
                {
                    "name": g.name,
                    "count": n,
                    "grades": [{"name": c.grade, "count": c.count} for c in counts],
                    "average": fmt_num(float(known.mean()), self.digits) if len(known) else "—",
                    "pass_rate": f"{passed / n * 100:.1f}".rstrip("0").rstrip(".") + "%"
                    if n
                    else "—",
                    "box": None
                    if box is None
                    else {
                        k: fmt_num(getattr(box, k), self.digits)
                        for k in ("low", "q1", "median", "q3", "high")
                    },
                    "improved": self._improved(g.id),
                }
            )
        top = max(g.max_score for g in self.rubric.groups)
        names = [[c["name"] for c in g["grades"]] for g in groups]
        return {
            "groups": groups,
            "same_grades": all(n == names[0] for n in names),
            "baseline": self.trend.baseline,
            "combined": self.results.combination is not None,
            "grade_chart": grade_distribution("grades", "各类别等次分布", dist),
            "box_chart": box_plot("boxes", "各类别总分分布（箱线图）", boxes, top)
            if boxes
            else None,
        }

    def _improved(self, group_id: str) -> list[dict[str, Any]]:
        """进步较快单位: a higher rank *and* a higher total than in the baseline period."""
        base = self.trend.baseline
        if base is None:
            return []
        rows = []
        s = self.results.summary[self.results.summary["group"] == group_id]
        for r in rows_of(s):
            if r.veto:
                continue
            series = self.trend.series(str(r.unit))
            then = next((p for p in series if p.period == base), None)
            if then is None or then.rank is None or then.total is None or not series:
                continue
            if not self._comparable(str(r.unit)):
                continue
            now = series[-1]
            if now.rank is None or now.total is None:
                continue
            rank_change = then.rank - now.rank
            total_change = float(round_half_up(np.array([now.total - then.total]), self.digits)[0])
            if rank_change >= self.opts.improved_places and total_change > 0:
                rows.append((-rank_change, -total_change, str(r.unit), then, now))
        rows.sort(key=lambda x: (x[0], x[1], x[2]))
        return [
            {
                "unit": unit,
                "href": href(f"{UNIT_DIR}/{self.pages[unit]}"),
                "prev_rank": then.rank,
                "rank": now.rank,
                "rank_change": -rc,
                "prev_total": fmt_num(then.total, self.digits),
                "total": fmt_num(now.total, self.digits),
                "total_change": fmt_num(-tc, self.digits),
            }
            for rc, tc, unit, then, now in rows[: self.opts.improved_top]
        ]


def _change(prev: int | None, rank: int) -> str:
    if prev is None:
        return "新增"
    c = prev - rank
    return f"↑{c}" if c > 0 else f"↓{-c}" if c < 0 else "持平"
