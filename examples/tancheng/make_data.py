"""Write the SYNTHETIC data of the 郯城县 2023 example (本示例数据为合成数据，仅用于演示).

Run from anywhere: ``python examples/tancheng/make_data.py``.  Output is
deterministic (seeded); the files in ``data/`` are committed and are what the
example and ``tests/test_example_tancheng.py`` read.

Six units have hand-set profiles whose totals the tests compute by hand
(郯城街道 bonus, 庙山镇 veto, 归昌乡 不适用/折算, 县财政局 and 县市场监督管理局
late items across National Day 2023, 县民政局 major deduction); the others
get a seeded random profile of their tier (good / average / poor).

Working days come from zwgk-score's own calendar
(``zwgk_score.workdays.WorkCalendar.china()``, built on chinesecalendar);
otherwise only pandas and the standard library are used.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from zwgk_score.workdays import WorkCalendar

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
SEED = 2023

#: The mainland working-day calendar (法定节假日 and 调休上班日) of chinesecalendar.
CAL = WorkCalendar.china()

ALL_DEV = "projects;trade;business;soe"
ALL_LIB = "complete;pushed;themes;packages"
ALL_FORMS = "visual;interactive"
ALL_EVAL = "mechanism;evaluated"
ALL_OPEN = "held;analysed;published"
ALL_GUIDE = "contacts;process"
ALL_MEDIA = "lifecycle;content;matrix"
ALL_TRAIN = "leaders;staff;rotation"
ALL_PUBINST = "liaison;columns;offline"
NA = "不适用"

PREFIX = {  # 发文字号 prefixes
    "郯城街道": "郯街发",
    "马头镇": "马政发",
    "重坊镇": "重政发",
    "李庄镇": "李政发",
    "杨集镇": "杨政发",
    "港上镇": "港政发",
    "高峰头镇": "高政发",
    "庙山镇": "庙政发",
    "红花镇": "红政发",
    "胜利镇": "胜政发",
    "花园镇": "花政发",
    "归昌乡": "归政发",
    "泉源镇": "泉政发",
    "县发展和改革局": "郯发改发",
    "县教育和体育局": "郯教体发",
    "县民政局": "郯民发",
    "县财政局": "郯财发",
    "县人力资源和社会保障局": "郯人社发",
    "县住房和城乡建设局": "郯建发",
    "县卫生健康局": "郯卫健发",
    "县市场监督管理局": "郯市监发",
    "县行政审批服务局": "郯审批发",
    "郯城经济开发区": "郯开管发",
    "新村银杏产业开发区": "银杏管发",
}
TIERS = {  # the units without a hand-set profile
    "马头镇": "good",
    "重坊镇": "avg",
    "李庄镇": "good",
    "杨集镇": "avg",
    "港上镇": "poor",
    "高峰头镇": "avg",
    "红花镇": "good",
    "胜利镇": "avg",
    "花园镇": "avg",
    "泉源镇": "avg",
    "县发展和改革局": "avg",
    "县人力资源和社会保障局": "good",
    "县住房和城乡建设局": "poor",
    "县卫生健康局": "avg",
    "县行政审批服务局": "avg",
    "郯城经济开发区": "good",
    "新村银杏产业开发区": "poor",
}
DEPTS_WITHOUT_INSTITUTIONS = {"县发展和改革局", "县财政局", "县行政审批服务局"}


def add_workdays(d: date, n: int) -> date:
    """The n-th working day after d (n = 0: d itself)."""
    return CAL.add_workdays(d, n).item()


def workday_in(rng: random.Random, start: date, end: date) -> date:
    """A random working day between start and end."""
    while True:
        d = start + timedelta(days=rng.randrange((end - start).days + 1))
        if CAL.is_workday(d):
            return d


def perfect() -> dict:
    """A unit that does everything the plan asks."""
    return {
        "dev": ALL_DEV,
        "sme": 1,
        "livelihood": 1.0,
        "pubinst": ALL_PUBINST,
        "library": ALL_LIB,
        "quality": "好",
        "forms": ALL_FORMS,
        "eval_pub": 1,
        "eval": ALL_EVAL,
        "opinions": 1,
        "open_day": ALL_OPEN,
        "interaction": "好",
        "guide": ALL_GUIDE,
        "media": ALL_MEDIA,
        "training": ALL_TRAIN,
        "stale": 0,
        "blank": 0,
        "broken": 0,
        "meetings": 5,
        "decisions": [("2023-04-12", "2023-04-19", True), ("2023-08-16", "2023-08-25", True)],
        "requests": [("2023-05-08", "2023-05-22", False, False)],
        "policies": [("2023-03-15", "2023-03-15"), ("2023-07-20", "2023-07-20")],
        "messages": (6, 6),
        "remark": "",
    }


def hand_set() -> dict[str, dict]:
    """Profiles whose totals tests/test_example_tancheng.py computes by hand."""
    p = {}
    # bonus: everything done but 3 of 4 meetings; 3 commendations (bonus capped at 2)
    p["郯城街道"] = {**perfect(), "meetings": 3, "remark": "政务公开专区建设规范"}
    # veto: the site's columns stale and blank (national check), otherwise average
    p["庙山镇"] = {
        **perfect(),
        "livelihood": 0.8,
        "library": "complete;pushed",
        "quality": "一般",
        "interaction": "一般",
        "open_day": "held",
        "stale": 6,
        "blank": 5,
        "broken": 4,
        "meetings": 2,
        "remark": "网站“通知公告”等6个栏目超过一年未更新，5个栏目空白",
    }
    # 不适用 / 折算: no policy documents, no major decisions, no messages in 2023
    p["归昌乡"] = {
        **perfect(),
        "quality": NA,
        "forms": NA,
        "eval_pub": NA,
        "eval": NA,
        "meetings": 3,
        "open_day": "held;analysed",
        "decisions": [],
        "policies": [],
        "messages": (0, 0),
        "remark": "年内未制定政策文件；无重大决策事项",
    }
    # National Day: 09-22 → 10-12 is 10 working days (on time only because the
    # make-up days 10-07/10-08 count and the holiday does not); 09-28 → 10-20
    # is 12 (late; ignoring the make-up days would give 10)
    p["县财政局"] = {
        **perfect(),
        "pubinst": NA,
        "decisions": [("2023-09-22", "2023-10-12", True), ("2023-09-28", "2023-10-20", True)],
    }
    # one request late across National Day (09-04 → 10-09: 21 working days)
    p["县市场监督管理局"] = {
        **perfect(),
        "antitrust": "campaign",
        "requests": [
            ("2023-05-08", "2023-05-22", False, False),
            ("2023-09-04", "2023-10-09", False, False),
        ],
    }
    p["县民政局"] = {**perfect(), "meetings": 10}  # major deduction only (table file)
    p["县教育和体育局"] = {**perfect(), "meetings": 12}  # one commendation
    return p


def random_profile(rng: random.Random, tier: str) -> dict:
    """A seeded profile of a tier: good / avg / poor."""
    pick = rng.choice
    g, a = tier == "good", tier == "avg"
    decisions = []
    for _ in range(rng.randint(1, 3)):
        issued = workday_in(rng, date(2023, 2, 1), date(2023, 11, 20))
        published = add_workdays(issued, rng.randint(2, 9))
        decisions.append((issued.isoformat(), published.isoformat(), True))
    if not g:  # one late across National Day
        issued = workday_in(rng, date(2023, 9, 18), date(2023, 9, 28))
        decisions.append(
            (issued.isoformat(), add_workdays(issued, rng.randint(11, 14)).isoformat(), a)
        )
    if tier == "poor":  # one never published
        decisions.append(
            (workday_in(rng, date(2023, 6, 1), date(2023, 8, 31)).isoformat(), None, False)
        )
    requests = []
    for _ in range(rng.randint(1, 3)):
        received = workday_in(rng, date(2023, 1, 3), date(2023, 11, 30))
        requests.append(
            (
                received.isoformat(),
                add_workdays(received, rng.randint(5, 18)).isoformat(),
                False,
                False,
            )
        )
    if not g:
        received = workday_in(rng, date(2023, 9, 1), date(2023, 9, 15))
        requests.append(
            (
                received.isoformat(),
                add_workdays(received, rng.randint(21, 25)).isoformat(),
                False,
                False,
            )
        )
    if tier == "poor":
        received = workday_in(rng, date(2023, 3, 1), date(2023, 4, 28))
        requests.append((received.isoformat(), add_workdays(received, 30).isoformat(), True, True))
    policies = []
    for _ in range(rng.randint(2, 4)):
        published = workday_in(rng, date(2023, 1, 3), date(2023, 12, 15))
        policies.append(
            (published.isoformat(), add_workdays(published, rng.randint(0, 3)).isoformat())
        )
    for _ in range(0 if g else (1 if a else 2)):
        policies.append((workday_in(rng, date(2023, 2, 1), date(2023, 11, 30)).isoformat(), None))
    n = rng.randint(4, 12)
    replied = n if g else (n - (n >= 10) if a else n - 2)  # avg: 90–92 % or 100 %; poor: < 90 %
    return {
        "dev": ALL_DEV if g else pick(["projects;trade;business", "projects;business"]),
        "sme": 1 if tier != "poor" else pick([0, 1]),
        "livelihood": round(
            rng.uniform(0.95, 1.0)
            if g
            else rng.uniform(0.86, 0.97)
            if a
            else rng.uniform(0.62, 0.8),
            2,
        ),
        "pubinst": ALL_PUBINST
        if g
        else pick(["liaison;columns", "liaison;offline"])
        if a
        else "liaison",
        "library": ALL_LIB
        if g
        else pick(["complete;pushed;themes", "complete;pushed"])
        if a
        else "complete",
        "quality": "好" if g else pick(["好", "一般"]) if a else pick(["一般", "差"]),
        "forms": ALL_FORMS if g else "visual",
        "eval_pub": 1 if tier != "poor" else 0,
        "eval": ALL_EVAL if g else pick([ALL_EVAL, "mechanism"]) if a else "mechanism",
        "opinions": 1 if tier != "poor" else pick([0, 1]),
        "open_day": ALL_OPEN if g else pick(["held;analysed", ALL_OPEN]) if a else "held",
        "interaction": "好" if g else pick(["好", "一般"]) if a else pick(["一般", "差"]),
        "guide": ALL_GUIDE if tier != "poor" else "contacts",
        "media": ALL_MEDIA if g else "lifecycle;content" if a else "lifecycle",
        "training": ALL_TRAIN if g else "leaders;staff" if a else "staff",
        "stale": 0 if g else rng.randint(0, 1) if a else rng.randint(2, 3),
        "blank": 0 if tier != "poor" else rng.randint(0, 1),
        "broken": rng.randint(0, 2) if g else rng.randint(1, 4) if a else rng.randint(3, 8),
        # target 4 a year (I07c); ranges of 3 values each keep the seeded sequence
        "meetings": rng.randint(4, 6) if g else rng.randint(3, 5) if a else rng.randint(1, 3),
        "decisions": decisions,
        "requests": requests,
        "policies": policies,
        "messages": (n, replied),
        "remark": "",
    }


def profiles(units: pd.DataFrame) -> dict[str, dict]:
    """Every unit's profile, in roster order."""
    rng = random.Random(SEED)
    fixed = hand_set()
    out = {}
    for unit, group in zip(units["unit"], units["group"], strict=True):
        p = fixed.get(unit) or random_profile(rng, TIERS[unit])
        if group != "dept":
            p = {**p, "pubinst": None}
        elif unit in DEPTS_WITHOUT_INSTITUTIONS:
            p = {**p, "pubinst": NA}
        out[unit] = {**p, "group": group}
    # the 住建局 (the county's largest payer of contractors) disclosed its 2022 SME arrears
    # only in spring, after the 3月31日 规定时限 (I01b is lost by at least one unit)
    out["县住房和城乡建设局"]["sme"] = 0
    return out


