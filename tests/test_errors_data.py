"""Malformed data tables and rosters: every error names the file, row and column.

Rows are numbered as a spreadsheet shows them: the header is row 1, so the
first data row is 第 2 行.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from zwgk_score import load_rubric, score
from zwgk_score.errors import DataError
from zwgk_score.roster import read_table

RUBRIC = """\
[meta]
id = "data-errors"
title = "数据错误测试细则"
issuer = "某县人民政府办公室"
year = 2023
performance_share = 5

[[grades]]
name = "合格"
min = 60
[[grades]]
name = "不合格"
min = 0

[[groups]]
id = "town"
name = "乡镇"
[[groups]]
id = "dept"
name = "部门"

[[domains]]
id = "D1"
name = "平台"
points = 100
  [[domains.indicators]]
  id = "site"
  name = "网站可访问"
  points = 20
  method = "binary"
  [[domains.indicators]]
  id = "rate"
  name = "答复率"
  points = 20
  method = "ratio"
  [[domains.indicators]]
  id = "review"
  name = "评审"
  points = 20
  method = "manual"
  [[domains.indicators]]
  id = "badge"
  name = "标识"
  points = 10
  method = "checklist"
  params = { parts = [ { id = "visible", name = "可见", share = 0.5 }, { id = "link", name = "链接", share = 0.5 } ] }
  [[domains.indicators]]
  id = "column"
  name = "栏目质量"
  points = 10
  method = "levels"
  params = { levels = [ { name = "好", share = 1.0 }, { name = "差", share = 0 } ] }
  [[domains.indicators]]
  id = "stale"
  name = "栏目更新"
  points = 20
  method = "deduction"
  params = { per = 5 }
  [[domains.indicators]]
  id = "praise"
  name = "表彰"
  method = "bonus"
  params = { per = 3 }
