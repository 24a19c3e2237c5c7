"""Assessment config (考核配置): paths, periods, collectors and errors with locations."""

from __future__ import annotations

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
