"""Measurements (检查结果): pure functions from a site's crawl record to findings.

Nothing here touches the network: the same functions score a live crawl and a
saved one, so an assessment can be re-scored with other thresholds.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import attrs

from zwgk_score.inspection.record import (
    CONNECT,
    INVALID_URL,
    OFF_HOST,
    REDIRECT_LOOP,
    ROBOTS,
    TIMEOUT,
    TOO_MANY_REDIRECTS,
    ColumnRecord,
    Fetch,
    LinkRecord,
    SiteRecord,
)

_ERRORS = {
    TIMEOUT: "请求超时",
    CONNECT: "无法连接",
    REDIRECT_LOOP: "重定向循环",
    TOO_MANY_REDIRECTS: "重定向次数过多",
    OFF_HOST: "主机不在检查范围内（可加入 allow_hosts）",
    INVALID_URL: "地址无效",
    ROBOTS: "robots.txt 不允许抓取，未检查",
}


def judged(fetch: Fetch) -> bool:
    """Whether a request counts at all: one robots.txt disallowed was never made."""
    return fetch.error != ROBOTS


@attrs.frozen
class Thresholds:
    """Judgement thresholds (判定标准), defaults from the national website checks.

    Attributes:
        slow_after: a probe slower than this many seconds fails.
        stale_days: a column whose latest item is older than this many days is stale.
        veto_failed_share: veto when at least this share of probes fails (0: never).
        veto_stale_columns: veto at this many stale columns (0: never).
        veto_blank_columns: veto at this many blank columns (0: never).
    """

    slow_after: float = 15.0
    stale_days: int = 90
    veto_failed_share: float = 0.05
    veto_stale_columns: int = 5
    veto_blank_columns: int = 5


def failure(fetch: Fetch, slow_after: float | None = None) -> str:
    """Why a request failed, in Chinese; ``""`` when it succeeded.

    >>> failure(Fetch("http://a/", status=500))
    'HTTP 500'
    >>> failure(Fetch("http://a/", status=200, elapsed=0.5), slow_after=0.2)
    '用时 0.50 秒，超过 0.2 秒'
    >>> failure(Fetch("http://a/", error="redirect_loop", detail="http://a/b"))
    '重定向循环：http://a/b'
    """
    if fetch.error:
        what = _ERRORS.get(fetch.error, fetch.error)
        return f"{what}：{fetch.detail}" if fetch.detail else what
    if fetch.status >= 400 or fetch.status <= 0:
        return f"HTTP {fetch.status}"
    if slow_after is not None and fetch.elapsed > slow_after:
        return f"用时 {fetch.elapsed:.2f} 秒，超过 {slow_after:g} 秒"
    return ""


@attrs.frozen
class Availability:
    """Probe results (可用性): counts and the failure reasons with their counts."""

    probes: int
    failed: int
    reasons: tuple[tuple[str, int], ...]

    @property
    def ok_share(self) -> float:
        """Share of probes that loaded in time (可用率); NaN without probes."""
        return (self.probes - self.failed) / self.probes if self.probes else float("nan")

    @property
    def failed_share(self) -> float:
        """Share of probes that failed (失败率); NaN without probes."""
        return self.failed / self.probes if self.probes else float("nan")


def availability(probes: list[Fetch], slow_after: float) -> Availability:
    """Count failed probes: no response, HTTP ≥ 400, or slower than ``slow_after``.

    Probes robots.txt disallowed were not made and are not counted.
    """
    probes = [p for p in probes if judged(p)]
    reasons = [failure(p, slow_after) for p in probes]
    failed = [_reason_kind(r, slow_after) for r in reasons if r]
    return Availability(len(probes), len(failed), tuple(Counter(failed).items()))


def _reason_kind(reason: str, slow_after: float) -> str:
    """Group reasons: drop per-request details such as the exact time taken."""
    if reason.startswith("用时"):
        return f"用时超过 {slow_after:g} 秒"
    return reason.split("：", 1)[0]


@attrs.frozen
class ColumnFinding:
    """A column judged stale (未更新) or blank (空白), with the reason."""

    column: ColumnRecord
    reason: str


def latest_date(column: ColumnRecord, day: date) -> date | None:
    """The column's latest item date on or before the inspection date."""
    dates = [date.fromisoformat(d) for d in column.dates]
    past = [d for d in dates if d <= day]
    return max(past) if past else None


def blank_columns(site: SiteRecord) -> list[ColumnFinding]:
    """Columns without content: page not loaded, or no non-empty item."""
    out = []
    for col in site.columns:
        why = failure(col.fetch)
        if not judged(col.fetch):
            continue
        if why:
            out.append(ColumnFinding(col, f"栏目「{col.name}」无法访问（{why}），按空白栏目计"))
        elif col.items == 0:
            out.append(ColumnFinding(col, f"栏目「{col.name}」无内容"))
    return out


def stale_columns(site: SiteRecord, day: date, stale_days: int) -> list[ColumnFinding]:
    """Loaded, non-blank columns whose latest item is more than ``stale_days`` old (or undated)."""
    out = []
    for col in site.columns:
        if failure(col.fetch) or col.items == 0:
            continue
        latest = latest_date(col, day)
        if latest is None:
            out.append(
                ColumnFinding(
                    col,
                    f"栏目「{col.name}」有 {col.items} 条信息，但未识别出不晚于 {day.isoformat()} 的发布日期",
                )
            )
        elif (day - latest).days > stale_days:
            out.append(
                ColumnFinding(
                    col,
                    f"栏目「{col.name}」最近更新 {latest.isoformat()}，超过{stale_days}天未更新",
                )
            )
    return out


@attrs.frozen
class BrokenLink:
    """An internal link that failed, with the reason."""

    link: LinkRecord
    reason: str


def broken_links(site: SiteRecord) -> list[BrokenLink]:
    """Checked links that failed (HTTP ≥ 400, timeout, no connection, redirect loop).

    Links redirected to a host outside the allow-list are not judged.
    """
    return [
        BrokenLink(link, failure(link.fetch))
        for link in site.links
        if link.fetch.error not in (OFF_HOST, ROBOTS) and failure(link.fetch)
    ]


def present_columns(site: SiteRecord) -> tuple[list[ColumnRecord], list[ColumnRecord]]:
    """Required columns whose page loaded (设置了栏目), and those missing (robots.txt-disallowed not judged)."""
    required = [c for c in site.columns if c.required and judged(c.fetch)]
    return [c for c in required if c.fetch.ok], [c for c in required if not c.fetch.ok]


def veto_reasons(avail: Availability, stale: int, blank: int, t: Thresholds) -> list[str]:
    """Triggered single-item veto conditions (单项否决), in Chinese; empty when none."""
    out = []
    share = avail.failed_share
    # compare counts, not float shares: 1 of 20 probes is exactly 5 %
    if (
        t.veto_failed_share > 0
        and avail.probes
        and avail.failed >= t.veto_failed_share * avail.probes - 1e-9
    ):
        out.append(
            f"网站不能正常访问：探测 {avail.probes} 次失败 {avail.failed} 次，"
            f"失败率 {share:.2%} ≥ {t.veto_failed_share:.2%}"
        )
    if t.veto_stale_columns > 0 and stale >= t.veto_stale_columns:
        out.append(f"栏目不更新：{stale} 个栏目未及时更新 ≥ {t.veto_stale_columns} 个")
    if t.veto_blank_columns > 0 and blank >= t.veto_blank_columns:
        out.append(f"空白栏目：{blank} 个 ≥ {t.veto_blank_columns} 个")
    return out
