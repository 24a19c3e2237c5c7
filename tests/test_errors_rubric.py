"""Malformed rubrics: every error names the file and the exact place in it.

Each case edits one spot of a valid rubric (``BASE``) and asserts the error's
``path`` (TOML notation such as ``domains[2].indicators[0].points``) or, for
TOML syntax errors, its line and column.  A few go through the CLI, which
must print the message without a traceback and exit with status 2.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from zwgk_score import load_rubric
from zwgk_score.errors import RubricError

BASE = """\
[meta]
id = "base"
title = "测试细则"
issuer = "某市人民政府办公室"
year = 2023
performance_share = 5
tie_break = ["D1"]

[[grades]]
name = "优秀"
min = 90
[[grades]]
name = "合格"
min = 60
[[grades]]
name = "不合格"
min = 0

[[groups]]
id = "county"
name = "县区"
[[groups]]
id = "dept"
name = "部门"

[combine]
parts = [ { id = "q", name = "季度检查", weight = 20 },
          { id = "y", name = "年终考核", weight = 80, aggregate = "mean" } ]

[[domains]]
id = "D1"
name = "网站"
points = 30
  [[domains.indicators]]
  id = "D1.1"
  name = "栏目更新"
  points = 20
  method = "deduction"
  params = { per = 5 }
  [[domains.indicators]]
  id = "D1.2"
  name = "标识"
  points = 10
  method = "checklist"
  params = { parts = [ { id = "a", name = "可见", share = 0.5 }, { id = "b", name = "链接", share = 0.5 } ] }

[[domains]]
id = "D2"
name = "服务"
points = 30
groups = ["county"]
  [[domains.indicators]]
  id = "D2.1"
  name = "答复率"
  points = 30
  method = "ratio"

[[domains]]
id = "D3"
name = "其他"
points = 40
  [[domains.indicators]]
  id = "D3.1"
  name = "评审"
  points = 40
  method = "manual"
  [[domains.indicators]]
  id = "D3.2"
  name = "表彰"
  method = "bonus"
  params = { per = 3, cap = 6 }
  [[domains.indicators]]
  id = "D3.3"
  name = "网站无法访问"
  method = "veto"
  params = { policy = "cap", cap = 59 }
