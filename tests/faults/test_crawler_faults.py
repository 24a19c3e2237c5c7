"""The crawler against hostile servers on 127.0.0.1: drips, lying charsets, other ports, robots.txt.

Every server is started by the test and stopped when its ``with`` block ends;
each test takes a few seconds at most, whatever the server does.
"""

from __future__ import annotations

import json
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from zwgk_score.collect.base import CollectContext
from zwgk_score.errors import DataError
from zwgk_score.inspection import (
    ColumnSpec,
    InspectionSettings,
    LocalSite,
    Route,
    SiteSpec,
    WebsiteInspectionCollector,
    crawl_sites,
)
from zwgk_score.inspection.fetch import Fetcher
from zwgk_score.inspection.localsite import list_page
from zwgk_score.inspection.measure import blank_columns, stale_columns
from zwgk_score.inspection.saved import deferred_saves, load_crawl
from zwgk_score.workdays import WorkCalendar

DAY = date(2023, 12, 20)
COLUMN = ColumnSpec("政策文件", "/zcwj/", item_selector="ul.list li", date_selector="span.date")


def _settings(url: str, **kw: object) -> InspectionSettings:
    options: dict = {"probes": 1, "rate": 0.0, "timeout": 1.0, "link_sample": 0, **kw}
    return InspectionSettings(sites=[SiteSpec("东昌府区", url, [COLUMN])], **options)


def _timed(fn):  # type: ignore[no-untyped-def]
    t0 = time.monotonic()
    out = fn()
    return out, time.monotonic() - t0


def test_header_drip_cannot_stretch_the_timeout():
    # 1 byte every 0.1 s: the ~80 header bytes would take 8 s; the request must end at 1 s
    with LocalSite({"/": Route("<p>首页</p>", drip_headers=0.1)}) as site:
        f = Fetcher(_settings(site.url, obey_robots=False))
        page, took = _timed(lambda: f.get(site.url))
        f.close()
    assert page.fetch.error == "timeout"
    assert took < 2.0, took  # 1 s timeout + scheduling slack, never the 8 s of the drip
    assert page.fetch.elapsed < 2.0


def test_endless_body_drip_ends_at_the_timeout():
    with LocalSite({"/": Route("<p>首页</p>", drip_body=0.05, endless=True)}) as site:
        f = Fetcher(_settings(site.url, obey_robots=False))
        page, took = _timed(lambda: f.get(site.url))
        f.close()
    assert page.fetch.error == "timeout" and "1 秒内未完成" in page.fetch.detail
    assert took < 2.0, took


def test_crawl_deadline_bounds_the_whole_crawl_and_marks_it_partial(tmp_path):
    # 6 probes of 1 s each would take 6 s; the crawl deadline of 1.5 s stops it
    routes = {"/": Route("<p>首页</p>", drip_body=0.05, endless=True), "/zcwj/": Route("x")}
    with LocalSite(routes) as site:
        settings = _settings(site.url, probes=6, crawl_timeout=1.5, obey_robots=False)
        crawl, took = _timed(lambda: crawl_sites(settings))
    assert took < 3.0, took
    assert crawl.partial and "crawl_timeout（1.5 秒）" in crawl.partial_reason
    details = [p.detail for p in crawl.sites[0].probes]
    assert any("整次检查超过 1.5 秒上限" in d for d in details)


def _ctx(tmp_path: Path) -> CollectContext:
    return CollectContext(
        year=2023,
        period_start=date(2023, 1, 1),
        period_end=DAY,
        base_dir=tmp_path,
        units=("东昌府区",),
        quarter=None,
        calendar=WorkCalendar.china(),
        config_file=tmp_path / "assessment.toml",
    )