def score_sheet(ps: dict[str, dict]) -> pd.DataFrame:
    """评审打分表 (wide): what the reviewers judged on the sites and in the files."""
    rows = []
    for unit, p in ps.items():
        rows.append(
            {
                "单位": unit,
                "高质量发展信息": p["dev"],
                "反垄断执法信息": p.get("antitrust", "") if p["group"] == "dept" else "",
                "民生信息完成率": p["livelihood"],
                "公共企事业单位信息": p["pubinst"] or "",
                "政策文件库": p["library"],
                "解读质量": p["quality"],
                "解读形式": p["forms"],
                "政策评价机制": p["eval"],
                "列席意见公开": p["opinions"],
                "开放日活动": p["open_day"],
                "互动质量": p["interaction"],
                "公开指南": p["guide"],
                "政务新媒体": p["media"],
                "培训": p["training"],
                "栏目不更新": p["stale"],
                "空白栏目": p["blank"],
                "错链断链": p["broken"],
                "备注": p["remark"],
            }
        )
    return pd.DataFrame(rows)


def meetings(ps: dict[str, dict], rng: random.Random) -> pd.DataFrame:
    """会议记录: 10–12 meetings a unit, ``meetings`` of them with public attendance."""
    kinds = {"town": "党政联席会议", "dept": "局务会议", "zone": "管委会主任办公会议"}
    people = [
        "群众代表",
        "人大代表、群众代表",
        "企业代表",
        "专家学者",
        "新闻媒体记者",
        "利益相关方代表",
    ]
    rows = []
    for unit, p in ps.items():
        total = max(10, p["meetings"] + rng.randint(0, 2))
        days = sorted(
            {workday_in(rng, date(2023, 1, 9), date(2023, 12, 27)) for _ in range(total * 2)}
        )
        days = sorted(rng.sample(days, total))
        attended = set(rng.sample(range(total), p["meetings"]))
        for i, d in enumerate(days):
            rows.append(
                {
                    "会议主办单位": unit,
                    "会议时间": d.isoformat(),
                    "会议名称": f"2023年第{i + 1}次{kinds[p['group']]}",
                    "列席代表": rng.choice(people) if i in attended else "无",
                }
            )
    # a December 2022 meeting: another year, listed but not counted
    rows.insert(
        0,
        {
            "会议主办单位": "马头镇",
            "会议时间": "2022-12-28",
            "会议名称": "2022年第24次党政联席会议",
            "列席代表": "群众代表",
        },
    )
    return pd.DataFrame(rows)


