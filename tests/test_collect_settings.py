"""Declared collector settings: the recipes structure ``[collectors.X]`` with cattrs.

Before: each collector listed its own keys in an ``extra=`` tuple and checked
types by hand; now a settings class per collector is structured strictly, and
every mistake names the config file, the table and the key.
"""

from __future__ import annotations

from datetime import date

import pytest
from test_collect_tables import make_ctx

from zwgk_score.collect.disclosure import DisclosureRequestsCollector, DisclosureSettings
from zwgk_score.collect.generic import TableCollector
from zwgk_score.collect.hotline import HotlineCollector, HotlineSettings
from zwgk_score.collect.interpretations import InterpretationsCollector
from zwgk_score.collect.meetings import MeetingsCollector
from zwgk_score.collect.newmedia import NewMediaInspectionCollector
from zwgk_score.collect.task_ledger import TaskLedgerCollector
from zwgk_score.collect.wide import ScoreSheetCollector
from zwgk_score.errors import ConfigError
from zwgk_score.inspection.collector import WebsiteInspectionCollector
from zwgk_score.inspection.config import inspection_day, parse_settings

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


# ------------------------------------------------ the remaining built-in collectors
# Before: table, score_sheet, task_ledger, interpretations and newmedia_inspection
# listed their keys in `extra=` tuples and checked types by hand (the hint listed every
# key, no guess), website_inspection named only its table for an unknown key.  Now each
# structures its settings into an attrs class and an unknown key is named, with the
# closest known key as the guess.

NEWMEDIA = {"register": {"file": "r.csv"}, "monitoring": {"file": "m.csv"}}
SITE = {"unit": "市发改委", "url": "http://127.0.0.1:9/", "columns": []}


@pytest.mark.parametrize(
    ("collector", "settings", "key", "guess"),
    [
        (TableCollector(), {"allow_negativ": True}, "table.allow_negativ", "allow_negative"),
        (TableCollector(), {"key_sufix": ".q1"}, "table.key_sufix", "key_suffix"),
        (
            ScoreSheetCollector(),
            {"columns": {"a": "甲"}, "unit_colum": "单位"},
            "score_sheet.unit_colum",
            "unit_column",
        ),
        (TaskLedgerCollector(), {"key": {"late": "x"}}, "task_ledger.key", "keys"),
        (InterpretationsCollector(), {"limt": 3}, "interpretations.limt", "limit"),
        (
            InterpretationsCollector(),
            {"policies": {"file": "p.csv", "sheeet": 0}, "interpretations": {"file": "i.csv"}},
            "interpretations.policies.sheeet",
            "sheet",
        ),
        (
            InterpretationsCollector(),
            {"policies": {"file": "p.csv"}, "interpretation": {"file": "i.csv"}},
            "interpretations.interpretation",
            "interpretations",
        ),
        (
            NewMediaInspectionCollector(),
            {**NEWMEDIA, "stale_day": 14},
            "newmedia_inspection.stale_day",
            "stale_days",
        ),
        (
            NewMediaInspectionCollector(),
            {"register": {"file": "r.csv"}, "monitoring": {"file": "m.csv", "heder_row": 2}},
            "newmedia_inspection.monitoring.heder_row",
            "header_row",
        ),
        (
            WebsiteInspectionCollector(),
            {"sites": [SITE], "probs": 20},
            "website_inspection.probs",
            "probes",
        ),
    ],
)
def test_typo_in_settings_is_named_with_a_guess(tmp_path, collector, settings, key, guess):
    (tmp_path / "data.csv").write_text(HOTLINE, encoding="utf-8")
    table = {} if {"policies", "sites", "register"} & set(settings) else {"file": "data.csv"}
    with pytest.raises(ConfigError) as err:
        collector.collect({**table, **settings}, make_ctx(tmp_path))
    assert err.value.path == f"collectors.{key}"
    assert err.value.file == "assessment.toml"
    assert f"未知的设置项「{key.rsplit('.', 1)[1]}」" in err.value.message
    assert err.value.hint.startswith(f"是否应为 {guess}？")


@pytest.mark.parametrize(
    ("collector", "settings", "path", "message"),
    [
        (TableCollector(), {"key_suffix": 1}, "collectors.table.key_suffix", "应为文本"),
        (TableCollector(), {"keys": "D1"}, "collectors.table.keys", "应为数组"),
        (
            TableCollector(),
            {"allow_negative": "是"},
            "collectors.table.allow_negative",
            "true/false",
        ),
        (ScoreSheetCollector(), {"columns": ["a"]}, "collectors.score_sheet.columns", "应为表"),
        (
            TaskLedgerCollector(),
            {"header_row": "2"},
            "collectors.task_ledger.header_row",
            "应为整数",
        ),
        (
            InterpretationsCollector(),
            {"limit": "三"},
            "collectors.interpretations.limit",
            "应为数字",
        ),
    ],
)
def test_wrong_types_are_located(tmp_path, collector, settings, path, message):
    (tmp_path / "data.csv").write_text(HOTLINE, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        collector.collect({"file": "data.csv", **settings}, make_ctx(tmp_path))
    assert err.value.path == path
    assert message in err.value.message


def test_toml_date_accepted_as_inspection_date():
    """A TOML date ``inspection_date = 2023-12-20`` was refused as 应为文本 before."""
    s = parse_settings({"sites": [SITE], "inspection_date": date(2023, 12, 20)}, make_ctx())
    assert inspection_day(s, make_ctx()) == date(2023, 12, 20)
    s = parse_settings({"sites": [SITE], "inspection_date": "2023-12-20"}, make_ctx())
    assert s.inspection_date == date(2023, 12, 20)
