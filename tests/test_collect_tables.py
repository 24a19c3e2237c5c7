"""Shared reading layer of the built-in collectors (collect/tables.py).

Also home of ``make_ctx`` / ``write_xlsx`` / ``write_csv``, imported by the other
``test_collect_*`` files.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from zwgk_score.collect.base import CollectContext
from zwgk_score.collect.tables import Column, check_unique, load_records, parse_dates
from zwgk_score.errors import ConfigError, DataError
from zwgk_score.workdays import WorkCalendar

FIXTURES = Path(__file__).parent / "fixtures" / "collect"
UNITS = ("市发改委", "市教育局", "市民政局")
_CALENDAR = WorkCalendar.china()


def make_ctx(
    base_dir: Path = FIXTURES,
    *,
    start: date = date(2023, 1, 1),
    end: date = date(2023, 12, 31),
    units: tuple[str, ...] = UNITS,
) -> CollectContext:
    """A 2023 annual assessment of three units with the real working-day calendar."""
    return CollectContext(
        year=start.year,
        quarter=None,
        period_start=start,
        period_end=end,
        base_dir=base_dir,
        units=units,
        calendar=_CALENDAR,
        config_file=Path("assessment.toml"),
    )


def write_csv(path: Path, text: str) -> Path:
    path.write_text(text.strip() + "\n", encoding="utf-8")
    return path


def write_xlsx(path: Path, rows: list[list[object]], sheet: str = "Sheet1") -> Path:
    """Write rows (header first) to an XLSX sheet with openpyxl."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


COLS = (
    Column("unit", "单位"),
    Column("id", "编号", label="编号"),
    Column("received", "来信时间", "date"),
    Column("replied", "答复时间", "date", blank_ok=True),
    Column("simple", "简单咨询", "flag", required=False, blank_ok=True),
)


def test_reads_csv_and_maps_columns(tmp_path):
    write_csv(
        tmp_path / "m.csv",
        """
收件单位,留言号,收到,回复
市发改委,A1,2023/9/28,2023年10月9日
,,,
市教育局,A2,2023.3.1,
""",
    )
    settings = {
        "file": "m.csv",
        "columns": {"unit": "收件单位", "id": "留言号", "received": "收到", "replied": "回复"},
    }
    rec = load_records(settings, make_ctx(tmp_path), COLS, path="collectors.hotline")
    f = rec.frame
    # The blank line 3 is skipped, but row numbers stay as in the file: 2 and 4.
    assert f["_row"].tolist() == [2, 4]
    assert f["_source"].tolist() == ["m.csv:2", "m.csv:4"]
    assert f["received"].dt.strftime("%Y-%m-%d").tolist() == ["2023-09-28", "2023-03-01"]
    assert pd.isna(f["replied"].iat[1])
    assert not rec.has("simple")


def test_reads_xlsx_with_native_dates_and_header_row(tmp_path):
    from datetime import datetime

    write_xlsx(
        tmp_path / "m.xlsx",
        [
            ["2023年留言办理台账", None, None, None],
            ["单位", "编号", "来信时间", "答复时间"],
            ["市民政局", 1001, datetime(2023, 5, 6, 10, 30), "2023-05-08"],
        ],
        sheet="留言",
    )
    settings = {"file": "m.xlsx", "sheet": "留言", "header_row": 2}
    f = load_records(settings, make_ctx(tmp_path), COLS, path="p").frame
    assert f["_row"].tolist() == [3]  # title row 1, header row 2, data row 3
    assert f["id"].tolist() == ["1001"]
    assert f["received"].iat[0] == pd.Timestamp("2023-05-06")  # time of day dropped


def test_gbk_csv(tmp_path):
    (tmp_path / "g.csv").write_bytes(
        "单位,编号,来信时间,答复时间\n市发改委,A,2023-01-03,\n".encode("gbk")
    )
    f = load_records({"file": "g.csv"}, make_ctx(tmp_path), COLS, path="p").frame
    assert f["unit"].tolist() == ["市发改委"]


