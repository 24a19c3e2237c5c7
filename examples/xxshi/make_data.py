"""Write the SYNTHETIC data of the xx市 2022 example (本示例数据为合成数据，仅用于演示).

Run from anywhere: ``python examples/xxshi/make_data.py``.  Output is
deterministic (seeded); the files in ``data/`` are committed and are what the
example and ``tests/test_example_xxshi.py`` read.  The website-inspection
crawl is made separately by ``make_crawl.py``.

Five units have hand-set profiles whose totals the tests compute by hand:
张北县 (bonus; National-Day interpretation and filings on time), 市财政局
(four 不适用 items → 折算; an interpretation late across National Day),
塞北管理区 (no hotline messages → 不适用; blank site columns), 下花园区
(website veto, from the crawl) and 蔚县 (通报批评, major deduction).  The
others get a seeded random profile of their tier (good / average / poor).

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
SEED = 2022
YEAR = 2022

#: The mainland working-day calendar (法定节假日 and 调休上班日) of chinesecalendar.
CAL = WorkCalendar.china()

UNITS = pd.read_csv(HERE / "units.csv", dtype=str)
GROUP = dict(zip(UNITS["unit"], UNITS["group"], strict=True))
LOCAL = [u for u, g in GROUP.items() if g != "dept"]  # 各县(区)政府 incl. 管理区, 经开区
DEPTS = [u for u, g in GROUP.items() if g == "dept"]

TIERS = {  # units without a hand-set profile
    "康保县": "poor",
    "沽源县": "avg",
    "尚义县": "poor",
    "阳原县": "poor",
    "怀安县": "avg",
    "怀来县": "good",
    "涿鹿县": "avg",
    "赤城县": "poor",
    "万全区": "avg",
    "崇礼区": "good",
    "桥东区": "good",
    "桥西区": "avg",
    "宣化区": "avg",
    "下花园区": "avg",
    "蔚县": "avg",
    "察北管理区": "avg",
    "张家口经济开发区": "good",
    "市卫生健康委员会": "avg",
    "市生态环境局": "avg",
    "市行政审批局": "good",
    "市农业农村局": "poor",
    "市教育体育局": "avg",
}
HAND = (
    "张北县",
    "市财政局",
    "塞北管理区",
)  # fully hand-set (下花园区, 蔚县: tier + hand-set extras)

PREFIX = {  # 发文字号 prefixes
    "张北县": "张政发",
    "康保县": "康政发",
    "沽源县": "沽政发",
    "尚义县": "尚政发",
    "蔚县": "蔚政发",
    "阳原县": "阳政发",
    "怀安县": "怀政发",
    "怀来县": "怀来政发",
    "涿鹿县": "涿政发",
    "赤城县": "赤政发",
    "万全区": "万政发",
    "崇礼区": "崇政发",
    "桥东区": "东政发",
    "桥西区": "西政发",
    "宣化区": "宣政发",
    "下花园区": "下政发",
    "察北管理区": "察管发",
    "塞北管理区": "塞管发",
    "张家口经济开发区": "开管发",
    "市财政局": "财发",
    "市卫生健康委员会": "卫健发",
    "市生态环境局": "环发",
    "市行政审批局": "审批发",
    "市农业农村局": "农发",
    "市教育体育局": "教体发",
}

# ------------------------------------------------------------------ score sheet

#: data key → (表头, checklist part ids | None for binary / levels)
SHEET = {
    "finance_info": ("财政资金信息", "budget;debt;tax;subsidy"),
    "health_info": ("卫生健康信息", "epidemic;privacy;science"),
    "eco_info": ("生态环境信息", "quality;supervision;lowcarbon"),
    "project_info": ("重大建设项目信息", "approval;process;channels"),
    "olympic_info": ("后奥运经济信息", None),
    "rural_info": ("乡村振兴信息", "assist;construction"),
    "utility_info": ("公共企事业单位信息", "guide;fields"),
    "normative_docs": ("规章规范性文件", "full;validity;cleanup"),
    "info_mgmt": ("信息管理制度", "source;review"),
    "guide_update": ("公开指南5月底前更新", None),
    "grassroots_std": ("基层标准目录", "update;extend"),
    "subsidy_village": ("惠农补贴以村公开", None),
    "power_list": ("权力配置和办事服务", "power;lists;guide"),
    "decision_catalog": ("重大决策公开和参与", "catalog;participation"),
    "enforce_info": ("行政执法信息", "basic;result"),
    "interp_forms": ("解读质量和形式", "content;forms;followup"),
    "consult_service": ("政策咨询服务", "window;targeted"),
    "proposal_reply": ("建议提案办理公开", None),
    "newmedia_a11y": ("新媒体适老化无障碍", None),
    "public_zone": ("政务公开专区", "built;functions"),
    "sync_deploy": ("同步部署同步推进", None),
}
BINARY = ("guide_update", "subsidy_village", "proposal_reply", "newmedia_a11y", "sync_deploy")
COUNTY_ONLY = ("grassroots_std", "subsidy_village")  # D2.4: county/mgmt/zone groups only
NA = "不适用"

#: Departments for which a field-specific item applies (others: 不适用).
DEPT_APPLIES = {
    "health_info": {"市卫生健康委员会"},
    "eco_info": {"市生态环境局", "市农业农村局"},
    "rural_info": {"市农业农村局", "市财政局"},
    "utility_info": {"市卫生健康委员会", "市生态环境局", "市教育体育局"},  # the leads of item (七)
    "project_info": {"市财政局", "市生态环境局", "市行政审批局", "市农业农村局", "市教育体育局"},
    "enforce_info": {
        "市财政局",
        "市卫生健康委员会",
        "市生态环境局",
        "市农业农村局",
        "市教育体育局",
    },
    "public_zone": {"市行政审批局"},  # the only department with a 办事大厅
}

DROP = {"good": 0.04, "avg": 0.18, "poor": 0.38}  # chance a checklist part is not done
YES = {"good": 0.96, "avg": 0.8, "poor": 0.55}  # chance a binary item is met
LEVELS = {"good": (0.8, 0.2), "avg": (0.35, 0.5), "poor": (0.1, 0.5)}  # P(好), P(一般); rest 差

HAND_SHEET = {
    # 张北县: everything done except 延伸/补充解读 (interp_forms followup).
    "张北县": {"interp_forms": "content;forms"},
    # 市财政局: 4 items 不适用; project_info without channels; olympic 一般.
    "市财政局": {"project_info": "approval;process", "olympic_info": "一般"},
    # 塞北管理区: everything done.
    "塞北管理区": {},
}


def sheet_row(unit: str, rng: random.Random) -> dict[str, str]:
    """One row of the reviewer's score sheet (评审打分表)."""
    row = {"单位": unit}
    tier = TIERS.get(unit)
    for key, (header, parts) in SHEET.items():
        if key in COUNTY_ONLY and unit in DEPTS:
            row[header] = ""  # the group is not assessed on it (blank cell, no row)
            continue
        if unit in DEPTS and key in DEPT_APPLIES and unit not in DEPT_APPLIES[key]:
            row[header] = NA
            continue
        if key == "proposal_reply" and unit == "张家口经济开发区":
            row[header] = NA  # 本年度无建议提案承办任务
            continue
        if unit in HAND:
            full = "好" if key == "olympic_info" else ("1" if key in BINARY else parts)
            row[header] = HAND_SHEET[unit].get(key, full)
            continue
        if key == "olympic_info":
            good, fair = LEVELS[tier]
            x = rng.random()
            row[header] = "好" if x < good else "一般" if x < good + fair else "差"
        elif key in BINARY:
            ok = rng.random() < YES[tier]
            row[header] = "1" if ok else "0"
        else:
            kept = [p for p in parts.split(";") if rng.random() >= DROP[tier]]
            row[header] = ";".join(kept) if kept else "0"
    return row


