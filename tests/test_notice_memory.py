"""The notice's content selects the few item and evidence rows it names (issue 17, 4 万单位).

``common_problems``, ``vetoed_units`` and ``major_deductions`` no longer copy every
lost item (``lost_items``) and the vetoes' evidence is read from their indicators'
rows only (``cells_evidence``); the oracles below are the previous pandas code.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from zwgk_score import score
from zwgk_score.methods.base import ROLE_SCORE, fmt
from zwgk_score.outputs import notice
from zwgk_score.outputs.attachments import short_reason
from zwgk_score.outputs.tables import evidence_by_cell, lost_items

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import synth  # noqa: E402


@pytest.fixture(scope="module")
def results():
    from zwgk_score import parse_rubric

    roster = synth.roster(150)
    return score(parse_rubric(synth.rubric_dict()), synth.evidence(roster), roster)


def old_common_problems(results, top):
    rows = lost_items(results)
    rows = rows[
        (rows["role"] == ROLE_SCORE) & (rows["lost"] > 0) & ~rows["status"].str.startswith("缺失")
    ]
    order = {leaf.id: i for i, leaf in enumerate(results.leaves)}
    domains = {d.id: d.name for d in results.rubric.domains}
    prec = results.rubric.meta.precision
    out = []
    for ind, g in rows.groupby("indicator", sort=False, observed=True):
        worst = g.sort_values("lost", ascending=False, kind="stable").iloc[0]
        units = list(g["unit"])
        out.append(
            {
                "indicator": ind,
                "name": g["name"].iloc[0],
                "domain": domains[g["domain"].iloc[0]],
                "count": len(g),
                "units": units,
                "units_text": notice.units_text(units, 3),
                "lost": fmt(round(float(g["lost"].sum()), prec)),
                "example": {
                    "unit": worst["unit"],
                    "reason": short_reason(str(worst["reason"]), 30),
                },
                "_lost": float(g["lost"].sum()),
            }
        )
    out.sort(key=lambda p: (-p["count"], -p["_lost"], order[p["indicator"]]))
    for p in out:
        del p["_lost"]
    return out[:top]


@pytest.mark.parametrize("top", [0, 1, 6, 500])
def test_common_problems_equal_the_pandas_grouping(results, top):
    assert notice.common_problems(results, top) == old_common_problems(results, top)


def test_vetoes_and_major_deductions_are_the_lost_items_of_their_roles(results):
    items = lost_items(results)
    vetoed = items[(items["role"] == "veto") & (items["score"] != 0)]
    major = items[(items["role"] == "major") & (items["score"] != 0)]
    assert len(vetoed) and len(major)  # the synthetic assessment has both
    assert [v["unit"] for v in notice.vetoed_units(results)] == list(dict.fromkeys(vetoed["unit"]))
    assert [(m["unit"], m["name"]) for m in notice.major_deductions(results)] == list(
        zip(major["unit"], major["name"], strict=True)
    )


def test_cells_evidence_equals_evidence_by_cell(results):
    everything = evidence_by_cell(results, with_source=False)
    cells = sorted(everything)[::7] + [("单位000000", results.leaves[0].id)]
    want = evidence_by_cell(results, with_source=False, cells=cells)
    assert want  # some cells have evidence
    assert notice.cells_evidence(results, cells) == want
    assert notice.cells_evidence(results, []) == {}
