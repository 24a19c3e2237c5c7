"""Collector ``newmedia_inspection`` (政务新媒体检查): register + monitoring export.

Fixture: units 市发改委 / 市教育局 / 市民政局, period 2022-01-01 .. 2022-12-31
(the end of the period, Saturday 2022-12-31, is the check date of unfiled events).
2022 National Day: 10-01 (Sat) .. 10-07 (Fri) holiday, 10-08 (Sat) and 10-09 (Sun)
make-up working days.

Register (台账), filing timeliness (working days after the event, event day not counted):

- row 2 发改发布 (微信公众号) opened Thu 2022-09-29, filed Mon 10-10:
  09-30 (1), holiday 10-01..07, 10-08 (2), 10-09 (3), 10-10 (4) = 4.
- row 3 发改微博 (微博) opened 2019 (before the period: no opening event), closed Fri
  2022-09-30, closing filed Wed 10-12: 10-08 (1), 10-09 (2), 10-10 (3), 10-11 (4),
  10-12 (5) = 5.
- row 4 教育发布 (微信公众号) opened 2021: no event.
- row 5 教育抖音 (抖音) opened Tue 2022-12-20, never filed → to Sat 12-31:
  12-21, 12-22, 12-23 (3), 12-26 .. 12-30 (5) = 8, text 未备案.
- row 6 民政头条 (头条号) status 停更, opened 2020-01-01: no event.

Monitoring (监测记录), one row per account per check, stale when > 14 days:

- row 2 发改发布 check 10-31, latest 10-28: 3 days.
- row 3 发改发布 check 12-31, latest 12-10: 21 days > 14 → stale, veto.
- row 4 教育发布 check 10-31, latest 10-17: exactly 14 days → not stale.
- row 5 教育发布 check 12-31, latest 12-16: 15 days → stale, veto.
- row 6 民政头条 check 12-31, no post ever: opened 2020-01-01 → 1095 days
  (366 + 365 + 364: 2020 is a leap year) → stale, veto.
- row 7 发改微博 check 09-15 (before it closed), latest 09-14: 1 day.

Messages (留言数 / 回复数): 发改发布 4/4 + 2/1, 发改微博 1/1 → 市发改委 6 of 7;
教育发布 0/0 + 3/0 → 市教育局 0 of 3 (no reply at all → 互动回应差 veto);
民政头条 blank → 市民政局 no messages, rate na.
"""

from __future__ import annotations

import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_collect_tables import make_ctx, write_csv, write_xlsx

from zwgk_score.collect.base import EVIDENCE_COLUMNS
from zwgk_score.collect.newmedia import NewMediaInspectionCollector
from zwgk_score.errors import ConfigError, DataError
from zwgk_score.plugins import PluginHost

REGISTER = """
单位,账号名称,平台,状态,开设日期,注销日期,备案日期,注销备案日期
市发改委,发改发布,微信公众号,运行,2022-09-29,,2022-10-10,
市发改委,发改微博,微博,注销,2019-05-06,2022-09-30,2019-05-08,2022-10-12
市教育局,教育发布,微信公众号,运行,2021-03-01,,2021-03-02,
市教育局,教育抖音,抖音,运行,2022-12-20,,,
市民政局,民政头条,头条号,停更,2020-01-01,,2020-01-03,
"""
MONITORING = """
账号名称,平台,检查日期,最近更新日期,留言数,回复数
发改发布,微信公众号,2022-10-31,2022-10-28,4,4
发改发布,微信公众号,2022-12-31,2022-12-10,2,1
教育发布,微信公众号,2022-10-31,2022-10-17,0,0
教育发布,微信公众号,2022-12-31,2022-12-16,3,0
民政头条,头条号,2022-12-31,,,
发改微博,微博,2022-09-15,2022-09-14,1,1
"""
KEYS = {
    "stale": "nm_stale",
    "veto": "nm_veto",
    "filing": "nm_filing",
    "reply_rate": "nm_rate",
    "accounts": "nm_accounts",
}