# ------------------------------------------------------------------ calendar helpers


def add_workdays(d: date, n: int) -> date:
    """The n-th working day after ``d`` (``d`` itself not counted)."""
    return CAL.add_workdays(d, n).item()


def random_workday(rng: random.Random, start: date, end: date) -> date:
    """A random working day in [start, end]."""
    while True:
        d = start + timedelta(days=rng.randrange((end - start).days + 1))
        if CAL.is_workday(d):
            return d


# ------------------------------------------------------------------ registers


def hotline(rng: random.Random) -> pd.DataFrame:
    """12345 热线、市长信箱交办诉求导出 (reply rate)."""
    rows = []
    fixed = {  # unit → (messages, unanswered)
        "张北县": (6, 0),
        "市财政局": (4, 1),
        "塞北管理区": (0, 0),
    }
    unanswered = {"good": (0, 0), "avg": (0, 1), "poor": (1, 3)}
    n = 0
    for unit in GROUP:
        total, open_ = fixed.get(unit) or (rng.randint(4, 9), rng.randint(*unanswered[TIERS[unit]]))
        for k in range(total):
            n += 1
            received = random_workday(rng, date(YEAR, 1, 4), date(YEAR, 12, 20))
            replied = "" if k < open_ else add_workdays(received, rng.randint(1, 5)).isoformat()
            rows.append(
                {
                    "诉求编号": f"ZJK12345-2022-{n:04d}",
                    "承办单位": unit,
                    "交办时间": f"{received.isoformat()} {rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}",
                    "答复时间": replied,
                    "诉求类别": rng.choice(["咨询", "求助", "投诉", "建议"]),
                }
            )
    return pd.DataFrame(rows)


