"""The Results API (考核结果) and docs/results.md, whose example is executed here.

The python blocks of docs/results.md run in order in one namespace; the
```text block must equal ``explain("教育局")`` and the ```json block must equal
``to_dict()`` of the same example, so the documented schema cannot drift.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from test_rubric_build import domain, leaf, make_rubric, run

DOC = Path(__file__).resolve().parents[1] / "docs" / "results.md"


def blocks(lang: str) -> list[str]:
    text = DOC.read_text(encoding="utf-8")
    return [
        m.group(2) for m in re.finditer(r"```(\w+)\n(.*?)```", text, re.S) if m.group(1) == lang
    ]


@pytest.fixture(scope="module")
def doc_example(tmp_path_factory):
    cwd = tmp_path_factory.mktemp("results_doc")
    ns: dict = {"__name__": "docs_results"}
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(cwd)
        for i, code in enumerate(blocks("python")):
            exec(compile(code, f"results.md#python{i + 1}", "exec"), ns)  # noqa: S102 - our own docs
    return ns, cwd


def test_doc_json_is_the_exact_export(doc_example):
    ns, cwd = doc_example
    (documented,) = blocks("json")
    assert json.loads(documented) == ns["exported"]
    # to_json("results.json") wrote the same data
    written = json.loads((cwd / "results.json").read_text(encoding="utf-8"))
    assert written == ns["exported"]


def test_doc_explain_text_is_exact(doc_example):
    ns, _ = doc_example
    (documented,) = blocks("text")
    assert ns["results"].explain("教育局") == documented.rstrip("\n")


def test_doc_tables_list_the_real_columns(doc_example):
    ns, _ = doc_example
    res = ns["results"]
    text = DOC.read_text(encoding="utf-8")
    for column in res.summary.columns:
        assert f"`{column}`" in text, column
    for column in [*res.items().columns, *res.evidence().columns, *res.compare(res).columns]:
        assert f"`{column}`" in text, column


# -- the API on a small assessment ---------------------------------------------


@pytest.fixture(scope="module")
def res():
    groups = [{"id": "county", "name": "县区"}, {"id": "dept", "name": "部门"}]
    r = make_rubric(
        [
            domain(
                "D1",
                60,
                leaf("stale", 30, "deduction", params={"per": 5}, task="(3)"),
                leaf("rate", 30, "ratio"),
                leaf("V", 0, "veto", params={"policy": "zero"}),
            ),
            domain("D2", 40, leaf("svc", 40, "binary"), groups=["county"]),
        ],
        groups=groups,
        missing="zero",
    )
    rows = [
        {"unit": "某县", "key": "stale", "value": 2, "evidence": "两个栏目未更新"},
        {"unit": "某县", "key": "rate", "value": 0.5},
        {"unit": "某县", "key": "svc", "value": 1},
        {"unit": "某局", "key": "rate", "value": 1},
        {"unit": "另一县", "key": "rate", "value": 1},
        {"unit": "另一县", "key": "svc", "value": 1},
        {"unit": "另一县", "key": "V", "value": 1, "evidence": "网站一周无法访问"},
    ]
    return run(r, rows, {"某县": "county", "某局": "dept", "另一县": "county"})


def test_summary_and_domain_scores(res):
    s = res.summary.set_index("unit")
    # 某县: 20 + 15 + 40 = 75; 某局 (dept): 30 + 30 = 60 of 60 → 100; 另一县: 100 → veto zero → 0
    assert s["total"].to_dict() == {"某县": 75.0, "某局": 100.0, "另一县": 0.0}
    assert s.loc["另一县", "veto_policy"] == "否决（总分计0）"
    assert res.domain_scores().loc["某县"].to_dict() == {"D1": 35.0, "D2": 40.0}
    assert res.node_score("某局", "D2") == (0.0, 0.0)
    assert res.units == ["某县", "某局", "另一县"]


def test_ranking_is_per_group_and_sorted(res):
    county = res.ranking("county")
    assert list(county["unit"]) == ["某县", "另一县"]
    assert list(county["rank"]) == [1, 2]
    assert list(county.columns[-2:]) == ["D1", "D2"]
    assert list(res.ranking("dept")["unit"]) == ["某局"]


def test_items_and_deductions(res):
    items = res.items().set_index(["unit", "indicator"])
    it = items.loc[("某县", "stale")]
    assert (it["points"], it["score"], it["lost"], it["task"], it["domain"]) == (
        30,
        20.0,
        10.0,
        "(3)",
        "D1",
    )
    assert it["reason"] == "发现问题 2 处，每处扣 5 分；两个栏目未更新"
    assert items.loc[("某局", "svc"), "status"] == "不适用（类别）"
    assert items.loc[("另一县", "V"), "score"] == 1.0
    assert items.loc[("另一县", "V"), "reason"] == "触发单项否决，总分计 0 分；网站一周无法访问"
    ded = res.deductions()
    assert set(zip(ded["unit"], ded["indicator"], strict=True)) == {
        ("某县", "stale"),
        ("某县", "rate"),
    }


def test_evidence_filter_and_effect(res):
    ev = res.evidence("某县", "stale")
    assert len(ev) == 1
    assert (ev.loc[0, "row_id"], ev.loc[0, "effect"]) == (0, -10.0)  # 2 × −5
    assert set(res.evidence(indicator="rate")["unit"]) == {"某县", "某局", "另一县"}


def test_explain_walks_to_the_evidence(res):
    text = res.explain("另一县")
    assert "单项否决：否决（总分计0）" in text
    assert "V 指标V [单项否决]：触发" in text
    assert "· 证据第 8 行：数值 1，网站一周无法访问" in text
    assert "svc 指标svc [是否达标（二值）]：—" not in text
    dept = res.explain("某局")
    assert "（不适用（类别））" in dept
    assert "得分 60 ÷ 适用分值 60 × 100，已折算" in dept
    with pytest.raises(KeyError):
        res.explain("无此单位")


def test_compare_with_a_previous_period(res):
    prev = res.summary.copy()
    cmp = res.compare(res)
    assert (cmp["total_change"] == 0).all() and (cmp["rank_change"] == 0).all()
    assert list(prev.columns) == list(res.summary.columns)  # compare does not modify the summary


def test_derived_tables_are_built_once_and_handed_out_as_copies(res):
    """``compare`` and the display order are kept per record; changing a copy changes nothing."""
    from types import SimpleNamespace

    from zwgk_score.outputs.attachments import display_order

    first = res.compare(res)
    first.loc[:, "rank_change"] = 99
    assert (res.compare(res)["rank_change"] == 0).all()
    # another previous record gets its own comparison: 某县 75 → 70 points earlier (+5)
    earlier = SimpleNamespace(summary=res.summary.assign(total=res.summary["total"] - 5))
    cmp = res.compare(earlier).set_index("unit")
    assert cmp.loc["某县", "total_change"] == 5.0
    assert (res.compare(res)["total_change"] == 0).all()
    order = display_order(res, "county")
    order.loc[:, "unit"] = "改"
    assert list(display_order(res, "county")["unit"]) == ["某县", "另一县"]
    built = []
    assert res.derived("k", lambda: built.append(1) or res.summary).equals(res.summary)
    res.derived("k", lambda: built.append(1) or res.summary)
    assert built == [1]


def test_to_json_round_trip_and_no_nan(res, tmp_path):
    text = res.to_json(tmp_path / "r.json")
    assert (tmp_path / "r.json").read_text(encoding="utf-8") == text
    data = json.loads(text)  # strict JSON: no NaN
    assert data["schema"] == 1
    assert [u["unit"] for u in data["units"]] == ["某县", "某局", "另一县"]
    county = data["units"][0]
    assert county["nodes"]["D1"] == {"score": 35.0, "applicable": 60.0}
    assert [e["row"] for e in data["evidence"] if e["indicator"] == "stale"] == [2]
    assert "NaN" not in text


def test_node_scores_in_json_are_rounded():
    # the 1.2-point table with only the 0.2, 0.08 and 0.16 items met: 0.2 + 0.08 + 0.16 is
    # 0.44000000000000006 in floating point; the export shows 0.44
    shares = [0.2, 0.24, 0.08, 0.08, 0.2, 0.08, 0.16, 0.16]
    kids = [leaf(f"D1.{i + 1}", p, "binary") for i, p in enumerate(shares)]
    r = make_rubric([domain("D1", 1.2, *kids), domain("D2", 98.8, leaf("D2.1", 98.8, "binary"))])
    met = [0, 0, 0, 0, 1, 1, 0, 1]
    rows = [{"unit": "甲", "key": f"D1.{i + 1}", "value": v} for i, v in enumerate(met)]
    res = run(r, [*rows, {"unit": "甲", "key": "D2.1", "value": 1}], ["甲"])
    raw, _ = res.node_score("甲", "D1")
    assert raw == pytest.approx(0.44) and raw != 0.44
    assert res.to_dict()["units"][0]["nodes"]["D1"]["score"] == 0.44
