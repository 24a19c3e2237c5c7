"""Every ```toml example of docs/rubric.md loads with ``parse_rubric``.

A block is a whole rubric unless the line before it is ``<!-- fragment -->``.
A fragment is merged into a minimal rubric (``BASE``: [meta], three grades,
groups ``county`` and ``dept``, one 100-point domain):

* a ``[meta]`` table in the fragment updates BASE's meta key by key;
* any other top-level table of the fragment (``domains``, ``groups``,
  ``grades``, ``combine``, …) replaces BASE's;
* ``meta.full_score`` becomes the sum of the domains' points unless the
  fragment sets it.

Besides loading, a few examples are scored to check the numbers the text
quotes next to them.
"""

from __future__ import annotations

import copy
import re
import sys
from pathlib import Path
from typing import Any

import attrs
import pandas as pd
import pytest

from zwgk_score import parse_rubric, score
from zwgk_score.errors import RubricError
from zwgk_score.methods import BUILTIN_METHODS
from zwgk_score.results import Results
from zwgk_score.rubric.raw import (
    RawCombinePart,
    RawGrade,
    RawGroup,
    RawMeta,
    RawNode,
    RawNotScored,
    RawRubric,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DOC = Path(__file__).resolve().parents[1] / "docs" / "rubric.md"
BLOCK = re.compile(r"(<!-- fragment -->\s*\n)?```toml\n(.*?)```", re.S)

BASE: dict[str, Any] = {
    "meta": {
        "id": "doc",
        "title": "文档示例",
        "issuer": "某市人民政府办公室",
        "year": 2023,
        "performance_share": 5,
    },
    "grades": [
        {"name": "优秀", "min": 90},
        {"name": "合格", "min": 60},
        {"name": "不合格", "min": 0},
    ],
    "groups": [{"id": "county", "name": "县区政府"}, {"id": "dept", "name": "市直部门"}],
    "domains": [
        {
            "id": "D0",
            "name": "其他",
            "points": 100,
            "indicators": [{"id": "D0.1", "name": "其他", "points": 100, "method": "manual"}],
        }
    ],
}


def examples() -> list[tuple[int, bool, str]]:
    """(line number, is fragment, text) of every toml block in the document."""
    text = DOC.read_text(encoding="utf-8")
    return [
        (text.count("\n", 0, m.start(2)) + 1, bool(m.group(1)), m.group(2))
        for m in BLOCK.finditer(text)
    ]


def compose(fragment: dict[str, Any]) -> dict[str, Any]:
    """A full rubric from BASE and a fragment (rules in the module docstring)."""
    out = copy.deepcopy(BASE)
    for key, value in fragment.items():
        if key == "meta":
            out["meta"].update(value)
        else:
            out[key] = value
    if "full_score" not in fragment.get("meta", {}):
        out["meta"]["full_score"] = round(sum(d.get("points", 0) for d in out["domains"]), 9)
    return out


def load(line: int, fragment: bool, text: str):
    data = tomllib.loads(text)
    return parse_rubric(compose(data) if fragment else data, file=f"{DOC.name}:{line}")


def test_document_has_full_and_fragment_examples():
    kinds = [fragment for _, fragment, _ in examples()]
    assert kinds.count(False) >= 2 and kinds.count(True) >= 10


@pytest.mark.parametrize(
    ("line", "fragment", "text"), examples(), ids=lambda v: f"L{v}" if isinstance(v, int) else ""
)
def test_example_loads(line, fragment, text):
    rubric = load(line, fragment, text)
    assert rubric.leaves


def example_with(indicator_id: str):
    """The rubric of the (first) example that defines ``indicator_id``."""
    for line, fragment, text in examples():
        if f'id = "{indicator_id}"' in text:
            return load(line, fragment, text)
    raise AssertionError(indicator_id)


def scores(rubric, rows: list[dict[str, Any]], units: dict[str, str]) -> pd.DataFrame:
    data = pd.DataFrame(rows, columns=["unit", "key", "value", "text", "status", "evidence"])
    roster = pd.DataFrame({"unit": list(units), "group": list(units.values())})
    return score(rubric, data, roster)


def test_full_example_scores_as_documented():
    r = example_with("D1.4")
    res = scores(
        r,
        [
            {"unit": "某县", "key": "D1.1", "value": 1, "evidence": "政策文件栏目6个月未更新"},
            {"unit": "某县", "key": "D1.2", "text": "visible"},
            {"unit": "某县", "key": "D1.3", "value": 3},
            {"unit": "某县", "key": "D1.3", "value": 7},
            {"unit": "某县", "key": "D2.1", "text": "好"},
            {"unit": "某局", "key": "D1.2", "text": "visible;link"},
            {"unit": "某局", "key": "D1.4", "value": 1, "evidence": "网站连续8天无法访问"},
            {"unit": "某局", "key": "X.1", "value": 1, "evidence": "市政府表扬"},
        ],
        {"某县": "county", "某局": "dept"},
    )
    s = res.summary.set_index("unit")
    # 某县: 15 + 5 + 30 × 1/2 + 40 = 75 → 良好 is 80, so 合格
    assert (s.loc["某县", "total"], s.loc["某县", "grade"]) == (75.0, "合格")
    # 某局 (dept, D2 not applicable): 20 + 10 + 30 = 60 of 60 → 100, + 3 bonus = 103 → veto cap 59
    assert (s.loc["某局", "base"], s.loc["某局", "bonus"], s.loc["某局", "total"]) == (
        100.0,
        3.0,
        59.0,
    )
    assert s.loc["某局", "grade"] == "不合格"


def test_level_one_ceiling_example():
    # the text: 5 problems → D1.1.1 = 5 − 15 = −10, D1.1 = −10, D1 = max(−10 + 5, 0) = 0
    r = example_with("D1.1.1")
    rows = [
        {"unit": "某局", "key": "D1.1.1", "value": 5},
        {"unit": "某局", "key": "D1.2", "value": 1},
    ]
    res = scores(r, rows, {"某局": "dept"})
    assert res.node_score("某局", "D1.1") == (-10.0, 5.0)
    assert res.domain_scores().loc["某局", "D1"] == 0.0


def test_ratio_example():
    # the text: 99.87 % on a 5-point item → 4.9935 → 4.99
    r = example_with("reply-rate")
    res = scores(r, [{"unit": "某局", "key": "reply-rate", "value": 0.9987}], {"某局": "dept"})
    items = res.items().set_index("indicator")["score"]
    assert items["reply-rate"] == 4.99
    assert items["reply-rate-banded"] == 5.0


def test_count_example():
    # the text: 6 of 8 attendances → 7.5; 4 channels × 2 → capped 6
    r = example_with("channels")
    res = scores(
        r,
        [
            {"unit": "某局", "key": "attend", "value": 6},
            {"unit": "某局", "key": "channels", "value": 4},
        ],
        {"某局": "dept"},
    )
    items = res.items().set_index("indicator")["score"]
    assert (items["attend"], items["channels"]) == (7.5, 6.0)


def test_every_key_and_method_is_documented():
    text = DOC.read_text(encoding="utf-8")
    for cls in (RawRubric, RawMeta, RawGrade, RawGroup, RawNode, RawCombinePart, RawNotScored):
        for field in attrs.fields(cls):
            assert f"`{field.name}`" in text or f"[{field.name}]" in text, (
                cls.__name__,
                field.name,
            )
    for method in BUILTIN_METHODS:
        assert f"### {method.name} " in text, method.name
        for field in attrs.fields(method.params_type):
            assert f"`{field.name}`" in text, (method.name, field.name)


def test_error_example_is_the_real_message():
    # the document's example: the third domain is worth 35 but its items add up to 40
    (documented,) = re.findall(
        r"## 出错时.*?```text\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S
    )
    rubric = compose(
        {
            "domains": [
                {
                    "id": f"D{i}",
                    "name": f"指标{i}",
                    "points": p,
                    "indicators": [
                        {
                            "id": f"D{i}.1",
                            "name": "子项",
                            "points": 40 if i == 3 else p,
                            "method": "manual",
                        }
                    ],
                }
                for i, p in ((1, 30), (2, 35), (3, 35))
            ]
        }
    )
    with pytest.raises(RubricError) as e:
        parse_rubric(rubric, file="细则.toml")
    assert str(e.value) == documented.rstrip("\n")


def test_glossary_names_every_method_and_real_results_api():
    text = (DOC.parent / "glossary.md").read_text(encoding="utf-8")
    for method in BUILTIN_METHODS:
        assert f"`{method.name}`" in text, method.name
    for call in re.findall(r"`(\w+)\([^`]*\)`", text):
        assert hasattr(Results, call), call
