"""Write the SYNTHETIC data of the 怀柔区 2024 example (本示例数据为合成数据，仅用于演示).

Run from anywhere: ``python examples/huairou/make_data.py``.  Output is
deterministic (seeded); the files in ``data/`` are committed and are what the
example and ``tests/test_example_huairou.py`` read.

The rubric (rubrics/huairou-2024.toml) is read to learn each indicator's
method, parts and levels, so the reviewer sheet always matches it.  Eight
units have hand-set profiles whose totals the tests compute by hand (see
``hand_set``); the others get a seeded random profile of their tier (good /
average / poor): a number of "losses" drawn from ``LOSSES``.

Working days come from zwgk-score's own calendar
(``zwgk_score.workdays.WorkCalendar.china()``, built on chinesecalendar);
otherwise pandas and the standard library (``tomli`` on Python 3.10, which
zwgk-score installs there).
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd

from zwgk_score.workdays import WorkCalendar

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: tomli is installed with zwgk-score
    import tomli as tomllib

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
RUBRIC = HERE.parents[1] / "rubrics" / "huairou-2024.toml"
SEED = 2024
YEAR = 2024
DEADLINE = "2024年10月中旬"  # every task of the plan; the ledger reads it as 2024-10-20
NA = "不适用"

#: The mainland working-day calendar (法定节假日 and 调休上班日) of chinesecalendar.
CAL = WorkCalendar.china()

#: Departments in the roster that the rubric's department-specific tasks name.
RESPONSIBLE = {
    "t17_debt": {"区财政局"},
    "t01_economy": {"区发改委", "区经信局", "区商务局"},
    "t02_science": {"区融媒体中心", "区文促中心"},
    "t03_industry": {"区经信局"},
    "t04_commerce": {"区商务局"},
    "t05_regulation": {"区市场监管局"},  # 区政务和数据局 is the assessing office itself
    "t06_housing": {"区住建委"},
    "t07_city": {"区城市管理委"},
    "t08_green": {"区园林绿化局"},
    "t09_ecology": {"区生态环境局"},
    "t09_water": {"区生态环境局"},
    "t10_jobs": {"区人力社保局"},
    "t11_assist": {"区民政局"},
    "t12_health_edu": {"区卫生健康委", "区教委"},
    "t13_medical": {"区市场监管局"},
    "t14_farming": {"区农业农村局"},
    "t15_culture": {"区文化和旅游局"},
    "t16_veterans": {"区退役军人事务局"},
    "t18_justice": {"区司法局"},
    "t28_evaluation": {"区发改委", "区经信局", "区人力社保局", "区商务局"},
}
#: Counted deductions typed into the reviewer sheet (the others come from registers).
SHEET_DEDUCTIONS = ("t22_drafting", "review_errors", "site_stale_columns", "site_blank_columns")
#: Keys reported in the generic table (bonus, veto, major deduction, 不适用 rows).
TABLE_KEYS = (
    "commend",
    "site_veto",
    "leak",
    "t20_consult",
    "t27_fulfil",
    "t32_gazette",
    "t33_zone",
    "t26_forms",
    "interp_quality",
)

TIERS = {  # the units without a hand-set profile
    "怀柔镇": "good",
    "雁栖镇": "good",
    "庙城镇": "avg",
    "北房镇": "avg",
    "杨宋镇": "good",
    "桥梓镇": "avg",
    "怀北镇": "avg",
    "渤海镇": "good",
    "九渡河镇": "avg",
    "琉璃庙镇": "poor",
    "宝山镇": "poor",
    "长哨营满族乡": "avg",
    "区发改委": "avg",
    "区经信局": "good",
    "区商务局": "avg",
    "区住建委": "poor",
    "区人力社保局": "avg",
    "区融媒体中心": "good",
    "区文促中心": "avg",
    "区市场监管局": "avg",
    "区城市管理委": "good",
    "区园林绿化局": "avg",
    "区生态环境局": "avg",
    "区农业农村局": "poor",
    "区文化和旅游局": "good",
    "区退役军人事务局": "avg",
    "区教委": "avg",
}
LOSS_COUNT = {"good": (1, 3), "avg": (5, 8), "poor": (13, 17)}

PREFIX = {  # 发文字号 prefixes
    "怀柔镇": "怀镇发",
    "雁栖镇": "雁政发",
    "庙城镇": "庙政发",
    "北房镇": "北房政发",
    "杨宋镇": "杨政发",
    "桥梓镇": "桥政发",
    "怀北镇": "怀北政发",
    "汤河口镇": "汤政发",
    "渤海镇": "渤政发",
    "九渡河镇": "九政发",
    "琉璃庙镇": "琉政发",
    "宝山镇": "宝政发",
    "长哨营满族乡": "长政发",
    "喇叭沟门满族乡": "喇政发",
    "泉河街道": "泉办发",
    "龙山街道": "龙办发",
    "区发改委": "怀发改发",
    "区经信局": "怀经信发",
    "区商务局": "怀商务发",
    "区住建委": "怀建发",
    "区民政局": "怀民发",
    "区财政局": "怀财发",
    "区人力社保局": "怀人社发",
    "区卫生健康委": "怀卫发",
    "区司法局": "怀司发",
    "区融媒体中心": "怀融发",
    "区文促中心": "怀文促发",
    "区市场监管局": "怀市监发",
    "区城市管理委": "怀城管发",
    "区园林绿化局": "怀园林发",
    "区生态环境局": "怀环发",
    "区农业农村局": "怀农发",
    "区文化和旅游局": "怀文旅发",
    "区退役军人事务局": "怀退役发",
    "区教委": "怀教发",
}


# ---------------------------------------------------------------- calendar


def add_workdays(d: date, n: int) -> date:
    """The n-th working day after d (n = 0: d itself)."""
    return CAL.add_workdays(d, n).item()


def workday_in(rng: random.Random, start: date, end: date) -> date:
    """A random working day between start and end."""
    while True:
        d = start + timedelta(days=rng.randrange((end - start).days + 1))
        if CAL.is_workday(d):
            return d


QUARTERS = ("第一季度", "第二季度", "第三季度", "第四季度")


def quarter_day(rng: random.Random, q: int) -> date:
    """When a quarter's execution report goes out: within the month after the quarter."""
    if q == 4:  # January 2025
        return workday_in(rng, date(2025, 1, 6), date(2025, 1, 24))
    return workday_in(rng, date(2024, 3 * q + 1, 8), date(2024, 3 * q + 1, 28))


