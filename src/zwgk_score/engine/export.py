"""The JSON export of a :class:`~zwgk_score.results.Results` record (schema in docs/results.md).

Strict JSON: a score that does not exist is ``null``, never ``NaN`` (the
encoder runs with ``allow_nan=False``, so a NaN that slipped through is an
error, not an invalid file).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from zwgk_score.engine.aggregate import round_half_up

if TYPE_CHECKING:  # pragma: no cover
    from zwgk_score.results import Results


def _num(x: Any) -> float | None:
    """A float, or None for NaN (no score)."""
    f = float(x)
    return None if math.isnan(f) else f


def _f(x: Any) -> float:
    return float(x)


def _i(x: Any) -> int:
    return int(x)


def _round(x: float, digits: int) -> float | None:
    return _num(round_half_up(np.array([x]), digits)[0])


def to_dict(r: Results) -> dict[str, Any]:
    """The whole result as plain data (schema in docs/results.md)."""
    from zwgk_score.results import SCHEMA_VERSION

    items = r.items()
    ev = r.evidence()
    prec = r.rubric.meta.precision
    comb = r.combination
    categories = [(nid, k) for nid, k in r.node_index.items() if not r.rubric.node(nid).is_leaf]
    by_unit = {u: g for u, g in items.groupby("unit", sort=False)}
    units = []
    for i, row in enumerate(r.summary.itertuples(index=False)):
        unit = str(row.unit)
        entry: dict[str, Any] = {
            "unit": unit,
            "group": row.group,
            "total": _num(row.total),
        }
        if comb is not None:
            entry["parts"] = {p.id: _num(comb.scores[p.id][i]) for p in comb.parts}
        entry.update(
            {
                "base": _num(row.base),
                "obtained": _f(row.obtained),
                "applicable": _f(row.applicable),
                "bonus": _f(row.bonus),
                "major": _f(row.major),
                "veto": bool(row.veto),
                "veto_policy": row.veto_policy,
                "grade": row.grade,
                "rank": _i(row.rank),
                "performance": _num(row.performance),
                "missing": _i(row.missing),
                "nodes": {
                    nid: {
                        "score": _round(r.totals.node_score[i, k], prec),
                        "applicable": _round(r.totals.node_applicable[i, k], 6),
                    }
                    for nid, k in categories
                },
                "indicators": [
                    {
                        "id": it.indicator,
                        "points": _f(it.points),
                        "score": _f(it.score),
                        "lost": _f(it.lost),
                        "applicable": bool(it.applicable),
                        "status": it.status,
                        "reason": it.reason,
                        **_adjustment(r, unit, str(it.indicator)),
                    }
                    for it in by_unit[unit].itertuples()
                ]
                if unit in by_unit
                else [],
            }
        )
        units.append(entry)
    out: dict[str, Any] = {
        "schema": SCHEMA_VERSION,
        "rubric": {
            "id": r.rubric.meta.id,
            "title": r.rubric.meta.title,
            "year": r.rubric.meta.year,
            "full_score": r.rubric.meta.full_score,
            "performance_share": r.rubric.meta.performance_share,
        },
        "period": r.period,
    }
    if comb is not None:
        out["combine"] = {
            "current": comb.current,
            "parts": [
                {"id": p.id, "name": p.name, "weight": p.weight, "aggregate": p.aggregate}
                for p in comb.parts
            ],
        }
        if comb.after:
            out["combine"]["adjust_after"] = True
    out["groups"] = [
        {"id": g.id, "name": g.name, "max_score": g.max_score} for g in r.rubric.groups
    ]
    out["units"] = units
    out["evidence"] = [
        {
            "row": _i(e.row_id) + 2,
            "unit": e.unit,
            "key": e.key,
            "indicator": e.indicator,
            "value": _num(e.value),
            "text": e.text,
            "status": e.status,
            "evidence": e.evidence,
            "source": e.source,
            "effect": _f(e.effect),
        }
        for e in ev.itertuples()
    ]
    return out


def to_json(r: Results, path: str | Path | None = None) -> str:
    """Serialise :func:`to_dict` as strict JSON; write it atomically when ``path`` is given."""
    text = json.dumps(to_dict(r), ensure_ascii=False, indent=1, sort_keys=False, allow_nan=False)
    if path is not None:
        from zwgk_score.atomic import atomic_write_text

        atomic_write_text(Path(path), text)
    return text


def _adjustment(r: Results, unit: str, indicator: str) -> dict[str, Any]:
    """The appeal decision applied to one item (申诉调整), as its JSON ``adjustment`` entry."""
    adj = r.adjustments.get((unit, indicator))
    return {"adjustment": dict(adj)} if adj is not None else {}