def ctx_2022(base: Path):
    return make_ctx(base, start=date(2022, 1, 1), end=date(2022, 12, 31))


def write_inputs(tmp_path: Path, register: str = REGISTER, monitoring: str = MONITORING, **extra):
    write_csv(tmp_path / "台账.csv", register)
    write_csv(tmp_path / "监测.csv", monitoring)
    settings = {"register": {"file": "台账.csv"}, "monitoring": {"file": "监测.csv"}, "keys": KEYS}
    settings.update(extra)
    return settings


def run(tmp_path: Path, **kw) -> pd.DataFrame:
    return NewMediaInspectionCollector().collect(write_inputs(tmp_path, **kw), ctx_2022(tmp_path))


def of(rows: pd.DataFrame, key: str) -> pd.DataFrame:
    return rows[rows["key"] == key].reset_index(drop=True)


@pytest.fixture
def rows(tmp_path) -> pd.DataFrame:
    return run(tmp_path)


def test_registered_as_builtin():
    assert isinstance(
        PluginHost(entry_points_enabled=False).collectors()["newmedia_inspection"],
        NewMediaInspectionCollector,
    )
    assert NewMediaInspectionCollector().name == "newmedia_inspection"


def test_filing_timeliness_rows(rows):
    f = of(rows, "nm_filing")
    assert list(rows.columns) == list(EVIDENCE_COLUMNS)
    # See the module docstring: 4 (National Day), 5 (closing), 8 (unfiled to 12-31).
    assert f["value"].tolist() == [4, 5, 8]
    assert f["unit"].tolist() == ["市发改委", "市发改委", "市教育局"]
    assert f["text"].tolist() == ["", "", "未备案"]
    assert f["source"].tolist() == ["台账.csv:2", "台账.csv:3", "台账.csv:5"]
    assert f["evidence"].tolist() == [
        "微信公众号「发改发布」开设：2022-09-29 发生，2022-10-10 备案，用时 4 个工作日（时限 5 个工作日）",
        "微博「发改微博」注销：2022-09-30 发生，2022-10-12 备案，用时 5 个工作日（时限 5 个工作日）",
        "抖音「教育抖音」开设：2022-12-20 发生，截至 2022-12-31 未备案，已 8 个工作日（时限 5 个工作日）",
    ]


def test_stale_rows(rows):
    s = of(rows, "nm_stale")
    # 21 > 14, 15 > 14, 1095 > 14; 教育发布 on 10-31 is exactly 14 days and not stale.
    assert s["unit"].tolist() == ["市发改委", "市教育局", "市民政局"]
    assert s["value"].tolist() == [1, 1, 1]
    assert s["source"].tolist() == ["监测.csv:3", "监测.csv:5", "监测.csv:6"]
    assert s["evidence"].tolist() == [
        "微信公众号「发改发布」：最近更新 2022-12-10，至检查日 2022-12-31 已 21 天未更新（超过 14 天）",
        "微信公众号「教育发布」：最近更新 2022-12-16，至检查日 2022-12-31 已 15 天未更新（超过 14 天）",
        "头条号「民政头条」：未发现发布记录（2020-01-01 开设），至检查日 2022-12-31 已 1095 天未更新（超过 14 天）",
    ]


def test_veto_rows(rows):
    v = of(rows, "nm_veto")
    # 发改委: stale 21 days; 教育局: stale 15 days + no reply to 3 messages; 民政局: never posted.
    assert v["unit"].tolist() == ["市发改委", "市教育局", "市教育局", "市民政局"]
    assert v["value"].tolist() == [1, 1, 1, 1]
    assert v["evidence"].tolist() == [
        "内容不更新：微信公众号「发改发布」检查日 2022-12-31 前 14 天内无更新（最近更新 2022-12-10，已 21 天）",
        "内容不更新：微信公众号「教育发布」检查日 2022-12-31 前 14 天内无更新（最近更新 2022-12-16，已 15 天）",
        "互动回应差：微信公众号「教育发布」收到留言 3 条，均未回复",
        "内容不更新：头条号「民政头条」检查日 2022-12-31 前 14 天内无更新（未发现发布记录（2020-01-01 开设），已 1095 天）",
    ]
    assert v["source"].iat[2] == "监测.csv:4; 监测.csv:5"


