"""Polite HTTP fetching (网页抓取): limits, host allow-list, encoding detection.

:class:`Fetcher` wraps one :class:`httpx.Client`.  It follows redirects
itself so that loops, too many redirects and redirects to hosts outside the
allow-list (host and port) become recorded failures; it reads at most
``max_bytes`` of a page, gives up after ``timeout`` seconds in total (a hard
wall-clock deadline, also against servers that drip their headers or body),
honours robots.txt, spaces requests by the rate limit and never raises for
network trouble: every outcome is a :class:`~zwgk_score.inspection.record.Fetch`.
"""

from __future__ import annotations

import codecs
import re
import threading
import time
from typing import Any
from urllib.parse import urljoin, urlsplit

import attrs
import httpx

from zwgk_score.inspection.config import InspectionSettings, host_key
from zwgk_score.inspection.deadline import deadline_transport, hard_deadline
from zwgk_score.inspection.record import (
    CONNECT,
    INVALID_URL,
    OFF_HOST,
    REDIRECT_LOOP,
    ROBOTS,
    TIMEOUT,
    TOO_MANY_REDIRECTS,
    Fetch,
)
from zwgk_score.inspection.robots import Robots

_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:\-]+)", re.I)
_META = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:\-]+)", re.I)
_CHINESE = {"gb2312", "gbk", "x-gbk", "gb_2312-80", "cp936", "euc-cn", "hz-gb-2312", "gb18030"}
_REDIRECTS = (301, 302, 303, 307, 308)
_REFRESH = re.compile(
    r"<meta[^>]+http-equiv\s*=\s*[\"']?refresh[\"']?[^>]*content\s*=\s*[\"']?\s*(\d*)\s*[;,]\s*url\s*=\s*"
    r"[\"']?([^\"'>\s]+)",
    re.I,
)
#: A ``<meta http-equiv="refresh">`` with a longer delay is not followed.
REFRESH_MAX_DELAY = 5
_WEAK = {"latin-1", "iso8859-1", "ascii", "cp1252"}


def _codec(label: str | None) -> str | None:
    """A Python codec for a charset label; GB2312/GBK map to their superset GB18030."""
    if not label:
        return None
    label = label.strip().lower()
    if label in _CHINESE:
        return "gb18030"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _strict(body: bytes, codec: str, complete: bool) -> str | None:
    """``body`` decoded with ``codec`` if every byte fits (a sequence cut at the end allowed)."""
    try:
        dec = codecs.getincrementaldecoder(codec)()
        return dec.decode(body, final=complete)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_page(body: bytes, content_type: str = "", *, complete: bool = True) -> Decoded:
    """Decode a page: the declared charset if the bytes fit it, else what the bytes say.

    Order: a UTF-8 BOM; the HTTP ``charset``; ``<meta charset>``; UTF-8;
    GB18030.  A declared charset is used only when the whole page decodes
    with it: a GBK page served as ``charset=utf-8`` is read as GB18030 and
    the declared charset recorded, instead of losing every Chinese date.  A
    Latin-1 / ASCII charset in the HTTP header (a common server default, wrong
    for Chinese pages, and one that never fails) is not trusted.

    Args:
        complete: ``False`` when the body was cut at ``max_bytes`` (a sequence
            cut off at the end is then no reason to distrust the charset).

    >>> decode_page("网站".encode("gbk")).codec
    'gb18030'
    >>> d = decode_page("栏目".encode("gbk"), "text/html; charset=utf-8")
    >>> d.text, d.codec, d.declared
    ('栏目', 'gb18030', 'utf-8')
    """
    if body.startswith(codecs.BOM_UTF8):
        return Decoded(body[3:].decode("utf-8", errors="replace"), "utf-8")
    m = _CHARSET.search(content_type or "")
    header = _codec(m.group(1)) if m else None
    if header in _WEAK:
        header = None
    mm = _META.search(body[:4096])
    meta = _codec(mm.group(1).decode("ascii", "ignore")) if mm else None
    declared = header or meta
    for codec in dict.fromkeys(c for c in (header, meta, "utf-8") if c):
        text = _strict(body, codec, complete)
        if text is not None:
            return Decoded(text, codec, declared if declared and declared != codec else "")
    return Decoded(body.decode("gb18030", errors="replace"), "gb18030", declared or "")


