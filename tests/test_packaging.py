"""Packaging metadata (issue 12 item 6): SPDX licence and LICENSE files, one version, true minimums."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

import zwgk_score

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
PLUGINS = sorted(p.parent for p in (ROOT / "plugins").glob("*/pyproject.toml"))


def _name(req: str) -> str:
    return re.split(r"[<>=!~; \[]", req, maxsplit=1)[0].lower().replace("_", "-")


def test_spdx_license_and_license_files():
    """Before: ``license = { text = … }`` (deprecated table form) and no LICENSE file."""
    assert PROJECT["license"] == "Apache-2.0"
    assert "Apache License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert len(PLUGINS) == 5
    for plugin in PLUGINS:
        meta = tomllib.loads((plugin / "pyproject.toml").read_text(encoding="utf-8"))["project"]
        assert meta["license"] == "Apache-2.0", plugin.name
        assert (plugin / "LICENSE").read_text(encoding="utf-8") == (ROOT / "LICENSE").read_text(
            encoding="utf-8"
        )


def test_version_has_one_source():
    """Before: the version was written in pyproject.toml and in zwgk_score/__init__.py."""
    assert "version" not in PROJECT and "version" in PROJECT["dynamic"]
    conf = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert conf["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "zwgk_score.__version__"}
    assert re.fullmatch(r"\d+\.\d+\.\d+", zwgk_score.__version__)


def test_classifiers_and_no_invented_urls():
    """Classifiers are declared; project URLs are left out until the project has a public home
    (an invented address would send users nowhere)."""
    assert "Natural Language :: Chinese (Simplified)" in PROJECT["classifiers"]
    assert not [c for c in PROJECT["classifiers"] if c.startswith("License ::")]  # SPDX instead
    assert "urls" not in PROJECT


def test_minimum_constraints_match_the_declared_lower_bounds():
    """constraints-min.txt pins exactly the ``>=`` bound of every dependency (scripts/test-min.sh)."""
    pins = {}
    for line in (ROOT / "constraints-min.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = line.split("==")
            pins[_name(name)] = version
    declared = {}
    for req in PROJECT["dependencies"]:
        if "python_version" in req:
            continue  # tomli: only on 3.10
        m = re.search(r">=\s*([\w.]+)", req)
        assert m, f"{req} has no lower bound"
        declared[_name(req)] = m.group(1)
    assert pins.keys() == declared.keys()
    for name, version in declared.items():
        assert pins[name].split(".")[: len(version.split("."))] == version.split(".") or pins[
            name
        ].startswith(version), (name, pins[name], version)


@pytest.mark.parametrize(
    ("name", "floor", "why"),
    [
        ("cattrs", "24.1", "structure.py imports cattrs.cols (new in 24.1)"),
        (
            "chinesecalendar",
            "1.11.0",
            "docs/workdays.md promises 2004–2026; 2026 arrived in 1.11.0",
        ),
        ("pandas", "2.1", "DataFrame.map (new in 2.1)"),
    ],
)
def test_known_floors(name, floor, why):
    req = next(r for r in PROJECT["dependencies"] if _name(r) == name)
    assert f">={floor}" in req.replace(" ", ""), why


def test_workdays_doc_promise_matches_the_calendar():
    from chinese_calendar import constants

    assert max(d.year for d in constants.holidays) >= 2026
    assert "2004—2026" in (ROOT / "docs" / "workdays.md").read_text(encoding="utf-8")
