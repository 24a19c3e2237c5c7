"""The 怀柔区 2024 example (examples/huairou) runs end to end; totals checked by hand.

Applicable points (适用分值, rubrics/huairou-2024.toml):

- a town or a street: 51 = T10 2 + T11 2 + T16 2 + T17 2 (D1; T17d 政府债务 1 is
  the 区财政局's alone) + D2 30 − T28 2 + T30 2 + T31 4 + T35 3 + T36.1 2 + T41 4 (D3);
- a department: 100 − 1 for T17d (政府债务, only 区财政局) − 16 for the tasks whose 责任部门 is not in the roster (T5, T7,
  T8, T9, T13, T14, T15, T16: 2 each) − 2 for each of the department-specific
  tasks T1, T2, T3, T4, T6, T10, T11, T12, T18, T28 it is not responsible for
  (20 in all): 63 + 2 × (own specific tasks); 区财政局 64 (T17d is its own).

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
    # T41.2 2 − 0.5 = 1.5; base = 50.5 / 51 × 100 = 99.0196…
    # 3 commendations × 1 = 3, capped at 2 → total 101.0196 → 101.02
    assert _item(outcome, "泉河街道", "T41.2")["score"] == 1.5
    row = summary.loc["泉河街道"]
    assert (row["applicable"], row["obtained"]) == (51, 50.5)
    assert (row["base"], row["bonus"]) == (pytest.approx(99.02), 2)
    assert row["total"] == pytest.approx(101.02)
    assert (row["grade"], row["rank"]) == ("优秀", 1)
    assert row["performance"] == pytest.approx(5.0)  # min(101.02, 100) / 100 × 5


def test_average_street_longshan(summary):
    # 龙山街道: T26 qa;graphic → 4 × 0.5 = 2 lost; T21 publish only → 3 × 0.5 = 1.5 lost;
    # one open day of 2 → 3 × 1/2 = 1.5 lost; one policy without interpretation → 1;
    # one wording error → 0.5.  (51 − 6.5) / 51 × 100 = 87.2549… → 87.25, 良好, second of 2
    row = summary.loc["龙山街道"]
    assert row["obtained"] == pytest.approx(44.5)
    assert (row["total"], row["grade"], row["rank"]) == (pytest.approx(87.25), "良好", 2)


def test_veto_unit_is_graded_fail(summary):
    # 汤河口镇: 4 stale columns × 0.5 = 2 > 1.5 → T31.1 0 (1.5 lost, 扣完为止);
    # 3 blank × 0.5 = 1.5 > 1 → T31.2 0 (1 lost); T31.3 coop;phone → 1.5 × 0.3 = 0.45 lost.
    # (51 − 2.95) / 51 × 100 = 94.2156… → 94.22; policy "fail": total kept, grade 不合格
    row = summary.loc["汤河口镇"]
    assert row["obtained"] == pytest.approx(48.05)
    assert row["total"] == pytest.approx(94.22)
    assert bool(row["veto"]) is True
    assert row["grade"] == "不合格"


def test_not_applicable_items_rescale_town(summary):
    # 喇叭沟门满族乡: 不适用 T20 3 + T27 3 + T25.2 2 + T26 4 = 12 → applicable 51 − 12 = 39;
    # one open day of 2: 3 × 1/2 = 1.5 lost → 37.5 / 39 × 100 = 96.1538… → 96.15
    row = summary.loc["喇叭沟门满族乡"]
    assert (row["applicable"], row["obtained"]) == (39, 37.5)
    assert (row["total"], row["grade"]) == (pytest.approx(96.15), "优秀")


def test_not_applicable_items_rescale_department(outcome, summary):
    # 区司法局: own specific task T18 only → 63 + 2 = 65; 不适用 T20 3 + T27 3 + T32 1.5
    # → 57.5; no 政策公开讲 (partial = "none") → T34 0, 2 lost.
    # 55.5 / 57.5 × 100 = 96.5217… → 96.52
    assert _item(outcome, "区司法局", "T34")["score"] == 0
    row = summary.loc["区司法局"]
    assert (row["applicable"], row["obtained"]) == (57.5, 55.5)
    assert row["total"] == pytest.approx(96.52)


def test_request_across_national_day_is_late(outcome, summary):
    # 区民政局 (own task T11 → applicable 63 + 2 = 65): two requests received Fri 2024-09-20.
    # Working days from 09-23: 09-23…27 (5), Sun 09-29 make-up (6), 09-30 (7),
    # 10-01…07 holiday, 10-08…11 (11), Sat 10-12 make-up (12), 10-14…18 (17), 10-21…23 (20):
    # answered 10-23 = 20 → on time, 10-24 = 21 → late: T37.2 2 − 1 = 1.
    # Task 11 done Mon 10-21, one day after 10月中旬 (Sun 10-20): T41.2 2 − 0.5.
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
    # 区财政局: no specific task but T17d (政府债务) is its own → 63 + 1 = 64 applicable, perfect, one commendation +1 → 101.00, first.
    # Its quarterly register also holds last year's Q4 and a second Q2 release: still 4 quarters
    assert _item(outcome, "区财政局", "T19.1")["score"] == 2
    row = summary.loc["区财政局"]
    assert (row["applicable"], row["total"], row["rank"]) == (64, pytest.approx(101.0), 1)


def test_every_unit_is_scored_with_no_missing_data(summary):
    assert len(summary) == 27
    assert summary.groupby("group").size().to_dict() == {"dept": 11, "street": 2, "town": 14}
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
    assert len(list((out / "反馈单").glob("*.xlsx"))) == 27
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
