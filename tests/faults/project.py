"""A small assessment project for the fault-injection cases (three units, every output format)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

RUBRIC = """\
[meta]
id = "fault-test"
title = "故障注入测试细则"
issuer = "某县人民政府办公室"
year = 2023
performance_share = 6

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
id = "dept"
name = "县直部门"

[[domains]]
id = "D1"
name = "公开平台"
points = 60
  [[domains.indicators]]
  id = "D1.1"
  name = "栏目更新"
  points = 40
  method = "deduction"
  data = "stale"
  params = { per = 5 }
  [[domains.indicators]]
  id = "D1.2"
  name = "培训次数"
  points = 20
  method = "count"
  data = "training"
  params = { target = 2 }

[[domains]]
id = "D2"
name = "依申请公开"
points = 40
  [[domains.indicators]]
  id = "D2.1"
  name = "评审打分"
  points = 40
  method = "manual"
  data = "review"
"""

UNITS = "unit,group\n甲局,dept\n乙局,dept\n丙局,dept\n"

DATA = "单位,栏目不更新,培训,评审\n甲局,1,2,36\n乙局,3,1,40\n丙局,0,2,30\n"

CONFIG = """\
[assessment]
name = "某县2023年度政务公开考核"
rubric = "rubric.toml"
roster = "units.csv"
year = 2023
output = "out"

[collectors.sheet]
use = "score_sheet"
file = "data/打分表.csv"
columns = { stale = "栏目不更新", training = "培训", review = "评审" }

[outputs]
formats = ["json", "excel", "notice", "feedback"]

[notice]
date = "2024-01-15"
"""

FILES = {
    "rubric.toml": RUBRIC,
    "units.csv": UNITS,
    "data/打分表.csv": DATA,
    "assessment.toml": CONFIG,
}


def make_project(root: Path, files: dict[str, str] | None = None) -> Path:
    """Write the project (``files`` overrides some of :data:`FILES`) into ``root``."""
    for name, text in {**FILES, **(files or {})}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (hidden ones too) → SHA-256; symlinks → their target."""
    out: dict[str, str] = {}
    if not folder.exists():
        return out
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            rel = p.relative_to(folder).as_posix()
            if p.is_symlink():
                out[rel] = "->" + os.readlink(p)
            elif p.is_file():
                out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
            else:
                out[rel + "/"] = "dir"
    return out


def leftovers(parent: Path) -> list[str]:
    """Hidden staging folders, old sets and lock files the tool left in ``parent``."""
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(".out."))