def requests(rng: random.Random) -> pd.DataFrame:
    """依申请公开登记台账 (20 working days, 40 when extended; 复议诉讼纠错)."""
    rows = []
    fixed = {
        # 张北县: two on time; one received 09-26 and answered 10-20 (15 working days).
        "张北县": [(date(2022, 3, 14), 12, False, False), (date(2022, 9, 26), 15, False, False)],
        # 市财政局: one answered in 22 working days, not extended → late (−1).
        "市财政局": [(date(2022, 6, 1), 18, False, False), (date(2022, 9, 20), 22, False, False)],
        "塞北管理区": [(date(2022, 8, 8), 10, False, False)],
    }
    n = 0
    for unit in GROUP:
        items = fixed.get(unit)
        if items is None:
            tier = TIERS[unit]
            items = []
            for _ in range(rng.randint(0, 4)):
                extended = rng.random() < 0.1
                late = rng.random() < {"good": 0.0, "avg": 0.12, "poor": 0.3}[tier]
                days = (
                    rng.randint(41, 45)
                    if extended and late
                    else rng.randint(21, 26)
                    if late
                    else rng.randint(25, 38)
                    if extended
                    else rng.randint(5, 20)
                )
                corrected = rng.random() < {"good": 0.0, "avg": 0.05, "poor": 0.2}[tier]
                items.append(
                    (
                        random_workday(rng, date(YEAR, 1, 4), date(YEAR, 10, 31)),
                        days,
                        extended,
                        corrected,
                    )
                )
        for received, days, extended, corrected in items:
            n += 1
            rows.append(
                {
                    "申请编号": f"YSQ-2022-{n:03d}",
                    "办理单位": unit,
                    "申请人类型": rng.choice(["公民", "法人"]),
                    "收到申请日期": received.isoformat(),
                    "答复日期": add_workdays(received, days).isoformat(),
                    "是否延期": "是" if extended else "否",
                    "复议诉讼纠错": "是" if corrected else "否",
                }
            )
    return pd.DataFrame(rows)


