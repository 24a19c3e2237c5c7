"""The results site (结果网站): exporters ``html`` (内部版) and ``html_public`` (公开版).

See docs/site.md.  ``html`` writes ``网站/`` with evidence, sources and
self-scores for the office; ``html_public`` writes ``网站_公开版/`` for the
government portal, without any of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from zwgk_score.outputs.site.render import write_site
from zwgk_score.outputs.site.trend import RunTrend, TrendPoint, TrendSource
from zwgk_score.results import Results

#: folders inside the output directory
SITE_DIR = "网站"
PUBLIC_SITE_DIR = "网站_公开版"

__all__ = [
    "PUBLIC_SITE_DIR",
    "SITE_DIR",
    "SITE_EXPORTERS",
    "PublicSiteExporter",
    "RunTrend",
    "SiteExporter",
    "TrendPoint",
    "TrendSource",
    "write_site",
]


class SiteExporter:
    """网站/: the results site for the office (排名、单位详情含佐证、总体情况)."""

    name = "html"

    def export(self, results: Results, out_dir: Path, options: Mapping[str, Any]) -> list[Path]:
        return write_site(results, Path(out_dir) / SITE_DIR, options, public=False)


class PublicSiteExporter:
    """网站_公开版/: the same site without evidence, sources, self-scores or internal items."""

    name = "html_public"

    def export(self, results: Results, out_dir: Path, options: Mapping[str, Any]) -> list[Path]:
        return write_site(results, Path(out_dir) / PUBLIC_SITE_DIR, options, public=True)


SITE_EXPORTERS = (SiteExporter(), PublicSiteExporter())