def decisions(ps: dict[str, dict]) -> pd.DataFrame:
    """重大决策事项意见征集登记表."""
    topics = [
        "农村人居环境整治提升实施方案",
        "城乡公益性岗位管理办法",
        "老旧小区改造计划",
        "中小学校布局调整方案",
        "困难群众救助实施细则",
        "营商环境优化提升行动方案",
        "银杏产业发展扶持办法",
        "集贸市场升级改造方案",
    ]
    rows, k = [], 0
    for unit, p in ps.items():
        for issued, published, consulted in p["decisions"]:
            k += 1
            rows.append(
                {
                    "事项编号": f"JC2023-{k:03d}",
                    "承办单位": unit,
                    "决策事项": topics[k % len(topics)],
                    "是否公开征求意见": "是" if consulted else "否",
                    "征求意见途径": "政府网站" if consulted else "",
                    "决策文件印发日期": issued,
                    "采纳情况公开日期": published or "",
                }
            )
    return pd.DataFrame(rows)


def requests(ps: dict[str, dict]) -> pd.DataFrame:
    """政府信息公开申请办理登记台账 (郯城 headers)."""
    rows, k = [], 0
    for unit, p in ps.items():
        for received, replied, extended, corrected in p["requests"]:
            k += 1
            rows.append(
                {
                    "申请编号": f"YSQ2023-{k:03d}",
                    "受理机关": unit,
                    "收到申请日期": received,
                    "答复日期": replied,
                    "是否延期答复": "是" if extended else "否",
                    "复议诉讼被纠错": "是" if corrected else "否",
                }
            )
    return pd.DataFrame(rows)


