"""The JSON export of a :class:`~zwgk_score.results.Results` record (schema in docs/results.md).

Strict JSON: a score that does not exist is ``null``, never ``NaN`` (the
encoder runs with ``allow_nan=False``, so a NaN that slipped through is an
error, not an invalid file).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from zwgk_score.engine import jsonfast
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
    items = r.items()
    ev = r.evidence()
    prec = r.rubric.meta.precision
    comb = r.combination
    categories = [(nid, k) for nid, k in r.node_index.items() if not r.rubric.node(nid).is_leaf]
    by_unit = {u: g for u, g in items.groupby("unit", sort=False, observed=True)}
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
    evidence = [
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
    return _document(r, units, evidence, {})


def to_json(r: Results, path: str | Path | None = None) -> str:
    """Serialise :func:`to_dict` as strict JSON; write it atomically when ``path`` is given.

    The text is ``json.dumps(to_dict(r), ensure_ascii=False, indent=1, allow_nan=False)``
    byte for byte, produced by :func:`iter_json` (see :mod:`zwgk_score.engine.jsonfast`).
    For a national-scale file use :func:`write_json`, which never holds the text.
    """
    text = "".join(iter_json(r))
    if path is not None:
        from zwgk_score.atomic import atomic_write_text

        atomic_write_text(Path(path), text)
    return text


def _adjustment(r: Results, unit: str, indicator: str) -> dict[str, Any]:
    """The appeal decision applied to one item (申诉调整), as its JSON ``adjustment`` entry."""
    adj = r.adjustments.get((unit, indicator))
    return {"adjustment": dict(adj)} if adj is not None else {}


# -- streaming, column-wise encoding (same bytes as json.dumps of to_dict) -----------------

#: units per chunk of the streamed export (bounds the memory of the encoded text)
UNITS_PER_CHUNK = 500
#: evidence rows per chunk of the streamed export
ROWS_PER_CHUNK = 100_000
_INDICATOR_KEYS = ("id", "points", "score", "lost", "applicable", "status", "reason")
_EVIDENCE_KEYS = (
    "row",
    "unit",
    "key",
    "indicator",
    "value",
    "text",
    "status",
    "evidence",
    "source",
    "effect",
)


def _document(r: Results, units: Any, evidence: Any, extra: Mapping[str, Any]) -> dict[str, Any]:
    """The top-level dict of :func:`to_dict` with the given ``units`` and ``evidence`` values."""
    from zwgk_score.results import SCHEMA_VERSION

    comb = r.combination
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
    out["evidence"] = evidence
    out.update(extra)
    return out


def _floats(values: Any) -> np.ndarray:
    """``float(x)`` of each value, as an array."""
    return np.asarray(values, dtype=np.float64)


def _unit_chunks(r: Results, level: int) -> Iterator[str]:
    """The ``units`` entries, :data:`UNITS_PER_CHUNK` at a time, at depth ``level + 1``."""
    items = r._items  # the cached table itself: no copy of 8 million rows
    L = len(r.leaves)
    prec = r.rubric.meta.precision
    comb = r.combination
    s = r.summary
    categories = [(nid, k) for nid, k in r.node_index.items() if not r.rubric.node(nid).is_leaf]
    ks = [k for _, k in categories]
    node_score = round_half_up(r.totals.node_score[:, ks], prec)
    node_appl = round_half_up(r.totals.node_applicable[:, ks], 6)
    unit_names = [str(u) for u in s["unit"].tolist()]
    rec, ind, nod = level + 1, level + 3, level + 2  # depths: unit, indicator, node entries
    keys = ["unit", "group", "total"]
    if comb is not None:
        keys.append("parts")
    keys += ["base", "obtained", "applicable", "bonus", "major", "veto", "veto_policy"]
    keys += ["grade", "rank", "performance", "missing", "nodes", "indicators"]
    ind_cols = {
        "indicator": items["indicator"],
        "points": items["points"],
        "score": items["score"],
        "lost": items["lost"],
        "applicable": items["applicable"],
        "status": items["status"],
        "reason": items["reason"],
    }
    # one template per unit entry, the nodes' dicts spliced in
    node_parts = jsonfast.record_parts([nid for nid, _ in categories], nod)
    for c in reversed(range(len(categories))):
        node_parts = jsonfast.splice(
            node_parts, c, jsonfast.record_parts(["score", "applicable"], nod + 1)
        )
    parts = jsonfast.splice(jsonfast.record_parts(keys, rec), keys.index("nodes"), node_parts)
    for lo in range(0, len(s), UNITS_PER_CHUNK):
        hi = min(lo + UNITS_PER_CHUNK, len(s))
        names = unit_names[lo:hi]
        part = s.iloc[lo:hi]
        cols: dict[str, list[str]] = {
            "unit": jsonfast.column(names, rec + 1),
            "group": jsonfast.column(part["group"].tolist(), rec + 1),
            "total": jsonfast.nullable_floats(_floats(part["total"].tolist()), rec + 1),
        }
        if comb is not None:
            cols["parts"] = [
                jsonfast.encode({p.id: _num(comb.scores[p.id][i]) for p in comb.parts}, rec + 1)
                for i in range(lo, hi)
            ]
        cols["base"] = jsonfast.nullable_floats(_floats(part["base"].tolist()), rec + 1)
        for name in ("obtained", "applicable", "bonus", "major"):
            cols[name] = jsonfast.column(_floats(part[name].tolist()), rec + 1)
        veto = np.array([bool(v) for v in part["veto"].tolist()], dtype=bool)
        cols["veto"] = jsonfast.column(veto, rec + 1)
        cols["veto_policy"] = jsonfast.column(part["veto_policy"].tolist(), rec + 1)
        cols["grade"] = jsonfast.column(part["grade"].tolist(), rec + 1)
        cols["rank"] = jsonfast.column(np.array([int(v) for v in part["rank"].tolist()]), rec + 1)
        cols["performance"] = jsonfast.nullable_floats(
            _floats(part["performance"].tolist()), rec + 1
        )
        missing = np.array([int(v) for v in part["missing"].tolist()])
        cols["missing"] = jsonfast.column(missing, rec + 1)
        node_cols = []
        for c in range(len(categories)):
            node_cols.append(jsonfast.nullable_floats(node_score[lo:hi, c], nod + 2))
            node_cols.append(jsonfast.nullable_floats(node_appl[lo:hi, c], nod + 2))
        cols["indicators"] = _indicator_lists(r, names, ind_cols, L, ind)
        columns: list[list[str]] = []
        for k in keys:
            columns += node_cols if k == "nodes" else [cols[k]]
        yield jsonfast.join_items(jsonfast.fill(parts, columns, hi - lo), level)


def _indicator_lists(
    r: Results, names: list[str], cols: Mapping[str, pd.Series], L: int, level: int
) -> list[str]:
    """Each unit's ``indicators`` list (at depth ``level - 1``), entries at depth ``level``."""
    pos = np.array([r.unit_index[u] for u in names], dtype=np.int64)
    rows = (pos[:, None] * L + np.arange(L, dtype=np.int64)[None, :]).ravel()

    def take(name: str) -> Any:
        # only this chunk's rows (a categorical column is not materialised whole)
        return np.asarray(cols[name].array.take(rows))

    field = level + 1
    encoded = [
        jsonfast.column(take("indicator").tolist(), field),
        jsonfast.column(_floats(take("points")), field),
        jsonfast.column(_floats(take("score")), field),
        jsonfast.column(_floats(take("lost")), field),
        jsonfast.column(np.array([bool(v) for v in take("applicable").tolist()]), field),
        jsonfast.column(take("status").tolist(), field),
        jsonfast.column(take("reason").tolist(), field),
    ]
    parts = jsonfast.record_parts(_INDICATOR_KEYS, level)
    sep = jsonfast.separator(level - 1)
    out = [
        jsonfast.list_around(jsonfast.joined(parts, encoded, i * L, (i + 1) * L, sep), level - 1)
        if L
        else "[]"
        for i in range(len(names))
    ]
    if not r.adjustments:
        return out
    ids = take("indicator").tolist()
    for i, unit in enumerate(names):
        adjusted = [j for j in range(L) if (unit, str(ids[i * L + j])) in r.adjustments]
        if not adjusted:
            continue
        entries = jsonfast.fill(parts, [c[i * L : (i + 1) * L] for c in encoded], L)
        for j in adjusted:
            flat = int(rows[i * L + j])
            entry = {
                "id": ids[i * L + j],
                "points": _f(cols["points"].iat[flat]),
                "score": _f(cols["score"].iat[flat]),
                "lost": _f(cols["lost"].iat[flat]),
                "applicable": bool(cols["applicable"].iat[flat]),
                "status": cols["status"].iat[flat],
                "reason": cols["reason"].iat[flat],
                "adjustment": dict(r.adjustments[(unit, str(ids[i * L + j]))]),
            }
            entries[j] = jsonfast.encode(entry, level)
        out[i] = jsonfast.list_around(jsonfast.join_items(entries, level - 1), level - 1)
    return out