def policies(rng: random.Random) -> pd.DataFrame:
    """重大政策文件及解读发布登记 (三同步: interpretation within 3 working days)."""
    rows = []
    fixed = {
        # 张北县: 09-29 (Thu) → 10-09 (Sun, make-up day): 09-30, 10-08, 10-09 = 3 working days, on time.
        "张北县": [
            (date(2022, 3, 10), date(2022, 3, 11), "关于进一步优化营商环境的若干措施"),
            (date(2022, 9, 29), date(2022, 10, 9), "张北县后奥运经济发展三年行动方案"),
            (date(2022, 11, 15), date(2022, 11, 16), "张北县冬季清洁取暖工作实施方案"),
        ],
        # 市财政局: 09-28 (Wed) → 10-09: 09-29, 09-30, 10-08, 10-09 = 4 working days, late (−1).
        "市财政局": [
            (date(2022, 5, 16), date(2022, 5, 18), "关于落实组合式税费支持政策的通知"),
            (date(2022, 9, 28), date(2022, 10, 9), "关于进一步加强惠民惠农财政补贴资金管理的通知"),
        ],
        "塞北管理区": [(date(2022, 6, 20), date(2022, 6, 21), "塞北管理区奶业振兴实施方案")],
    }
    topics = [
        "稳经济一揽子政策措施实施方案",
        "冰雪产业高质量发展若干措施",
        "农村人居环境整治提升方案",
        "支持中小微企业纾困发展措施",
        "城镇老旧小区改造实施方案",
        "就业创业扶持办法",
        "京张体育文化旅游带建设方案",
        "医疗卫生服务能力提升方案",
        "生态环境保护工作要点",
    ]
    for unit in GROUP:
        items = fixed.get(unit)
        if items is None:
            tier = TIERS[unit]
            items = []
            for k in range(rng.randint(1, 4)):
                published = random_workday(rng, date(YEAR, 1, 10), date(YEAR, 12, 9))
                if k == 0 and rng.random() < 0.5:  # right before the National Day holiday
                    published = date(YEAR, 9, rng.choice((28, 29, 30)))
                delay = (
                    rng.choice([0, 1, 2, 3, 3])
                    if rng.random() >= {"good": 0.0, "avg": 0.2, "poor": 0.45}[tier]
                    else rng.randint(4, 9)
                )
                interpreted = "" if delay > 8 else add_workdays(published, delay).isoformat()
                items.append((published, interpreted, rng.choice(topics)))
        for i, (published, interpreted, title) in enumerate(items, 1):
            if isinstance(interpreted, date):
                interpreted = interpreted.isoformat()
            rows.append(
                {
                    "发文单位": unit,
                    "文号": f"{PREFIX[unit]}〔2022〕{10 * i + len(rows) % 7}号",
                    "文件标题": title if unit in DEPTS or unit in fixed else f"{unit}{title}",
                    "印发日期": published.isoformat(),
                    "解读发布日期": interpreted,
                }
            )
    return pd.DataFrame(rows)


def filings(rng: random.Random) -> pd.DataFrame:
    """政务新媒体账号开设、变更、关停、注销备案登记 (5 working days)."""
    rows = []
    fixed = {
        # 张北县: 04-29 (Fri) → 05-07 (Sat, make-up): 05-05, 05-06, 05-07 = 3 working days;
        # 09-30 (Fri) → 10-10: 10-08, 10-09, 10-10 = 3 working days.  Both on time.
        "张北县": [
            ("张北发布", "微信公众号", "注销", date(2022, 4, 29), date(2022, 5, 7)),
            ("张北融媒", "抖音", "开设", date(2022, 9, 30), date(2022, 10, 10)),
        ],
        "市财政局": [("张家口财政", "微信公众号", "变更", date(2022, 7, 11), date(2022, 7, 15))],
        "塞北管理区": [("塞北发布", "微博", "关停", date(2022, 3, 21), date(2022, 3, 25))],
    }
    platforms = ["微信公众号", "微博", "抖音", "今日头条", "快手"]
    for unit in GROUP:
        items = fixed.get(unit)
        if items is None:
            tier = TIERS[unit]
            items = []
            for k in range(rng.randint(1, 3)):
                event = rng.choice(["开设", "开设", "变更", "关停", "注销"])
                happened = random_workday(rng, date(YEAR, 1, 10), date(YEAR, 12, 9))
                if k == 0 and rng.random() < 0.4:  # opened or closed right before National Day
                    happened = date(YEAR, 9, rng.choice((23, 26, 28, 30)))
                late = rng.random() < {"good": 0.0, "avg": 0.2, "poor": 0.5}[tier]
                days = rng.randint(6, 12) if late else rng.randint(1, 5)
                filed = None if late and rng.random() < 0.2 else add_workdays(happened, days)
                name = f"{unit.removeprefix('市').removesuffix('管理区')}{rng.choice(['发布', '融媒', '政务', '在线'])}"
                items.append((name, rng.choice(platforms), event, happened, filed))
        for name, platform, event, happened, filed in items:
            rows.append(
                {
                    "主办单位": unit,
                    "账号名称": name,
                    "平台": platform,
                    "变更事项": event,
                    "事项日期": happened.isoformat(),
                    "备案日期": filed.isoformat() if filed else "",
                }
            )
    # the same account name may recur on another platform; (unit, account, event, date) stays unique
    return pd.DataFrame(rows)


