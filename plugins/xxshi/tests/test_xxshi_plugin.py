"""Tests of the xx市 plugin (run with: pytest plugins/xxshi)."""

from __future__ import annotations

import attrs
import pytest
from zwgk_score_xxshi import plugin
from zwgk_score_xxshi.filings import NewMediaFilingsCollector
from zwgk_score_xxshi.ledger import DatedLedgerCollector
from zwgk_score_xxshi.spotchecks import NewMediaChecksCollector

from zwgk_score.errors import ConfigError, DataError
from zwgk_score.outputs.markdown import render_markdown
from zwgk_score.plugin import annual_context
from zwgk_score.plugins import PluginHost

UNITS = ("张北县", "康保县", "市财政局")

FILINGS = """主办单位,账号名称,平台,变更事项,事项日期,备案日期
张北县,张北发布,微信公众号,注销,2022-04-29,2022-05-07
张北县,张北融媒,抖音,开设,2022-09-30,2022-10-10
康保县,康保发布,微博,开设,2022-09-23,2022-10-09
康保县,康保在线,快手,关停,2022-12-20,
市财政局,张家口财政,微信公众号,变更,2021-12-28,2022-01-10
"""

CHECKS = """组织单位,抽查日期,通报文号,抽查账号数
张北县,2022-06-08,张新媒抽〔2022〕6号,5
张北县,2022-06-27,张新媒抽〔2022〕61号,4
张北县,2022-07-12,张新媒抽〔2022〕7号,6
张北县,2021-12-20,张新媒抽〔2021〕12号,3
康保县,2022/3/15,,
"""


def _ctx(tmp_path):
    return annual_context(2022, UNITS, tmp_path)


def _write(tmp_path, name, text):
    (tmp_path / name).write_text(text, encoding="utf-8")
    return name


def test_filings_count_working_days_across_holidays(tmp_path):
    file = _write(tmp_path, "备案.csv", FILINGS)
    rows = NewMediaFilingsCollector().collect({"file": file}, _ctx(tmp_path))
    # 04-29 (Fri) → 05-07: 04-30..05-04 Labour Day, 05-05, 05-06, 05-07 (make-up Sat) = 3
    # 09-30 (Fri) → 10-10: 10-01..07 National Day, 10-08/10-09 make-up Sat/Sun, 10-10 = 3
    #   (a plain Mon–Fri count would give 6: 10-03..07 and 10-10)
    # 09-23 (Fri) → 10-09: 09-26..30 (5), 10-08 (6), 10-09 (7) = 7 → late
    # 12-20 (Tue), not filed: 12-21, 22, 23, 26..30 = 8 up to 12-31 (Sat, New Year holiday)
    # 2021-12-28: outside the period, not listed
    assert rows[["unit", "key", "value", "text"]].values.tolist() == [
        ["张北县", "newmedia_filing", 3.0, ""],
        ["张北县", "newmedia_filing", 3.0, ""],
        ["康保县", "newmedia_filing", 7.0, ""],
        ["康保县", "newmedia_filing", 8.0, "未备案"],
    ]
    assert rows["evidence"].iat[1] == (
        "账号「张北融媒」开设：2022-09-30 发生，2022-10-10 备案，用时 3 个工作日（时限 5 个工作日）"
    )
    assert rows["source"].tolist() == ["备案.csv:2", "备案.csv:3", "备案.csv:4", "备案.csv:5"]


def test_filings_late_role_and_limit(tmp_path):
    file = _write(tmp_path, "备案.csv", FILINGS)
    settings = {"file": file, "limit": 3, "keys": {"late": "D5.2.1"}}
    rows = NewMediaFilingsCollector().collect(settings, _ctx(tmp_path))
    # limit 3: 3, 3 on time; 7 and 8 (unfiled) late
    assert rows[["unit", "key", "value", "text"]].values.tolist() == [
        ["康保县", "D5.2.1", 1.0, "超期备案"],
        ["康保县", "D5.2.1", 1.0, "未备案"],
    ]


def test_filings_period_only_false_keeps_last_year(tmp_path):
    file = _write(tmp_path, "备案.csv", FILINGS)
    rows = NewMediaFilingsCollector().collect({"file": file, "period_only": False}, _ctx(tmp_path))
    # 2021-12-28 (Tue) → 2022-01-10: 12-29, 30, 31 (3), 01-01..03 New Year, 01-04..07 (7), 01-10 (8)
    assert rows["value"].tolist()[-1] == 8.0


