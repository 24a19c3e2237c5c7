"""Collector ``hotline`` (留言办理) on tests/fixtures/collect/hotline.csv.

Fixture, period 2023-01-01 .. 2023-12-31 (inspection date Sunday 2023-12-31):

- H001 市发改委 received Thu 2023-09-28, replied Mon 2023-10-09: 29 Sep–6 Oct holiday,
  7 and 8 Oct make-up working days → 10-07 (1), 10-08 (2), 10-09 (3) = 3 working days.
- H002 市发改委 received Wed 2023-12-20, unanswered: 12-21, 12-22, 12-25..12-29 = 7 (> 5, overdue).
- H003 市教育局 received Wed 2023-03-01, replied Fri 03-10: 03-02, 03-03, 03-06..03-10 = 7 (overdue).
- H004 市教育局 simple, received Fri 2023-04-28, replied Thu 05-04: 29 Apr–3 May holiday → 05-04 = 1.
- H005 市教育局 simple, received Thu 2023-06-01, replied Mon 06-05: 06-02, 06-05 = 2 (> 1, overdue).
- H006 received 2022-12-30, before the period: not counted.
"""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_collect_tables import make_ctx, write_csv

from zwgk_score.collect.base import EVIDENCE_COLUMNS
from zwgk_score.collect.hotline import HotlineCollector
from zwgk_score.errors import ConfigError, DataError

SETTINGS = {
    "file": "hotline.csv",
    "columns": {"simple": "简单咨询"},
    "limit": 5,
    "simple_limit": 1,
    "keys": {"timeliness": "hl_time", "reply_rate": "hl_rate", "overdue": "hl_late"},
}


@pytest.fixture
def rows() -> pd.DataFrame:
    return HotlineCollector().collect(SETTINGS, make_ctx())


def test_timeliness_rows(rows):
    t = rows[rows["key"] == "hl_time"]
    assert list(rows.columns) == list(EVIDENCE_COLUMNS)
    assert t["value"].tolist() == [3, 7, 7, 1, 2]
    assert t["unit"].tolist() == ["市发改委", "市发改委", "市教育局", "市教育局", "市教育局"]
    assert t["text"].tolist() == ["", "未答复", "", "", ""]
    assert (
        t["evidence"].iat[0]
        == "留言 H001：2023-09-28 收到，2023-10-09 答复，用时 3 个工作日（时限 5 个工作日）"
    )
    assert (
        t["evidence"].iat[1]
        == "留言 H002：2023-12-20 收到，截至 2023-12-31 未答复，已 7 个工作日（时限 5 个工作日）"
    )
    assert t["evidence"].iat[4].startswith("简单咨询 H005")
    assert t["source"].tolist() == [f"hotline.csv:{r}" for r in (2, 3, 4, 5, 6)]


def test_reply_rate_per_roster_unit(rows):
    r = rows[rows["key"] == "hl_rate"]
    # 发改委 1 of 2 replied; 教育局 3 of 3; 民政局 no messages → na.
    assert r["unit"].tolist() == ["市发改委", "市教育局", "市民政局"]
    assert r["value"].iat[0] == 0.5 and r["value"].iat[1] == 1.0 and pd.isna(r["value"].iat[2])
    assert r["status"].tolist() == ["ok", "ok", "na"]
    assert r["evidence"].iat[0] == "留言 2 条，已答复 1 条，答复率 50.00%"


def test_overdue_rows(rows):
    o = rows[rows["key"] == "hl_late"]
    # H002 (7 > 5, unanswered), H003 (7 > 5), H005 (simple, 2 > 1).
    assert o["source"].tolist() == ["hotline.csv:3", "hotline.csv:4", "hotline.csv:6"]
    assert o["value"].tolist() == [1, 1, 1]
    assert o["text"].tolist() == ["未答复", "超期", "超期"]


def test_without_simple_limit_all_use_limit():
    settings = {k: v for k, v in SETTINGS.items() if k != "simple_limit"}
    o = HotlineCollector().collect(settings, make_ctx())
    # H005's 2 days are within 5 now: only H002 and H003 overdue.
    assert o[o["key"] == "hl_late"]["source"].tolist() == ["hotline.csv:3", "hotline.csv:4"]


def test_simple_key_and_only_listed_keys():
    settings = dict(SETTINGS, keys={"timeliness": "t", "timeliness_simple": "ts"})
    rows = HotlineCollector().collect(settings, make_ctx())
    assert sorted(set(rows["key"])) == ["t", "ts"]
    assert rows[rows["key"] == "ts"]["value"].tolist() == [1, 2]