def _table(url: str, **kw: object) -> dict:
    return {
        "sites": [
            {
                "unit": "东昌府区",
                "url": url,
                "columns": [
                    {
                        "name": "政策文件",
                        "path": "/zcwj/",
                        "item_selector": "ul.list li",
                        "date_selector": "span.date",
                    }
                ],
            }
        ],
        "probes": 1,
        "rate": 0.0,
        "timeout": 1.0,
        "link_sample": 0,
        **kw,
    }


def test_partial_crawl_is_never_scored(tmp_path):
    routes = {"/": Route("<p>首页</p>", drip_body=0.05, endless=True)}
    with LocalSite(routes) as site:
        table = _table(site.url, probes=4, crawl_timeout=1.2, obey_robots=False)
        with pytest.raises(DataError) as err:
            WebsiteInspectionCollector().collect(table, _ctx(tmp_path))
    assert "网站抓取结果不完整" in err.value.message
    assert err.value.path == "collectors.website_inspection.crawl_timeout"


def _fresh_list(charset: str, meta: str) -> bytes:
    items = [("通知一", "/zcwj/1.html", DAY - timedelta(days=10))]
    return list_page("政策文件", items, meta_charset=meta).encode(charset)


def test_gbk_page_served_as_utf8_is_read_from_its_bytes():
    """A GBK page with ``charset=utf-8``: its dates are found (no false 未更新) and the charsets recorded."""
    body = _fresh_list("gbk", "gbk")
    routes = {"/": Route("<p>首页</p>"), "/zcwj/": Route(body, charset="utf-8")}
    with LocalSite(routes) as site:
        crawl = crawl_sites(_settings(site.url))
    col = crawl.sites[0].columns[0]
    assert (col.fetch.encoding, col.fetch.declared_encoding) == ("gb18030", "utf-8")
    assert col.items == 1 and col.dates == [(DAY - timedelta(days=10)).isoformat()]
    assert stale_columns(crawl.sites[0], DAY, 90) == [] and blank_columns(crawl.sites[0]) == []


def test_lying_meta_charset_falls_back_to_gb18030():
    # no charset in the header, <meta charset="utf-8"> but GBK bytes: GB18030 from the bytes
    body = _fresh_list("gbk", "utf-8")
    routes = {"/": Route("<p>首页</p>"), "/zcwj/": Route(body, announce=False)}
    with LocalSite(routes) as site:
        crawl = crawl_sites(_settings(site.url))
    col = crawl.sites[0].columns[0]
    assert (col.fetch.encoding, col.fetch.declared_encoding) == ("gb18030", "utf-8")
    assert col.items == 1


def test_honest_charset_is_not_second_guessed():
    body = _fresh_list("utf-8", "utf-8")
    with LocalSite({"/": Route("<p>首页</p>"), "/zcwj/": Route(body)}) as site:
        col = crawl_sites(_settings(site.url)).sites[0].columns[0]
    assert (col.fetch.encoding, col.fetch.declared_encoding) == ("utf-8", "")


def test_link_to_another_port_of_the_same_host_is_off_host():
    with LocalSite({"/": Route("<p>别处</p>")}) as other:
        home = f'<a href="{other.url}x.html">别处</a><a href="/zcwj/">政策文件</a>'
        routes = {"/": Route(home), "/zcwj/": Route(_fresh_list("utf-8", "utf-8"))}
        with LocalSite(routes) as site:
            crawl = crawl_sites(_settings(site.url, link_sample=10))
            with Fetcher(_settings(site.url)) as f:
                refused = f.get(other.url + "x.html").fetch
    rec = crawl.sites[0]
    assert rec.off_host_links == 1  # 127.0.0.1 on the other port is another site
    assert all(link.fetch.url.startswith(site.url) for link in rec.links)
    assert refused.error == "off_host"
    assert other.hits["/x.html"] == 0  # never requested


def test_allow_hosts_names_a_port():
    with LocalSite({"/": Route("<p>镜像</p>")}) as other:
        port = other.url.rsplit(":", 1)[1].strip("/")
        with LocalSite({"/": Route("<p>首页</p>")}) as site:
            settings = _settings(site.url, allow_hosts=[f"127.0.0.1:{port}"])
            with Fetcher(settings) as f:
                assert f.get(other.url).fetch.ok


