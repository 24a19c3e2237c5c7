"""Polite HTTP fetching (网页抓取): limits, host allow-list, encoding detection.

:class:`Fetcher` wraps one :class:`httpx.Client`.  It follows redirects
itself so that loops, too many redirects and redirects to hosts outside the
allow-list become recorded failures; it reads at most ``max_bytes`` of a
page, gives up after ``timeout`` seconds in total, spaces requests by the
rate limit and never raises for network trouble: every outcome is a
:class:`~zwgk_score.inspection.record.Fetch`.
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

from zwgk_score.inspection.config import InspectionSettings
from zwgk_score.inspection.record import (
    CONNECT,
    INVALID_URL,
    OFF_HOST,
    REDIRECT_LOOP,
    TIMEOUT,
    TOO_MANY_REDIRECTS,
    Fetch,
)

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


def decode_html(body: bytes, content_type: str = "") -> tuple[str, str]:
    """Decode a page: HTTP charset, then ``<meta charset>``, then UTF-8, then GB18030.

    A Latin-1 / ASCII charset in the HTTP header (a common server default, wrong
    for Chinese pages) is not trusted: the page's own declaration and the bytes
    decide.  A UTF-8 sequence cut off at the end (``max_bytes``) still counts as UTF-8.

    Returns:
        The text and the codec used.

    >>> decode_html("网站".encode("gbk"))
    ('网站', 'gb18030')
    >>> decode_html(b"<meta charset=gb2312>" + "栏目".encode("gbk"))[0][-2:]
    '栏目'
    """
    if body.startswith(codecs.BOM_UTF8):
        return body[3:].decode("utf-8", errors="replace"), "utf-8"
    m = _CHARSET.search(content_type or "")
    codec = _codec(m.group(1)) if m else None
    if codec in _WEAK:
        codec = None
    if codec is None:
        mm = _META.search(body[:4096])
        codec = _codec(mm.group(1).decode("ascii", "ignore")) if mm else None
    if codec is None:
        try:
            codecs.getincrementaldecoder("utf-8")().decode(body, final=False)
            codec = "utf-8"
        except UnicodeDecodeError:
            codec = "gb18030"
    return body.decode(codec, errors="replace"), codec


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

    def wait(self) -> None:
        """Block until the next request may start."""
        if not self._gap:
            return
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next)
            self._next = start + self._gap
        if start > now:
            time.sleep(start - now)


class Fetcher:
    """Fetches pages of the allowed hosts within the configured limits.

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
        self.client = httpx.Client(
            timeout=settings.timeout,
            follow_redirects=False,
            headers={"User-Agent": settings.user_agent},
            transport=transport,
            trust_env=False,
            limits=httpx.Limits(max_connections=settings.concurrency),
        )

    def close(self) -> None:
        """Close the connection pool."""
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def allowed(self, url: str) -> bool:
        """Whether ``url`` is http(s) on an allowed host."""
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and (parts.hostname or "").lower() in self.hosts

    def get(self, url: str, *, body: bool = True) -> Page:
        """GET ``url``, following redirects on allowed hosts; never raises for network trouble.

        HTTP redirects and ``<meta http-equiv="refresh">`` redirects (common on
        the front pages of government sites) are followed alike.

        Args:
            url: an absolute URL.
            body: read and decode the body (pages); ``False`` only checks the status (links).
        """
        start = time.perf_counter()
        seen = {url}
        current = url
        redirects = 0

        def done(**kw: Any) -> Page:
            text = kw.pop("text", "")
            fetch = Fetch(
                url=url,
                elapsed=round(time.perf_counter() - start, 3),
                final_url=current,
                redirects=redirects,
                **kw,
            )
            return Page(fetch, text)

        while True:
            if time.perf_counter() - start > self.settings.timeout:
                return done(error=TIMEOUT, detail=f"{self.settings.timeout:g} 秒内未完成")
            if not self.allowed(current):
                web = urlsplit(current).scheme in ("http", "https")
                return done(error=OFF_HOST if web else INVALID_URL, detail=current)
            self.limiter.wait()
            try:
                status, target, result = self._hop(current, body, start)
            except (_Deadline, httpx.TimeoutException):
                return done(error=TIMEOUT, detail=f"{self.settings.timeout:g} 秒内未完成")
            except (httpx.InvalidURL, httpx.UnsupportedProtocol, ValueError, UnicodeError) as exc:
                return done(error=INVALID_URL, detail=str(exc))
            except httpx.HTTPError as exc:
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

    def _hop(self, url: str, body: bool, start: float) -> tuple[int, str, dict[str, Any]]:
        """One request: its status, the redirect target (``""`` if none) and the page fields."""
        with self.client.stream("GET", url) as resp:
            location = resp.headers.get("location", "")
            if resp.status_code in _REDIRECTS and location:
                return resp.status_code, location, {}
            if not body:
                return resp.status_code, "", {}
            data, truncated = self._read(resp, start)
        if resp.status_code < 300:
            refresh = _refresh_target(data, url)
            if refresh:
                return resp.status_code, refresh, {}
        text, encoding = decode_html(data, resp.headers.get("content-type", ""))
        return resp.status_code, "", {"text": text, "encoding": encoding, "truncated": truncated}

    def _read(self, resp: httpx.Response, start: float) -> tuple[bytes, bool]:
        limit = self.settings.max_bytes
        chunks: list[bytes] = []
        size = 0
        for chunk in resp.iter_bytes():
            if time.perf_counter() - start > self.settings.timeout:
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
