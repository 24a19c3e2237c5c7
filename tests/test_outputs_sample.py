"""Sample assessment shared by the output tests (and checks of the sample itself).

Two groups: 县区政府 (甲县, 乙县, ``=1+1``) and 市直部门 (``../x``, 丁局).
The hostile names check that unit names never become formulas or paths.
"""

from __future__ import annotations

import pandas as pd

from zwgk_score import score
from zwgk_score.rubric import parse_rubric

RUBRIC = {
    "meta": {
        "id": "t",
        "title": "2023年度政务公开工作考核",
        "issuer": "某市人民政府办公室",
        "year": 2023,
        "performance_share": 5,
        "missing": "zero",
    },
    "grades": [
        {"name": "优秀", "min": 90},
        {"name": "良好", "min": 75},
        {"name": "合格", "min": 60},
        {"name": "不合格", "min": 0},
    ],
    "groups": [{"id": "a", "name": "县区政府"}, {"id": "b", "name": "市直部门"}],
    "domains": [
        {
            "id": "D1",
            "name": "网站建设",
            "points": 60,
            "indicators": [
                {
                    "id": "D1.1",
                    "name": "栏目更新",
                    "points": 40,
                    "method": "deduction",
                    "params": {"per": 5},
                    "criteria": "栏目未按时更新的，每处扣5分，扣完为止。",
                },
                {
                    "id": "D1.2",
                    "name": "网站标识",
                    "points": 20,
                    "method": "checklist",
                    "params": {
                        "parts": [
                            {"id": "badge", "name": "标识", "share": 0.5},
                            {"id": "link", "name": "链接", "share": 0.5},
                        ]
                    },
                },
            ],
        },
        {
            "id": "D2",
            "name": "依申请公开",
            "points": 40,
            "indicators": [
                {"id": "D2.1", "name": "答复时效", "points": 40, "method": "manual"},
                {
                    "id": "X1",
                    "name": "加分项",
                    "points": 0,
                    "method": "bonus",
                    "params": {"per": 1, "cap": 3},
                },
                {"id": "X2", "name": "单项否决", "points": 0, "method": "veto"},
            ],
        },
    ],
}

UNITS = ["甲县", "乙县", "=1+1", "../x", "丁局"]
GROUPS = ["a", "a", "a", "b", "b"]
COLUMNS = ["unit", "key", "value", "text", "status", "evidence", "source"]


def _rows(previous: bool) -> list[tuple]:
    return [
        ("甲县", "D1.1", 1, "", "", "", ""),
        ("甲县", "D1.2", None, "badge;link", "", "", ""),
        ("甲县", "D2.1", 20 if previous else 38, "", "", "", ""),
        ("乙县", "D1.1", 0 if previous else 2, "", "", "栏目未更新", "网站普查"),
        ("乙县", "D1.2", None, "badge", "", "", ""),
        ("乙县", "D2.1", 40 if previous else 30, "", "", "", ""),
        ("=1+1", "D1.1", 1, "", "", '=HYPERLINK("x")', ""),
        ("=1+1", "D1.2", None, "badge", "", "", ""),
        ("../x", "D1.1", 0, "", "", "", ""),
        ("../x", "D1.2", None, "badge;link", "", "", ""),
        ("../x", "D2.1", 40, "", "", "", ""),
        ("../x", "X1", 2, "", "", "市级表扬", ""),
        ("丁局", "D1.1", 1, "", "", "", ""),
        ("丁局", "D1.2", None, "badge;link", "", "", ""),
        ("丁局", "D2.1", 35, "", "", "", ""),
        ("丁局", "X2", 1, "", "", "网站无法访问", ""),
    ]


def sample_results(*, previous: bool = False, rubric: dict | None = None):
    """The current period, or (``previous=True``) a previous one where 乙县 led 甲县."""
    rows = _rows(previous)
    data = pd.DataFrame(rows, columns=COLUMNS)
    roster = pd.DataFrame({"unit": UNITS, "group": GROUPS})
    period = "2022年度" if previous else "2023年度"
    return score(parse_rubric(rubric or RUBRIC), data, roster, period=period)


def test_sample_totals():
    s = sample_results().summary.set_index("unit")
    # 甲县 35 + 20 + 38 = 93; 乙县 (40−10) + 10 + 30 = 70; =1+1 35 + 10 + 0 (缺失计0) = 45
    # ../x 40 + 20 + 40 + 2 bonus = 102; 丁局 35 + 20 + 35 = 90 but vetoed → 不合格
    assert s["total"].to_dict() == {"甲县": 93, "乙县": 70, "=1+1": 45, "../x": 102, "丁局": 90}
    assert s["grade"].to_dict() == {
        "甲县": "优秀",
        "乙县": "合格",
        "=1+1": "不合格",
        "../x": "优秀",
        "丁局": "不合格",
    }
    assert s.at["=1+1", "missing"] == 1


def test_previous_sample_ranks():
    p = sample_results(previous=True).summary.set_index("unit")
    # 乙县 40 + 10 + 40 = 90; 甲县 35 + 20 + 20 = 75 → 乙县 first, 甲县 second
    assert p.at["乙县", "total"] == 90 and p.at["甲县", "total"] == 75
    assert p.at["乙县", "rank"] == 1 and p.at["甲县", "rank"] == 2
