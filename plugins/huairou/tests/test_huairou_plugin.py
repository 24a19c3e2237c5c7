"""Tests of the 怀柔区 plugin (run with: pytest plugins/huairou)."""

from __future__ import annotations

import warnings

import attrs
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from zwgk_score_huairou import plugin
from zwgk_score_huairou.activities import ActivitiesCollector
from zwgk_score_huairou.ledger import LedgerCollector
from zwgk_score_huairou.quarterly import QuarterlyCollector, parse_quarters

from zwgk_score.errors import ConfigError, DataError
from zwgk_score.outputs.markdown import render_markdown
from zwgk_score.plugin import annual_context
from zwgk_score.plugins import PluginHost

UNITS = ("泉河街道", "区民政局", "怀柔镇")

HEADER = "序号,工作任务,责任部门,完成时限,完成情况,完成时间\n"
LEDGER = HEADER + (
    "11,养老服务和社会救助信息公开,区民政局,2024年10月中旬,已完成,2024-10-21\n"
    "17,财政预决算信息公开,区民政局,2024年10月中旬,已完成,2024-10-18\n"
    "31,政府网站和政务新媒体服务能力,泉河街道,2024年10月中旬,推进中,\n"
    "35,政府开放和公众参与活动,泉河街道,2024年9月底,已完成,2024-10-12\n"
    "41,任务落实及监督考核,怀柔镇,2024年10月中旬,已完成,2024-10-20\n"
)


def _ctx(tmp_path):
    return annual_context(2024, UNITS, tmp_path)


def _collect(tmp_path, text, **settings):
    (tmp_path / "台账.csv").write_text(text, encoding="utf-8")
    return LedgerCollector().collect({"file": "台账.csv", **settings}, _ctx(tmp_path))


def test_ledger_reports_late_and_unfinished_tasks(tmp_path):
    rows = _collect(tmp_path, LEDGER, keys={"late": "task_late"}, due_key="")
    # 10月中旬 = 2024-10-20 (a Sunday): done 10-21 is late; 10-18 and 10-20 are on time;
    # task 31 not done at the inspection date 2024-12-31; task 35 due 9-30, done 10-12 (late)
    assert set(rows["key"]) == {"task_late"}
    late = rows.sort_values(["unit", "evidence"]).reset_index(drop=True)
    assert late["unit"].tolist() == ["区民政局", "泉河街道", "泉河街道"]
    assert late["value"].tolist() == [1.0, 1.0, 1.0]
    assert late["text"].tolist() == ["逾期完成", "未完成", "逾期完成"]
    # 10-20 → 10-21: 1 day, 1 working day
    assert (
        "任务 11「养老服务和社会救助信息公开」：完成时限 2024-10-20，2024-10-21 完成，逾期 1 天（1 个工作日）"
        in late["evidence"][0]
    )
    # 10-20 → 12-31: 11 + 30 + 31 = 72 days; working days Oct 21–31 = 9, Nov = 21,
    # Dec = 22 → 52
    assert "截至 2024-12-31 未完成，逾期 72 天（52 个工作日）" in late["evidence"][1]
    # 9-30 → 10-12 across National Day: 10-01…10-07 off; 10-08, 09, 10, 11 and the
    # make-up Saturday 10-12 work → 12 days, 5 working days
    assert "逾期 12 天（5 个工作日）" in late["evidence"][2]


def test_ledger_keys_and_columns_can_be_overridden(tmp_path):
    text = LEDGER.replace("完成时间", "实际完成日期")
    rows = _collect(
        tmp_path, text, columns={"completed": "实际完成日期"}, keys={"on_time": "rate"}, due_key=""
    )
    rate = rows.set_index("unit")["value"].to_dict()
    # 区民政局 1 of 2 on time, 泉河街道 0 of 2, 怀柔镇 1 of 1
    assert rate == {"泉河街道": 0.0, "区民政局": 0.5, "怀柔镇": 1.0}
    assert set(rows["key"]) == {"rate"}


