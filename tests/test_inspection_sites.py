"""Website inspection against live fixture sites on 127.0.0.1 (see tests/sites/__init__.py).

Every scenario starts its own :class:`LocalSite` on a free port, crawls it with
small probe counts and short timeouts, and checks the evidence rows against
values derived by hand.  Inspection date 2023-12-20, stale after 90 days.
"""

from __future__ import annotations

import math
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import sites

from zwgk_score.collect.base import EVIDENCE_COLUMNS, CollectContext
from zwgk_score.inspection import (
    LocalSite,
    WebsiteInspectionCollector,
    crawl_sites,
    demo_columns,
    load_crawl,
    parse_settings,
    save_crawl,
)
from zwgk_score.inspection.localsite import list_page
from zwgk_score.workdays import WorkCalendar

CAL = WorkCalendar.china()
ALL = "jgzn;zcwj;zcjd;czyjs;ysqgk;ndbg"


def ctx_for(*units: str, base: Path = Path(".")) -> CollectContext:
    return CollectContext(
        year=2023,
        quarter=None,
        period_start=date(2023, 1, 1),
        period_end=date(2023, 12, 31),
        base_dir=base,
        units=units,
        calendar=CAL,
        config_file=Path("assessment.toml"),
    )


def settings_for(unit: str, url: str, columns: list | None = None, **kw) -> dict:
    base = {
        "probes": 4,
        "timeout": 1.0,
        "slow_after": 0.2,
        "rate": 0.0,
        "concurrency": 4,
        "inspection_date": "2023-12-20",
        "sites": [{"unit": unit, "url": url, "columns": columns or demo_columns()}],
    }
    return {**base, **kw}


def run(routes: dict, unit: str, columns: list | None = None, **kw) -> pd.DataFrame:
    with LocalSite(routes) as site:
        return WebsiteInspectionCollector().collect(
            settings_for(unit, site.url, columns, **kw), ctx_for(unit)
        )


def rows_of(df: pd.DataFrame, key: str) -> pd.DataFrame:
    return df[df["key"] == key].reset_index(drop=True)


def one(df: pd.DataFrame, key: str) -> pd.Series:
    r = rows_of(df, key)
    assert len(r) == 1, r
    return r.iloc[0]


def test_healthy_site():
    df = run(sites.healthy(), "健康区")
    assert list(df.columns) == list(EVIDENCE_COLUMNS)
    # 4 probes, 0 failed → 4/4 = 1.0
    avail = one(df, "site_availability")
    assert avail["value"] == 1.0
    assert re.fullmatch(
        r"首页访问探测 4 次，失败 0 次，可用率 100\.00%，最长用时 0\.\d\d 秒", avail["evidence"]
    )
    assert rows_of(df, "site_stale_columns").empty
    assert rows_of(df, "site_blank_columns").empty
    assert rows_of(df, "site_broken_links").empty
    badge = one(df, "site_badge")
    assert (badge["value"], badge["text"]) == (1.0, "visible;linked;codes")
    assert badge["evidence"] == (
        "首页展示党政机关网站标识；标识链接至 https://bszs.conac.cn/sitename?method=show&id=3715020001；"
        "标注网站标识码 3715020001"
    )
    cols = one(df, "site_columns")
    assert (cols["value"], cols["text"]) == (1.0, ALL)  # 6 of 6 required columns
    assert cols["evidence"] == "必设栏目 6 个，可访问 6 个"
    veto = one(df, "site_veto")
    assert (veto["value"], veto["evidence"]) == (0.0, "未触发单项否决")
    assert set(df["unit"]) == {"健康区"}