def test_veto_thresholds_configurable(tmp_path):
    # veto_stale_days = 30: 21 and 15 days no longer veto, 1095 still does; the unanswered
    # check is switched off; a reply-rate floor of 0.9 catches 发改委's 发改发布 (5 of 6 = 83.33 %).
    rows = run(tmp_path, veto_stale_days=30, veto_unanswered=False, veto_reply_rate=0.9)
    v = of(rows, "nm_veto")
    assert v["unit"].tolist() == ["市发改委", "市教育局", "市民政局"]
    assert v["value"].tolist() == [1, 1, 1]
    assert v["evidence"].iat[0] == (
        "互动回应差：微信公众号「发改发布」收到留言 6 条，回复 5 条，回复率 83.33% 低于 90.00%"
    )
    # 教育发布: 0 of 3 = 0 % < 90 % (reported as a low rate since veto_unanswered is off).
    assert v["evidence"].iat[1].endswith("回复率 0.00% 低于 90.00%")
    assert v["evidence"].iat[2].startswith("内容不更新：头条号「民政头条」")


def test_veto_clear_row_per_unit(tmp_path):
    rows = run(tmp_path, veto_stale_days=0, veto_unanswered=False)
    v = of(rows, "nm_veto")
    assert v["unit"].tolist() == ["市发改委", "市教育局", "市民政局"]
    assert v["value"].tolist() == [0, 0, 0]
    assert set(v["evidence"]) == {"未触发单项否决"}


def test_reply_rate_per_unit(rows):
    r = of(rows, "nm_rate")
    # 发改委 (4 + 1 + 1) / (4 + 2 + 1) = 6/7; 教育局 0/3; 民政局 no messages → na.
    assert r["value"].iat[0] == pytest.approx(6 / 7)
    assert r["value"].iat[1] == 0.0
    assert pd.isna(r["value"].iat[2])
    assert r["status"].tolist() == ["ok", "ok", "na"]
    assert r["evidence"].iat[0] == "政务新媒体收到留言 7 条，回复 6 条，回复率 85.71%"


def test_account_count(rows):
    a = of(rows, "nm_accounts")
    # On 2022-12-31: 发改微博 closed 09-30, so 发改委 1; 教育局 2; 民政局 1 (停更 is still online).
    assert a["value"].tolist() == [1, 2, 1]
    assert a["evidence"].iat[1] == (
        "2022-12-31 在运行的政务新媒体账号 2 个：微信公众号「教育发布」、抖音「教育抖音」"
    )


def test_default_keys_without_accounts(tmp_path):
    settings = write_inputs(tmp_path)
    del settings["keys"]
    rows = NewMediaInspectionCollector().collect(settings, ctx_2022(tmp_path))
    assert set(rows["key"]) == {
        "newmedia_stale",
        "newmedia_veto",
        "newmedia_filing",
        "newmedia_reply_rate",
    }


def test_exempt_status_and_stale_days(tmp_path):
    # 停更 exempt: 民政头条 is not judged. stale_days = 20: only the 21-day gap remains.
    rows = run(tmp_path, status_exempt=["停更"], status_active=["运行"], stale_days=20)
    s = of(rows, "nm_stale")
    assert s["unit"].tolist() == ["市发改委"]
    assert "21 天" in s["evidence"].iat[0]
    assert of(rows, "nm_veto").query("unit == '市民政局'")["value"].tolist() == [0]


