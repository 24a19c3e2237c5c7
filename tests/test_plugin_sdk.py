"""The plugin SDK ``zwgk_score.plugin`` is the only thing plugins import (issue 12 item 1).

Also: starting the tool and building a plugin host import nothing heavy, and
``parse_rubric()``/``score()`` without ``methods=`` use the built-ins only.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import zwgk_score.plugin as sdk
from zwgk_score.errors import ConfigError, RubricError
from zwgk_score.scaffold import scaffold_plugin

ROOT = Path(__file__).resolve().parents[1]
PLUGIN_SOURCES = sorted((ROOT / "plugins").glob("*/src/**/*.py"))


def core_imports(source: str) -> list[str]:
    """Modules of zwgk_score (not of the plugin itself) imported by ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        found += [n for n in names if n == "zwgk_score" or n.startswith("zwgk_score.")]
    return found


def test_the_scan_sees_internal_imports():
    """The checker itself: an internal import is reported, the SDK is not."""
    src = "from zwgk_score.collect.tables import Column\nimport zwgk_score.config\n"
    assert core_imports(src) == ["zwgk_score.collect.tables", "zwgk_score.config"]
    assert core_imports("from zwgk_score.plugin import hookimpl\nimport zwgk_score_x.y\n") == [
        "zwgk_score.plugin"
    ]


def test_five_region_plugins_exist():
    regions = {p.relative_to(ROOT / "plugins").parts[0] for p in PLUGIN_SOURCES}
    assert regions == {"huairou", "langfang", "liaocheng", "tancheng", "xxshi"}


