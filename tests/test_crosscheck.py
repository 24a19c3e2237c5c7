"""Cross-checks between config, rubric, data and previous result; limits; environment (issue 13).

Each case was accepted silently (or crashed) before: a config year that is not
the rubric's, a [combine] listing the config itself, a previous result of
another region, an export dated in another year, a header-only export under
``missing = "not_applicable"``, deep nesting, absurd environment variables.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from zwgk_score.cli import main
from zwgk_score.errors import ConfigError, DataError, RubricError
from zwgk_score.previous import load_previous
from zwgk_score.run import run_assessment

RUBRIC = """
[meta]
id = "{rid}"
title = "检查测试细则"
issuer = "某县人民政府办公室"
year = 2023
performance_share = 5
missing = "{missing}"

[[grades]]
name = "合格"
min = 0

[[groups]]
id = "dept"
name = "县直部门"

[[domains]]
id = "D1"
name = "评审"
points = 60
  [[domains.indicators]]
  id = "D1.1"
  name = "评审打分"
  points = 60
  method = "manual"
  data = "review"

[[domains]]
id = "D2"
name = "留言办理"
points = 40
  [[domains.indicators]]
  id = "D2.1"
  name = "逾期答复"
  points = 40
  method = "deduction"
  data = "late"
  params = {{ per = 10 }}
"""

CONFIG = """
[assessment]
name = "某县2023年度政务公开考核"
rubric = "rubric.toml"
roster = "units.csv"
year = 2023
output = "out"
{extra}
[collectors.review]
use = "table"
file = "review.csv"
keys = ["review"]

