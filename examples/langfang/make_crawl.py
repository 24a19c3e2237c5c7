"""Write the saved website crawl of the 廊坊市 example (crawl/2023-12-20.json).

Serves one fixture 政府信息公开 site per unit on 127.0.0.1
(``zwgk_score.inspection.demo_crawl``), crawls them once with 50 home-page
probes each and saves the result, so that ``zwgk-score run examples/langfang``
re-scores the inspection offline (``saved_crawl`` in assessment.toml); the
local addresses are replaced by each unit's ``unitNN.langfang.invalid``
placeholder, the ``url`` the config lists.  Run
``python examples/langfang/make_crawl.py`` only to regenerate the file.

Site faults (the demo site's column ids: jgzn 机构职能, zcwj 政策文件,
zcjd 政策解读, czyjs 财政预决算, ysqgk 依申请公开, ndbg 年度报告):
``stale`` last updated 200 days before the inspection, ``blank`` empty,
``broken`` item pages answering 404, ``fail_every`` the home page answers
500 on every n-th request (50 probes: 25 → 2 failures, 96 %; 50 → 1, 98 %).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from zwgk_score.inspection import demo_crawl, save_crawl

INSPECTION = date(2023, 12, 20)
PROBES = 50
SITES = {
    "三河市": {},
    "霸州市": {"broken": 1},
    "香河县": {"stale": ["zcjd"], "broken": 2},
    "大厂回族自治县": {"blank": ["ndbg"], "fail_every": 50},
    "固安县": {},
    "永清县": {"stale": ["zcjd", "czyjs"], "blank": ["ysqgk"], "broken": 3, "fail_every": 25},
    "文安县": {"broken": 2, "fail_every": 50},
    # 5 stale columns ≥ 5: single-item veto (单项否决)
    "大城县": {"stale": ["zcwj", "zcjd", "czyjs", "ysqgk", "ndbg"]},
    "安次区": {"stale": ["czyjs"]},
    "广阳区": {},
    "廊坊开发区": {"broken": 1},
    "临空经济区(廊坊)": {"blank": ["ndbg"], "stale": ["zcjd"]},
    "市发改委": {},
    "市财政局": {"stale": ["zcjd"]},
    "市教育局": {"broken": 1, "fail_every": 50},
    "市人社局": {"stale": ["zcjd", "ndbg"], "missing": ["jgzn"], "broken": 2},
    "市住建局": {"blank": ["ndbg"]},
    "市行政审批局": {},
    "市卫生健康委": {"broken": 1},
    "市市场监督管理局": {"stale": ["zcjd", "czyjs", "ysqgk"], "fail_every": 25},
    "市农业农村局": {},
}


def main() -> Path:
    crawl = demo_crawl(SITES, inspection=INSPECTION, probes=PROBES)
    out = save_crawl(crawl, Path(__file__).parent / "crawl" / f"{INSPECTION.isoformat()}.json")
    # the fixture ports change on every run: save each site under its placeholder address
    # http://unitNN.langfang.invalid/ (the reserved .invalid domain never resolves), as listed in assessment.toml
    text = Path(out).read_text(encoding="utf-8")
    for i, site in enumerate(crawl.sites, 1):
        text = text.replace(site.url.rstrip("/"), f"http://unit{i:02d}.langfang.invalid")
    Path(out).write_text(text, encoding="utf-8")
    return Path(out)


if __name__ == "__main__":
    print(main())