def stamp(rng: random.Random, d: date) -> str:
    """``d`` with an office-hours time, as the hotline export writes it."""
    return datetime(d.year, d.month, d.day, rng.randint(8, 17), rng.randrange(60)).strftime(
        "%Y-%m-%d %H:%M"
    )


# ---------------------------------------------------------------- rubric


def leaves() -> list[dict]:
    """Scored leaves of the rubric: id, name, data, method, params, groups, task."""
    out: list[dict] = []

    def walk(node: dict, groups: list[str], task: str | None) -> None:
        groups = node.get("groups", groups)
        task = node.get("task", task)
        if "method" in node:
            out.append(
                {
                    "id": node["id"],
                    "name": node["name"],
                    "data": node.get("data", node["id"]),
                    "method": node["method"],
                    "params": node.get("params", {}),
                    "groups": groups,
                    "task": task,
                }
            )
        for child in node.get("indicators", []):
            walk(child, groups, task)

    rubric = tomllib.loads(RUBRIC.read_text(encoding="utf-8"))
    everyone = [g["id"] for g in rubric["groups"]]
    for domain in rubric["domains"]:
        walk(domain, everyone, None)
    return out


LEAVES = [leaf for leaf in leaves() if leaf["method"] != "deadline"]
SHEET = [
    leaf
    for leaf in LEAVES
    if leaf["method"] in ("checklist", "levels", "binary", "ratio")
    or leaf["data"] in SHEET_DEDUCTIONS
]
TASK_NAMES = {leaf["task"]: leaf["name"] for leaf in LEAVES if leaf["task"]}
TASK_NAMES["19"] = "工作报告重点任务执行情况和权责清单公开"
TASK_NAMES["25"] = "政策解读“三同步”"
TASK_NAMES["31"] = "政府网站和政务新媒体服务能力"
TASK_NAMES["37"] = "信息公开专栏和依申请公开办理"
TASK_NAMES["41"] = "任务落实及监督考核"


def full_cell(leaf: dict) -> object:
    """The reviewer's cell of a unit that does everything the plan asks."""
    method = leaf["method"]
    if method == "checklist":
        return ";".join(p["id"] for p in leaf["params"]["parts"])
    if method == "levels":
        return leaf["params"]["levels"][0]["name"]
    if method in ("binary", "ratio"):
        return 1
    return 0  # counted deductions: nothing found