def test_per_post_export_and_spring_festival_xlsx(tmp_path):
    """Per-post monitoring (no 检查日期 column) in XLSX, check date = inspection_date.

    2023 Spring Festival: 01-21 (Sat) .. 01-27 (Fri) holiday, 01-28 (Sat) and 01-29 (Sun)
    make-up working days.  教育发布 opened Thu 2023-01-19, filed Mon 01-30:
    01-20 (1), holiday, 01-28 (2), 01-29 (3), 01-30 (4) = 4.
    Inspection 2023-02-15: 教育发布 posts 01-20, 01-31 and 02-20 (after the check, ignored)
    → latest 01-31, 15 days → stale.  发改发布 posted 02-10 → 5 days.
    """
    write_xlsx(
        tmp_path / "台账.xlsx",
        [
            ["主办单位", "账号", "平台", "状态", "开设时间", "备案时间"],
            [
                "市发改委",
                "发改发布",
                "微信公众号",
                "正常",
                datetime(2021, 1, 4),
                datetime(2021, 1, 5),
            ],
            ["市教育局", "教育发布", "微博", "正常", datetime(2023, 1, 19), datetime(2023, 1, 30)],
        ],
    )
    write_xlsx(
        tmp_path / "发布.xlsx",
        [
            ["账号", "发布时间"],
            ["发改发布", datetime(2023, 2, 10, 9, 30)],
            ["教育发布", datetime(2023, 1, 20)],
            ["教育发布", "2023年1月31日"],
            ["教育发布", "2023/2/20"],
        ],
    )
    cols = {"unit": "主办单位", "account": "账号", "opened": "开设时间", "filed": "备案时间"}
    settings = {
        "register": {"file": "台账.xlsx", "columns": cols},
        "monitoring": {"file": "发布.xlsx", "columns": {"account": "账号", "latest": "发布时间"}},
        "inspection_date": "2023-02-15",
        "keys": {"stale": "s", "filing": "f", "veto": "v"},
    }
    ctx = make_ctx(tmp_path, start=date(2023, 1, 1), end=date(2023, 3, 31))
    rows = NewMediaInspectionCollector().collect(settings, ctx)
    assert of(rows, "f")["value"].tolist() == [4]
    s = of(rows, "s")
    assert s["unit"].tolist() == ["市教育局"]
    assert s["source"].tolist() == ["发布.xlsx:4"]  # the row holding the latest post
    assert s["evidence"].iat[0] == (
        "微博「教育发布」：最近更新 2023-01-31，至检查日 2023-02-15 已 15 天未更新（超过 14 天）"
    )
    assert of(rows, "v")["value"].tolist() == [0, 1, 0]