"""


def edit(old: str, new: str, count: int = 1) -> str:
    """BASE with the ``count``-th occurrence of ``old`` replaced (the test fails if absent)."""
    assert BASE.count(old) >= count, old
    head, *rest = BASE.split(old)
    parts = [head]
    for i, piece in enumerate(rest, start=1):
        parts.append(new if i == count else old)
        parts.append(piece)
    return "".join(parts)


def load(tmp_path: Path, text: str) -> RubricError:
    f = tmp_path / "细则.toml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(RubricError) as info:
        load_rubric(f)
    err = info.value
    assert err.file == str(f)
    assert str(f) in str(err)  # the printed message names the file
    return err


def test_base_is_valid(tmp_path):
    f = tmp_path / "ok.toml"
    f.write_text(BASE, encoding="utf-8")
    r = load_rubric(f)
    assert [d.id for d in r.domains] == ["D1", "D2", "D3"]


# (edit of BASE, expected path, a fragment of the Chinese message)
CASES = [
    # cattrs structuring: unknown / missing keys and wrong types
    (("title = ", 'titel = "x"\ntitle = '), "meta", "未知的键：titel"),
    (('issuer = "某市人民政府办公室"\n', ""), "meta.issuer", "缺少必填的键"),
    (("year = 2023", "year = true"), "meta.year", "类型错误，应为整数"),
    (("points = 30\ngroups", 'points = "30"\ngroups'), "domains[1].points", "类型错误，应为数字"),
    (
        ("  points = 40\n  method", '  points = "40"\n  method'),
        "domains[2].indicators[0].points",
        "类型错误",
    ),
    (('tie_break = ["D1"]', 'tie_break = "D1"'), "meta.tie_break", "类型错误，应为数组"),
    (
        ('  method = "ratio"', '  method = "ratio"\n  weight = 2'),
        "domains[1].indicators[0]",
        "未知的键：weight",
    ),
    (
        ("params = { per = 5 }", "params = { per = 5, pre = 5 }"),
        "domains[0].indicators[0].params",
        "未知的键：pre",
    ),
    (
        ("params = { per = 5 }", "params = { }"),
        "domains[0].indicators[0].params.per",
        # per is no longer the only way to deduct (reasons / amount): the message lists all three
        "per（每处扣分）、reasons（按原因扣分）、amount（按值扣分）须且只须给出一个",
    ),
    (
        ('share = 0.5 }, { id = "b"', 'share = "half" }, { id = "b"'),
        "domains[0].indicators[1].params.parts[0].share",
        "类型错误",
    ),
    (
        ('weight = 80, aggregate = "mean"', 'weight = 80, aggregate = "mean", wieght = 1'),
        "combine.parts[1]",
        "未知的键：wieght",
    ),
    # TOML nan / inf would pass every range check
    (
        ("performance_share = 5", "performance_share = nan"),
        "meta.performance_share",
        "数值不能为 nan",
    ),
    (
        ("  points = 40\n  method", "  points = inf\n  method"),
        "domains[2].indicators[0].points",
        "数值不能为 inf",
    ),
    # metadata semantics
    (
        ("performance_share = 5", "performance_share = 3.5"),
        "meta.performance_share",
        "低于 4% 的下限",
    ),
    (
        ("year = 2023", 'year = 2023\nmissing = "skip"'),
        "meta.missing",
        "未知的缺失数据处理方式「skip」",
    ),
    (("year = 2023", "year = 2023\nprecision = 7"), "meta.precision", "小数位数"),
    (
        ('tie_break = ["D1"]', 'tie_break = ["D1", "D9"]'),
        "meta.tie_break[1]",
        "未知的一级指标「D9」",
    ),
    (("year = 2023", "year = 2023\nbonus_cap = 0"), "meta.bonus_cap", "加分上限应大于 0"),
    (("min = 60", "min = 95"), "grades[1].min", "从高到低"),
    (("min = 0\n", "min = 30\n"), "grades[2].min", "最低一档「不合格」的 min 应为 0"),
    (('name = "合格"', 'name = "优秀"'), "grades[1].name", "等次「优秀」重复"),
    (('id = "dept"', 'id = "county"'), "groups[1].id", "考核类别 id「county」重复"),
    (('id = "dept"', 'id = "dept"\nmax_score = 0'), "groups[1].max_score", "满分应大于 0"),
    (
        ('id = "dept"', 'id = "dept"\nrescale = false'),
        "groups[1].max_score",
        "满分 100 与适用于它的指标分值之和 70 不一致",
    ),
    # the indicator tree
    (('id = "D1.2"', 'id = "D1.1"'), "domains[0].indicators[1].id", "指标 id「D1.1」重复"),
    (('id = "D2"', 'id = "D 2"'), "domains[1].id", "只能包含字母、数字"),
    (
        ('groups = ["county"]', 'groups = ["town"]'),
        "domains[1].groups[0]",
        "未知或上级不适用的考核类别「town」",
    ),
    (('groups = ["county"]', "groups = []"), "domains[1].groups", "groups 不能为空数组"),
    (
        ("  points = 40\n  method", "  points = 35\n  method"),
        "domains[2].points",
        "与下级指标分值之和 35 不一致",
    ),
    (
        ("points = 30\ngroups", "points = 25\ngroups"),
        "domains[1].points",
        "分值 25 与下级指标分值之和 30 不一致",
    ),
    (("year = 2023", "year = 2023\nfull_score = 120"), "domains", "不等于满分 120"),
    (
        ('  method = "manual"', '  method = "manual"\n  floor = false'),
        "domains[2].indicators[0].floor",
        "不能设置 floor",
    ),
    (('  method = "manual"', ""), "domains[2].indicators[0]", "缺少评分方法 method"),
    (
        ('  method = "manual"', '  method = "manul"'),
        "domains[2].indicators[0].method",
        "未知的评分方法「manul」",
    ),
    (
        (
            'points = 30\n  [[domains.indicators]]\n  id = "D1.1"',
            'points = 30\nmethod = "binary"\n  [[domains.indicators]]\n  id = "D1.1"',
        ),
        "domains[0]",
        "既有下级指标",
    ),
    (
        (
            "points = 40\n  [[domains.indicators]]",
            'points = 40\ndata = "x"\n  [[domains.indicators]]',
        ),
        "domains[2].data",
        "不能设置 params / data",
    ),
    (
        ('  method = "manual"', '  method = "manual"\n  data = " "'),
        "domains[2].indicators[0].data",
        "数据键不能为空",
    ),
    # method parameters
    (
        ('share = 0.5 }, { id = "b"', 'share = 0.6 }, { id = "b"'),
        "domains[0].indicators[1].params.parts",
        "之和应为 1",
    ),
    (
        ("params = { per = 5 }", "params = { per = -5 }"),
        "domains[0].indicators[0].params.per",
        "per 应大于 0",
    ),
    (
        ('  method = "ratio"', '  method = "ratio"\n  params = { floor = 0.9, full_at = 0.8 }'),
        "domains[1].indicators[0].params.floor",
        "floor < full_at",
    ),
    (
        ('params = { policy = "cap", cap = 59 }', 'params = { policy = "cap" }'),
        "domains[2].indicators[2].params.cap",
        "须给出 cap",
    ),
    (
        ('params = { policy = "cap", cap = 59 }', 'params = { policy = "warn" }'),
        "domains[2].indicators[2].params.policy",
        "policy 应为",
    ),
    (
        ('  method = "bonus"', '  points = 5\n  method = "bonus"'),
        "domains[2].indicators[1].points",
        "不占基础分值，points 应为 0",
    ),
    (
        ("params = { per = 3, cap = 6 }", "params = { per = 3, cap = -1 }"),
        "domains[2].indicators[1].params.cap",
        "cap 应大于 0",
    ),
    (("cap = 59 }", "cap = -1 }"), "domains[2].indicators[2].params.cap", "cap（封顶分）不能为负"),
    # period combination
    (("weight = 80", "weight = 70"), "combine.parts", "各阶段权重之和应为 100，实际为 90"),
    (
        ('aggregate = "mean"', 'aggregate = "max"'),
        "combine.parts[1].aggregate",
        "未知的汇总方式「max」",
    ),
    (('{ id = "y"', '{ id = "q"'), "combine.parts[1].id", "阶段 id「q」重复"),
]


@pytest.mark.parametrize(
    ("change", "path", "message"), CASES, ids=[c[1] + ":" + c[2] for c in CASES]
)
def test_malformed_rubric_names_the_path(tmp_path, change, path, message):
    err = load(tmp_path, edit(*change))
    assert err.path == path
    assert message in err.message
    assert f"位置 {path}" in str(err)


def test_toml_syntax_error_has_line_and_column(tmp_path):
    # line 3 of BASE loses its closing quote
    err = load(tmp_path, edit('title = "测试细则"', 'title = "测试细则'))
    assert (err.line, err.column) == (3, 14)  # the line break after 则 (columns count characters)
    assert err.message.startswith("TOML 语法错误")
    assert "第 3 行第 14 列" in str(err)


def test_toml_duplicate_key_has_line(tmp_path):
    err = load(tmp_path, edit("year = 2023", "year = 2023\nyear = 2024"))
    assert err.line == 6


def test_missing_file_and_bad_encoding(tmp_path):
    with pytest.raises(RubricError) as e:
        load_rubric(tmp_path / "无此文件.toml")
    assert e.value.message == "文件不存在"
    f = tmp_path / "gbk.toml"
    f.write_bytes(BASE.encode("gbk"))
    with pytest.raises(RubricError) as e:
        load_rubric(f)
    assert "UTF-8" in e.value.message and e.value.file == str(f)


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "zwgk_score.cli", *args], capture_output=True, text=True
    )


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (('title = "测试细则"', 'title = "测试细则'), "第 3 行第 14 列"),
        (
            ("  points = 40\n  method", '  points = "40"\n  method'),
            "位置 domains[2].indicators[0].points",
        ),
        (("  points = 40\n  method", "  points = 35\n  method"), "位置 domains[2].points"),
        (('  method = "manual"', '  method = "manul"'), "位置 domains[2].indicators[0].method"),
    ],
)
def test_cli_prints_the_location_without_traceback(tmp_path, change, where):
    f = tmp_path / "细则.toml"
    f.write_text(edit(*change), encoding="utf-8")
    r = cli("validate", str(f))
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    assert r.stderr.startswith(f"考核细则错误：文件 {f}")
    assert where in r.stderr
    assert r.stdout == ""


def test_single_bracket_table_instead_of_array_of_tables(tmp_path):
    # [domains.indicators] (one table) where [[domains.indicators]] (an array of tables) is meant
    text = edit(
        'groups = ["county"]\n  [[domains.indicators]]',
        'groups = ["county"]\n  [domains.indicators]',
    )
    err = load(tmp_path, text)
    assert (err.path, err.message) == ("domains[1].indicators", "类型错误，应为数组")
    assert "[[…]]" in err.hint