@pytest.mark.parametrize(
    ("row", "message", "column"),
    [
        (
            "11,任务,区民政局,2024年10月中旬,已完成,\n",
            "完成情况为「已完成」但未填完成时间",
            "完成时间",
        ),
        (
            "11,任务,区民政局,2024年10月中旬,推进中,2024-10-08\n",
            "完成情况为「推进中」却填了完成时间",
            "完成时间",
        ),
        (
            "11,任务,区民政局,2024年10月中旬,差不多,2024-10-08\n",
            "无法识别的完成情况「差不多」",
            "完成情况",
        ),
    ],
)
def test_ledger_state_must_agree_with_the_completion_date(tmp_path, row, message, column):
    with pytest.raises(DataError) as err:
        _collect(tmp_path, HEADER + "17,任务,区民政局,2024年10月中旬,已完成,2024-10-18\n" + row)
    assert message in str(err.value)
    assert err.value.path == f"第 3 行，列 {column}"


def test_ledger_without_state_column(tmp_path):
    text = LEDGER.replace(",完成情况", "").replace(",已完成", "").replace(",推进中", "")
    with pytest.raises(DataError, match="缺少列「完成情况」"):
        _collect(tmp_path, text)
    rows = _collect(tmp_path, text, state_column="", keys={"late": "task_late"}, due_key="")
    assert len(rows) == 3  # same late tasks as with the state column


def test_ledger_refuses_unknown_settings(tmp_path):
    with pytest.raises(ConfigError) as err:
        _collect(tmp_path, LEDGER, keys={"lat": "task_late"})
    assert err.value.path == "collectors.huairou_ledger.keys.lat"


QUARTERLY = """公开单位,所属季度,公开日期,标题
区民政局,第一季度,2024-04-12,一季度执行情况
区民政局,2024年第二季度,2024-07-10,二季度执行情况
区民政局,第二季度,2024-08-06,二季度补充
区民政局,Q4,2025-01-15,四季度执行情况
区民政局,2023年第四季度,2024-01-10,上年四季度执行情况
泉河街道,三季度,2024-10-21,三季度执行情况
"""


def test_quarterly_counts_distinct_quarters_of_the_year(tmp_path):
    (tmp_path / "公开.csv").write_text(QUARTERLY, encoding="utf-8")
    rows = QuarterlyCollector().collect({"file": "公开.csv"}, _ctx(tmp_path)).set_index("unit")
    # 区民政局: Q1, Q2 (twice, counted once), Q4 published in January 2025 → 3;
    # the 2023 Q4 row is not counted.  泉河街道 1; 怀柔镇 none → 0 (a row, not missing)
    assert rows["value"].to_dict() == {"泉河街道": 1.0, "区民政局": 3.0, "怀柔镇": 0.0}
    assert set(rows["key"]) == {"report_quarterly"}
    assert rows.loc["区民政局", "evidence"] == (
        "2024年已按季度公开 3 次（第一季度、第二季度、第四季度）；未公开：第三季度（另有其他年度的公开 1 条，未计）"
    )
    assert rows.loc["怀柔镇", "evidence"] == "2024年未按季度公开"


def test_quarterly_names_the_table_and_key_of_a_typo(tmp_path):
    (tmp_path / "公开.csv").write_text(QUARTERLY, encoding="utf-8")
    ctx = attrs.evolve(_ctx(tmp_path), config_file=tmp_path / "考核.toml")
    with pytest.raises(ConfigError) as err:
        QuarterlyCollector().collect({"file": "公开.csv", "kyes": {}}, ctx)
    assert err.value.path == "collectors.huairou_quarterly.kyes"
    assert "collectors.huairou_quarterly" in str(err.value)
    assert "kyes" in str(err.value) and "考核.toml" in str(err.value)


def test_quarterly_parses_the_usual_spellings():
    cells = pd.Series(["第一季度", "二季度", "2023年第3季度", "4", "2024Q4", "q2", "上半年"])
    parsed = parse_quarters(cells, 2024)
    assert parsed["quarter"].tolist()[:6] == [1, 2, 3, 4, 4, 2]
    assert parsed["year"].tolist()[:6] == [2024, 2024, 2023, 2024, 2024, 2024]
    assert pd.isna(parsed["quarter"].iat[6])


