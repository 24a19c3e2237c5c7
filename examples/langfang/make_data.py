"""Write the synthetic data of the 廊坊市 example (本示例数据为合成数据，仅用于演示).

Run from anywhere: ``python examples/langfang/make_data.py``.  Working days come
from zwgk-score's own calendar (``zwgk_score.workdays.WorkCalendar.china()``,
built on chinesecalendar); otherwise only pandas and the standard library are
used.  A fixed seed makes the files reproducible.  The
saved website crawl (crawl/2023-12-20.json) is written by make_crawl.py.

Four units are written out by hand (``HAND``) so that tests can check their
scores: 固安县 (bonus), 文安县 (major deduction, late replies across the
Spring Festival / Labour Day), 大城县 (website veto) and 市农业农村局
(section-一 items not applicable → 折算).  The other units get a seeded
spread of good (好), average (中) and poor (差) data.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pandas as pd

from zwgk_score.workdays import WorkCalendar

HERE = Path(__file__).parent
DATA = HERE / "data"
SEED = 20231231
YEAR = 2023

#: The mainland working-day calendar (法定节假日 and 调休上班日) of chinesecalendar.
CAL = WorkCalendar.china()

UNITS = pd.read_csv(HERE / "units.csv")
TIER = {
    "三河市": "好",
    "霸州市": "好",
    "香河县": "中",
    "大厂回族自治县": "中",
    "固安县": "好",
    "永清县": "差",
    "文安县": "中",
    "大城县": "中",
    "安次区": "中",
    "广阳区": "好",
    "廊坊开发区": "好",
    "临空经济区(廊坊)": "中",
    "市发改委": "好",
    "市财政局": "中",
    "市教育局": "中",
    "市人社局": "差",
    "市住建局": "中",
    "市行政审批局": "好",
    "市卫生健康委": "中",
    "市市场监督管理局": "差",
    "市农业农村局": "中",
}
HAND = ("固安县", "文安县", "大城县", "市农业农村局")

# Reviewer-judged items (评审打分表): data key → (header, kind, parts or levels)
CHECKLISTS = {
    "market_info": ("涉市场主体信息", ["policy", "rules", "credit"]),
    "project_info": ("项目投资信息", ["approval", "process", "feedback"]),
    "trade_info": ("消费和外经贸信息", ["policy", "result", "foreign"]),
    "finance_info": ("财政资金信息", ["debt", "tax", "assets", "subsidy"]),
    "livelihood_info": ("重点民生信息", ["projects", "jobs", "school", "health", "housing"]),
    "rural_info": ("乡村振兴信息", ["policy", "reform"]),
    "service_info": ("办事服务信息", ["lists", "guide", "utility"]),
    "interp_forms": ("解读形式", ["graphic", "video", "interview"]),
    "policy_platform": ("政策服务专区", ["zone", "outreach"]),
    "decision_catalog": ("重大决策目录", ["catalog", "process", "channel"]),
    "consult_publish": ("留言选登及问答库", ["select", "faq"]),
    "grassroots_review": ("基层公开回头看", ["review", "fix", "share"]),
    "normative_docs": ("规范性文件管理", ["full", "cleanup", "library"]),
    "newmedia": ("政务新媒体", ["safe", "matrix", "emergency"]),
    "public_zone": ("政务公开专区", ["zone", "extend"]),
}
LEVEL = ("industry_info", "重点产业信息")
BINARIES = {
    "sme_arrears": "逾期未支付中小企业款项公开",  # every unit's own duty
    "budget_open": "本单位预决算公开",  # every budget unit's own duty
    "interp_plan": "解读年度方案",
    "opinion_24h": "舆情24小时监测",
    "a11y_retrofit": "适老化无障碍改造",
    "progress_report": "定期报告进展",
    "task_ledger": "形成任务台账",
    "survey": "专题调研",
}
COUNTY_ONLY = ("grassroots_review", "public_zone")
# Section 一 (field-specific): the departments of each field; others are 不适用
FIELD = {
    "market_info": {"市发改委", "市市场监督管理局", "市行政审批局"},
    "project_info": {"市发改委", "市行政审批局", "市住建局"},
    "trade_info": {"市发改委"},
    "finance_info": {"市财政局"},
    "livelihood_info": {"市人社局", "市教育局", "市卫生健康委", "市住建局"},
    "rural_info": {"市农业农村局"},
    "service_info": {"市行政审批局", "市教育局", "市卫生健康委", "市住建局"},
    "industry_info": {"市发改委", "市卫生健康委"},
}
P_PART = {"好": 0.95, "中": 0.8, "差": 0.55}
P_YES = {"好": 0.97, "中": 0.85, "差": 0.6}

# Hand-set reviewer cells (everything not listed is complete / 好 / 1)
HAND_SHEET = {
    "固安县": {},
    "文安县": {
        "sme_arrears": 0,
        "industry_info": "一般",
        "consult_publish": "select",
    },
    "市农业农村局": {"rural_info": "policy"},
}


def group_of(unit: str) -> str:
    return str(UNITS.set_index("unit").loc[unit, "group"])


def applies(unit: str, key: str) -> bool:
    """Whether a reviewer item applies to ``unit`` (group scope and field scope)."""
    group = group_of(unit)
    if key in COUNTY_ONLY and group == "dept":
        return False
    return not (group == "dept" and key in FIELD and unit not in FIELD[key])


def add_workdays(d: date, n: int) -> date:
    """The n-th working day after ``d`` (the day of receipt does not count)."""
    return CAL.add_workdays(d, n).item()


def random_workday(rng: random.Random, start: date, end: date) -> date:
    while True:
        d = start + timedelta(days=rng.randrange((end - start).days + 1))
        if CAL.is_workday(d):
            return d


def stamp(d: date, rng: random.Random, lo: int = 8, hi: int = 17) -> str:
    t = time(rng.randrange(lo, hi + 1), rng.randrange(60))
    return datetime.combine(d, t).strftime("%Y-%m-%d %H:%M")


# ----------------------------------------------------------------- 评审打分表


def reviewer_sheet(rng: random.Random) -> pd.DataFrame:
    rows = []
    for unit in UNITS["unit"]:
        tier = TIER[unit]
        hand = HAND_SHEET.get(unit)
        row = {"单位": unit}
        for key, (header, parts) in CHECKLISTS.items():
            if not applies(unit, key):
                row[header] = ""  # 不适用 rows are declared in 加分扣分及不适用事项.csv
                continue
            if hand is not None:
                row[header] = hand.get(key, ";".join(parts))
                continue
            done = [p for p in parts if rng.random() < P_PART[tier]] or parts[:1]
            row[header] = ";".join(done)
        key, header = LEVEL
        if not applies(unit, key):
            row[header] = ""
        elif hand is not None:
            row[header] = hand.get(key, "好")
        else:
            row[header] = rng.choices(
                ["好", "一般", "差"], {"好": (6, 3, 1), "中": (3, 6, 1), "差": (1, 5, 4)}[tier]
            )[0]
        for bkey, header in BINARIES.items():
            yes = bool(hand.get(bkey, 1)) if hand is not None else rng.random() < P_YES[tier]
            row[header] = 1 if yes else 0
        remarks = []
        if row.get("适老化无障碍改造") == 0:
            remarks.append("截至12月31日未完成适老化改造")
        row["备注"] = "；".join(remarks)
        rows.append(row)
    return pd.DataFrame(rows)


# ----------------------------------------------------------------- 政民互动留言

# (id suffix, received, replied, simple) — hand-written messages of the tested units
HAND_MESSAGES = {
    "固安县": [
        ("2023-01-19 09:12", "2023-01-29 10:05", "否"),  # 01-20, 01-28, 01-29 (调休) → 3
        ("2023-03-14 14:20", "2023-03-17 11:00", "否"),  # 3
        ("2023-09-27 15:30", "2023-10-09 09:40", "否"),  # 09-28, 10-07, 10-08, 10-09 → 4
        ("2023-07-03 10:02", "2023-07-07 16:10", "否"),  # 4
        ("2023-01-20 16:45", "2023-01-28 09:30", "是"),  # 01-28 make-up Saturday → 1
        ("2023-09-28 11:05", "2023-10-07 10:20", "是"),  # 10-07 make-up Saturday → 1
    ],
    "文安县": [
        ("2023-01-19 10:30", "2023-02-01 15:00", "否"),  # 01-20, 28, 29, 30, 31, 02-01 → 6, late
        ("2023-09-27 08:50", "2023-10-09 14:30", "否"),  # 4 (a Mon–Fri count would give 8)
        ("2023-05-10 09:00", "2023-05-15 17:00", "否"),  # 3
        ("2023-08-01 15:10", "2023-08-08 16:00", "否"),  # 5 = limit, on time
        ("2023-11-13 10:40", "2023-11-16 11:30", "否"),  # 3
        ("2023-04-28 16:20", "2023-05-06 09:10", "是"),  # 05-04, 05, 06 (调休) → 3, late
        ("2023-06-21 15:00", "2023-06-25 10:00", "是"),  # 06-25 make-up Sunday → 1
    ],
    "市农业农村局": [
        ("2023-02-15 09:30", "2023-02-20 10:00", "否"),  # 3
        ("2023-06-08 14:00", "2023-06-13 09:00", "否"),  # 3
        ("2023-10-10 11:00", "2023-10-11 15:00", "是"),  # 1
    ],
}
DELAYS = {  # working days to reply: (regular choices, simple choices); None = not answered
    "好": ([1, 2, 2, 3, 3, 4, 4, 5], [0, 1, 1, 1]),
    "中": ([2, 3, 3, 4, 5, 5, 6, 7], [1, 1, 1, 2]),
    "差": ([3, 4, 5, 6, 7, 9, None], [1, 2, 3, 1]),
}


def messages(rng: random.Random) -> pd.DataFrame:
    rows = []
    for unit in UNITS["unit"]:
        tier = TIER[unit]
        if unit in HAND_MESSAGES:
            items = HAND_MESSAGES[unit]
        else:
            items = []
            n = rng.randrange(5, 12)
            # one message each just before the Spring Festival and National Day holidays
            starts = [date(2023, 1, rng.choice((19, 20))), date(2023, 9, rng.choice((27, 28)))]
            starts += [
                random_workday(rng, date(2023, 1, 3), date(2023, 12, 15)) for _ in range(n - 2)
            ]
            for got in sorted(starts):
                simple = rng.random() < 0.25
                delay = rng.choice(DELAYS[tier][1 if simple else 0])
                received = stamp(got, rng)
                replied = "" if delay is None else stamp(add_workdays(got, delay), rng, 9, 17)
                if replied and replied < received:
                    replied = received[:11] + "17:30"
                items.append((received, replied, "是" if simple else "否"))
        for received, replied, simple in items:
            rows.append(
                {
                    "承办单位": unit,
                    "留言时间": received,
                    "答复时间": replied,
                    "是否简单咨询": simple,
                }
            )
    frame = (
        pd.DataFrame(rows)
        .sort_values(["留言时间", "承办单位"], kind="stable")
        .reset_index(drop=True)
    )
    frame.insert(0, "留言编号", [f"LFZM2023{i + 1:04d}" for i in range(len(frame))])
    return frame


# ----------------------------------------------------------------- 依申请公开登记

HAND_REQUESTS = {
    # received, replied, extended, corrected
    "固安县": [
        ("2023-09-15", "2023-10-16", "否", "否"),  # 17 working days across National Day
        ("2023-04-03", "2023-04-21", "否", "否"),
    ],
    "文安县": [
        ("2023-03-01", "2023-04-20", "是", "否"),  # extended: 35 ≤ 40
        ("2023-07-05", "2023-07-26", "否", "否"),
    ],
    "市农业农村局": [("2023-05-22", "2023-06-12", "否", "否")],
    "大城县": [("2023-06-01", "2023-06-30", "否", "否")],
}


def requests(rng: random.Random) -> pd.DataFrame:
    rows = []
    for unit in UNITS["unit"]:
        tier = TIER[unit]
        items = HAND_REQUESTS.get(unit)
        if items is None:
            items = []
            for _ in range(rng.randrange(0, 4)):
                got = random_workday(rng, date(2023, 1, 3), date(2023, 11, 20))
                extended = rng.random() < 0.15
                late = rng.random() < {"好": 0.0, "中": 0.1, "差": 0.35}[tier]
                limit = 40 if extended else 20
                days = rng.randrange(limit + 1, limit + 8) if late else rng.randrange(5, limit + 1)
                corrected = rng.random() < {"好": 0.0, "中": 0.05, "差": 0.3}[tier]
                items.append(
                    (
                        got.isoformat(),
                        add_workdays(got, days).isoformat(),
                        "是" if extended else "否",
                        "是" if corrected else "否",
                    )
                )
        for got, replied, extended, corrected in items:
            rows.append(
                {
                    "受理单位": unit,
                    "收到申请日期": got,
                    "答复日期": replied,
                    "是否延期": extended,
                    "复议诉讼被纠错": corrected,
                }
            )
    frame = pd.DataFrame(rows).sort_values("收到申请日期", kind="stable").reset_index(drop=True)
    frame.insert(0, "申请编号", [f"LFYSQ-2023-{i + 1:03d}" for i in range(len(frame))])
    return frame


# ----------------------------------------------------------------- 政策文件及解读

HAND_POLICIES = {
    # published, interpreted, required
    "固安县": [
        ("2023-03-09", "2023-03-09", "是"),
        ("2023-09-28", "2023-09-28", "是"),
    ],  # interpreted the same day (同步发布)
    "文安县": [
        ("2023-05-16", "2023-05-18", "是"),
        ("2023-08-10", "", "是"),
    ],  # second never interpreted
    "市农业农村局": [("2023-04-12", "2023-04-12", "是"), ("2023-11-02", "", "否")],  # 不需解读
    "大城县": [("2023-06-06", "2023-06-08", "是")],
}
DOC_PREFIX = {"county": "政办发", "zone": "管发", "dept": "规"}


def policies(rng: random.Random) -> pd.DataFrame:
    rows = []
    for unit in UNITS["unit"]:
        tier = TIER[unit]
        items = HAND_POLICIES.get(unit)
        if items is None:
            items = []
            for _ in range(rng.randrange(1, 4)):
                got = random_workday(rng, date(2023, 1, 3), date(2023, 11, 30))
                miss = rng.random() < {"好": 0.0, "中": 0.15, "差": 0.4}[tier]
                lag = rng.choice([0, 1, 2, 3])
                items.append(
                    (got.isoformat(), "" if miss else add_workdays(got, lag).isoformat(), "是")
                )
        for k, (got, interp, required) in enumerate(sorted(items), start=1):
            short = unit.removeprefix("市")[:2]
            rows.append(
                {
                    "发文单位": unit,
                    "文号": f"{short}{DOC_PREFIX[group_of(unit)]}〔2023〕{k}号",
                    "文件标题": f"{unit}关于印发2023年第{k}号政策措施的通知",
                    "印发日期": got,
                    "是否需要解读": required,
                    "解读发布日期": interp,
                }
            )
    return pd.DataFrame(rows)


# ----------------------------------------------------------------- 工作任务台账

TASKS = [
    ("RW01", "对照要点梳理形成年度工作任务台账", "7月底"),
    ("RW02", "政府网站和政府信息公开平台适老化无障碍改造", "年底前"),
    ("RW03", "行政规范性文件集中公开和清理", "9月底"),
    ("RW04", "开展政务公开专题调研并形成调研报告", "11月中旬"),
    ("RW05", "政策解读“三同步”", "持续推进"),
]


#: ledger tasks that restate a reviewer's finding: task → sheet column (0 = not done)
SHEET_TASKS = {"RW01": "形成任务台账", "RW02": "适老化无障碍改造", "RW04": "专题调研"}


def ledger(rng: random.Random, sheet: pd.DataFrame) -> pd.DataFrame:
    done_in_sheet = sheet.set_index("单位")
    rows = []
    for unit in UNITS["unit"]:
        tier = TIER[unit]
        for task, name, due in TASKS:
            completed = ""
            if task in SHEET_TASKS and int(done_in_sheet.loc[unit, SHEET_TASKS[task]]) == 0:
                completed = ""  # the reviewer found it not done: open in the ledger too
                rng.random()  # keep the seeded sequence of the other rows
            elif due != "持续推进":
                end = {
                    "7月底": date(2023, 7, 31),
                    "年底前": date(2023, 12, 31),
                    "9月底": date(2023, 9, 30),
                    "11月中旬": date(2023, 11, 20),
                }[due]
                late = unit not in HAND and rng.random() < {"好": 0.0, "中": 0.1, "差": 0.35}[tier]
                if late and rng.random() < 0.3 and due != "年底前":
                    completed = ""  # not completed at all
                else:
                    shift = rng.randrange(3, 25) if late else -rng.randrange(1, 30)
                    completed = (end + timedelta(days=shift)).isoformat()
                    if completed > "2023-12-31":
                        completed = ""
            rows.append(
                {
                    "任务编号": task,
                    "工作任务": name,
                    "责任单位": unit,
                    "完成时限": due,
                    "实际完成时间": completed,
                }
            )
    # a joint task: counted for each responsible unit
    rows.append(
        {
            "任务编号": "RW06",
            "工作任务": "建设惠企政策服务专区",
            "责任单位": "市行政审批局、市发改委",
            "完成时限": "8月底",
            "实际完成时间": "2023-08-25",
        }
    )
    return pd.DataFrame(rows)


# ----------------------------------------------------------------- 政务公开工作记录

NO_LEADER_REPORT = {"市人社局", "永清县"}
NO_TRAINING = {"市农业农村局", "市市场监督管理局"}


def work_log(rng: random.Random) -> pd.DataFrame:
    """Leader reports (听取汇报) and internal trainings (内部培训) in one register."""
    rows = [
        {
            "单位": "霸州市",
            "日期": "2022-12-26",
            "类型": "听取汇报",
            "事项": "市政府常务会议（2022年第30次）听取2022年政务公开工作汇报",
        }
    ]
    for unit in UNITS["unit"]:
        if unit not in NO_LEADER_REPORT:
            kind = {"county": "政府常务会议", "zone": "党工委会议", "dept": "局长办公会议"}[
                group_of(unit)
            ]
            n = 1 if unit in HAND or TIER[unit] != "好" else rng.choice((1, 2))
            for k in range(n):
                d = random_workday(rng, date(2023, 3 + 5 * k, 1), date(2023, 7 + 5 * k, 20))
                rows.append(
                    {
                        "单位": unit,
                        "日期": d.isoformat(),
                        "类型": "听取汇报",
                        "事项": f"{kind}听取政务公开工作汇报",
                    }
                )
        if unit not in NO_TRAINING:
            for k in range(2 if unit == "固安县" else 1):
                d = random_workday(rng, date(2023, 4 + 5 * k, 1), date(2023, 8 + 4 * k, 30))
                rows.append(
                    {
                        "单位": unit,
                        "日期": d.isoformat(),
                        "类型": "内部培训",
                        "事项": f"政务公开业务培训（第{k + 1}期）",
                    }
                )
    return pd.DataFrame(rows).sort_values(["日期"], kind="stable").reset_index(drop=True)


# ----------------------------------------------------------------- 加分、扣分及不适用事项


def special() -> pd.DataFrame:
    rows = [
        (
            "固安县",
            "commend",
            1,
            "",
            "河北省政务公开办《政务公开工作简报》2023年第6期推广固安县政务公开专区经验",
        ),
        ("固安县", "commend", 1, "", "廊坊市政府办公室通报表扬（廊政办字〔2023〕88号）"),
        ("三河市", "commend", 1, "", "廊坊市政府办公室通报表扬（廊政办字〔2023〕88号）"),
        ("市行政审批局", "commend", 1, "", "“一站式”政策服务平台做法被省政务服务管理办公室推广"),
        (
            "文安县",
            "accountability",
            1,
            "",
            "因政民互动留言长期未回复，2023年8月被市政务公开办提醒约谈",
        ),
        ("永清县", "opinion_late", 1, "", "7月“农村道路积水”舆情未在24小时内回应"),
        ("市市场监督管理局", "opinion_late", 1, "", "5月“预付卡退费”舆情处置回应迟缓"),
        ("市市场监督管理局", "opinion_late", 1, "", "10月“食品抽检”舆情未及时报送"),
        ("固安县", "review_errors", 1, "", "公示名单中未隐去身份证号码（已整改）"),
        ("香河县", "review_errors", 1, "", "征收公告附件含个人联系方式"),
        ("市人社局", "review_errors", 1, "", "就业补贴公示未处理个人敏感信息"),
        ("市人社局", "review_errors", 1, "", "内部事务性文件公开属性认定为“主动公开”"),
    ]
    out = [{"单位": u, "指标": k, "数值": v, "状态": s, "佐证": e} for u, k, v, s, e in rows]
    depts = UNITS.loc[UNITS["group"] == "dept", "unit"]
    for key in [*CHECKLISTS, LEVEL[0]]:
        if key not in FIELD:
            continue
        for unit in depts:
            if unit not in FIELD[key]:
                out.append(
                    {
                        "单位": unit,
                        "指标": key,
                        "数值": "",
                        "状态": "不适用",
                        "佐证": "非本领域牵头部门，该领域信息公开不适用",
                    }
                )
    return pd.DataFrame(out)


def write(frame: pd.DataFrame, name: str) -> None:
    frame.to_csv(DATA / name, index=False, encoding="utf-8-sig")


def main() -> None:
    rng = random.Random(SEED)
    DATA.mkdir(exist_ok=True)
    sheet = reviewer_sheet(rng)
    # one county had not published its own 2023 budget in time (D1.4b is lost by a unit)
    sheet.loc[sheet["单位"] == "永清县", "本单位预决算公开"] = 0
    yq = sheet["单位"] == "永清县"
    sheet.loc[yq, "备注"] = "；".join(
        x
        for x in (
            *sheet.loc[yq, "备注"].iat[0].split("；"),
            "本单位2023年部门预算未在批复后20日内公开",
        )
        if x
    )
    # the retrofit is dated in the ledger (RW02 → D5.1.5), the reviewer does not tick it
    write(sheet.drop(columns=["适老化无障碍改造"]), "评审打分表.csv")
    write(messages(rng), "政民互动留言.csv")
    write(requests(rng), "依申请公开登记台账.csv")
    write(policies(rng), "政策文件及解读.csv")
    write(ledger(rng, sheet), "工作任务台账.csv")
    write(work_log(rng), "政务公开工作记录.csv")
    write(special(), "加分扣分及不适用事项.csv")


if __name__ == "__main__":
    main()
