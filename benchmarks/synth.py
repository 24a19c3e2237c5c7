"""Synthetic assessments for the benchmarks (合成数据).

A seeded generator of a province-scale assessment: a rubric of 200 scored
indicators using every built-in method (binary, checklist, levels, ratio,
manual, count, deduction, timeliness, bonus, major_deduction, veto), three unit
groups (县级 / 乡镇 / 部门) with group-only indicators, and the long evidence
table (指标数据长表) for any number of units, with declared not-applicable rows,
missing rows, multi-row event indicators, bonuses and the occasional veto.

Everything is vectorised so that 40,000 units (≈ 9 million rows) take seconds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

#: group id → (name, share of units)
GROUPS = {"county": ("县级", 0.10), "town": ("乡镇（街道）", 0.80), "dept": ("部门", 0.10)}
N_DOMAINS = 10
LEAVES_PER_DOMAIN = 19  # 18 × 0.5 + 1 × 1.0 = 10 points per domain, 100 in all
#: method of each scored leaf (190 in all), cycled in this order
SCORE_METHODS = (
    ["binary"] * 45
    + ["checklist"] * 30
    + ["levels"] * 25
    + ["ratio"] * 30
    + ["manual"] * 15
    + ["count"] * 15
    + ["deduction"] * 15
    + ["timeliness"] * 15
)
#: the ten zero-point leaves: bonus / major deduction / veto
SPECIAL = [
    ("bonus", {"per": 0.5, "cap": 1.0}),
    ("bonus", {"per": 1.0}),
    ("bonus", {"cap": 2.0}),
    ("bonus", {"per": 0.25}),
    ("major_deduction", {"per": 2.0}),
    ("major_deduction", {"per": 5.0}),
    ("major_deduction", {"per": 1.0}),
    ("veto", {"policy": "fail"}),
    ("veto", {"policy": "cap", "cap": 59}),
    ("veto", {"policy": "zero"}),
]
NA_SHARE = 0.02  # declared 不适用 rows
MISSING_SHARE = 0.003  # explicit 缺失 rows (meta.missing = "zero")
LEVELS = ("好", "一般", "差")


@dataclass(frozen=True)
class LeafSpec:
    """One generated indicator: id, method, points, params and applicable groups."""

    id: str
    method: str
    points: float
    params: dict
    groups: tuple[str, ...] | None  # None = every group


def _params(method: str, k: int) -> dict:
    if method == "checklist":
        return {
            "parts": [
                {"id": "a", "name": "公开政策文件", "share": 0.4},
                {"id": "b", "name": "发布解读材料", "share": 0.3},
                {"id": "c", "name": "回应社会关切", "share": 0.3},
            ]
        }
    if method == "levels":
        return {
            "levels": [
                {"name": "好", "share": 1.0},
                {"name": "一般", "share": 0.6},
                {"name": "差", "share": 0.0},
            ]
        }
    if method == "ratio":
        if k % 3 == 0:
            return {"bands": [{"min": 0.95, "share": 1.0}, {"min": 0.8, "share": 0.6}]}
        return {"floor": 0.5, "full_at": 0.98} if k % 3 == 1 else {}
    if method == "count":
        return {"target": 4} if k % 3 else {"per": 0.2}
    if method == "deduction":
        return {"per": 0.1} if k % 2 else {"per": 0.25, "floor": True}
    if method == "timeliness":
        return (
            {"limit": 15, "mode": "ratio"} if k % 2 else {"limit": 5, "mode": "deduct", "per": 0.1}
        )
    return {}


def leaf_specs(n_domains: int = N_DOMAINS) -> list[list[LeafSpec]]:
    """The indicators, as a list per domain (一级指标): 19 per domain plus the ten
    zero-point ones (200 with the default ten domains)."""
    rng = np.random.default_rng(20231)
    methods = list(SCORE_METHODS)
    rng.shuffle(methods)
    domains: list[list[LeafSpec]] = []
    k = 0
    for d in range(n_domains):
        leaves = []
        for i in range(LEAVES_PER_DOMAIN):
            method = methods[k % len(methods)]
            points = 1.0 if i == 0 else 0.5
            # a few indicators apply to one kind of unit only (分类考核)
            groups = ("county", "town") if k % 19 == 7 else ("dept",) if k % 31 == 5 else None
            leaves.append(LeafSpec(f"D{d + 1}.{i + 1}", method, points, _params(method, k), groups))
            k += 1
        domains.append(leaves)
    for i, (method, params) in enumerate(SPECIAL):
        domains[i % n_domains].append(LeafSpec(f"X{i + 1}", method, 0.0, params, None))
    return domains


def rubric_dict(n_domains: int = N_DOMAINS) -> dict:
    """The rubric as a parsed-TOML mapping (for :func:`zwgk_score.parse_rubric`).

    Each domain is worth 10 points, so the full score is ``10 × n_domains``
    (100 by default) and the grade bands scale with it.
    """
    domains = []
    full = 10.0 * n_domains
    for d, leaves in enumerate(leaf_specs(n_domains)):
        cats: list[list[LeafSpec]] = [[], [], []]
        for i, leaf in enumerate(leaves):
            cats[i % 3].append(leaf)
        indicators = []
        for c, members in enumerate(cats):
            nodes = []
            for leaf in members:
                node = {
                    "id": leaf.id,
                    "name": f"指标{leaf.id}",
                    "points": leaf.points,
                    "method": leaf.method,
                    "criteria": f"按{leaf.method}方法评分",
                }
                if leaf.params:
                    node["params"] = leaf.params
                if leaf.groups:
                    node["groups"] = list(leaf.groups)
                nodes.append(node)
            scored = sum(x.points for x in members)
            indicators.append(
                {
                    "id": f"D{d + 1}-C{c + 1}",
                    "name": f"二级指标{d + 1}-{c + 1}",
                    "points": scored,
                    "indicators": nodes,
                }
            )
        domains.append(
            {
                "id": f"D{d + 1}",
                "name": f"一级指标{d + 1}",
                "points": 10.0,
                "indicators": indicators,
            }
        )
    return {
        "meta": {
            "id": "bench-province",
            "title": "合成省级政务公开第三方评估",
            "issuer": "基准测试",
            "year": 2024,
            "performance_share": 5.0,
            "missing": "zero",
            "precision": 2,
            "tie_break": ["D1", "D2"],
            "bonus_cap": 3,
            "full_score": full,
        },
        "grades": [
            {"name": "优秀", "min": 0.9 * full},
            {"name": "良好", "min": 0.8 * full},
            {"name": "合格", "min": 0.6 * full},
            {"name": "不合格", "min": 0},
        ],
        "groups": [{"id": g, "name": name} for g, (name, _) in GROUPS.items()],
        "domains": domains,
    }


def roster(n_units: int, seed: int = 1) -> pd.DataFrame:
    """``n_units`` units with groups drawn by :data:`GROUPS` shares."""
    rng = np.random.default_rng(seed)
    ids = list(GROUPS)
    p = np.array([share for _, share in GROUPS.values()])
    groups = np.array(ids, dtype=object)[rng.choice(len(ids), size=n_units, p=p)]
    units = np.array([f"单位{i:06d}" for i in range(n_units)], dtype=object)
    return pd.DataFrame({"unit": units, "group": groups})


def _event_rows(rng: np.random.Generator, method: str, params: dict, n: int):
    """(rows per unit, values, evidence-needed) for one event indicator over ``n`` units."""
    if method == "count":
        k = rng.integers(1, 4, n)  # at least one row
        return k, lambda m: rng.integers(0, 4, m).astype(float)
    if method == "deduction":
        k = rng.choice(4, n, p=[0.6, 0.25, 0.1, 0.05])
        return k, lambda m: np.ones(m)
    if method == "timeliness":  # hotline / message items: working days taken
        k = rng.poisson(5, n)
        return k, lambda m: rng.integers(0, 25, m).astype(float)
    if method == "bonus":
        k = (rng.random(n) < 0.05).astype(np.int64)
        return k, lambda m: np.ones(m) if params.get("per") else rng.integers(1, 3, m).astype(float)
    if method == "major_deduction":
        k = (rng.random(n) < 0.01).astype(np.int64)
        return k, lambda m: np.ones(m)
    k = (rng.random(n) < 0.002).astype(np.int64)  # veto
    return k, lambda m: np.ones(m)


_EVIDENCE = {
    "deduction": "抽查发现栏目更新不及时",
    "timeliness": "12345 热线工单",
    "bonus": "获省级政务公开表彰（文件附后）",
    "major_deduction": "发生政务公开重大失误",
    "veto": "发生泄密事件",
}


#: status texts (one shared object each: ten million rows hold pointers, not copies)
_STATUS = np.array(["ok", "na", "missing"], dtype=object)


def _same(m: int, value: str) -> np.ndarray:
    """``m`` references to the one string ``value`` (``np.full`` would copy it ``m`` times)."""
    out = np.empty(m, dtype=object)
    out.fill(value)
    return out


def evidence(ro: pd.DataFrame, seed: int = 2, n_domains: int = N_DOMAINS) -> pd.DataFrame:
    """The long evidence table for roster ``ro`` (unit, key, value, text, status, evidence, source)."""
    rng = np.random.default_rng(seed)
    n_units = len(ro)
    unit_names = ro["unit"].to_numpy(dtype=object)
    group = ro["group"].to_numpy(dtype=object)
    parts_vocab = np.array(["a;b;c", "a;b", "a;c", "b;c", "a", "b", "c", ""], dtype=object)
    parts_p = [0.55, 0.1, 0.1, 0.08, 0.05, 0.04, 0.03, 0.05]
    chunks: dict[str, list[np.ndarray]] = {
        c: [] for c in ("u", "key", "value", "text", "status", "evidence", "source")
    }

    def add(u, key, value, text, status, ev):
        m = len(u)
        chunks["u"].append(u)
        chunks["key"].append(_same(m, key))
        chunks["value"].append(value)
        chunks["text"].append(text)
        chunks["status"].append(status)
        chunks["evidence"].append(ev)
        chunks["source"].append(_same(m, f"{key}.xlsx"))

    empty = ""
    for leaves in leaf_specs(n_domains):
        for leaf in leaves:
            applies = (
                np.ones(n_units, dtype=bool) if leaf.groups is None else np.isin(group, leaf.groups)
            )
            u_in = np.nonzero(applies)[0]
            if leaf.method in (
                "bonus",
                "major_deduction",
                "veto",
                "count",
                "deduction",
                "timeliness",
            ):
                k, draw = _event_rows(rng, leaf.method, leaf.params, len(u_in))
                u = np.repeat(u_in, k)
                m = len(u)
                if leaf.method in ("deduction", "timeliness"):  # some declared 不适用
                    na_u = u_in[(rng.random(len(u_in)) < NA_SHARE) & (k == 0)]
                    add(
                        na_u,
                        leaf.id,
                        np.full(len(na_u), np.nan),
                        _same(len(na_u), empty),
                        _same(len(na_u), "na"),
                        _same(len(na_u), empty),
                    )
                ev = _same(m, _EVIDENCE.get(leaf.method, empty))
                add(
                    u,
                    leaf.id,
                    draw(m),
                    _same(m, empty),
                    _same(m, "ok"),
                    ev,
                )
                continue
            m = len(u_in)
            r = rng.random(m)
            status = _STATUS[
                np.where(r < NA_SHARE, 1, np.where(r < NA_SHARE + MISSING_SHARE, 2, 0))
            ]
            ok = status == "ok"
            value = np.full(m, np.nan)
            text = _same(m, empty)
            if leaf.method == "binary":
                value[ok] = (rng.random(ok.sum()) < 0.85).astype(float)
            elif leaf.method == "checklist":
                text[ok] = parts_vocab[rng.choice(len(parts_vocab), ok.sum(), p=parts_p)]
            elif leaf.method == "levels":
                text[ok] = np.array(LEVELS, dtype=object)[
                    rng.choice(3, ok.sum(), p=[0.7, 0.2, 0.1])
                ]
            elif leaf.method == "ratio":
                value[ok] = np.round(rng.beta(8, 1, ok.sum()), 4)
            elif leaf.method == "manual":
                value[ok] = np.round(rng.random(ok.sum()) * leaf.points * 10) / 10
            add(u_in, leaf.id, value, text, status, _same(m, empty))
    u = np.concatenate(chunks["u"])
    return pd.DataFrame(
        {
            "unit": unit_names[u],
            "key": np.concatenate(chunks["key"]),
            "value": np.concatenate(chunks["value"]),
            "text": np.concatenate(chunks["text"]),
            "status": np.concatenate(chunks["status"]),
            "evidence": np.concatenate(chunks["evidence"]),
            "source": np.concatenate(chunks["source"]),
        }
    )


def values_matrix(
    n_units: int, n_leaves: int = 200, seed: int = 3
) -> tuple[np.ndarray, np.ndarray]:
    """A dense (units × indicators) array of shares in [0, 1] and the points per indicator."""
    rng = np.random.default_rng(seed)
    return rng.random((n_units, n_leaves)), np.full(n_leaves, 0.5)
