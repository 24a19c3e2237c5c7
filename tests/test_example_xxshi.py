"""The xx市 2022 example (examples/xxshi) runs end to end; totals checked by hand.

Points: D1 28, D2 18 (D2.4 = 5 only for the county / mgmt / zone groups),
D3 14, D4 16, D5 16, D6 8.  A department's applicable points are therefore
at most 95.  The hand-set profiles are in examples/xxshi/make_data.py
(``HAND_SHEET`` and the ``fixed`` tables); the website results come from the
saved crawl examples/xxshi/crawl/2022-12-15.json (make_crawl.py ``FAULTS``).
"""

from __future__ import annotations

import filecmp
import importlib.util
from datetime import date
from pathlib import Path

import pytest

from zwgk_score.run import run_assessment

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "xxshi"


@pytest.fixture(scope="module")
def outcome(tmp_path_factory):
    # needs the region plugin installed (scripts/setup.sh: pip install -e plugins/xxshi)
    return run_assessment(EXAMPLE, output=tmp_path_factory.mktemp("xxshi"))


@pytest.fixture(scope="module")
def summary(outcome):
    return outcome.results.summary.set_index("unit")


def _item(outcome, unit, indicator):
    items = outcome.results.items()
    return items[(items["unit"] == unit) & (items["indicator"] == indicator)].iloc[0]


def test_bonus_unit_zhangbei(outcome, summary):
    # 张北县: everything done but 延伸和补充解读 in D4.1.2: 3 × 0.3 = 0.9 lost → 99.1.
    # Policy 2022-09-29 (Thu) interpreted 2022-10-09 (Sun): 09-30, 10-08 and 10-09
    # (make-up working days) = 3 working days, on time; new-media filings
    # 04-29 → 05-07 and 09-30 → 10-10 take 3 working days each, on time.
    # Two innovations × 1 = +2 (cap 3): total 99.1 + 2 = 101.1
    row = summary.loc["张北县"]
    assert row["obtained"] == pytest.approx(99.1)
    assert row["bonus"] == 2
    assert row["total"] == pytest.approx(101.1)
    assert (row["grade"], row["rank"]) == ("优秀", 1)
    assert row["performance"] == pytest.approx(4.5)  # min(101.1, 100) / 100 × 4.5
    assert _item(outcome, "张北县", "D4.1.1")["score"] == 4
    assert _item(outcome, "张北县", "D5.2.1")["score"] == 2
    text = outcome.results.explain("张北县")
    assert "2022-09-29 发布，2022-10-09 发布解读，用时 3 个工作日" in text


def test_department_with_not_applicable_items_is_rescaled(outcome, summary):
    # 市财政局: applicable = 100 - D2.4 5 (group) - D1.2 4 - D1.3 4 - D1.7 4 - D5.3 5 (不适用) = 78
    # lost: D1.4 channels 4 × 0.2 = 0.8; D1.5 一般 4 × 0.4 = 1.6;
    #   D2.3.2 one request in 22 working days (09-20 → 10-25 across National Day) = 1;
    #   D4.1.1 policy 09-28 → 10-09 = 09-29, 09-30, 10-08, 10-09 = 4 working days > 3 → 1;
    #   D4.3.2 3 of 4 replied: 2 × 0.25 = 0.5;
    #   D5.2.2 10 months checked: 2.5 × 2/12 = 0.41667;
    #   D5.1.5 (十八) 专栏 adjusted 11-04 after 10月底前 (10-31) = 1 (its own deadline leaf;
    #   D6.1.1 does not count the same task again)
    # obtained = 78 - 6.31667 = 71.68333; base = 71.68333 / 78 × 100 = 91.9017 → 91.90
    row = summary.loc["市财政局"]
    assert row["applicable"] == pytest.approx(78)
    assert row["obtained"] == pytest.approx(71.683333, abs=1e-6)
    assert row["total"] == pytest.approx(91.90)
    item = _item(outcome, "市财政局", "D5.1.5")
    assert (item["score"], item["lost"]) == (0, 1)
    assert "2022年11月4日完成，晚于时限2022年10月31日（10月底前），逾期 4 天" in item["reason"]
    assert _item(outcome, "市财政局", "D6.1.1")["lost"] == 0
    assert (row["grade"], row["rank"]) == ("优秀", 2)  # behind 市行政审批局 94.06
    for indicator in ("D1.2", "D1.3", "D1.7", "D5.3.2"):  # 不适用 in the reviewer's sheet
        item = _item(outcome, "市财政局", indicator)
        assert (bool(item["applicable"]), item["status"]) == (False, "不适用")
    assert _item(outcome, "市财政局", "D2.4.1")["status"] == "不适用（类别）"
    assert _item(outcome, "市财政局", "D4.1.1")["score"] == 3


def test_management_zone_without_hotline_messages(summary, outcome):
    # 塞北管理区: no 12345 messages → D4.3.2 不适用, applicable 98;
    # site columns 政府信息公开制度 and 年报 blank: D5.1.3 1.5 - 2 × 0.5 = 0.5 (the columns
    # load, so D5.1.1 keeps its 1 point); obtained 98 - 1 = 97 → 97 / 98 × 100 = 98.98
    row = summary.loc["塞北管理区"]
    assert row["applicable"] == pytest.approx(98)
    assert row["total"] == pytest.approx(98.98)
    assert (row["grade"], row["rank"]) == ("优秀", 1)
    assert _item(outcome, "塞北管理区", "D5.1.3")["score"] == pytest.approx(0.5)
    assert not _item(outcome, "塞北管理区", "D4.3.2")["applicable"]


