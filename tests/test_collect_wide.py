"""The ``score_sheet`` collector: a wide 单位 × 指标 sheet becomes evidence rows."""

from __future__ import annotations

import math

import pytest
from test_collect_tables import make_ctx, write_csv, write_xlsx

from zwgk_score.collect.wide import ScoreSheetCollector
from zwgk_score.errors import ConfigError, DataError

SETTINGS = {
    "file": "sheet.csv",
    "columns": {"attend": "列席次数", "interp": "解读质量"},
    "evidence_column": "备注",
}


def test_cells_become_rows(tmp_path):
    write_csv(
        tmp_path / "sheet.csv", "单位,列席次数,解读质量,备注\n甲局,3,好,会议纪要\n乙局,不适用,,"
    )
    rows = ScoreSheetCollector().collect(SETTINGS, make_ctx(tmp_path, units=("甲局", "乙局")))
    got = {(r.unit, r.key): (r.value, r.text, r.status) for r in rows.itertuples()}
    # 乙局's blank 解读质量 gives no row at all (missing, not zero)
    assert set(got) == {("甲局", "attend"), ("甲局", "interp"), ("乙局", "attend")}
    assert got[("甲局", "attend")] == (3.0, "", "ok")
    v, t, s = got[("甲局", "interp")]
    assert math.isnan(v) and (t, s) == ("好", "ok")
    assert got[("乙局", "attend")][2] == "na"
    first = rows[rows["unit"] == "甲局"].iloc[0]
    assert first["evidence"] == "会议纪要"
    assert first["source"] == "sheet.csv:2，列 列席次数"


def test_xlsx_and_errors(tmp_path):
    write_xlsx(tmp_path / "sheet.xlsx", [["单位", "列席次数", "解读质量"], ["丙局", 2, "中"]])
    ctx = make_ctx(tmp_path, units=("甲局",))
    with pytest.raises(DataError) as err:
        ScoreSheetCollector().collect(
            {"file": "sheet.xlsx", "columns": {"attend": "列席次数"}}, ctx
        )
    assert "丙局" in str(err.value) and "第 2 行" in str(err.value)
    with pytest.raises(DataError, match="缺少列「应到次数」"):
        ScoreSheetCollector().collect(
            {"file": "sheet.xlsx", "columns": {"attend": "应到次数"}}, ctx
        )
    with pytest.raises(ConfigError) as cerr:
        ScoreSheetCollector().collect({"file": "sheet.xlsx"}, ctx)
    assert cerr.value.path == "collectors.score_sheet.columns"


def test_per_indicator_remark_columns(tmp_path):
    """evidence_columns: each indicator's own remark becomes that cell's evidence, nothing else's."""
    write_csv(tmp_path / "s.csv", "单位,列席次数,解读质量,解读说明\n甲局,3,一般,缺少图解\n")
    settings = {
        "file": "s.csv",
        "columns": {"attend": "列席次数", "interp": "解读质量"},
        "evidence_columns": {"interp": "解读说明"},
    }
    rows = (
        ScoreSheetCollector()
        .collect(settings, make_ctx(tmp_path, units=("甲局",)))
        .set_index("key")
    )
    assert rows.loc["interp", "evidence"] == "缺少图解"
    assert rows.loc["attend", "evidence"] == ""
    with pytest.raises(ConfigError) as err:
        ScoreSheetCollector().collect(
            {**settings, "evidence_columns": {"other": "解读说明"}},
            make_ctx(tmp_path, units=("甲局",)),
        )
    assert err.value.path == "collectors.score_sheet.evidence_columns.other"


def test_rows_come_column_after_column_and_errors_name_the_cell(tmp_path):
    """One row per filled cell, indicator by indicator in ``columns`` order, units in sheet order."""
    write_csv(
        tmp_path / "s.csv",
        "单位,解读质量,列席次数,说明,备注\n甲局,好,3,图解少,纪要\n乙局,,/,,无\n丙局,2.5,,,\n",
    )
    settings = {
        "file": "s.csv",
        "columns": {"interp": "解读质量", "attend": "列席次数"},
        "evidence_columns": {"interp": "说明"},
        "evidence_column": "备注",
    }
    ctx = make_ctx(tmp_path, units=("甲局", "乙局", "丙局"))
    rows = ScoreSheetCollector().collect(settings, ctx)
    assert list(
        zip(rows["unit"], rows["key"], rows["status"], rows["text"], rows["evidence"], strict=True)
    ) == [
        ("甲局", "interp", "ok", "好", "图解少"),
        ("丙局", "interp", "ok", "", ""),
        ("甲局", "attend", "ok", "", "纪要"),
        ("乙局", "attend", "na", "", "无"),
    ]
    assert rows["value"].tolist()[1:3] == [2.5, 3.0]
    assert list(rows["source"]) == [
        "s.csv:2，列 解读质量",
        "s.csv:4，列 解读质量",
        "s.csv:2，列 列席次数",
        "s.csv:3，列 列席次数",
    ]
    # a number too large in the second indicator column: that column's first bad cell is named
    write_csv(tmp_path / "s.csv", "单位,解读质量,列席次数\n甲局,好,3\n乙局,1,1e400\n丙局,2,inf\n")
    with pytest.raises(DataError) as err:
        ScoreSheetCollector().collect(
            {**settings, "evidence_columns": {}, "evidence_column": None}, ctx
        )
    assert (
        "第 3 行" in str(err.value) and "列席次数" in str(err.value) and "1e400" in str(err.value)
    )