ROBOTS = "User-agent: *\nDisallow: /zcwj/\n"


def test_robots_txt_is_honoured_and_not_a_deduction():
    routes = {
        "/robots.txt": Route(ROBOTS),
        "/": Route('<p>首页</p><a href="/zcwj/1.html">x</a>'),
        "/zcwj/": Route(_fresh_list("utf-8", "utf-8")),
    }
    with LocalSite(routes) as site:
        crawl = crawl_sites(_settings(site.url, link_sample=5))
    rec = crawl.sites[0]
    assert site.hits["/zcwj/"] == 0 and site.hits["/robots.txt"] == 1
    assert rec.columns[0].fetch.error == "robots"
    assert blank_columns(rec) == [] and stale_columns(rec, DAY, 90) == []  # not judged


def test_robots_exempt_for_the_offices_own_site():
    routes = {"/robots.txt": Route(ROBOTS), "/": Route("<p>首页</p>")}
    routes["/zcwj/"] = Route(_fresh_list("utf-8", "utf-8"))
    with LocalSite(routes) as site:
        host = site.url.split("//", 1)[1].strip("/")
        crawl = crawl_sites(_settings(site.url, robots_exempt=[host]))
    assert site.hits["/zcwj/"] == 1 and site.hits["/robots.txt"] == 0
    assert crawl.sites[0].columns[0].fetch.ok


def test_robots_disallowing_everything_leaves_availability_missing(tmp_path):
    routes = {"/robots.txt": Route("User-agent: zwgk-score\nDisallow: /\n"), "/": Route("x")}
    with LocalSite(routes) as site:
        frame = WebsiteInspectionCollector().collect(_table(site.url), _ctx(tmp_path))
    assert site.hits["/"] == 0
    row = frame[frame["key"] == "site_availability"].iloc[0]
    assert row["status"] == "missing" and "robots.txt 不允许抓取首页" in row["evidence"]


def test_save_to_is_written_only_when_the_run_succeeds(tmp_path):
    routes = {"/": Route("<p>首页</p>"), "/zcwj/": Route(_fresh_list("utf-8", "utf-8"))}
    with LocalSite(routes) as site:
        table = _table(site.url, save_to="crawl.json")
        with pytest.raises(RuntimeError), deferred_saves():
            WebsiteInspectionCollector().collect(table, _ctx(tmp_path))
            raise RuntimeError("a later step of the run failed")
        assert not (tmp_path / "crawl.json").exists()
        with deferred_saves():
            WebsiteInspectionCollector().collect(table, _ctx(tmp_path))
            assert not (tmp_path / "crawl.json").exists()  # not before the run ends
        assert not load_crawl(tmp_path / "crawl.json").partial


def test_save_partial_keeps_a_failed_runs_crawl_marked_partial(tmp_path):
    routes = {"/": Route("<p>首页</p>"), "/zcwj/": Route(_fresh_list("utf-8", "utf-8"))}
    with LocalSite(routes) as site:
        table = _table(site.url, save_to="crawl.json", save_partial=True)
        with pytest.raises(RuntimeError), deferred_saves():
            WebsiteInspectionCollector().collect(table, _ctx(tmp_path))
            raise RuntimeError("通报模板有误")
    data = json.loads((tmp_path / "crawl.json").read_text(encoding="utf-8"))
    assert data["partial"] is True and data["partial_reason"] == "运行失败：通报模板有误"
    # a partial saved crawl is refused for scoring
    with pytest.raises(DataError, match="网站抓取结果不完整"):
        WebsiteInspectionCollector().collect(
            {**table, "saved_crawl": "crawl.json", "save_to": ""}, _ctx(tmp_path)
        )
