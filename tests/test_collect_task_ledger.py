"""Collector ``task_ledger`` (工作任务台账) on tests/fixtures/collect/task_ledger.csv.

Inspection date 2023-12-31:

- (1) 市发改委、市教育局, due 06-30, done 06-28 → on time for both units.
- (2) 市发改委, 10月中旬 = 2023-10-20 (Fri), done Wed 10-25 → 5 calendar days late,
  working days 23, 24, 25 Oct = 3.
- (3) 市教育局, 年底 = 2023-12-31, not done at the inspection date → late (due that very day:
  the evidence says so, never "逾期 0 天").
- (4) 市民政局, 2023年5月底 = 05-31, not done → 214 calendar days; working days by month:
  Jun 22 weekdays − 22/23 Jun + Sun 25 Jun = 21, Jul 21, Aug 23, Sep 21 − 29 Sep = 20,
  Oct 22 − 2..6 Oct + 7/8 Oct = 19, Nov 22, Dec 21 → 147.
- (5) 市民政局, 持续推进 → never due.  (6) 市教育局, due 2024-03-31, open → not due yet.
- (7) 市民政局, due 2024-03-31, done early → due and on time.
- (8) 市民政局, 3月上旬 = 03-10, done 03-10 → on time.

On-time ratios: 发改委 (1) of (1)(2) = 1/2; 教育局 (1) of (1)(3) = 1/2; 民政局 (7)(8) of (4)(7)(8) = 2/3.
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_collect_tables import make_ctx, write_csv

from zwgk_score.collect.task_ledger import TaskLedgerCollector
from zwgk_score.errors import ConfigError, DataError


@pytest.fixture
def rows():
    return TaskLedgerCollector().collect({"file": "task_ledger.csv"}, make_ctx())


def test_late_rows(rows):
    late = rows[rows["key"] == "task_late"]
    assert late["unit"].tolist() == ["市发改委", "市教育局", "市民政局"]
    assert late["text"].tolist() == ["逾期完成", "未完成", "未完成"]
    assert late["evidence"].tolist() == [
        "任务 (2)「政策解读」：完成时限 2023-10-20，2023-10-25 完成，逾期 5 天（3 个工作日）",
        "任务 (3)「平台整改」：完成时限 2023-12-31，截至 2023-12-31 未完成（时限当日检查时仍未完成，按逾期计）",
        "任务 (4)「依申请公开」：完成时限 2023-05-31，截至 2023-12-31 未完成，逾期 214 天（147 个工作日）",
    ]
    assert late["source"].tolist() == [
        "task_ledger.csv:3",
        "task_ledger.csv:4",
        "task_ledger.csv:5",
    ]


def test_on_time_ratio(rows):
    r = rows[rows["key"] == "task_on_time"]
    assert r["unit"].tolist() == ["市发改委", "市教育局", "市民政局"]
    assert r["value"].tolist() == pytest.approx([0.5, 0.5, 2 / 3])
    assert (
        r["evidence"].iat[2]
        == "任务 4 项，到期或已完成 3 项，按时完成 2 项；未到期 0 项、持续推进 1 项不计"
    )
    assert (
        r["evidence"].iat[1]
        == "任务 3 项，到期或已完成 2 项，按时完成 1 项；未到期 1 项、持续推进 0 项不计"
    )


def test_unit_without_due_tasks_is_na(tmp_path):
    write_csv(
        tmp_path / "t.csv", "任务编号,责任单位,完成时限,完成时间\n1,市发改委,2023-05-01,2023-04-30"
    )
    r = TaskLedgerCollector().collect(
        {"file": "t.csv", "keys": {"on_time": "R"}}, make_ctx(tmp_path)
    )
    assert r["status"].tolist() == ["ok", "na", "na"]
    assert r["value"].iat[0] == 1.0 and pd.isna(r["value"].iat[1])


@pytest.mark.parametrize(
    ("deadline", "message"),
    [("下半年", "无法识别的完成时限「下半年」"), ("13月底", "无法识别的完成时限「13月底」")],
)
def test_bad_deadline(tmp_path, deadline, message):
    write_csv(tmp_path / "t.csv", f"任务编号,责任单位,完成时限,完成时间\n1,市发改委,{deadline},")
    with pytest.raises(DataError) as err:
        TaskLedgerCollector().collect({"file": "t.csv"}, make_ctx(tmp_path))
    assert message in err.value.message
    assert err.value.path == "第 2 行，列 完成时限"


def test_unknown_unit_in_multi_unit_cell(tmp_path):
    write_csv(
        tmp_path / "t.csv",
        "任务编号,责任单位,完成时限,完成时间\n1,市发改委,年底,\n2,市发改委；市财政局,年底,",
    )
    with pytest.raises(DataError) as err:
        TaskLedgerCollector().collect({"file": "t.csv"}, make_ctx(tmp_path))
    assert "单位「市财政局」不在单位名单中" in err.value.message
    assert err.value.path == "第 3 行，列 责任单位"


def test_duplicate_task_for_same_unit(tmp_path):
    write_csv(
        tmp_path / "t.csv",
        "任务编号,责任单位,完成时限,完成时间\n1,市发改委,年底,\n1,市教育局、市发改委,年底,",
    )
    with pytest.raises(DataError) as err:
        TaskLedgerCollector().collect({"file": "t.csv"}, make_ctx(tmp_path))
    assert err.value.path == "第 3 行，列 任务编号"


def test_deadlines_written_with_qian_as_in_the_plans(tmp_path):
    """「2022年底前」「10月底前」「5月底前」 as the plans write them: 前 changes nothing."""
    import pandas as pd

    from zwgk_score.collect.tables import Records
    from zwgk_score.collect.task_ledger import parse_deadlines

    text = pd.Series(
        ["2022年底前", "10月底前", "5月底前", "2022年10月中旬前", "持续推进"], dtype=object
    )
    records = Records(
        pd.DataFrame({"_row": range(2, 7)}), tmp_path / "ledger.csv", {"deadline": "完成时限"}
    )
    deadline, ongoing = parse_deadlines(records, text, 2022)
    assert [d.date().isoformat() if pd.notna(d) else None for d in deadline] == [
        "2022-12-31",
        "2022-10-31",
        "2022-05-31",
        "2022-10-20",
        None,
    ]
    assert ongoing.tolist() == [False, False, False, False, True]


# ------------------------------------------------- dated and not_late (tasks scored apart)


@pytest.fixture
def apart():
    settings = {"file": "task_ledger.csv", "dated": {"(2)": "D2", "(1)": "D1"}, "not_late": ["(4)"]}
    return TaskLedgerCollector().collect(settings, make_ctx())


def test_dated_tasks_give_each_named_unit_its_completion_date(apart):
    # (1) names 市发改委 and 市教育局 (done 06-28, due 06-30); (2) names 市发改委 (done 10-25)
    rows = apart[apart["key"].isin(["D1", "D2"]) & (apart["status"] == "ok")]
    assert list(zip(rows["unit"], rows["key"], rows["text"], strict=True)) == [
        ("市发改委", "D1", "2023-06-28"),
        ("市教育局", "D1", "2023-06-28"),
        ("市发改委", "D2", "2023-10-25"),
    ]
    assert rows["source"].tolist() == [
        "task_ledger.csv:2",
        "task_ledger.csv:2",
        "task_ledger.csv:3",
    ]
    assert rows["evidence"].iat[2] == "任务台账 (2)「政策解读」：2023-10-25 完成（时限 10月中旬）"


def test_dated_task_is_na_for_the_units_the_ledger_does_not_name(apart):
    # 3 units × 2 dated tasks = 6 rows; named: (1) × 2 units, (2) × 1 unit → 3 na rows,
    # in the order of the config's dated table (D2 first)
    na = apart[apart["status"] == "na"]
    na = na[na["key"].isin(["D1", "D2"])]
    assert list(zip(na["unit"], na["key"], strict=True)) == [
        ("市教育局", "D2"),
        ("市民政局", "D2"),
        ("市民政局", "D1"),
    ]
    assert set(na["evidence"]) == {"任务台账未列本单位为该任务的责任单位"}
    assert set(na["source"]) == {"task_ledger.csv"}


def test_tasks_scored_apart_are_left_out_of_late_and_on_time(apart):
    # late without dated/not_late: (2) 发改委, (3) 教育局, (4) 民政局; (2) is dated and (4)
    # not_late → only (3) is left
    late = apart[apart["key"] == "task_late"]
    assert late["unit"].tolist() == ["市教育局"]
    assert late["source"].tolist() == ["task_ledger.csv:4"]
    # on time, counting only (3) (5) (6) (7) (8):
    #   发改委: (1) and (2) are dated → no task left → na
    #   教育局: (3) due and late, (6) not due → 0 / 1 = 0
    #   民政局: (5) ongoing, (7) and (8) on time ((4) not_late) → 2 / 2 = 1
    r = apart[apart["key"] == "task_on_time"]
    assert r["status"].tolist() == ["na", "ok", "ok"]
    assert pd.isna(r["value"].iat[0])
    assert r["value"].iloc[1:].tolist() == [0.0, 1.0]
    assert (
        r["evidence"].iat[2]
        == "任务 3 项，到期或已完成 2 项，按时完成 2 项；未到期 0 项、持续推进 1 项不计"
    )


def test_open_dated_task_has_a_blank_date():
    # (3) 市教育局 年底, not done at 12-31: the deadline rule scores the blank date 0
    rows = TaskLedgerCollector().collect(
        {"file": "task_ledger.csv", "keys": {"late": "L"}, "dated": {"(3)": "D3"}}, make_ctx()
    )
    own = rows[(rows["key"] == "D3") & (rows["status"] == "ok")]
    assert own["unit"].tolist() == ["市教育局"] and own["text"].tolist() == [""]
    assert own["evidence"].iat[0] == "任务台账 (3)「平台整改」：截至检查未完成（时限 年底）"
    # late: (2) 发改委 and (4) 民政局; (3) is scored by its own leaf
    assert rows[rows["key"] == "L"]["source"].tolist() == ["task_ledger.csv:3", "task_ledger.csv:5"]


@pytest.mark.parametrize(
    ("extra", "path", "words"),
    [
        ({"dated": {"(9)": "D9"}}, "collectors.task_ledger.dated", "中没有任务编号「(9)」"),
        ({"not_late": ["(1)", "9"]}, "collectors.task_ledger.not_late", "中没有任务编号「9」"),
        ({"dated": {"(1)": " "}}, "collectors.task_ledger.dated.(1)", "数据键为空"),
        ({"dated": ["(1)"]}, "collectors.task_ledger.dated", "应为表"),
        ({"not_late": "(1)"}, "collectors.task_ledger.not_late", "应为数组"),
        ({"date": {"(1)": "D1"}}, "collectors.task_ledger.date", "未知的设置项「date」"),
        ({"not_lates": ["(1)"]}, "collectors.task_ledger.not_lates", "未知的设置项"),
    ],
)
def test_dated_and_not_late_mistakes_are_located(extra, path, words):
    with pytest.raises(ConfigError) as err:
        TaskLedgerCollector().collect({"file": "task_ledger.csv", **extra}, make_ctx())
    assert err.value.path == path
    assert err.value.file == "assessment.toml"
    assert words in err.value.message


def test_absent_task_names_the_ledger_and_its_tasks():
    with pytest.raises(ConfigError) as err:
        TaskLedgerCollector().collect(
            {"file": "task_ledger.csv", "dated": {"（1）": "D"}}, make_ctx()
        )
    # a full-width bracket is not the ledger's "(1)"
    assert err.value.message == "任务台账 task_ledger.csv 中没有任务编号「（1）」"
    assert "(1)、(2)、(3)、(4)、(5)、(6)、(7)、(8)" in err.value.hint


def test_typo_suggests_the_new_key():
    with pytest.raises(ConfigError) as err:
        TaskLedgerCollector().collect({"file": "task_ledger.csv", "dateds": {}}, make_ctx())
    assert "是否应为 dated？" in err.value.hint
    assert "[collectors.task_ledger]" in err.value.hint


# ------------------------------------------- the scalar reading of one 完成时限 (due_date)

_DEADLINE_TEXTS = st.one_of(
    st.builds(
        lambda y, m, part, qian: f"{y}{m}月{part}{qian}",
        st.sampled_from(["", "2018年", "2024年", "1999年", "2101年", "0000年"]),
        st.sampled_from(["0", "00", "1", "01", "2", "9", "10", "12", "13", "99"]),
        st.sampled_from(["", "上旬", "中旬", "下旬", "底", "末", "份", "初"]),
        st.sampled_from(["", "前", "以前"]),
    ),
    st.builds(
        lambda y, end, qian: f"{y}{end}{qian}",
        st.sampled_from(["", "2022年", "今年", "到", "1999年", "2200年"]),
        st.sampled_from(["年底", "年末", "底", "末", "全年", "年内", "年"]),
        st.sampled_from(["", "前"]),
    ),
    st.builds(
        lambda y, a, m, b, d, tail: f"{y}{a}{m}{b}{d}{tail}",
        st.sampled_from(["2023", "1999", "2100", "2101"]),
        st.sampled_from(["-", "/", ".", "年", " 年 "]),
        st.sampled_from(["1", "02", "2", "9", "12", "13", "0"]),
        st.sampled_from(["-", "/", ".", "月", "月 "]),
        st.sampled_from(["1", "09", "28", "29", "30", "31", "32", "0"]),
        st.sampled_from(["", "日", " 日", "日前", " 10:00", "T08:30:00"]),
    ),
    st.sampled_from(["持续推进", "持续", "长期", "长期坚持", "常态化", "持续推进前", "45000"]),
    st.text(alphabet="0123456789年月日底末前旬上中下 -/.２０", max_size=10),
).flatmap(lambda t: st.sampled_from([t, t, t, f" {t}", f"{t}\n", f"{t}\u3000"]))


@settings(max_examples=300, deadline=None)
@given(_DEADLINE_TEXTS, st.sampled_from([2018, 2023, 1999]))
def test_deadline_of_reads_each_text_as_the_vectorised_parser_does(tmp_path_factory, text, year):
    """Where the scalar reader answers, it answers as ``parse_deadlines`` on that one cell."""
    from zwgk_score.collect.tables import Records
    from zwgk_score.collect.task_ledger import deadline_of, parse_deadlines

    quick = deadline_of(text, year)
    if quick is None:
        return  # left to parse_deadlines
    records = Records(pd.DataFrame({"_row": [2]}), tmp_path_factory.mktemp("l") / "l.csv", {})
    try:
        deadline, ongoing = parse_deadlines(records, pd.Series([text], dtype=object), year)
    except DataError:
        assert quick == (None, False), text
        return
    first = deadline.iat[0]
    expected = (None if pd.isna(first) else first.date(), bool(ongoing[0]))
    assert quick == expected, text


def test_deadline_of_answers_the_forms_the_seed_plans_write():
    """The forms of the five plans are read without pandas; the rest is left to it."""
    import datetime as dt

    from zwgk_score.collect.task_ledger import deadline_of

    assert deadline_of("年内", 2018) == (dt.date(2018, 12, 31), False)
    assert deadline_of("今年年底前", 2018) == (dt.date(2018, 12, 31), False)
    assert deadline_of("到年底", 2018) == (dt.date(2018, 12, 31), False)
    assert deadline_of("7月底前", 2018) == (dt.date(2018, 7, 31), False)
    assert deadline_of("2月底", 2024) == (dt.date(2024, 2, 29), False)  # a leap year's February
    assert deadline_of("2024年10月中旬前", 2022) == (dt.date(2024, 10, 20), False)
    assert deadline_of("3月上旬", 2023) == (dt.date(2023, 3, 10), False)
    assert deadline_of("2023年9月30日", 2023) == (dt.date(2023, 9, 30), False)
    assert deadline_of("持续推进", 2023) == (None, True)
    assert deadline_of("13月底", 2023) == (None, False)
    assert deadline_of("45000", 2023) is None  # an Excel serial
    assert deadline_of(" 年底", 2023) is None
