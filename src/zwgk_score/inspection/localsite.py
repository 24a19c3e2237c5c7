"""Local fixture sites (本地示例网站): a small HTTP server on 127.0.0.1 for tests and demos.

:class:`LocalSite` serves a table of routes from a thread on a free port and
stops when the ``with`` block ends.  A route is a fixed :class:`Route` or a
function of the request count (so a site can fail every fourth probe).
:func:`demo_routes` builds a small 政府信息公开 site whose item dates are
relative to an inspection date, :func:`demo_columns` the matching column
settings, and :func:`demo_crawl` crawls one such site per unit, for the
examples (``examples/<region>/crawl.json``) and the documentation.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import attrs

from zwgk_score.inspection.config import ColumnSpec, InspectionSettings, SiteSpec
from zwgk_score.inspection.crawl import crawl_sites
from zwgk_score.inspection.record import Crawl


@attrs.frozen
class Route:
    """A canned response.

    Attributes:
        body: the body; text is encoded with ``charset``.
        status: HTTP status.
        headers: extra headers (e.g. ``Location``).
        delay: seconds to wait before answering.
        charset: encoding of a text body, also announced in Content-Type
            unless ``announce`` is false.
        announce: put ``charset=`` in the Content-Type header.
        drip_headers: send the status line and headers one byte every this many
            seconds (a server that drips its headers; 0: at once).
        drip_body: send the body one byte every this many seconds, without a
            Content-Length (0: at once).
        endless: with ``drip_body``, keep dripping for ever (until the client leaves).
    """

    body: str | bytes = ""
    status: int = 200
    headers: Mapping[str, str] = attrs.Factory(dict)
    delay: float = 0.0
    charset: str = "utf-8"
    announce: bool = True
    drip_headers: float = 0.0
    drip_body: float = 0.0
    endless: bool = False

    def payload(self) -> bytes:
        """The encoded body."""
        return self.body if isinstance(self.body, bytes) else self.body.encode(self.charset)


RouteTable = Mapping[str, "Route | Callable[[int], Route]"]


class LocalSite:
    """Serve ``routes`` (path → route) on ``http://127.0.0.1:<free port>/``.

    Unknown paths answer 404.  ``hits`` counts requests per path.

    >>> with LocalSite({"/": Route("<p>首页</p>")}) as site:
    ...     site.url.startswith("http://127.0.0.1:")
    True
    """

    def __init__(self, routes: RouteTable, port: int = 0) -> None:
        self.routes = dict(routes)
        self.hits: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        """Base URL, ending in ``/``."""
        return f"http://127.0.0.1:{self._server.server_address[1]}/"

    def __enter__(self) -> LocalSite:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _respond(self, path: str) -> Route:
        with self._lock:
            self.hits[path] += 1
            n = self.hits[path]
        route = self.routes.get(path)
        if route is None:
            return Route("<h1>404 页面不存在</h1>", status=404)
        return route(n) if callable(route) else route

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server API
                route = site._respond(urlsplit(self.path).path)
                if route.delay:
                    time.sleep(route.delay)
                try:
                    if route.drip_headers or route.drip_body:
                        self._drip(route)
                    else:
                        self._send(route)
                except (BrokenPipeError, ConnectionResetError):  # client gave up (timeout)
                    pass

            def _headers(self, route: Route, length: int | None) -> list[tuple[str, str]]:
                ctype = "text/html" + (f"; charset={route.charset}" if route.announce else "")
                out = [("Content-Type", ctype)]
                if length is not None:
                    out.append(("Content-Length", str(length)))
                return out + list(route.headers.items())

            def _send(self, route: Route) -> None:
                body = route.payload()
                self.send_response(route.status)
                for name, value in self._headers(route, len(body)):
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def _drip(self, route: Route) -> None:
                body = route.payload()
                length = None if route.drip_body else len(body)
                head = f"HTTP/1.1 {route.status} OK\r\n" + "".join(
                    f"{n}: {v}\r\n"
                    for n, v in [*self._headers(route, length), ("Connection", "close")]
                )
                head_bytes = (head + "\r\n").encode("latin-1")
                for i in range(len(head_bytes)):
                    self.wfile.write(head_bytes[i : i + 1])
                    self.wfile.flush()
                    if route.drip_headers:
                        time.sleep(route.drip_headers)
                self.close_connection = True
                if not route.drip_body:
                    self.wfile.write(body)
                    return
                i = 0
                while route.endless or i < len(body):
                    self.wfile.write(body[i : i + 1] if i < len(body) else b" ")
                    self.wfile.flush()
                    i += 1
                    time.sleep(route.drip_body)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        return Handler


# ---------------------------------------------------------------- page builders


def home_page(title: str, links: Iterable[tuple[str, str]], badge: str = "") -> str:
    """A home page linking to ``(text, href)`` pairs.

    With a ``badge`` code its footer shows the 党政机关网站标识 image, linked to
    the registration page, and the code (网站标识码).
    """
    items = "".join(f'<li><a href="{escape(h)}">{escape(t)}</a></li>' for t, h in links)
    foot = (
        f'<a href="https://bszs.conac.cn/sitename?method=show&amp;id={escape(badge)}">'
        f'<img src="/images/dzjg.png" alt="党政机关"></a><p>网站标识码：{escape(badge)}</p>'
        if badge
        else "<p>主办单位：示例</p>"
    )
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{escape(title)}</title></head>'
        f'<body><h1>{escape(title)}</h1><ul class="nav">{items}</ul>'
        f'<div class="footer">{foot}</div></body></html>'
    )


def list_page(
    title: str, items: Iterable[tuple[str, str, date]], meta_charset: str = "utf-8"
) -> str:
    """A column list page: ``(title, href, date)`` items in ``ul.list li`` with ``span.date``."""
    lis = "".join(
        f'<li><a href="{escape(h)}">{escape(t)}</a><span class="date">{d.isoformat()}</span></li>'
        for t, h, d in items
    )
    return (
        f'<!DOCTYPE html><html><head><meta charset="{meta_charset}"><title>{escape(title)}</title>'
        f'</head><body><h2>{escape(title)}</h2><ul class="list">{lis}</ul></body></html>'
    )


#: Columns of the demo site: (id, name, path).
DEMO_COLUMNS = (
    ("jgzn", "机构职能", "/jgzn/"),
    ("zcwj", "政策文件", "/zcwj/"),
    ("zcjd", "政策解读", "/zcjd/"),
    ("czyjs", "财政预决算", "/czyjs/"),
    ("ysqgk", "依申请公开", "/ysqgk/"),
    ("ndbg", "年度报告", "/ndbg/"),
)


def demo_columns() -> list[dict[str, Any]]:
    """Column settings matching :func:`demo_routes` (``sites[i].columns``)."""
    return [
        {
            "id": cid,
            "name": name,
            "path": path,
            "item_selector": "ul.list li",
            "date_selector": "span.date",
        }
        for cid, name, path in DEMO_COLUMNS
    ]


def demo_routes(
    inspection: date,
    *,
    title: str = "示例区人民政府",
    badge: str = "3715020001",
    stale: Iterable[str] = (),
    blank: Iterable[str] = (),
    missing: Iterable[str] = (),
    broken: int = 0,
    fail_every: int = 0,
) -> dict[str, Route | Callable[[int], Route]]:
    """Routes of a small 政府信息公开 site (see :data:`DEMO_COLUMNS`).

    Every column has two items, each with a page; a fresh column's latest item
    is 10 days before ``inspection``, a ``stale`` one's 200 days before.

    Args:
        inspection: the inspection date the item dates are relative to.
        title: site title.
        badge: site-identity code in the footer (``""``: none).
        stale: column ids last updated 200 days before the inspection.
        blank: column ids whose list is empty.
        missing: column ids whose page answers 404.
        broken: number of items (first columns first) whose page answers 404.
        fail_every: the home page answers 500 on every ``fail_every``-th request (0: never).
    """
    stale, blank, missing = set(stale), set(blank), set(missing)
    home = Route(home_page(title, [(n, p) for _, n, p in DEMO_COLUMNS], badge))
    routes: dict[str, Route | Callable[[int], Route]] = {"/": home}
    if fail_every > 0:
        error = Route("<h1>500 服务器内部错误</h1>", status=500)
        routes["/"] = lambda n: error if n % fail_every == 0 else home
    todo_broken = broken
    for cid, name, path in DEMO_COLUMNS:
        if cid in missing:
            continue
        latest = inspection - timedelta(days=200 if cid in stale else 10)
        items = (
            []
            if cid in blank
            else [
                (f"{name}信息{k}", f"{path}{k}.html", latest - timedelta(days=30 * (k - 1)))
                for k in (1, 2)
            ]
        )
        routes[path] = Route(list_page(name, items))
        for text, href, _ in items:
            if todo_broken > 0:
                todo_broken -= 1
                continue
            routes[href] = Route(f"<html><body><h3>{escape(text)}</h3></body></html>")
    return routes


def demo_crawl(units: Mapping[str, Mapping[str, Any]], inspection: date, **settings: Any) -> Crawl:
    """Serve one demo site per unit, crawl them all and return the crawl.

    Args:
        units: unit name → keyword arguments of :func:`demo_routes` (``{}`` for
            a healthy site), e.g. ``{"茌平区": {"stale": ["zcjd"]}}``.
        inspection: the inspection date the item dates are relative to.
        **settings: :class:`InspectionSettings` fields (default: 5 probes,
            no rate limit).
    """
    options = {"probes": 5, "rate": 0.0, "timeout": 5.0, **settings}
    columns = [ColumnSpec(**c) for c in demo_columns()]
    with contextlib.ExitStack() as stack:
        servers = {
            unit: stack.enter_context(LocalSite(demo_routes(inspection, **kw)))
            for unit, kw in units.items()
        }
        sites = [SiteSpec(unit, server.url, columns) for unit, server in servers.items()]
        return crawl_sites(InspectionSettings(sites=sites, **options))
