"""Tests of the 廊坊市 plugin (run with: pytest plugins/langfang)."""

from __future__ import annotations

import attrs
import pytest
from zwgk_score_langfang import plugin
from zwgk_score_langfang.consult import ConsultCollector
from zwgk_score_langfang.ledger import LedgerCollector
from zwgk_score_langfang.worklog import WorkLogCollector

from zwgk_score.errors import ConfigError, DataError
from zwgk_score.outputs.markdown import render_markdown
from zwgk_score.plugin import annual_context
from zwgk_score.plugins import PluginHost

UNITS = ("固安县", "市财政局", "市农业农村局")

CONSULT = """留言编号,承办单位,留言时间,答复时间,是否简单咨询
M1,固安县,2023-01-19 09:00,2023-01-29 10:00,否
M2,固安县,2023-09-27 15:30,2023-10-10 09:00,否
M3,固安县,2023-01-20 16:45,2023-01-28 09:30,是
M4,市财政局,2023-04-28 16:20,2023-05-06 09:10,是
M5,市财政局,2023-12-26 10:00,,否
M0,市财政局,2022-12-20 10:00,2022-12-21 10:00,否
"""

LEDGER = """任务编号,工作任务,责任单位,完成时限,实际完成时间
RW01,梳理年度工作任务台账,固安县,7月底,2023-07-20
RW02,适老化无障碍改造,固安县,年底前,
RW03,规范性文件清理,市财政局,9月底,2023-10-12
RW04,政务公开专题调研,市财政局、固安县,11月中旬,2023-11-20
RW05,政策解读三同步,市财政局,持续推进,
"""

WORKLOG = """单位,日期,类型,事项
固安县,2023-03-06,听取汇报,县政府常务会议
固安县,2023-05-10,内部培训,政务公开业务培训（第1期）
固安县,2023-10-11,内部培训,政务公开业务培训（第2期）
市财政局,2022-12-26,听取汇报,局长办公会议（上年度）
市财政局,2023-06-01,内部培训,依申请公开案例培训
"""


def _ctx(tmp_path):
    return annual_context(2023, UNITS, tmp_path)


def _write(tmp_path, name, text):
    (tmp_path / name).write_text(text, encoding="utf-8")
    return name


def _rows(frame, key):
    return frame[frame["key"] == key].reset_index(drop=True)


def test_consult_presets_limits_headers_and_keys(tmp_path):
    file = _write(tmp_path, "留言.csv", CONSULT)
    rows = ConsultCollector().collect({"file": file}, _ctx(tmp_path))
    assert set(rows["key"]) == {"hotline_timely", "hotline_simple_timely"}
    # M1: 01-19 → 01-29: 01-20 (1), Spring Festival 01-21..27, make-up 01-28 (2), 01-29 (3) = 3
    # M2: 09-27 → 10-10: 09-28 (1), holiday 09-29..10-06, make-up 10-07 (2), 10-08 (3),
    #     10-09 (4), 10-10 (5) = 5 = limit 5, on time (a Mon–Fri count gives 9)
    # M5: 12-26, not answered: 12-27, 28, 29 = 3 up to 12-31 (weekend)
    # M0: received in 2022, outside the period
    regular = _rows(rows, "hotline_timely")
    assert regular[["unit", "value", "text"]].values.tolist() == [
        ["固安县", 3.0, ""],
        ["固安县", 5.0, ""],
        ["市财政局", 3.0, "未答复"],
    ]
    # M3: 01-20 → make-up Saturday 01-28 = 1 (limit 1, on time)
    # M4: 04-28 → 05-06: Labour Day 04-29..05-03, 05-04 (1), 05-05 (2), make-up 05-06 (3) = 3 > 1
    simple = _rows(rows, "hotline_simple_timely")
    assert simple[["unit", "value"]].values.tolist() == [["固安县", 1.0], ["市财政局", 3.0]]
    assert "时限 1 个工作日" in simple["evidence"][1]


def test_consult_settings_override_the_presets(tmp_path):
    file = _write(tmp_path, "留言.csv", CONSULT.replace("承办单位", "承办部门"))
    settings = {"file": file, "columns": {"unit": "承办部门"}, "keys": {"overdue": "late_replies"}}
    rows = ConsultCollector().collect(settings, _ctx(tmp_path))
    # over the limits (5, simple 1): only M4 (3 > 1); M2 is exactly 5 and M5, not
    # answered, has used 3 working days by 12-31
    assert rows[["unit", "key", "text"]].values.tolist() == [["市财政局", "late_replies", "超期"]]
    with pytest.raises(DataError) as e:
        ConsultCollector().collect({"file": file}, _ctx(tmp_path))  # preset header 承办单位 is gone
    assert "collectors.langfang_consult.columns" in str(e.value) and "承办部门" in str(e.value)


