"""Strict data in the one table reader (issue 13 item 2, issue 12 duplication item).

Exports, rosters and long data tables all go through
:func:`zwgk_score.collect.tables.read_export`: the same encodings, finite
numbers only, no control characters, no cells over Excel's limit (unless
repair is asked for explicitly, and then flagged), whitespace normalised the
same way for unit names in the roster and in the data.
"""

from __future__ import annotations

import pandas as pd
import pytest
from test_collect_tables import make_ctx

from zwgk_score.collect.generic import TableCollector
from zwgk_score.collect.tables import MAX_CELL
from zwgk_score.errors import ConfigError, DataError
from zwgk_score.plugins import PluginHost
from zwgk_score.roster import read_table

HEADER = "单位,指标,数值,佐证\n"


def _collect(tmp_path, body: str, **settings):
    (tmp_path / "data.csv").write_text(HEADER + body, encoding="utf-8")
    return TableCollector().collect({"file": "data.csv", **settings}, make_ctx(tmp_path))


@pytest.mark.parametrize("bad", ["inf", "-inf", "Infinity", "1e400", "1e308", "-1e13"])
def test_non_finite_or_absurd_values_are_refused_with_row_and_column(tmp_path, bad):
    """Before: inf and 1e400 passed (Infinity in results.json), 1e308 overflowed the sums."""
    with pytest.raises(DataError) as err:
        _collect(tmp_path, f"市发改委,D1,3,\n市教育局,D1,{bad},\n")
    assert err.value.file.endswith("data.csv")
    assert err.value.path == "第 3 行，列 数值"  # header = row 1, 市教育局 = row 3
    assert "有限" in err.value.message


def test_nan_text_is_not_a_number(tmp_path):
    with pytest.raises(DataError, match="「nan」不是数字") as err:
        _collect(tmp_path, "市发改委,D1,nan,\n")
    assert err.value.path == "第 2 行，列 数值"


def test_large_but_sane_values_pass(tmp_path):
    rows = _collect(tmp_path, "市发改委,D1,999999999999,\n")
    assert rows["value"].tolist() == [999999999999.0]


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f"])
def test_control_characters_are_refused_with_row_and_column(tmp_path, char):
    """Before: a NUL pasted into an evidence cell crashed the DOCX writer."""
    with pytest.raises(DataError) as err:
        _collect(tmp_path, f"市发改委,D1,3,正常\n市教育局,D1,2,栏目{char}空白\n")
    assert err.value.path == "第 3 行，列 佐证"
    assert f"U+{ord(char):04X}" in err.value.message
    assert "control_chars" in (err.value.hint or "")


def test_tab_and_newline_are_allowed(tmp_path):
    rows = _collect(tmp_path, '市发改委,D1,3,"第一行\n第二行\t备注"\n')
    assert rows["evidence"].tolist() == ["第一行\n第二行\t备注"]


def test_control_characters_stripped_on_request_and_flagged(tmp_path):
    rows = _collect(tmp_path, "市发改委,D1,3,栏目\x00空白\n", control_chars="strip")
    assert rows["evidence"].tolist() == ["栏目空白"]
    assert rows["source"].tolist() == ["data.csv:2（已删除控制字符）"]


def test_over_long_cells_refused_or_truncated_and_flagged(tmp_path):
    """Before: a 100,000-character cell was cut silently at 32,767 by the xlsx writer."""
    long = "长" * 100_000
    with pytest.raises(DataError, match="100000 个字符") as err:
        _collect(tmp_path, f"市发改委,D1,3,{long}\n")
    assert err.value.path == "第 2 行，列 佐证"
    rows = _collect(tmp_path, f"市发改委,D1,3,{long}\n", long_cells="truncate")
    assert len(rows["evidence"].iat[0]) == MAX_CELL == 32767
    assert rows["source"].iat[0] == f"data.csv:2（已截断至 {MAX_CELL} 字符）"