@pytest.mark.parametrize(
    ("line", "where", "words"),
    [
        ("张北县,张北发布,微博,撤销,2022-03-01,2022-03-02", "第 2 行，列 变更事项", "撤销"),
        ("张北县,张北发布,微博,开设,2022-03-05,2022-03-01", "第 2 行，列 备案日期", "早于"),
        (
            "张家口市,张北发布,微博,开设,2022-03-01,2022-03-02",
            "第 2 行，列 主办单位",
            "不在单位名单中",
        ),
        ("张北县,张北发布,微博,开设,2022-3,2022-03-02", "第 2 行，列 事项日期", "无法识别的日期"),
    ],
)
def test_filings_bad_rows_name_row_and_column(tmp_path, line, where, words):
    file = _write(tmp_path, "备案.csv", FILINGS.splitlines()[0] + "\n" + line + "\n")
    with pytest.raises(DataError) as err:
        NewMediaFilingsCollector().collect({"file": file}, _ctx(tmp_path))
    assert err.value.path == where
    assert words in str(err.value)


def test_filings_duplicate_event_is_refused(tmp_path):
    line = "张北县,张北发布,微博,开设,2022-03-01,2022-03-02"
    file = _write(tmp_path, "备案.csv", FILINGS.splitlines()[0] + f"\n{line}\n{line}\n")
    with pytest.raises(DataError, match="与第 2 行相同"):
        NewMediaFilingsCollector().collect({"file": file}, _ctx(tmp_path))


def test_filings_unknown_setting_is_a_config_error(tmp_path):
    file = _write(tmp_path, "备案.csv", FILINGS)
    with pytest.raises(ConfigError) as err:
        NewMediaFilingsCollector().collect({"file": file, "limt": 5}, _ctx(tmp_path))
    assert err.value.path == "collectors.xxshi_newmedia_filings.limt"
    ctx = attrs.evolve(_ctx(tmp_path), config_file=tmp_path / "考核.toml")
    with pytest.raises(ConfigError) as err:
        NewMediaFilingsCollector().collect({"file": file, "kyes": {}}, ctx)
    assert "collectors.xxshi_newmedia_filings" in str(err.value) and "kyes" in str(err.value)
    assert "考核.toml" in str(err.value) and "keys" in str(err.value)  # the hint's guess


def test_checks_count_distinct_months_for_every_unit(tmp_path):
    file = _write(tmp_path, "抽查.csv", CHECKS)
    rows = NewMediaChecksCollector().collect({"file": file}, _ctx(tmp_path))
    # 张北县: June twice + July = 2 months (2021-12 outside the period); 康保县: March = 1;
    # 市财政局: no record = 0 (a row all the same, so the count is not "missing")
    assert rows[["unit", "key", "value"]].values.tolist() == [
        ["张北县", "newmedia_check", 2.0],
        ["康保县", "newmedia_check", 1.0],
        ["市财政局", "newmedia_check", 0.0],
    ]
    assert rows["evidence"].tolist() == [
        "全年抽查 3 次，覆盖 2 个月：6月、7月（另有考核期外记录 1 条，不计）",
        "全年抽查 1 次，覆盖 1 个月：3月",
        "考核期内无抽查记录",
    ]
    assert rows["source"].tolist()[:2] == ["抽查.csv:2", "抽查.csv:6"]


def test_checks_key_and_header_mapping(tmp_path):
    file = _write(tmp_path, "抽查.csv", CHECKS.replace("组织单位", "单位名称"))
    settings = {"file": file, "key": "D5.2.2", "columns": {"unit": "单位名称"}}
    rows = NewMediaChecksCollector().collect(settings, _ctx(tmp_path))
    assert set(rows["key"]) == {"D5.2.2"}
    with pytest.raises(ConfigError):
        NewMediaChecksCollector().collect({"file": file, "key": ""}, _ctx(tmp_path))


