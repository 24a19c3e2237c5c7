"""Results of an assessment (考核结果): scores, grades, ranks and their evidence.

Everything is traceable: :meth:`Results.explain` walks from a unit's total
down to every indicator and the evidence rows behind each deduction.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from zwgk_score.engine.aggregate import Totals, round_half_up
from zwgk_score.engine.evidence import Aggregates
from zwgk_score.engine.leaves import STATUS_LABELS, LeafScores
from zwgk_score.methods.base import ROLE_BONUS, ROLE_MAJOR, ROLE_SCORE, Cell, Method, Role, fmt
from zwgk_score.rubric.model import Node, Rubric

#: version of the JSON export (docs/results.md)
SCHEMA_VERSION = 1


class Results:
    """The scored assessment. Build it with :func:`zwgk_score.score`."""

    def __init__(
        self,
        rubric: Rubric,
        roster: pd.DataFrame,
        leaves: Sequence[Node],
        methods: dict[str, Method],
        agg: Aggregates,
        ls: LeafScores,
        totals: Totals,
        summary: pd.DataFrame,
        *,
        period: str | None = None,
    ) -> None:
        self.rubric = rubric
        self.roster = roster
        self.leaves = tuple(leaves)
        self.methods = methods
        self._agg = agg
        self._ls = ls
        self._totals = totals
        self.summary = summary
        self.period = period
        #: period parts (id, name, weight) when this result combines periods (阶段合成)
        self.parts: list[tuple[str, str, float]] = []
        #: the part whose indicator detail this result carries (e.g. the year-end review)
        self.current_part: str | None = None
        #: appeal decisions applied (申诉调整): (unit, indicator) → before, after, reason, by, at
        self.adjustments: dict[tuple[str, str], dict[str, Any]] = {}
        self._items: pd.DataFrame | None = None
        self._unit_pos = {u: i for i, u in enumerate(roster["unit"])}
        self._node_pos = {nid: i for i, nid in enumerate(totals.node_ids)}

    # -- tables ------------------------------------------------------------
    @property
    def units(self) -> list[str]:
        return list(self.roster["unit"])

    def domain_scores(self) -> pd.DataFrame:
        """Scores of each 一级指标 per unit (columns = domain ids), rounded."""
        cols = [self._node_pos[d.id] for d in self.rubric.domains]
        data = round_half_up(self._totals.node_score[:, cols], self.rubric.meta.precision)
        return pd.DataFrame(
            data, columns=[d.id for d in self.rubric.domains], index=self.roster["unit"]
        )

    def node_score(self, unit: str, node_id: str) -> tuple[float, float]:
        """(score, applicable points) of any node for one unit."""
        u, i = self._unit_pos[unit], self._node_pos[node_id]
        return float(self._totals.node_score[u, i]), float(self._totals.node_applicable[u, i])

    def ranking(self, group: str) -> pd.DataFrame:
        """The group's ranking table: rank, unit, each domain, total, grade (sorted by rank)."""
        s = self.summary[self.summary["group"] == group]
        dom = self.domain_scores().loc[s["unit"]].reset_index(drop=True)
        cols = ["rank", "unit", "base", "bonus", "major", "total", "grade", "veto", "performance"]
        table = pd.concat([s[cols].reset_index(drop=True), dom], axis=1)
        return table.sort_values(["rank", "unit"], kind="stable").reset_index(drop=True)

    def items(self) -> pd.DataFrame:
        """One row per (unit, indicator): points, score, lost points, status, 失分原因 and 自评分.

        Built once and cached (outputs ask for it many times); a copy is returned.
        """
        if self._items is None:
            self._items = self._build_items()
        return self._items.copy()

    def _build_items(self) -> pd.DataFrame:
        U, L = len(self.roster), len(self.leaves)
        roles = np.array([leaf.rule.role.value for leaf in self.leaves], dtype=object)
        points = np.array([leaf.points for leaf in self.leaves])
        score = self._ls.score
        lost = np.where(
            (roles == ROLE_SCORE)[None, :] & self._ls.applicable, points[None, :] - score, 0.0
        )
        lost = np.where((roles == ROLE_MAJOR)[None, :], score, lost)
        prec = self.rubric.meta.precision
        df = pd.DataFrame(
            {
                "unit": np.repeat(self.roster["unit"].to_numpy(), L),
                "group": np.repeat(self.roster["group"].to_numpy(), L),
                "indicator": np.tile([leaf.id for leaf in self.leaves], U),
                "name": np.tile([leaf.name for leaf in self.leaves], U),
                "domain": np.tile([self.rubric.domain_of(leaf.id).id for leaf in self.leaves], U),
                "task": np.tile([leaf.task or "" for leaf in self.leaves], U),
                "method": np.tile([leaf.method for leaf in self.leaves], U),
                "role": np.tile(roles, U),
                "points": np.tile(points, U),
                "applicable": self._ls.applicable.ravel(),
                "status": [STATUS_LABELS[int(c)] for c in self._ls.status.ravel()],
                "score": round_half_up(score.ravel(), prec),
                "lost": round_half_up(lost.ravel(), prec),
            }
        )
        df["reason"] = self._reasons(df, score)
        for (unit, ind), adj in self.adjustments.items():
            at = (df["unit"] == unit) & (df["indicator"] == ind)
            note = f"申诉调整（{fmt(adj['before'])}→{fmt(adj['after'])}分）：{adj['reason']}"
            df.loc[at, "reason"] = [f"{note}；{r}" if r else note for r in df.loc[at, "reason"]]
        df["self_score"] = self._agg.self_score.ravel()
        return df

    def _reasons(self, df: pd.DataFrame, score: np.ndarray) -> list[str]:
        U, L = score.shape
        status = self._ls.status.ravel()
        need = (
            (df["lost"].to_numpy() != 0)
            | (status >= 3)
            | ((df["role"] != ROLE_SCORE) & (score.ravel() != 0))
        )
        out = [""] * (U * L)
        ev = self._evidence_texts()
        agg = self._agg
        idx = np.nonzero(need)[0]
        # plain Python lists: indexing numpy scalars cell by cell is what makes this slow
        cols = [a.ravel()[idx].tolist() for a in (score, agg.n, agg.total, agg.value, agg.over)]
        texts = agg.text.ravel()[idx].tolist()
        st = status[idx].tolist()
        # many cells share the same inputs (one stale column, 1 of 2 meetings…): describe each case once
        described: dict[tuple, str] = {}
        for flat, sc, n, total, value, over, text_in, code in zip(
            idx.tolist(), *cols, texts, st, strict=True
        ):
            if code >= 3:
                out[flat] = STATUS_LABELS[code]
                continue
            u, j = divmod(flat, L)
            key = (j, sc, n, total, None if value != value else value, str(text_in), over)
            text = described.get(key)
            if text is None:
                leaf = self.leaves[j]
                cell = Cell(sc, int(n), total, value, str(text_in), int(over))
                text = leaf.rule.describe(leaf.params, leaf.points, cell)
                described[key] = text
            extra = ev.get((u, j))
            out[flat] = (f"{text}；{extra}" if text else extra) if extra else text
        return out

    def _evidence_texts(self) -> dict[tuple[int, int], str]:
        """Evidence of the rows that moved the score, joined per (unit, leaf).

        A row counts when it has an effect in points, when it is the single
        value a method reads, or when it exceeded the method's threshold (an
        item answered late in an on-time ratio); rows that cost nothing (an
        on-time reply) stay out of the 失分原因.
        """
        rows = self._agg.rows
        leaf_idx = rows["leaf_idx"].to_numpy()
        single = np.array([leaf.rule.kind.single for leaf in self.leaves], dtype=bool)
        thresholds = [leaf.rule.threshold(leaf.params) for leaf in self.leaves]
        thr = np.array([np.inf if t is None else t for t in thresholds], dtype=float)
        veto = np.array([leaf.rule.role == Role.VETO for leaf in self.leaves], dtype=bool)
        value = rows["value"].to_numpy()
        moved = (
            (rows["effect"].to_numpy() != 0)
            | single[leaf_idx]
            | (value > thr[leaf_idx])
            | (veto[leaf_idx] & (value > 0))
        )
        rows = rows[
            moved & (rows["evidence"] != "").to_numpy() & (rows["status"] == "ok").to_numpy()
        ]
        out: dict[tuple[int, int], list[str]] = {}
        for u, j, text in zip(
            rows["unit_idx"].to_numpy(), rows["leaf_idx"].to_numpy(), rows["evidence"], strict=True
        ):
            out.setdefault((int(u), int(j)), []).append(text)
        return {k: "；".join(v) for k, v in out.items()}

    def deductions(self) -> pd.DataFrame:
        """Lost points with their reasons and evidence (扣分明细), one row per (unit, indicator)."""
        items = self.items()
        keep = (items["lost"] != 0) | items["status"].str.startswith("缺失")
        return items[keep].reset_index(drop=True)

    def evidence(self, unit: str | None = None, indicator: str | None = None) -> pd.DataFrame:
        """Evidence rows with the indicator they fed and their effect in points."""
        rows = self._agg.rows.copy()
        rows["indicator"] = [self.leaves[j].id for j in rows["leaf_idx"]]
        if unit is not None:
            rows = rows[rows["unit"] == unit]
        if indicator is not None:
            rows = rows[rows["indicator"] == indicator]
        cols = [
            "row_id",
            "unit",
            "key",
            "indicator",
            "value",
            "text",
            "status",
            "evidence",
            "source",
            "effect",
        ]
        return rows[cols].reset_index(drop=True)

    # -- explanation -----------------------------------------------------
    def explain(self, unit: str) -> str:
        """Walk from a unit's total down to each indicator and evidence row (Chinese text)."""
        if unit not in self._unit_pos:
            raise KeyError(unit)
        u = self._unit_pos[unit]
        row = self.summary.iloc[u]
        group = self.rubric.group(row["group"])
        base = (
            f"基础分 {_num(row['base'])}（得分 {fmt(row['obtained'])} ÷ 适用分值 {fmt(row['applicable'])} × {fmt(group.max_score)}"
            + ("，已折算" if group.rescale else "，不折算")
            + f"）+ 加分 {fmt(row['bonus'])} − 重大扣分 {fmt(row['major'])}"
        )
        lines = [
            f"单位：{unit}（{group.name}）",
            f"总分 {_num(row['total'])}，等次 {row['grade']}，组内第 {row['rank']} 名",
        ]
        if self.parts:
            # a combined result: the total is the weighted parts; the detail below is this period's
            lines.append(
                "  = "
                + " + ".join(
                    f"{name} {_num(row[f'part_{pid}'])} × {fmt(w)}%" for pid, name, w in self.parts
                )
            )
            current = next(
                (name for pid, name, _ in self.parts if pid == self.current_part), "本阶段"
            )
            lines.append(f"  {current}：{base}；以下为{current}的指标明细")
        else:
            lines.append(f"  = {base}")
        if row["veto"]:
            lines.append(f"  单项否决：{row['veto_policy']}")
        items = self.items()
        items = items[items["unit"] == unit].set_index("indicator")
        evidence = self.evidence(unit)
        for domain in self.rubric.domains:
            for node in domain.walk():
                indent = "  " * node.level
                if not node.is_leaf:
                    s, a = self.node_score(unit, node.id)
                    lines.append(
                        f"{indent}{node.id} {node.name}：{fmt(s)}/{fmt(node.points)}（适用 {fmt(a)}）"
                    )
                    continue
                it = items.loc[node.id]
                head = f"{indent}{node.id} {node.name} [{node.rule.title}]"
                if it["role"] == ROLE_SCORE:
                    head += f"：{_num(it['score'])}/{fmt(node.points)}"
                elif it["role"] == ROLE_BONUS:
                    head += f"：加 {_num(it['score'])}"
                elif it["role"] == ROLE_MAJOR:
                    head += f"：扣 {_num(it['score'])}"
                elif it["role"] == Role.VETO:
                    head += "：触发" if it["score"] else "：未触发"
                if it["status"]:
                    head += f"（{it['status']}）"
                if it["reason"]:
                    head += f" —— {it['reason']}"
                lines.append(head)
                for _, ev in evidence[evidence["indicator"] == node.id].iterrows():
                    eff = f"，影响 {fmt(ev['effect'])} 分" if ev["effect"] else ""
                    # a row collected from an export names its source (file:row, URL); a hand-made
                    # table has only its row number (header = row 1)
                    where = f"（{ev['source']}）" if ev["source"] else f"第 {ev['row_id'] + 2} 行"
                    lines.append(
                        f"{indent}    · 证据{where}：数值 {fmt(ev['value'])}"
                        + (f"，文本「{ev['text']}」" if ev["text"] else "")
                        + (f"，{ev['evidence']}" if ev["evidence"] else "")
                        + eff
                    )
        return "\n".join(lines)

    # -- comparison ------------------------------------------------------
    def compare(self, previous: Results) -> pd.DataFrame:
        """Change against a previous period: previous total / rank and the differences (正数为进步)."""
        prev = previous.summary.set_index("unit")[["total", "rank"]].rename(
            columns={"total": "prev_total", "rank": "prev_rank"}
        )
        cur = self.summary.set_index("unit")[["group", "total", "rank"]]
        out = cur.join(prev, how="left")
        out["total_change"] = round_half_up(
            (out["total"] - out["prev_total"]).to_numpy(), self.rubric.meta.precision
        )
        out["rank_change"] = out["prev_rank"] - out["rank"]
        return out.reset_index()

    # -- export ----------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The whole result as plain data (schema in docs/results.md)."""
        items = self.items()
        ev = self.evidence()
        prec = self.rubric.meta.precision
        units = []
        for i, row in self.summary.iterrows():
            unit = row["unit"]
            units.append(
                {
                    "unit": unit,
                    "group": row["group"],
                    "total": _json_num(row["total"]),
                    "base": _json_num(row["base"]),
                    "obtained": float(row["obtained"]),
                    "applicable": float(row["applicable"]),
                    "bonus": float(row["bonus"]),
                    "major": float(row["major"]),
                    "veto": bool(row["veto"]),
                    "veto_policy": row["veto_policy"],
                    "grade": row["grade"],
                    "rank": int(row["rank"]),
                    "performance": _json_num(row["performance"]),
                    "missing": int(row["missing"]),
                    "nodes": {
                        nid: {
                            "score": _round(self._totals.node_score[i, k], prec),
                            "applicable": _round(self._totals.node_applicable[i, k], 6),
                        }
                        for nid, k in self._node_pos.items()
                        if not self.rubric.node(nid).is_leaf
                    },
                    "indicators": [
                        {
                            "id": it.indicator,
                            "points": float(it.points),
                            "score": float(it.score),
                            "lost": float(it.lost),
                            "applicable": bool(it.applicable),
                            "status": it.status,
                            "reason": it.reason,
                            **(
                                {"adjustment": self.adjustments[(unit, it.indicator)]}
                                if (unit, it.indicator) in self.adjustments
                                else {}
                            ),
                        }
                        for it in items[items["unit"] == unit].itertuples()
                    ],
                }
            )
        return {
            "schema": SCHEMA_VERSION,
            "rubric": {
                "id": self.rubric.meta.id,
                "title": self.rubric.meta.title,
                "year": self.rubric.meta.year,
                "full_score": self.rubric.meta.full_score,
                "performance_share": self.rubric.meta.performance_share,
            },
            "period": self.period,
            "groups": [
                {"id": g.id, "name": g.name, "max_score": g.max_score} for g in self.rubric.groups
            ],
            "units": units,
            "evidence": [
                {
                    "row": int(r.row_id) + 2,
                    "unit": r.unit,
                    "key": r.key,
                    "indicator": r.indicator,
                    "value": _json_num(r.value),
                    "text": r.text,
                    "status": r.status,
                    "evidence": r.evidence,
                    "source": r.source,
                    "effect": float(r.effect),
                }
                for r in ev.itertuples()
            ],
        }

    def to_json(self, path: str | Path | None = None) -> str:
        """Serialise :meth:`to_dict` as JSON; write it atomically when ``path`` is given."""
        text = json.dumps(
            self.to_dict(), ensure_ascii=False, indent=1, sort_keys=False, allow_nan=False
        )
        if path is not None:
            from zwgk_score.atomic import atomic_write_text

            atomic_write_text(Path(path), text)
        return text


def _num(x: float) -> str:
    return "—" if x != x else f"{x:.2f}"


def _round(x: float, digits: int) -> float:
    return float(round_half_up(np.array([x]), digits)[0])


def _json_num(x: float) -> float | None:
    return None if x != x else float(x)
