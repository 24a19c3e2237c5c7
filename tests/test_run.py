"""``zwgk-score run``: config → plugin collectors → score → outputs, and plugin isolation."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from faults.project import RUBRIC  # the same three-domain rubric as the fault cases

from zwgk_score.errors import PluginError
from zwgk_score.run import run_assessment

# A one-file plugin with two collectors; `fail_on` makes one raise, to test isolation.
PLUGIN = """
from zwgk_score.collect import evidence_frame
from zwgk_score.hookspecs import hookimpl


class Fixed:
    def __init__(self, name):
        self.name = name

    def collect(self, settings, ctx):
        if settings.get("fail"):
            raise RuntimeError("export file is corrupt")
        return evidence_frame(
            {"unit": u, "key": k, "value": v, "evidence": settings.get("evidence", "")}
            for u, row in settings["values"].items()
            for k, v in row.items()
        )


class Exporter:
    name = "unitlist"

    def export(self, results, out_dir, options):
        out_dir.mkdir(parents=True, exist_ok=True)
        path = out_dir / "units.txt"
        path.write_text("\\n".join(results.units), encoding="utf-8")
        return [path]


@hookimpl
def register_collectors(register):
    register(Fixed("fixed_a"))
    register(Fixed("fixed_b"))


@hookimpl
def register_exporters(register):
    register(Exporter())
"""

CONFIG = """
[assessment]
name = "某县2023年度政务公开考核"
rubric = "rubric.toml"
roster = "units.csv"
year = 2023
output = "out"

[collectors.fixed_a]
evidence = "巡查记录"
values = {{ "甲局" = {{ stale = 1, training = 2 }}, "乙局" = {{ stale = 3, training = 1 }} }}

[collectors.fixed_b]
fail = {fail}
keys = ["review"]
values = {{ "甲局" = {{ review = 36 }}, "乙局" = {{ review = 40 }} }}

[outputs]
formats = ["json", "unitlist"]
"""


@pytest.fixture
def project(tmp_path):
    (tmp_path / "rubric.toml").write_text(RUBRIC, encoding="utf-8")
    (tmp_path / "units.csv").write_text("unit,group\n甲局,dept\n乙局,dept\n", encoding="utf-8")
    plugs = tmp_path / "plugs"
    plugs.mkdir()
    (plugs / "fixedplug.py").write_text(PLUGIN, encoding="utf-8")
    return tmp_path


def test_hook_register_collectors_and_register_exporters_drive_a_run(project):
    (project / "assessment.toml").write_text(CONFIG.format(fail="false"), encoding="utf-8")
    outcome = run_assessment(project, plugins_dir=project / "plugs")
    totals = outcome.results.summary.set_index("unit")["total"].to_dict()
    # 甲局: 40 − 1×5 = 35; training 2/2 → 20; review 36 → 91
    # 乙局: 40 − 3×5 = 25; training 1/2 → 10; review 40 → 75
    assert totals == {"甲局": 91.0, "乙局": 75.0}
    assert (project / "out" / "units.txt").read_text(encoding="utf-8") == "甲局\n乙局"
    data = json.loads((project / "out" / "results.json").read_text(encoding="utf-8"))
    assert [u["grade"] for u in data["units"]] == ["优秀", "合格"]
    # performance share 6: 91 / 100 × 6 = 5.46
    assert data["units"][0]["performance"] == 5.46


def test_failing_collector_stops_the_run_and_writes_nothing(project):
    (project / "assessment.toml").write_text(CONFIG.format(fail="true"), encoding="utf-8")
    with pytest.raises(PluginError, match="「fixedplug」的采集器「fixed_b」出错.*corrupt"):
        run_assessment(project, plugins_dir=project / "plugs")
    assert not (project / "out").exists()


def test_partial_run_marks_missing_everywhere(project):
    (project / "assessment.toml").write_text(CONFIG.format(fail="true"), encoding="utf-8")
    outcome = run_assessment(project, plugins_dir=project / "plugs", allow_partial=True)
    assert any("fixed_b" in w for w in outcome.warnings)
    items = outcome.results.items()
    review = items[items["indicator"] == "D2.1"]
    assert set(review["status"]) == {"缺失（计0分）"}
    assert outcome.results.summary["missing"].tolist() == [1, 1]
    data = json.loads((project / "out" / "results.json").read_text(encoding="utf-8"))
    assert data["units"][0]["missing"] == 1


def test_cli_run_reports_plugin_error_without_traceback(project):
    (project / "assessment.toml").write_text(CONFIG.format(fail="true"), encoding="utf-8")
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
    )
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    assert "fixed_b" in r.stderr


def test_unknown_collector_is_a_config_error(project):
    (project / "assessment.toml").write_text(
        CONFIG.format(fail="false").replace("[collectors.fixed_a]", "[collectors.nosuch]"),
        encoding="utf-8",
    )
    from zwgk_score.errors import ConfigError

    with pytest.raises(ConfigError) as err:
        run_assessment(project, plugins_dir=project / "plugs")
    assert err.value.path == "collectors.nosuch"


REGION_TEMPLATE = """{% extends "_base.md.j2" %}
{% block requirements %}
## 四、工作要求

