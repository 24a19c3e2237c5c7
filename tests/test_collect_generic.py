"""Collector ``table`` (通用表格) on tests/fixtures/collect/reviewer.csv."""

from __future__ import annotations

import pandas as pd
import pytest
from test_collect_tables import make_ctx, write_csv, write_xlsx

from zwgk_score.collect.generic import TableCollector
from zwgk_score.errors import ConfigError, DataError


@pytest.fixture
def rows():
    return TableCollector().collect({"file": "reviewer.csv"}, make_ctx())


def test_rows_status_and_self_score(rows):
    main = rows[~rows["key"].str.endswith(".self")]
    assert main["key"].tolist() == ["D1.1", "D1.2", "D1.1", "D3.1", "D1.1"]
    assert main["value"].iat[0] == 8.5 and main["value"].iat[4] == 6
    assert main["text"].iat[1] == "policy;interp"
    # 不适用 in the value column or in the status column → na.
    assert main["status"].tolist() == ["ok", "ok", "na", "na", "ok"]
    assert pd.isna(main["value"].iat[2])
    assert main["source"].tolist() == [f"reviewer.csv:{r}" for r in range(2, 7)]
    self_rows = rows[rows["key"].str.endswith(".self")]
    assert self_rows[["unit", "key", "value"]].values.tolist() == [["市发改委", "D1.1.self", 9.0]]


def test_self_assessment_file_with_fixed_key_and_suffix(tmp_path):
    write_xlsx(
        tmp_path / "self.xlsx",
        [["unit", "value", "evidence"], ["市教育局", 7, "自查报告"], ["市民政局", 0, ""]],
    )
    settings = {
        "file": "self.xlsx",
        "key": "D2",
        "key_suffix": ".self",
        "columns": {"evidence": "evidence"},
    }
    rows = TableCollector().collect(settings, make_ctx(tmp_path))
    # English headers unit/value work without mapping.
    assert rows[["unit", "key", "value", "evidence"]].values.tolist() == [
        ["市教育局", "D2.self", 7.0, "自查报告"],
        ["市民政局", "D2.self", 0.0, ""],
    ]


@pytest.mark.parametrize(
    ("line", "message", "where"),
    [
        ("市发改委,D1,-2,", "数值「-2」为负数", "第 2 行，列 数值"),
        ("市发改委,D1,abc,", "「abc」不是数字", "第 2 行，列 数值"),
        ("市发改委,D1,,", "数值和文本都为空", "第 2 行，列 数值"),
        ("市发改委,D1,1,,待定", "无法识别的状态「待定」", "第 2 行，列 状态"),
        ("市发改委,D9,1,", "数据键「D9」不在 keys 列出的范围内", "第 2 行，列 指标"),
        ("市档案局,D1,1,", "单位「市档案局」不在单位名单中", "第 2 行，列 单位"),
    ],
)
def test_bad_rows(tmp_path, line, message, where):
    write_csv(tmp_path / "t.csv", f"单位,指标,数值,文本,状态\n{line}")
    with pytest.raises(DataError) as err:
        TableCollector().collect({"file": "t.csv", "keys": ["D1", "D2"]}, make_ctx(tmp_path))
    assert message in err.value.message
    assert err.value.path == where


def test_negative_allowed_when_asked(tmp_path):
    write_csv(tmp_path / "t.csv", "单位,指标,数值\n市发改委,D1,-2")
    rows = TableCollector().collect({"file": "t.csv", "allow_negative": True}, make_ctx(tmp_path))
    assert rows["value"].tolist() == [-2.0]


def test_config_errors(tmp_path):
    with pytest.raises(ConfigError) as err:
        TableCollector().collect({"file": "reviewer.csv", "columns": {"vlaue": "数值"}}, make_ctx())
    assert err.value.path == "collectors.table.columns.vlaue"
    assert "value" in err.value.hint and "self_score" in err.value.hint
    with pytest.raises(ConfigError) as err:
        TableCollector().collect(
            {"file": "reviewer.csv", "key": "D1", "columns": {"key": "指标"}}, make_ctx()
        )
    assert err.value.path == "collectors.table.columns.key"
