"""Tests of the 郯城县 plugin (run with: pytest plugins/tancheng)."""

from __future__ import annotations

import attrs
import pytest
from zwgk_score_tancheng import plugin
from zwgk_score_tancheng.decisions import DecisionsCollector
from zwgk_score_tancheng.requests import RequestsCollector

from zwgk_score.errors import ConfigError, DataError
from zwgk_score.outputs.markdown import render_markdown
from zwgk_score.plugin import annual_context
from zwgk_score.plugins import PluginHost

UNITS = ("马头镇", "县财政局", "归昌乡")

DECISIONS = """事项编号,承办单位,决策事项,是否公开征求意见,决策文件印发日期,采纳情况公开日期
JC-1,县财政局,预算绩效管理办法,是,2023-09-22,2023-10-12
JC-2,县财政局,政府采购实施细则,否,2023-09-28,2023-10-20
JC-3,马头镇,集贸市场改造方案,是,2023-12-20,
JC-0,马头镇,上年度事项,否,2022-11-01,2022-11-04
"""

REQUESTS = """申请编号,受理机关,收到申请日期,答复日期,是否延期答复,复议诉讼被纠错
YSQ-1,县财政局,2023-09-04,2023-10-09,否,否
YSQ-2,县财政局,2023-03-01,2023-04-26,是,是
YSQ-3,马头镇,2023-05-08,2023-05-22,否,否
"""


def _ctx(tmp_path):
    return annual_context(2023, UNITS, tmp_path)


def _write(tmp_path, name, text):
    (tmp_path / name).write_text(text, encoding="utf-8")
    return name


def _rows(frame, key):
    return frame[frame["key"] == key].reset_index(drop=True)


def test_decision_feedback_counts_chinese_working_days(tmp_path):
    file = _write(tmp_path, "决策.csv", DECISIONS)
    rows = DecisionsCollector().collect({"file": file}, _ctx(tmp_path))
    t = _rows(rows, "decision_feedback_timeliness")
    # JC-1: 09-22 (Fri) → 10-12: 09-25..28 (4), 09-29..10-06 National Day holiday,
    #   10-07/10-08 make-up Sat/Sun (6), 10-09..10-12 (10) = 10 → on time
    #   (a plain Mon–Fri count would give 14)
    # JC-2: 09-28 (Thu) → 10-20: 10-07, 10-08 (2), 10-09..13 (7), 10-16..20 (12) = 12 → late
    #   (without the make-up days: 10)
    # JC-3: 12-20 (Wed), not published: 12-21, 22, 25..29 = 7 up to the inspection date
    # JC-0: issued in 2022, outside the period, not listed
    assert t[["unit", "value", "text"]].values.tolist() == [
        ["县财政局", 10.0, ""],
        ["县财政局", 12.0, "超期公开"],
        ["马头镇", 7.0, "未公开"],
        ["归昌乡", pytest.approx(float("nan"), nan_ok=True), ""],
    ]
    assert t["status"].tolist() == ["ok", "ok", "ok", "na"]
    assert "用时 12 个工作日（时限 10 个工作日）" in t["evidence"][1]
    assert "截至 2023-12-31 未公开意见采纳情况" in t["evidence"][2]


def test_decision_consultation_per_unit_and_not_applicable_without_decisions(tmp_path):
    file = _write(tmp_path, "决策.csv", DECISIONS)
    c = _rows(DecisionsCollector().collect({"file": file}, _ctx(tmp_path)), "decision_consultation")
    by_unit = c.set_index("unit")
    # 县财政局: JC-2 not consulted → 0; 马头镇: its 2023 decision consulted → 1
    # (the 2022 one is not counted); 归昌乡: no decision → 不适用
    assert by_unit.loc["县财政局", "value"] == 0.0
    assert by_unit.loc["马头镇", "value"] == 1.0
    assert by_unit.loc["归昌乡", "status"] == "na"
    assert (
        "其中 1 件未公开征求意见：决策事项 JC-2「政府采购实施细则」"
        in by_unit.loc["县财政局", "evidence"]
    )


def test_decision_keys_limit_and_columns_are_configurable(tmp_path):
    text = DECISIONS.replace("承办单位", "责任单位")
    file = _write(tmp_path, "决策.csv", text)
    settings = {
        "file": file,
        "limit": 15,
        "columns": {"unit": "责任单位"},
        "keys": {"timeliness": "I07b"},
    }
    rows = DecisionsCollector().collect(settings, _ctx(tmp_path))
    assert set(rows["key"]) == {"I07b"}
    assert (rows["text"] == "超期公开").sum() == 0  # 12 ≤ 15