@pytest.mark.parametrize("path", PLUGIN_SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_region_plugins_import_only_the_sdk(path):
    bad = [m for m in core_imports(path.read_text(encoding="utf-8")) if m != "zwgk_score.plugin"]
    assert not bad, f"{path.relative_to(ROOT)} imports internals {bad}; use zwgk_score.plugin"


def test_scaffold_imports_only_the_sdk(tmp_path):
    target = scaffold_plugin("sdkcheck", tmp_path)
    sources = sorted(target.rglob("*.py"))
    assert len(sources) == 4  # __init__, plugin, records, test
    for path in sources:
        bad = [
            m for m in core_imports(path.read_text(encoding="utf-8")) if m != "zwgk_score.plugin"
        ]
        assert not bad, f"{path.name} imports {bad}"


def test_every_sdk_name_resolves():
    for name in sdk.__all__:
        assert getattr(sdk, name) is not None, name
    with pytest.raises(AttributeError):
        sdk.no_such_name  # noqa: B018


def test_the_sdk_does_not_export_the_test_web_server():
    assert not [n for n in sdk.__all__ if "site" in n.lower() or "server" in n.lower()]
    import zwgk_score

    assert not [n for n in zwgk_score.__all__ if "site" in n.lower() or "server" in n.lower()]


HEAVY = ("pandas", "numpy", "docx", "xlsxwriter", "httpx", "openpyxl", "jinja2", "selectolax")


def test_plugin_host_imports_nothing_heavy():
    """Before: the default plugins imported pandas, python-docx, xlsxwriter and httpx (0.75 s)."""
    code = textwrap.dedent(
        f"""
        import sys
        from zwgk_score.plugins import PluginHost
        host = PluginHost()
        heavy = [m for m in {HEAVY!r} if m in sys.modules]
        print(repr((heavy, len(host.failures))))
        """
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    heavy, failures = ast.literal_eval(r.stdout.strip())
    assert heavy == []
    assert failures == 0  # start-up time: benchmarks/bench_cli.py, not a timed test


def test_cli_help_imports_nothing_heavy():
    code = (
        "import sys\nfrom zwgk_score.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        f"print([m for m in {HEAVY!r} if m in sys.modules])"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.stdout.strip().splitlines()[-1] == "[]", r.stdout + r.stderr


def test_sdk_hookimpl_import_is_light():
    code = (
        "import sys\nfrom zwgk_score.plugin import hookimpl, ConfigError\n"
        f"print([m for m in {HEAVY!r} if m in sys.modules])"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert r.stdout.strip() == "[]"


RUBRIC = {
    "meta": {"id": "m", "title": "t", "issuer": "i", "year": 2023, "performance_share": 4},
    "grades": [{"name": "合格", "min": 60}, {"name": "不合格", "min": 0}],
    "groups": [{"id": "g", "name": "G"}],
    "domains": [
        {
            "id": "D",
            "name": "d",
            "points": 100,
            "indicators": [{"id": "x", "name": "x", "points": 100, "method": "pass60"}],
        }
    ],
}

ENTRY_PLUGIN = """
from zwgk_score.plugin import hookimpl
from zwgk_score.methods.builtin import Binary


class Pass60(Binary):
    name = "pass60"
    title = "六十分及格"


@hookimpl
def register_methods(register):
    register(Pass60())
"""


def test_parse_rubric_without_methods_uses_builtins_only(tmp_path, monkeypatch):
    """Before: an installed plugin's method was picked up silently (hidden global state)."""
    from zwgk_score import parse_rubric
    from zwgk_score.plugins import PluginHost

    site = tmp_path / "site"
    site.mkdir()
    (site / "sdkentry_mod.py").write_text(ENTRY_PLUGIN, encoding="utf-8")
    info = site / "sdkentry-0.1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: sdkentry\nVersion: 0.1.0\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text("[zwgk_score]\nsdkentry = sdkentry_mod\n", "utf-8")
    monkeypatch.syspath_prepend(str(site))
    try:
        assert "pass60" in PluginHost().methods()  # installed …
        with pytest.raises(RubricError, match="pass60"):
            parse_rubric(RUBRIC)  # … but never loaded implicitly
        rubric = parse_rubric(RUBRIC, methods=PluginHost().methods())  # explicit: fine
        assert rubric.leaves[0].method == "pass60"
    finally:
        sys.modules.pop("sdkentry_mod", None)


def test_declared_settings_typo_names_the_table(tmp_path):
    import attrs

    @attrs.frozen(kw_only=True)
    class Settings(sdk.TableSettings):
        label: str = "活动"

    with pytest.raises(ConfigError) as err:
        sdk.structure_settings(
            {"file": "a.csv", "lable": "x"},
            Settings,
            table="collectors.demo",
            file=tmp_path / "assessment.toml",
        )
    assert err.value.path == "collectors.demo.lable"
    assert err.value.file == str(tmp_path / "assessment.toml")
    assert "label" in (err.value.hint or "")  # the allowed keys are listed
    with pytest.raises(ConfigError, match="应为文本") as err:
        sdk.structure_settings({"file": 3}, Settings, table="collectors.demo", file=None)
    assert err.value.path == "collectors.demo.file"
    ok = sdk.structure_settings(
        {"file": "a.csv", "sheet": 1}, Settings, table="collectors.demo", file=None
    )
    assert (ok.file, ok.sheet, ok.label, ok.header_row) == ("a.csv", 1, "活动", 1)


def test_evidence_rows_broadcasts_scalars():
    rows = sdk.evidence_rows(["甲", "乙"], "k", [1, 2], evidence="说明", source=["a:2", "a:3"])
    assert list(rows.columns) == list(sdk.EVIDENCE_COLUMNS)
    assert rows["value"].tolist() == [1.0, 2.0]
    assert rows["key"].tolist() == ["k", "k"] and rows["status"].tolist() == ["ok", "ok"]
    assert rows["evidence"].tolist() == ["说明", "说明"]
    one = sdk.evidence_rows("甲", "k", status=sdk.STATUS_NA)
    assert len(one) == 1 and one["status"].iat[0] == "na"
    with pytest.raises(ValueError, match="source"):
        sdk.evidence_rows(["甲", "乙"], "k", source=["a:2"])


def test_annual_context_is_the_whole_year_with_the_china_calendar(tmp_path):
    from datetime import date

    from zwgk_score.plugin import annual_context

    ctx = annual_context(2024, ("甲", "乙"), tmp_path, config_file="a.toml")
    assert (ctx.year, ctx.quarter) == (2024, None)
    assert (ctx.period_start, ctx.period_end) == (date(2024, 1, 1), date(2024, 12, 31))
    assert ctx.units == ("甲", "乙") and ctx.base_dir == tmp_path
    assert ctx.config_file is not None and ctx.config_file.name == "a.toml"
    # 2024-10-12 was a make-up working Saturday after National Day (China's calendar)
    assert ctx.calendar.is_workday(date(2024, 10, 12))