def test_default_keys_and_period_only_false():
    settings = {"file": "hotline.csv", "period_only": False}
    rows = HotlineCollector().collect(settings, make_ctx())
    assert set(rows["key"]) == {"hotline_timeliness", "hotline_reply_rate", "hotline_overdue"}
    # H006: 2022-12-30 → 2023-01-03: 31 Dec weekend, 1 Jan 2023 holiday (Sunday), 2 Jan 2023 in lieu → 01-03 = 1.
    assert rows[rows["key"] == "hotline_timeliness"]["value"].iat[-1] == 1


def test_quarter_inspection_counts_open_messages_to_its_end():
    ctx = make_ctx(start=date(2023, 1, 1), end=date(2023, 3, 8))
    rows = HotlineCollector().collect(SETTINGS, ctx)
    t = rows[rows["key"] == "hl_time"]
    # Only H003 is in Q1-to-date; its reply 03-10 is recorded, so 7 days still.
    assert t["value"].tolist() == [7]


def test_reply_before_message(tmp_path):
    write_csv(tmp_path / "m.csv", "单位,编号,来信时间,答复时间\n市发改委,A,2023-05-06,2023-05-04")
    with pytest.raises(DataError) as err:
        HotlineCollector().collect({"file": "m.csv"}, make_ctx(tmp_path))
    assert err.value.path == "第 2 行，列 答复时间"
    assert "答复时间「2023-05-04」早于来信时间「2023-05-06」" in err.value.message


def test_config_errors(tmp_path):
    with pytest.raises(ConfigError) as err:
        HotlineCollector().collect({"file": "hotline.csv", "limt": 5}, make_ctx())
    assert err.value.path == "collectors.hotline.limt" and "limit" in err.value.hint
    with pytest.raises(ConfigError) as err:
        HotlineCollector().collect({"file": "hotline.csv", "keys": {"overdu": "x"}}, make_ctx())
    assert err.value.path == "collectors.hotline.keys.overdu"
    write_csv(tmp_path / "m.csv", "单位,编号,来信时间,答复时间\n市发改委,A,2023-05-06,")
    with pytest.raises(ConfigError) as err:
        HotlineCollector().collect({"file": "m.csv", "simple_limit": 1}, make_ctx(tmp_path))
    assert err.value.path == "collectors.hotline.simple_limit"
    with pytest.raises(ConfigError) as err:
        HotlineCollector().collect(
            {"file": "hotline.csv", "keys": {"timeliness_simple": "ts"}}, make_ctx()
        )
    assert err.value.path == "collectors.hotline.keys.timeliness_simple"


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["市发改委", "市教育局", "市民政局"]),
            st.dates(min_value=date(2023, 1, 1), max_value=date(2023, 12, 31)),
            st.one_of(st.none(), st.integers(min_value=0, max_value=30)),
        ),
        max_size=30,
    ),
    st.integers(min_value=0, max_value=10),
)
def test_invariants(messages, limit):
    """Overdue rows are exactly the timeliness rows over the limit; rates match the reply counts."""
    with tempfile.TemporaryDirectory() as tmp:
        lines = ["单位,编号,来信时间,答复时间"]
        for i, (unit, received, after) in enumerate(messages):
            replied = "" if after is None else (received + timedelta(days=after)).isoformat()
            lines.append(f"{unit},M{i},{received.isoformat()},{replied}")
        write_csv(Path(tmp) / "m.csv", "\n".join(lines))
        rows = HotlineCollector().collect({"file": "m.csv", "limit": limit}, make_ctx(Path(tmp)))
    t = rows[rows["key"] == "hotline_timeliness"]
    o = rows[rows["key"] == "hotline_overdue"]
    r = rows[rows["key"] == "hotline_reply_rate"]
    assert len(t) == len(messages)
    assert (t["value"] >= 0).all()
    assert o["source"].tolist() == t.loc[t["value"] > limit, "source"].tolist()
    assert r["value"].dropna().between(0, 1).all()
    for unit, rate in zip(r["unit"], r["value"], strict=True):
        mine = [m for m in messages if m[0] == unit]
        if mine:
            assert rate == pytest.approx(sum(m[2] is not None for m in mine) / len(mine))
        else:
            assert pd.isna(rate)
