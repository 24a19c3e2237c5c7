"""The 怀柔区 2024 example (examples/huairou) runs end to end; totals checked by hand.

Every task keeps its points and gives 0.5 of them to its deadline leaf Tn.due
(2024年10月中旬 = 10-20, from the task ledger), e.g. T1 2 = T1.1 1.5 + T1.due 0.5.

Applicable points (适用分值, rubrics/huairou-2024.toml):

- a town or a street: 51 = T10 2 + T11 2 + T16 2 + T17 2 (D1; T17d 政府债务 1 is
  the 区财政局's alone) + D2 30 − T28 2 + T30 2 + T31 4 + T35 3 + T36 2 + T41 4 (D3);
- a department: 100 − 1 for T17d (政府债务, only 区财政局) − 2 for each of the 18
  department-specific tasks T1–T16, T18, T28 it is not responsible for (36 in
  all): 63 + 2 × (own specific tasks); 区财政局 64 (T17d is its own).  Every
  specific task has a responsible department in the roster.

The hand-set profiles are in examples/huairou/make_data.py (``hand_set``).
"""

from __future__ import annotations

import filecmp
import importlib.util
from datetime import date
from pathlib import Path

import pytest

from zwgk_score.run import run_assessment

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "huairou"


@pytest.fixture(scope="module")
def outcome(tmp_path_factory):
    # needs the region plugin installed (scripts/setup.sh: pip install -e plugins/huairou)
    return run_assessment(EXAMPLE, output=tmp_path_factory.mktemp("huairou"))


@pytest.fixture(scope="module")
def summary(outcome):
    return outcome.results.summary.set_index("unit")