@pytest.mark.parametrize(
    ("row", "message", "where"),
    [
        ("市发改委,A,2023-13-45,", "无法识别的日期「2023-13-45」", "第 3 行，列 来信时间"),
        ("市财政局,A,2023-01-04,", "单位「市财政局」不在单位名单中", "第 3 行，列 单位"),
        ("市发改委,,2023-01-04,", "编号为空", "第 3 行，列 编号"),
        (
            "市发改委,A,2023-01-04,2023-01-05,也许",
            "无法识别的是/否值「也许」",
            "第 3 行，列 简单咨询",
        ),
    ],
)
def test_bad_rows_name_row_and_column(tmp_path, row, message, where):
    write_csv(
        tmp_path / "m.csv", f"单位,编号,来信时间,答复时间,简单咨询\n市教育局,B,2023-01-03,,\n{row}"
    )
    with pytest.raises(DataError) as err:
        load_records({"file": "m.csv"}, make_ctx(tmp_path), COLS, path="p")
    assert message in err.value.message
    assert err.value.path == where
    assert err.value.file == str(tmp_path / "m.csv")
    assert err.value.hint


def test_missing_column_lists_headers(tmp_path):
    write_csv(tmp_path / "m.csv", "单位,编号,收到时间\n市发改委,A,2023-01-03")
    with pytest.raises(DataError) as err:
        load_records({"file": "m.csv"}, make_ctx(tmp_path), COLS, path="collectors.hotline")
    assert "缺少列「来信时间」" in err.value.message
    assert "收到时间" in err.value.hint and "collectors.hotline.columns" in err.value.hint


def test_unknown_setting_and_column_name_are_config_errors(tmp_path):
    ctx = make_ctx(tmp_path)
    with pytest.raises(ConfigError) as err:
        load_records(
            {"file": "m.csv", "columns": {"recieved": "来信"}}, ctx, COLS, path="collectors.hotline"
        )
    assert err.value.path == "collectors.hotline.columns.recieved"
    assert "received" in err.value.hint
    with pytest.raises(ConfigError) as err:
        load_records({"file": "m.csv", "shet": "x"}, ctx, COLS, path="collectors.hotline")
    assert err.value.path == "collectors.hotline.shet"
    with pytest.raises(ConfigError) as err:
        load_records({}, ctx, COLS, path="collectors.hotline")
    assert err.value.path == "collectors.hotline.file"


def test_aliases_and_skip_units(tmp_path):
    write_csv(
        tmp_path / "m.csv",
        """
单位,编号,来信时间,答复时间
发展改革委,A,2023-01-03,
市档案馆,B,2023-01-03,
""",
    )
    settings = {"file": "m.csv", "aliases": {"发展改革委": "市发改委"}, "skip_units": ["市档案馆"]}
    f = load_records(settings, make_ctx(tmp_path), COLS, path="p").frame
    assert f["unit"].tolist() == ["市发改委"]
    assert f["_row"].tolist() == [2]


def test_duplicate_ids_name_both_rows(tmp_path):
    write_csv(
        tmp_path / "m.csv",
        """
单位,编号,来信时间,答复时间
市发改委,A,2023-01-03,
市发改委,B,2023-01-03,
市教育局,A,2023-01-04,
""",
    )
    rec = load_records({"file": "m.csv"}, make_ctx(tmp_path), COLS, path="p")
    with pytest.raises(DataError) as err:
        check_unique(rec, ["id"], "留言编号")
    assert err.value.path == "第 4 行，列 编号"
    assert "留言编号「A」重复（与第 2 行相同）" in err.value.message


def test_missing_file(tmp_path):
    with pytest.raises(DataError, match="文件不存在"):
        load_records({"file": "none.csv"}, make_ctx(tmp_path), COLS, path="p")