def test_skip_units_and_aliases(tmp_path):
    reg = (
        REGISTER
        + "市档案馆,档案发布,微信公众号,运行,2022-03-01,,2022-03-20,\n发改委,发改视频,抖音,运行,2021-01-01,,2021-01-02,"
    )
    mon = MONITORING + "档案发布,微信公众号,2022-12-31,2022-01-01,,"
    settings = write_inputs(tmp_path, register=reg, monitoring=mon)
    settings["register"].update(skip_units=["市档案馆"], aliases={"发改委": "市发改委"})
    rows = NewMediaInspectionCollector().collect(settings, ctx_2022(tmp_path))
    assert "市档案馆" not in set(rows["unit"])
    assert of(rows, "nm_accounts")["value"].tolist() == [2, 2, 1]


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("which", "old", "new", "message", "where"),
    [
        (
            "register",
            "市民政局,民政头条",
            "市财政局,民政头条",
            "单位「市财政局」不在单位名单中",
            "第 6 行，列 单位",
        ),
        (
            "register",
            "2022-12-20,,,",
            "2022-12-20,,2022-12-19,",
            "备案早于开设",
            "第 5 行，列 备案日期",
        ),
        (
            "register",
            "2022-09-29,,2022-10-10",
            "2022-9-31,,2022-10-10",
            "无法识别的日期「2022-9-31」",
            "第 2 行，列 开设日期",
        ),
        ("register", "停更", "休眠", "无法识别的账号状态「休眠」", "第 6 行，列 状态"),
        (
            "register",
            "注销,2019-05-06,2022-09-30",
            "注销,2019-05-06,",
            "没有注销日期",
            "第 3 行，列 注销日期",
        ),
        (
            "register",
            "运行,2021-03-01,",
            "运行,2021-03-01,2022-05-01",
            "却填写了注销日期",
            "第 4 行，列 注销日期",
        ),
        (
            "register",
            "2022-09-30,2019-05-08,2022-10-12",
            "2022-09-30,2019-05-08,2022-09-29",
            "注销备案早于注销",
            "第 3 行，列 注销备案日期",
        ),
        (
            "register",
            "市教育局,教育抖音,抖音",
            "市教育局,教育发布,微信公众号",
            "账号「教育发布／微信公众号」重复（与第 4 行相同）",
            "第 5 行，列 平台",
        ),
        (
            "monitoring",
            "民政头条,头条号",
            "民政微博,头条号",
            "账号「民政微博（头条号）」不在新媒体账号台账中",
            "第 6 行，列 账号名称",
        ),
        (
            "monitoring",
            "2022-12-31,2022-12-16",
            "2022-12-31,2023-01-16",
            "最近更新晚于检查日期：检查日期「2022-12-31」早于最近更新日期「2023-01-16」",
            "第 5 行，列 检查日期",
        ),
        (
            "monitoring",
            "2022-12-16,3,0",
            "2022-12-16,3,4",
            "回复数大于留言数",
            "第 5 行，列 回复数",
        ),
        ("monitoring", "2022-12-16,3,0", "2022-12-16,三,0", "「三」不是数字", "第 5 行，列 留言数"),
        (
            "monitoring",
            "发改微博,微博,2022-09-15",
            "发改微博,微博,2022-10-15",
            "账号已于 2022-09-30 注销",
            "第 7 行，列 检查日期",
        ),
        (
            "monitoring",
            "2022-10-31,2022-10-28",
            "2022-09-01,2022-08-28",
            "检查日期早于账号开设日期",
            "第 2 行，列 检查日期",
        ),
    ],
)
def test_bad_rows(tmp_path, which, old, new, message, where):
    text = {"register": REGISTER, "monitoring": MONITORING}
    assert old in text[which]
    text[which] = text[which].replace(old, new, 1)
    with pytest.raises(DataError) as err:
        run(tmp_path, **text)
    assert message in err.value.message
    assert err.value.path == where
    assert err.value.file.endswith("台账.csv" if which == "register" else "监测.csv")
    assert err.value.hint


def test_ambiguous_account_without_platform(tmp_path):
    reg = REGISTER + "市民政局,教育发布,微博,运行,2021-01-01,,2021-01-02,"
    mon = "账号名称,检查日期,最近更新日期\n教育发布,2022-12-31,2022-12-30"
    with pytest.raises(DataError, match="对应多个平台") as err:
        run(tmp_path, register=reg, monitoring=mon)
    assert err.value.path == "第 2 行，列 账号名称"


def test_closing_in_period_needs_close_filed_column(tmp_path):
    reg = "\n".join(line.rsplit(",", 1)[0] for line in REGISTER.strip().splitlines())
    with pytest.raises(DataError, match="缺少列「注销备案日期」") as err:
        run(tmp_path, register=reg)
    assert "第 3 行" in err.value.message
    # Assessing only openings works without the column.
    rows = run(tmp_path, register=reg, filing_events=["开设"])
    assert of(rows, "nm_filing")["value"].tolist() == [4, 8]


def test_messages_without_replies_column(tmp_path):
    mon = "\n".join(line.rsplit(",", 1)[0] for line in MONITORING.strip().splitlines())
    with pytest.raises(DataError, match="缺少列「回复数」"):
        run(tmp_path, monitoring=mon)