def test_checks_name_the_table_and_key_of_a_typo(tmp_path):
    file = _write(tmp_path, "抽查.csv", CHECKS)
    ctx = attrs.evolve(_ctx(tmp_path), config_file=tmp_path / "考核.toml")
    with pytest.raises(ConfigError) as err:
        NewMediaChecksCollector().collect({"file": file, "keys": {"a": "b"}}, ctx)
    assert err.value.path == "collectors.xxshi_newmedia_checks.keys"
    assert "collectors.xxshi_newmedia_checks" in str(err.value) and "keys" in str(err.value)
    assert "考核.toml" in str(err.value)
    with pytest.raises(ConfigError) as err:  # a wrong type is located at its key too
        NewMediaChecksCollector().collect({"file": file, "key": 3}, ctx)
    assert "collectors.xxshi_newmedia_checks" in str(err.value) and "key" in str(err.value)


def test_plugin_registers_collectors_and_templates():
    host = PluginHost(entry_points_enabled=False, extra=[("xxshi", plugin)])
    collectors = host.collectors()
    assert {"xxshi_newmedia_filings", "xxshi_newmedia_checks", "xxshi_ledger"} <= set(collectors)
    templates = host.notice_templates()
    assert (templates["xxshi"] / "xxshi" / "annual.md.j2").is_file()


def test_notice_template_renders_region_wording():
    host = PluginHost(entry_points_enabled=False, extra=[("xxshi", plugin)])
    context = {
        "title": "关于2022年度政务公开工作考核结果的通报",
        "addressees": "各县（区）人民政府",
        "issuer": "xx市人民政府办公室",
        "rubric_title": "xx市2022年政务公开工作考核细则",
        "period": "2022年度",
        "noun": "考核",
        "unit_count": 2,
        "group_count": 1,
        "groups": [
            {
                "id": "county",
                "name": "县(区)",
                "count": 2,
                "grades": [],
                "lists": [],
                "best": ["张北县"],
                "best_total": "99",
                "average": "90",
                "pass_rate": "100%",
                "improved": [],
            }
        ],
        "problems": [],
        "missing": [],
        "vetoed": [],
        "requirements": [],
        "attachments": [],
        "rectify_deadline": "2023年2月28日",
        "performance_share": "4.5",
        "year": 2022,
        "date": "",
    }
    text = render_markdown(context, "xxshi/annual", list(host.notice_templates().values()))
    assert "为贯彻落实《xx市2022年政务公开工作要点》" in text
    assert "于2023年2月28日前将整改情况报送xx市人民政府办公室" in text
    assert "5个工作日内在市政务新媒体监测系统备案" in text
    assert "满分4.5分" in text


LEDGER = """任务编号,任务名称,责任单位,责任时限,完成时间
(二十),建成政务公开专区,张北县,2022年9月底前,2022-10-14
(二十),建成政务公开专区,康保县,2022年9月底前,
(十三),公开年度重大行政决策事项目录,张北县,2022年底前,
(十三),公开年度重大行政决策事项目录,市财政局,2022年底前,2022-12-20
"""


def test_ledger_scores_a_dated_task_once(tmp_path):
    name = _write(tmp_path, "台账.csv", LEDGER)
    rows = DatedLedgerCollector().collect(
        {"file": name, "keys": {"late": "task_late"}, "dated": {"(二十)": "zone_built"}},
        _ctx(tmp_path),
    )
    zone = rows[rows["key"] == "zone_built"].set_index("unit")
    # 张北县 built it 10-14 (its deadline leaf scores the 14 days), 康保县 not yet,
    # 市财政局 is not named for the 专区: 不适用
    assert zone.loc["张北县", "text"] == "2022-10-14"
    assert (zone.loc["康保县", "text"], zone.loc["康保县", "status"]) == ("", "ok")
    assert "截至检查未完成" in zone.loc["康保县", "evidence"]
    assert zone.loc["市财政局", "status"] == "na"
    # task_late: only (十三) of 张北县 (due 12-31, open at the 12-31 check) — the late
    # 专区 rows are left to zone_built, so no unit loses points twice for it
    late = rows[rows["key"] == "task_late"]
    assert late["unit"].tolist() == ["张北县"]
    assert "(十三)" in late["evidence"].iat[0]
    assert "逾期 0 天" not in late["evidence"].iat[0]


def test_ledger_dated_must_map_tasks_to_keys(tmp_path):
    name = _write(tmp_path, "台账.csv", LEDGER)
    with pytest.raises(ConfigError) as err:
        DatedLedgerCollector().collect({"file": name, "dated": ["(二十)"]}, _ctx(tmp_path))
    assert err.value.path == "collectors.xxshi_ledger.dated"