请各单位对照反馈单逐项整改，本区特别要求：整改情况报区政务公开办。
{% endblock %}
"""

TEMPLATE_PLUGIN = """
from pathlib import Path

from zwgk_score.hookspecs import hookimpl


@hookimpl
def register_notice_templates(register):
    register("region", str(Path(__file__).parent / "region_templates"))
"""


def test_hook_register_notice_templates_overrides_the_builtin_wording(project):
    (project / "assessment.toml").write_text(
        CONFIG.format(fail="false").replace('["json", "unitlist"]', '["notice"]'), encoding="utf-8"
    )
    tpl = project / "plugs" / "region_templates"
    tpl.mkdir()
    (tpl / "annual.md.j2").write_text(REGION_TEMPLATE, encoding="utf-8")
    (project / "plugs" / "regionnotice.py").write_text(TEMPLATE_PLUGIN, encoding="utf-8")
    # without naming the template set, the built-in wording is used (sets are never mixed)
    run_assessment(project, plugins_dir=project / "plugs")
    assert "本区特别要求" not in (project / "out" / "通报.md").read_text(encoding="utf-8")
    text = (project / "assessment.toml").read_text(encoding="utf-8")
    (project / "assessment.toml").write_text(
        text + '\n[notice]\ntemplates = "region"\n', encoding="utf-8"
    )
    run_assessment(project, plugins_dir=project / "plugs")
    md = (project / "out" / "通报.md").read_text(encoding="utf-8")
    assert "本区特别要求：整改情况报区政务公开办" in md
    assert "## 一、总体情况" in md  # the other sections still come from the built-in skeleton
    assert (project / "out" / "通报.docx").is_file()


def test_plugin_import_failure_stops_run_or_marks_missing_when_partial(project):
    """A plugin that fails to import is named; with allow_partial its collectors' keys become 缺失."""
    (project / "plugs" / "brokenregion.py").write_text(
        "import no_such_dependency_zwgk\n", encoding="utf-8"
    )
    cfg = CONFIG.format(fail="false").replace(
        "[collectors.fixed_b]", '[collectors.region_only]\nkeys = ["review"]\n[collectors.fixed_b]'
    )
    cfg = cfg.replace(
        '[collectors.fixed_b]\nfail = false\nkeys = ["review"]\nvalues = { "甲局" = { review = 36 }, "乙局" = { review = 40 } }',
        "",
    )
    (project / "assessment.toml").write_text(cfg, encoding="utf-8")
    with pytest.raises(PluginError, match="「brokenregion」导入失败.*no_such_dependency_zwgk"):
        run_assessment(project, plugins_dir=project / "plugs")
    assert not (project / "out").exists()
    outcome = run_assessment(project, plugins_dir=project / "plugs", allow_partial=True)
    assert any("brokenregion" in w for w in outcome.warnings)
    assert any("region_only" in w for w in outcome.warnings)
    items = outcome.results.items()
    assert set(items.loc[items["indicator"] == "D2.1", "status"]) == {"缺失（计0分）"}