def applies(leaf: dict, unit: str, group: str) -> bool:
    """Whether the indicator is scored for the unit (group, then 责任部门)."""
    if group not in leaf["groups"]:
        return False
    return group != "dept" or leaf["data"] not in RESPONSIBLE or unit in RESPONSIBLE[leaf["data"]]


# ---------------------------------------------------------------- profiles


def perfect(unit: str, group: str) -> dict:
    """A unit that does everything the plan asks (dates are filled in later)."""
    sheet = {}
    for leaf in SHEET:
        if group not in leaf["groups"]:
            continue  # blank: the indicator is not scored for the group
        sheet[leaf["data"]] = full_cell(leaf) if applies(leaf, unit, group) else NA
    return {
        "sheet": sheet,
        "late_tasks": {},
        "requests": None,
        "policies": None,
        "consults": None,
        "opendays": 2,
        "lectures": 1,
        "quarters": [1, 2, 3, 4],
        "water_months": list(range(1, 13)),
        "table": [],
        "remark": "",
    }


def unit_tasks(unit: str, group: str, p: dict) -> list[int]:
    """The plan's tasks the unit carries: those with an indicator scored for it (not 不适用).

    These are the unit's rows in the task ledger; each is due 2024年10月中旬.
    """
    na = {key for key, _, status, _ in p["table"] if status == NA}
    return sorted(
        {
            int(leaf["task"])
            for leaf in LEAVES
            if leaf["task"]
            and applies(leaf, unit, group)
            and p["sheet"].get(leaf["data"]) != NA
            and leaf["data"] not in na
        }
    )


def sheet_leaves_of(task: int) -> list[dict]:
    """The reviewer-sheet indicators of a task (those a reviewer judges)."""
    return [leaf for leaf in SHEET if leaf["task"] == str(task)]


def not_applicable(p: dict, key: str, reason: str) -> None:
    """Report ``key`` as 不适用 in the generic table (and leave the sheet cell blank)."""
    p["sheet"].pop(key, None)
    p["table"].append((key, "", NA, reason))