@pytest.mark.parametrize(
    "cells", [["第一季度", "二季度"], ["上半年"], ["Q1", "2024年第2季度"]], ids=repr
)
def test_quarterly_parsing_does_not_warn(cells):
    # pandas 2.2 (the declared minimum) warned "Downcasting object dtype arrays on .fillna"
    # when no cell had a year (so the year column was all NaN); the test-min job runs this
    with warnings.catch_warnings():
        warnings.simplefilter("error", FutureWarning)
        parsed = parse_quarters(pd.Series(cells, dtype=object), 2024)
    # a year only where the quarter was read; 0 stands for "not read" here
    expected = [0.0 if c == "上半年" else 2024.0 for c in cells]
    assert parsed["year"].fillna(0).tolist() == expected


@given(
    year=st.integers(2000, 2099),
    quarter=st.integers(1, 4),
    form=st.sampled_from(
        ["{y}年第{c}季度", "{y}年第{q}季度", "{y}年度{c}季度", "{y}Q{q}", "{y} q{q}"]
    ),
)
def test_quarterly_spellings_round_trip(year, quarter, form):
    cell = form.format(y=year, q=quarter, c="一二三四"[quarter - 1])
    parsed = parse_quarters(pd.Series([cell]), 2024)
    assert (parsed["year"].iat[0], parsed["quarter"].iat[0]) == (year, quarter)


@pytest.mark.parametrize(
    ("row", "message", "column"),
    [
        ("区民政局,上半年,2024-07-10,x\n", "无法识别的所属季度「上半年」", "所属季度"),
        ("区民政局,第三季度,2024-06-28,x\n", "公开日期早于所属季度开始", "公开日期"),
    ],
)
def test_quarterly_refuses_bad_rows(tmp_path, row, message, column):
    (tmp_path / "公开.csv").write_text("公开单位,所属季度,公开日期,标题\n" + row, encoding="utf-8")
    with pytest.raises(DataError) as err:
        QuarterlyCollector().collect({"file": "公开.csv"}, _ctx(tmp_path))
    assert message in str(err.value)
    assert err.value.path == f"第 2 行，列 {column}"


ACTIVITIES = """单位,发布日期,主题
区民政局,2024-05-20,养老服务补贴政策
区民政局,2024-11-08,临时救助政策
区民政局,2023-12-01,上年度
泉河街道,2024-06-03,
"""


def test_activities_count_per_unit_with_label(tmp_path):
    (tmp_path / "讲.csv").write_text(ACTIVITIES, encoding="utf-8")
    settings = {
        "file": "讲.csv",
        "label": "“政策公开讲”发布",
        "keys": {"held": "t34_lectures"},
        "columns": {"unit": "单位", "date": "发布日期", "title": "主题"},
    }
    rows = ActivitiesCollector().collect(settings, _ctx(tmp_path)).set_index("unit")
    # 区民政局 2 in 2024 (the 2023 row not counted), 泉河街道 1, 怀柔镇 0
    assert rows["value"].to_dict() == {"泉河街道": 1.0, "区民政局": 2.0, "怀柔镇": 0.0}
    assert rows.loc["区民政局", "evidence"] == (
        "2024年开展“政策公开讲”发布 2 次：2024-05-20「养老服务补贴政策」、2024-11-08「临时救助政策」"
        "（另有其他年度记录 1 条，未计）"
    )
    assert rows.loc["泉河街道", "evidence"] == "2024年开展“政策公开讲”发布 1 次：2024-06-03"
    assert rows.loc["怀柔镇", "evidence"] == "2024年无“政策公开讲”发布记录"
    assert set(rows["key"]) == {"t34_lectures"}


def test_activities_default_key_and_bad_label(tmp_path):
    (tmp_path / "活动.csv").write_text("举办单位,活动日期\n怀柔镇,2024-09-29\n", encoding="utf-8")
    rows = ActivitiesCollector().collect({"file": "活动.csv"}, _ctx(tmp_path))
    assert rows.set_index("unit").loc["怀柔镇", ["key", "value"]].tolist() == ["t35_openday", 1.0]
    with pytest.raises(ConfigError) as err:
        ActivitiesCollector().collect({"file": "活动.csv", "label": ""}, _ctx(tmp_path))
    assert err.value.path == "collectors.huairou_activities.label"


def test_plugin_registers_collector_and_namespaced_notice_template():
    host = PluginHost(entry_points_enabled=False, extra=[("huairou", plugin)])
    assert {"huairou_ledger", "huairou_quarterly", "huairou_activities"} <= set(host.collectors())
    folder = host.notice_templates()["huairou"]
    assert (folder / "huairou" / "annual.md.j2").is_file()
    # no top-level annual.md.j2: installing the plugin must not change other regions' notices
    assert not (folder / "annual.md.j2").exists()