def spot_checks(rng: random.Random) -> pd.DataFrame:
    """政务新媒体月度抽查记录 (12 months a year)."""
    rows = []
    fixed = {
        "张北县": range(1, 13),
        "市财政局": [1, 2, 3, 4, 5, 6, 7, 9, 11, 12],
        "塞北管理区": range(1, 13),
    }
    months_done = {"good": (11, 12), "avg": (8, 12), "poor": (4, 9)}
    for unit in GROUP:
        months = fixed.get(unit)
        if months is None:
            months = sorted(rng.sample(range(1, 13), rng.randint(*months_done[TIERS[unit]])))
        for m in months:
            for extra in range(
                2 if m == 6 and unit == "张北县" else 1
            ):  # two checks in June count once
                day = random_workday(rng, date(YEAR, m, 1), date(YEAR, m, 25))
                rows.append(
                    {
                        "组织单位": unit,
                        "抽查日期": day.isoformat(),
                        "通报文号": f"{PREFIX[unit]}新媒抽〔2022〕{m}{extra or ''}号",
                        "抽查账号数": rng.randint(3, 15),
                    }
                )
    return pd.DataFrame(rows)


#: (task id, name, deadline as printed, applies to)
TASKS = (
    ("(十)", "更新完善政府信息公开指南", "5月底前", "all"),
    ("(二十)", "建成政务公开专区", "2022年9月底前", "zone"),
    ("(十八)", "调整优化政府信息公开专栏", "2022年10月底前", "all"),
    ("(十一)", "以村为单位公开惠民惠农补贴发放结果", "年底前", "local"),
    ("(十三)", "公开年度重大行政决策事项目录", "2022年底前", "all"),
    ("(十五)", "重大政策文件同步解读", "持续推进", "all"),
)


def tasks(rng: random.Random, sheet: pd.DataFrame) -> pd.DataFrame:
    """2022年政务公开工作要点任务台账 (completion dates against 责任时限)."""
    deadline = {
        "5月底前": date(YEAR, 5, 31),
        "2022年9月底前": date(YEAR, 9, 30),
        "2022年10月底前": date(YEAR, 10, 31),
        "年底前": date(YEAR, 12, 31),
        "2022年底前": date(YEAR, 12, 31),
    }
    guide_ok = dict(zip(sheet["单位"], sheet["公开指南5月底前更新"], strict=True))
    village_ok = dict(zip(sheet["单位"], sheet["惠农补贴以村公开"], strict=True))
    # 市财政局: the 专栏 was adjusted on 11-04, after the 10月底 deadline (−0.5).
    late_fixed = {("市财政局", "(十八)"): date(YEAR, 11, 4)}
    rows = []
    for unit in GROUP:
        tier = TIERS.get(unit, "good")
        for tid, name, printed, scope in TASKS:
            if scope == "local" and unit in DEPTS:
                continue
            if scope == "zone" and unit in DEPTS and unit not in DEPT_APPLIES["public_zone"]:
                continue
            if printed == "持续推进":
                done = ""
            elif tid == "(十)":  # consistent with the reviewer's 公开指南 item
                on_time = guide_ok[unit] == "1"
                done = (
                    date(YEAR, 5, rng.randint(10, 31))
                    if on_time
                    else date(YEAR, 6, rng.randint(6, 28))
                ).isoformat()
            elif tid == "(十一)":  # the reviewer's finding on the village notices, dated
                on_time = village_ok[unit] == "1"
                done = (
                    date(YEAR, rng.randint(9, 12), rng.randint(1, 28)).isoformat()
                    if on_time
                    else ""
                )
            elif (unit, tid) in late_fixed:
                done = late_fixed[unit, tid].isoformat()
            elif unit in HAND or rng.random() >= {"good": 0.03, "avg": 0.12, "poor": 0.3}[tier]:
                done = (deadline[printed] - timedelta(days=rng.randint(2, 40))).isoformat()
            else:
                overdue = deadline[printed] + timedelta(days=rng.randint(3, 30))
                done = overdue.isoformat() if overdue.year == YEAR and rng.random() < 0.7 else ""
            rows.append(
                {
                    "任务编号": tid,
                    "任务名称": name,
                    "责任单位": unit,
                    "责任时限": printed,
                    "完成时间": done,
                    "备注": "常态化推进" if printed == "持续推进" else "",
                }
            )
    return pd.DataFrame(rows)


