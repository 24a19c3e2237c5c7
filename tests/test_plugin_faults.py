"""Plugin faults are named at the boundary (issue 13 item 4).

Every case is a one-file plugin in a ``--plugins-dir`` whose collector,
exporter or scoring method misbehaves in one way; the run must stop with a
:class:`PluginError` naming the plugin, the hook and what was wrong (never a
traceback), and write nothing.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap

import pytest

from zwgk_score.errors import PluginError
from zwgk_score.plugins import PluginHost
from zwgk_score.run import run_assessment

RUBRIC = """
[meta]
id = "faults"
title = "插件故障测试细则"
issuer = "某县人民政府办公室"
year = 2023
performance_share = 5

[[grades]]
name = "合格"
min = 60
[[grades]]
name = "不合格"
min = 0

[[groups]]
id = "dept"
name = "县直部门"

[[domains]]
id = "D1"
name = "公开平台"
points = 100
  [[domains.indicators]]
  id = "D1.1"
  name = "培训次数"
  points = 100
  method = "{method}"
  data = "training"
  params = {params}
"""

CONFIG = """
[assessment]
name = "某县2023年度政务公开考核"
rubric = "rubric.toml"
roster = "units.csv"
year = 2023
output = "out"

[collectors.faulty]

[outputs]
formats = ["json"{more_formats}]
"""

# a collector that works unless a case replaces its body
HEAD = """
import numpy as np
import pandas as pd

from zwgk_score.plugin import Method, evidence_rows, hookimpl
from zwgk_score.plugin import MeetingsCollector  # noqa: F401 - the SDK imports fine


class Faulty:
    name = "faulty"

    def collect(self, settings, ctx):
{collect}


@hookimpl
def register_collectors(register):
    register(Faulty())
"""

GOOD_COLLECT = '        return evidence_rows(["甲局", "乙局"], "training", [2.0, 1.0])'


def _project(tmp_path, collect=GOOD_COLLECT, extra="", method="count", more_formats=""):
    params = "{ target = 2 }" if method == "count" else "{}"
    (tmp_path / "rubric.toml").write_text(
        RUBRIC.format(method=method, params=params), encoding="utf-8"
    )
    (tmp_path / "units.csv").write_text("unit,group\n甲局,dept\n乙局,dept\n", encoding="utf-8")
    (tmp_path / "assessment.toml").write_text(
        CONFIG.format(more_formats=more_formats), encoding="utf-8"
    )
    plugs = tmp_path / "plugs"
    plugs.mkdir()
    body = HEAD.format(collect=textwrap.indent(textwrap.dedent(collect), " " * 8))
    (plugs / "badplug.py").write_text(body + textwrap.dedent(extra), encoding="utf-8")
    return tmp_path


def _run(project):
    host = PluginHost(project / "plugs", entry_points_enabled=False)
    return run_assessment(project / "assessment.toml", host=host)


COLLECTOR_FAULTS = {
    "returns None": ("return None", "返回了 NoneType"),
    "returns a list": ("return [1, 2]", "返回了 list"),
    "value is text": (
        'return pd.DataFrame({"unit": ["甲局"], "key": ["training"], "value": ["很多"]})',
        "value「很多」不是数字",
    ),
    "value is inf": (
        'return pd.DataFrame({"unit": ["甲局"], "key": ["training"], "value": [float("inf")]})',
        "不是有限数值",
    ),
    "unit not in roster": (
        'return pd.DataFrame({"unit": ["丙局"], "key": ["training"], "value": [1.0]})',
        "单位「丙局」不在单位名单中",
    ),
    "value is -inf after a NaN": (
        'return pd.DataFrame({"unit": ["甲局", "乙局"], "key": ["training"] * 2,'
        ' "value": [float("nan"), -float("inf")]})',
        "第 2 行 value 不是有限数值",
    ),
    "text is pd.NA": (
        'return pd.DataFrame({"unit": ["甲局"], "key": ["training"], "text": [pd.NA]})',
        "text 是 NAType",
    ),
    "unknown column": (
        'return pd.DataFrame({"unit": ["甲局"], "key": ["training"], "valeu": [1.0]})',
        "未知列 valeu",
    ),
    "unit is a number": (
        'return pd.DataFrame({"unit": [7], "key": ["training"], "value": [1.0]})',
        "unit 是 int",
    ),
    "no key column": ('return pd.DataFrame({"unit": ["甲局"], "value": [1.0]})', "缺少列 key"),
    "bad status": (
        'return pd.DataFrame({"unit": ["甲局"], "key": ["training"], "status": ["好"]})',
        "status「好」无效",
    ),
    "raises": ("raise ZeroDivisionError('division by zero')", "出错：ZeroDivisionError"),
}


@pytest.mark.parametrize("case", list(COLLECTOR_FAULTS))
def test_collector_fault_is_named(tmp_path, case):
    collect, expected = COLLECTOR_FAULTS[case]
    project = _project(tmp_path, collect)
    with pytest.raises(PluginError) as err:
        _run(project)
    text = str(err.value)
    assert "插件「badplug」的采集器「faulty」" in text
    assert "register_collectors" in text and expected in text
    assert "collectors.faulty" in text  # located in the config
    assert not (project / "out").exists()


EXPORTERS = """

class Exporter:
    name = "broken"

    def export(self, results, out_dir, options):
{body}


@hookimpl
def register_exporters(register):
    register(Exporter())