def test_ledger_presets_headers_and_task_late(tmp_path):
    file = _write(tmp_path, "台账.csv", LEDGER)
    rows = LedgerCollector().collect({"file": file}, _ctx(tmp_path))
    assert set(rows["key"]) == {"task_late"}
    # RW02 固安县: due 年底 = 12-31, not completed at the inspection date → 未完成
    # RW03 市财政局: due 9月底 = 09-30, completed 10-12 → 逾期完成 (12 days)
    # RW04 (joint, 11月中旬 = 11-20, completed 11-20) is on time for both; RW05 is ongoing
    late = rows.sort_values("unit").reset_index(drop=True)
    assert late[["unit", "value", "text"]].values.tolist() == [
        ["固安县", 1.0, "未完成"],
        ["市财政局", 1.0, "逾期完成"],
    ]
    assert "12" in late["evidence"][1]


def test_worklog_counts_reports_and_trainings_per_unit(tmp_path):
    file = _write(tmp_path, "工作记录.csv", WORKLOG)
    rows = WorkLogCollector().collect({"file": file}, _ctx(tmp_path))
    report = _rows(rows, "leader_report").set_index("unit")
    training = _rows(rows, "training").set_index("unit")
    # every roster unit gets a row per key, so the count items are never missing
    assert report["value"].to_dict() == {"固安县": 1.0, "市财政局": 0.0, "市农业农村局": 0.0}
    assert training["value"].to_dict() == {"固安县": 2.0, "市财政局": 1.0, "市农业农村局": 0.0}
    assert (
        report.loc["固安县", "evidence"]
        == "2023年主要负责同志听取政务公开工作汇报 1 次：2023-03-06「县政府常务会议」"
    )
    assert report.loc["市财政局", "evidence"] == (
        "2023年无主要负责同志听取政务公开工作汇报的记录（另有非本年度记录 1 条，未计）"
    )
    assert training.loc["固安县", "source"].endswith("工作记录.csv:3; 工作记录.csv:4")


def test_worklog_unknown_type_and_custom_types(tmp_path):
    file = _write(
        tmp_path, "工作记录.csv", WORKLOG.replace("2023-05-10,内部培训", "2023-05-10,培训")
    )
    with pytest.raises(DataError) as e:
        WorkLogCollector().collect({"file": file}, _ctx(tmp_path))
    assert "第 3 行" in str(e.value) and "类型" in str(e.value) and "培训" in str(e.value)
    rows = WorkLogCollector().collect(
        {"file": file, "types": {"培训": "T", "内部培训": "T", "听取汇报": "R"}}, _ctx(tmp_path)
    )
    # both spellings feed key T (one row per unit): 固安县 1 + 1 = 2
    assert len(_rows(rows, "T")) == 3
    assert _rows(rows, "T").set_index("unit")["value"].to_dict() == {
        "固安县": 2.0,
        "市财政局": 1.0,
        "市农业农村局": 0.0,
    }
    with pytest.raises(ConfigError) as e:
        WorkLogCollector().collect({"file": file, "types": ["培训"]}, _ctx(tmp_path))
    assert "collectors.langfang_worklog.types" in str(e.value)


def test_worklog_names_the_table_and_key_of_a_typo(tmp_path):
    file = _write(tmp_path, "工作记录.csv", WORKLOG)
    ctx = attrs.evolve(_ctx(tmp_path), config_file=tmp_path / "考核.toml")
    with pytest.raises(ConfigError) as e:
        WorkLogCollector().collect({"file": file, "type": {"培训": "T"}}, ctx)
    assert e.value.path == "collectors.langfang_worklog.type"
    assert "collectors.langfang_worklog" in str(e.value) and "type" in str(e.value)
    assert "考核.toml" in str(e.value) and "types" in str(e.value)  # the hint names the right key


def test_plugin_registers_collectors_and_namespaced_notice_template():
    host = PluginHost(entry_points_enabled=False, extra=[("langfang", plugin)])
    assert {"langfang_consult", "langfang_ledger", "langfang_worklog"} <= set(host.collectors())
    folder = host.notice_templates()["langfang"]
    assert (folder / "langfang" / "annual.md.j2").is_file()
    # no top-level annual.md.j2: installing the plugin must not change other regions' notices
    assert not (folder / "annual.md.j2").exists()


