"""CLI basics: validate and score a tiny rubric; errors exit 2 without traceback."""

from __future__ import annotations

import json
import subprocess
import sys

RUBRIC = """
[meta]
id = "t"
title = "测试细则"
issuer = "某市政府办公室"
year = 2023
performance_share = 5

[[grades]]
name = "合格"
min = 60
[[grades]]
name = "不合格"
min = 0

[[groups]]
id = "a"
name = "A类"

[[domains]]
id = "D1"
name = "网站"
points = 100
  [[domains.indicators]]
  id = "D1.1"
  name = "栏目更新"
  points = 100
  method = "deduction"
  params = { per = 5 }
"""


def run(*args: str):
    return subprocess.run(
        [sys.executable, "-m", "zwgk_score.cli", *args], capture_output=True, text=True
    )


def test_validate_and_score(tmp_path):
    rubric = tmp_path / "r.toml"
    rubric.write_text(RUBRIC, encoding="utf-8")
    (tmp_path / "d.csv").write_text(
        "unit,key,value,evidence\n甲,D1.1,1,栏目未更新\n甲,D1.1,2,两处错链\n", encoding="utf-8"
    )
    (tmp_path / "u.csv").write_text("unit,group\n甲,a\n乙,a\n", encoding="utf-8")
    r = run("validate", str(rubric))
    assert r.returncode == 0, r.stderr
    assert "末级指标 1 个" in r.stdout
    r = run(
        "score",
        str(rubric),
        str(tmp_path / "d.csv"),
        "-r",
        str(tmp_path / "u.csv"),
        "-o",
        str(tmp_path / "out"),
    )
    assert r.returncode == 0, r.stderr
    data = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    totals = {u["unit"]: u["total"] for u in data["units"]}
    # 甲: 3 occurrences × 5 = 15 off 100 → 85; 乙: nothing found → 100
    assert totals == {"甲": 85.0, "乙": 100.0}


def test_share_below_floor_is_rejected_without_traceback(tmp_path):
    rubric = tmp_path / "r.toml"
    rubric.write_text(
        RUBRIC.replace("performance_share = 5", "performance_share = 3.5"), encoding="utf-8"
    )
    r = run("validate", str(rubric))
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    assert "meta.performance_share" in r.stderr and "4%" in r.stderr
    assert len(r.stderr.strip().splitlines()) <= 2


def test_usage_mistakes_are_reported_in_chinese():
    for args, expected in [
        (["run"], "缺少参数 TARGET"),
        (["run", "x", "--bogus"], "没有选项 --bogus"),
        (["nosuch"], "没有命令 nosuch"),
        (["validate", "a.toml", "b.toml"], "多余的参数 b.toml"),
    ]:
        r = run(*args)
        assert r.returncode == 2, args
        assert r.stderr.startswith("命令行错误：" + expected), r.stderr
        assert "Traceback" not in r.stderr and "Usage:" not in r.stderr
