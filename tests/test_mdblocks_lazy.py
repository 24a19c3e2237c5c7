"""Long tables are read without tokenising their rows, with the same blocks as tokenising all.

``parse_blocks`` leaves a run of more than ``LAZY_ROWS`` plain rows out of what
markdown-it reads and splits those rows itself (``TableRows``); every case here
compares it with ``_parse_tokens``, which hands the whole text to markdown-it.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zwgk_score.outputs import mdblocks
from zwgk_score.outputs.mdblocks import LAZY_ROWS, MarkdownLayoutError, TableRows, parse_blocks

N = LAZY_ROWS + 40


def table(n: int = N, cell: str = "单位{i}") -> str:
    rows = "".join(f"| {i + 1} | {cell.format(i=i)} | {i * 0.25:.2f} |\n" for i in range(n))
    return "| 排名 | 单位 | 总分（100） |\n| ---: | --- | ---: |\n" + rows


def lazy_tables(blocks: list[mdblocks.Block]) -> list[mdblocks.Block]:
    out = []
    for b in blocks:
        out += lazy_tables(list(b.children))
        if isinstance(b.rows, TableRows):
            out.append(b)
    return out


def same(text: str) -> list[mdblocks.Block]:
    got = parse_blocks(text)
    assert got == mdblocks._parse_tokens(text, None)
    return got


def test_a_long_table_in_an_attachment_reads_like_markdown_it():
    text = (
        "# 通报\n\n正文。\n\n---\n\n<!-- attachment landscape -->\n附件\n\n## 排名\n\n"
        + table()
        + "\n注：说明。\n\n---\n\n<!-- colophon -->\n抄送：甲。\n"
    )
    blocks = same(text)
    (t,) = lazy_tables(blocks)
    assert len(t.rows) == N + 1
    assert t.rows[0] == ("排名", "单位", "总分（100）")
    assert t.rows[5] == ("5", "单位4", "1.00") and t.rows[-1] == (
        str(N),
        f"单位{N - 1}",
        f"{(N - 1) * 0.25:.2f}",
    )
    assert list(t.rows)[N // 2] == t.rows[N // 2] == t.rows[N // 2 - len(t.rows)]
    assert t.rows[1:4] == [t.rows[1], t.rows[2], t.rows[3]]
    assert t.numeric == (True, False, True)
    # blocks after the table keep the lines of the whole text
    note = blocks[-2].children[-1]
    assert note.text == "注：说明。" and note.line == text.splitlines().index("注：说明。") + 1


@pytest.mark.parametrize(
    "after",
    [
        "",  # the table ends the text
        "| 9 | *强调* | 1.00 |\n| 10 | 单位 | 2.00 |\n",  # a row with emphasis, then plain rows
        "| 9 | \\|竖线 | 1.00 |\n",  # an escaped bar
        "| 9 | 少一格 |\n",  # fewer cells than the header
        "| 9 | a | b | c |\n",  # more cells
        "续行没有竖线\n",  # still a row for markdown-it (one cell)
        "## 标题紧接表格\n",
        "---\n\n另一段。\n",
        "\n    缩进\n",
    ],
)
def test_what_follows_the_plain_rows_is_read_as_markdown_it_reads_it(after):
    text = "# 通报\n\n" + table() + after + "\n末段。\n"
    try:
        blocks = same(text)
    except MarkdownLayoutError as e:  # both ways the same error, on the same line
        with pytest.raises(MarkdownLayoutError) as full:
            mdblocks._parse_tokens(text, None)
        assert (e.message, e.line) == (full.value.message, full.value.line)
        return
    assert len(lazy_tables(blocks)) == 1


def test_an_error_after_a_long_table_names_the_line_of_the_whole_text():
    text = "# 通报\n\n" + table() + "\n见[链接](http://x)。\n"
    with pytest.raises(MarkdownLayoutError) as e:
        parse_blocks(text)
    assert e.value.line == text.splitlines().index("见[链接](http://x)。") + 1


def test_table_like_lines_in_a_code_block_are_not_read_as_a_table():
    text = "# 通报\n\n```\n" + table() + "```\n"
    with pytest.raises(MarkdownLayoutError) as e:
        parse_blocks(text)
    assert "代码块" in e.value.message


def test_short_tables_are_tokenised_as_before():
    blocks = same("# 通报\n\n" + table(LAZY_ROWS))
    assert not lazy_tables(blocks) and len(blocks[-1].rows) == LAZY_ROWS + 1


CELL = st.text(
    alphabet=st.sampled_from(
        list("甲乙单位 0123456789.-—（）%：:#$+=@^{}\u3000\u2003*_`\\[]!<>&~|\t")
    ),
    max_size=8,
)


@settings(max_examples=40, deadline=None)
@given(cells=st.lists(st.tuples(CELL, CELL), min_size=1, max_size=6), where=st.integers(0, 40))
def test_any_cell_text_reads_like_markdown_it(cells, where):
    rows = [f"| {i} | 单位{i} | 1.00 |" for i in range(N + 40)]
    # rows after the first LAZY_ROWS + 1 replaced by arbitrary ones: special characters,
    # bars, fewer or more cells, lines that end the table
    for k, (a, b) in enumerate(cells):
        rows[LAZY_ROWS + 1 + (where + 7 * k) % 40] = f"| {a} | {b} |" if k % 3 else f"{a}|{b}"
    text = (
        "# 通报\n\n| 排名 | 单位 | 总分 |\n| --- | --- | ---: |\n"
        + "\n".join(rows)
        + "\n\n末段。\n"
    )
    try:
        assert lazy_tables(same(text))
    except MarkdownLayoutError as e:
        with pytest.raises(MarkdownLayoutError) as full:
            mdblocks._parse_tokens(text, None)
        assert (e.message, e.line) == (full.value.message, full.value.line)


def test_a_special_row_early_leaves_the_table_to_markdown_it():
    text = "# 通报\n\n" + table(N).replace("| 单位3 |", "| *单位3* |") + "\n末段。\n"
    assert not lazy_tables(same(text))
