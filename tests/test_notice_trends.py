"""Trends in the notice from a history (PeriodHistory): the rules, each worked by hand.

The sample result (2023年度): 县区政府 甲县 1 93 优秀, 乙县 2 70 合格, =1+1 3 45 不合格;
市直部门 ../x 1 102 优秀, 丁局 2 90 不合格（单项否决）.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_outputs_sample import sample_results

from zwgk_score.errors import ConfigError
from zwgk_score.outputs.markdown import render_markdown
from zwgk_score.outputs.notice import is_plain, notice_context
from zwgk_score.outputs.notice_options import notice_options
from zwgk_score.outputs.periods import PeriodHistory, PeriodResult, follows, period_kind
from zwgk_score.outputs.site.model import SiteModel
from zwgk_score.outputs.site.options import site_options
from zwgk_score.outputs.site.trend import TrendPoint

GROUPS = {"a": ("县区政府", 100.0), "b": ("市直部门", 100.0)}
#: unit → (group, rank, total, grade) in the base period
BEFORE = {
    "乙县": ("a", 1, 80.0, "良好"),  # → 2: 下降1位
    "甲县": ("a", 2, 70.0, "合格"),  # → 1: 提升1位, 93 − 70 = 23
    "=1+1": ("a", 3, 40.0, "不合格"),  # → 3 不合格: 持平, 连续两年不合格
    "丁局": ("b", 1, 95.0, "不合格"),  # vetoed now: no rank change; 不合格 both: 连续两年
    "../x": ("b", 2, 90.0, "优秀"),  # → 1: 提升1位, 102 − 90 = 12
}


def period(label_period: str, units: dict, groups: dict = GROUPS) -> PeriodResult:
    kind, year, _ = period_kind(label_period)
    from zwgk_score.outputs.notice import period_label

    label = period_label(label_period, year)
    return PeriodResult(
        label_period,
        label,
        "old",
        groups,
        {u: TrendPoint(label, t, r, g, group=gid) for u, (gid, r, t, g) in units.items()},
    )


def history(results, base: str = "2022", groups: dict = GROUPS, current: str | None = None):
    from zwgk_score.loop.history import current_period

    now = current_period(results)
    if current is not None:
        now = PeriodResult(current, now.label, now.rubric, now.groups, now.points)
    return PeriodHistory([period(base, BEFORE, groups)], now)


OPTIONS = {"date": dt.date(2024, 1, 5)}


def context(results, hist, **options):
    return notice_context(results, {**OPTIONS, **options, "history": hist})


def test_rank_changes_improved_declined_and_repeated_failures():
    r = sample_results()
    ctx = context(r, history(r), declined_places=1)
    assert is_plain(ctx)
    a, b = ctx["groups"]
    assert a["trend"]["versus"] == "较上年" and a["improved_rule"] == "排名较上年提升且总分提高"
    assert a["improved"] == [
        {
            "unit": "甲县",
            "versus": "较上年",
            "places": 1,
            "prev_rank": 2,
            "rank": 1,
            "total_change": "23.00",
        }
    ]
    assert [d["unit"] for d in a["trend"]["declined"]] == ["乙县"]
    assert a["trend"]["repeat_failed"] == ["=1+1"]
    assert a["trend"]["changes"] == {"甲县": "提升1位", "乙县": "下降1位", "=1+1": "持平"}
    assert a["trend"]["summary"] == "与2022年度相比，1个单位排名提升、1个下降、1个持平。"
    assert [u["unit"] for u in b["improved"]] == ["../x"]  # 丁局 vetoed: not compared
    assert b["trend"]["repeat_failed"] == ["丁局"]
    text = render_markdown(ctx, "annual")
    assert (
        "进步较快单位（排名较上年提升且总分提高）：甲县（较上年提升1位，由第2名升至第1名，总分提高23.00分）。"
        in text
    )
    assert (
        "排名下降较多的单位（排名较上年下降1位及以上）：乙县（较上年下降1位，由第1名降至第2名）。"
        in text
    )
    assert "连续两年不合格的单位：=1+1。" in text  # md-escaped only where needed
    assert "| 较上年排名 |" in text


def test_thresholds_from_the_config():
    r = sample_results()
    # 甲县 and ../x rose 1 place only: nobody rose 2; 乙县 fell 1 < 3: nobody named
    ctx = context(r, history(r), improved_places=2)
    a, b = ctx["groups"]
    assert a["improved"] == [] and b["improved"] == []
    assert a["trend"]["improved_rule"] == "排名较上年提升2位及以上且总分提高"
    assert a["trend"]["declined"] == []
    none = context(r, history(r), declined_places=0)["groups"][0]["trend"]
    assert none["declined"] == [] and none["declined_rule"] == ""


def test_the_office_list_wins_over_the_ledger():
    r = sample_results()
    a = context(r, history(r), improved=["乙县"])["groups"][0]
    assert a["improved"] == [{"unit": "乙县"}] and a["improved_rule"] == ""


def test_a_gap_year_is_named_and_never_called_consecutive():
    r = sample_results()
    a = context(r, history(r, base="2021"))["groups"][0]
    assert a["trend"]["versus"] == "较2021年度"
    assert a["trend"]["repeat_failed"] == []  # 2021 and 2023 are not 连续两年
    assert a["improved"][0]["versus"] == "较2021年度"


def test_quarters_compare_with_the_previous_quarter():
    r = sample_results()
    hist = history(r, base="2022Q4", current="2023Q1")
    a = context(r, hist)["groups"][0]
    assert a["trend"]["versus"] == "较上期"
    assert a["trend"]["repeat_text"] == "连续两期不合格"


def test_another_full_score_compares_ranks_but_not_totals():
    r = sample_results()
    a = context(r, history(r, groups={"a": ("县区政府", 1000.0), "b": ("市直部门", 1000.0)}))[
        "groups"
    ][0]
    assert a["improved_rule"] == "排名较上年提升"
    assert a["improved"][0]["total_change"] == ""
    text = render_markdown(context(r, history(r, groups={"a": ("县区政府", 1000.0)})), "annual")
    assert "甲县（较上年提升1位，由第2名升至第1名）" in text


def test_a_unit_ranked_in_another_group_then_is_not_compared():
    r = sample_results()
    moved = {**GROUPS, "c": ("其他", 100.0)}
    hist = PeriodHistory(
        [period("2022", {**BEFORE, "甲县": ("c", 1, 70.0, "合格")}, moved)],
        history(r).current,
    )
    a = context(r, hist)["groups"][0]
    assert "甲县" not in a["trend"]["changes"] and a["improved"] == []
    # the site agrees: no rank change shown for 甲县
    model = SiteModel(r, site_options(r, OPTIONS, public=False), hist)
    rows = {row["unit"]: row["change"] for row in model.groups()[0]["rows"]}
    assert rows["甲县"] == "—" and rows["乙县"] == "↓1"


def test_no_base_period_no_trend():
    r = sample_results()
    only_quarters = PeriodHistory([period("2022Q4", BEFORE)], history(r).current)
    assert only_quarters.base is None and only_quarters.baseline == "2022年第四季度"
    ctx = context(r, only_quarters)
    assert all(g["trend"] is None for g in ctx["groups"])
    plain = notice_context(r, OPTIONS)
    assert render_markdown(ctx, "annual") == render_markdown(plain, "annual")


@pytest.mark.parametrize("key", ["improved_places", "history_periods"])
def test_places_must_be_positive(key):
    with pytest.raises(ConfigError) as e:
        notice_options({key: 0})
    assert e.value.path == f"notice.{key}"


def test_periods_follow_each_other():
    assert follows("2022", "2023") and not follows("2021", "2023")
    assert follows("2023Q4", "2024Q1") and follows("2023Q1", "2023Q2")
    assert follows("2023H2", "2024H1") and not follows("2023Q4", "2024")
    assert period_kind("2023年度") == ("year", 2023, 0)
    assert period_kind("2023年第三季度") == ("quarter", 2023, 3)
    assert period_kind("2023年下半年") == ("half", 2023, 2)
    assert period_kind("第一轮") == ("other", 0, 0) and not follows("第一轮", "第二轮")


@given(st.integers(2000, 2100), st.integers(1, 4), st.integers(1, 12))
def test_a_quarter_follows_exactly_one_quarter(year, q, step):
    later = (year * 4 + q - 1 + step) // 4, (year * 4 + q - 1 + step) % 4 + 1
    assert follows(f"{year}Q{q}", f"{later[0]}Q{later[1]}") == (step == 1)


def test_the_site_lists_the_same_most_improved():
    r = sample_results()
    hist = history(r)

    def improved(**options):
        model = SiteModel(r, site_options(r, {**OPTIONS, **options}, public=False), hist)
        return [[u["unit"] for u in g["improved"]] for g in model.overview()["groups"]]

    # 甲县 2 → 1 (+23), ../x 2 → 1 (+12): the notice's list, per group
    assert improved() == [["甲县"], ["../x"]]
    assert improved(improved_places=2) == [[], []]


def _content(period: str, units: dict) -> dict:
    return {
        "schema": 1,
        "rubric": {"id": f"r{period}", "title": "细则", "year": int(period[:4])},
        "period": period,
        "groups": [{"id": "a", "name": "县区政府", "max_score": 100}],
        "units": [
            {"unit": u, "group": "a", "total": t, "grade": "合格", "rank": r, "indicators": []}
            for u, (r, t) in units.items()
        ],
    }


def test_run_history_from_a_ledger(tmp_path):
    import pandas as pd

    from zwgk_score.ledger import open_ledger
    from zwgk_score.loop.history import run_history
    from zwgk_score.previous import PreviousPeriod

    r = sample_results()  # period 2023年度
    ledger = open_ledger(tmp_path / "l.db")
    with ledger.begin() as w:
        for period, units in (
            ("2021", {"甲县": (3, 60.0)}),
            ("2023", {"甲县": (3, 1.0)}),  # this period (an earlier run): left out
            ("2024", {"甲县": (3, 2.0)}),  # a later period: left out
        ):
            w.record_result(
                _content(period, units), assessment="考核", year=int(period), published_at="x"
            )
        w.record_result(  # another office's 2022: no unit in common, left out
            _content("2022", {"某镇": (1, 99.0)}), assessment="他处", year=2022, published_at="x"
        )
    assert run_history(ledger, r) is not None
    previous = PreviousPeriod(
        pd.DataFrame(
            {"unit": ["甲县"], "group": ["a"], "total": [80.0], "rank": [2], "grade": ["良好"]}
        ),
        period="2022",
    )
    h = run_history(ledger, r, previous=previous)
    # 2021 from the ledger, 2022 from [assessment] previous, then 2023
    assert h.labels == ["2021年度", "2022年度", "2023年度"] and h.versus == "较上年"
    assert [(p.total, p.rank) for p in h.series("甲县")] == [(60.0, 3), (80.0, 2), (93.0, 1)]
    assert h.series("乙县")[-1].rank == 2 and len(h.series("乙县")) == 1
    empty = open_ledger(tmp_path / "e.db")
    assert run_history(empty, r) is None  # nothing earlier: the documents stay as they are
    empty.close()
    ledger.close()