"""

EXPORTER_FAULTS = {
    "raises": ("raise KeyError('total')", "出错：KeyError"),
    "returns None": ("return None", "返回了 NoneType"),
    "returns a missing file": ("return [out_dir / 'nothing.txt']", "该文件不存在"),
}


@pytest.mark.parametrize("case", list(EXPORTER_FAULTS))
def test_exporter_fault_is_named(tmp_path, case):
    body, expected = EXPORTER_FAULTS[case]
    extra = EXPORTERS.format(body=textwrap.indent(body, " " * 8))
    project = _project(tmp_path, extra=extra, more_formats=', "broken"')
    with pytest.raises(PluginError) as err:
        _run(project)
    text = str(err.value)
    assert "插件「badplug」的输出格式「broken」" in text
    assert "register_exporters" in text and expected in text
    assert not (project / "out").exists()


METHODS = """

import attrs


@attrs.frozen
class NoParams:
    pass


class Odd(Method):
    name = "odd"
    title = "故障方法"
    params_type = NoParams

    def score(self, points, params, d):
{body}


@hookimpl
def register_methods(register):
    register(Odd())
"""

METHOD_FAULTS = {
    "raises": ("raise IndexError('list index out of range')", "出错：IndexError"),
    "returns text": ("return np.array(['满分', '零分'])", "应返回每个单位一个数的数组"),
    "wrong shape": ("return np.zeros(5)", "形状为 (5,)，应为 (2,)"),
    "returns inf": ("return np.full(len(d.n), np.inf)", "非有限数值"),
    "returns None": ("return None", "返回了 NoneType"),
}


@pytest.mark.parametrize("case", list(METHOD_FAULTS))
def test_method_fault_is_named(tmp_path, case):
    body, expected = METHOD_FAULTS[case]
    extra = METHODS.format(body=textwrap.indent(body, " " * 8))
    project = _project(tmp_path, extra=extra, method="odd")
    rubric = (project / "rubric.toml").read_text(encoding="utf-8").replace("params = {}\n", "")
    (project / "rubric.toml").write_text(rubric, encoding="utf-8")
    with pytest.raises(PluginError) as err:
        _run(project)
    text = str(err.value)
    assert "插件「badplug」的评分方法「odd」" in text
    assert "register_methods → score" in text and expected in text
    assert not (project / "out").exists()


IMPORT_FAULTS = {
    "sys.exit": ("import sys\nsys.exit(3)\n", "导入时调用了 sys.exit(3)"),
    "KeyboardInterrupt": ("raise KeyboardInterrupt\n", "导入时引发 KeyboardInterrupt"),
    "misspelt hook": (
        "from zwgk_score.plugin import hookimpl\n\n"
        "@hookimpl\ndef register_method(register):\n    pass\n",
        "实现了不存在的钩子 register_method",
    ),
}


@pytest.mark.parametrize("case", list(IMPORT_FAULTS))
def test_import_fault_is_recorded_and_named(tmp_path, case):
    source, expected = IMPORT_FAULTS[case]
    plugs = tmp_path / "plugs"
    plugs.mkdir()
    (plugs / "rogue.py").write_text(source, encoding="utf-8")
    host = PluginHost(plugs, entry_points_enabled=False)  # the tool still starts
    assert [f.name for f in host.failures] == ["rogue"]
    assert expected in host.failures[0].error
    assert "rogue" not in {name for name, _ in host.pm.list_name_plugin()}
    with pytest.raises(PluginError, match=re.escape("「rogue」") + ".*" + re.escape(expected)):
        host.raise_failures()


def test_cli_names_a_sys_exit_at_import_and_exits_2(tmp_path):
    project = _project(tmp_path)
    (project / "plugs" / "rogue.py").write_text("import sys\nsys.exit(0)\n", encoding="utf-8")
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "zwgk_score.cli",
            "run",
            str(project),
            "--plugins-dir",
            str(project / "plugs"),
        ],
        capture_output=True,
        text=True,
        env={"PATH": "", "ZWGK_SCORE_PLUGINS": "badplug,rogue", "COLUMNS": "200"},
    )
    assert r.returncode == 2, r.stdout + r.stderr
    assert "「rogue」" in r.stderr and "sys.exit(0)" in r.stderr
    assert "Traceback" not in r.stderr


def test_misspelt_hook_is_not_listed_as_loaded(tmp_path):
    """Before: pluggy accepted ``register_method`` silently and ``zwgk-score plugins`` listed it."""
    plugs = tmp_path / "plugs"
    plugs.mkdir()
    (plugs / "typo.py").write_text(IMPORT_FAULTS["misspelt hook"][0], encoding="utf-8")
    r = subprocess.run(
        [sys.executable, "-m", "zwgk_score.cli", "plugins", "--plugins-dir", str(plugs)],
        capture_output=True,
        text=True,
        env={"PATH": "", "COLUMNS": "200"},
    )
    assert r.returncode == 0, r.stderr
    assert "register_method" in r.stdout and "不存在的钩子" in r.stdout


def test_a_working_plugin_passes_the_boundary_unchanged(tmp_path):
    project = _project(tmp_path)
    outcome = _run(project)
    # count with target 2: 甲局 2 trainings → 100, 乙局 1 → 100 × 1/2 = 50
    assert outcome.results.summary.set_index("unit")["total"].to_dict() == {
        "甲局": 100.0,
        "乙局": 50.0,
    }