def policies(ps: dict[str, dict]) -> pd.DataFrame:
    """政策文件及解读清单."""
    rows = []
    for unit, p in ps.items():
        for i, (published, interpreted) in enumerate(sorted(p["policies"], key=lambda x: x[0])):
            rows.append(
                {
                    "发文单位": unit,
                    "文号": f"{PREFIX[unit]}〔2023〕{i + 1}号",
                    "文件标题": f"关于印发{unit}2023年第{i + 1}号政策文件的通知",
                    "印发日期": published,
                    "解读发布日期": interpreted or "",
                }
            )
    return pd.DataFrame(rows)


def messages(ps: dict[str, dict], rng: random.Random) -> pd.DataFrame:
    """政民互动 / 我为政府网站找错 留言转办导出."""
    rows, k = [], 0
    for unit, p in ps.items():
        n, replied = p["messages"]
        for i in range(n):
            k += 1
            got = workday_in(rng, date(2023, 1, 3), date(2023, 12, 15))
            answer = add_workdays(got, rng.randint(1, 5)) if i < replied else None
            rows.append(
                {
                    "留言编号": f"ZMHD2023{k:04d}",
                    "承办单位": unit,
                    "留言时间": f"{got.isoformat()} {rng.randint(8, 21):02d}:{rng.randint(0, 59):02d}",
                    "回复时间": f"{answer.isoformat()} 16:30" if answer else "",
                }
            )
    return pd.DataFrame(rows)