def test_notice_template_uses_the_plan_wording():
    context = {
        "title": "关于2023年度政务公开工作考核结果的通报",
        "addressees": "各县(市、区)人民政府",
        "noun": "考核",
        "rubric_title": "廊坊市2023年政务公开工作考核细则",
        "issuer": "廊坊市人民政府办公室",
        "period": "2023年度",
        "year": 2023,
        "unit_count": 3,
        "group_count": 2,
        "groups": [
            {
                "name": "县(市、区)",
                "count": 2,
                "grades": [],
                "average": "90",
                "pass_rate": "100%",
                "best": ["固安县"],
                "best_total": "95",
                "lists": [],
                "improved": [],
            },
            {
                "name": "市政府部门",
                "count": 1,
                "grades": [],
                "average": "90",
                "pass_rate": "100%",
                "best": ["市财政局"],
                "best_total": "90",
                "lists": [],
                "improved": [],
            },
        ],
        "problems": [],
        "missing": [],
        "vetoed": [],
        "requirements": ["不应出现的默认要求"],
        "attachments": [],
        "performance_share": "5",
        "rectify_deadline": "2024年2月29日",
        "date": "2024年1月22日",
    }
    md = render_markdown(context, "langfang/annual", [plugin.TEMPLATES])
    assert "为深入贯彻落实《廊坊市2023年政务公开工作要点》" in md
    # running text is typeset with full-width brackets: 县(市、区) → 县（市、区）
    assert "对2个县（市、区）和1个市政府部门2023年度政务公开工作进行了考核" in md
    assert "于2024年2月29日前将整改情况报送廊坊市人民政府办公室" in md
    assert "考核结果按折合分（满分5分）纳入2023年度绩效考核" in md
    assert "不应出现的默认要求" not in md  # the template's own 工作要求 replace the defaults
    assert "## 一、总体情况" in md  # the rest comes from the built-in skeleton


def test_ledger_dated_task_feeds_its_deadline_leaf_and_is_not_late_twice(tmp_path):
    file = _write(tmp_path, "台账.csv", LEDGER)
    rows = LedgerCollector().collect(
        {"file": file, "dated": {"RW02": "a11y_retrofit"}, "not_late": ["RW03"]}, _ctx(tmp_path)
    )
    # RW02 (年底前) open for 固安县: a blank completion date for D5.1.5, no task_late row;
    # RW03 is scored elsewhere (not_late): nothing late is left
    assert set(rows["key"]) == {"a11y_retrofit"}
    a11y = rows.set_index("unit")
    assert (a11y.loc["固安县", "text"], a11y.loc["固安县", "status"]) == ("", "ok")
    assert "截至检查未完成" in a11y.loc["固安县", "evidence"]
    # the ledger names only 固安县 for RW02: the others are 不适用, not 0
    assert a11y.loc[["市财政局", "市农业农村局"], "status"].tolist() == ["na", "na"]


def test_ledger_not_late_must_be_a_list(tmp_path):
    file = _write(tmp_path, "台账.csv", LEDGER)
    with pytest.raises(ConfigError) as err:
        LedgerCollector().collect({"file": file, "not_late": "RW03"}, _ctx(tmp_path))
    assert err.value.path == "collectors.langfang_ledger.not_late"


def test_ledger_dated_task_missing_from_the_ledger_is_refused(tmp_path):
    # before the recipe moved into task_ledger, a mistyped task number gave every unit na
    file = _write(tmp_path, "台账.csv", LEDGER)
    with pytest.raises(ConfigError) as err:
        LedgerCollector().collect(
            {"file": file, "dated": {"RW20": "a11y_retrofit"}}, _ctx(tmp_path)
        )
    assert err.value.path == "collectors.langfang_ledger.dated"
    assert "中没有任务编号「RW20」" in err.value.message


def test_ledger_typo_names_the_plugins_table(tmp_path):
    file = _write(tmp_path, "台账.csv", LEDGER)
    with pytest.raises(ConfigError) as err:
        LedgerCollector().collect({"file": file, "not_lat": ["RW03"]}, _ctx(tmp_path))
    assert err.value.path == "collectors.langfang_ledger.not_lat"
    assert "[collectors.langfang_ledger]" in err.value.hint
