"""Tests of the 聊城 plugin (run with: pytest plugins/liaocheng)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from zwgk_score_liaocheng import plugin
from zwgk_score_liaocheng.publication_log import PublicationLogCollector
from zwgk_score_liaocheng.scope import QuarterScopeCollector
from zwgk_score_liaocheng.site_check import SiteCheckCollector

from zwgk_score.collect import CollectContext
from zwgk_score.errors import ConfigError, DataError
from zwgk_score.outputs.markdown import render_markdown
from zwgk_score.plugins import PluginHost
from zwgk_score.workdays import WorkCalendar

UNITS = ("东昌府区", "临清市", "市民政局")


def _ctx(tmp_path, quarter=None, start=date(2018, 1, 1), end=date(2018, 12, 31), config_file=None):
    return CollectContext(
        year=2018,
        quarter=quarter,
        period_start=start,
        period_end=end,
        base_dir=tmp_path,
        units=UNITS,
        calendar=WorkCalendar.china(),
        config_file=config_file,
    )


def _by(rows: pd.DataFrame, unit: str, key: str) -> pd.Series:
    got = rows[(rows["unit"] == unit) & (rows["key"] == key)]
    assert len(got) == 1, (unit, key, got)
    return got.iloc[0]


# ---------------------------------------------------------------- liaocheng_site_check

SHEET = (
    "单位,首页可访问率,未更新栏目数,空白栏目数,错链断链数,网站标识,必设栏目设置率,新媒体运维评价,新媒体问题数,单项否决情形,检查发现的问题\n"
    "东昌府区,99.6%,2,0,3,标识;链接;备案,100%,好,0,,“通知公告”栏目未更新\n"
    "临清市,93.5%,0,5,0,标识、备案,0.9,一般,1,首页连续7天无法访问,首页无法访问\n"
    "市民政局,100%,0,0,0,0,100%,差,不适用,无,\n"
)


def test_site_check_maps_the_sheet_onto_the_rubric_keys(tmp_path):
    (tmp_path / "site.csv").write_text(SHEET, encoding="utf-8")
    rows = SiteCheckCollector().collect({"file": "site.csv"}, _ctx(tmp_path))
    # percentages become ratios: 99.6 % → 0.996, 93.5 % → 0.935; a plain 0.9 stays 0.9
    assert _by(rows, "东昌府区", "site_availability")["value"] == pytest.approx(0.996)
    assert _by(rows, "临清市", "site_availability")["value"] == pytest.approx(0.935)
    assert _by(rows, "临清市", "site_columns")["value"] == pytest.approx(0.9)
    # counts feed the deduction items as they are (2 stale columns, 3 broken links)
    assert _by(rows, "东昌府区", "site_stale_columns")["value"] == 2
    assert _by(rows, "东昌府区", "site_broken_links")["value"] == 3
    # the badge words become the checklist part ids of T41e; 0 = no part done
    assert _by(rows, "东昌府区", "site_badge")["text"] == "visible;linked;codes"
    assert _by(rows, "临清市", "site_badge")["text"] == "visible;codes"
    assert _by(rows, "市民政局", "site_badge")["text"] == ""
    # the veto column: any text → 1 with the text as evidence; 无 → 0; blank → no row (no veto
    # either); a measured threshold (availability 93.5 % < 95 %, 5 blank columns ≥ 5) is added
    veto = _by(rows, "临清市", "site_veto")
    assert (veto["value"], veto["evidence"]) == (
        1.0,
        "首页连续7天无法访问（首页可访问率93.5%，低于95%；空白栏目5个（5个及以上））",
    )
    assert _by(rows, "市民政局", "site_veto")["value"] == 0
    assert rows[(rows["unit"] == "东昌府区") & (rows["key"] == "site_veto")].empty
    # levels pass through; 不适用 → status na
    assert _by(rows, "临清市", "new_media_use")["text"] == "一般"
    assert _by(rows, "市民政局", "new_media_issues")["status"] == "na"
    # the remark column is the evidence of the unit's rows
    assert _by(rows, "东昌府区", "site_stale_columns")["evidence"] == "“通知公告”栏目未更新"


def test_site_check_vetoes_on_the_measured_availability_even_with_a_blank_veto_cell(tmp_path):
    # rubric V41: availability below 95 % triggers the veto whatever the free-text cell says
    (tmp_path / "site.csv").write_text(
        SHEET.replace("首页连续7天无法访问,首页无法访问", ",首页无法访问").replace(
            "临清市,93.5%,0,5", "临清市,94.9%,0,4"
        ),
        encoding="utf-8",
    )
    rows = SiteCheckCollector().collect({"file": "site.csv"}, _ctx(tmp_path))
    veto = _by(rows, "临清市", "site_veto")
    assert (veto["value"], veto["evidence"]) == (1.0, "首页可访问率94.9%，低于95%")
    # 4 blank columns and 99.6 % are below the thresholds: no veto row for 东昌府区
    assert rows[(rows["unit"] == "东昌府区") & (rows["key"] == "site_veto")].empty


def test_site_check_refuses_an_unreadable_percentage(tmp_path):
    (tmp_path / "site.csv").write_text(SHEET.replace("99.6%", "约99.6"), encoding="utf-8")
    with pytest.raises(DataError) as e:
        SiteCheckCollector().collect({"file": "site.csv"}, _ctx(tmp_path))
    assert "约99.6" in e.value.message and "第 2 行" in str(e.value.path)


def test_site_check_refuses_an_unknown_badge_word_and_unknown_settings(tmp_path):
    (tmp_path / "site.csv").write_text(SHEET.replace("标识、备案", "标识、徽章"), encoding="utf-8")
    with pytest.raises(DataError):
        SiteCheckCollector().collect({"file": "site.csv"}, _ctx(tmp_path))
    with pytest.raises(ConfigError) as e:
        SiteCheckCollector().collect({"file": "site.csv", "colums": {}}, _ctx(tmp_path))
    assert e.value.path == "collectors.liaocheng_site_check.colums"


def test_site_check_names_the_table_and_key_of_a_typo(tmp_path):
    (tmp_path / "site.csv").write_text(SHEET, encoding="utf-8")
    ctx = _ctx(tmp_path, config_file=tmp_path / "考核.toml")
    with pytest.raises(ConfigError) as e:
        SiteCheckCollector().collect({"file": "site.csv", "remark_colum": "备注"}, ctx)
    assert e.value.path == "collectors.liaocheng_site_check.remark_colum"
    assert "collectors.liaocheng_site_check" in str(e.value) and "remark_colum" in str(e.value)
    assert "考核.toml" in str(e.value) and "remark_column" in str(e.value)  # the hint's guess
    with pytest.raises(ConfigError) as e:  # a column override by an unknown data key
        SiteCheckCollector().collect({"file": "site.csv", "columns": {"site_badg": "标识"}}, ctx)
    assert e.value.path == "collectors.liaocheng_site_check.columns.site_badg"


# ---------------------------------------------------------------- liaocheng_quarter_scope

RUBRIC = """
[meta]
id = "scope-test"
title = "聊城市测试细则"
issuer = "聊城市人民政府办公室"
year = 2018
performance_share = 5
[[grades]]
name = "合格"
min = 60
[[grades]]
name = "不合格"
min = 0
[[groups]]
id = "all"
name = "全部"
[[domains]]
id = "D1"
name = "平台"
points = 100
  [[domains.indicators]]
  id = "A1"
  name = "栏目更新"
  points = 40
  method = "deduction"
  data = "site_stale_columns"
  params = { per = 1 }
  [[domains.indicators]]
  id = "A2"
  name = "留言办理"
  points = 30
  method = "timeliness"
  data = "hotline_timeliness"
  params = { limit = 2, mode = "deduct", per = 0.5 }
  [[domains.indicators]]
  id = "A3"
  name = "解读"
  points = 30
  method = "binary"