def test_veto_unit_xiahuayuan(summary, outcome):
    # 下花园区: home page fails every 4th probe → 5 of 20 = 25 % ≥ 5 % → veto (fail).
    # lost: D1.3 4 × 0.4 = 1.6; D1.5 一般 1.6; D2.1 4 × 0.25 = 1; D2.2 4 × 0.5 = 2;
    #   D4.1.2 3 × 0.6 = 1.8; D5.1.2 two stale columns 2 × 0.5 = 1;
    #   D5.2.2 9 months 2.5 × 3/12 = 0.625; D5.3.2 no 专区服务功能 2 (the 专区 itself
    #   was built 2022-09-01 per the ledger, before 9月底前: D5.3.1 keeps 3);
    #   D6.1.1 (十三) 决策事项目录 still open at the 12-31 check (due that day) 0.5 → 12.125
    # total 100 - 12.125 = 87.875 → 87.88, but the grade is 不合格
    row = summary.loc["下花园区"]
    assert bool(row["veto"])
    assert row["total"] == pytest.approx(87.88)
    assert "时限当日检查时仍未完成" in _item(outcome, "下花园区", "D6.1.1")["reason"]
    assert row["grade"] == "不合格"
    # filing 09-28 → 10-10: 09-29, 09-30, 10-08, 10-09, 10-10 = 5 working days, on time
    assert _item(outcome, "下花园区", "D5.2.1")["score"] == 2


def test_website_inspection_from_the_saved_crawl(outcome):
    # 康保县: 年报 column answers 404 → not among the required columns found:
    #   D5.1.1 1 × (1 - 0.15) = 0.85, and it counts as a blank column: D5.1.3 1.5 - 0.5 = 1
    assert _item(outcome, "康保县", "D5.1.1")["score"] == pytest.approx(0.85)
    assert _item(outcome, "康保县", "D5.1.3")["score"] == pytest.approx(1.0)
    # 尚义县: 3 stale columns (法定主动公开内容, 政策解读, 通知公告): 1.5 - 3 × 0.5 = 0, no veto (< 5)
    assert _item(outcome, "尚义县", "D5.1.2")["score"] == 0
    assert not bool(outcome.results.summary.set_index("unit").loc["尚义县", "veto"])
    # 阳原县: 1 stale + 1 blank (依申请公开 list empty but loads: D5.1.1 keeps its 1)
    scores = [_item(outcome, "阳原县", i)["score"] for i in ("D5.1.1", "D5.1.2", "D5.1.3")]
    assert scores == [1, 1, 1]


def test_major_deduction_weixian(summary):
    # 蔚县: one 通报批评 → 2 off the total, not capped by any indicator
    row = summary.loc["蔚县"]
    assert row["major"] == 2
    assert row["total"] == pytest.approx(round(row["base"] - 2, 2))


def test_ranks_inside_groups(summary):
    county = summary[summary["group"] == "county"].sort_values("rank")
    assert county.index[:2].tolist() == ["张北县", "崇礼区"]
    assert summary.loc["张家口经济开发区", "rank"] == 1
    # 市行政审批局 (applicable 75) built its 专区 on 2022-09-17 per the ledger, before
    # 9月底前: D5.3.1 keeps its 3 points (the reviewer sheet no longer says otherwise).
    # Its reviewer/register losses are seeded; with obtained 69.791667:
    # base = 69.791667 / 75 × 100 = 93.0556; +1 innovation (省级推广) = 94.0556 → 94.06
    row = summary.loc["市行政审批局"]
    assert (row["applicable"], row["bonus"]) == (75, 1)
    assert row["total"] == pytest.approx(round(row["obtained"] / 75 * 100 + 1, 2))
    assert row["rank"] == 1  # 94.06 > 市财政局 92.54


def test_outputs_written_and_notice_names_the_vetoed_unit(outcome):
    written = {p.name for p in outcome.written}
    for name in (
        "考核结果.xlsx",
        "通报.md",
        "通报.docx",
        "排名_county.csv",
        "排名_dept.csv",
        "反馈单_张北县.xlsx",
        "反馈单_市财政局.docx",
    ):
        assert name in written
    notice = next(p for p in outcome.written if p.name == "通报.md").read_text(encoding="utf-8")
    assert "1个单位触发单项否决：下花园区" in notice
    assert "为贯彻落实《xx市2022年政务公开工作要点》" in notice
    assert "各县（区）人民政府，各管理区管委会，经开区管委会，市政府各部门：" in notice


@pytest.fixture(scope="module")
def make_data():
    spec = importlib.util.spec_from_file_location("xxshi_make_data", EXAMPLE / "make_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generator_adds_working_days_across_national_day(make_data):
    # make_data.py counts on zwgk-score's calendar and hands back a plain date:
    # 2022-09-29 (Thu) + 3: 09-30 (1), 10-01…07 off, make-up Sat 10-08 (2), Sun 10-09 (3)
    day = make_data.add_workdays(date(2022, 9, 29), 3)
    assert type(day) is date
    assert day == date(2022, 10, 9)


def test_committed_data_is_the_generator_output(make_data, tmp_path, monkeypatch):
    monkeypatch.setattr(make_data, "DATA", tmp_path)
    make_data.main()
    committed = sorted(p.name for p in (EXAMPLE / "data").iterdir())
    assert sorted(p.name for p in tmp_path.iterdir()) == committed
    _, mismatch, errors = filecmp.cmpfiles(EXAMPLE / "data", tmp_path, committed, shallow=False)
    assert (mismatch, errors) == ([], [])
