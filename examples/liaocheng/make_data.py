"""Write the SYNTHETIC data of the 聊城 2018 example (本示例数据为合成数据，仅用于演示).

Run from anywhere: ``python examples/liaocheng/make_data.py``.  The output is
committed; the example and its tests read the files, not this script.
Seeded: the same script always writes the same files.

Five units are "anchors" with a few planned defects only, so their totals
can be computed by hand (tests/test_example_liaocheng.py):

- 东昌府区: perfect except one 找错 message answered late in Q3 and one stale
  column in the Q2 website check; two commendations (bonus).
- 临清市: perfect (incl. the pilot item (51)) except one late task.
- 江北水城旅游度假区: website unreachable for a week → veto (cap 59).
- 市发改委: perfect on its applicable items except one policy without an
  interpretation; 17 of its 91 department points are not applicable (折算).
- 市国土局: perfect on its applicable items; one leak of personal data (−5).

Every other unit is generated from its profile (good / average / poor).
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd
from zwgk_score_liaocheng.duties import CLASSES, assessed

from zwgk_score.rubric import load_rubric
from zwgk_score.workdays import WorkCalendar

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
RUBRIC = load_rubric(HERE.parents[1] / "rubrics" / "liaocheng-2018.toml")
#: roster name → how the plan writes it (the liaocheng_duties aliases of assessment.toml)
ALIASES = {"市食药监局": ["市食品药品监督管理局"]}
#: (unit, data key) the config's liaocheng_duties excludes, with the same reason
EXCLUDED = {("市财政局", "soe_monthly")}
SEED = 295946667424  # seed file 003_295946667424caf3
YEAR = 2018

#: The mainland working-day calendar (法定节假日 and 调休上班日) of chinesecalendar.
CAL = WorkCalendar.china()

COUNTIES = ["东昌府区", "茌平县", "临清市", "阳谷县", "莘县", "东阿县", "冠县", "高唐县"]
ZONES = ["聊城经济技术开发区", "聊城高新技术产业开发区", "江北水城旅游度假区"]
DEPTS = [
    "市发改委",
    "市教育局",
    "市公安局",
    "市民政局",
    "市财政局",
    "市人社局",
    "市国土局",
    "市住建局",
    "市卫计委",
    "市环保局",
    "市食药监局",
    "市安监局",
    "市工商局",
]
UNITS = COUNTIES + ZONES + DEPTS
ANCHORS = ("东昌府区", "临清市", "江北水城旅游度假区", "市发改委", "市国土局")
PROFILE = {
    "茌平县": "good",
    "阳谷县": "average",
    "莘县": "poor",
    "东阿县": "good",
    "冠县": "average",
    "高唐县": "average",
    "聊城经济技术开发区": "good",
    "聊城高新技术产业开发区": "average",
    "市教育局": "good",
    "市公安局": "average",
    "市民政局": "good",
    "市财政局": "good",
    "市人社局": "average",
    "市住建局": "poor",
    "市卫计委": "average",
    "市环保局": "good",
    "市食药监局": "average",
    "市安监局": "average",
    "市工商局": "poor",
}
#: chance that one item of a unit shows a defect
DEFECT = {"perfect": 0.0, "good": 0.06, "average": 0.2, "poor": 0.45}

# ---------------------------------------------------------------- the reviewer sheet (年终评审打分表)
# (data key, header, kind, parts/levels); kind: checklist | levels | binary | ratio | count
CHECKLISTS = [
    ("new_drivers", "T01新旧动能转换公开", ["policy", "progress", "catalogue"]),
    ("rural_revival", "T02乡村振兴公开", ["policy", "progress", "village"]),
    ("risk_prevention", "T03防范化解重大风险公开", ["finance", "chemicals", "safety", "xueliang"]),
    ("poverty_funds", "T04扶贫资金项目公开", ["system", "content", "cases"]),
    ("pollution_control", "T05污染防治公开", ["policy", "inspection", "eia", "permit", "smog"]),
    ("power_list", "T06权责清单", ["published", "dynamic"]),
    ("post_supervision", "T07事中事后监管", ["list", "results", "enforcement", "ppp"]),
    ("meeting_openness", "T08政府会议公开", ["plan", "live", "decisions"]),
    ("major_decision", "T09重大行政决策公开", ["draft", "feedback", "clause"]),
    ("budget_disclosure", "T11预决算公开", ["published", "catalogue"]),
    ("major_projects", "T12重大建设项目", ["eight", "credit"]),
    ("public_resources", "T13公共资源配置", ["trading", "platform"]),
    ("social_assistance", "T14社会救助", ["policy", "dibao"]),
    ("health_info", "T16医疗卫生", ["hospital", "discipline"]),
    ("environment_info", "T17环境保护", ["river_chief", "flood"]),
    ("food_drug_info", "T18食品药品安全", ["licensing", "filing", "sampling"]),
    ("housing_info", "T19住房保障", ["urbanisation", "shantytown", "renovation"]),
    ("soe_info", "T20国资国企", ["operation", "zombie"]),
    ("work_safety_info", "T21安全生产监管", ["accidents", "inspection", "blacklist"]),
    ("interp_key_policies", "T22重点政策解读", ["new_drivers", "rural"]),
    ("opinion_mechanism", "T27舆情回应机制", ["linkage", "monitoring"]),
    ("opinion_evaluation", "T29舆情应对评估", ["evaluation", "accountability"]),
    ("public_participation", "T30公众参与", ["rules", "scope", "activities"]),
    ("service_items", "T31政务服务事项公开", ["list", "dynamic", "online"]),
    ("hall_management", "T35政务大厅管理", ["once", "incentive"]),
    ("one_window", "T36一窗受理", ["window", "joint"]),
    ("reform_3545", "T38放管服3545", ["limits", "agencies", "certificates"]),
    ("open_data", "T43公共信息资源开放", ["datasets", "standards"]),
    ("gazette_system", "T47政府公报机制", ["gazette", "unified", "editing"]),
    ("gazette_digital", "T48公报电子化", ["sync", "column", "new_media"]),
    ("regulation_followup", "T49贯彻条例", ["measures", "review"]),
    ("attribute_marking", "T52公开属性", ["draft", "marked", "return"]),
    ("review_mechanism", "T53公开审查", ["rules", "privacy"]),
    ("request_reply_quality", "T54依申请答复规范", ["reply", "to_active"]),
    ("catalogue", "T55主动公开目录", ["content", "updated"]),
    ("public_institutions", "T56公共企事业单位", ["rules", "oversight"]),
    ("leadership", "T60主要同志研究部署", ["meeting", "press"]),
]
LEVELS = [
    ("interp_three_battles", "T23三大攻坚战解读", ["好", "一般", "差"]),
    ("interp_forms", "T26解读形式", ["多样", "较少", "仅文字"]),
    ("opinion_response", "T28舆情回应", ["及时妥当", "基本及时", "回应不力"]),
    ("service_standard", "T32审批标准化", ["全面落实", "部分落实", "未落实"]),
    ("hall_facilities", "T37大厅设施", ["达标", "基本达标", "不达标"]),
]
BINARIES = [
    ("education_results", "T15招生结果公开"),
    ("interp_system", "T25解读制度"),
    ("info_sharing", "T33信息共享"),
    ("site_message_mechanism", "T34留言办理机制"),
    ("guide_standard", "T39办事指南规范"),
    ("same_source", "T40信息同源"),
    ("hotline_merge", "T46热线整合"),
    ("gazette_archive", "T48公报入库"),
    ("regulation_publicity", "T50条例宣传"),
    ("public_inst_catalogue", "T57公共企事业目录"),
    ("inspection_plan", "T59专项督查方案"),
]
OTHER_SHEET = [
    ("proposal_replies", "T10建议提案复文公开率"),
    ("poverty_notice_short", "T04公示不足10天(处)"),
]

#: 无便民服务专线电话的部门，第(46)项报不适用（评审组核实）
NO_HOTLINE = {"市公安局", "市民政局", "市财政局"}
NO_PROPOSALS = {"聊城高新技术产业开发区", "江北水城旅游度假区"}  # 未承办建议提案
LEAVES = {n.data: n for n in RUBRIC.nodes() if n.is_leaf}


def group_of(unit: str) -> str:
    return "county" if unit in COUNTIES else "zone" if unit in ZONES else "dept"


def applies(unit: str, key: str) -> bool | None:
    """True: scored; False: 不适用 (a reported fact); None: not assessed (blank cell).

    None = outside the unit's group, or a unit the 责任分工 of the task does not
    name: the config's liaocheng_duties collector marks those 不适用 itself.
    """
    g = group_of(unit)
    leaf = LEAVES[key]
    if g not in leaf.groups:
        return None
    if leaf.responsible and (
        (unit, key) in EXCLUDED or not assessed(leaf.responsible, unit, g, ALIASES, CLASSES)
    ):
        return None
    if key == "hotline_merge":
        return unit not in NO_HOTLINE
    if key == "proposal_replies":
        return unit not in NO_PROPOSALS
    return True


def quality(unit: str) -> str:
    return "perfect" if unit in ANCHORS else PROFILE[unit]


# ---------------------------------------------------------------- dates


def add_workdays(d: date, n: int) -> date:
    """The n-th working day after ``d`` (``d`` itself not counted)."""
    return CAL.add_workdays(d, n).item()


def random_workday(rng: random.Random, start: date, end: date) -> date:
    while True:
        d = start + timedelta(days=rng.randrange((end - start).days + 1))
        if CAL.is_workday(d):
            return d


QUARTERS = {
    q: (
        date(YEAR, 3 * q - 2, 1),
        date(YEAR, 3 * q + 1, 1) - timedelta(days=1) if q < 4 else date(YEAR, 12, 31),
    )
    for q in (1, 2, 3, 4)
}


def quarter_of(d: date) -> int:
    return (d.month - 1) // 3 + 1


# ---------------------------------------------------------------- generators


REVIEW_DAYS = [date(2018, 12, d) for d in (17, 18, 19, 20, 21, 24, 25, 26)]
#: reviewer cells set by hand so that every indicator has a unit losing points on it
PLANNED_SHEET: dict[tuple[str, str], object] = {
    ("阳谷县", "T15招生结果公开"): 0,
    ("冠县", "T28舆情回应"): "回应不力",
    ("市公安局", "T28舆情回应"): "回应不力",
}


def reviewer_sheet(rng: random.Random, ledger: pd.DataFrame) -> pd.DataFrame:
    """The year-end reviewers' sheet; cells that depend on a dated ledger row follow it.

    (55) 目录要素及动态更新 can only be credited for a catalogue the ledger shows
    compiled by the year end (a catalogue not compiled has neither).
    """
    compiled = set(
        ledger.loc[
            (ledger["任务编号"] == "(55)") & (ledger["完成时间"].astype(str) != ""), "责任单位"
        ]
    )
    rows = []
    for n, unit in enumerate(UNITS):
        p = DEFECT[quality(unit)]
        row = {"单位": unit}
        for key, header, parts in CHECKLISTS:
            a = applies(unit, key)
            if a is None:
                row[header] = ""
            elif a is False:
                row[header] = "不适用"
            elif key == "catalogue" and unit not in compiled:
                row[header] = 0  # no catalogue: none of the parts
            else:
                kept = [x for x in parts if not (rng.random() < p)] or parts[:1]
                row[header] = ";".join(kept)
        for key, header, levels in LEVELS:
            r = rng.random()
            a = applies(unit, key)
            row[header] = (
                "" if a is None else levels[0] if r >= p else levels[1] if r >= p / 3 else levels[2]
            )
        for key, header in BINARIES:
            a = applies(unit, key)
            row[header] = "" if a is None else "不适用" if a is False else int(rng.random() >= p)
        a = applies(unit, "proposal_replies")
        row["T10建议提案复文公开率"] = (
            "不适用" if not a else 1 if rng.random() >= p else round(rng.uniform(0.7, 0.95), 2)
        )
        a = applies(unit, "poverty_notice_short")
        row["T04公示不足10天(处)"] = "不适用" if not a else sum(rng.random() < p for _ in range(3))
        day = REVIEW_DAYS[n % len(REVIEW_DAYS)]
        row["备注"] = (
            f"评审组第{'一二三'[n % 3]}组{day.month}月{day.day}日复核{unit}门户网站、"
            f"政务公开台账及佐证材料{rng.randint(18, 46)}份"
        )
        for (u, header), value in PLANNED_SHEET.items():
            if u == unit:
                row[header] = value
        rows.append(row)
    return pd.DataFrame(rows)


SITE_COLUMNS = [
    "单位",
    "首页可访问率",
    "未更新栏目数",
    "空白栏目数",
    "错链断链数",
    "网站标识",
    "必设栏目设置率",
    "新媒体运维评价",
    "新媒体问题数",
    "单项否决情形",
    "检查发现的问题",
]
STALE = ["通知公告", "政策文件", "人事信息", "规划计划", "统计数据", "财政预决算", "工作动态"]


def site_check(rng: random.Random, when: str, planned: dict[str, dict]) -> pd.DataFrame:
    """One inspection sheet; ``planned`` overrides cells of anchor units."""
    rows = []
    for unit in UNITS:
        p = DEFECT[quality(unit)]
        stale = sum(rng.random() < p for _ in range(4))
        blank = sum(rng.random() < p / 2 for _ in range(2))
        broken = sum(rng.random() < p for _ in range(5))
        issues = sum(rng.random() < p / 2 for _ in range(3))
        badge = "标识;链接;备案" if rng.random() >= p else "标识;备案"
        found = [f"“{c}”栏目超过3个月未更新" for c in rng.sample(STALE, stale)]
        found += [f"空白栏目{blank}个"] if blank else []
        found += [f"错链断链{broken}处"] if broken else []
        found += [f"政务新媒体发现问题{issues}个（长期不更新或发布无关信息）"] if issues else []
        row = {
            "单位": unit,
            "首页可访问率": f"{100 - rng.choice([0, 0, 0.2, 0.4] if p < 0.3 else [0.4, 0.8, 2.5]):.1f}%",
            "未更新栏目数": stale,
            "空白栏目数": blank,
            "错链断链数": broken,
            "网站标识": badge,
            "必设栏目设置率": "100%" if rng.random() >= p else "90%",
            "新媒体运维评价": "好" if rng.random() >= p else "一般",
            "新媒体问题数": issues,
            "单项否决情形": "",
            "检查发现的问题": "；".join(found) or f"{when}检查未发现问题",
        }
        if unit in ANCHORS:
            row.update(
                {
                    "首页可访问率": "100.0%",
                    "未更新栏目数": 0,
                    "空白栏目数": 0,
                    "错链断链数": 0,
                    "网站标识": "标识;链接;备案",
                    "必设栏目设置率": "100%",
                    "新媒体运维评价": "好",
                    "新媒体问题数": 0,
                    "检查发现的问题": f"{when}检查未发现问题",
                }
            )
        row.update(planned.get(unit, {}))
        rows.append(row)
    return pd.DataFrame(rows, columns=SITE_COLUMNS)


def messages(rng: random.Random) -> pd.DataFrame:
    """我为政府网站找错 messages forwarded to the units (limit 2 working days)."""
    rows = []
    n = 0
    for unit in UNITS:
        p = DEFECT[quality(unit)]
        for _ in range(rng.randint(2, 5)):
            got = random_workday(rng, date(YEAR, 1, 3), date(YEAR, 12, 20))
            used = rng.randint(3, 6) if rng.random() < p else rng.randint(1, 2)
            n += 1
            rows.append((unit, f"ZC2018{n:04d}", got, add_workdays(got, used)))
    # planned: 东昌府区's late reply in Q3 (received Fri 2018-09-21; the Mon 24th is 中秋节:
    # 25, 26, 27 → answered Thu 27th = 3 working days, limit 2); and a reply across
    # 国庆 that is on time: received Fri 28th, answered Sun 30th (调休上班) = 2 working days
    rows.append(("东昌府区", "ZC20189001", date(2018, 9, 21), date(2018, 9, 27)))
    rows.append(("临清市", "ZC20189002", date(2018, 9, 28), date(2018, 9, 30)))
    df = pd.DataFrame(rows, columns=["承办单位", "留言编号", "转办时间", "办结时间"])
    return df.sort_values(["转办时间", "留言编号"]).reset_index(drop=True)


def requests(rng: random.Random) -> pd.DataFrame:
    """依申请公开 register (2008 regulation: 15 working days, extended 30)."""
    rows = []
    n = 0
    for unit in UNITS:
        p = DEFECT[quality(unit)]
        k = rng.randint(2, 4) if group_of(unit) != "dept" else rng.randint(0, 3)
        for _ in range(k):
            got = random_workday(rng, date(YEAR, 1, 3), date(YEAR, 10, 31))
            extended = rng.random() < 0.15
            late = rng.random() < p
            used = (
                (rng.randint(16, 22) if not extended else rng.randint(31, 35))
                if late
                else rng.randint(5, 14)
            )
            n += 1
            rows.append(
                (
                    unit,
                    f"YSQ-2018-{n:03d}",
                    got,
                    add_workdays(got, used),
                    "是" if extended else "",
                    "是" if rng.random() < p / 3 else "",
                )
            )
    # planned: a request received before 国庆 and answered within 15 working days (anchor 临清市)
    rows.append(("临清市", "YSQ-2018-900", date(2018, 9, 20), date(2018, 10, 12), "", ""))
    df = pd.DataFrame(
        rows,
        columns=["办理单位", "申请编号", "收到申请日期", "答复日期", "是否延期", "复议诉讼纠错"],
    )
    return df.sort_values(["收到申请日期", "申请编号"]).reset_index(drop=True)


def policies(rng: random.Random) -> pd.DataFrame:
    """Policy documents and their interpretations (三同步: within 3 working days; some late, some never)."""
    rows = []
    n = 0
    # a separate stream decides which interpretations come late, so that adding late ones
    # left every other generated table as it was
    late_rng = random.Random(SEED + 25)
    for unit in UNITS:
        p = DEFECT[quality(unit)]
        prefix = unit.replace("市", "聊") if group_of(unit) == "dept" else unit[:2]
        for _ in range(rng.randint(1, 3)):
            pub = random_workday(rng, date(YEAR, 1, 8), date(YEAR, 12, 10))
            missing = rng.random() < p
            late = not missing and late_rng.random() < p / 2
            n += 1
            topic = rng.choice(["营商环境", "民生保障", "乡村振兴", "新旧动能转换", "安全生产"])
            # the same draws as before late interpretations existed (title, then the days)
            in_time = None if missing else add_workdays(pub, rng.randint(0, 3))
            rows.append(
                (
                    unit,
                    f"{prefix}发〔2018〕{n}号",
                    f"关于进一步做好{topic}工作的意见",
                    pub,
                    ""
                    if missing
                    else add_workdays(pub, late_rng.randint(5, 12))
                    if late
                    else in_time,
                    "是",
                )
            )
    # planned: 市发改委 publishes a policy in Q1 and never its interpretation
    rows.append(
        (
            "市发改委",
            "聊发改发〔2018〕88号",
            "聊城市新旧动能转换重大工程实施规划",
            date(2018, 2, 26),
            "",
            "是",
        )
    )
    df = pd.DataFrame(
        rows, columns=["发文单位", "文号", "标题", "印发日期", "解读发布日期", "需解读"]
    )
    return df.sort_values(["印发日期", "文号"]).reset_index(drop=True)


#: the plan's dated tasks: (任务编号 in the ledger, data key, name, 完成时限 as the plan writes it)
TASKS = [
    ("(12)", "project_plan_deadline", "出台重大建设项目批准和实施领域政府信息公开实施方案", "年内"),
    ("(15)", "enrolment_by_july", "公开义务教育学校招生范围、招生条件、招生程序", "7月底前"),
    ("(42)", "ipv6", "完成门户网站IPv6改造", "年内"),
    ("(51)-1", "pilot_accepted", "完成基层政务公开标准化规范化试点验收", "8月底前"),
    ("(51)-2", "pilot_reported", "向省政府办公厅报送试点成果和总体情况", "9月底前"),
    ("(55)", "catalogue_compiled", "完成主动公开基本目录编制", "今年年底前"),
    ("(58)", "training", "政务公开工作人员轮训一遍", "到年底"),
]
DUE = {
    "年内": date(2018, 12, 31),
    "7月底前": date(2018, 7, 31),
    "8月底前": date(2018, 8, 31),
    "9月底前": date(2018, 9, 30),
    "今年年底前": date(2018, 12, 31),
    "到年底": date(2018, 12, 31),
}
#: planned ledger rows: (unit, 任务编号) → completion date (None: not completed)
PLANNED_TASKS: dict[tuple[str, str], date | None] = {
    ("临清市", "(51)-1"): date(2018, 9, 5),  # 验收 5 days after 8月底前
    ("临清市", "(51)-2"): date(2018, 10, 12),  # 报送 12 days after 9月底前
    ("东昌府区", "(15)"): date(2018, 7, 20),
    ("市发改委", "(12)"): date(2018, 11, 30),
}


def task_ledger(rng: random.Random) -> pd.DataFrame:
    """The office's ledger of the plan's dated tasks: one row per responsible unit and task."""
    rows = []
    for no, key, name, deadline in TASKS:
        due = DUE[deadline]
        for unit in UNITS:
            if applies(unit, key) is not True:
                continue
            p = DEFECT[quality(unit)]
            if (unit, no) in PLANNED_TASKS:
                done = PLANNED_TASKS[(unit, no)]
            elif rng.random() < p:
                late = due + timedelta(days=rng.randint(6, 45))
                done = late if late.year == YEAR else None  # still open at the year-end check
            else:
                done = due - timedelta(days=rng.randint(2, 80))
            rows.append((unit, no, name, deadline, done or ""))
    return pd.DataFrame(rows, columns=["责任单位", "任务编号", "任务名称", "完成时限", "完成时间"])


#: periodic publications: data key → (period, title)
SERIES = {
    "epidemic_monthly": ("month", "法定传染病疫情概况"),
    "air_quality_monthly": ("month", "全市环境空气质量状况及县(市、区)排名"),
    "water_source_quarterly": ("quarter", "集中式生活饮用水水源水质监测信息"),
    "housing_fund_quarterly": ("quarter", "住房公积金缴存、提取、贷款及风险状况"),
    "soe_monthly": ("month", "所管企业主要经济效益指标"),
}
#: planned gaps in a series: (unit, key) → months (or quarters) not published
PLANNED_GAPS: dict[tuple[str, str], list[int]] = {
    ("市环保局", "air_quality_monthly"): [8],
    ("市住建局", "housing_fund_quarterly"): [2, 3],
}


def publications(rng: random.Random) -> pd.DataFrame:
    """Dated publication log of the monthly / quarterly series (定期发布记录)."""
    rows = []
    for key, (period, title) in SERIES.items():
        for unit in UNITS:
            if applies(unit, key) is not True:
                continue
            p = DEFECT[quality(unit)]
            n = 12 if period == "month" else 4
            gaps = PLANNED_GAPS.get(
                (unit, key), [k for k in range(1, n + 1) if rng.random() < p / 2]
            )
            for k in range(1, n + 1):
                if k in gaps:
                    continue
                if period == "month":  # a month's figures are published in that month
                    d = date(YEAR, k, rng.randint(20, 28))
                    what = f"{YEAR}年{k}月{title}"
                else:
                    d = date(YEAR, 3 * k, rng.randint(20, 28))
                    what = f"{YEAR}年第{'一二三四'[k - 1]}季度{title}"
                rows.append((unit, key, d, what))
    df = pd.DataFrame(rows, columns=["单位", "指标", "发布日期", "信息标题"])
    return df.sort_values(["发布日期", "单位", "指标"]).reset_index(drop=True)


def performance_shares(rng: random.Random) -> pd.DataFrame:
    """Share of 政务公开 in each county's / zone's own performance scheme (4 % floor)."""
    rows = []
    for unit in COUNTIES + ZONES:
        share = {"perfect": 5, "good": rng.choice([4, 5, 6]), "average": rng.choice([3, 4, 5])}.get(
            quality(unit), 3
        )
        if unit == "高唐县":
            share = 3  # planned: below the 4 % floor
        rows.append(
            (
                unit,
                share / 100,
                f"《{unit}2018年度经济社会发展综合考核办法》政务公开{share}分（满分100分）",
            )
        )
    return pd.DataFrame(rows, columns=["单位", "占比", "依据"])


def meetings(rng: random.Random) -> pd.DataFrame:
    """Executive / office meetings with invited attendees (列席)."""
    rows = []
    for unit in UNITS:
        q = quality(unit)
        k = {
            "perfect": 2,
            "good": rng.randint(2, 3),
            "average": rng.randint(1, 2),
            "poor": rng.randint(0, 1),
        }[q]
        kind = "政府常务会议" if group_of(unit) != "dept" else "局长办公会议"
        for _ in range(k):
            d = random_workday(rng, date(YEAR, 2, 1), date(YEAR, 12, 20))
            rows.append(
                (
                    unit,
                    d,
                    f"{d.month}月{kind}",
                    rng.choice(["人大代表、政协委员", "市民代表、专家", "媒体记者、利益相关方"]),
                )
            )
        rows.append(
            (
                unit,
                random_workday(rng, date(YEAR, 2, 1), date(YEAR, 12, 20)),
                f"{kind}（内部）",
                "无",
            )
        )
    df = pd.DataFrame(rows, columns=["单位", "会议日期", "会议名称", "列席人员"])
    return df.sort_values(["会议日期", "单位"]).reset_index(drop=True)


def interviews(rng: random.Random) -> pd.DataFrame:
    """主要负责同志 as 第一解读人: one row per unit, number of interviews / press conferences and their links."""
    rows = []
    for unit in UNITS:
        q = quality(unit)
        k = {"perfect": 1, "good": rng.randint(1, 2), "average": rng.randint(0, 1), "poor": 0}[q]
        acts = []
        for _ in range(k):
            d = random_workday(rng, date(YEAR, 3, 1), date(YEAR, 12, 15))
            acts.append(
                f"{d.month}月{d.day}日{rng.choice(['在线访谈', '新闻发布会'])}（中国聊城门户网站“在线访谈”栏目）"
            )
        rows.append((unit, k, "；".join(acts) or "年内未以在线访谈、新闻发布会等方式解读重大政策"))
    return pd.DataFrame(rows, columns=["单位", "次数", "活动及链接"])


def recalls() -> pd.DataFrame:
    """召回决定 and their publication on the website (24 hours)."""
    return pd.DataFrame(
        [
            (
                "市食药监局",
                "聊食药监召〔2018〕1号",
                "某品牌婴幼儿米粉召回",
                "2018-03-12 10:00",
                "2018-03-12 16:30",
            ),
            (
                "市食药监局",
                "聊食药监召〔2018〕2号",
                "某批次维生素C片召回",
                "2018-06-15 15:00",
                "2018-06-16 21:00",
            ),
            (
                "市食药监局",
                "聊食药监召〔2018〕3号",
                "某品牌速冻水饺召回",
                "2018-11-02 09:00",
                "2018-11-02 17:40",
            ),
            (
                "莘县",
                "莘食药监召〔2018〕1号",
                "某批次食用植物油召回",
                "2018-05-08 11:00",
                "2018-05-09 09:00",
            ),
            (
                "冠县",
                "冠食药监召〔2018〕1号",
                "某批次白酒召回",
                "2018-08-20 16:00",
                "2018-08-22 10:00",
            ),
        ],
        columns=["单位", "编号", "事项", "决定时间", "公开时间"],
    )


def guide_changes(rng: random.Random) -> pd.DataFrame:
    """办事条件变更: approval date and publication date (1 working day)."""
    rows = []
    n = 0
    for unit in UNITS:
        p = DEFECT[quality(unit)]
        for _ in range(rng.randint(0, 2)):
            ok = random_workday(rng, date(YEAR, 1, 8), date(YEAR, 12, 14))
            used = rng.randint(2, 4) if rng.random() < p else rng.randint(0, 1)
            n += 1
            rows.append(
                (
                    unit,
                    f"BG2018{n:03d}",
                    "办事指南申请材料调整",
                    ok,
                    add_workdays(ok, used) if used else ok,
                )
            )
    df = pd.DataFrame(rows, columns=["单位", "编号", "事项", "决定时间", "公开时间"])
    return df.sort_values(["决定时间", "编号"]).reset_index(drop=True)


def extras() -> pd.DataFrame:
    """Bonus, major deduction and not-applicable rows (通用表格)."""
    rows = [
        (
            "东昌府区",
            "commendation",
            1,
            "",
            "",
            "省政府办公厅《关于2018年上半年全省政务公开工作的通报》点名表扬",
        ),
        (
            "东昌府区",
            "commendation",
            1,
            "",
            "",
            "基层政务公开标准化规范化经验做法被市政府办公室推广（聊政办字〔2018〕45号）",
        ),
        ("茌平县", "commendation", 1, "", "", "市政府办公室通报表扬（聊政办字〔2018〕60号）"),
        ("市民政局", "commendation", 1, "", "", "低保信息公示做法被省民政厅推广"),
        (
            "市国土局",
            "serious_error",
            1,
            "",
            "",
            "2018年7月在门户网站公开的不动产登记结果中泄露公民身份证号码，造成不良影响",
        ),
    ]
    return pd.DataFrame(rows, columns=["单位", "指标", "数值", "文本", "状态", "佐证"])


# ---------------------------------------------------------------- writing


def write(df: pd.DataFrame, name: str) -> None:
    path = DATA / name
    path.parent.mkdir(parents=True, exist_ok=True)
    out = df.copy()
    for col in out.columns:
        out[col] = [v.isoformat() if isinstance(v, date | datetime) else v for v in out[col]]
    out.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


def main() -> None:
    rng = random.Random(SEED)
    ledger = task_ledger(rng)
    write(ledger, "职责清单任务台账.csv")
    write(reviewer_sheet(rng, ledger), "年终评审打分表.csv")
    write(publications(rng), "定期发布记录.csv")
    write(performance_shares(rng), "绩效考核分值.csv")
    veto = {
        "首页可访问率": "93.5%",
        "单项否决情形": "首页自2018年11月12日起连续7天无法访问",
        "检查发现的问题": "首页自2018年11月12日起连续7天无法访问（监测可访问率93.5%）",
    }
    write(site_check(rng, "年终", {"江北水城旅游度假区": veto}), "网站检查_年终.csv")
    planned = {
        2: {"东昌府区": {"未更新栏目数": 1, "检查发现的问题": "“政策解读”栏目超过3个月未更新"}},
        3: {
            "江北水城旅游度假区": {
                "空白栏目数": 5,
                "单项否决情形": "空白栏目5个",
                "检查发现的问题": "“规划计划”等5个栏目为空白栏目",
            }
        },
    }
    for q in (1, 2, 3, 4):
        write(site_check(rng, f"第{q}季度", planned.get(q, {})), f"q{q}/网站检查.csv")
    msgs = messages(rng)
    write(msgs, "网站找错留言.csv")
    pol = policies(rng)
    write(pol, "政策文件及解读.csv")
    write(requests(rng), "依申请公开登记.csv")
    write(meetings(rng), "会议列席记录.csv")
    write(interviews(rng), "主要负责同志解读情况.csv")
    write(recalls(), "召回决定公开登记.csv")
    write(guide_changes(rng), "办事指南变更公开登记.csv")
    write(extras(), "加减分及不适用.csv")


if __name__ == "__main__":
    main()
