"""The notice (通报): context built from Results, Markdown templates and their overrides."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_outputs_sample import sample_results

from zwgk_score.errors import ConfigError
from zwgk_score.outputs.markdown import md_escape, md_unescape, render_markdown
from zwgk_score.outputs.mdblocks import parse_blocks, split_cells
from zwgk_score.outputs.notice import cn_date, cn_number, is_plain, notice_context, period_label
from zwgk_score.outputs.notice_options import notice_options

OPTIONS = {
    "rectify_deadline": "2024-01-31",
    "date": dt.date(2024, 1, 5),
    "addressees": "各县（市、区）人民政府，市政府各部门",
}


@pytest.fixture(scope="module")
def ctx():
    return notice_context(sample_results(), {**OPTIONS, "previous": sample_results(previous=True)})


def test_context_is_plain_data(ctx):
    assert is_plain(ctx)


def test_overview_per_group(ctx):
    a, b = ctx["groups"]
    assert (a["name"], a["count"], b["name"], b["count"]) == ("县区政府", 3, "市直部门", 2)
    assert [(g["name"], g["count"]) for g in a["grades"]] == [
        ("优秀", 1),
        ("良好", 0),
        ("合格", 1),
        ("不合格", 1),
    ]
    # (93 + 70 + 45) / 3 = 69.333…; 2 of 3 above 不合格 → 66.7%
    assert (a["average"], a["pass_count"], a["pass_rate"]) == ("69.33", 2, "66.7%")
    # (102 + 90) / 2 = 96; 丁局 is vetoed → 不合格 → 1 of 2
    assert (b["average"], b["pass_rate"]) == ("96.00", "50%")
    assert a["best"] == ["甲县"] and a["best_total"] == "93.00"


def test_result_lists_and_most_improved(ctx):
    a, b = ctx["groups"]
    # 优秀 and 良好 named by default, 不合格 always; the empty 良好 is left out (never "良好（0个）：无")
    assert a["lists"] == [
        {"grade": "优秀", "units": ["甲县"], "count": 1},
        {"grade": "不合格", "units": ["=1+1"], "count": 1},
    ]
    assert b["lists"][0] == {"grade": "优秀", "units": ["../x"], "count": 1}
    # the vetoed unit is named with its veto
    assert b["lists"][1] == {"grade": "不合格", "units": ["丁局（单项否决）"], "count": 1}
    # 甲县: previous 75 (2nd), now 93 (1st) → +18
    assert a["improved"] == [
        {"unit": "甲县", "rank": 1, "prev_rank": 2, "rank_change": 1, "total_change": "18.00"}
    ]
    assert b["improved"] == []


def test_no_previous_no_improved():
    c = notice_context(sample_results(), OPTIONS)
    assert not c["has_previous"] and all(g["improved"] == [] for g in c["groups"])


def test_common_problems_aggregated(ctx):
    got = [(p["name"], p["count"], p["units"], p["lost"]) for p in ctx["problems"]]
    assert got == [
        # 5 (甲县) + 10 (乙县) + 5 (=1+1) + 5 (丁局)
        ("栏目更新", 4, ["甲县", "乙县", "=1+1", "丁局"], "25"),
        # 2 + 10 + 5; =1+1's missing value is reported separately, not as a problem
        ("答复时效", 3, ["甲县", "乙县", "丁局"], "17"),
        ("网站标识", 2, ["乙县", "=1+1"], "20"),
    ]
    assert (
        notice_context(sample_results(), {"problems_top": 1})["problems"][0]["name"] == "栏目更新"
    )


def test_missing_and_vetoed_listed_separately(ctx):
    assert ctx["missing"] == [
        {"unit": "=1+1", "indicators": ["答复时效"], "status": "缺失（计0分）"}
    ]
    (v,) = ctx["vetoed"]
    assert (v["unit"], v["evidence"], v["grade"]) == ("丁局", "网站无法访问", "不合格")


def test_requirements_and_dates(ctx):
    assert ctx["date"] == "2024年1月5日"
    assert "于2024年1月31日前将整改情况报送某市人民政府办公室" in ctx["requirements"][0]
    assert "满分5分" in ctx["requirements"][-1]
    c = notice_context(sample_results(), {"requirements": ["请于{rectify_deadline}整改。"]})
    assert c["requirements"] == ["请于规定时间内整改。"]


def test_attachments(ctx):
    (a1,) = ctx["attachments"]
    assert a1["title"] == "2023年度政务公开工作考核结果排名" and a1["landscape"]
    t1, t2 = a1["tables"]
    assert t1["headers"][:2] == ["排名", "单位"] and t1["headers"][-1] == "排名变化"
    assert t1["headers"][2:5] == ["网站建设（60）", "依申请公开（40）", "总分（100）"]
    assert t1["rows"][0] == ["1", "甲县", "55.00", "38.00", "93.00", "优秀", "4.65", "↑1"]
    assert "加分" not in t1["headers"] and "加分" in t2["headers"]  # empty columns dropped
    # 丁局 (vetoed, 90.00) is listed after ../x and not ranked
    assert [r[:2] for r in t2["rows"]] == [["1", "../x"], ["—", "丁局"]]
    assert "单项否决的单位不参与排名" in t2["note"]
    c = notice_context(sample_results(), {"attachments": ["ranking", "deductions"]})
    assert [a["number"] for a in c["attachments"]] == [1, 2]
    d = c["attachments"][1]["tables"][1]
    assert d["headers"] == ["单位", "测评指标", "扣分", "失分原因"]
    # one number format per column: 扣分 with the rubric's 2 decimals, a veto reads 否决
    assert d["rows"][-1][:3] == ["丁局", "单项否决", "否决"]
    assert all(r[2] == "否决" or r[2].count(".") == 1 for r in d["rows"])


def test_quarterly_wording():
    res = attrs.evolve(sample_results(), period="2023Q1")  # Results is a frozen record
    c = notice_context(res, {"template": "quarterly"})
    assert c["title"] == "关于2023年第一季度政务公开工作检查情况的通报"
    text = render_markdown(c, "quarterly")
    assert "## 二、检查结果" in text and "2023年第一季度共检查5个单位" in text


@pytest.mark.parametrize(
    ("n", "text"),
    [(1, "一"), (10, "十"), (12, "十二"), (20, "二十"), (21, "二十一"), (99, "九十九")],
)
def test_cn_number(n, text):
    assert cn_number(n) == text


def test_cn_date_and_period():
    assert cn_date(dt.date(2023, 4, 13)) == "2023年4月13日"
    assert cn_date(dt.date(2024, 1, 5)) == "2024年1月5日"
    assert period_label("2023Q4", 2023) == "2023年第四季度"
    assert period_label(None, 2022) == "2022年度"
    assert period_label("2023H1", 2023) == "2023年上半年"
    assert period_label("2023年专项检查", 2023) == "2023年专项检查"


def test_bad_options_name_the_key():
    with pytest.raises(ConfigError) as e:
        notice_options({"rectify_deadline": "2024/13/01"})
    assert e.value.path == "notice.rectify_deadline" and "2023-12-31" in e.value.hint
    with pytest.raises(ConfigError) as e:
        notice_options({"attachments": ["ranking", "photos"]})
    assert e.value.path == "notice.attachments"


def test_markdown_sections(ctx):
    text = render_markdown(ctx)
    heads = [b.text for b in parse_blocks(text) if b.kind == "h1"]
    assert heads == ["一、总体情况", "二、考核结果", "三、存在问题", "四、工作要求"]
    assert text.startswith("# 关于2023年度政务公开工作考核结果的通报\n")
    assert (
        "县区政府共3个单位，其中优秀1个、合格1个、不合格1个；平均得分69.33分，合格率66.7%" in text
    )
    # 4 units lost points on 栏目更新: three named, then 等4个单位, with what was wrong
    assert "一是“栏目更新”失分较多，甲县、乙县、=1+1等4个单位失分（如乙县：栏目未更新）。" in text
    assert "1个单位触发单项否决：丁局因“单项否决”被否决（网站无法访问），等次定为不合格。" in text
    assert "良好等次" not in text and "不合格等次（1个）：=1+1。" in text
    assert "进步较快单位：甲县（由第2名升至第1名，提高18.00分）" in text
    blocks = parse_blocks(text)
    note = next(b for b in blocks if b.kind == "attachment-note")
    assert note.lines == ("附件：2023年度政务公开工作考核结果排名",)
    sig = next(b for b in blocks if b.kind == "signature")
    assert sig.lines == ("某市人民政府办公室", "2024年1月5日")
    att = [b for b in blocks if b.kind == "attachment"]
    assert [b.children[0].text for b in att] == ["附件"] and att[0].landscape
    table = att[0].children[3]
    first = ctx["attachments"][0]["tables"][0]
    assert table.rows[0] == tuple(first["headers"])
    assert table.rows[1:] == tuple(tuple(r) for r in first["rows"])
    assert table.numeric == tuple(first["numeric"])
    # valid CommonMark: one H1, no pandoc ::: fences
    assert text.count("\n# ") + text.startswith("# ") == 1 and ":::" not in text


def test_user_text_cannot_break_markdown(ctx):
    hostile = "# 甲|乙 *县* \\ <b>"
    first = ctx["attachments"][0]["tables"][0]
    table0 = dict(first, rows=[["1", hostile, *first["rows"][0][2:]]])
    c = {**ctx, "attachments": [dict(ctx["attachments"][0], tables=[table0])]}
    lists = [{"grade": "优秀", "units": [hostile], "count": 1}]
    c["groups"] = [dict(ctx["groups"][0], lists=lists)]
    blocks = parse_blocks(render_markdown(c))
    table = next(b for b in blocks if b.kind == "attachment").children[2]
    assert table.rows[1][1] == hostile and len(table.rows[1]) == len(table.rows[0])
    assert not any(b.kind == "title" and "甲" in b.text for b in blocks)
    assert any(f"优秀等次（1个）：{hostile}。" == b.text for b in blocks if b.kind == "para")


@given(st.text())
def test_escape_roundtrip(text):
    one_line = " ".join(text.splitlines())
    assert md_unescape(md_escape(text)) == one_line
    assert "\n" not in md_escape(text)


@given(
    st.lists(
        st.text(alphabet=st.characters(blacklist_categories=("Cc", "Zl", "Zp"))),
        min_size=1,
        max_size=5,
    )
)
def test_table_cells_roundtrip(cells):
    line = "|" + "|".join(f" {md_escape(c)} " for c in cells) + "|"
    assert split_cells(line) == tuple(c.strip() for c in cells)


def test_region_override_block(tmp_path, ctx):
    (tmp_path / "annual.md.j2").write_text(
        '{% extends "_base.md.j2" %}\n{% block requirements %}\n## 四、工作要求\n\n本市自定义要求。\n\n{% endblock %}\n',
        encoding="utf-8",
    )
    text = render_markdown(ctx, "annual", [tmp_path])
    assert "本市自定义要求。" in text and "## 一、总体情况" in text
    assert ctx["requirements"][0] not in text
    # without the override directory the built-in template is used
    assert ctx["requirements"][0] in render_markdown(ctx, "annual")


def test_region_template_and_raw_filter(tmp_path, ctx):
    (tmp_path / "special.md.j2").write_text(
        "# {{ title }}\n\n{{ '**粗体**'|raw }} {{ '**x**' }}\n", encoding="utf-8"
    )
    text = render_markdown(ctx, "special", [tmp_path])
    assert text == "# 关于2023年度政务公开工作考核结果的通报\n\n**粗体** \\*\\*x\\*\\*\n"


def test_template_errors_are_config_errors(tmp_path, ctx):
    with pytest.raises(ConfigError) as e:
        render_markdown(ctx, "nonexistent")
    assert e.value.path == "notice.template"
    (tmp_path / "bad.md.j2").write_text("{{ no_such_value }}", encoding="utf-8")
    with pytest.raises(ConfigError, match="不存在的数据"):
        render_markdown(ctx, "bad", [tmp_path])
    (tmp_path / "broken.md.j2").write_text("{% if %}", encoding="utf-8")
    with pytest.raises(ConfigError, match="语法错误"):
        render_markdown(ctx, "broken", [tmp_path])


def test_documented_settings_parse(root):
    import re
    import sys

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib

    text = (root / "docs" / "outputs.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```toml\n(.*?)```", text, re.S) if "[notice]" in b)
    opts = notice_options(tomllib.loads(block)["notice"])
    assert opts.rectify_deadline == dt.date(2024, 1, 31) and opts.attachments == (
        "ranking",
        "deductions",
    )
    ctx = notice_context(sample_results(), tomllib.loads(block)["notice"])
    assert ctx["requirements"][1] == "考核结果按折合绩效考核分（满分5分）纳入2023年度绩效考核。"
    assert (ctx["masthead"], ctx["doc_number"]) == ("某市人民政府办公室文件", "某政办字〔2024〕3号")
    assert ctx["approval"] == "经市政府同意，" and ctx["groups"][0]["outstanding"] == ["甲县"]
    assert ctx["colophon"]["lines"][0] == "抄送：市委办公室，市人大常委会办公室。"


def test_template_markdown_the_docx_cannot_lay_out_is_refused_with_file_and_line(tmp_path, ctx):
    from zwgk_score.outputs.mdblocks import MarkdownLayoutError

    (tmp_path / "annual.md.j2").write_text(
        '{% extends "_base.md.j2" %}\n{% block basis %}\n依据如下：\n\n- 第一条\n- 第二条\n'
        "{% endblock %}\n",
        encoding="utf-8",
    )
    with pytest.raises(MarkdownLayoutError) as e:
        render_markdown(ctx, "annual", [tmp_path])
    # the list starts on line 5 of the regional template
    assert e.value.file == str(tmp_path / "annual.md.j2") and e.value.line == 5
    assert "列表" in e.value.message
    (tmp_path / "annual.md.j2").write_text(
        '{% extends "_base.md.j2" %}\n{% block basis %}\n见[网站](http://127.0.0.1/)。\n{% endblock %}\n',
        encoding="utf-8",
    )
    with pytest.raises(MarkdownLayoutError) as e:
        render_markdown(ctx, "annual", [tmp_path])
    assert e.value.line == 3 and "link_open" in e.value.message


def test_rescaling_is_stated_once_in_words():
    c = notice_context(sample_results(), {})
    text = render_markdown(c)
    # no unit of the sample is rescaled: nothing is said
    assert "折算" not in text.split("---")[0]


def test_unknown_notice_key_is_refused_with_its_path():
    with pytest.raises(ConfigError) as e:
        notice_options({"rectify_dedline": "2024-01-31", "config_file": "a.toml"})
    assert e.value.path == "notice" and "rectify_dedline" in e.value.message
    assert e.value.file == "a.toml"
    with pytest.raises(ConfigError) as e:
        notice_context(sample_results(), {"outstanding": ["不存在的局"]})
    assert e.value.path == "notice.outstanding[0]"


def test_entity_like_text_is_kept_literally():
    # a unit or document name may contain what reads as an HTML entity; md_escape guards "&"
    for text in ("甲&amp;乙", "&quot;", "A&B公司", "&#38;"):
        assert split_cells("| " + md_escape(text) + " |") == (text,)
