"""Generate the saved website crawl of the xx市 example (网站检查抓取结果).

Serves one small 政府信息公开 fixture site per unit on 127.0.0.1 (the
inspection package's :class:`LocalSite`), crawls them all once with the
national rules (20 probes of the home page, column list pages, internal
links) and saves the crawl to ``crawl/2022-12-15.json``.  The example then
scores offline from that file (``saved_crawl``).

The fixture ports change on every run, so the saved URLs are rewritten to
each unit's placeholder address ``http://<slug>.xxshi.invalid/`` (the
reserved ``.invalid`` domain never resolves), which is also the ``url`` the
assessment config lists.  Item dates are relative to the inspection date;
the per-unit faults are listed in ``FAULTS``.

Run from the repository root: ``.venv/bin/python examples/xxshi/make_crawl.py``.
"""

from __future__ import annotations

import contextlib
import csv
import json
from collections.abc import Callable
from datetime import date, timedelta
from html import escape
from pathlib import Path

from zwgk_score.inspection import (
    ColumnSpec,
    InspectionSettings,
    LocalSite,
    Route,
    SiteSpec,
    crawl_sites,
    load_crawl,
    save_crawl,
)
from zwgk_score.inspection.localsite import home_page, list_page

HERE = Path(__file__).parent
INSPECTION = date(2022, 12, 15)
OUT = HERE / "crawl" / f"{INSPECTION.isoformat()}.json"

#: (id, name, path, required): the five required columns of the rubric's D5.1.1
#: (ids = its checklist part ids) and three ordinary columns.
COLUMNS = (
    ("guide", "政府信息公开指南", "/zfxxgk/gkzn/", True),
    ("rules", "政府信息公开制度", "/zfxxgk/gkzd/", True),
    ("statutory", "法定主动公开内容", "/zfxxgk/fdzdgknr/", True),
    ("annual", "政府信息公开年报", "/zfxxgk/gknb/", True),
    ("request", "依申请公开", "/zfxxgk/ysqgk/", True),
    ("zcwj", "政策文件", "/zwgk/zcwj/", False),
    ("zcjd", "政策解读", "/zwgk/zcjd/", False),
    ("tzgg", "通知公告", "/zwgk/tzgg/", False),
)

#: Faults per unit (all other units have a healthy site):
#: stale = latest item 200 days before the inspection; blank = empty list;
#: missing = the column page answers 404; fail_every = the home page answers
#: HTTP 500 on every n-th request.
FAULTS: dict[str, dict] = {
    "康保县": {"missing": ["annual"]},
    "尚义县": {"stale": ["statutory", "zcjd", "tzgg"]},
    "阳原县": {"stale": ["zcjd"], "blank": ["request"]},
    "下花园区": {"fail_every": 4, "stale": ["zcwj", "zcjd"]},
    "塞北管理区": {"blank": ["rules", "annual"]},
    "市农业农村局": {"blank": ["request"]},
    "市教育体育局": {"stale": ["zcwj"]},
}

PROBES = 20


def column_settings() -> list[dict]:
    """Column settings of every fixture site (the saved crawl keeps the column ids)."""
    return [
        {
            "id": cid,
            "name": name,
            "path": path,
            "required": req,
            "item_selector": "ul.list li",
            "date_selector": "span.date",
        }
        for cid, name, path, req in COLUMNS
    ]


def routes(unit: str, stale=(), blank=(), missing=(), fail_every: int = 0) -> dict:
    """The fixture site of one unit."""
    home = Route(
        home_page(
            f"{unit}人民政府" if "局" not in unit else unit,
            [(n, p) for _, n, p, _ in COLUMNS],
            badge="1307000000",
        )
    )
    table: dict[str, Route | Callable[[int], Route]] = {"/": home}
    if fail_every:
        error = Route("<h1>500 服务器内部错误</h1>", status=500)
        table["/"] = lambda n: error if n % fail_every == 0 else home
    for cid, name, path, _ in COLUMNS:
        if cid in missing:
            continue
        latest = INSPECTION - timedelta(days=200 if cid in stale else 12)
        items = (
            []
            if cid in blank
            else [
                (f"{name}（{k}）", f"{path}{k}.html", latest - timedelta(days=45 * (k - 1)))
                for k in (1, 2, 3)
            ]
        )
        table[path] = Route(list_page(name, items))
        for text, href, _ in items:
            table[href] = Route(f"<html><body><h3>{escape(text)}</h3></body></html>")
    return table


def slugs() -> dict[str, str]:
    """Unit → placeholder host label, from units.csv (row order)."""
    with (HERE / "units.csv").open(encoding="utf-8") as f:
        return {row["unit"]: f"unit{i:02d}" for i, row in enumerate(csv.DictReader(f), 1)}


def _round_elapsed(node: object) -> None:
    """Round every ``elapsed`` (seconds) in the crawl to 0.1 s, in place."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "elapsed":
                node[key] = round(value, 1)
            else:
                _round_elapsed(value)
    elif isinstance(node, list):
        for value in node:
            _round_elapsed(value)


def _compact(data: dict) -> str:
    """JSON text with one line per site (small, and diffs stay per unit)."""
    head = {k: v for k, v in data.items() if k != "sites"}
    sites = ",\n".join(
        json.dumps(s, ensure_ascii=False, separators=(",", ":")) for s in data["sites"]
    )
    return json.dumps(head, ensure_ascii=False)[:-1] + ', "sites": [\n' + sites + "\n]}\n"


def main() -> None:
    """Crawl the fixture sites and save the crawl."""
    hosts = slugs()
    columns = [ColumnSpec(**c) for c in column_settings()]
    with contextlib.ExitStack() as stack:
        servers = {u: stack.enter_context(LocalSite(routes(u, **FAULTS.get(u, {})))) for u in hosts}
        sites = [SiteSpec(u, s.url, columns) for u, s in servers.items()]
        crawl = crawl_sites(
            InspectionSettings(
                sites=sites,
                probes=PROBES,
                rate=0.0,
                timeout=5.0,
                link_sample=5,
                inspection_date=INSPECTION.isoformat(),
            )
        )
        bases = {s.url: f"http://{hosts[u]}.xxshi.invalid/" for u, s in servers.items()}
    save_crawl(crawl, OUT)
    text = OUT.read_text(encoding="utf-8")
    for local, placeholder in bases.items():
        text = text.replace(local, placeholder)
    data = json.loads(text)
    data["crawled_at"] = f"{INSPECTION.isoformat()}T02:00:00+00:00"
    _round_elapsed(data)  # fixture timings vary per run: keep the file small and stable
    OUT.write_text(_compact(data), encoding="utf-8")
    crawl = load_crawl(OUT)
    print(f"{OUT}: {len(crawl.sites)} sites")


if __name__ == "__main__":
    main()