def test_decision_register_errors_name_the_row(tmp_path):
    bad = DECISIONS.replace("2023-10-20", "2023-09-20")  # published before issued
    file = _write(tmp_path, "决策.csv", bad)
    with pytest.raises(DataError) as e:
        DecisionsCollector().collect({"file": file}, _ctx(tmp_path))
    assert "第 3 行" in str(e.value) and "采纳情况公开日期" in str(e.value)
    unknown = _write(tmp_path, "决策2.csv", DECISIONS.replace("马头镇,集贸", "码头镇,集贸"))
    with pytest.raises(DataError, match="码头镇"):
        DecisionsCollector().collect({"file": unknown}, _ctx(tmp_path))
    with pytest.raises(ConfigError, match="limt"):
        DecisionsCollector().collect({"file": file, "limt": 5}, _ctx(tmp_path))


def test_decisions_name_the_table_and_key_of_a_typo(tmp_path):
    file = _write(tmp_path, "决策.csv", DECISIONS)
    ctx = attrs.evolve(_ctx(tmp_path), config_file=tmp_path / "考核.toml")
    with pytest.raises(ConfigError) as e:
        DecisionsCollector().collect({"file": file, "period_onyl": False}, ctx)
    assert e.value.path == "collectors.tancheng_decisions.period_onyl"
    assert "collectors.tancheng_decisions" in str(e.value) and "period_onyl" in str(e.value)
    assert "考核.toml" in str(e.value) and "period_only" in str(e.value)  # the hint's guess


def test_requests_collector_presets_tancheng_headers_and_keys(tmp_path):
    file = _write(tmp_path, "依申请.csv", REQUESTS)
    rows = RequestsCollector().collect({"file": file}, _ctx(tmp_path))
    assert set(rows["key"]) == {"request_late", "request_corrected"}
    late = _rows(rows, "request_late")
    # YSQ-1: 09-04 (Mon) → 10-09: 09-05..08 (4), 11..15 (9), 18..22 (14), 25..28 (18),
    #   10-07, 10-08 make-up (20), 10-09 (21) > 20 → late
    # YSQ-2: extended (limit 40): 03-01 → 04-26: Mar 2..31 = 22, Apr 3..26 minus 04-05 = 17,
    #   23 (Sun) is a make-up day: +1 → 40 → on time
    assert late["unit"].tolist() == ["县财政局"]
    assert "用时 21 个工作日（时限 20 个工作日）" in late["evidence"][0]
    corrected = _rows(rows, "request_corrected")
    assert corrected["unit"].tolist() == ["县财政局"] and corrected["value"].tolist() == [1.0]


def test_plugin_registers_collectors_and_namespaced_notice_template():
    host = PluginHost(entry_points_enabled=False, extra=[("tancheng", plugin)])
    assert {"tancheng_decisions", "tancheng_requests"} <= set(host.collectors())
    folder = host.notice_templates()["tancheng"]
    assert (folder / "tancheng" / "annual.md.j2").is_file()
    # no top-level annual.md.j2: installing the plugin must not change other regions' notices
    assert not (folder / "annual.md.j2").exists()


def test_notice_template_uses_the_plan_wording():
    context = {
        "title": "关于2023年度政务公开工作考核结果的通报",
        "addressees": "各乡镇人民政府",
        "noun": "考核",
        "rubric_title": "郯城县2023年度政务公开工作考核细则",
        "issuer": "郯城县人民政府办公室",
        "period": "2023年度",
        "year": 2023,
        "unit_count": 3,
        "group_count": 2,
        "groups": [
            {
                "name": "乡镇街道",
                "count": 2,
                "grades": [],
                "average": "90",
                "pass_rate": "100%",
                "best": ["马头镇"],
                "best_total": "95",
                "lists": [],
                "improved": [],
            },
            {
                "name": "县直部门",
                "count": 1,
                "grades": [],
                "average": "90",
                "pass_rate": "100%",
                "best": ["县财政局"],
                "best_total": "90",
                "lists": [],
                "improved": [],
            },
        ],
        "problems": [],
        "missing": [],
        "vetoed": [],
        "requirements": [],
        "attachments": [],
        "performance_share": "5",
        "rectify_deadline": "2024年2月29日",
        "date": "2024年1月15日",
    }
    folder = plugin.TEMPLATES
    md = render_markdown(context, "tancheng/annual", [folder])
    assert "郯政办字〔2023〕37号" in md
    assert "对2个乡镇街道和1个县直部门2023年度政务公开工作进行了考核" in md
    assert "于2024年2月29日前将整改情况报送郯城县人民政府办公室" in md
    assert "决策文件出台后10个工作日内公开意见采纳情况" in md  # 工作要点 wording, shortened
    assert "## 一、总体情况" in md  # the rest comes from the built-in skeleton