def test_reply_rate_key_needs_columns(tmp_path):
    mon = "账号名称,平台,检查日期,最近更新日期\n发改发布,微信公众号,2022-12-31,2022-12-30"
    with pytest.raises(ConfigError) as err:
        run(tmp_path, monitoring=mon)
    assert err.value.path == "collectors.newmedia_inspection.keys.reply_rate"
    keys = {k: v for k, v in KEYS.items() if k != "reply_rate"}
    rows = run(tmp_path, monitoring=mon, keys=keys)
    assert "nm_rate" not in set(rows["key"])


@pytest.mark.parametrize(
    ("extra", "path"),
    [
        ({"stale_day": 14}, "collectors.newmedia_inspection.stale_day"),
        ({"veto_reply_rate": 1.5}, "collectors.newmedia_inspection.veto_reply_rate"),
        ({"veto_unanswered": "是"}, "collectors.newmedia_inspection.veto_unanswered"),
        ({"stale_days": -1}, "collectors.newmedia_inspection.stale_days"),
        ({"inspection_date": "2022-13-01"}, "collectors.newmedia_inspection.inspection_date"),
        ({"filing_events": ["变更"]}, "collectors.newmedia_inspection.filing_events"),
        ({"status_exempt": ["注销"]}, "collectors.newmedia_inspection.status_closed"),
        ({"keys": {"stael": "x"}}, "collectors.newmedia_inspection.keys.stael"),
        ({"register": None}, "collectors.newmedia_inspection.register"),
        (
            {"monitoring": {"file": "监测.csv", "aliases": {}}},
            "collectors.newmedia_inspection.monitoring.aliases",
        ),
    ],
)
def test_bad_settings(tmp_path, extra, path):
    settings = write_inputs(tmp_path)
    settings.update(extra)
    with pytest.raises(ConfigError) as err:
        NewMediaInspectionCollector().collect(settings, ctx_2022(tmp_path))
    assert err.value.path == path


def test_period_only(tmp_path):
    # A check on 2021-12-31 (before the 2022 period): 发改微博's latest post 2021-10-01 is
    # 91 days old (31 + 30 + 30), but the check is outside the period and not judged.
    mon = MONITORING + "发改微博,微博,2021-12-31,2021-10-01,5,0"
    s = of(run(tmp_path, monitoring=mon), "nm_stale")
    assert s["unit"].tolist() == ["市发改委", "市教育局", "市民政局"]
    rows = run(tmp_path, monitoring=mon, period_only=False)
    s = of(rows, "nm_stale")
    assert s["evidence"].iat[1] == (
        "微博「发改微博」：最近更新 2021-10-01，至检查日 2021-12-31 已 91 天未更新（超过 14 天）"
    )
    # period_only = false also counts the openings before 2022: 5 openings + 1 closing.
    assert len(of(rows, "nm_filing")) == 6


@settings(max_examples=30, deadline=None)
@given(gap=st.integers(0, 60), stale=st.integers(0, 40), veto=st.integers(0, 40))
def test_thresholds_are_strictly_more_than(gap, stale, veto):
    """A post ``gap`` days before the check is stale iff gap > stale_days; veto iff gap > veto_stale_days > 0."""
    latest = date(2022, 12, 31) - timedelta(days=gap)
    with tempfile.TemporaryDirectory() as d:
        base = Path(d)
        reg = (
            "单位,账号名称,平台,状态,开设日期,备案日期\n市发改委,a,微博,运行,2020-01-01,2020-01-02"
        )
        mon = f"账号名称,检查日期,最近更新日期\na,2022-12-31,{latest.isoformat()}"
        conf = write_inputs(
            base,
            register=reg,
            monitoring=mon,
            stale_days=stale,
            veto_stale_days=veto,
            keys={"stale": "s", "veto": "v"},
        )
        rows = NewMediaInspectionCollector().collect(conf, ctx_2022(base))
    assert len(of(rows, "s")) == int(gap > stale)
    vetoed = of(rows, "v").query("unit == '市发改委'")["value"].tolist()
    assert vetoed == [1.0 if veto > 0 and gap > veto else 0.0]