def hand_set(units: pd.DataFrame) -> dict[str, dict]:
    """Profiles whose totals tests/test_example_huairou.py computes by hand."""
    group = dict(zip(units["unit"], units["group"], strict=True))
    p = {
        u: perfect(u, group[u])
        for u in (
            "泉河街道",
            "龙山街道",
            "汤河口镇",
            "喇叭沟门满族乡",
            "区民政局",
            "区卫生健康委",
            "区司法局",
            "区财政局",
        )
    }

    # bonus: one task late (completed 2024-10-25), three commendations (cap 2)
    q = p["泉河街道"]
    q["late_tasks"] = {31: date(2024, 10, 25)}
    q["consults"] = [(date(2024, 2, 8), date(2024, 2, 19)), (date(2024, 9, 27), date(2024, 10, 9))]
    q["table"] += [
        (
            "commend",
            1,
            "",
            "北京市政务服务和数据管理局2024年第3期政务公开工作简报推广“街巷议事厅”公开议事做法",
        ),
        ("commend", 1, "", "市政务公开办《2024年上半年政府网站和政务新媒体检查情况的通报》表扬"),
        ("commend", 1, "", "入选《北京市基层政务公开标准化规范化典型案例（2024）》"),
    ]
    q["remark"] = "“街巷议事厅”公开议事活动经验被市级推广"

    # average street: several partial items
    q = p["龙山街道"]
    q["sheet"].update({"t26_forms": "qa;graphic", "t21_drafts": "publish", "review_errors": 1})
    q["opendays"] = 1
    q["policies"] = [(date(2024, 4, 16), date(2024, 4, 16)), (date(2024, 8, 21), None)]
    q["remark"] = "解读形式单一；1篇信息存在错别字"

    # veto: its new-media account failed the city's check; stale and blank columns
    q = p["汤河口镇"]
    q["sheet"].update({"site_stale_columns": 4, "site_blank_columns": 3, "newmedia": "coop;phone"})
    q["table"].append(
        (
            "site_veto",
            1,
            "",
            "2024年第三季度全市政务新媒体检查：“汤河口发布”微信公众号超过2周未更新，被判定为不合格",
        )
    )
    q["remark"] = "“通知公告”等4个栏目超过6个月未更新，3个栏目空白"

    # 不适用 / 折算: no policy touching the public, no 惠企 policy, no policy to interpret
    q = p["喇叭沟门满族乡"]
    not_applicable(q, "t20_consult", "年内未制定涉及公众切身利益的政策")
    not_applicable(q, "t27_fulfil", "年内无涉及财政资金的惠企政策")
    not_applicable(q, "interp_quality", "年内未印发需解读的政策文件")
    not_applicable(q, "t26_forms", "年内未印发需解读的政策文件")
    q["policies"] = []
    q["opendays"] = 1
    q["remark"] = "年内未印发政策文件"

    # calendar: request across National Day answered after 21 working days; task 11 done 10-21
    q = p["区民政局"]
    q["requests"] = [
        (date(2024, 9, 20), date(2024, 10, 23), False, False),  # 20 working days: on time
        (date(2024, 9, 20), date(2024, 10, 24), False, False),  # 21 working days: late
    ]
    q["late_tasks"] = {11: date(2024, 10, 21)}

    # major deduction: personal data published in a 公示
    p["区卫生健康委"]["table"].append(
        ("leak", 1, "", "2024年6月公示的家庭医生签约名单泄露居民身份证号码，造成不良影响")
    )
    p["区卫生健康委"]["remark"] = "公示信息泄露个人隐私"

    # 不适用 / 折算 for a department; no 政策公开讲 published
    q = p["区司法局"]
    not_applicable(q, "t20_consult", "年内未制定涉及公众切身利益的政策")
    not_applicable(q, "t27_fulfil", "无涉及财政资金的惠企政策")
    not_applicable(q, "t32_gazette", "年内未制定规范性文件")
    q["lectures"] = 0
    # task 18: the legal-aid and notary information went up only on 2024-11-08 and is incomplete
    q["sheet"]["t18_justice"] = 0
    q["late_tasks"] = {18: date(2024, 11, 8)}
    q["remark"] = "律师、公证、法律援助信息不全，任务18于11月8日才完成"

    # one commendation; the district's debt limit and balance not published (T17d)
    p["区财政局"]["sheet"]["t17_debt"] = 0
    p["区财政局"]["remark"] = "未公开全区政府债务限额、余额信息"
    p["区财政局"]["table"].append(
        ("commend", 1, "", "市财政局通报表扬“财政资金直达基层”专栏建设（京财预〔2024〕18号）")
    )
    return p


def short_cell(leaf: dict) -> object:
    """The reviewer's cell of a task found unfinished: nothing of it published yet."""
    method = leaf["method"]
    if method == "checklist":
        return leaf["params"]["parts"][0]["id"]
    if method == "levels":
        return leaf["params"]["levels"][-1]["name"]
    if method in ("binary", "ratio"):
        return 0
    return 2  # counted deductions: problems found


def losses(rng: random.Random, p: dict, unit: str, group: str, n: int) -> None:
    """Apply ``n`` random losses of different kinds to profile ``p``."""
    sheet = p["sheet"]
    moves = []
    for leaf in SHEET:
        key = leaf["data"]
        if sheet.get(key) in (None, NA):
            continue
        m = leaf["method"]
        if m == "checklist":
            parts = [x["id"] for x in leaf["params"]["parts"]]
            moves.append(
                lambda k=key, ps=parts: sheet.__setitem__(
                    k, ";".join(rng.sample(ps, rng.randint(1, len(ps) - 1)))
                )
            )
        elif m == "levels":
            names = [x["name"] for x in leaf["params"]["levels"]]
            moves.append(lambda k=key, ns=names: sheet.__setitem__(k, rng.choice(ns[1:])))
        elif m == "binary":
            moves.append(lambda k=key: sheet.__setitem__(k, 0))
        elif m == "ratio":
            moves.append(lambda k=key: sheet.__setitem__(k, rng.choice([0.95, 0.9, 0.8, 0.6])))
        else:
            moves.append(lambda k=key: sheet.__setitem__(k, rng.randint(1, 3)))
    tasks = unit_tasks(unit, group, p)

    def late_task() -> None:
        task = rng.choice(tasks)
        judged = [
            leaf for leaf in sheet_leaves_of(task) if sheet.get(leaf["data"]) not in (None, NA)
        ]
        done = not judged or rng.random() < 0.5
        p["late_tasks"][task] = (
            workday_in(rng, date(2024, 10, 21), date(2024, 12, 10)) if done else None
        )
        if not done:  # still open at the check: the reviewer cannot find it complete
            leaf = judged[0]
            sheet[leaf["data"]] = short_cell(leaf)

    moves += [late_task, late_task]
    moves.append(lambda: p.__setitem__("opendays", rng.choice([0, 1])))
    moves.append(lambda: p.__setitem__("policy_miss", p.get("policy_miss", 0) + 1))
    moves.append(lambda: p.__setitem__("consult_late", p.get("consult_late", 0) + 1))
    moves.append(lambda: p.__setitem__("policy_late", p.get("policy_late", 0) + 1))
    if group == "dept":
        moves.append(lambda: p.__setitem__("lectures", 0))
        moves.append(
            lambda: p.__setitem__("quarters", sorted(rng.sample([1, 2, 3, 4], rng.choice([2, 3]))))
        )
        moves.append(lambda: p.__setitem__("request_late", p.get("request_late", 0) + 1))
        moves.append(lambda: p.__setitem__("request_corrected", 1))
    for move in rng.sample(moves, min(n, len(moves))):
        move()


