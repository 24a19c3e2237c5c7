"""The 聊城 plugin's 责任分工 collector, dated-task collector and 约谈名单 exporter."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from zwgk_score_liaocheng.duties import CLASSES, DutiesCollector, assessed
from zwgk_score_liaocheng.interviews import InterviewListExporter
from zwgk_score_liaocheng.task_dates import TaskDatesCollector

from zwgk_score.collect import CollectContext
from zwgk_score.engine import score
from zwgk_score.errors import ConfigError, DataError
from zwgk_score.roster import load_roster
from zwgk_score.rubric import load_rubric
from zwgk_score.workdays import WorkCalendar

UNITS = ("东昌府区", "临清市", "市环保局", "市民政局", "市食药监局")
ROSTER = (
    "unit,group\n东昌府区,county\n临清市,county\n市环保局,dept\n市民政局,dept\n市食药监局,dept\n"
)
RUBRIC = """
[meta]
id = "liaocheng-test"
title = "聊城市2018年度政务公开工作考核细则（测试）"
issuer = "聊城市人民政府办公室"
year = 2018
performance_share = 5
full_score = 10

[[grades]]
name = "合格"
min = 60
[[grades]]
name = "不合格"
min = 0

[[groups]]
id = "county"
name = "县(市、区)"
[[groups]]
id = "dept"
name = "市直部门"

[[domains]]
id = "D"
name = "任务"
points = 10
  [[domains.indicators]]
  id = "T05"
  name = "围绕污染防治推进公开"
  points = 2
  method = "binary"
  data = "pollution"
  task = "(5)"
  responsible = "市环保局牵头,各县(市、区)政府、市属开发区管委会负责落实"
  [[domains.indicators]]
  id = "T18"
  name = "食品药品安全领域信息公开"
  points = 2
  method = "binary"
  data = "food"
  task = "(18)"
  responsible = "市食品药品监督管理局牵头,各县(市、区)政府、市属开发区管委会负责落实"
  [[domains.indicators]]
  id = "T49"
  name = "贯彻落实条例"
  points = 2
  method = "binary"
  data = "regulation"
  task = "(49)"
  responsible = "市政府办公室牵头,各县(市、区)政府、市属开发区管委会、市直各部门负责落实"
  [[domains.indicators]]
  id = "T51a"
  name = "8月底前完成试点验收"
  points = 2
  method = "deadline"
  data = "pilot_accepted"
  task = "(51)"
  groups = ["county"]
  responsible = "市政府办公室牵头,临清市政府办公室负责落实"
  params = { due = "8月底前", year = 2018 }
  [[domains.indicators]]
  id = "T55a"
  name = "今年年底前完成目录编制"
  points = 2
  method = "deadline"
  data = "catalogue_compiled"
  task = "(55)"
  responsible = "市政府办公室牵头,各县(市、区)政府、市属开发区管委会、市直各部门负责落实"
  params = { due = "今年年底前", year = 2018 }