@pytest.fixture(scope="module")
def make_data():
    spec = importlib.util.spec_from_file_location("huairou_make_data", EXAMPLE / "make_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _item(outcome, unit, indicator):
    items = outcome.results.items()
    return items[(items["unit"] == unit) & (items["indicator"] == indicator)].iloc[0]


def test_bonus_unit_quanhe_street(outcome, summary):
    # 泉河街道: everything done but task 31, completed 2024-10-25 after the 10-20 deadline:
    # T31.due 0.5 → 0; base = 50.5 / 51 × 100 = 99.0196…
    # 3 commendations × 1 = 3, capped at 2 → total 101.0196 → 101.02
    item = _item(outcome, "泉河街道", "T31.due")
    assert (item["score"], item["lost"]) == (0, 0.5)
    assert "逾期 5 天" in item["reason"]
    row = summary.loc["泉河街道"]
    assert (row["applicable"], row["obtained"]) == (51, 50.5)
    assert (row["base"], row["bonus"]) == (pytest.approx(99.02), 2)
    assert row["total"] == pytest.approx(101.02)
    assert (row["grade"], row["rank"]) == ("优秀", 1)
    assert row["performance"] == pytest.approx(5.0)  # min(101.02, 100) / 100 × 5


def test_average_street_longshan(summary):
    # 龙山街道: T26.1 qa;graphic → 3.5 × 0.5 = 1.75 lost; T21.1 publish only → 2.5 × 0.5
    # = 1.25 lost; one open day of 2 → T35.1 2.5 × 1/2 = 1.25 lost; one policy without
    # interpretation → 1; one wording error → 0.5.  Lost 5.75:
    # (51 − 5.75) / 51 × 100 = 88.7254… → 88.73, 良好, second of 2
    row = summary.loc["龙山街道"]
    assert row["obtained"] == pytest.approx(45.25)
    assert (row["total"], row["grade"], row["rank"]) == (pytest.approx(88.73), "良好", 2)


def test_veto_unit_is_graded_fail(summary):
    # 汤河口镇: 4 stale columns × 0.5 = 2 > 1 → T31.1 0 (1 lost, 扣完为止);
    # 3 blank × 0.5 = 1.5 > 1 → T31.2 0 (1 lost); T31.3 coop;phone → 1.5 × 0.3 = 0.45 lost.
    # (51 − 2.45) / 51 × 100 = 95.1960… → 95.20; policy "fail": total kept, grade 不合格
    row = summary.loc["汤河口镇"]
    assert row["obtained"] == pytest.approx(48.55)
    assert row["total"] == pytest.approx(95.20)
    assert bool(row["veto"]) is True
    assert row["grade"] == "不合格"


def test_not_applicable_items_rescale_town(summary):
    # 喇叭沟门满族乡: 不适用 T20 3 + T27 3 + T25.2 1.5 + T26 4 = 11.5 (tasks 20, 26, 27 are
    # not in its ledger, so their Tn.due are 不适用 too) → applicable 51 − 11.5 = 39.5;
    # one open day of 2: T35.1 2.5 × 1/2 = 1.25 lost → 38.25 / 39.5 × 100 = 96.8354… → 96.84
    row = summary.loc["喇叭沟门满族乡"]
    assert (row["applicable"], row["obtained"]) == (39.5, 38.25)
    assert (row["total"], row["grade"]) == (pytest.approx(96.84), "优秀")


def test_not_applicable_items_rescale_department(outcome, summary):
    # 区司法局: own specific task T18 only → 63 + 2 = 65; 不适用 T20 3 + T27 3 + T32 1.5
    # → 57.5; no 政策公开讲 (partial = "none") → T34.1 0, 1.5 lost; task 18 found
    # incomplete (T18.1 0, 1.5 lost) and done 2024-11-08 (T18.due 0, 0.5 lost).
    # (57.5 − 3.5) / 57.5 × 100 = 93.9130… → 93.91
    assert _item(outcome, "区司法局", "T34.1")["score"] == 0
    assert _item(outcome, "区司法局", "T18.due")["lost"] == 0.5
    row = summary.loc["区司法局"]
    assert (row["applicable"], row["obtained"]) == (57.5, 54)
    assert row["total"] == pytest.approx(93.91)


def test_request_across_national_day_is_late(outcome, summary):
    # 区民政局 (own task T11 → applicable 63 + 2 = 65): two requests received Fri 2024-09-20.
    # Working days from 09-23: 09-23…27 (5), Sun 09-29 make-up (6), 09-30 (7),
    # 10-01…07 holiday, 10-08…11 (11), Sat 10-12 make-up (12), 10-14…18 (17), 10-21…23 (20):
    # answered 10-23 = 20 → on time, 10-24 = 21 → late: T37.2 2 − 1 = 1.
    # Task 11 done Mon 10-21, one day after 10月中旬 (Sun 10-20): T11.due 0.5 lost.
    # (65 − 1.5) / 65 × 100 = 97.6923… → 97.69
    item = _item(outcome, "区民政局", "T37.2")
    assert (item["score"], item["lost"]) == (1.0, 1.0)
    assert "用时 21 个工作日" in item["reason"]
    row = summary.loc["区民政局"]
    assert (row["applicable"], row["total"]) == (65, pytest.approx(97.69))


def test_major_deduction_and_perfect_department(outcome, summary):
    # 区卫生健康委: perfect on its 65 applicable points (base 100), one privacy leak: −5 → 95.00
    row = summary.loc["区卫生健康委"]
    assert (row["base"], row["major"], row["total"]) == (100, 5, pytest.approx(95.0))
    # 区财政局: no specific task but T17d (政府债务) is its own → 63 + 1 = 64 applicable;
    # debt limit and balance not published: T17d 1 lost → 63 / 64 × 100 = 98.4375 → 98.44,
    # one commendation +1 → 99.44, first of the departments.
    # Its quarterly register also holds last year's Q4 and a second Q2 release: still 4 quarters
    assert _item(outcome, "区财政局", "T19.1")["score"] == 1.5
    row = summary.loc["区财政局"]
    assert (row["applicable"], row["base"]) == (64, pytest.approx(98.44))
    assert (row["total"], row["rank"]) == (pytest.approx(99.44), 1)


def test_every_unit_is_scored_with_no_missing_data(summary):
    assert len(summary) == 35
    assert summary.groupby("group").size().to_dict() == {"dept": 19, "street": 2, "town": 14}
    assert (summary["missing"] == 0).all()
    assert set(summary["grade"]) == {"优秀", "良好", "合格", "不合格"}
    assert summary.loc[summary["veto"].astype(bool)].index.tolist() == ["汤河口镇"]


def test_outputs_are_written_and_notice_names_the_vetoed_unit(outcome):
    out = outcome.config.output
    for name in (
        "考核结果.xlsx",
        "通报.md",
        "通报.docx",
        "results.json",
        "排名_town.csv",
        "排名_street.csv",
        "排名_dept.csv",
    ):
        assert (out / name).is_file(), name
    assert len(list((out / "反馈单").glob("*.xlsx"))) == 35
    md = (out / "通报.md").read_text(encoding="utf-8")
    assert "1个单位触发单项否决：汤河口镇" in md
    assert "怀公开办发〔2024〕1号" in md  # the region's template, not the built-in one
    assert "各镇乡人民政府、街道办事处、区政府各委办局，各区属机构" in md


def test_generator_adds_working_days_across_national_day(make_data):
    # make_data.py counts on zwgk-score's calendar and hands back a plain date:
    # 2024-09-20 (Fri) + 21: 09-23…27 (5), make-up Sun 09-29 (6), 09-30 (7), 10-01…07 off,
    # 10-08…11 (11), make-up Sat 10-12 (12), 10-14…18 (17), 10-21…24 (21)
    day = make_data.add_workdays(date(2024, 9, 20), 21)
    assert type(day) is date
    assert day == date(2024, 10, 24)
    assert make_data.add_workdays(date(2024, 9, 20), 0) == date(2024, 9, 20)


def test_committed_data_is_the_generator_output(make_data, tmp_path, monkeypatch):
    monkeypatch.setattr(make_data, "DATA", tmp_path)
    make_data.main()
    committed = sorted(p.name for p in (EXAMPLE / "data").iterdir())
    assert sorted(p.name for p in tmp_path.iterdir()) == committed
    _, mismatch, errors = filecmp.cmpfiles(EXAMPLE / "data", tmp_path, committed, shallow=False)
    assert (mismatch, errors) == ([], [])


def test_every_task_is_checked_against_its_deadline(outcome):
    # each of the 41 tasks has its own 2024年10月中旬 leaf; a task still open at the check
    # loses its 0.5 with "截至检查未完成", one done late with the days late
    items = outcome.results.items()
    due = items[items["indicator"].str.endswith(".due")]
    assert due["indicator"].nunique() == 41
    lost = due[due["lost"] > 0]
    assert (lost["lost"] == 0.5).all()
    assert lost["reason"].str.contains("截至检查未完成").any()
    assert lost["reason"].str.contains(r"逾期 [1-9]\d* 天").any()
    assert not lost["reason"].str.contains("逾期 0 天").any()


def test_monthly_water_quality_counts_distinct_months(outcome):
    # 区生态环境局 published the monthly bulletin in 10 months of 2024 (no July, August;
    # the 2023-12 row is last year's): T9.2 0.75 × 10 / 12 = 0.625 → 0.63 (precision 2)
    item = _item(outcome, "区生态环境局", "T9.2")
    assert item["score"] == pytest.approx(0.63)
    assert "覆盖 10 个月" in item["reason"]


def test_late_interpretation_costs_half_a_point(outcome):
    # 三同步: an interpretation on a later day than its policy is a miss (limit 0): −0.5 each
    items = outcome.results.items()
    t25 = items[(items["indicator"] == "T25.1") & (items["lost"] > 0)]
    assert t25["reason"].str.contains("解读未与政策同步发布 1 处，每处扣 0.5 分").any()
