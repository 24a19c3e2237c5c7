"""robots.txt (爬虫协议): read once per site and honoured by the crawler.

Before the first request to an origin (scheme, host and port) the crawler
reads ``/robots.txt`` there; a URL it disallows for the crawler's
User-Agent is not requested and is recorded as ``robots`` (not judged, never
a deduction).  A missing robots.txt (HTTP 4xx) allows everything; so does an
unreachable one (5xx, timeout): the availability probes then record the
site's trouble.  The assessing office's own sites, whose owners agreed to
the inspection, can be listed in ``robots_exempt`` (``host`` or
``host:port``); ``obey_robots = false`` turns the check off entirely.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

#: At most this many bytes of a robots.txt are read.
MAX_ROBOTS_BYTES = 512 * 1024

#: ``fetch(url) -> (status, body)``; status 0 when no response arrived.
RobotsFetch = Callable[[str], tuple[int, bytes]]


def origin_of(url: str) -> str:
    """``scheme://host:port`` of ``url`` (default ports filled in)."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{port}"


class Robots:
    """The robots.txt rules of every origin met, read lazily through ``fetch``.

    Args:
        fetch: reads a robots.txt URL.
        user_agent: the crawler's User-Agent.
        exempt: ``host`` or ``host:port`` entries whose robots.txt is not applied.
        obey: apply robots.txt at all.
    """

    def __init__(
        self, fetch: RobotsFetch, user_agent: str, exempt: frozenset[str], obey: bool = True
    ) -> None:
        self._fetch = fetch
        self._agent = user_agent
        self._exempt = exempt
        self._obey = obey
        self._rules: dict[str, RobotFileParser | None] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def _is_exempt(self, url: str) -> bool:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        port = parts.port or (443 if parts.scheme == "https" else 80)
        return host in self._exempt or f"{host}:{port}" in self._exempt

    def allowed(self, url: str) -> bool:
        """Whether the crawler may request ``url``."""
        if not self._obey or self._is_exempt(url) or urlsplit(url).path == "/robots.txt":
            return True
        rules = self._rules_for(origin_of(url))
        return rules is None or rules.can_fetch(self._agent, url)

    def _rules_for(self, origin: str) -> RobotFileParser | None:
        with self._guard:
            lock = self._locks.setdefault(origin, threading.Lock())
        with lock:
            if origin not in self._rules:
                self._rules[origin] = self._read(origin)
            return self._rules[origin]

    def _read(self, origin: str) -> RobotFileParser | None:
        status, body = self._fetch(f"{origin}/robots.txt")
        if not 200 <= status < 300:
            return None  # missing (4xx) or unreachable: nothing disallowed
        parser = RobotFileParser()
        parser.parse(body[:MAX_ROBOTS_BYTES].decode("utf-8", errors="replace").splitlines())
        return parser
