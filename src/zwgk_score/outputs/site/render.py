"""Write the results site (结果网站): index, overview, one page per unit, and its two assets.

Pages link to each other and to ``assets/`` by relative paths only, so the
folder works opened from disk (file://) and from any static web server; no
page loads anything from elsewhere.  Jinja2 autoescaping escapes every unit
name, reason and evidence text.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2

from zwgk_score.atomic import atomic_write_text
from zwgk_score.outputs.site.model import UNIT_DIR, SiteModel
from zwgk_score.outputs.site.options import site_options
from zwgk_score.outputs.site.trend import trend_source
from zwgk_score.outputs.template_cache import bytecode_cache
from zwgk_score.results import Results

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "site"
ASSETS = ("site.css", "site.js", "favicon.svg")


def _environment() -> jinja2.Environment:
    return _shared_environment(bytecode_cache("site"))


@functools.lru_cache(maxsize=4)
def _shared_environment(cache: jinja2.BytecodeCache | None) -> jinja2.Environment:
    """One environment per process (and cache): each site of a run reuses the compiled pages."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=False,
        bytecode_cache=cache,
    )


def build_model(results: Results, options: Mapping[str, Any], *, public: bool) -> SiteModel:
    """The page data of the site for ``results`` and the exporter ``options``."""
    opts = site_options(results, options, public=public)
    return SiteModel(results, opts, trend_source(results, options, opts.period))


def write_site(
    results: Results, folder: Path, options: Mapping[str, Any], *, public: bool = False
) -> list[Path]:
    """Write the site into ``folder``; return the files written (index first)."""
    model = build_model(results, options, public=public)
    env = _environment()
    site = model.site()
    has_self = not public and bool(results.items()["self_score"].notna().any())
    common = {"site": site, "has_self": has_self}
    written: list[Path] = []

    def put(rel: str, template: str, root: str, **context: Any) -> None:
        path = folder / rel
        text = env.get_template(template).render(root=root, **common, **context)
        atomic_write_text(path, text)
        written.append(path)

    groups = model.groups()
    put("index.html", "index.html.j2", "", page="index", groups=groups)
    put("overview.html", "overview.html.j2", "", page="overview", o=model.overview())
    anchors = {g.id: f"group-{i}" for i, g in enumerate(results.rubric.groups, start=1)}
    progress = options.get("progress")
    n_units = len(results.units)
    for k, unit in enumerate(results.units, 1):
        u = model.unit(unit)
        put(
            f"{UNIT_DIR}/{model.pages[unit]}",
            "unit.html.j2",
            "../",
            page="unit",
            u=u,
            group_anchor=anchors[u["group_id"]],
        )
        if callable(progress) and (k % 32 == 0 or k == n_units):
            progress(k, n_units)  # pages written, for the run's progress bar
    for name in ASSETS:
        path = folder / "assets" / name
        atomic_write_text(path, (TEMPLATES / name).read_text(encoding="utf-8"))
        written.append(path)
    return written
