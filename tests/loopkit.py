"""Helpers of the loop tests: a copy of the 郯城 example run as a loop, and forms filled as units would."""

from __future__ import annotations

import csv
import os
import re
import shutil
from datetime import datetime
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "tancheng"
#: the indicators the reviewers judge on the 复核表 (all other reviewer columns stay in the sheet;
#: I01b and I06a are dated from 限时公开事项登记, not judged)
REVIEWED = {
    "I01a": "development_info",
    "I03a": "public_institutions",
    "I04a": "policy_library",
    "I05b": "interpretation_quality",
    "I05c": "interpretation_forms",
    "I06b": "policy_evaluation",
    "I07d": "attendee_opinions",
    "I08a": "open_day",
    "I08b": "interaction_quality",
    "I09a": "disclosure_guide",
    "I10e": "new_media",
    "I11a": "training",
}
HEADER_ROW = 4  # 1-based row of the form headers


def make_loop(tmp: Path, ledger: str | None = None) -> Path:
    """Copy the example into ``tmp`` with a loop config ``loop.toml``; return the config."""
    shutil.copytree(EXAMPLE / "data", tmp / "data")
    shutil.copy(EXAMPLE / "units.csv", tmp / "units.csv")
    text = (EXAMPLE / "assessment.toml").read_text(encoding="utf-8")
    text = text.replace('"../../rubrics/', f'"{ROOT.as_posix()}/rubrics/')
    for key in REVIEWED.values():
        text = re.sub(rf"^{key} = .*\n", "", text, flags=re.M)
    where = f'url = "{ledger}"' if ledger else 'file = "考核台账.db"'
    text += f"""
[collectors.self_assessment]
folder = "returned/自评"
invalid = "skip"

[collectors.review]
folder = "returned/复核"

[ledger]
{where}
self_deadline = 2024-01-05
review_deadline = 2024-01-10
appeal_deadline = 2024-01-25
appeals = "returned/申诉"
feedback = "returned/反馈"
review_indicators = {list(REVIEWED)!r}
""".replace("'", '"')
    (tmp / "returned" / "自评").mkdir(parents=True)
    (tmp / "returned" / "复核").mkdir(parents=True)
    (tmp / "returned" / "申诉").mkdir(parents=True)
    (tmp / "returned" / "反馈").mkdir(parents=True)
    cfg = tmp / "loop.toml"
    cfg.write_text(text, encoding="utf-8")
    return cfg


def received(path: Path, when: str) -> None:
    """Set the file's arrival time (its modification time)."""
    t = datetime.fromisoformat(when).timestamp()
    os.utime(path, (t, t))


def rows_by_id(ws) -> dict[str, int]:
    """Indicator id → 1-based row on a 自评 / 复核 sheet (first occurrence)."""
    out: dict[str, int] = {}
    for r in range(HEADER_ROW + 1, ws.max_row + 1):
        v = ws.cell(r, 2).value
        if isinstance(v, str) and v and not v.startswith("（"):
            out.setdefault(v, r)
    return out


def fill_self(
    src: Path, dest: Path, scores: dict[str, float] | None = None, *, full: bool = True
) -> Path:
    """Fill a 自评表 as a unit would: 自评分 = 分值 for every item (or ``scores``), a note and evidence."""
    wb = openpyxl.load_workbook(src)
    ws = wb["自评"]
    for r in range(HEADER_ROW + 1, ws.max_row + 1):
        ind = ws.cell(r, 2).value
        if not isinstance(ind, str) or ind.startswith("（") or ws.cell(r, 4).value is None:
            continue
        if ws.cell(r, 1).value in (None, ""):
            continue  # a category heading
        points = float(ws.cell(r, 4).value)
        if scores is not None and ind in scores:
            ws.cell(r, 5).value = scores[ind]
        elif full:
            ws.cell(r, 5).value = points
        ws.cell(r, 7).value = "已按要求完成"
        ws.cell(r, 8).value = f"http://www.tancheng.gov.cn/{ind}.html"
    wb.save(dest)
    return dest


def reviewer_data() -> dict[tuple[str, str], str]:
    """(unit, data key) → the cell of the example's 评审打分表 (what the reviewers found)."""
    out = {}
    with open(EXAMPLE / "data" / "评审打分表.csv", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    text = (EXAMPLE / "assessment.toml").read_text(encoding="utf-8")
    headers = dict(re.findall(r'^(\w+) = "(.+)"$', text, flags=re.M))
    for row in rows:
        for key in REVIEWED.values():
            out[(row["单位"], key)] = (row.get(headers[key]) or "").strip()
    return out


def fill_review(src: Path, dest: Path, rubric) -> Path:
    """Fill a 复核表 with the example's reviewer findings (levels, 是/否, parts)."""
    data = reviewer_data()
    wb = openpyxl.load_workbook(src)
    ws = wb["复核"]
    r = HEADER_ROW + 1
    current = None
    while r <= ws.max_row:
        unit, ind = ws.cell(r, 1).value, ws.cell(r, 2).value
        if unit and not ind:
            r += 1
            continue
        if not ind:
            r += 1
            continue
        if not str(ind).startswith("（"):
            current = rubric.node(ind)
            value = data[(unit, current.data)]
            if value == "不适用":
                ws.cell(r, 7).value = "不适用"
                parts = None
            elif current.method == "levels":
                ws.cell(r, 7).value = value
            elif current.method == "binary":
                ws.cell(r, 7).value = "是" if value in ("1", "1.0") else "否"
            else:
                parts = set(value.split(";"))
            if value not in ("1", "1.0", "好", "不适用"):
                ws.cell(r, 9).value = "复核发现未达到要求"
        elif parts is not None:
            k = int(str(ind).strip("（）")) - 1
            part = current.params.parts[k]
            ws.cell(r, 7).value = "已完成" if part.id in parts else "未完成"
        r += 1
    wb.save(dest)
    return dest
