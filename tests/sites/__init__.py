"""Fixture sites for the website inspection tests (测试用网站).

Each builder returns a route table for :class:`zwgk_score.inspection.LocalSite`;
every item date is relative to the inspection date :data:`DAY` (2023-12-20):

- fresh column: latest item ``DAY − 10`` = 2023-12-10, second item 2023-11-10;
- stale column: latest item ``DAY − 200`` = 2023-06-03 (Dec 20 → Nov 30 is 20
  days, +30 → Oct 31 (50), +31 → Sep 30 (81), +30 → Aug 31 (111), +31 → Jul 31
  (142), +31 → Jun 30 (173), +27 → Jun 3 (200)).

The expected indicator values are derived by hand in the test module.
"""

from __future__ import annotations

from datetime import date

from zwgk_score.inspection.localsite import (
    DEMO_COLUMNS,
    Route,
    demo_columns,
    demo_routes,
    home_page,
)

DAY = date(2023, 12, 20)
ALL_IDS = tuple(cid for cid, _, _ in DEMO_COLUMNS)


def healthy(off_host: str = "http://www.example.invalid/") -> dict:
    """All six columns fresh, badge 3715020001, 12 item links all 200, one off-host link."""
    routes = demo_routes(DAY)
    links = [(name, path) for _, name, path in DEMO_COLUMNS] + [("外部链接", off_host)]
    routes["/"] = Route(home_page("示例区人民政府", links, "3715020001"))
    return routes


def stale() -> dict:
    """Five columns (all but 机构职能) last updated 2023-06-03."""
    return demo_routes(DAY, stale=ALL_IDS[1:])


def blank_and_broken() -> dict:
    """机构职能 answers 404, four columns empty, 政策文件 item 1 broken, no badge."""
    return demo_routes(
        DAY, badge="", blank=("zcjd", "czyjs", "ysqgk", "ndbg"), missing=("jgzn",), broken=1
    )


GBK_HOME = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>示例县人民政府</title></head><body><div class=nav><a href="/zcwj/">政策文件</a>
<a href="/zcjd/">政策解读</a></div><div class="footer"><img src="/img/red.png" alt="党政机关网站标识">
主办：示例县人民政府办公室
网站标识码：3715020099 <p>鲁ICP备00000000号</div></body></html>"""

# malformed on purpose: unclosed <li>, <ul> and <body>, a stray '<' and attributes without quotes
GBK_ZCWJ = """<html><head><meta charset=gbk><title>政策文件</title><body>
<ul class=list><li><a href=1.html>关于印发《示例县优化营商环境若干措施》的通知</a> 发布日期：2023年12月1日
<li><a href=2.html>示例县人民政府关于 < 调整 > 的通知</a> 发布日期：2023年11月3日
<li>   </li>"""

GBK_ZCJD = """<html><head><title>政策解读</title></head><body><ul class="list">
<li><a href="3.html">图解：优化营商环境若干措施</a>（2023年8月1日）</li>
<li><a href="4.html">一图读懂：示例县乡村振兴规划</a>（2023年6月15日）</li></ul></body></html>"""


def gbk() -> dict:
    """A GBK site: home announces gb2312 in <meta> only, 政策文件 in the HTTP header,
    政策解读 nowhere (detected because it is not UTF-8); dates as 2023年12月1日.

    政策文件 latest 2023-12-01 (fresh, 2 items: the blank third <li> is not an item);
    政策解读 latest 2023-08-01: Aug 1 → Aug 31 is 30 days, +30 Sep (60), +31 Oct (91),
    +30 Nov (121), +20 Dec (141) > 90 → stale.
    """
    page = "<html><body><p>正文</p></body></html>"
    return {
        "/": Route(GBK_HOME, charset="gbk", announce=False),
        "/zcwj/": Route(GBK_ZCWJ, charset="gbk"),
        "/zcjd/": Route(GBK_ZCJD, charset="gbk", announce=False),
        **{f"/zcwj/{k}.html": Route(page, charset="gbk") for k in (1, 2)},
        **{f"/zcjd/{k}.html": Route(page, charset="gbk") for k in (3, 4)},
    }


def gbk_columns() -> list[dict]:
    """Column settings of :func:`gbk` (default date pattern)."""
    return [
        {"id": "zcwj", "name": "政策文件", "path": "/zcwj/", "item_selector": "ul.list li"},
        {"id": "zcjd", "name": "政策解读", "path": "/zcjd/", "item_selector": "ul.list li"},
    ]


def slow(delay: float = 0.6, hang: float = 1.5) -> dict:
    """Even-numbered requests of the home page wait ``delay`` s; item page 政策文件/1 hangs ``hang`` s."""
    routes = demo_routes(DAY)
    home = routes["/"]

    def flaky(n: int) -> Route:
        return Route(home.body, delay=delay) if n % 2 == 0 else home

    routes["/"] = flaky  # type: ignore[assignment]
    routes["/zcwj/1.html"] = Route("<p>迟迟不返回</p>", delay=hang)
    return routes


def redirect_loop() -> dict:
    """Home page loops / → /index.html → /; 政策文件 redirects once to its index (fine);
    政策解读 redirects through /r1 … /r9 (too many); an item of 政策文件 redirects off-host.
    """
    routes: dict = {
        "/": Route(status=302, headers={"Location": "/index.html"}),
        "/index.html": Route(status=302, headers={"Location": "/"}),
        "/zcwj/": Route(status=301, headers={"Location": "/zcwj/index.html"}),
        "/zcwj/index.html": Route(
            '<ul class="list"><li><a href="/out.html">外链</a><span class="date">2023-12-01</span>'
            '</li><li><a href="/zcwj/2.html">文件</a><span class="date">2023-11-01</span></li></ul>'
        ),
        "/out.html": Route(status=302, headers={"Location": "http://www.example.invalid/"}),
        "/zcwj/2.html": Route("<p>正文</p>"),
        "/zcjd/": Route(status=302, headers={"Location": "/r1"}),
    }
    for k in range(1, 10):
        routes[f"/r{k}"] = Route(status=302, headers={"Location": f"/r{k + 1}"})
    return routes


def redirect_columns() -> list[dict]:
    """Column settings of :func:`redirect_loop`."""
    cols = {c["id"]: c for c in demo_columns()}
    return [cols["zcwj"], cols["zcjd"]]


def failing(every: int) -> dict:
    """The healthy demo site whose home page answers 500 on every ``every``-th request."""
    return demo_routes(DAY, fail_every=every)