def decode_html(body: bytes, content_type: str = "") -> tuple[str, str]:
    """The text and codec of :func:`decode_page` for a body that may have been cut.

    >>> decode_html(b"<meta charset=gb2312>" + "栏目".encode("gbk"))[0][-2:]
    '栏目'
    """
    d = decode_page(body, content_type, complete=False)
    return d.text, d.codec


@attrs.frozen
class Decoded:
    """A decoded page: the text, the codec used and the declared charset when it was not used."""

    text: str
    codec: str
    declared: str = ""


@attrs.frozen
class Page:
    """A fetch and, for pages read in full, the decoded text (``""`` otherwise)."""

    fetch: Fetch
    text: str = ""


class RateLimiter:
    """At most ``rate`` request starts per second across threads (0: unlimited)."""

    def __init__(self, rate: float) -> None:
        self._gap = 1.0 / rate if rate > 0 else 0.0
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self, until: float = float("inf")) -> bool:
        """Block until the next request may start; ``False`` (at once) if that is after ``until``."""
        if not self._gap:
            return True
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next)
            if start > until:
                return False
            self._next = start + self._gap
        if start > now:
            time.sleep(start - now)
        return True


class Fetcher:
    """Fetches pages of the allowed hosts within the configured limits.

    Every request ends within ``timeout`` seconds and the whole crawl within
    ``crawl_timeout`` seconds of the fetcher's creation, on the monotonic
    clock, whatever the server does (:mod:`.deadline`); requests the crawl
    deadline cut short set :attr:`cut_short`.

    Args:
        settings: timeouts, limits, allowed hosts and the User-Agent.
        transport: optional httpx transport (tests).
    """

    def __init__(
        self, settings: InspectionSettings, transport: httpx.BaseTransport | None = None
    ) -> None:
        self.settings = settings
        self.hosts = settings.hosts()
        self.limiter = RateLimiter(settings.rate)
        self.crawl_end = time.monotonic() + settings.crawl_timeout
        self.cut_short = False
        limits = httpx.Limits(max_connections=settings.concurrency)
        self.client = httpx.Client(
            timeout=settings.timeout,
            follow_redirects=False,
            headers={"User-Agent": settings.user_agent},
            transport=transport or deadline_transport(limits),
            trust_env=False,
            limits=limits,
        )
        self.robots = Robots(
            self._robots_txt,
            settings.user_agent,
            frozenset(h.lower() for h in settings.robots_exempt),
            settings.obey_robots,
        )

    def close(self) -> None:
        """Close the connection pool."""
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def allowed(self, url: str) -> bool:
        """Whether ``url`` is http(s) on an allowed host and port."""
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and host_key(url) in self.hosts

    def _robots_txt(self, url: str) -> tuple[int, bytes]:
        deadline = min(time.monotonic() + self.settings.timeout, self.crawl_end)
        if not self.limiter.wait(deadline):
            return 0, b""
        try:
            with hard_deadline(deadline), self.client.stream("GET", url) as resp:
                return resp.status_code, self._read(resp, deadline, 512 * 1024)[0]
        except (_Deadline, httpx.HTTPError, ValueError, UnicodeError):
            return 0, b""

    def get(self, url: str, *, body: bool = True) -> Page:
        """GET ``url``, following redirects on allowed hosts; never raises for network trouble.

        HTTP redirects and ``<meta http-equiv="refresh">`` redirects (common on
        the front pages of government sites) are followed alike.  A URL that
        robots.txt disallows is not requested (error ``robots``).

        Args:
            url: an absolute URL.
            body: read and decode the body (pages); ``False`` only checks the status (links).
        """
        start = time.monotonic()
        deadline = min(start + self.settings.timeout, self.crawl_end)
        by_crawl = deadline >= self.crawl_end
        seen = {url}
        current = url
        redirects = 0

        def done(**kw: Any) -> Page:
            text = kw.pop("text", "")
            fetch = Fetch(
                url=url,
                elapsed=round(time.monotonic() - start, 3),
                final_url=current,
                redirects=redirects,
                **kw,
            )
            return Page(fetch, text)

        def timed_out() -> Page:
            if by_crawl:
                self.cut_short = True
                limit = self.settings.crawl_timeout
                return done(error=TIMEOUT, detail=f"整次检查超过 {limit:g} 秒上限，未完成")
            return done(error=TIMEOUT, detail=f"{self.settings.timeout:g} 秒内未完成")

        while True:
            if time.monotonic() >= deadline:
                return timed_out()
            if not self.allowed(current):
                web = urlsplit(current).scheme in ("http", "https")
                return done(error=OFF_HOST if web else INVALID_URL, detail=current)
            if not self.robots.allowed(current):
                return done(error=ROBOTS, detail=current)
            if not self.limiter.wait(deadline):
                return timed_out()
            try:
                with hard_deadline(deadline):
                    status, target, result = self._hop(current, body, deadline)
            except (_Deadline, httpx.TimeoutException):
                return timed_out()
            except (httpx.InvalidURL, httpx.UnsupportedProtocol, ValueError, UnicodeError) as exc:
                return done(error=INVALID_URL, detail=str(exc))
            except httpx.HTTPError as exc:
                if time.monotonic() >= deadline:
                    return timed_out()
                return done(error=CONNECT, detail=f"{type(exc).__name__}: {exc}".strip(": "))
            if not target:
                return done(status=status, **result)
            target = urljoin(current, target.strip()).split("#", 1)[0]
            if target in seen:
                return done(status=status, error=REDIRECT_LOOP, detail=target)
            if redirects >= self.settings.max_redirects:
                return done(status=status, error=TOO_MANY_REDIRECTS, detail=target)
            seen.add(target)
            redirects += 1
            current = target

    def _hop(self, url: str, body: bool, deadline: float) -> tuple[int, str, dict[str, Any]]:
        """One request: its status, the redirect target (``""`` if none) and the page fields."""
        with self.client.stream("GET", url) as resp:
            location = resp.headers.get("location", "")
            if resp.status_code in _REDIRECTS and location:
                return resp.status_code, location, {}
            if not body:
                return resp.status_code, "", {}
            data, truncated = self._read(resp, deadline, self.settings.max_bytes)
        if resp.status_code < 300:
            refresh = _refresh_target(data, url)
            if refresh:
                return resp.status_code, refresh, {}
        page = decode_page(data, resp.headers.get("content-type", ""), complete=not truncated)
        fields = {"text": page.text, "encoding": page.codec, "truncated": truncated}
        if page.declared:
            fields["declared_encoding"] = page.declared
        return resp.status_code, "", fields

    @staticmethod
    def _read(resp: httpx.Response, deadline: float, limit: int) -> tuple[bytes, bool]:
        """Read at most ``limit`` bytes of the body, giving up at ``deadline`` (monotonic)."""
        chunks: list[bytes] = []
        size = 0
        for chunk in resp.iter_bytes():
            if time.monotonic() >= deadline:
                raise _Deadline
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                return b"".join(chunks)[:limit], True
        return b"".join(chunks), False


def _refresh_target(data: bytes, url: str) -> str:
    """The target of a prompt ``<meta http-equiv="refresh" content="0;url=…">`` redirect.

    A refresh after more than :data:`REFRESH_MAX_DELAY` seconds or to the page
    itself (a page that reloads itself every few minutes) is not a redirect.

    >>> _refresh_target(b'<meta http-equiv="refresh" content="0; url=/index.html">', "http://h/")
    '/index.html'
    >>> _refresh_target(b'<meta http-equiv="refresh" content="300;url=/">', "http://h/")
    ''
    """
    m = _REFRESH.search(data[:4096].decode("ascii", errors="ignore"))
    if not m or int(m.group(1) or 0) > REFRESH_MAX_DELAY:
        return ""
    target = m.group(2)
    return "" if urljoin(url, target).split("#", 1)[0] == url else target


class _Deadline(Exception):
    """The whole request took longer than ``timeout``."""
