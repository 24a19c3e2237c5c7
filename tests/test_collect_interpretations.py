"""Collector ``interpretations`` (政策解读, 三同步), limit 3 working days.

Fixture tests/fixtures/collect/interpretations.csv, period 2023, inspection 2023-12-31:

- 发改〔2023〕1号 published Thu 04-27, interpreted Sat 05-06: Apr 28 (1), 29 Apr–3 May off,
  May 4 (2), May 5 (3), May 6 make-up Saturday (4) → 4 > 3, late.
- 发改〔2023〕2号 Wed 06-21 → Mon 06-26: 22–24 Jun off, Sun 25 Jun make-up (1), 26 (2) → 2.
- 教〔2023〕5号 interpreted 03-01, before the policy 03-03 → 0.
- 教〔2023〕6号 Wed 12-20, no interpretation: 21, 22, 25–29 Dec → 7 > 3, missing.
- 民〔2023〕9号 Tue 12-26, none: 27, 28, 29 Dec → 3, not yet missing.
- 民〔2023〕8号 marked 需解读 = 否: not assessed.
"""

from __future__ import annotations

import pytest
from test_collect_tables import make_ctx, write_csv

from zwgk_score.collect.interpretations import InterpretationsCollector
from zwgk_score.errors import ConfigError, DataError


@pytest.fixture
def rows():
    return InterpretationsCollector().collect(
        {"file": "interpretations.csv", "limit": 3}, make_ctx()
    )


def test_timeliness(rows):
    t = rows[rows["key"] == "interpretation_timeliness"]
    assert t["value"].tolist() == [4, 2, 0, 7, 3]
    assert t["text"].tolist() == ["", "", "", "未解读", "未解读"]
    assert t["evidence"].iat[0] == (
        "政策 发改〔2023〕1号「关于A的通知」：2023-04-27 发布，2023-05-06 发布解读，用时 4 个工作日（时限 3 个工作日）"
    )
    assert t["evidence"].iat[2].startswith("政策 教〔2023〕5号：")  # no title
    assert "民〔2023〕8号" not in "".join(rows["evidence"])


def test_missing_and_late(rows):
    missing = rows[rows["key"] == "interpretation_missing"]
    late = rows[rows["key"] == "interpretation_late"]
    assert missing["source"].tolist() == ["interpretations.csv:5"]  # 教〔2023〕6号
    assert "截至 2023-12-31 未发布解读，已 7 个工作日" in missing["evidence"].iat[0]
    assert late["source"].tolist() == ["interpretations.csv:2"]  # 发改〔2023〕1号
    assert late["unit"].tolist() == ["市发改委"]


def test_two_files_earliest_interpretation_counts():
    settings = {
        "keys": {"timeliness": "T", "missing": "M"},
        "policies": {
            "file": "policies.csv",
            "columns": {"unit": "发文单位", "published": "印发日期"},
        },
        "interpretations": {"file": "interpretation_list.csv", "columns": {"policy": "政策文号"}},
    }
    rows = InterpretationsCollector().collect(settings, make_ctx())
    # 1号: the earliest of 05-08 and 05-06 is used → 4 (as above); 2号 → 2; 6号 none → 7.
    assert rows[rows["key"] == "T"]["value"].tolist() == [4, 2, 7]
    assert rows[rows["key"] == "M"]["source"].tolist() == ["policies.csv:4"]


def test_interpretation_of_unknown_policy(tmp_path):
    write_csv(tmp_path / "p.csv", "单位,文号,发布日期\n市发改委,X1,2023-03-01")
    write_csv(tmp_path / "i.csv", "文号,发布日期\nX1,2023-03-02\nX2,2023-03-02")
    settings = {"policies": {"file": "p.csv"}, "interpretations": {"file": "i.csv"}}
    with pytest.raises(DataError) as err:
        InterpretationsCollector().collect(settings, make_ctx(tmp_path))
    assert err.value.path == "第 3 行，列 文号"
    assert "X2" in err.value.message and err.value.file.endswith("i.csv")


def test_config_errors():
    with pytest.raises(ConfigError) as err:
        InterpretationsCollector().collect({"policies": {"file": "policies.csv"}}, make_ctx())
    assert err.value.path == "collectors.interpretations.interpretations"
    with pytest.raises(ConfigError) as err:
        settings = {
            "policies": {"file": "policies.csv", "colums": {}},
            "interpretations": {"file": "x.csv"},
        }
        InterpretationsCollector().collect(settings, make_ctx())
    assert err.value.path == "collectors.interpretations.policies.colums"