"""


def test_scope_declares_every_other_indicator_not_applicable(tmp_path):
    (tmp_path / "rubric.toml").write_text(RUBRIC, encoding="utf-8")
    settings = {"rubric": "rubric.toml", "inspected": ["site_stale_columns"]}
    rows = QuarterScopeCollector().collect(settings, _ctx(tmp_path, quarter=3))
    # 3 units × 2 keys not inspected (hotline_timeliness, and A3 whose key is its id) = 6 na rows
    assert len(rows) == 6 and set(rows["status"]) == {"na"}
    assert sorted(set(rows["key"])) == ["A3", "hotline_timeliness"]
    assert (
        rows["evidence"].iat[0] == "2018年第3季度督查未检查此项，按不适用处理（按已检查项目折算）"
    )
    # indicator ids work as well as data keys
    by_id = QuarterScopeCollector().collect(
        {"rubric": "rubric.toml", "inspected": ["A1", "A2"]}, _ctx(tmp_path)
    )
    assert set(by_id["key"]) == {"A3"} and len(by_id) == 3


def test_scope_reads_the_rubric_of_the_assessment_config(tmp_path):
    (tmp_path / "rubric.toml").write_text(RUBRIC, encoding="utf-8")
    (tmp_path / "units.csv").write_text("unit,group\n东昌府区,all\n", encoding="utf-8")
    cfg = tmp_path / "q1.toml"
    cfg.write_text(
        '[assessment]\nname = "q"\nrubric = "rubric.toml"\nroster = "units.csv"\nyear = 2018\nquarter = 1\n',
        encoding="utf-8",
    )
    rows = QuarterScopeCollector().collect(
        {"inspected": ["A1", "A2"]}, _ctx(tmp_path, quarter=1, config_file=cfg)
    )
    assert set(rows["key"]) == {"A3"}


def test_scope_refuses_an_unknown_indicator(tmp_path):
    (tmp_path / "rubric.toml").write_text(RUBRIC, encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        QuarterScopeCollector().collect(
            {"rubric": "rubric.toml", "inspected": ["A1", "site_stail"]}, _ctx(tmp_path)
        )
    assert (
        e.value.path == "collectors.liaocheng_quarter_scope.inspected[1]"
        and "site_stail" in e.value.message
    )


def test_scope_names_the_table_and_key_of_a_typo(tmp_path):
    (tmp_path / "rubric.toml").write_text(RUBRIC, encoding="utf-8")
    ctx = _ctx(tmp_path, config_file=tmp_path / "考核.toml")
    with pytest.raises(ConfigError) as e:
        QuarterScopeCollector().collect({"rubric": "rubric.toml", "inspect": ["A1"]}, ctx)
    assert e.value.path == "collectors.liaocheng_quarter_scope.inspect"
    assert "collectors.liaocheng_quarter_scope" in str(e.value) and "inspect" in str(e.value)
    assert "考核.toml" in str(e.value) and "inspected" in str(e.value)  # the hint's guess


# ---------------------------------------------------------------- liaocheng_publication_log

LOG = (
    "单位,编号,事项,决定时间,公开时间\n"
    "市民政局,R1,米粉召回,2018-06-15 15:00,2018-06-16 21:00\n"
    "市民政局,R2,水饺召回,2018-11-02 09:00,2018-11-02 17:36\n"
    "临清市,R1,白酒召回,2018-12-30 10:00,\n"
    "临清市,R0,去年的召回,2017-12-20 10:00,2017-12-20 12:00\n"
)


def test_publication_log_in_hours(tmp_path):
    (tmp_path / "log.csv").write_text(LOG, encoding="utf-8")
    settings = {
        "file": "log.csv",
        "key": "recall_timeliness",
        "measure": "hours",
        "limit": 24,
        "what": "召回决定",
    }
    rows = PublicationLogCollector().collect(settings, _ctx(tmp_path))
    # 15:00 → next day 21:00 = 30 h; 09:00 → 17:36 = 8.6 h;
    # not published: 12-30 10:00 → end of the inspection day 2019-01-01 00:00 = 38 h;
    # the 2017 decision is outside the period and not counted
    assert rows["value"].tolist() == pytest.approx([30, 8.6, 38])  # hours (limit 24)
    assert rows["text"].tolist() == ["", "", "未公开"]
    assert (
        rows["evidence"].iat[0]
        == "召回决定 R1（米粉召回）：2018-06-15 15:00 作出，2018-06-16 21:00 公开，用时 30 小时（时限 24 小时）"
    )


def test_publication_log_in_working_days_across_a_holiday(tmp_path):
    (tmp_path / "log.csv").write_text(
        "单位,编号,决定时间,公开时间\n"
        "市民政局,G1,2018-09-21,2018-09-25\n"  # Fri; 22–23 weekend, 24 中秋节 → 25 is the 1st working day
        "市民政局,G2,2018-09-28,2018-10-08\n"  # Fri; 29, 30 调休上班, 10-01…07 国庆 → 08 is the 3rd
        "临清市,G1,2018-12-27,\n",  # not published: 28, 29 (调休上班) → 2 by 12-31 (30, 31 元旦)
        encoding="utf-8",
    )
    rows = PublicationLogCollector().collect(
        {"file": "log.csv", "key": "guide_change_timeliness"}, _ctx(tmp_path)
    )
    assert rows["value"].tolist() == [1, 3, 2]


def test_publication_log_refuses_bad_rows(tmp_path):
    (tmp_path / "log.csv").write_text(
        "单位,编号,决定时间,公开时间\n市民政局,G1,2018-09-21,2018-09-20\n", encoding="utf-8"
    )
    with pytest.raises(DataError) as e:
        PublicationLogCollector().collect({"file": "log.csv", "key": "k"}, _ctx(tmp_path))
    assert "第 2 行" in str(e.value.path)
    (tmp_path / "log.csv").write_text(
        "单位,编号,决定时间,公开时间\n市民政局,G1,九月,\n", encoding="utf-8"
    )
    with pytest.raises(DataError):
        PublicationLogCollector().collect({"file": "log.csv", "key": "k"}, _ctx(tmp_path))
    with pytest.raises(ConfigError) as e:
        PublicationLogCollector().collect(
            {"file": "log.csv", "key": "k", "measure": "days"}, _ctx(tmp_path)
        )
    assert e.value.path == "collectors.liaocheng_publication_log.measure"


def test_publication_log_names_the_table_and_key_of_a_typo(tmp_path):
    (tmp_path / "log.csv").write_text("单位,编号,决定时间,公开时间\n", encoding="utf-8")
    ctx = _ctx(tmp_path, config_file=tmp_path / "考核.toml")
    with pytest.raises(ConfigError) as e:
        PublicationLogCollector().collect({"file": "log.csv", "key": "k", "mesure": "hours"}, ctx)
    assert e.value.path == "collectors.liaocheng_publication_log.mesure"
    assert "collectors.liaocheng_publication_log" in str(e.value) and "mesure" in str(e.value)
    assert "考核.toml" in str(e.value) and "measure" in str(e.value)  # the hint's guess


# ---------------------------------------------------------------- registration and templates


def test_plugin_registers_collectors_and_templates():
    host = PluginHost(entry_points_enabled=False, extra=[("liaocheng", plugin)])
    assert {"liaocheng_site_check", "liaocheng_quarter_scope", "liaocheng_publication_log"} <= set(
        host.collectors()
    )
    folder = host.notice_templates()["liaocheng"]
    assert (folder / "annual.md.j2").is_file() and (folder / "quarterly.md.j2").is_file()


def _context(rubric_title: str) -> dict:
    return {
        "kind": "quarterly",
        "noun": "检查",
        "title": "关于2018年第三季度政务公开工作检查情况的通报",
        "issuer": "聊城市人民政府办公室",
        "addressees": "各县（市、区）人民政府",
        "basis": "默认开头。",
        "period": "2018年第三季度",
        "year": 2018,
        "rubric_title": rubric_title,
        "date": "2018年10月15日",
        "rectify_deadline": "",
        "unit_count": 2,
        "group_count": 1,
        "performance_share": "5",
        "has_previous": False,
        "groups": [
            {
                "name": "县(市、区)",
                "count": 2,
                "grades": [{"name": "优秀", "count": 2}],
                "average": "99",
                "pass_rate": "100%",
                "best": ["临清市"],
                "best_total": "100",
                "lists": [],
                "improved": [],
                "trend": None,  # no earlier results in a ledger (docs/history.md)
            }
        ],
        "problems": [],
        "missing": [],
        "vetoed": [],
        "requirements": ["按期整改。"],
        "attachments": [],
    }


def test_quarterly_template_has_liaocheng_wording():
    text = render_markdown(
        _context("聊城市2018年度政务公开工作考核细则"), "quarterly", [plugin.TEMPLATES]
    )
    assert (
        "实施政务公开季通报制度" in text and "中国聊城门户网站" in text and "默认开头。" not in text
    )
    assert "2018年第三季度共督查2个单位" in text and "四个季度平均分占年度成绩的20%" in text


@pytest.mark.parametrize("kind", ["annual", "quarterly"])
def test_templates_render_exactly_the_builtin_notice_for_other_rubrics(kind):
    # used with another rubric (e.g. [notice] templates = "liaocheng"), the notice comes out
    # exactly as with the built-in templates
    ctx = _context("某县2023年度考核细则") | {"kind": kind}
    assert render_markdown(ctx, kind, [plugin.TEMPLATES]) == render_markdown(ctx, kind, [])


def test_annual_template_has_liaocheng_wording():
    ctx = _context("聊城市2018年度政务公开工作考核细则") | {
        "kind": "annual",
        "noun": "考核",
        "period": "2018年度",
    }
    text = render_markdown(ctx, "annual", [plugin.TEMPLATES])
    assert "狠抓政务公开责任落实" in text and "分值不低于4%" in text and "约谈问责" in text