def test_collector_settings_error_names_the_config_table(project):
    """[collectors.reviewer] use = "table": an error inside names collectors.reviewer, not collectors.table."""
    from zwgk_score.errors import ConfigError

    cfg = (
        CONFIG.format(fail="false")
        + '\n[collectors.reviewer]\nuse = "table"\nfile = "x.csv"\nbogus = 1\n'
    )
    (project / "assessment.toml").write_text(cfg, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        run_assessment(project, plugins_dir=project / "plugs")
    assert err.value.path == "collectors.reviewer.bogus"


def test_previous_results_json_gives_rank_changes(project, tmp_path):
    """[assessment] previous = last period's results.json → 上期排名 / 排名变化 and 进步较快单位."""
    import openpyxl

    (project / "assessment.toml").write_text(CONFIG.format(fail="false"), encoding="utf-8")
    run_assessment(project, plugins_dir=project / "plugs", output=tmp_path / "last")
    # this period 乙局 fixes its stale columns (3 → 0) and 甲局's reviewer score drops (36 → 30)
    cfg = (
        CONFIG.format(fail="false")
        .replace("stale = 3", "stale = 0")
        .replace("review = 36", "review = 30")
    )
    cfg = cfg.replace('["json", "unitlist"]', '["json", "excel", "notice"]')
    cfg = cfg.replace(
        'output = "out"',
        f'output = "out"\nprevious = "{(tmp_path / "last" / "results.json").as_posix()}"',
    )
    (project / "assessment.toml").write_text(cfg, encoding="utf-8")
    outcome = run_assessment(project, plugins_dir=project / "plugs")
    # 甲局: 35 + 20 + 30 = 85 (was 91, 1st); 乙局: 40 + 10 + 40 = 90 (was 75, 2nd)
    assert outcome.results.summary.set_index("unit")["rank"].to_dict() == {"甲局": 2, "乙局": 1}
    ws = openpyxl.load_workbook(project / "out" / "考核结果.xlsx")["汇总_县直部门"]
    header = [c.value.replace("\n", "") for c in ws[2]]  # a printed header's own line breaks
    assert "上期排名" in header and "排名变化" in header
    md = (project / "out" / "通报.md").read_text(encoding="utf-8")
    assert "进步较快单位：乙局（由第2名升至第1名，提高15.00分）" in md


def test_bad_previous_file_stops_before_writing(project, tmp_path):
    from zwgk_score.errors import DataError

    (tmp_path / "bad.json").write_text('{"schema": 99}', encoding="utf-8")
    cfg = CONFIG.format(fail="false").replace(
        'output = "out"', f'output = "out"\nprevious = "{(tmp_path / "bad.json").as_posix()}"'
    )
    (project / "assessment.toml").write_text(cfg, encoding="utf-8")
    with pytest.raises(DataError, match="不是 zwgk-score 的考核结果文件"):
        run_assessment(project, plugins_dir=project / "plugs")
    assert not (project / "out").exists()


def test_collector_data_error_hint_names_the_config_table(project):
    """A data error from [collectors.reviewer] use = "score_sheet" points its hint at collectors.reviewer."""
    from zwgk_score.errors import DataError

    (project / "sheet.csv").write_text("单位,培训\n丙局,1\n", encoding="utf-8")
    cfg = (
        CONFIG.format(fail="false")
        + '\n[collectors.reviewer]\nuse = "score_sheet"\nfile = "sheet.csv"\ncolumns = { training = "培训" }\n'
    )
    (project / "assessment.toml").write_text(cfg, encoding="utf-8")
    with pytest.raises(DataError) as err:
        run_assessment(project, plugins_dir=project / "plugs")
    assert "丙局" in err.value.message
    assert "[collectors.reviewer.aliases]" in err.value.hint


def test_failing_exporter_leaves_the_output_directory_untouched(project):
    """A bad notice template fails after the JSON and workbook were produced: none of them may appear."""
    from zwgk_score.errors import ConfigError

    out = project / "out"
    out.mkdir()
    (out / "通报.md").write_text("上次的通报", encoding="utf-8")
    cfg = CONFIG.format(fail="false").replace('["json", "unitlist"]', '["json", "excel", "notice"]')
    (project / "assessment.toml").write_text(
        cfg + '\n[notice]\ntemplate = "no_such_template"\n', encoding="utf-8"
    )
    with pytest.raises(ConfigError, match="找不到通报模板"):
        run_assessment(project, plugins_dir=project / "plugs")
    assert sorted(p.name for p in out.iterdir()) == [
        "通报.md"
    ]  # nothing new, the old notice untouched
    assert (out / "通报.md").read_text(encoding="utf-8") == "上次的通报"
    assert not [
        p for p in project.iterdir() if p.name.startswith(".out.")
    ]  # no staging folder left


def test_output_directory_that_is_a_file(project):
    (project / "assessment.toml").write_text(CONFIG.format(fail="false"), encoding="utf-8")
    (project / "taken").write_text("x", encoding="utf-8")
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "zwgk_score.cli",
            "run",
            str(project),
            "--plugins-dir",
            str(project / "plugs"),
            "-o",
            str(project / "taken"),
        ],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 2
    assert "Traceback" not in r.stderr and "输出目录是一个已存在的文件" in r.stderr
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "zwgk_score.cli",
            "run",
            str(project),
            "--plugins-dir",
            str(project / "plugs"),
            "-o",
            str(project / "taken" / "sub"),
        ],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 2 and "Traceback" not in r.stderr and "无法创建输出目录" in r.stderr