"""

ROSTER = "unit,group\n甲镇,town\n乙局,dept\n"

#: a complete, valid table (rows 2–11)
GOOD = """\
unit,key,value,text,status,evidence
甲镇,site,1,,,
甲镇,rate,0.9,,,
甲镇,review,18,,,
甲镇,badge,,visible,,
甲镇,column,,好,,
乙局,site,1,,,
乙局,rate,1,,,
乙局,review,20,,,
乙局,badge,,visible;link,,
乙局,column,,差,,
"""


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "细则.toml").write_text(RUBRIC, encoding="utf-8")
    (tmp_path / "名单.csv").write_text(ROSTER, encoding="utf-8")
    return tmp_path


def score_files(d: Path, data: str, roster: str = ROSTER):
    (d / "数据.csv").write_text(data, encoding="utf-8")
    (d / "名单.csv").write_text(roster, encoding="utf-8")
    return score(
        load_rubric(d / "细则.toml"),
        read_table(d / "数据.csv"),
        read_table(d / "名单.csv"),
        data_file=d / "数据.csv",
        roster_file=d / "名单.csv",
    )


def fails(d: Path, data: str, roster: str = ROSTER) -> DataError:
    with pytest.raises(DataError) as info:
        score_files(d, data, roster)
    return info.value


def test_good_table_scores(files):
    res = score_files(files, GOOD)
    # 甲镇: 20 + 18 + 18 + 5 + 10 + 20 = 91; 乙局: 20 + 20 + 20 + 10 + 0 + 20 = 90
    assert dict(zip(res.summary["unit"], res.summary["total"], strict=True)) == {
        "甲镇": 91.0,
        "乙局": 90.0,
    }


# (rows appended to GOOD, expected path, message fragment); appended rows start at 第 12 行
DATA_CASES = [
    ("丙镇,site,1,,,\n", "第 12 行，列 unit", "单位「丙镇」不在单位名单中"),
    ("甲镇,sight,1,,,\n", "第 12 行，列 key", "数据键「sight」不对应"),
    ("甲镇,stale,1,,n/a,\n", "第 12 行，列 status", "未知的状态「n/a」"),
    ("甲镇,stale,一次,,,\n", "第 12 行，列 value", "value 列不是数字：「一次」"),
    ("甲镇,stale,1,,,\n甲镇,stale,-2,,,\n", "第 13 行，列 value", "次数/数值不能为负"),
    ("甲镇,stale,,,,\n", "第 12 行，列 value", "value 为空或不是数字"),
    ("甲镇,praise,1,,,\n", "第 12 行，列 evidence", "加分须附佐证材料"),
]


@pytest.mark.parametrize(("extra", "path", "message"), DATA_CASES, ids=[c[2] for c in DATA_CASES])
def test_bad_rows_are_located(files, extra, path, message):
    err = fails(files, GOOD + extra)
    assert err.file == str(files / "数据.csv")
    assert err.path == path
    assert message in err.message


# (old line of GOOD, new line, expected path, message fragment)
VALUE_CASES = [
    (
        "甲镇,site,1,,,",
        "甲镇,site,2,,,",
        "第 2 行，列 value",
        "取值应为 1（是）或 0（否），实际为 2",
    ),
    ("甲镇,rate,0.9,,,", "甲镇,rate,90,,,", "第 3 行，列 value", "比率应在 0 到 1 之间，实际为 90"),
    ("乙局,review,20,,,", "乙局,review,25,,,", "第 9 行，列 value", "评审分应在 0 到 20 之间"),
    ("甲镇,badge,,visible,,", "甲镇,badge,,visible;logo,,", "第 5 行，列 text", "未知的分项 logo"),
    ("乙局,column,,差,,", "乙局,column,,一般,,", "第 11 行，列 text", "未知的档次「一般」"),
    (
        "乙局,rate,1,,,",
        "乙局,rate,1,,,\n乙局,rate,0.5,,,",
        "第 9 行，列 unit",
        "有 2 行数据，本方法只接受一行",
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "path", "message"), VALUE_CASES, ids=[c[3] for c in VALUE_CASES]
)
def test_bad_values_are_located(files, old, new, path, message):
    assert old in GOOD
    err = fails(files, GOOD.replace(old, new))
    assert err.path == path
    assert message in err.message
    assert f"位置 {path}" in str(err)


def test_indicator_named_in_value_errors(files):
    err = fails(files, GOOD.replace("甲镇,site,1,,,", "甲镇,site,2,,,"))
    assert err.message.startswith("指标「网站可访问」（site）：")


def test_missing_data_names_unit_and_key(files):
    err = fails(files, GOOD.replace("乙局,review,20,,,\n", ""))
    assert err.path == "unit=乙局, key=review"
    assert "缺少指标「评审」（review）的数据" in err.message
    assert "meta.missing" in err.hint


def test_several_missing_cells_are_counted(files):
    err = fails(files, GOOD.replace("乙局,review,20,,,\n", "").replace("甲镇,site,1,,,\n", ""))
    assert err.path == "unit=甲镇, key=site"
    assert "（共 2 处缺失）" in err.message


def test_table_without_key_column(files):
    err = fails(files, "unit,value\n甲镇,1\n")
    assert (err.path, err.message) == ("表头", "指标数据缺少列「key」")


ROSTER_CASES = [
    ("unit,类别\n甲镇,town\n", "表头", "单位名单缺少列「group」"),
    ("unit,group\n甲镇,town\n乙局,county\n", "第 3 行，列 group", "类别「county」不在考核细则中"),
    ("unit,group\n甲镇,town\n甲镇,dept\n", "第 3 行，列 unit", "单位「甲镇」重复"),
    ("unit,group\n甲镇,town\n ,dept\n", "第 3 行，列 unit", "单位名称为空"),
]


@pytest.mark.parametrize(
    ("roster", "path", "message"), ROSTER_CASES, ids=[c[2] for c in ROSTER_CASES]
)
def test_bad_rosters_are_located(files, roster, path, message):
    err = fails(files, GOOD, roster)
    assert err.file == str(files / "名单.csv")
    assert err.path == path
    assert message in err.message


def test_empty_roster(files):
    err = fails(files, GOOD, "unit,group\n")
    assert err.message == "单位名单为空"


def test_missing_data_file(tmp_path):
    with pytest.raises(DataError) as e:
        read_table(tmp_path / "无.csv")
    assert e.value.message == "文件不存在"


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "zwgk_score.cli", *args], capture_output=True, text=True
    )


@pytest.mark.parametrize(
    ("data", "where"),
    [
        (GOOD + "丙镇,site,1,,,\n", "位置 第 12 行，列 unit"),
        (GOOD.replace("甲镇,rate,0.9,,,", "甲镇,rate,90,,,"), "位置 第 3 行，列 value"),
    ],
)
def test_cli_prints_data_errors_without_traceback(files, data, where):
    (files / "数据.csv").write_text(data, encoding="utf-8")
    r = cli(
        "score",
        str(files / "细则.toml"),
        str(files / "数据.csv"),
        "-r",
        str(files / "名单.csv"),
        "-o",
        str(files / "out"),
    )
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    assert r.stderr.startswith(f"数据错误：文件 {files / '数据.csv'}，{where}")
    assert not (files / "out").exists()  # nothing written on error