def loses(leaf: dict, p: dict) -> bool:
    """Whether the profile already loses points on a reviewer-sheet indicator."""
    cell = p["sheet"].get(leaf["data"])
    if cell in (None, NA):
        return False
    return cell != full_cell(leaf)


def partial_cell(rng: random.Random, leaf: dict) -> object:
    """A reviewer's cell short of full marks (for the coverage pass)."""
    method = leaf["method"]
    if method == "checklist":
        parts = [x["id"] for x in leaf["params"]["parts"]]
        return ";".join(sorted(rng.sample(parts, len(parts) - 1), key=parts.index))
    if method == "levels":
        return leaf["params"]["levels"][1]["name"]
    if method == "binary":
        return 0
    if method == "ratio":
        return 0.8
    return 1


def cover(rng: random.Random, profiles: dict, group: dict, hand: set) -> None:
    """Every indicator lost by at least one unit carrying it (the example exercises each rule).

    Only the seeded random units are touched; the hand-set profiles stay as the tests
    compute them.
    """
    units = [u for u in profiles if u not in hand]
    for leaf in SHEET:
        carriers = [
            u
            for u in units
            if applies(leaf, u, group[u])
            and profiles[u]["sheet"].get(leaf["data"]) not in (None, NA)
        ]
        if carriers and not any(loses(leaf, profiles[u]) for u in carriers):
            u = rng.choice(carriers)
            profiles[u]["sheet"][leaf["data"]] = partial_cell(rng, leaf)
    for task in sorted({int(leaf["task"]) for leaf in LEAVES if leaf["task"]}):
        carriers = [u for u in units if task in unit_tasks(u, group[u], profiles[u])]
        if carriers and not any(task in profiles[u]["late_tasks"] for u in carriers):
            u = rng.choice(carriers)
            profiles[u]["late_tasks"][task] = workday_in(
                rng, date(2024, 10, 21), date(2024, 11, 29)
            )
    depts = [u for u in units if group[u] == "dept"]
    if all(profiles[u]["quarters"] == [1, 2, 3, 4] for u in depts):
        profiles[rng.choice(depts)]["quarters"] = [1, 2, 3]


# ---------------------------------------------------------------- registers


def fill_registers(rng: random.Random, unit: str, group: str, p: dict) -> None:
    """Random dates for the registers not hand-set in ``p``."""
    if p["policies"] is None:
        miss = p.get("policy_miss", 0)
        n = rng.randint(1, 3) + miss + p.get("policy_late", 0)
        pubs = sorted(workday_in(rng, date(2024, 2, 19), date(2024, 11, 29)) for _ in range(n))
        late = p.get("policy_late", 0)
        p["policies"] = [
            (d, None if i < miss else add_workdays(d, rng.randint(2, 15)) if i < miss + late else d)
            for i, d in enumerate(pubs)
        ]
    if p["consults"] is None:
        late = p.get("consult_late", 0)
        out = []
        for i in range(rng.randint(2, 4) + late):
            recv = workday_in(rng, date(2024, 1, 8), date(2024, 12, 13))
            if i < late:
                out.append((recv, None if i == 1 else add_workdays(recv, rng.randint(6, 9))))
            else:
                out.append((recv, add_workdays(recv, rng.randint(1, 5))))
        p["consults"] = out
    if group == "dept" and p["requests"] is None:
        late = p.get("request_late", 0)
        out = []
        for i in range(rng.randint(1, 3) + late):
            recv = workday_in(rng, date(2024, 3, 1), date(2024, 11, 15))
            days = rng.randint(22, 26) if i < late else rng.randint(5, 19)
            out.append(
                (recv, add_workdays(recv, days), False, i == 0 and p.get("request_corrected"))
            )
        p["requests"] = out


