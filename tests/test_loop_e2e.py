"""The whole assessment loop on the 郯城 2023 example: forms → returns → review → appeals → final → rectification.

Reviewers fill the 复核表 with exactly what the example's 评审打分表 says, so
the preliminary result must equal the example's own result; then appeals
move two items, computed by hand below.
"""

from __future__ import annotations

import json
import shutil

import numpy as np
import openpyxl
import pytest
from loopkit import EXAMPLE, fill_review, fill_self, make_loop, received

from zwgk_score.loop.assessment import Assessment
from zwgk_score.loop.rectification import NO_REPLY, NOT_RECTIFIED, RECTIFIED
from zwgk_score.run import run_assessment


@pytest.fixture(scope="module")
def loop(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("loop")
    cfg = make_loop(tmp)
    a = Assessment(cfg)
    yield tmp, a
    a.close()


def test_whole_year(loop, tmp_path):
    tmp, a = loop
    units = list(a.ctx.roster["unit"])
    issued = tmp / "发放" / "自评"

    # 1. forms: one per unit, byte-identical on a rerun
    forms = a.issue_forms(issued)
    assert len(forms) == len(units) == 24
    again = a.issue_forms(tmp_path / "again")
    assert all(p.read_bytes() == q.read_bytes() for p, q in zip(forms, again, strict=True))
    wb = openpyxl.load_workbook(forms[0])
    assert wb.sheetnames == ["填报说明", "自评", "表单信息"]
    assert wb["表单信息"].sheet_state == "veryHidden"
    assert wb["自评"].protection.sheet  # only the input cells are unlocked
    assert not wb["自评"]["E7"].protection.locked and wb["自评"]["D7"].protection.locked

    # 2. units return them, with mistakes
    ret = tmp / "returned" / "自评"
    ok = units[4:]
    for u in ok:
        received(
            fill_self(issued / f"自评表_{u}.xlsx", ret / f"自评表_{u}.xlsx"), "2024-01-04T10:00:00"
        )
    # 郯城街道: 自评分 13 on I02a, worth 12 (row 14: heading rows 5-6 D1/I01, I01a+4 parts 7-11, I01b 12, I02 13, I02a 14)
    received(
        fill_self(issued / "自评表_郯城街道.xlsx", ret / "自评表_郯城街道.xlsx", {"I02a": 13}),
        "2024-01-04T11:00:00",
    )
    # 马头镇 sends 重坊镇's form under its own name
    received(
        fill_self(issued / "自评表_重坊镇.xlsx", ret / "自评表_马头镇.xlsx"), "2024-01-04T12:00:00"
    )
    # 李庄镇 edits the structure: the points of I01a (D7) changed from 6 to 8
    p = fill_self(issued / "自评表_李庄镇.xlsx", ret / "自评表_李庄镇.xlsx")
    wb = openpyxl.load_workbook(p)
    wb["自评"]["D7"] = 8
    wb.save(p)
    received(p, "2024-01-04T13:00:00")
    # 杨集镇 is late (deadline 2024-01-05); 重坊镇 sends nothing; 县财政局 sends its form twice
    received(
        fill_self(issued / "自评表_杨集镇.xlsx", ret / "自评表_杨集镇.xlsx"), "2024-01-08T09:00:00"
    )
    dup = ret / "自评表_县财政局(2).xlsx"
    shutil.copy(ret / "自评表_县财政局.xlsx", dup)
    received(dup, "2024-01-05T09:00:00")
    table = a.status(tmp / "报送").set_index("单位")
    assert (tmp / "报送" / "报送情况.xlsx").is_file()
    states = table["报送情况"]
    assert states["郯城街道"] == "表单无效"
    assert states["马头镇"] == "表单无效"
    assert states["李庄镇"] == "表单无效"
    assert states["杨集镇"] == "逾期未采用"
    assert states["重坊镇"] == "未报送"
    assert states["县财政局"] == "已报送"  # the first copy is used
    assert (states == "已报送").sum() == len(
        ok
    ) - 1 + 1 - 1  # ok units less 杨集镇 (late), 县财政局 counted once
    assert (
        table.loc["郯城街道", "问题"]
        == "自评表_郯城街道.xlsx，工作表 自评，单元格 E14：自评分 13 超过该项分值 12"
    )
    assert "文件名表明是「马头镇」报送的，但表中填报对象是「重坊镇」" in table.loc["马头镇", "问题"]
    assert table.loc["李庄镇", "问题"].startswith(
        "自评表_李庄镇.xlsx，工作表 自评，单元格 D7：表格结构被改动：此处应为「6」，实为「8」"
    )
    assert "逾期报送：截止日期 2024年1月5日，收到日期 2024年1月8日" in table.loc["杨集镇", "问题"]
    assert (
        "重复报送：「县财政局」已报送 自评表_县财政局.xlsx（内容完全相同）"
        in table.loc["县财政局", "问题"]
    )

    # 3. review: the reviewers record what the example's 评审打分表 holds
    for p in a.issue_review_forms(tmp / "发放" / "复核"):
        received(
            fill_review(p, tmp / "returned" / "复核" / p.name, a.ctx.rubric), "2024-01-09T10:00:00"
        )
    prelim = a.run().results
    reference = run_assessment(EXAMPLE, output=tmp / "reference").results
    assert np.allclose(prelim.summary["total"], reference.summary["total"])
    assert list(prelim.summary["rank"]) == list(reference.summary["rank"])
    items = prelim.items().set_index(["unit", "indicator"])
    assert (
        items.loc[("杨集镇", "I08b"), "self_score"] != items.loc[("杨集镇", "I08b"), "self_score"]
    )  # late: not used
    assert items.loc[("县财政局", "I08b"), "self_score"] == 4.0
    s = prelim.summary.set_index("unit")
    assert (
        s.loc["杨集镇", "obtained"],
        s.loc["杨集镇", "applicable"],
        s.loc["杨集镇", "total"],
    ) == (71.5, 91.0, 78.57)  # 71.5 / 91 × 100 = 78.571… → 78.57
    assert s.loc["县财政局", "total"] == 98.9  # 90 / 91 × 100

    # 4. appeals
    appeal_dir = tmp / "发放" / "申诉"
    a.issue_appeal_forms(appeal_dir)
    back = tmp / "returned" / "申诉"

    def appeal(unit: str, rows: dict[str, str], when: str) -> None:
        wb = openpyxl.load_workbook(appeal_dir / f"申诉表_{unit}.xlsx")
        ws = wb["申诉"]
        for r in range(5, ws.max_row + 1):
            if ws.cell(r, 2).value in rows:
                ws.cell(r, 8).value = rows[ws.cell(r, 2).value]
                ws.cell(r, 9).value = "补充材料.pdf"
        wb.save(back / f"申诉表_{unit}.xlsx")
        received(back / f"申诉表_{unit}.xlsx", when)

    appeal(
        "杨集镇",
        {"I08b": "互动回复质量达到“好”的标准", "I07c": "另有2次列席未登记"},
        "2024-01-20T09:00:00",
    )
    appeal("县财政局", {"I07b": "第12个工作日系节假日调休"}, "2024-01-21T09:00:00")
    appeal(
        "马头镇", {"I02a": "完成率统计有误"}, "2024-01-28T09:00:00"
    )  # after the window (2024-01-25)
    read = a.read_appeals()
    assert [str(p) for f in read for p in f.problems] == []
    full = next(i for i in ("I01b", "I06a", "I07a") if items.loc[("李庄镇", i), "lost"] == 0)
    a.appeal("李庄镇", full, "该项应为满分", received="2024-01-22T09:00:00")
    by_item = {(x["unit"], x["indicator"]): x for x in a.appeals()}
    assert by_item[("马头镇", "I02a")]["status"] == "rejected"
    assert (
        by_item[("马头镇", "I02a")]["reject_reason"]
        == "超过申诉期限（截止 2024年1月25日，收到 2024年1月28日）"
    )
    assert by_item[("李庄镇", full)]["reject_reason"] == "该项未失分，无可申诉"
    assert {k for k, v in by_item.items() if v["status"] == "pending"} == {
        ("杨集镇", "I08b"),
        ("杨集镇", "I07c"),
        ("县财政局", "I07b"),
    }

    # the office decides 杨集镇's two in the 申诉处理表, 县财政局's from Python
    form = a.write_decision_form(tmp / "申诉处理表.xlsx")
    wb = openpyxl.load_workbook(form)
    ws = wb["申诉处理"]
    for r in range(5, ws.max_row + 1):
        if ws.cell(r, 2).value == "杨集镇" and ws.cell(r, 3).value == "I08b":
            ws.cell(r, 9).value, ws.cell(r, 10).value = "调整", 4
            ws.cell(r, 11).value = "补充佐证显示回复质量好"
        elif ws.cell(r, 2).value == "杨集镇" and ws.cell(r, 3).value == "I07c":
            ws.cell(r, 9).value = "维持"
            ws.cell(r, 11).value = "未登记的列席不予认定"
        else:
            continue
        ws.cell(r, 12).value, ws.cell(r, 13).value = "王科长", "2024-02-01"
    wb.save(form)
    assert a.read_decisions(form) == 2
    a.decide(
        by_item[("县财政局", "I07b")]["id"],
        "调整",
        score_after=4,
        reason="调休日不计入工作日",
        by="李主任",
        at="2024-02-02T15:30:00",
    )

    # 5. final result: hand computed
    outcome = a.run()
    final = outcome.results.summary.set_index("unit")
    # 杨集镇: obtained 71.5 + (4 - 2) = 73.5; 73.5 / 91 × 100 = 80.769… → 80.77, 良好 (was 78.57, 合格)
    assert final.loc["杨集镇", "total"] == 80.77 and final.loc["杨集镇", "grade"] == "良好"
    # 县财政局: 90 + (4 - 3) = 91; 91 / 91 × 100 = 100.00
    assert final.loc["县财政局", "total"] == 100.0
    others = [u for u in units if u not in ("杨集镇", "县财政局")]
    assert np.allclose(final.loc[others, "total"], s.loc[others, "total"])
    fitems = outcome.results.items().set_index(["unit", "indicator"])
    assert fitems.loc[("杨集镇", "I08b"), "reason"].startswith(
        "申诉调整（2→4分）：补充佐证显示回复质量好"
    )
    assert fitems.loc[("杨集镇", "I07c"), "score"] == 4.5  # 维持
    data = json.loads((tmp / "out" / "results.json").read_text(encoding="utf-8"))
    unit = next(u for u in data["units"] if u["unit"] == "县财政局")
    adj = next(i for i in unit["indicators"] if i["id"] == "I07b")["adjustment"]
    assert (adj["before"], adj["after"], adj["by"], adj["at"]) == (
        3.0,
        4.0,
        "李主任",
        "2024-02-02T15:30:00",
    )

    # the audit log: complete and in time order
    log = [
        (x["at"], x["actor"], x["action"], x["unit"], x["indicator"], x["before"], x["after"])
        for x in a.audit_log()
    ]
    assert log == [
        ("2024-01-20T09:00:00", "杨集镇", "提出申诉", "杨集镇", "I07c", 4.5, None),
        ("2024-01-20T09:00:00", "杨集镇", "提出申诉", "杨集镇", "I08b", 2.0, None),
        ("2024-01-21T09:00:00", "县财政局", "提出申诉", "县财政局", "I07b", 3.0, None),
        (
            "2024-01-22T09:00:00",
            "李庄镇",
            "申诉不予受理",
            "李庄镇",
            full,
            items.loc[("李庄镇", full), "score"],
            None,
        ),
        (
            "2024-01-28T09:00:00",
            "马头镇",
            "申诉不予受理",
            "马头镇",
            "I02a",
            items.loc[("马头镇", "I02a"), "score"],
            None,
        ),
        ("2024-02-01T00:00:00", "王科长", "申诉处理：维持", "杨集镇", "I07c", 4.5, 4.5),
        ("2024-02-01T00:00:00", "王科长", "申诉处理：调整", "杨集镇", "I08b", 2.0, 4.0),
        ("2024-02-02T15:30:00", "李主任", "申诉处理：调整", "县财政局", "I07b", 3.0, 4.0),
    ]
    sheet = openpyxl.load_workbook(tmp / "out" / "申诉处理记录.xlsx")["申诉处理记录"]
    assert [sheet.cell(r, 4).value for r in range(5, 13)] == [x[2] for x in log]
    assert sheet.cell(12, 2).value == "2024年2月2日 15:30"
    assert sheet.cell(12, 10).value == "调休日不计入工作日"

    # 6. rectification: 杨集镇 replies (one item still 整改中), 马头镇 replies to all, the rest do not
    fb = tmp / "returned" / "反馈"
    for unit, text in (("杨集镇", "已整改，栏目已更新"), ("马头镇", "已完成整改")):
        wb = openpyxl.load_workbook(tmp / "out" / "反馈单" / f"反馈单_{unit}.xlsx")
        ws = wb["反馈单"]
        header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "序号")
        col = next(c for c in range(1, 10) if ws.cell(header, c).value == "整改情况")
        for r in range(header + 1, ws.max_row + 1):
            if isinstance(ws.cell(r, 1).value, int):
                ws.cell(r, col).value = text
        if unit == "杨集镇":
            ws.cell(header + 1, col).value = "整改中，预计3月完成"
        wb.save(fb / f"反馈单_{unit}.xlsx")
    a.read_rectifications()
    st = a.rectification(tmp / "整改")
    assert (tmp / "整改" / "整改台账.xlsx").is_file()
    assert set(st.reported) == {"杨集镇", "马头镇"}
    assert "县财政局" not in st.not_reported  # nothing lost after the appeal: nothing to rectify
    fi = outcome.results.items()
    lost_units = set(fi[(fi["lost"] > 0) & fi["applicable"]]["unit"])  # incl. 重大扣分
    assert set(st.not_reported) == lost_units - {"杨集镇", "马头镇"}
    mine = st.items[st.items["单位"] == "杨集镇"]["状态"].tolist()
    assert mine[0] == NOT_RECTIFIED and set(mine[1:]) == {RECTIFIED}
    assert "马头镇" in st.rectified and "杨集镇" in st.not_rectified
    assert set(st.items[st.items["单位"] == "郯城街道"]["状态"]) == {NO_REPLY}