def test_repair_switch_values_are_checked(tmp_path):
    with pytest.raises(ConfigError, match="control_chars 应为 error 或 strip"):
        _collect(tmp_path, "市发改委,D1,3,\n", control_chars="yes")


def test_unknown_encoding_is_a_config_error(tmp_path):
    """Before: LookupError escaped and the run blamed the built-in plugin."""
    with pytest.raises(ConfigError, match="未知的文件编码「gbk2312」"):
        _collect(tmp_path, "市发改委,D1,3,\n", encoding="gbk2312")


def test_unknown_encoding_in_a_run_is_not_blamed_on_a_plugin(tmp_path):
    ctx = make_ctx(tmp_path)
    (tmp_path / "data.csv").write_text(HEADER + "市发改委,D1,3,\n", encoding="utf-8")
    table = PluginHost(entry_points_enabled=False).collectors()["table"]
    with pytest.raises(ConfigError):
        table.collect({"file": "data.csv", "encoding": "nope"}, ctx)


# ---------------------------------------------------------------- roster: the same reader


def test_gbk_roster_reads_like_a_gbk_export(tmp_path):
    """Before: the roster reader knew only UTF-8, so a GBK roster failed while GBK exports worked."""
    (tmp_path / "units.csv").write_bytes("unit,group\n市发改委,dept\n市教育局,dept\n".encode("gbk"))
    roster = read_table(tmp_path / "units.csv")
    assert roster["unit"].tolist() == ["市发改委", "市教育局"]


def test_roster_and_data_normalise_whitespace_the_same_way(tmp_path):
    (tmp_path / "units.csv").write_text(
        "unit,group\n\u3000市发改委 ,dept\n市教育局\xa0,dept\n", encoding="utf-8"
    )
    roster = read_table(tmp_path / "units.csv")
    assert roster["unit"].tolist() == ["市发改委", "市教育局"]
    # the same names with other surrounding whitespace in an export match the roster
    ctx = make_ctx(tmp_path, units=tuple(roster["unit"]))
    (tmp_path / "data.csv").write_text(
        HEADER + " 市发改委\u3000,D1,3,\n\t市教育局,D1,2,\n", encoding="utf-8"
    )
    rows = TableCollector().collect({"file": "data.csv"}, ctx)
    assert rows["unit"].tolist() == ["市发改委", "市教育局"]


def test_roster_control_character_is_located(tmp_path):
    (tmp_path / "units.csv").write_text("unit,group\n市发改委\x00,dept\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_table(tmp_path / "units.csv")
    assert err.value.path == "第 2 行，列 unit"


def test_long_data_table_value_must_be_finite(tmp_path):
    (tmp_path / "data.csv").write_text("unit,key,value\n甲,x,1\n乙,x,1e400\n", encoding="utf-8")
    with pytest.raises(DataError, match="1e400") as err:
        read_table(tmp_path / "data.csv")
    assert err.value.path == "第 3 行，列 value"


def test_directory_instead_of_a_table(tmp_path):
    (tmp_path / "units.csv").mkdir()
    with pytest.raises(DataError, match="文件夹"):
        read_table(tmp_path / "units.csv")


def test_results_json_is_strict(tmp_path):
    """results.json is written with allow_nan=False: a NaN can never become the token NaN."""
    import json

    from zwgk_score import parse_rubric, score

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
                    "indicators": [{"id": "x", "name": "x", "points": 100, "method": "binary"}],
                }
            ],
        }
    )
    data = pd.DataFrame({"unit": ["a", "b"], "key": ["x", "x"], "value": [1, 0]})
    res = score(rubric, data, pd.DataFrame({"unit": ["a", "b"], "group": ["g", "g"]}))
    text = res.to_json(tmp_path / "results.json")
    json.loads(text, parse_constant=lambda c: pytest.fail(f"non-standard JSON token {c}"))