"""
LEDGER = (
    "责任单位,任务编号,任务名称,完成时限,完成时间\n"
    "临清市,(51)-1,完成试点验收,8月底前,2018-09-05\n"
    "东昌府区,(55),完成目录编制,今年年底前,2018-11-30\n"
    "临清市,(55),完成目录编制,今年年底前,\n"
    "市环保局、市民政局、市食药监局,(55),完成目录编制,今年年底前,2018-10-08\n"
)
TASKS = {"(51)-1": "pilot_accepted", "(55)": "catalogue_compiled"}


def _setup(tmp_path: Path) -> Path:
    (tmp_path / "rubric.toml").write_text(RUBRIC, encoding="utf-8")
    (tmp_path / "units.csv").write_text(ROSTER, encoding="utf-8")
    (tmp_path / "ledger.csv").write_text(LEDGER, encoding="utf-8")
    cfg = tmp_path / "assessment.toml"
    cfg.write_text(
        '[assessment]\nname = "测试"\nrubric = "rubric.toml"\nroster = "units.csv"\nyear = 2018\n',
        encoding="utf-8",
    )
    return cfg


def _ctx(tmp_path: Path, end: date = date(2018, 12, 31)) -> CollectContext:
    return CollectContext(
        year=2018,
        quarter=None,
        period_start=date(2018, 1, 1),
        period_end=end,
        base_dir=tmp_path,
        units=UNITS,
        calendar=WorkCalendar.china(),
        config_file=_setup(tmp_path),
    )


ALIASES = {"aliases": {"市食药监局": ["市食品药品监督管理局"]}}


def test_duties_mark_the_units_a_task_does_not_name_not_applicable(tmp_path):
    rows = DutiesCollector().collect(ALIASES, _ctx(tmp_path))
    na = set(zip(rows["unit"], rows["key"], strict=True))
    # (5) "市环保局牵头,各县(市、区)政府……": the counties and 市环保局, not the other departments
    assert {u for u, k in na if k == "pollution"} == {"市民政局", "市食药监局"}
    # (18) names 市食品药品监督管理局 = 市食药监局 by its alias
    assert {u for u, k in na if k == "food"} == {"市环保局", "市民政局"}
    # (49) "市直各部门": everybody; (51) "临清市政府办公室": of the counties only 临清市
    assert not {u for u, k in na if k in ("regulation", "catalogue_compiled")}
    assert {u for u, k in na if k == "pilot_accepted"} == {"东昌府区"}  # depts: not their group
    assert (rows["status"] == "na").all()
    assert (
        rows.loc[rows["key"] == "pollution", "evidence"]
        .iat[0]
        .startswith("第(5)项责任分工「市环保局牵头")
    )
    # without the alias 市食药监局 is not recognised in (18)
    plain = DutiesCollector().collect({}, _ctx(tmp_path))
    assert "市食药监局" in set(plain.loc[plain["key"] == "food", "unit"])


def test_duties_exclusion_needs_a_reason_and_a_known_key(tmp_path):
    ctx = _ctx(tmp_path)
    ex = {"units": ["市环保局"], "keys": ["regulation"], "reason": "配合单位，不考核"}
    rows = DutiesCollector().collect({"exclude": [ex]}, ctx)
    got = rows[(rows["unit"] == "市环保局") & (rows["key"] == "regulation")]
    assert got["evidence"].tolist() == ["配合单位，不考核"]
    with pytest.raises(ConfigError, match="理由"):
        DutiesCollector().collect({"exclude": [{**ex, "reason": " "}]}, ctx)
    with pytest.raises(ConfigError, match="不是考核细则中"):
        DutiesCollector().collect({"exclude": [{**ex, "keys": ["nope"]}]}, ctx)


def test_duties_name_the_table_and_key_of_a_typo(tmp_path):
    ctx = _ctx(tmp_path)
    with pytest.raises(ConfigError) as e:
        DutiesCollector().collect({"alias": ALIASES["aliases"]}, ctx)
    assert e.value.path == "collectors.liaocheng_duties.alias"
    assert "collectors.liaocheng_duties" in str(e.value) and "alias" in str(e.value)
    assert "assessment.toml" in str(e.value) and "aliases" in str(e.value)  # the hint's guess
    ex = {"units": ["市环保局"], "keys": ["regulation"], "reasn": "配合单位"}
    with pytest.raises(ConfigError) as e:  # a typo inside an exclude item, by position
        DutiesCollector().collect({"exclude": [ex]}, ctx)
    assert e.value.path == "collectors.liaocheng_duties.exclude[0].reasn"
    with pytest.raises(ConfigError) as e:  # an exclude item that is not a table
        DutiesCollector().collect({"exclude": ["市环保局"]}, ctx)
    assert "collectors.liaocheng_duties" in str(e.value) and "exclude" in str(e.value)
    # an alias may be one name instead of a list: same result as the list
    one = DutiesCollector().collect({"aliases": {"市食药监局": "市食品药品监督管理局"}}, ctx)
    assert one.equals(DutiesCollector().collect(ALIASES, ctx))


def test_assessed_reads_the_class_words_and_the_names():
    line = "市发改委、市工商局、市财政局、各县(市、区)政府、市属开发区管委会按职责分工分别牵头落实"
    assert assessed(line, "市财政局", "dept", {}, CLASSES)
    assert not assessed(line, "市民政局", "dept", {}, CLASSES)
    assert assessed(line, "冠县", "county", {}, CLASSES)
    assert assessed(line, "聊城经济技术开发区", "zone", {}, CLASSES)


def test_task_dates_give_each_ledger_row_to_its_deadline_leaf(tmp_path):
    rows = (
        TaskDatesCollector()
        .collect({"file": "ledger.csv", "tasks": TASKS}, _ctx(tmp_path))
        .set_index(["unit", "key"])
    )
    assert rows.loc[("临清市", "pilot_accepted"), "text"] == "2018-09-05"
    assert rows.loc[("临清市", "catalogue_compiled"), "text"] == ""  # not completed
    # a cell naming two units counts for each
    assert rows.loc[("市民政局", "catalogue_compiled"), "text"] == "2018-10-08"
    assert rows.loc[("临清市", "catalogue_compiled"), "evidence"] == (
        "任务(55)「完成目录编制」：完成时限「今年年底前」，截至2018年12月31日未完成"
    )
    # a quarter ending 30 September does not yet see the 10-08 completion
    q3 = (
        TaskDatesCollector()
        .collect({"file": "ledger.csv", "tasks": TASKS}, _ctx(tmp_path, end=date(2018, 9, 30)))
        .set_index(["unit", "key"])
    )
    assert q3.loc[("市民政局", "catalogue_compiled"), "text"] == ""
    assert q3.loc[("临清市", "pilot_accepted"), "text"] == "2018-09-05"


def test_task_dates_refuse_a_deadline_other_than_the_rubric_s(tmp_path):
    ctx = _ctx(tmp_path)
    (tmp_path / "ledger.csv").write_text(LEDGER.replace(",8月底前,", ",9月底前,"), encoding="utf-8")
    with pytest.raises(DataError, match="与考核细则不一致") as e:
        TaskDatesCollector().collect({"file": "ledger.csv", "tasks": TASKS}, ctx)
    assert "8月底前" in str(e.value)
    (tmp_path / "ledger.csv").write_text(LEDGER, encoding="utf-8")
    with pytest.raises(DataError, match="没有对应的考核指标"):
        TaskDatesCollector().collect(
            {"file": "ledger.csv", "tasks": {"(55)": "catalogue_compiled"}}, ctx
        )
    with pytest.raises(ConfigError, match="deadline"):
        TaskDatesCollector().collect({"file": "ledger.csv", "tasks": {"(55)": "food"}}, ctx)


def test_task_dates_name_the_table_and_key_of_a_typo(tmp_path):
    ctx = _ctx(tmp_path)
    with pytest.raises(ConfigError) as e:
        TaskDatesCollector().collect({"file": "ledger.csv", "task": TASKS}, ctx)
    assert e.value.path == "collectors.liaocheng_task_dates.task"
    assert "collectors.liaocheng_task_dates" in str(e.value) and "task" in str(e.value)
    assert "assessment.toml" in str(e.value) and "tasks" in str(e.value)  # the hint's guess


def test_interview_list_names_each_late_task_with_its_ledger_row(tmp_path):
    ctx = _ctx(tmp_path)
    rubric = load_rubric(tmp_path / "rubric.toml")
    roster = load_roster(tmp_path / "units.csv", rubric)
    data = pd.concat(
        [
            TaskDatesCollector().collect({"file": "ledger.csv", "tasks": TASKS}, ctx),
            DutiesCollector().collect(ALIASES, ctx),
            pd.DataFrame(
                [
                    {"unit": u, "key": k, "value": 1, "status": "ok"}
                    for u in UNITS
                    for k in ("pollution", "food", "regulation")
                ]
            ),
        ],
        ignore_index=True,
    )
    results = score(rubric, data, roster)
    out = tmp_path / "out"
    paths = InterviewListExporter().export(results, out, {})
    assert [p.name for p in paths] == ["约谈名单.md", "约谈名单.csv"]
    table = pd.read_csv(out / "约谈名单.csv", dtype=str, encoding="utf-8-sig")
    # 临清市: 验收 on 09-05 after 8月底前 (2 points lost), 目录 not compiled (2 lost);
    # 东昌府区 and the departments met their dates
    assert table["单位"].tolist() == ["临清市", "临清市"]
    assert table["指标"].tolist() == [
        "T51a 8月底前完成试点验收（第(51)项）",
        "T55a 今年年底前完成目录编制（第(55)项）",
    ]
    assert table["失分"].tolist() == ["2.00", "2.00"]
    assert table["证据来源"].tolist() == ["ledger.csv:2", "ledger.csv:4"]
    assert "逾期 5 天" in table["失分原因"].iat[0]
    md = (out / "约谈名单.md").read_text(encoding="utf-8")
    assert "拟约谈单位共1个：临清市。" in md


def test_interview_list_is_written_for_liaocheng_rubrics_only(tmp_path):
    # installed plugins' exporters run for every assessment: another region gets no file
    class Fake:
        class rubric:  # noqa: N801 - mimics Results.rubric
            class meta:  # noqa: N801
                id = "tancheng-2023"

    assert InterviewListExporter().export(Fake(), tmp_path / "x", {}) == []
    assert not (tmp_path / "x").exists()
