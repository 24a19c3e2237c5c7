"""The results site (结果网站) on a small hand-made assessment: pages, numbers, escaping, public mode.

Sample (rubric below, 100 points, grades 优秀 ≥ 90 / 合格 ≥ 60 / 不合格):
  D1 网站建设 60 = D1.1 栏目更新 40 (deduction, 10 per item) + D1.2 网站标识 20 (manual)
  D2 依申请公开 40 = D2.1 答复时效 40 (manual), plus bonus B1 (1 per item, cap 3)
  县区: 甲县 D1.1 1 item → 30, D1.2 20, D2.1 38 → 88 (合格); a previous period had 75, rank 2
        <script>alert(1)</script> D1.1 0 → 40, 20, 40 → 100 + bonus 1 = 101 (优秀)
        a#b%c?d D1.1 3 items → 10, 10, 20 → 40 (不合格)
  部门: 丁局 D1.1 2 items → 20, 20, 35 → 75 (合格)
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pandas as pd
import pytest

from zwgk_score import score
from zwgk_score.errors import ConfigError
from zwgk_score.outputs.site import PUBLIC_SITE_DIR, SITE_DIR, PublicSiteExporter, SiteExporter
from zwgk_score.outputs.site.model import public_reason
from zwgk_score.outputs.site.trend import RunTrend
from zwgk_score.rubric import parse_rubric

RUBRIC = {
    "meta": {
        "id": "site",
        "title": "某市2023年度政务公开工作考核细则",
        "issuer": "某市人民政府办公室",
        "year": 2023,
        "performance_share": 5,
        "missing": "zero",
    },
    "grades": [
        {"name": "优秀", "min": 90},
        {"name": "合格", "min": 60},
        {"name": "不合格", "min": 0},
    ],
    "groups": [{"id": "a", "name": "县区政府"}, {"id": "b", "name": "市直部门"}],
    "domains": [
        {
            "id": "D1",
            "name": "网站建设",
            "points": 60,
            "indicators": [
                {
                    "id": "D1.1",
                    "name": "栏目更新",
                    "points": 40,
                    "method": "deduction",
                    "params": {"per": 10},
                },
                {"id": "D1.2", "name": "网站标识", "points": 20, "method": "manual"},
            ],
        },
        {
            "id": "D2",
            "name": "依申请公开",
            "points": 40,
            "indicators": [
                {"id": "D2.1", "name": "答复时效", "points": 40, "method": "manual"},
                {
                    "id": "B1",
                    "name": "表扬加分",
                    "points": 0,
                    "method": "bonus",
                    "params": {"per": 1, "cap": 3},
                },
            ],
        },
    ],
}
HOSTILE = "<script>alert(1)</script>"
ODD = "a#b%c?d"
UNITS = ["甲县", HOSTILE, ODD, "丁局"]
GROUPS = ["a", "a", "a", "b"]
#: evidence texts and sources the public site must never show
EVIDENCE = [
    "首页栏目停更四十二天",
    "机构概况栏目空白",
    "省办公厅通报表扬（甲字第九号）",
    "回复超期三天",
]
SOURCES = ["内部台账.xlsx:7", "普查记录.csv:12"]
#: self-scores (自评分) with three decimals: no score or coordinate on a page has three
SELF_SCORES = ["39.125", "18.375"]


def _data(previous: bool) -> pd.DataFrame:
    cols = ["unit", "key", "value", "evidence", "source"]
    if previous:
        rows = [
            ("甲县", "D1.1", 2, "", ""),
            ("甲县", "D1.2", 15, "", ""),
            ("甲县", "D2.1", 40, "", ""),
            (HOSTILE, "D1.1", 0, "", ""),
            (HOSTILE, "D1.2", 20, "", ""),
            (HOSTILE, "D2.1", 40, "", ""),
            (ODD, "D1.1", 4, "", ""),
            (ODD, "D1.2", 20, "", ""),
            (ODD, "D2.1", 40, "", ""),
            ("丁局", "D1.1", 0, "", ""),
            ("丁局", "D1.2", 20, "", ""),
            ("丁局", "D2.1", 40, "", ""),
        ]
    else:
        rows = [
            ("甲县", "D1.1", 1, EVIDENCE[0], SOURCES[0]),
            ("甲县", "D1.2", 20, "", ""),
            ("甲县", "D2.1", 38, EVIDENCE[3], ""),
            ("甲县", "D2.1.self", float(SELF_SCORES[0]), "自评分", ""),
            ("甲县", "D1.2.self", float(SELF_SCORES[1]), "自评分", ""),
            (HOSTILE, "D1.1", 0, "", ""),
            (HOSTILE, "D1.2", 20, "", ""),
            (HOSTILE, "D2.1", 40, "", ""),
            (HOSTILE, "B1", 1, EVIDENCE[2], ""),
            (ODD, "D1.1", 3, EVIDENCE[1], SOURCES[1]),
            (ODD, "D1.2", 10, "", ""),
            (ODD, "D2.1", 20, "", ""),
            ("丁局", "D1.1", 2, "", ""),
            ("丁局", "D1.2", 20, "", ""),
            ("丁局", "D2.1", 35, "", ""),
        ]
    return pd.DataFrame(rows, columns=cols)


def results(previous: bool = False):
    roster = pd.DataFrame({"unit": UNITS, "group": GROUPS})
    period = "2022" if previous else "2023"
    return score(parse_rubric(RUBRIC), _data(previous), roster, period=period)


OPTIONS = {
    "date": "2024-01-05",
    "issuer": "某市人民政府办公室",
    "site_title": "某市政务公开考核结果",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    opts = {**OPTIONS, "previous": results(previous=True), "site_internal": ["D2.1"]}
    files = SiteExporter().export(results(), out, opts)
    public = PublicSiteExporter().export(results(), out, opts)
    return out, files, public


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_totals_of_the_sample():
    s = results().summary.set_index("unit")
    # 甲县 (40 − 10) + 20 + 38 = 88; hostile 40 + 20 + 40 + 1 = 101; ODD (40 − 30) + 10 + 20 = 40;
    # 丁局 (40 − 20) + 20 + 35 = 75
    assert s["total"].to_dict() == {"甲县": 88, HOSTILE: 101, ODD: 40, "丁局": 75}
    assert s["rank"].to_dict() == {"甲县": 2, HOSTILE: 1, ODD: 3, "丁局": 1}
    # previous: 甲县 (40 − 20) + 15 + 40 = 75, rank 2 of 3 (hostile 100, ODD 0 + 20 + 40 = 60)
    p = results(previous=True).summary.set_index("unit")
    assert p.at["甲县", "total"] == 75 and p.at["甲县", "rank"] == 2


def test_files_of_the_site(site):
    out, files, public = site
    rel = sorted(str(p.relative_to(out / SITE_DIR)) for p in files)
    assert rel == sorted(
        [
            "index.html",
            "overview.html",
            "assets/site.css",
            "assets/site.js",
            "assets/favicon.svg",
            "单位/甲县.html",
            "单位/丁局.html",
            "单位/_script_alert(1)__script_.html",  # < > / → _
            "单位/a#b%c_d.html",
        ]
    )
    assert {p.relative_to(out / PUBLIC_SITE_DIR) for p in public} == {
        p.relative_to(out / SITE_DIR) for p in files
    }


def test_every_link_is_relative_and_resolves(site):
    """No page refers to anything outside the site (works from file:// and any static server)."""
    _, files, public = site
    for page in [p for p in [*files, *public] if p.suffix == ".html"]:
        text = read(page)
        refs = re.findall(r'(?:href|src)="([^"]*)"', text)
        assert refs, page
        for ref in refs:
            assert not re.match(r"^[a-z]+:|^//", ref), (page, ref)
            target = ref.split("#")[0]
            if target:
                assert (page.parent / unquote(target)).is_file(), (page, ref)
        assert "@import" not in text and "url(" not in text
    css = read(next(p for p in files if p.name == "site.css"))
    assert "url(" not in css and "@import" not in css and "@font-face" not in css


def test_user_text_is_escaped(site):
    _, files, _ = site
    for p in files:
        assert HOSTILE not in read(p), p
    index = read(next(p for p in files if p.name == "index.html"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in index
    # the link to a page whose name holds # and % is percent-encoded
    assert 'href="%E5%8D%95%E4%BD%8D/a%23b%25c_d.html"' in index


def test_pages_are_chinese_and_accessible(site):
    _, files, public = site
    for p in [p for p in [*files, *public] if p.suffix == ".html"]:
        text = read(p)
        assert '<html lang="zh-CN">' in text
        assert '<a class="skip" href="#main">跳到正文</a>' in text and 'id="main"' in text
        for svg in re.findall(r"<svg.*?</svg>", text, re.S):
            assert 'role="img"' in svg and "<title" in svg and "<desc" in svg


def _unit_page(files, unit_file: str) -> str:
    return read(next(p for p in files if p.name == unit_file))


def test_unit_page_numbers(site):
    _, files, _ = site
    page = _unit_page(files, "甲县.html")
    assert '<span class="big" id="unit-total">88.00</span> / 100' in page
    assert '第 <span class="big" id="unit-rank">2</span> 名，共 3 个单位' in page
    # domain bars: D1 = 30 + 20 = 50 of 60; 县区 average of D1 = (50 + 60 + 20) / 3 = 43.33;
    # D2 = 38 of 40, average (38 + 40 + 20) / 3 = 32.67
    desc = re.search(r'<desc id="domains-d">(.*?)</desc>', page).group(1)
    assert desc == (
        "网站建设：得分 50.00，满分 60.00，类别平均 43.33；依申请公开：得分 38.00，满分 40.00，类别平均 32.67。"
    )
    # 失分原因: D1.1 lost 10 (one item × 10), D2.1 lost 2 (manual 38 of 40), each with the evidence
    assert "D1.1 栏目更新" in page and EVIDENCE[0] in page and SOURCES[0] in page
    assert ">自评分</th>" in page and SELF_SCORES[0] in page
    # trend: 2022年度 75 (rank 2) → 2023年度 88 (rank 2)
    trend = re.search(r'<desc id="trend-d">(.*?)</desc>', page).group(1)
    assert trend == "2022年度：总分 75.00，第2名；2023年度：总分 88.00，第2名。"


def test_index_ranking_in_rank_order_with_change(site):
    _, files, _ = site
    index = read(next(p for p in files if p.name == "index.html"))
    county = index[index.index('id="group-1"') : index.index('id="group-2"')]
    units = re.findall(r'<tr data-unit="([^"]*)"', county)
    assert units == ["&lt;script&gt;alert(1)&lt;/script&gt;", "甲县", ODD.replace("?", "?")]
    # 甲县 was 2nd and is 2nd: 持平; ODD 3rd → 3rd: 持平; the hostile name 1st → 1st
    assert "第2名，持平" in county


def test_overview_numbers(site):
    _, files, _ = site
    page = read(next(p for p in files if p.name == "overview.html"))
    # 县区 totals 40, 88, 101: median 88, quartiles (linear) 64 and 94.5; average 229 / 3 = 76.33
    desc = re.search(r'<desc id="boxes-d">(.*?)</desc>', page).group(1)
    assert desc.startswith(
        "县区政府（3个单位）：最低 40.00，下四分位 64.00，中位数 88.00，上四分位 94.50，最高 101.00；"
    )
    assert '<td class="num">76.33</td>' in page
    grades = re.search(r'<desc id="grades-d">(.*?)</desc>', page).group(1)
    assert (
        grades == "县区政府：优秀1个，合格1个，不合格1个；市直部门：优秀0个，合格1个，不合格0个。"
    )
    # 进步较快 against 2022年度: 甲县 rank 2 → 2 is not an improvement; ODD 60 → 40 neither
    assert "与2022年度相比" in page


def test_public_site_has_no_evidence_self_score_or_internal_item(site):
    out, _, public = site
    for p in public:
        text = read(p)
        for secret in [*EVIDENCE, *SOURCES, *SELF_SCORES, "自评分", "内部版"]:
            assert secret not in text, (p, secret)
    page = _unit_page(public, "甲县.html")
    # D2.1 is marked internal (site_internal): not listed; D1.1 keeps the method's own reason
    assert "D2.1" not in page and "D1.1 栏目更新" in page
    assert "（公开版）" in page
    bonus = _unit_page(public, "_script_alert(1)__script_.html")
    assert "加分 1 分" in bonus


def test_public_reason_drops_only_the_evidence():
    assert (
        public_reason("超时 1 件；留言 A：3 天；留言 B：4 天", ["留言 A：3 天", "留言 B：4 天"])
        == "超时 1 件"
    )
    assert public_reason("留言 A：3 天", ["留言 A：3 天"]) == ""
    assert public_reason("未完成：目录", []) == "未完成：目录"


def test_reruns_are_byte_identical(tmp_path):
    def run(d: Path) -> dict[str, bytes]:
        files = SiteExporter().export(results(), d, OPTIONS)
        return {str(p.relative_to(d)): p.read_bytes() for p in files}

    assert run(tmp_path / "1") == run(tmp_path / "2")


def test_trend_across_periods_and_baseline():
    cur, prev = results(), results(previous=True)
    trend = RunTrend(cur, periods=[prev])
    assert trend.labels == ["2022年度", "2023年度"] and trend.baseline == "2022年度"
    assert [(p.period, p.total, p.rank, p.grade) for p in trend.series("甲县")] == [
        ("2022年度", 75.0, 2, "合格"),
        ("2023年度", 88.0, 2, "合格"),
    ]
    # the same result given as previous and as a period is listed once
    assert RunTrend(cur, periods=[prev], previous=prev).labels == ["2022年度", "2023年度"]


def test_a_history_source_replaces_the_run_trend(tmp_path):
    """The ledger plugs in as options["history"]: any object with ``baseline`` and ``series``."""
    from zwgk_score.outputs.site.trend import TrendPoint

    class Ledger:
        baseline = "2021年度"

        def series(self, unit):
            return [
                TrendPoint("2021年度", 50.0, 3, "不合格"),
                TrendPoint("2023年度", 88.0, 1, "合格"),
            ]

    SiteExporter().export(results(), tmp_path, {**OPTIONS, "history": Ledger()})
    page = read(tmp_path / SITE_DIR / "单位" / "甲县.html")
    assert "2021年度：总分 50.00，第3名" in page


def test_unknown_internal_indicator_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="T99") as info:
        SiteExporter().export(results(), tmp_path, {**OPTIONS, "site_internal": ["T99"]})
    assert info.value.path == "notice.site_internal[0]"
    assert not (tmp_path / SITE_DIR).exists()


def test_lowest_grade_is_red_however_many_bands(site):
    from zwgk_score.outputs.site.charts import grade_tone

    # tone 0 green, 1 blue, 2 amber, 3 red
    assert [grade_tone(i, 2) for i in range(2)] == [0, 3]
    assert [grade_tone(i, 3) for i in range(3)] == [0, 1, 3]
    assert [grade_tone(i, 4) for i in range(4)] == [0, 1, 2, 3]
    assert [grade_tone(i, 5) for i in range(5)] == [0, 1, 2, 2, 3]
    _, files, _ = site
    index = read(next(p for p in files if p.name == "index.html"))
    assert '<span class="grade grade-3">不合格</span>' in index  # ODD, 3 bands


def test_chart_axes_have_round_ticks_and_room_below():
    from zwgk_score.outputs.site.charts import TrendValue, trend_chart

    # totals 100 and 101 of 100: step 5; 100 − 100 < 2.5 so one more step below → 95, 100, 105
    svg = trend_chart(
        "t", "趋势", [TrendValue("2022年度", 100.0, 1), TrendValue("2023年度", 101.0, 1)], 100
    )
    assert re.findall(r'fill="#555555">([^<]*)<', svg) == ["95", "100", "105"]
    assert svg.count("<line") == 3 and svg.count("<circle") == 2


def _luminance(colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_colours_have_sufficient_contrast():
    """Text 4.5:1 (WCAG AA, as GB/T 37668 asks), chart shapes 3:1 against their background."""
    from zwgk_score.outputs.site import charts
    from zwgk_score.outputs.site.render import TEMPLATES

    assert round(contrast("#000000", "#ffffff"), 1) == 21.0  # the formula itself
    css = (TEMPLATES / "site.css").read_text(encoding="utf-8")
    grades = dict(re.findall(r"\.grade-(\d) \{ background: (#[0-9a-f]{6}); \}", css))
    assert sorted(grades) == ["0", "1", "2", "3", "4"]
    for colour in [*grades.values(), *charts.GRADE_COLOURS, charts.OTHER_GRADE]:
        assert contrast(colour, "#ffffff") >= 4.5, colour  # white text on the grade badge / bar
    for colour in (charts.INK, charts.MUTED, charts.AVERAGE, charts.BAR):
        assert contrast(colour, "#ffffff") >= 4.5, colour
    assert contrast(charts.BAR, charts.TRACK) >= 3
    # the page's own text colours (link, visited link, status, internal note, header)
    for fg, bg in [
        ("#0b4f8a", "#ffffff"),
        ("#5b2a86", "#ffffff"),
        ("#8a3a00", "#ffffff"),
        ("#5c3b00", "#fff4e0"),
        ("#ffffff", "#1f4e79"),
        ("#555555", "#f3f5f8"),
    ]:
        assert fg in css and bg in css
        assert contrast(fg, bg) >= 4.5, (fg, bg)
    # the average marker has a white halo, so it shows on a full (dark) bar too
    svg = charts.domain_bars("d", "t", [charts.Bar("网站建设", 60, 60, 40)])
    assert 'stroke="#ffffff" stroke-width="7"' in svg


def test_previous_read_back_from_results_json(tmp_path):
    """``[assessment] previous`` gives the site last period's results.json (a PreviousPeriod)."""
    from zwgk_score.previous import load_previous

    path = tmp_path / "2022" / "results.json"
    path.parent.mkdir()
    results(previous=True).to_json(path)
    SiteExporter().export(results(), tmp_path, {**OPTIONS, "previous": load_previous(path)})
    page = read(tmp_path / SITE_DIR / "单位" / "甲县.html")
    assert "2022年度：总分 75.00，第2名；2023年度：总分 88.00，第2名。" in page
    index = read(tmp_path / SITE_DIR / "index.html")
    assert '<th scope="col" data-type="number">较2022年度</th>' in index