def test_healthy_crawl_record_links_and_off_host():
    """Links: 6 columns × 2 item pages = 12 on-host links (column pages themselves are
    fetched as columns, so excluded); 2 off-host links (the badge's registration page
    and the external link) are counted, never requested."""
    with LocalSite({"/x.html": sites.Route("<p>不应被访问</p>")}) as other:
        # the same server reached under another host name is another host
        off = other.url.replace("127.0.0.1", "localhost") + "x.html"
        with LocalSite(sites.healthy(off_host=off)) as site:
            s = parse_settings(settings_for("健康区", site.url), ctx_for("健康区"))
            crawl = crawl_sites(s)
            hits = dict(site.hits)
        assert other.hits["/x.html"] == 0
    rec = crawl.site("健康区")
    assert rec.links_found == 12 and rec.off_host_links == 2
    assert len(rec.links) == 12 and all(link.fetch.status == 200 for link in rec.links)
    assert hits["/"] == 4  # the probes only: the home page comes from the first probe
    assert rec.columns[1].dates == ["2023-12-10", "2023-11-10"]  # DAY−10, DAY−40
    assert {link.found_on for link in rec.links} == {
        site.url + p[1:] for _, _, p in sites.DEMO_COLUMNS
    }


def test_link_sample_bounds_link_checks():
    with LocalSite(sites.healthy()) as site:
        s = parse_settings(settings_for("健康区", site.url, link_sample=3), ctx_for("健康区"))
        rec = crawl_sites(s).site("健康区")
        # 6 column pages + 3 links; max_pages = 8 leaves 8 − 6 = 2 links
        s2 = parse_settings(settings_for("健康区", site.url, max_pages=8), ctx_for("健康区"))
        rec2 = crawl_sites(s2).site("健康区")
    assert [link.fetch.url for link in rec.links] == [
        site.url + "jgzn/1.html",
        site.url + "jgzn/2.html",
        site.url + "zcwj/1.html",
    ]
    assert len(rec2.links) == 2 and rec2.links_found == 12


def test_stale_site_vetoed():
    df = run(sites.stale(), "陈旧区")
    stale = rows_of(df, "site_stale_columns")
    # five columns, latest 2023-06-03 (DAY − 200 > 90)
    assert stale["value"].tolist() == [1.0] * 5
    assert stale["evidence"].iloc[0] == "栏目「政策文件」最近更新 2023-06-03，超过90天未更新"
    assert stale["source"].iloc[0].endswith("/zcwj/")
    veto = one(df, "site_veto")
    assert veto["value"] == 1.0
    assert veto["evidence"] == "栏目不更新：5 个栏目未及时更新 ≥ 5 个"
    assert rows_of(df, "site_blank_columns").empty


def test_stale_threshold_configurable():
    # 200 days ≤ 365 → nothing stale; at 199 days all five are stale again but veto needs 6
    df = run(sites.stale(), "陈旧区", stale_days=365)
    assert rows_of(df, "site_stale_columns").empty
    df = run(sites.stale(), "陈旧区", stale_days=199, veto_stale_columns=6)
    assert len(rows_of(df, "site_stale_columns")) == 5
    assert one(df, "site_veto")["value"] == 0.0


def test_blank_columns_and_broken_links():
    df = run(sites.blank_and_broken(), "空白区")
    blank = rows_of(df, "site_blank_columns")
    # 机构职能 404 + 政策解读, 财政预决算, 依申请公开, 年度报告 empty = 5
    assert blank["evidence"].tolist() == [
        "栏目「机构职能」无法访问（HTTP 404），按空白栏目计",
        "栏目「政策解读」无内容",
        "栏目「财政预决算」无内容",
        "栏目「依申请公开」无内容",
        "栏目「年度报告」无内容",
    ]
    broken = rows_of(df, "site_broken_links")
    # only 政策文件 has items: 1.html broken, 2.html fine
    assert len(broken) == 1
    assert broken["source"].iloc[0].endswith("/zcwj/1.html")
    assert "（HTTP 404）" in broken["evidence"].iloc[0]
    assert broken["evidence"].iloc[0].endswith("/zcwj/")  # 见于 the column page
    badge = one(df, "site_badge")
    assert (badge["value"], badge["text"]) == (0.0, "")
    assert badge["evidence"] == "首页未找到党政机关网站标识；未找到网站标识码"
    cols = one(df, "site_columns")
    assert cols["value"] == pytest.approx(5 / 6)  # 机构职能 missing
    assert cols["text"] == "zcwj;zcjd;czyjs;ysqgk;ndbg"
    assert cols["evidence"] == "必设栏目 6 个，可访问 5 个；缺少：机构职能（HTTP 404）"
    veto = one(df, "site_veto")
    assert (veto["value"], veto["evidence"]) == (1.0, "空白栏目：5 个 ≥ 5 个")
    assert rows_of(df, "site_stale_columns").empty  # blank columns are not also stale