def _evidence_chunks(r: Results, level: int) -> Iterator[str]:
    """The ``evidence`` entries, :data:`ROWS_PER_CHUNK` at a time, at depth ``level + 1``."""
    rows = r.aggregates.evidence_rows
    ids = np.array([leaf.id for leaf in r.leaves], dtype=object)
    rec, field = level + 1, level + 2
    parts = jsonfast.record_parts(_EVIDENCE_KEYS, rec)
    for lo in range(0, len(rows), ROWS_PER_CHUNK):
        at = np.arange(lo, min(lo + ROWS_PER_CHUNK, len(rows)))

        def take(name: str, at: np.ndarray = at) -> list[Any]:
            # only this chunk's rows, converted as the checked table would have them: the
            # whole checked table (a copy of ten million rows) is never built for the export
            out: list[Any] = rows.take(name, at).tolist()
            return out

        encoded = [
            jsonfast.column(rows.take("row_id", at).astype(np.int64) + 2, field),
            jsonfast.column(take("unit"), field),
            jsonfast.column(take("key"), field),
            jsonfast.column(ids[rows.leaf_idx[at]].tolist(), field),
            jsonfast.nullable_floats(_floats(take("value")), field),
            jsonfast.column(take("text"), field),
            jsonfast.column(take("status"), field),
            jsonfast.column(take("evidence"), field),
            jsonfast.column(take("source"), field),
            jsonfast.column(_floats(rows.effect[at]), field),
        ]
        yield jsonfast.joined(parts, encoded, 0, len(at), jsonfast.separator(level))


def iter_json(r: Results, extra: Mapping[str, Any] | None = None) -> Iterator[str]:
    """results.json in chunks: exactly ``json.dumps(to_dict(r) | extra, ensure_ascii=False,
    indent=1, allow_nan=False)``, without building the dict (memory stays bounded)."""
    units = jsonfast.Lazy(lambda level: _unit_chunks(r, level), empty=r.summary.empty)
    evidence = jsonfast.Lazy(
        lambda level: _evidence_chunks(r, level), empty=not len(r.aggregates.evidence_rows)
    )
    yield from jsonfast.iter_encode(_document(r, units, evidence, extra or {}))


def write_json(r: Results, path: str | Path, extra: Mapping[str, Any] | None = None) -> None:
    """Write results.json (``to_dict`` plus ``extra`` keys) atomically, streamed chunk by chunk."""
    from zwgk_score.atomic import atomic_path

    with atomic_path(Path(path)) as tmp, tmp.open("w", encoding="utf-8") as fh:
        for chunk in iter_json(r, extra):
            fh.write(chunk)