def special() -> pd.DataFrame:
    """加分、重大扣分、舆情和整改问题登记 (generic table, evidence required for bonus)."""
    rows = [
        (
            "张北县",
            "innovation",
            1,
            "基层行政决策公众参与省级试点经验被省政府办公厅推广",
            "冀政办函〔2022〕××号",
        ),
        (
            "张北县",
            "innovation",
            1,
            "政务公开专区建设做法入选全省典型案例",
            "省政务公开办通报〔2022〕××号",
        ),
        (
            "崇礼区",
            "innovation",
            1,
            "冬奥场馆赛后利用信息公开做法获省级通报表扬",
            "省政务公开办通报〔2022〕××号",
        ),
        (
            "市行政审批局",
            "innovation",
            1,
            "“一件事一次办”政策咨询专窗被省级推广",
            "冀审批函〔2022〕××号",
        ),
        (
            "蔚县",
            "criticism",
            1,
            "政务新媒体“指尖上的形式主义”问题被省级通报批评",
            "冀政办通报〔2022〕××号",
        ),
        ("尚义县", "opinion_late", 1, "网传供暖停供事件未及时回应", "市舆情专报第12期"),
        ("尚义县", "opinion_late", 1, "疫情防控信息发布口径不一未及时澄清", "市舆情专报第31期"),
        ("阳原县", "opinion_late", 1, "征地补偿舆情未及时发现处置", "市舆情专报第27期"),
        ("市农业农村局", "opinion_late", 1, "惠农补贴发放舆情回应滞后", "市舆情专报第19期"),
        (
            "康保县",
            "rectify_open",
            1,
            "二季度检查通报的政策解读栏目问题未整改",
            "2022年第二季度政务公开检查通报",
        ),
        (
            "康保县",
            "rectify_open",
            1,
            "三季度检查通报的依申请公开答复文书不规范问题未整改",
            "2022年第三季度政务公开检查通报",
        ),
        (
            "赤城县",
            "rectify_open",
            1,
            "三季度检查通报的空白栏目问题未整改",
            "2022年第三季度政务公开检查通报",
        ),
        (
            "市农业农村局",
            "rectify_open",
            1,
            "二季度检查通报的新媒体更新不及时问题未整改",
            "2022年第二季度政务公开检查通报",
        ),
    ]
    return pd.DataFrame(
        [
            {"单位": u, "指标": k, "数值": v, "状态": "", "佐证": e, "来源文件": s}
            for u, k, v, e, s in rows
        ]
    )


def main() -> None:
    """Write every data file."""
    rng = random.Random(SEED)
    DATA.mkdir(exist_ok=True)
    sheet = pd.DataFrame([sheet_row(u, rng) for u in GROUP])
    files = {
        "评审打分表.csv": sheet,
        "热线诉求办理.csv": hotline(rng),
        "依申请公开登记台账.csv": requests(rng),
        "政策文件及解读.csv": policies(rng),
        "新媒体账号备案登记.csv": filings(rng),
        "新媒体抽查记录.csv": spot_checks(rng),
        "工作要点任务台账.csv": tasks(rng, sheet),
        "加分扣分事项.csv": special(),
    }
    # the 专区 is built per the ledger (D5.3.1); the reviewer judges its functions only
    sheet["政务公开专区"] = [
        c if c == NA else ("functions" if "functions" in str(c).split(";") else "0")
        for c in sheet["政务公开专区"]
    ]
    # 指南 and 以村公开 are dated in the ledger (xxshi_ledger feeds D2.3.1 and D2.4.2)
    files["评审打分表.csv"] = sheet.drop(columns=["公开指南5月底前更新", "惠农补贴以村公开"])
    for name, frame in files.items():
        frame.to_csv(DATA / name, index=False, encoding="utf-8")
        print(f"{name}: {len(frame)} 行")


if __name__ == "__main__":
    main()