def test_notice_template_uses_the_plan_wording():
    group = {
        "grades": [],
        "average": "90",
        "pass_rate": "100%",
        "best_total": "95",
        "lists": [],
        "improved": [],
    }
    context = {
        "title": "关于2024年度政务公开工作考核结果的通报",
        "addressees": "各镇乡人民政府",
        "noun": "考核",
        "rubric_title": "北京市怀柔区2024年政务公开工作考核细则",
        "issuer": "北京市怀柔区政务公开领导小组办公室",
        "period": "2024年度",
        "year": 2024,
        "unit_count": 3,
        "group_count": 3,
        "groups": [
            {**group, "name": "镇乡", "count": 1, "best": ["怀柔镇"]},
            {**group, "name": "街道", "count": 1, "best": ["泉河街道"]},
            {**group, "name": "委办局", "count": 1, "best": ["区民政局"]},
        ],
        "problems": [],
        "missing": [],
        "vetoed": [],
        "requirements": [],
        "attachments": [],
        "performance_share": "5",
        "rectify_deadline": "2025年2月28日",
        "date": "2025年1月20日",
    }
    md = render_markdown(context, "huairou/annual", [plugin.TEMPLATES])
    assert "怀公开办发〔2024〕1号" in md
    assert "对1个镇乡、1个街道和1个委办局2024年度政务公开和政策服务工作进行了考核" in md
    assert "于2025年2月28日前将整改情况报送北京市怀柔区政务公开领导小组办公室" in md
    assert "纳入年度绩效考核，本次考核结果按折合分（满分5分）" in md
    assert "## 一、总体情况" in md  # the rest comes from the built-in skeleton


def test_ledger_emits_each_tasks_completion_date_for_the_deadline_rule(tmp_path):
    # default: no task_ledger role, one due_<序号> row per task and roster unit
    rows = _collect(tmp_path, LEDGER, tasks=["1", "11"])
    assert set(rows["key"]) == {"due_1", "due_11", "due_17", "due_31", "due_35", "due_41"}
    # 5 ledger rows + na for the other units: 5 tasks × 3 units − 5 = 10, task 1 (no row) 3
    assert len(rows) == 5 + 10 + 3
    by = rows.set_index(["unit", "key"])
    assert by.loc[("区民政局", "due_11"), "text"] == "2024-10-21"
    assert by.loc[("泉河街道", "due_31"), "text"] == ""  # open: the deadline rule scores 0
    assert by.loc[("泉河街道", "due_31"), "status"] == "ok"
    assert "截至检查未完成（完成时限 2024年10月中旬）" in by.loc[("泉河街道", "due_31"), "evidence"]
    assert by.loc[("怀柔镇", "due_11"), "status"] == "na"
    assert (rows[rows["key"] == "due_1"]["status"] == "na").all()


def test_ledger_due_key_must_name_the_task(tmp_path):
    with pytest.raises(ConfigError) as err:
        _collect(tmp_path, LEDGER, due_key="due")
    assert err.value.path == "collectors.huairou_ledger.due_key"


def test_ledger_leaves_tasks_with_a_due_row_out_of_late(tmp_path):
    # with due rows for every task (the default due_key) a late role has nothing left to
    # count: each task is scored once, by its own deadline leaf
    rows = _collect(tmp_path, LEDGER, keys={"late": "task_late"})
    assert "task_late" not in set(rows["key"])
    assert len(rows[rows["key"] == "due_11"]) == 3  # 区民政局 ok, 2 units na


@pytest.mark.parametrize(
    ("settings", "path"),
    [
        ({"tasks": "1"}, "collectors.huairou_ledger.tasks"),
        ({"tasks": ["1", ""]}, "collectors.huairou_ledger.tasks"),
        ({"due_keys": "due_{task}"}, "collectors.huairou_ledger.due_keys"),
        ({"state_column": 1}, "collectors.huairou_ledger.state_column"),
    ],
)
def test_ledger_own_settings_are_checked(tmp_path, settings, path):
    with pytest.raises(ConfigError) as err:
        _collect(tmp_path, LEDGER, **settings)
    assert err.value.path == path
