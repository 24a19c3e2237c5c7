"""Workbook summary headers: the points in brackets on a line of their own, never split."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from zwgk_score.outputs.textwidth import display_width
from zwgk_score.outputs.xlsx_headers import header_text


def test_a_header_wider_than_its_column_sets_its_points_under_the_name() -> None:
    # 10 characters + （15分） = 20 + 8 = 28 display columns in a column 12 wide
    assert header_text("加强政务公开能力建设（15分）", 12) == "加强政务公开能力建设\n（15分）"
    assert header_text("总分（100分）", 11) == "总分\n（100分）"  # 13 + 2 > 11
    assert header_text("折合绩效考核分(5分)", 9) == "折合绩效考核分\n(5分)"


def test_a_header_that_fits_or_has_no_bracketed_end_is_left_alone() -> None:
    assert header_text("总分（100分）", 15) == "总分（100分）"  # 13 + 2 = 15 fits
    assert header_text("单项否决", 6) == "单项否决"
    assert header_text("（8分）", 4) == "（8分）"  # no name before it
    assert header_text("得分（分）率", 4) == "得分（分）率"  # the bracket is not at the end
    assert header_text("甲\n（5分）", 3) == "甲\n（5分）"  # already broken by its author


names = st.text(st.sampled_from("政务公开能力建设深化重点领域abc 1"), min_size=0, max_size=14)
tails = st.one_of(
    st.just(""), st.builds(lambda n: f"（{n}分）", st.integers(0, 100)), st.just("(5)")
)


@given(names, tails, st.floats(3, 40))
def test_only_a_line_break_is_added_and_the_bracket_stays_whole(name, tail, width) -> None:
    text = name + tail
    got = header_text(text, width)
    assert got.replace("\n", "", got.count("\n") - text.count("\n")) == text
    if got != text:
        first, last = got.rsplit("\n", 1)
        assert display_width(text) + 2 > width  # only a header that would wrap
        assert last == tail and len(first) >= 2  # the whole bracket, under a real name
