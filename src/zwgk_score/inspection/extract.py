"""Reading pages (页面解析): list items and their dates, links, the site badge.

Pure functions of decoded HTML; selectolax's parser copes with malformed
markup (unclosed tags, stray bytes) the way browsers do.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser as HTMLParser

from zwgk_score.inspection.config import ColumnSpec, host_key, parse_date


def item_date(text: str, pattern: re.Pattern[str]) -> date | None:
    """The date in an item's text: three groups = year, month, day; else the match.

    >>> item_date("通知 [2023-12-01]", re.compile(r"(\\d{4})-(\\d{2})-(\\d{2})"))
    datetime.date(2023, 12, 1)
    >>> item_date("发布：2023年3月1日", re.compile(r"\\d{4}年\\d{1,2}月\\d{1,2}日"))
    datetime.date(2023, 3, 1)
    """
    m = pattern.search(text)
    if m is None:
        return None
    groups = [g for g in m.groups() if g is not None]
    if len(groups) >= 3:
        try:
            return date(int(groups[0]), int(groups[1]), int(groups[2]))
        except ValueError:
            return None
    return parse_date(groups[0] if groups else m.group(0))


def column_items(html: str, column: ColumnSpec) -> tuple[int, list[date]]:
    """Count a column page's non-empty items and read their dates (page order)."""
    tree = HTMLParser(html)
    pattern = re.compile(column.date_pattern)
    count = 0
    dates: list[date] = []
    for item in tree.css(column.item_selector):
        if not item.text(strip=True):
            continue
        count += 1
        node = item.css_first(column.date_selector) if column.date_selector else item
        found = item_date(node.text(separator=" "), pattern) if node is not None else None
        if found is not None:
            dates.append(found)
    return count, dates


def page_links(html: str, base_url: str) -> list[str]:
    """Absolute http(s) link targets of a page, fragments removed, in document order."""
    out: list[str] = []
    for a in HTMLParser(html).css("a[href]"):
        href = (a.attributes.get("href") or "").strip()
        if not href or href.startswith("#"):
            continue
        url = urljoin(base_url, href).split("#", 1)[0]
        if urlsplit(url).scheme in ("http", "https"):
            out.append(url)
    return out


def split_links(
    found: Iterable[tuple[str, str]], hosts: frozenset[str], exclude: set[str]
) -> tuple[dict[str, str], int]:
    """Split ``(link, page it was found on)`` pairs by host.

    Returns:
        The distinct on-host links not in ``exclude``, first-seen order, each
        mapped to the first page it was found on; and the number of distinct
        off-host links.
    """
    on: dict[str, str] = {}
    off: set[str] = set()
    for url, page in found:
        if host_key(url) in hosts:
            if url not in exclude:
                on.setdefault(url, page)
        else:
            off.add(url)
    return on, len(off)


def find_badge(html: str, pattern: str) -> str:
    """The site-identity code (网站标识码) on a page, searched in its text then its markup."""
    rx = re.compile(pattern)
    tree = HTMLParser(html)
    for text in (tree.body.text(separator=" ") if tree.body else "", html):
        m = rx.search(text)
        if m:
            return m.group(1) if m.groups() else m.group(0)
    return ""


def find_badge_image(html: str, selector: str, link_pattern: str) -> tuple[bool, str]:
    """Whether the 党政机关网站标识 image is on a page, and the matching link around it.

    Returns:
        ``(found, href)``: ``href`` is the enclosing ``<a>``'s target when it
        matches ``link_pattern``, else ``""``.
    """
    rx = re.compile(link_pattern)
    found = False
    for img in HTMLParser(html).css(selector):
        found = True
        node = img.parent
        while node is not None and node.tag != "a":
            node = node.parent
        href = (node.attributes.get("href") or "") if node is not None else ""
        if href and rx.search(href):
            return True, href
    return found, ""
