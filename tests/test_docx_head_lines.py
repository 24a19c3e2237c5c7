"""Table headers in the DOCX never leave one character alone on their last line."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from zwgk_score.outputs import docx_render as d
from zwgk_score.outputs.textwidth import display_width

HAN = st.sampled_from(list("聚焦重点领域提升政务公开质量规范引导夯实工作基础服务推进权力透明运行"))
HEADER = st.lists(st.one_of(HAN, st.sampled_from(["，", "、"])), min_size=1, max_size=30).map(
    "".join
)


def _natural(units: int, limit: int) -> tuple[int, int]:
    """Lines a cell wraps a text into and the display units of its last line."""
    n = math.ceil(units / limit)
    return n, units - (n - 1) * limit


def test_an_orphan_is_broken_into_even_lines_at_the_comma() -> None:
    # 15 characters in a column of 7: 7 + 7 + 1 when left to wrap
    assert d.head_lines("聚焦重点领域，提升政务公开质量", 7) == "聚焦重点领域，\n提升政务\n公开质量"
    assert d.head_lines("适用分值", 3) == "适用\n分值"  # 3 + 1 → 2 + 2
    # the points stay on their own line; only the name is balanced
    assert d.head_lines("聚焦社会关切，加强政策解读服务\n（14）", 7) == (
        "聚焦社会关切，\n加强政策\n解读服务\n（14）"
    )


def test_headers_that_wrap_evenly_or_fit_are_left_to_the_cell() -> None:
    assert d.head_lines("总分", 4) == "总分"
    assert (
        d.head_lines("聚焦重点领域，提升政务公开质量", 6) == "聚焦重点领域，提升政务公开质量"
    )  # 6+6+3
    assert d.head_lines("排名", 1) == "排名"  # too narrow to choose anything


def test_a_number_in_a_header_is_never_split() -> None:
    assert d.head_lines("加分（13.5）", 5) == "加分\n（13.5）"
    got = d.head_lines("总分（100）", 3)  # no even break keeps "（100）" whole within 3
    assert "（100）" in got.split("\n") or got == "总分（100）"


@given(HEADER, st.integers(2, 12))
def test_a_balanced_header_keeps_its_text_its_line_count_and_the_width(
    text: str, per_line: int
) -> None:
    got = d.head_lines(text, per_line)
    lines = got.split("\n")
    limit = 2 * per_line
    assert "".join(lines) == text
    n, last = _natural(display_width(text), limit)
    if got != text:
        assert len(lines) == n >= 2 and last <= 2  # only an orphan is touched, no line added
        assert all(display_width(x) <= limit and len(x) >= 2 for x in lines)


def test_the_notice_table_sets_the_balanced_headers() -> None:
    import docx

    doc = docx.Document()
    head = ["排名", "单位", "聚焦重点领域，提升政务公开质量（28）", "适用分值", "总分（100）"]
    body = [["1", "某某经济技术开发区管理委员会", "27.20", "98.00", "97.65"]]
    table = d._table(doc, [head, *body], 270.0)  # 9 pt: the name column holds 7, 适用分值 3
    layout = d.table_layout([head, *body], 270.0)
    chars = [int((int(w * 20) - 2 * layout.margin) // (layout.size * 20)) for w in layout.widths]
    assert layout.size == 9.0 and chars[2:4] == [7, 3]
    got = [c.text for c in table.rows[0].cells]
    assert got == [
        "排名",
        "单位",
        "聚焦重点领域，\n提升政务\n公开质量\n（28）",  # not 7 + 7 + 1
        "适用\n分值",  # not 3 + 1
        "总分\n（100）",  # points on a line of their own, as before
    ]


def test_a_long_header_in_a_very_narrow_column_is_left_to_the_cell() -> None:
    # 41 characters, two a line: 21 lines with one left over; trying every set of 20 breaks
    # would never end, and no table sets a header on more than four lines
    text = ("聚焦重点领域提升政务公开质量" * 3)[:41]
    assert len(text) == 41 and d.head_lines(text, 2) == text
    text = text[:19]  # 19 in threes: 7 lines, the last alone; still more than four lines
    assert d.head_lines(text, 3) == text
    assert d.head_lines(text[:13], 3) == text[:13]  # 13 in threes: 5 lines
    lines = d.head_lines(text[:10], 3).split("\n")  # 10 in threes: 3+3+3+1 → four of 2–3
    assert "".join(lines) == text[:10] and sorted(map(len, lines)) == [2, 2, 3, 3]