def test_gbk_site():
    df = run(sites.gbk(), "示例县", sites.gbk_columns())
    badge = one(df, "site_badge")
    assert (badge["value"], badge["text"]) == (1.0, "visible;codes")
    assert badge["evidence"] == (
        "首页展示党政机关网站标识；标识未链接至开办单位信息；标注网站标识码 3715020099"
    )
    stale = rows_of(df, "site_stale_columns")
    assert stale["evidence"].tolist() == ["栏目「政策解读」最近更新 2023-08-01，超过90天未更新"]
    assert one(df, "site_columns")["text"] == "zcwj;zcjd"
    assert one(df, "site_veto")["value"] == 0.0
    assert rows_of(df, "site_broken_links").empty


def test_gbk_record_encodings_and_items():
    with LocalSite(sites.gbk()) as site:
        s = parse_settings(settings_for("示例县", site.url, sites.gbk_columns()), ctx_for("示例县"))
        rec = crawl_sites(s).site("示例县")
    zcwj, zcjd = rec.columns
    assert zcwj.fetch.encoding == zcjd.fetch.encoding == "gb18030"
    assert rec.probes[0].encoding == "gb18030"
    # malformed list: two items with dates, the blank <li> is not an item
    assert (zcwj.items, zcwj.dates) == (2, ["2023-12-01", "2023-11-03"])
    assert (zcjd.items, zcjd.dates) == (2, ["2023-08-01", "2023-06-15"])
    assert rec.links_found == 4


def test_slow_site():
    df = run(sites.slow(), "迟缓区")
    avail = one(df, "site_availability")
    # probes 2 and 4 wait 0.6 s > slow_after 0.2 s → 2 of 4 fail → 2/4 = 0.5
    assert avail["value"] == 0.5
    assert avail["evidence"].startswith(
        "首页访问探测 4 次，失败 2 次（用时超过 0.2 秒 2 次），可用率 50.00%，最长用时 0."
    )
    veto = one(df, "site_veto")
    assert veto["value"] == 1.0
    assert veto["evidence"] == "网站不能正常访问：探测 4 次失败 2 次，失败率 50.00% ≥ 5.00%"
    broken = rows_of(df, "site_broken_links")
    # 政策文件 item 1 hangs 1.5 s > timeout 1.0 s
    assert len(broken) == 1 and broken["source"].iloc[0].endswith("/zcwj/1.html")
    assert "请求超时：1 秒内未完成" in broken["evidence"].iloc[0]


def test_redirect_loop_site():
    df = run(sites.redirect_loop(), "循环区", sites.redirect_columns(), probes=3, max_redirects=3)
    avail = one(df, "site_availability")
    assert avail["value"] == 0.0  # 0 of 3 probes load
    assert avail["evidence"].startswith(
        "首页访问探测 3 次，失败 3 次（重定向循环 3 次），可用率 0.00%，"
    )
    badge = one(df, "site_badge")
    assert badge["status"] == "missing" and math.isnan(badge["value"])
    blank = rows_of(df, "site_blank_columns")
    # 政策解读: /zcjd/ → r1 → r2 → r3, the 4th redirect is refused
    assert blank["evidence"].tolist() == [
        "栏目「政策解读」无法访问（重定向次数过多："
        + blank["source"].iloc[0].rsplit("/", 2)[0]
        + "/r4），按空白栏目计"
    ]
    # 政策文件 redirected once and loaded; its off-host redirect link is not judged
    assert one(df, "site_columns")["text"] == "zcwj"
    assert rows_of(df, "site_broken_links").empty
    veto = one(df, "site_veto")
    assert veto["evidence"] == "网站不能正常访问：探测 3 次失败 3 次，失败率 100.00% ≥ 5.00%"


