"""The Method contract: one hook signature, a declared input kind, typed roles.

A text-valued method registered by a plugin goes through the engine like the
built-in ``levels`` (the engine dispatches on ``kind``, not on method names).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from zwgk_score import parse_rubric, score
from zwgk_score.engine.dense import score_dense
from zwgk_score.errors import DataError
from zwgk_score.methods import BUILTIN_METHODS
from zwgk_score.methods.base import InputKind, Method, Role
from zwgk_score.plugins import PluginHost

# a region rule that reads the reviewer's 是 / 否 / 部分 answer from the text column
TEXT_PLUGIN = """
import attrs
import numpy as np

from zwgk_score.hookspecs import hookimpl
from zwgk_score.methods.base import Cell, InputKind, LeafData, Method


@attrs.define
class AnswerParams:
    partial: float = 0.5


class Answer(Method[AnswerParams]):
    name = "answer"
    title = "是否落实（文字）"
    params_type = AnswerParams
    kind = InputKind.CHOICE

    def check(self, params, points):
        return [] if 0 <= params.partial <= 1 else [("partial", "partial 应在 0 到 1 之间")]

    def check_value(self, params, points, values, texts):
        bad = [t for t in texts if t not in ("是", "否", "部分")]
        return f"应填 是 / 否 / 部分，实际为「{bad[0]}」" if bad else None

    def score(self, params, points, d: LeafData):
        share = np.where(d.text == "是", 1.0, np.where(d.text == "部分", params.partial, 0.0))
        return points * share

    def describe(self, params, points, cell: Cell):
        return "" if cell.score >= points else f"评审意见：{cell.text}"


@hookimpl
def register_methods(register):
    register(Answer())
"""


def _raw():
    return {
        "meta": {
            "id": "m",
            "title": "t",
            "issuer": "i",
            "year": 2023,
            "performance_share": 4,
            "full_score": 10,
        },
        "grades": [{"name": "合格", "min": 60}, {"name": "不合格", "min": 0}],
        "groups": [{"id": "g", "name": "G"}],
        "domains": [
            {
                "id": "D",
                "name": "d",
                "points": 10,
                "indicators": [
                    {
                        "id": "x",
                        "name": "专栏建设",
                        "points": 10,
                        "method": "answer",
                        "params": {"partial": 0.4},
                    }
                ],
            }
        ],
    }


def _rubric(methods):
    return parse_rubric(_raw(), methods=methods)


@pytest.fixture
def methods(tmp_path):
    d = tmp_path / "plugs"
    d.mkdir()
    (d / "answer_plugin.py").write_text(TEXT_PLUGIN, encoding="utf-8")
    return PluginHost(d, entry_points_enabled=False).methods()


ROSTER = pd.DataFrame({"unit": ["a", "b", "c"], "group": ["g", "g", "g"]})


def test_plugin_text_method_scores_from_text_with_empty_value(methods):
    rubric = _rubric(methods)
    # the value column is empty: a text-valued method needs only the text
    data = pd.DataFrame(
        {
            "unit": ["a", "b", "c"],
            "key": ["x"] * 3,
            "value": [None] * 3,
            "text": ["是", "部分", "否"],
        }
    )
    res = score(rubric, data, ROSTER, methods=methods)
    # 是 → 10 × 1 = 10; 部分 → 10 × 0.4 = 4; 否 → 10 × 0 = 0
    assert res.summary["total"].tolist() == [10.0, 4.0, 0.0]
    reasons = res.items().set_index("unit")["reason"]
    assert reasons["b"] == "评审意见：部分"
    assert reasons["a"] == ""


def test_plugin_text_method_bad_text_names_the_text_column(methods):
    rubric = _rubric(methods)
    data = pd.DataFrame({"unit": ["a", "b"], "key": ["x", "x"], "text": ["是", "大概"]})
    with pytest.raises(DataError) as e:
        score(rubric, data, ROSTER.iloc[:2], methods=methods)
    assert "应填 是 / 否 / 部分，实际为「大概」" in str(e.value)
    assert e.value.path == "第 3 行，列 text"  # header = row 1, so the 2nd data row is row 3


def test_plugin_text_method_in_dense_input(methods):
    rubric = _rubric(methods)
    texts = {"x": np.array(["否", "是", None], dtype=object)}
    # no text for c = no data: meta.missing defaults to "error"
    with pytest.raises(DataError, match="缺少指标「专栏建设」"):
        score_dense(rubric, ROSTER, {}, texts=texts, methods=methods)
    texts = {"x": np.array(["否", "是", "部分"], dtype=object)}
    res = score_dense(rubric, ROSTER, {}, texts=texts, methods=methods)
    assert res.summary["total"].tolist() == [0.0, 10.0, 4.0]  # 0, 10 × 1, 10 × 0.4


def test_numeric_plugin_method_still_rejects_an_empty_value(methods):
    from zwgk_score.methods.builtin import NoParams

    class Pass60(Method[NoParams]):  # kind defaults to NUMBER, role to SCORE
        name = "answer"  # replaces the plugin's method of that name
        title = "六十分及格"
        params_type = NoParams

        def score(self, params, points, d):
            return np.where(d.value >= 60, points, 0.0)

    numeric = {**methods, "answer": Pass60()}
    rubric = parse_rubric(
        {
            **_raw(),
            "domains": [
                {
                    **_raw()["domains"][0],
                    "indicators": [
                        {"id": "x", "name": "专栏建设", "points": 10, "method": "answer"}
                    ],
                }
            ],
        },
        methods=numeric,
    )
    assert rubric.leaves[0].rule.kind is InputKind.NUMBER
    data = pd.DataFrame({"unit": ["a"], "key": ["x"], "text": ["是"]})
    with pytest.raises(DataError, match="value 为空或不是数字"):
        score(rubric, data, ROSTER.iloc[:1], methods=numeric)
    data = pd.DataFrame({"unit": ["a"], "key": ["x"], "value": [75]})
    assert score(rubric, data, ROSTER.iloc[:1], methods=numeric).summary["total"][0] == 10.0


def test_every_builtin_declares_kind_and_typed_role():
    kinds = {m.name: m.kind for m in BUILTIN_METHODS}
    assert kinds["checklist"] is InputKind.ITEMS
    assert kinds["levels"] is InputKind.CHOICE
    assert kinds["count"] is InputKind.EVENTS and kinds["binary"] is InputKind.NUMBER
    for m in BUILTIN_METHODS:
        assert isinstance(m.role, Role)
        assert isinstance(m(), Method)  # the protocol is runtime-checkable
    assert not isinstance("not a method", Method)
    # roles compare equal to the plain strings of the items table, and print as them
    assert Role.BONUS == "bonus" and f"{Role.BONUS}" == "bonus" and str(Role.VETO) == "veto"


def test_leaf_carries_its_typed_method(methods):
    rubric = _rubric(methods)
    leaf = rubric.leaves[0]
    assert leaf.method == "answer" and leaf.rule is methods["answer"]
    with pytest.raises(TypeError):
        rubric.domains[0].rule  # noqa: B018 - a category has no method