def dated(ps: dict[str, dict], rng: random.Random) -> pd.DataFrame:
    """限时公开事项登记: when each unit published the two dated items (blank: not yet).

    ``sme`` 1 → the SME-arrears notice went up in March (by 3月31日, the 规定时限),
    0 → in April–June (late); ``eval_pub`` 1 → evaluation results out in
    October–December, 0 → not out at the 12-31 check, 不适用 → no policy of its own.
    """
    rows = []
    for unit, p in ps.items():
        if p["sme"] == 1:
            d = workday_in(rng, date(2023, 3, 1), date(2023, 3, 31)).isoformat()
            ev = f"{unit}门户网站“财政信息”栏目公开《2022年度逾期未支付中小企业款项情况》"
        else:
            d = workday_in(rng, date(2023, 4, 10), date(2023, 6, 30)).isoformat()
            ev = f"{unit}门户网站于{d}补充公开2022年度逾期未支付中小企业款项情况"
        rows.append(
            {"单位": unit, "指标": "sme_overdue_payment", "公开日期": d, "状态": "", "佐证": ev}
        )
        if p["eval_pub"] == NA:
            rows.append(
                {
                    "单位": unit,
                    "指标": "policy_evaluation_published",
                    "公开日期": "",
                    "状态": NA,
                    "佐证": "2023年未制定政策文件，无评价对象",
                }
            )
            continue
        if p["eval_pub"] == 1:
            d = workday_in(rng, date(2023, 10, 9), date(2023, 12, 29)).isoformat()
            ev = f"{unit}门户网站“政策评价”专栏公开2023年度重点政策评价结果及运用情况"
        else:
            d, ev = "", "截至2023年12月31日未公开政策评价结果和运用情况"
        rows.append(
            {
                "单位": unit,
                "指标": "policy_evaluation_published",
                "公开日期": d,
                "状态": "",
                "佐证": ev,
            }
        )
    return pd.DataFrame(rows)


def special(ps: dict[str, dict]) -> pd.DataFrame:
    """加分、单项否决、重大扣分及不适用事项 (generic table)."""
    rows = [
        {
            "单位": "郯城街道",
            "指标": "commendation",
            "数值": 1,
            "状态": "",
            "佐证": "临沂市政务公开办2023年第2期工作简报推广“政务公开专区”经验",
        },
        {
            "单位": "郯城街道",
            "指标": "commendation",
            "数值": 1,
            "状态": "",
            "佐证": "市政府办公室《关于2023年上半年政府网站检查情况的通报》表扬",
        },
        {
            "单位": "郯城街道",
            "指标": "commendation",
            "数值": 1,
            "状态": "",
            "佐证": "省政务公开办《政务公开优秀案例汇编（2023）》收录",
        },
        {
            "单位": "县教育和体育局",
            "指标": "commendation",
            "数值": 1,
            "状态": "",
            "佐证": "市教育局通报表扬“双减”信息公开专栏",
        },
        {
            "单位": "庙山镇",
            "指标": "site_veto",
            "数值": 1,
            "状态": "",
            "佐证": "2023年第四季度政府网站抽查：6个栏目超过一年未更新、5个空白栏目，单项否决",
        },
        {
            "单位": "县民政局",
            "指标": "serious_error",
            "数值": 1,
            "状态": "",
            "佐证": "2023-06-12 低保公示名单公开了完整身份证号码（泄露个人隐私）",
        },
        {
            "单位": "归昌乡",
            "指标": "interpretation_missing",
            "数值": "",
            "状态": NA,
            "佐证": "2023年未制定政策文件，政策解读不适用",
        },
    ]
    for unit, p in ps.items():
        if p["group"] == "dept" and "antitrust" not in p:
            rows.append(
                {
                    "单位": unit,
                    "指标": "antitrust_info",
                    "数值": "",
                    "状态": NA,
                    "佐证": "无反垄断与反不正当竞争执法职能（仅考核县市场监督管理局）",
                }
            )
    return pd.DataFrame(rows)


def main() -> None:
    """Write every data file."""
    units = pd.read_csv(HERE / "units.csv", dtype=str)
    ps = profiles(units)
    rng = random.Random(SEED + 1)
    DATA.mkdir(exist_ok=True)
    files = {
        "评审打分表.csv": score_sheet(ps),
        "会议记录.csv": meetings(ps, rng),
        "重大决策意见征集登记.csv": decisions(ps),
        "依申请公开登记台账.csv": requests(ps),
        "政策文件及解读.csv": policies(ps),
        "政民互动留言.csv": messages(ps, rng),
        "加分及否决事项.csv": special(ps),
        "限时公开事项登记.csv": dated(ps, random.Random(SEED + 2)),
    }
    for name, frame in files.items():
        frame.to_csv(DATA / name, index=False, encoding="utf-8-sig", lineterminator="\n")
        print(f"{name}: {len(frame)} 行")


if __name__ == "__main__":
    main()