@given(
    st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 12, 31)),
    st.sampled_from(
        [
            "{y}-{m:02d}-{d:02d}",
            "{y}/{m}/{d}",
            "{y}年{m}月{d}日",
            "{y}.{m}.{d}",
            "{y}-{m}-{d} 08:30",
        ]
    ),
)
def test_parse_dates_round_trip(day, pattern):
    text = pattern.format(y=day.year, m=day.month, d=day.day)
    parsed = parse_dates(pd.Series([text], dtype=object))
    assert parsed.iat[0].date() == day


def test_dates_outside_the_calendar_name_the_row(tmp_path):
    from zwgk_score.collect.hotline import HotlineCollector

    write_csv(tmp_path / "m.csv", "单位,编号,来信时间,答复时间\n市发改委,A,2023-05-06,2032-05-08")
    with pytest.raises(DataError) as err:
        HotlineCollector().collect({"file": "m.csv"}, make_ctx(tmp_path))
    assert err.value.path == "第 2 行，列 答复时间"
    assert "超出工作日历范围" in err.value.message
    assert "[calendar.2032]" in err.value.hint


# ------------------------------------------------ whole-table fast paths agree with the column-wise ones

_cell = st.one_of(
    st.text(alphabet=st.sampled_from(list(" \u3000\xa0\t\nab是否1.\x07\x1f\x7f\r")), max_size=6),
    st.sampled_from([1.5, 3, None, float("nan")]),
)


@given(st.lists(st.lists(_cell, min_size=2, max_size=2), min_size=0, max_size=5), st.booleans())
def test_whole_table_check_agrees_with_the_column_check(rows, as_text):
    """``clean_cells`` refuses exactly what the column-by-column check refuses, at the same cell."""
    from zwgk_score.collect import tables

    raw = pd.DataFrame(rows, columns=["甲", "乙"], dtype=str if as_text else object)

    def outcome(check):
        saved = tables._all_clean
        tables._all_clean = check
        try:
            return ("ok", tables.clean_cells(raw, Path("表.csv")).equals(raw))
        except DataError as exc:
            return ("error", str(exc))
        finally:
            tables._all_clean = saved

    assert outcome(tables._all_clean) == outcome(lambda _raw: False)


def test_whole_table_check_sees_long_cells():
    from zwgk_score.collect.tables import MAX_CELL, _all_clean

    assert _all_clean(pd.DataFrame({"a": ["x" * MAX_CELL, 1.0]}, dtype=object))
    assert not _all_clean(pd.DataFrame({"a": ["x" * (MAX_CELL + 1)]}, dtype=object))
    assert not _all_clean(pd.DataFrame({"a": ["ok"], "b": ["a\x0bb"]}, dtype=object))
    assert _all_clean(pd.DataFrame({"a": ["tab\there\r\nnewline"]}, dtype=object))


@given(st.lists(_cell, max_size=6), st.booleans())
def test_stripped_column_is_the_text_column(cells, as_text):
    """The plain-string shortcut gives what ``astype("string") … str.strip()`` gives, dtype included."""
    from zwgk_score.collect.tables import _stripped, _text

    series = pd.Series(cells, dtype=str if as_text else object)
    fast, slow = _stripped(series), _text(series)
    assert fast.dtype == slow.dtype == object
    assert fast.tolist() == slow.tolist()


@given(
    st.lists(
        st.one_of(st.text(max_size=3), st.sampled_from([None, float("nan"), pd.NA, 2])), max_size=5
    ),
    st.sampled_from([object, str]),
    st.booleans(),
)
def test_text_column_shortcut_agrees_with_converting(cells, dtype, status):
    """Keeping a column of plain strings as it is gives what converting every cell gives."""
    from zwgk_score.collect.base import STATUS_OK, text_column

    col = pd.Series(cells, dtype=dtype)
    expected = [
        STATUS_OK if status and v == "" else v
        for v in col.astype(object).where(col.notna(), "").astype(str)
    ]
    got = text_column(col, status=status)
    assert got.tolist() == expected
    assert all(type(v) is str for v in got)
