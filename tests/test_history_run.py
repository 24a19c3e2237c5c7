"""A run with history in the ledger: the notice, the workbook and the site show the trend.

The 郯城 example (2023) is run with a ledger that already holds three annual
results (2020 and 2021 scored with rubric tancheng-2021, 2022 with
tancheng-2022: a rubric change, no indicator declared comparable) and a
quarterly inspection 2022Q4 of another assessment, on SQLite and on a
PostgreSQL server started on 127.0.0.1.  Every expectation below is worked
out by hand from the ranks written here and the example's 2023 result:

乡镇街道 2023 (rank total grade): 郯城街道 1 100.35 优秀, 李庄镇 2 98.68, 红花镇 3 97.58,
马头镇 4 97.47, 归昌乡 5 94.96, 泉源镇 6 83.96, 花园镇 7 83.85, 胜利镇 8 83.08,
高峰头镇 9 80.26, 重坊镇 10 79.82, 杨集镇 11 78.57 合格, 庙山镇 12 59.00 不合格（单项否决）,
港上镇 13 46.98 不合格 (:data:`TOWN_2023`, checked first: when the example changes, so must this).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from browser import chromium, require_browser
from pgserver import fresh_database, pg_server  # noqa: F401 - the fixture

from zwgk_score.ledger import open_ledger
from zwgk_score.loop.history import compare_indicators, unit_series
from zwgk_score.outputs.site.model import UNIT_DIR
from zwgk_score.run import run_assessment

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "tancheng"

#: the example's 2023 ranking of 乡镇街道 the expectations below are worked out from
TOWN_2023 = {
    "郯城街道": (1, 100.35),
    "李庄镇": (2, 98.68),
    "红花镇": (3, 97.58),
    "马头镇": (4, 97.47),
    "归昌乡": (5, 94.96),
    "泉源镇": (6, 83.96),
    "花园镇": (7, 83.85),
    "胜利镇": (8, 83.08),
    "高峰头镇": (9, 80.26),
    "重坊镇": (10, 79.82),
    "杨集镇": (11, 78.57),
    "庙山镇": (12, 59.0),
    "港上镇": (13, 46.98),
}
#: 2022 (rubric tancheng-2022), 乡镇街道: unit → (rank, total, grade)
TOWN_2022 = {
    "马头镇": (1, 99.0, "优秀"),  # → 4: 下降3位
    "红花镇": (2, 97.0, "优秀"),  # → 3: 下降1位
    "花园镇": (3, 93.0, "优秀"),  # → 7: 下降4位
    "泉源镇": (4, 91.0, "优秀"),  # → 6: 下降2位
    "胜利镇": (5, 90.5, "优秀"),  # → 8: 下降3位
    "李庄镇": (6, 90.0, "优秀"),  # → 2: 提升4位, 98.68 − 90.00 = 8.68
    "高峰头镇": (7, 88.0, "良好"),  # → 9: 下降2位
    "归昌乡": (8, 85.0, "良好"),  # → 5: 提升3位, 94.96 − 85.00 = 9.96
    "杨集镇": (9, 80.0, "良好"),  # → 11: 下降2位
    "港上镇": (10, 55.0, "不合格"),  # → 13 不合格: 下降3位, 连续两年不合格
    "庙山镇": (11, 50.0, "不合格"),  # → 单项否决, 不合格: no rank change, 连续两年不合格
    # 重坊镇 not assessed in 2022 (—); 郯城街道 was in another group (街道办事处): —
}
#: 县直部门 2022: the same order as 2023, so every rank 持平; 县住房和城乡建设局 不合格 both years
DEPT_2022 = {
    "县教育和体育局": (1, 99.0, "优秀"),
    "县财政局": (2, 98.0, "优秀"),
    "县人力资源和社会保障局": (3, 97.0, "优秀"),
    "县市场监督管理局": (4, 96.0, "优秀"),
    "县民政局": (5, 95.0, "优秀"),
    "县行政审批服务局": (6, 85.0, "良好"),
    "县卫生健康局": (7, 84.0, "良好"),
    "县发展和改革局": (8, 83.0, "良好"),
    "县住房和城乡建设局": (9, 50.0, "不合格"),
}
ZONE_2022 = {"郯城经济开发区": (1, 95.0, "优秀"), "新村银杏产业开发区": (2, 70.0, "合格")}


def content(period: str, rubric: str, groups: dict[str, tuple[str, dict]], indicator_points: float):
    """A results.json as the ledger stores it (one indicator per unit, the rubric's own id)."""
    units = []
    for gid, (_, members) in groups.items():
        for unit, (rank, total, grade) in members.items():
            units.append(
                {
                    "unit": unit,
                    "group": gid,
                    "total": total,
                    "grade": grade,
                    "rank": rank,
                    "indicators": [
                        {
                            "id": "I01a",
                            "points": indicator_points,
                            "score": indicator_points,
                            "lost": 0,
                            "applicable": True,
                        }
                    ],
                }
            )
    return {
        "schema": 1,
        "rubric": {"id": rubric, "title": f"细则{rubric}", "year": int(period[:4])},
        "period": period,
        "groups": [{"id": g, "name": name, "max_score": 100} for g, (name, _) in groups.items()],
        "units": units,
    }


def shifted(members: dict, by: float) -> dict:
    return {u: (r, round(t - by, 2), g) for u, (r, t, g) in members.items()}


def fill_ledger(url: str) -> None:
    town_2022 = {"town": ("乡镇街道", TOWN_2022)}
    street = {"street": ("街道办事处", {"郯城街道": (1, 96.0, "优秀")})}
    rest = {"dept": ("县直部门", DEPT_2022), "zone": ("开发区", ZONE_2022)}
    years = {
        # 2020 and 2021: rubric tancheng-2021; totals 10 and 5 points below 2022, same ranks
        "2020": content(
            "2020",
            "tancheng-2021",
            {k: (n, shifted(m, 10)) for k, (n, m) in {**town_2022, **street, **rest}.items()},
            8,
        ),
        "2021": content(
            "2021",
            "tancheng-2021",
            {k: (n, shifted(m, 5)) for k, (n, m) in {**town_2022, **street, **rest}.items()},
            8,
        ),
        "2022": content("2022", "tancheng-2022", {**town_2022, **street, **rest}, 6),
    }
    # a quarterly inspection of another assessment: a different kind of period, never 上年
    q4 = content(
        "2022Q4",
        "tancheng-q",
        {
            "town": (
                "乡镇街道",
                {u: (14 - r, 60.0 + r, "合格") for u, (r, _, _) in TOWN_2022.items()},
            )
        },
        6,
    )
    ledger = open_ledger(url)
    with ledger.begin() as w:
        for period, c in years.items():
            w.record_result(
                c,
                assessment=f"郯城县{period}年度政务公开工作考核",
                year=int(period),
                published_at=f"{int(period) + 1}-01-15T00:00:00+00:00",
            )
        w.record_result(
            q4, assessment="郯城县2022年第四季度检查", year=2022, published_at="2023-01-05"
        )
    ledger.close()


def make_config(
    tmp: Path, url: str | None, formats: str = '"json", "excel", "notice", "html"'
) -> Path:
    """The example in ``tmp`` with only ``formats`` and, when ``url`` is given, a [ledger]."""
    shutil.copytree(EXAMPLE / "data", tmp / "data")
    shutil.copy(EXAMPLE / "units.csv", tmp / "units.csv")
    text = (EXAMPLE / "assessment.toml").read_text(encoding="utf-8")
    text = text.replace('"../../rubrics/', f'"{ROOT.as_posix()}/rubrics/')
    text = re.sub(r"^formats = .*$", f"formats = [{formats}]", text, flags=re.M)
    if url is not None:
        text += f'\n[ledger]\nurl = "{url}"\n'
    cfg = tmp / "assessment.toml"
    cfg.write_text(text, encoding="utf-8")
    return cfg


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def run(request, tmp_path_factory):
    """The ledger filled, the 2023 run done, and its bytes before a rerun."""
    tmp = tmp_path_factory.mktemp(f"trend-{request.param}")
    if request.param == "sqlite":
        url = f"sqlite:///{tmp / '台账.db'}"
    else:
        url = fresh_database(request.getfixturevalue("pg_server"))
    fill_ledger(url)
    cfg = make_config(tmp, url)
    out = run_assessment(cfg).config.output
    return {"url": url, "cfg": cfg, "out": out}


def test_the_example_ranking_is_the_one_worked_from(run):
    data = json.loads((run["out"] / "results.json").read_text(encoding="utf-8"))
    town = {u["unit"]: (u["rank"], u["total"]) for u in data["units"] if u["group"] == "town"}
    assert town == TOWN_2023, "the 郯城 example changed: work the expectations out again"
    dept = sorted((u["rank"], u["unit"]) for u in data["units"] if u["group"] == "dept")
    assert [u for _, u in dept] == list(DEPT_2022)  # 2022 in this year's order: all 持平


def test_the_notice_names_the_trends(run):
    notice = (run["out"] / "通报.md").read_text(encoding="utf-8")
    # 一、总体情况: 乡镇街道 2 up (李庄镇, 归昌乡), 8 down, 0 same of the 10 comparable units
    # (13 less 郯城街道 (other group), 重坊镇 (new) and 庙山镇 (vetoed)); 县直部门 9 持平; 开发区 2 持平
    assert "与2022年度相比，2个单位排名提升、8个下降、0个持平。" in notice
    assert "与2022年度相比，0个单位排名提升、0个下降、9个持平。" in notice
    # 进步较快 from the ledger, with the rule stated
    assert (
        "进步较快单位（排名较上年提升且总分提高）："
        "李庄镇（较上年提升4位，由第6名升至第2名，总分提高8.68分）、"
        "归昌乡（较上年提升3位，由第8名升至第5名，总分提高9.96分）。"
    ) in notice
    # 下降3位及以上 (declined_places = 3 by default), in this year's ranking order
    assert (
        "排名下降较多的单位（排名较上年下降3位及以上）："
        "马头镇（较上年下降3位，由第1名降至第4名）、花园镇（较上年下降4位，由第3名降至第7名）、"
        "胜利镇（较上年下降3位，由第5名降至第8名）、港上镇（较上年下降3位，由第10名降至第13名）。"
    ) in notice
    assert "连续两年不合格的单位：港上镇、庙山镇。" in notice
    assert "连续两年不合格的单位：县住房和城乡建设局。" in notice
    assert notice.count("连续两年不合格的单位") == 2  # 开发区: 新村银杏产业开发区 was 合格 in 2022
    # the ranking attachment: 较上年排名 per unit
    rows = {
        m[1]: m[2]
        for m in re.finditer(
            r"^\| \S+ \| (\S+) \|.*\| (提升\d+位|下降\d+位|持平|—) \|$", notice, re.M
        )
    }
    assert rows["李庄镇"] == "提升4位" and rows["红花镇"] == "下降1位"
    assert rows["郯城街道"] == "—" and rows["重坊镇"] == "—" and rows["庙山镇"] == "—"
    assert rows["县财政局"] == "持平"
    assert "“较上年排名”与2022年度的排名比较" in notice


def test_the_workbook_has_the_history_sheet_and_charts(run):
    wb = openpyxl.load_workbook(run["out"] / "考核结果.xlsx")
    ws = wb["历年对比"]
    # 2020–2023: the quarter 2022Q4 is another kind of period
    assert [ws.cell(2, c).value for c in (3, 6, 9, 12)] == [
        "2020年度",
        "2021年度",
        "2022年度",
        "2023年度",
    ]
    assert [ws.cell(3, c).value for c in (3, 4, 5)] == ["总分", "等次", "排名"]
    assert ws.cell(2, 15).value == "较上年排名"
    by_unit = {ws.cell(r, 2).value: r for r in range(4, ws.max_row + 1)}
    r = by_unit["李庄镇"]
    # totals 90 − 10, 90 − 5, 90, 98.68; ranks 6, 6, 6, 2
    assert [ws.cell(r, c).value for c in (3, 6, 9, 12)] == [80, 85, 90, 98.68]
    assert [ws.cell(r, c).value for c in (5, 8, 11, 14)] == [6, 6, 6, 2]
    assert ws.cell(r, 15).value == "提升4位"
    r = by_unit["重坊镇"]
    assert [ws.cell(r, c).value for c in (3, 4, 5)] == ["—", "—", "—"]
    assert ws.cell(by_unit["港上镇"], 13).value == "不合格"
    assert ws.cell(by_unit["港上镇"], 10).value == "不合格"
    assert list(by_unit)[:3] == ["郯城街道", "李庄镇", "红花镇"]  # this year's ranking order
    assert len(by_unit) == 24
    assert ws.print_title_rows == "$1:$3" and ws.page_setup.orientation == "landscape"
    assert {"趋势_乡镇街道", "趋势_县直部门", "趋势_开发区"} <= set(wb.sheetnames)
    assert wb["历年图表数据"].sheet_state == "hidden"
    data = wb["历年图表数据"]
    assert [data.cell(r, 1).value for r in range(2, 6)] == [
        "2020年度",
        "2021年度",
        "2022年度",
        "2023年度",
    ]
    assert data.cell(1, 3).value == "李庄镇" and data.cell(5, 3).value == 98.68


def _trend_rows(page: str) -> list[tuple[str, str, str]]:
    trend = page.split('id="trend-h"')[1]
    return re.findall(
        r'<th scope="row">([^<]+)</th><td class="num">([^<]+)</td><td class="num">([^<]+)</td>',
        trend,
    )


#: 李庄镇 in every period of the ledger, the quarter included, and 2023
LIZHUANG = [
    ("2020年度", "80.00", "6"),
    ("2021年度", "85.00", "6"),
    ("2022年第四季度", "66.00", "8"),  # 60 + 6 and 14 − 6; a year's quarters come before it
    ("2022年度", "90.00", "6"),
    ("2023年度", "98.68", "2"),
]


def test_the_site_shows_the_trend(run):
    page = (run["out"] / "网站" / UNIT_DIR / "李庄镇.html").read_text(encoding="utf-8")
    assert _trend_rows(page) == LIZHUANG
    assert "<svg" in page.split('id="trend-h"')[1]  # the trend chart
    index = (run["out"] / "网站" / "index.html").read_text(encoding="utf-8")
    rows = re.findall(r'<tr data-unit="([^"]+)"[^>]*>(.*?)</tr>', index, re.S)
    change = {u: re.findall(r"<td[^>]*>([^<]*)</td>", row)[-1] for u, row in rows}
    assert change["李庄镇"] == "第6名，↑4" and change["红花镇"] == "第2名，↓1"
    assert change["郯城街道"] == "—"  # 2022 in another group: not compared


def test_the_site_trend_in_the_browser(run):
    require_browser()
    page = run["out"] / "网站" / UNIT_DIR / "李庄镇.html"
    with chromium() as driver:
        driver.get(page.resolve().as_uri())
        rows = driver.execute_script(
            "return Array.from(document.querySelectorAll('#trend-h ~ table tbody tr'))"
            ".map(r => Array.from(r.cells).slice(0, 3).map(c => c.textContent));"
        )
        errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert [tuple(r) for r in rows] == LIZHUANG
    assert errors == []


def test_the_run_recorded_2023_and_a_rerun_writes_the_same(run):
    url, out = run["url"], run["out"]
    ledger = open_ledger(url)
    # indicators are never compared across the rubric change (tancheng-2022 → tancheng-2023)
    cmp = compare_indicators(ledger, "李庄镇", "2022", "2023")
    assert set(cmp["说明"]) == {"不可比：细则 tancheng-2022 与 tancheng-2023 未声明可比"}
    assert list(unit_series(ledger, "李庄镇")["排名"])[-1] == 2
    ledger.close()
    # 2023 is in the ledger now: a rerun leaves it out of the history, same bytes
    before = {p: (out / p).read_bytes() for p in ("通报.md", "考核结果.xlsx", "results.json")}
    run_assessment(run["cfg"])
    assert {p: (out / p).read_bytes() for p in before} == before


def test_without_history_the_notice_is_unchanged(tmp_path):
    """An empty ledger: the documents are those of a run without a ledger."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    url = f"sqlite:///{tmp_path / '空.db'}"
    cfg = make_config(tmp_path / "a", url, formats='"excel", "notice"')
    out = run_assessment(cfg, output=tmp_path / "with").config.output
    plain = make_config(tmp_path / "b", None, formats='"excel", "notice"')
    ref = run_assessment(plain, output=tmp_path / "without").config.output
    for name in ("通报.md", "通报.docx", "考核结果.xlsx"):
        assert (out / name).read_bytes() == (ref / name).read_bytes(), name