def test_redirect_record():
    with LocalSite(sites.redirect_loop()) as site:
        s = parse_settings(
            settings_for("循环区", site.url, sites.redirect_columns(), probes=1, max_redirects=3),
            ctx_for("循环区"),
        )
        rec = crawl_sites(s).site("循环区")
    assert rec.probes[0].error == "redirect_loop" and rec.probes[0].redirects == 1
    zcwj = rec.columns[0]
    assert zcwj.fetch.ok and zcwj.fetch.final_url == site.url + "zcwj/index.html"
    out = {link.fetch.url.rsplit("/", 1)[1]: link.fetch for link in rec.links}
    assert out["out.html"].error == "off_host"
    assert out["2.html"].status == 200


@pytest.mark.parametrize(
    ("every", "probes", "share", "vetoed"),
    [
        (4, 8, 0.75, True),  # 500 on requests 4 and 8 → 6/8 = 0.75; 2/8 = 25 % ≥ 5 %
        (20, 20, 0.95, True),  # 500 on request 20 → 19/20 = 0.95; 1/20 = 5 % ≥ 5 % (boundary)
        (21, 20, 1.0, False),  # no failure in 20
    ],
)
def test_failing_share(every, probes, share, vetoed):
    df = run(sites.failing(every), "故障区", probes=probes)
    assert one(df, "site_availability")["value"] == pytest.approx(share)
    assert one(df, "site_veto")["value"] == float(vetoed)


def test_failing_share_threshold_configurable():
    # 2/8 = 25 % < 30 % → no veto
    df = run(sites.failing(4), "故障区", probes=8, veto_failed_share=0.3)
    assert one(df, "site_veto")["value"] == 0.0
    assert "HTTP 500 2 次" in one(df, "site_availability")["evidence"]


def test_saved_crawl_rescored_without_network(tmp_path):
    with LocalSite(sites.stale()) as site:
        settings = settings_for("陈旧区", site.url, save_to="crawl/2023-12-20.json")
        live = WebsiteInspectionCollector().collect(settings, ctx_for("陈旧区", base=tmp_path))
    saved = tmp_path / "crawl" / "2023-12-20.json"
    assert saved.exists()
    # the server is gone: reading the saved crawl gives the same rows…
    again = {k: v for k, v in settings.items() if k != "save_to"} | {
        "saved_crawl": "crawl/2023-12-20.json"
    }
    replay = WebsiteInspectionCollector().collect(again, ctx_for("陈旧区", base=tmp_path))
    pd.testing.assert_frame_equal(live, replay)
    # …and other thresholds re-score it: 200 days ≤ 365
    relaxed = WebsiteInspectionCollector().collect(
        again | {"stale_days": 365}, ctx_for("陈旧区", base=tmp_path)
    )
    assert rows_of(relaxed, "site_stale_columns").empty
    assert load_crawl(saved) == load_crawl(save_crawl(load_crawl(saved), tmp_path / "copy.json"))


def test_max_bytes_truncates_page():
    big = list_page("政策文件", [(f"文件{k}", f"{k}.html", date(2023, 12, 1)) for k in range(2000)])
    routes = {"/": sites.Route("<p>首页</p>"), "/zcwj/": sites.Route(big)}
    cols = [{"id": "zcwj", "name": "政策文件", "path": "/zcwj/", "item_selector": "ul.list li"}]
    with LocalSite(routes) as site:
        s = parse_settings(
            settings_for("大页区", site.url, cols, max_bytes=5000, link_sample=0), ctx_for("大页区")
        )
        col = crawl_sites(s).site("大页区").columns[0]
    assert col.fetch.truncated
    # each item is ~90 bytes, so 5000 bytes hold far fewer than 2000 items, but some
    assert 0 < col.items < 100


def test_meta_refresh_front_page():
    """/ holds only <meta http-equiv="refresh" content="0;url=/index.html"> (common on
    government sites): it is followed like a redirect, so the badge is found on /index.html."""
    routes = sites.healthy()
    routes["/index.html"] = routes["/"]
    routes["/"] = sites.Route(
        '<html><head><meta http-equiv="refresh" content="0; url=/index.html">'
    )
    with LocalSite(routes) as site:
        s = parse_settings(settings_for("健康区", site.url, probes=2), ctx_for("健康区"))
        rec = crawl_sites(s).site("健康区")
    assert [(p.status, p.redirects, p.final_url) for p in rec.probes] == [
        (200, 1, site.url + "index.html")
    ] * 2
    assert rec.badge == "3715020001" and rec.links_found == 12
