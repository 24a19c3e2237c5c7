"""Assessment config (考核配置): paths, periods, collectors and errors with locations."""

from __future__ import annotations

import re
from datetime import date

import pytest

from zwgk_score.config import load_config
from zwgk_score.errors import ConfigError

BASE = """
[assessment]
name = "测试考核"
rubric = "r.toml"
roster = "units.csv"
year = 2023
"""


def write(tmp_path, text, name="assessment.toml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_directory_and_defaults(tmp_path):
    write(
        tmp_path,
        BASE
        + '\n[collectors.reviewer]\nuse = "table"\nfile = "x.csv"\n[collectors.hotline]\nfile = "m.csv"\n',
    )
    cfg = load_config(tmp_path)
    assert cfg.rubric == tmp_path / "r.toml"
    assert (cfg.start, cfg.end, cfg.period) == (date(2023, 1, 1), date(2023, 12, 31), "2023")
    assert [(c.name, c.collector, c.settings) for c in cfg.collectors] == [
        ("reviewer", "table", {"file": "x.csv"}),
        ("hotline", "hotline", {"file": "m.csv"}),
    ]


def test_quarter_period(tmp_path):
    cfg = load_config(write(tmp_path, BASE + "quarter = 3\n"))
    # Q3 = July 1 to September 30
    assert (cfg.start, cfg.end, cfg.period) == (date(2023, 7, 1), date(2023, 9, 30), "2023Q3")


@pytest.mark.parametrize(
    ("extra", "path", "message"),
    [
        ("quarter = 5\n", "assessment.quarter", "季度"),
        ('start = "2023-13-01"\n', "assessment.start", "日期"),
        ("yaer = 2023\n", "assessment", "未知的键：yaer"),
        ('end = "2022-12-31"\n', "assessment.end", "早于"),
        ('\n[outputs]\nformats = "excel"\n', "outputs.formats", "类型错误"),
        ("\n[collectors]\nhotline = 3\n", "collectors.hotline", "应为表"),
        ('\n[combine]\nquarterly = "q1.toml"\n', "combine.quarterly", "数组"),
        ("\n[extras]\na = 1\n", "extras", "未知的键"),
    ],
)
def test_config_errors_name_the_location(tmp_path, extra, path, message):
    p = write(tmp_path, BASE + extra)
    with pytest.raises(ConfigError) as err:
        load_config(p)
    assert err.value.path == path
    assert message in str(err.value)
    assert str(p) in str(err.value)


def test_missing_config_and_syntax_error(tmp_path):
    with pytest.raises(ConfigError, match="没有考核配置文件"):
        load_config(tmp_path)
    p = write(tmp_path, BASE + "quarter = \n")
    with pytest.raises(ConfigError) as err:
        load_config(p)
    assert err.value.line == 7  # the blank value is on line 7 (BASE starts with an empty line)


# -- one config path: every table through cattrs, TOML dates, located errors (issue 12) ------


@pytest.mark.parametrize(
    ("top", "extra", "path", "message"),
    [
        # was an AttributeError traceback: [combine] given as a string
        ('combine = "q1.toml"\n', "", "combine", "应为表"),
        ('outputs = "excel"\n', "", "outputs", "应为表"),
        ('calendar = ["2027-01-01"]\n', "", "calendar", "应为表"),
        ('notice = "x"\n', "", "notice", "应为表"),
        ('collectors = "x"\n', "", "collectors", "应为表"),
        ("", "\n[combine]\nquarterly = [1, 2]\n", "combine.quarterly[0]", "应为文本"),
        ("", "\n[collectors.hotline]\nuse = 3\n", "collectors.hotline.use", "应为文本"),
        ("", "quarter = true\n", "assessment.quarter", "应为整数"),
        ("", "quarter = 0\n", "assessment.quarter", "季度应为 1 到 4"),
        ("", "start = 2023-01-01T08:00:00\n", "assessment.start", "带有时刻"),
        ("", 'start = "2023-02-30"\n', "assessment.start", "不存在"),
        ("", "start = 1999-12-31\n", "assessment.start", "超出合理范围"),
        ("", "end = 2101-01-01\n", "assessment.end", "超出合理范围"),
        ("", "rubric_year = 1\n", "assessment.rubric_year", "超出合理范围"),
        ("", "\n[calendar.0]\nholidays = []\n", "calendar.0", "不是年份"),
        ("", "\n[calendar.9999]\nholidays = []\n", "calendar.9999", "超出合理范围"),
        ("", "\n[outputs]\nformat = []\n", "outputs", "是否应为 formats"),
    ],
)
def test_every_table_is_structured_with_a_located_error(tmp_path, top, extra, path, message):
    p = write(tmp_path, top + BASE + extra)
    with pytest.raises(ConfigError) as err:
        load_config(p)
    assert message in str(err.value)
    assert err.value.path == path
    assert err.value.line is not None  # every config error names its line
    assert str(p) in str(err.value)


@pytest.mark.parametrize("year", ["0", "1", "99999", "-2023"])
def test_absurd_years_are_refused(tmp_path, year):
    # were accepted and then crashed the writers (issue 13)
    p = write(tmp_path, BASE.replace("year = 2023", f"year = {year}"))
    with pytest.raises(ConfigError) as err:
        load_config(p)
    assert err.value.path == "assessment.year"
    assert "2000–2100" in err.value.message
    assert err.value.line == 6


def test_unquoted_toml_dates_are_dates(tmp_path):
    # was "类型错误，应为文本": [notice] accepted TOML dates, [assessment] did not
    cfg = load_config(
        write(
            tmp_path,
            BASE
            + "start = 2023-02-01\nend = 2023-11-30\n"
            + '\n[calendar.2027]\nholidays = [2027-01-01, "2027-01-02"]\nworkdays = []\n',
        )
    )
    assert (cfg.start, cfg.end) == (date(2023, 2, 1), date(2023, 11, 30))
    assert cfg.calendar is not None
    assert cfg.calendar[2027].holidays == [date(2027, 1, 1), date(2027, 1, 2)]


def test_error_lines_point_at_the_key(tmp_path):
    # BASE: line 1 empty, 2 [assessment], 3 name, 4 rubric, 5 roster, 6 year; line 7 follows
    p = write(tmp_path, BASE + 'end = "2022-12-31"\n')
    with pytest.raises(ConfigError) as err:
        load_config(p)
    assert (err.value.path, err.value.line) == ("assessment.end", 7)
    assert "第 7 行" in str(err.value)
    p = write(tmp_path, BASE + "\n[calendar.2027]\nholidays = [\n  2027-01-01,\n  2028-01-01,\n]\n")
    with pytest.raises(ConfigError) as err:
        load_config(p)
    # the key holding the bad item: `holidays = [` on line 9
    assert (err.value.path, err.value.line) == ("calendar.2027.holidays[1]", 9)


def test_misspelt_key_is_reported_before_the_missing_one(tmp_path):
    p = write(tmp_path, BASE.replace("year = 2023", "yaer = 2023"))
    with pytest.raises(ConfigError) as err:
        load_config(p)
    assert err.value.message.startswith("未知的键：yaer")
    assert "是否应为 year" in (err.value.hint or "")
    assert err.value.line == 6


def test_period_outside_the_year_is_an_error(tmp_path):
    p = write(tmp_path, BASE + "start = 2024-01-01\nend = 2024-12-31\n")
    with pytest.raises(ConfigError) as err:
        load_config(p)
    assert err.value.path == "assessment.start"
    assert "不重叠" in err.value.message
    # a period reaching into the year is fine (e.g. December to November)
    cfg = load_config(write(tmp_path, BASE + "start = 2022-12-01\nend = 2023-11-30\n"))
    assert cfg.start == date(2022, 12, 1)


@pytest.mark.parametrize("key", ["rubric", "roster", "previous"])
def test_directory_where_a_file_is_expected(tmp_path, key):
    (tmp_path / "folder").mkdir()
    text = BASE + 'previous = "x.json"\n'
    p = write(tmp_path, re.sub(rf'^{key} = ".*"$', f'{key} = "folder"', text, flags=re.M))
    with pytest.raises(ConfigError) as err:
        load_config(p)
    assert err.value.path == f"assessment.{key}"
    assert "目录" in err.value.message
    assert err.value.line is not None