[collectors.hotline]
file = "messages.csv"
limit = 5
keys = {{ overdue = "late" }}
"""

REVIEW = "单位,指标,数值\n甲局,review,50\n乙局,review,40\n"
# 甲局: 2023-03-01 (Wed) → 2023-03-13 (Mon): 8 working days > 5 → one overdue message
MESSAGES = (
    "单位,编号,来信时间,答复时间\n甲局,L1,2023-03-01,2023-03-13\n乙局,L2,2023-03-01,2023-03-02\n"
)


def make(
    tmp_path, *, extra="", missing="error", rid="check-2023", review=REVIEW, messages=MESSAGES
):
    (tmp_path / "rubric.toml").write_text(RUBRIC.format(rid=rid, missing=missing), encoding="utf-8")
    (tmp_path / "units.csv").write_text("unit,group\n甲局,dept\n乙局,dept\n", encoding="utf-8")
    (tmp_path / "review.csv").write_text(review, encoding="utf-8")
    (tmp_path / "messages.csv").write_text(messages, encoding="utf-8")
    text = CONFIG.format(extra=extra)
    text += '\n[outputs]\nformats = ["json", "excel"]\n'
    (tmp_path / "assessment.toml").write_text(text, encoding="utf-8")
    return tmp_path / "assessment.toml"


def test_baseline_scores(tmp_path):
    outcome = run_assessment(make(tmp_path))
    totals = outcome.results.summary.set_index("unit")["total"].to_dict()
    # 甲局: 50 + (40 − 10 for one overdue reply) = 80; 乙局: 40 + 40 = 80
    assert totals == {"甲局": 80.0, "乙局": 80.0}
    assert outcome.warnings == ()
    assert "warnings" not in json.loads((tmp_path / "out" / "results.json").read_text("utf-8"))


# -- year consistency -------------------------------------------------------------------------


def test_config_year_other_than_the_rubric_is_an_error(tmp_path):
    cfg = make(tmp_path)
    cfg.write_text(cfg.read_text("utf-8").replace("year = 2023", "year = 2024"), "utf-8")
    with pytest.raises(ConfigError) as err:
        run_assessment(cfg)
    assert err.value.path == "assessment.year"
    assert err.value.line == 6
    assert "2024" in err.value.message and "2023" in err.value.message
    assert "rubric_year = 2023" in (err.value.hint or "")
    assert not (tmp_path / "out").exists()


def test_rubric_year_override_is_a_recorded_warning(tmp_path):
    cfg = make(tmp_path, messages=MESSAGES.replace("2023-", "2024-"))
    cfg.write_text(
        cfg.read_text("utf-8").replace("year = 2023", "year = 2024\nrubric_year = 2023"), "utf-8"
    )
    outcome = run_assessment(cfg)
    assert [w.kind for w in outcome.warnings] == ["rubric_year"]
    assert "沿用 2023 年度的考核细则" in outcome.warnings[0]
    data = json.loads((tmp_path / "out" / "results.json").read_text("utf-8"))
    assert data["warnings"][0]["kind"] == "rubric_year"
    assert data["warnings"][0]["path"] == "assessment.rubric_year"
    assert data["warnings"][0]["line"] == 7
    import openpyxl

    ws = openpyxl.load_workbook(tmp_path / "out" / "考核结果.xlsx")["运行提示"]
    assert "沿用 2023 年度的考核细则" in str(ws["A3"].value)


def test_wrong_rubric_year_override_is_an_error(tmp_path):
    cfg = make(tmp_path)
    cfg.write_text(
        cfg.read_text("utf-8").replace("year = 2023", "year = 2023\nrubric_year = 2022"), "utf-8"
    )
    with pytest.raises(ConfigError) as err:
        run_assessment(cfg)
    assert err.value.path == "assessment.rubric_year"


def test_export_dated_entirely_in_another_year_is_an_error(tmp_path):
    # before: every row dropped by the period filter, 0 overdue for everybody, exit 0
    cfg = make(tmp_path, messages=MESSAGES.replace("2023-", "2022-"))
    with pytest.raises(ConfigError) as err:
        run_assessment(cfg)
    assert err.value.path == "collectors.hotline"
    assert err.value.line == 14  # the [collectors.hotline] header
    assert "全部 2 行的日期（2022年3月1日至2022年3月1日）都不在 2023 年度内" in err.value.message
    # rows of other quarters in the same year are fine for a quarterly check
    cfg.write_text(
        cfg.read_text("utf-8").replace("year = 2023", "year = 2023\nquarter = 4"), "utf-8"
    )
    (tmp_path / "messages.csv").write_text(MESSAGES, encoding="utf-8")
    run_assessment(cfg)


# -- [combine] parts ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("combine", "message"),
    [
        ('quarterly = ["assessment.toml"]', "就是本配置自身"),
        ('quarterly = ["."]', "就是本配置自身"),
        ('quarterly = ["q1.toml", "./q1.toml"]', "与 combine.quarterly[0] 重复"),
        ('quarterly = ["q1.toml", "q1b.toml"]', "期别「2023Q1」与 combine.quarterly[0] 相同"),
        ('quarterly = ["q9.toml"]', "不存在"),
        ('quarterly = ["other_year.toml"]', "考核年度是 2022"),
    ],
)
def test_bad_combine_parts_are_located_errors(tmp_path, combine, message):
    cfg = make(tmp_path)
    base = cfg.read_text("utf-8")
    q1 = base.replace("year = 2023", "year = 2023\nquarter = 1").replace('"out"', '"out/q1"')
    (tmp_path / "q1.toml").write_text(q1, "utf-8")
    (tmp_path / "q1b.toml").write_text(q1, "utf-8")
    other = base.replace("year = 2023", "year = 2022\nrubric_year = 2023")
    (tmp_path / "other_year.toml").write_text(other, "utf-8")
    cfg.write_text(base + f"\n[combine]\n{combine}\n", "utf-8")
    with pytest.raises(ConfigError) as err:
        run_assessment(cfg)
    assert message in err.value.message
    assert err.value.path.startswith("combine.quarterly[")
    assert err.value.file == str(cfg)
    assert err.value.line is not None
    assert not (tmp_path / "out").exists()


# -- previous results ---------------------------------------------------------------------------


def _previous(tmp_path, **kw):
    last = tmp_path / "last"
    last.mkdir()
    run_assessment(make(last, **kw))
    return last / "out" / "results.json"


def test_previous_of_another_region_is_an_error(tmp_path):
    prev = _previous(tmp_path, rid="other-2022")
    data = json.loads(prev.read_text("utf-8"))
    for u, name in zip(data["units"], ["张镇", "李镇"], strict=True):
        u["unit"] = name
    prev.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    here = tmp_path / "now"
    here.mkdir()
    cfg = make(here, extra=f'previous = "{prev.as_posix()}"')
    with pytest.raises(ConfigError) as err:
        run_assessment(cfg)
    assert err.value.path == "assessment.previous"
    assert "没有一个单位" in err.value.message
    assert not (here / "out").exists()


def test_previous_of_another_rubric_is_a_recorded_warning(tmp_path):
    prev = _previous(tmp_path, rid="check-2022")
    here = tmp_path / "now"
    here.mkdir()
    outcome = run_assessment(make(here, extra=f'previous = "{prev.as_posix()}"'))
    assert [w.kind for w in outcome.warnings] == ["previous_rubric"]
    assert "check-2022" in outcome.warnings[0] and "check-2023" in outcome.warnings[0]
    data = json.loads((here / "out" / "results.json").read_text("utf-8"))
    assert [w["kind"] for w in data["warnings"]] == ["previous_rubric"]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[" * 5000 + "]" * 5000, "嵌套过深"),
        ('{"schema": 1, "units": ' + "[" * 60 + "]" * 60 + "}", "嵌套超过 40 层"),
        (
            '{"schema": 1, "units": [{"unit": "甲局", "group": "dept", "total": 1, "rank": "一"}]}',
            "应为整数",
        ),
        ('{"schema": 1, "units": "x"}', "应为数组"),
        ("[1, 2]", "应为表"),
        ('{"schema": 1,', "不是有效的 JSON"),
    ],
)
def test_bad_previous_files_are_located_errors(tmp_path, text, fragment):
    p = tmp_path / "results.json"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_previous(p)
    assert fragment in str(err.value)
    assert str(p) in str(err.value)


def test_previous_that_is_a_directory(tmp_path):
    with pytest.raises(DataError, match="目录"):
        load_previous(tmp_path)


# -- data: declared keys without rows ---------------------------------------------------------


def test_header_only_export_is_a_warning_under_not_applicable(tmp_path):
    # before: 评审打分 silently 不适用 for every unit, the totals rescaled from 40 points
    outcome = run_assessment(make(tmp_path, missing="not_applicable", review="单位,指标,数值\n"))
    assert [w.kind for w in outcome.warnings] == ["no_data"]
    w = outcome.warnings[0]
    assert "评审打分" in w.message and "review" in w.message and "不适用" in w.message
    assert w.path == "collectors.review.keys"
    assert w.line == 12  # keys = ["review"]
    data = json.loads((tmp_path / "out" / "results.json").read_text("utf-8"))
    assert data["warnings"][0]["kind"] == "no_data"


def test_header_only_export_under_missing_error_stays_an_error(tmp_path):
    with pytest.raises(DataError, match="缺少指标「评审打分」"):
        run_assessment(make(tmp_path, review="单位,指标,数值\n"))


# -- settings that do not fit the file --------------------------------------------------------


@pytest.mark.parametrize(
    ("setting", "path", "fragment"),
    [
        ('sheet = "Sheet1"', "collectors.review.sheet", "sheet 只适用于 Excel 文件"),
        # before: blamed on the built-in plugin ("插件「…collectors」的采集器出错：LookupError")
        ('encoding = "utf9"', "collectors.review.encoding", "未知的文字编码「utf9」"),
    ],
)
def test_reading_settings_that_cannot_apply(tmp_path, setting, path, fragment):
    cfg = make(tmp_path)
    cfg.write_text(
        cfg.read_text("utf-8").replace('file = "review.csv"', f'file = "review.csv"\n{setting}'),
        "utf-8",
    )
    with pytest.raises(ConfigError) as err:
        run_assessment(cfg)
    assert err.value.path == path
    assert fragment in err.value.message
    assert err.value.line == 12  # the setting, right below file = … on line 11


def test_encoding_on_a_workbook(tmp_path):
    cfg = make(tmp_path)
    cfg.write_text(
        cfg.read_text("utf-8").replace(
            'file = "review.csv"', 'file = "review.xlsx"\nencoding = "gbk"'
        ),
        "utf-8",
    )
    with pytest.raises(ConfigError, match="encoding 只适用于 CSV"):
        run_assessment(cfg)


def test_template_dirs_that_do_not_exist(tmp_path):
    cfg = make(tmp_path)
    cfg.write_text(
        cfg.read_text("utf-8") + '\n[notice]\ntemplate_dirs = ["my_templates"]\n', "utf-8"
    )
    cfg.write_text(
        cfg.read_text("utf-8").replace('formats = ["json", "excel"]', 'formats = ["notice"]'),
        "utf-8",
    )
    with pytest.raises(ConfigError) as err:
        run_assessment(cfg)
    assert err.value.path == "notice.template_dirs[0]"
    assert "不存在" in err.value.message
    assert not (tmp_path / "out").exists()


# -- limits -----------------------------------------------------------------------------------


def _deep_rubric(depth: int) -> str:
    head = RUBRIC.format(rid="deep", missing="error").split("[[domains]]")[0]
    parts, prefix = [head], "domains"
    for d in range(depth):
        leaf = 'method = "manual"\ndata = "review"\n' if d == depth - 1 else ""
        parts.append(f'[[{prefix}]]\nid = "n{d}"\nname = "第{d + 1}级"\npoints = 100\n{leaf}')
        prefix += ".indicators"
    return "".join(parts)


@pytest.mark.parametrize(
    ("depth", "fragment"), [(13, "指标层级超过 12 级"), (600, "嵌套超过 40 层")]
)
def test_rubric_depth_is_limited(tmp_path, depth, fragment):
    from zwgk_score.rubric import load_rubric

    p = tmp_path / "deep.toml"
    p.write_text(_deep_rubric(12), encoding="utf-8")
    assert len(load_rubric(p).leaves) == 1  # twelve levels are fine
    p.write_text(_deep_rubric(depth), encoding="utf-8")
    with pytest.raises(RubricError) as err:  # was a RecursionError traceback at a few hundred
        load_rubric(p)
    assert fragment in err.value.message
    assert err.value.path.startswith("domains[0].indicators[0]")


def test_toml_nested_arrays_are_a_clear_error(tmp_path):
    p = tmp_path / "assessment.toml"
    p.write_text("x = " + "[" * 3000 + "]" * 3000 + "\n", encoding="utf-8")
    from zwgk_score.config import load_config

    with pytest.raises(ConfigError, match="嵌套过深"):  # was RecursionError
        load_config(p)


@pytest.mark.parametrize(
    ("var", "value", "fragment"),
    [
        ("SOURCE_DATE_EPOCH", "99999999999999", "超出合理范围"),  # was OverflowError/ValueError
        ("SOURCE_DATE_EPOCH", "0", "超出合理范围"),
        ("SOURCE_DATE_EPOCH", "-5", "不是整数秒数"),  # was silently ignored
        ("SOURCE_DATE_EPOCH", "soon", "不是整数秒数"),
        ("ZWGK_SCORE_PLUGINS", "tanchen", "未安装或未找到"),  # a typo loaded nothing
        ("ZWGK_SCORE_PLUGINS", "../plugs/x.py", "不是插件名称"),
    ],
)
def test_environment_variables_are_validated(tmp_path, monkeypatch, var, value, fragment):
    cfg = make(tmp_path)
    monkeypatch.setenv(var, value)
    result = CliRunner().invoke(main, ["run", str(cfg)])
    assert result.exit_code == 2, result.output
    assert fragment in result.output
    assert f"环境变量 {var}" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_valid_source_date_epoch_still_drives_the_timestamp(tmp_path, monkeypatch):
    from zwgk_score.env import source_date_epoch

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1704067200")
    assert source_date_epoch().isoformat() == "2024-01-01T00:00:00"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "")
    assert source_date_epoch() is None
