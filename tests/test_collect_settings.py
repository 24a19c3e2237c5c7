"""Declared collector settings: the recipes structure ``[collectors.X]`` with cattrs.

Before: each collector listed its own keys in an ``extra=`` tuple and checked
types by hand; now a settings class per collector is structured strictly, and
every mistake names the config file, the table and the key.
"""

from __future__ import annotations

import pytest
from test_collect_tables import make_ctx

from zwgk_score.collect.disclosure import DisclosureRequestsCollector, DisclosureSettings
from zwgk_score.collect.hotline import HotlineCollector, HotlineSettings
from zwgk_score.collect.meetings import MeetingsCollector
from zwgk_score.errors import ConfigError

HOTLINE = "单位,编号,来信时间,答复时间\n市发改委,H1,2023-03-01,2023-03-02\n"


@pytest.mark.parametrize(
    ("collector", "settings", "path", "message"),
    [
        (HotlineCollector(), {"limt": 5}, "collectors.hotline.limt", "未知的设置项「limt」"),
        (HotlineCollector(), {"limit": "五"}, "collectors.hotline.limit", "应为数字"),
        (
            HotlineCollector(),
            {"period_only": "yes"},
            "collectors.hotline.period_only",
            "true/false",
        ),
        (HotlineCollector(), {"header_row": 1.5}, "collectors.hotline.header_row", "应为整数"),
        (
            HotlineCollector(),
            {"columns": {"id": 3}},
            "collectors.hotline.columns.id",
            "应为文本",
        ),
        (
            DisclosureRequestsCollector(),
            {"extended_limt": 40},
            "collectors.disclosure_requests.extended_limt",
            "未知的设置项",
        ),
        (MeetingsCollector(), {"lable": "开放活动"}, "collectors.meetings.lable", "未知的设置项"),
        (MeetingsCollector(), {"label": 3}, "collectors.meetings.label", "应为文本"),
    ],
)
def test_settings_mistakes_are_located(tmp_path, collector, settings, path, message):
    (tmp_path / "data.csv").write_text(HOTLINE, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        collector.collect({"file": "data.csv", **settings}, make_ctx(tmp_path))
    assert err.value.path == path
    assert err.value.file == "assessment.toml"
    assert message in str(err.value)


def test_missing_file_setting_is_located(tmp_path):
    with pytest.raises(ConfigError, match="缺少必填的键") as err:
        HotlineCollector().collect({}, make_ctx(tmp_path))
    assert err.value.path == "collectors.hotline.file"


def test_defaults_come_from_the_settings_class():
    assert (HotlineSettings(file="x").limit, HotlineSettings(file="x").simple_limit) == (5, None)
    s = DisclosureSettings(file="x")
    assert (s.limit, s.extended_limit, s.period_only) == (20, 40, True)


def test_structured_and_mapping_settings_give_the_same_rows(tmp_path):
    (tmp_path / "data.csv").write_text(HOTLINE, encoding="utf-8")
    ctx = make_ctx(tmp_path)
    a = HotlineCollector().collect({"file": "data.csv", "limit": 3}, ctx)
    b = HotlineCollector().collect(HotlineSettings(file="data.csv", limit=3), ctx)
    assert a.equals(b)
    # 2023-03-01 → 03-02 is one working day; the limit of 3 is quoted in the evidence
    assert a.loc[a["key"] == "hotline_timeliness", "value"].tolist() == [1.0]
    assert "时限 3 个工作日" in a["evidence"].iat[0]