def main() -> None:
    """Write every data file of the example."""
    rng = random.Random(SEED)
    units = pd.read_csv(HERE / "units.csv", dtype=str).fillna("")
    group = dict(zip(units["unit"], units["group"], strict=True))
    profiles = hand_set(units)
    hand = set(profiles)
    for unit in units["unit"]:
        if unit not in profiles:
            p = perfect(unit, group[unit])
            if unit in ("区融媒体中心", "区文促中心"):
                not_applicable(p, "t33_zone", "未进驻区政务服务中心")
            losses(rng, p, unit, group[unit], rng.randint(*LOSS_COUNT[TIERS[unit]]))
            profiles[unit] = p
        fill_registers(rng, unit, group[unit], profiles[unit])
    cover(rng, profiles, group, hand)
    # the 区生态环境局's monthly water-quality bulletin missed the flood season (July, August)
    profiles["区生态环境局"]["water_months"] = [m for m in range(1, 13) if m not in (7, 8)]
    # two bonus claims and two more 不适用 rows outside the hand-set units
    profiles["渤海镇"]["table"].append(
        ("commend", 1, "", "怀柔区政府办公室《2024年政务开放日活动情况通报》表扬")
    )

    DATA.mkdir(exist_ok=True)
    write = lambda df, name: df.to_csv(DATA / name, index=False, encoding="utf-8-sig")  # noqa: E731

    header = {leaf["data"]: f"{leaf['id']} {leaf['name']}" for leaf in SHEET}
    rows = []
    for unit in units["unit"]:
        p = profiles[unit]
        rows.append(
            {
                "单位": unit,
                **{header[k]: p["sheet"].get(k, "") for k in header},
                "备注": p["remark"],
            }
        )
    write(pd.DataFrame(rows, columns=["单位", *header.values(), "备注"]), "评审打分表.csv")

    ledger = []
    for unit in units["unit"]:
        p, g = profiles[unit], group[unit]
        for task in unit_tasks(unit, g, p):
            if task in p["late_tasks"]:
                done = p["late_tasks"][task]
            else:
                done = workday_in(rng, date(2024, 6, 3), date(2024, 10, 18))
            ledger.append(
                {
                    "序号": task,
                    "工作任务": TASK_NAMES[str(task)],
                    "责任部门": unit,
                    "完成时限": DEADLINE,
                    "完成情况": "已完成" if done else "推进中",
                    "完成时间": done.isoformat() if done else "",
                }
            )
    write(pd.DataFrame(ledger), "要点任务台账.csv")

    reqs = []
    for unit in units["unit"]:
        for recv, reply, ext, corr in profiles[unit]["requests"] or []:
            reqs.append(
                {
                    "申请编号": "",
                    "办理单位": unit,
                    "收到申请日期": recv.isoformat(),
                    "答复日期": reply.isoformat(),
                    "是否延期": "是" if ext else "否",
                    "复议诉讼纠错": "是" if corr else "否",
                }
            )
    reqs.sort(key=lambda r: r["收到申请日期"])
    for i, r in enumerate(reqs, 1):
        r["申请编号"] = f"HRYSQ-2024-{i:03d}"
    write(pd.DataFrame(reqs), "依申请公开登记台账.csv")

    pols = []
    for unit in units["unit"]:
        for i, (pub, interp) in enumerate(
            sorted(profiles[unit]["policies"], key=lambda x: x[0]), 1
        ):
            pols.append(
                {
                    "发文单位": unit,
                    "文号": f"{PREFIX[unit]}〔2024〕{i}号",
                    "文件标题": f"关于印发{unit}2024年第{i}号政策性文件的通知",
                    "印发日期": pub.isoformat(),
                    "解读发布日期": interp.isoformat() if interp else "",
                }
            )
    write(pd.DataFrame(pols), "政策文件及解读.csv")

    msgs = []
    for unit in units["unit"]:
        for recv, reply in sorted(profiles[unit]["consults"], key=lambda x: x[0]):
            msgs.append(
                {
                    "留言编号": "",
                    "承办单位": unit,
                    "留言时间": stamp(rng, recv),
                    "回复时间": stamp(rng, reply) if reply else "",
                }
            )
    msgs.sort(key=lambda r: r["留言时间"])
    for i, r in enumerate(msgs, 1):
        r["留言编号"] = f"JC2024{i:05d}"
    write(pd.DataFrame(msgs), "政策咨询留言.csv")

    kinds = ["政务开放日", "政务体验官", "基层治理公开议事", "政府会议开放"]
    acts = []
    for unit in units["unit"]:
        for _ in range(profiles[unit]["opendays"]):
            d = workday_in(rng, date(2024, 3, 1), date(2024, 11, 29))
            acts.append(
                {
                    "举办单位": unit,
                    "活动日期": d.isoformat(),
                    "活动名称": f"{unit}{rng.choice(kinds)}活动",
                    "参与公众": f"群众代表{rng.randint(8, 30)}人",
                }
            )
    acts.append(
        {
            "举办单位": "怀柔镇",
            "活动日期": "2023-12-15",
            "活动名称": "怀柔镇政务开放日活动",
            "参与公众": "群众代表12人",
        }
    )  # last year's: not counted
    write(pd.DataFrame(acts).sort_values(["举办单位", "活动日期"]), "政府开放活动登记.csv")

    talks = []
    for unit in units["unit"]:
        if group[unit] != "dept":
            continue
        for _ in range(profiles[unit]["lectures"]):
            d = workday_in(rng, date(2024, 4, 1), date(2024, 11, 29))
            talks.append(
                {
                    "单位": unit,
                    "发布日期": d.isoformat(),
                    "主题": f"“政策公开讲”：{unit}热点政策解读",
                }
            )
    write(pd.DataFrame(talks), "政策公开讲发布登记.csv")

    pubs = []
    for unit in units["unit"]:
        if group[unit] != "dept":
            continue
        for q in profiles[unit]["quarters"]:
            pubs.append(
                {
                    "公开单位": unit,
                    "所属季度": QUARTERS[q - 1],
                    "公开日期": quarter_day(rng, q).isoformat(),
                    "标题": f"{unit}2024年{QUARTERS[q - 1]}区政府工作报告重点任务执行情况",
                }
            )
    # last year's fourth quarter (published in January 2024: not counted) and a repeated quarter
    pubs.append(
        {
            "公开单位": "区财政局",
            "所属季度": "2023年第四季度",
            "公开日期": "2024-01-12",
            "标题": "区财政局2023年第四季度区政府工作报告重点任务执行情况",
        }
    )
    pubs.append(
        {
            "公开单位": "区财政局",
            "所属季度": "第二季度",
            "公开日期": "2024-08-06",
            "标题": "区财政局2024年第二季度重要民生实事项目执行情况（补充）",
        }
    )
    write(pd.DataFrame(pubs).sort_values(["公开单位", "公开日期"]), "重点任务执行情况公开登记.csv")

    water = []
    for unit in units["unit"]:
        if group[unit] != "dept":
            continue
        if unit not in RESPONSIBLE["t09_water"]:
            water.append({"单位": unit, "发布日期": "", "状态": NA, "佐证": "非责任部门"})
            continue
        for m in profiles[unit]["water_months"]:
            d = workday_in(rng, date(2024, m, 1), date(2024, m, 12))
            water.append(
                {
                    "单位": unit,
                    "发布日期": d.isoformat(),
                    "状态": "",
                    "佐证": f"怀柔区{YEAR}年{m}月空气质量及怀柔水库、主要河流水质状况",
                }
            )
    water.append(
        {
            "单位": "区生态环境局",
            "发布日期": "2023-12-11",
            "状态": "",
            "佐证": "怀柔区2023年11月空气质量及怀柔水库、主要河流水质状况",
        }
    )  # last year's: not counted
    write(pd.DataFrame(water), "月度水质信息发布登记.csv")

    table = []
    for unit in units["unit"]:
        for key, value, status, evidence in profiles[unit]["table"]:
            table.append(
                {"单位": unit, "指标": key, "数值": value, "状态": status, "佐证": evidence}
            )
    write(pd.DataFrame(table), "加分否决及不适用事项.csv")


if __name__ == "__main__":
    main()
