"""Plugin loading: entry points, --plugins-dir, broken plugins, the restriction variable."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from zwgk_score.errors import PluginError
from zwgk_score.plugins import PluginHost

GOOD = """
from zwgk_score.hookspecs import hookimpl
from zwgk_score.methods.builtin import Binary

__version__ = "1.2.3"


class Pass60(Binary):
    \"\"\"A region rule: full points when the value reaches 60.\"\"\"

    name = "pass60"
    title = "六十分及格"

    def check_value(self, params, points, values, texts):
        return None

    def score(self, params, points, d):
        import numpy as np

        return np.where(d.value >= 60, points, 0.0)


@hookimpl
def register_methods(register):
    register(Pass60())
"""


def _install_dist(site, name: str, module_source: str, version: str = "0.3.0") -> None:
    """Lay out what ``pip install`` produces: a module plus a dist-info with an entry point."""
    (site / f"{name}_mod.py").write_text(textwrap.dedent(module_source), encoding="utf-8")
    info = site / f"{name}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(f"[zwgk_score]\n{name} = {name}_mod\n", encoding="utf-8")


@pytest.fixture
def site(tmp_path, monkeypatch):
    d = tmp_path / "site"
    d.mkdir()
    monkeypatch.syspath_prepend(str(d))
    yield d
    for mod in [m for m in sys.modules if m.endswith("_mod")]:
        sys.modules.pop(mod, None)


def test_entry_point_plugin_is_loaded_with_version(site):
    _install_dist(site, "regionx", GOOD)
    host = PluginHost()
    assert "pass60" in host.methods()
    info = {i.name: i for i in host.info()}
    assert info["regionx"].version == "0.3.0"
    assert info["regionx"].hooks == ("register_methods",)
    assert not info["regionx"].builtin


def test_restriction_variable_excludes_plugins(site, monkeypatch):
    _install_dist(site, "regionx", GOOD)
    monkeypatch.setenv("ZWGK_SCORE_PLUGINS", "")
    host = PluginHost()
    assert "pass60" not in host.methods()
    assert "binary" in host.methods()  # built-ins always load
    monkeypatch.setenv("ZWGK_SCORE_PLUGINS", "regionx")
    assert "pass60" in PluginHost().methods()


def test_plugins_dir_plugin(tmp_path):
    d = tmp_path / "plugs"
    d.mkdir()
    (d / "onefile.py").write_text(GOOD, encoding="utf-8")
    host = PluginHost(d, entry_points_enabled=False)
    assert "pass60" in host.methods()
    assert {i.name: i.version for i in host.info()}["onefile"] == "1.2.3"


def test_import_error_is_named_and_does_not_stop_loading(tmp_path):
    d = tmp_path / "plugs"
    d.mkdir()
    (d / "broken.py").write_text("import no_such_module_zwgk\n", encoding="utf-8")
    (d / "fine.py").write_text(GOOD, encoding="utf-8")
    host = PluginHost(d, entry_points_enabled=False)
    assert "pass60" in host.methods()  # the tool still starts
    assert [f.name for f in host.failures] == ["broken"]
    with pytest.raises(PluginError, match="「broken」导入失败.*no_such_module_zwgk"):
        host.raise_failures()


def test_raising_hook_is_named(tmp_path):
    d = tmp_path / "plugs"
    d.mkdir()
    (d / "raiser.py").write_text(
        "from zwgk_score.hookspecs import hookimpl\n\n@hookimpl\ndef register_collectors(register):\n    raise RuntimeError('boom')\n",
        encoding="utf-8",
    )
    host = PluginHost(d, entry_points_enabled=False)
    with pytest.raises(PluginError, match="「raiser」在钩子 register_collectors 中出错.*boom"):
        host.collectors()


def test_wrong_return_is_named(tmp_path):
    d = tmp_path / "plugs"
    d.mkdir()
    (d / "wrong.py").write_text(
        "from zwgk_score.hookspecs import hookimpl\n\n@hookimpl\ndef register_methods(register):\n    register('not a method')\n",
        encoding="utf-8",
    )
    with pytest.raises(PluginError, match="「wrong」.*无效的评分方法"):
        PluginHost(d, entry_points_enabled=False).methods()


def test_duplicate_method_name_is_refused(tmp_path):
    d = tmp_path / "plugs"
    d.mkdir()
    (d / "dup.py").write_text(GOOD.replace('name = "pass60"', 'name = "binary"'), encoding="utf-8")
    with pytest.raises(PluginError, match="「binary」被插件"):
        PluginHost(d, entry_points_enabled=False).methods()


def test_plugins_command_lists_plugins_and_failures(tmp_path):
    d = tmp_path / "plugs"
    d.mkdir()
    (d / "broken.py").write_text("raise ValueError('bad plugin')\n", encoding="utf-8")
    r = subprocess.run(
        [sys.executable, "-m", "zwgk_score.cli", "plugins", "--plugins-dir", str(d)],
        capture_output=True,
        text=True,
        env={"COLUMNS": "200", "PATH": ""},
    )
    assert r.returncode == 0, r.stderr
    assert "zwgk_score.default_plugins.methods" in r.stdout
    assert "register_methods" in r.stdout
    assert "broken" in r.stdout and "bad plugin" in r.stdout


def test_hook_register_methods_adds_a_region_rule(tmp_path):
    """A plugin's method is usable in a rubric like a built-in one."""
    import pandas as pd

    from zwgk_score import parse_rubric, score

    d = tmp_path / "plugs"
    d.mkdir()
    (d / "onefile.py").write_text(GOOD, encoding="utf-8")
    methods = PluginHost(d, entry_points_enabled=False).methods()
    rubric = parse_rubric(
        {
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
        },
        methods=methods,
    )
    data = pd.DataFrame({"unit": ["a", "b"], "key": ["x", "x"], "value": [75, 59]})
    res = score(
        rubric, data, pd.DataFrame({"unit": ["a", "b"], "group": ["g", "g"]}), methods=methods
    )
    assert res.summary["total"].tolist() == [100.0, 0.0]
