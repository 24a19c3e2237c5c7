"""Workbook summary headers: broken into lines that fit, the points on a line of their own."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from zwgk_score.outputs.textwidth import display_width
from zwgk_score.outputs.xlsx_headers import FILL, header_height, header_lines, header_text


def test_the_points_go_on_a_line_of_their_own_and_the_name_fills_its_lines() -> None:
    # a column 9 wide holds floor(9 × 0.95) = 8 units: four Chinese characters a line
    assert header_lines("深化重点领域信息公开（8分）", 9) == [
        "深化重点",
        "领域信息",
        "公开",
        "（8分）",
    ]
    assert header_lines("提升政策服务质效（28分）", 10) == ["提升政策", "服务质效", "（28分）"]
    assert header_text("总分（100分）", 11) == "总分\n（100分）"  # 13 + 2 > 11
    # never a single character on a line, a split bracket or a line opening with "，"
    assert header_lines("单项否决", 6) == ["单项", "否决"]  # 5 units: two characters
    assert header_lines("折合绩效考核分（4.5分）", 11) == ["折合绩效考", "核分", "（4.5分）"]
    assert header_lines("聚焦重点领域，提升政务公开质量（28分）", 12.3) == [
        "聚焦重点领",
        "域，提升政",
        "务公开质量",
        "（28分）",
    ]
    # a break after 、 is preferred when it costs no extra line
    assert header_lines("围绕市委、市政府重大决策部署着力推进公开（15分）", 12)[0] == "围绕市委、"


def test_a_header_that_fits_or_was_broken_by_its_author_is_left_alone() -> None:
    assert header_lines("总分（100分）", 15) == ["总分（100分）"]  # 13 + 2 = 15 fits
    assert header_lines("甲\n（5分）", 3) == ["甲", "（5分）"]
    assert header_text("排名", 4) == "排名"


def test_the_row_is_as_high_as_the_lines_it_holds() -> None:
    assert header_height(["深化重点", "领域信息", "公开", "（8分）"], 9) == 4
    # a line that cannot fit (a long number) is counted as the cell wraps it
    assert header_height(["12345678901234567890"], 9) > 1


names = st.text(st.sampled_from("政务公开能力建设深化重点领域，、abc 12"), min_size=0, max_size=24)
tails = st.one_of(
    st.just(""), st.builds(lambda n: f"（{n}分）", st.integers(0, 100)), st.just("(5)")
)


@given(names, tails, st.floats(4, 40))
def test_lines_keep_the_text_and_fit_the_column(name, tail, width) -> None:
    text = name + tail
    lines = header_lines(text, width)
    assert "".join(lines) == text.replace("\n", "")
    if len(lines) == 1:
        return
    assert display_width(text) + 2 > width  # only a header that would wrap is broken
    cap = max(math.floor(width * FILL), 4)
    head = lines[:-1] if tail and len(name) >= 2 and lines[-1] == tail else lines
    if tail and len(name) >= 2:
        assert lines[-1] == tail  # the points, whole, on the last line
    if len(head) > 1:  # the name was broken here: every line fits and reads properly
        assert all(display_width(x) <= cap and len(x) >= 2 for x in head)
        assert not any(x[0] in "，、）)" for x in head[1:])  # no break before a comma
