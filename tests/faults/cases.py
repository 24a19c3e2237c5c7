"""The table of user mistakes (错误用例表): each must stop the run with a located Chinese error.

One :class:`Case` per mistake: which project files to change and how, and the
words the message must contain.  ``test_cases.py`` runs every case the same
way (see its docstring).  To add a case, append a ``Case`` to the list of its
area; ``edit`` values are either the whole new text of the file or
:func:`sub` (a replacement that must apply to the original text).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

Edit = str | bytes | Callable[[str], str | bytes]


def sub(old: str, new: str, count: int = 1) -> Callable[[str], str]:
    """Replace ``old`` by ``new`` in the file (``old`` must occur: a case never becomes a no-op)."""

    def apply(text: str) -> str:
        assert old in text, f"{old!r} not in the file"
        return text.replace(old, new, count)

    return apply


def append(extra: str) -> Callable[[str], str]:
    """Add ``extra`` at the end of the file."""
    return lambda text: text + extra


@dataclass(frozen=True)
class Case:
    """One mistake.

    Attributes:
        id: short name (test id).
        edit: project file → its new text (see :data:`Edit`); a value of
            ``None`` deletes the file, ``"<dir>"`` replaces it by a folder.
        words: the message must contain each of these.
        file: the message must name this file (its name; ``""``: no file check).
        place: the message must name this place (a TOML path, ``第 N 行``…).
        args: extra command-line arguments of ``zwgk-score run``.
    """

    id: str
    edit: dict[str, Edit | None]
    words: tuple[str, ...]
    file: str
    place: str = ""
    args: tuple[str, ...] = field(default=())


RUBRIC_CASES = [
    Case(
        "rubric-toml-syntax",
        {"rubric.toml": sub('title = "故障注入测试细则"', 'title = "故障注入测试细则')},
        ("第 3 行",),
        "rubric.toml",
    ),
    Case(
        "rubric-duplicate-key",
        {"rubric.toml": sub("year = 2023", "year = 2023\nyear = 2024")},
        ("第 6 行",),
        "rubric.toml",
    ),
    Case("rubric-empty", {"rubric.toml": ""}, (), "rubric.toml"),
    Case("rubric-no-meta", {"rubric.toml": sub("[meta]\n", "[metaa]\n")}, ("meta",), "rubric.toml"),
    Case(
        "rubric-unknown-method",
        {"rubric.toml": sub('method = "deduction"', 'method = "deductoin"')},
        ("deductoin",),
        "rubric.toml",
    ),
    Case(
        "rubric-negative-points",
        {
            "rubric.toml": sub(
                'points = 40\n  method = "deduction"', 'points = -40\n  method = "deduction"'
            )
        },
        ("D1.1",),
        "rubric.toml",
    ),
    Case(
        "rubric-points-exceed-domain",
        {"rubric.toml": sub("points = 20\n", "points = 45\n")},
        ("D1",),
        "rubric.toml",
    ),
    Case(
        "rubric-duplicate-indicator-id",
        {"rubric.toml": sub('id = "D1.2"', 'id = "D1.1"')},
        ("D1.1",),
        "rubric.toml",
    ),
    Case(
        "rubric-misspelt-key",
        {"rubric.toml": sub('data = "training"', 'dataa = "training"')},
        ("dataa",),
        "rubric.toml",
    ),
    Case(
        "rubric-duplicate-group",
        {
            "rubric.toml": sub(
                '[[domains]]\nid = "D1"',
                '[[groups]]\nid = "dept"\nname = "又一个"\n\n[[domains]]\nid = "D1"',
            )
        },
        ("dept",),
        "rubric.toml",
    ),
    Case(
        "rubric-param-wrong-type",
        {"rubric.toml": sub("params = { per = 5 }", 'params = { per = "五" }')},
        ("per",),
        "rubric.toml",
    ),
    Case(
        "rubric-count-without-target",
        {"rubric.toml": sub("params = { target = 2 }", "params = { }")},
        ("target",),
        "rubric.toml",
    ),
    Case(
        "rubric-no-domains",
        {"rubric.toml": lambda t: t[: t.index("[[domains]]")]},
        (),
        "rubric.toml",
    ),
    Case(
        "rubric-share-string",
        {"rubric.toml": sub("performance_share = 6", 'performance_share = "六"')},
        ("performance_share",),
        "rubric.toml",
    ),
    Case(
        "rubric-year-string",
        {"rubric.toml": sub("year = 2023", 'year = "二〇二三"')},
        ("year",),
        "rubric.toml",
    ),
    Case("rubric-missing-file", {"rubric.toml": None}, ("不存在",), "rubric.toml"),
    Case("rubric-not-utf8", {"rubric.toml": lambda t: t.encode("gbk")}, (), "rubric.toml"),
    Case(
        "rubric-no-groups",
        {"rubric.toml": sub('[[groups]]\nid = "dept"\nname = "县直部门"\n', "")},
        (),
        "rubric.toml",
    ),
    Case(
        "rubric-grade-string-min",
        {"rubric.toml": sub("min = 90", 'min = "九十"')},
        ("min",),
        "rubric.toml",
    ),
    Case(
        "rubric-empty-indicator-id",
        {"rubric.toml": sub('id = "D2.1"', 'id = ""')},
        (),
        "rubric.toml",
    ),
    Case(
        "rubric-indicator-no-name",
        {"rubric.toml": sub('  name = "评审打分"\n', "")},
        ("name",),
        "rubric.toml",
    ),
    Case(
        "rubric-points-string",
        {"rubric.toml": sub("points = 60", 'points = "六十"')},
        ("points",),
        "rubric.toml",
    ),
    Case(
        "rubric-unknown-top-table",
        {"rubric.toml": append("\n[metta]\nx = 1\n")},
        ("metta",),
        "rubric.toml",
    ),
    Case(
        "rubric-domain-duplicate-id",
        {"rubric.toml": sub('id = "D2"\n', 'id = "D1"\n')},
        ("D1",),
        "rubric.toml",
    ),
]

CONFIG_CASES = [
    Case(
        "config-toml-syntax",
        {"assessment.toml": sub("year = 2023", "year = = 2023")},
        ("第 5 行",),
        "assessment.toml",
    ),
    Case(
        "config-misspelt-key",
        {"assessment.toml": sub('rubric = "rubric.toml"', 'rubirc = "rubric.toml"')},
        ("未知的键：rubirc", "是否应为 rubric"),
        "assessment.toml",
    ),
    Case(
        "config-year-string",
        {"assessment.toml": sub("year = 2023", 'year = "2023年"')},
        ("year",),
        "assessment.toml",
    ),
    Case(
        "config-unknown-collector",
        {"assessment.toml": sub('use = "score_sheet"', 'use = "no_such_collector"')},
        ("no_such_collector",),
        "assessment.toml",
    ),
    Case(
        "config-unknown-format",
        {"assessment.toml": sub('"feedback"]', '"feedbak"]')},
        ("feedbak",),
        "assessment.toml",
    ),
    Case(
        "config-formats-not-list",
        {
            "assessment.toml": sub(
                'formats = ["json", "excel", "notice", "feedback"]', 'formats = "json"'
            )
        },
        ("formats",),
        "assessment.toml",
    ),
    Case(
        "config-bad-notice-date",
        {"assessment.toml": sub('date = "2024-01-15"', 'date = "2024-13-45"')},
        ("date",),
        "assessment.toml",
    ),
    Case(
        "config-unknown-template",
        {"assessment.toml": append('template = "no_such_template"\n')},
        ("找不到通报模板",),
        "assessment.toml",
    ),
    Case(
        "config-unregistered-template-set",
        {"assessment.toml": append('templates = "nope"\n')},
        ("nope",),
        "assessment.toml",
    ),
    Case("config-data-file-missing", {"data/打分表.csv": None}, ("打分表.csv",), "打分表.csv"),
    Case(
        "config-column-not-in-file",
        {"assessment.toml": sub('review = "评审"', 'review = "评审分"')},
        ("评审分",),
        "",
    ),
    Case(
        "config-columns-not-table",
        {
            "assessment.toml": sub(
                'columns = { stale = "栏目不更新", training = "培训", review = "评审" }',
                'columns = "栏目不更新"',
            )
        },
        ("columns",),
        "assessment.toml",
    ),
    Case("config-roster-missing", {"units.csv": None}, ("units.csv",), "units.csv"),
    Case(
        "config-plugin-not-installed",
        {"assessment.toml": sub('output = "out"', 'output = "out"\nplugins = ["no_such_plugin"]')},
        ("no_such_plugin",),
        "assessment.toml",
    ),
    Case(
        "config-quarter-out-of-range",
        {"assessment.toml": sub("year = 2023", "year = 2023\nquarter = 5")},
        ("quarter",),
        "assessment.toml",
    ),
    Case(
        "config-combine-missing-file",
        {"assessment.toml": append('\n[combine]\nquarterly = ["q9.toml"]\n')},
        ("q9.toml",),
        "",
    ),
    Case(
        "config-previous-missing",
        {
            "assessment.toml": sub(
                'output = "out"', 'output = "out"\nprevious = "no_such_results.json"'
            )
        },
        ("no_such_results.json",),
        "",
    ),
    Case(
        "config-previous-not-json",
        {
            "assessment.toml": sub('output = "out"', 'output = "out"\nprevious = "prev.json"'),
            "prev.json": "{not json",
        },
        ("prev.json",),
        "prev.json",
    ),
    Case(
        "config-previous-other-schema",
        {
            "assessment.toml": sub('output = "out"', 'output = "out"\nprevious = "prev.json"'),
            "prev.json": '{"schema": 99}',
        },
        ("不是 zwgk-score 的考核结果文件",),
        "prev.json",
    ),
    Case("config-empty", {"assessment.toml": ""}, (), "assessment.toml"),
    Case("config-not-utf8", {"assessment.toml": lambda t: t.encode("gbk")}, (), "assessment.toml"),
    Case(
        "config-allow-partial-string",
        {"assessment.toml": sub('output = "out"', 'output = "out"\nallow_partial = "yes"')},
        ("allow_partial",),
        "assessment.toml",
    ),
    Case(
        "config-sheet-misspelt-setting",
        {"assessment.toml": sub('file = "data/打分表.csv"', 'filee = "data/打分表.csv"')},
        ("filee", "第 10 行", "是否应为 file？"),  # the key's line and the closest known key
        "assessment.toml",
    ),
    Case(
        "config-no-assessment-table",
        {"assessment.toml": sub("[assessment]", "[assesment]")},
        (),
        "assessment.toml",
    ),
    Case(
        "config-rubric-missing-key",
        {"assessment.toml": sub('rubric = "rubric.toml"\n', "")},
        ("rubric",),
        "assessment.toml",
    ),
    Case(
        "config-unknown-top-table",
        {"assessment.toml": append("\n[outputz]\nx = 1\n")},
        ("outputz",),
        "assessment.toml",
    ),
    Case(
        "config-collector-not-table",
        {"assessment.toml": append('\n[collectors]\nextra = "x"\n')},
        (),
        "assessment.toml",
    ),
    Case("config-missing-target", {"assessment.toml": None}, (), "assessment.toml"),
    Case(
        "config-notice-date-type",
        {"assessment.toml": sub('date = "2024-01-15"', "date = 20240115")},
        ("date",),
        "assessment.toml",
    ),
]

DATA_CASES = [
    Case(
        "data-text-in-number",
        {"data/打分表.csv": sub("甲局,1,2,36", "甲局,一,2,36")},
        ("不是数字",),
        "打分表.csv",
    ),
    Case(
        "data-unit-not-in-roster",
        {"data/打分表.csv": sub("丙局,0,2,30", "丁局,0,2,30")},
        ("丁局",),
        "打分表.csv",
    ),
    Case(
        "data-duplicate-unit", {"data/打分表.csv": append("甲局,1,2,36\n")}, ("甲局",), "打分表.csv"
    ),
    Case(
        "data-missing-column",
        {"data/打分表.csv": sub("单位,栏目不更新,培训,评审", "单位,栏目不更新,培训次数,评审")},
        ("培训",),
        "",
    ),
    Case("data-empty-file", {"data/打分表.csv": ""}, (), "打分表.csv"),
    Case(
        "data-ragged-row",
        {"data/打分表.csv": sub("乙局,3,1,40", "乙局,3,1,40,99,100")},
        (),
        "打分表.csv",
    ),
    Case(
        "data-nan-text", {"data/打分表.csv": sub("甲局,1,2,36", "甲局,1,2,-inf")}, (), "打分表.csv"
    ),
    Case(
        "data-percent-sign",
        {"data/打分表.csv": sub("甲局,1,2,36", "甲局,1,2,36%%")},
        (),
        "打分表.csv",
    ),
    Case("data-no-unit-column", {"data/打分表.csv": sub("单位,", "部门,")}, ("单位",), ""),
    Case("data-directory", {"data/打分表.csv": "<dir>"}, (), "打分表.csv"),
    Case(
        "data-manual-over-max", {"data/打分表.csv": sub("甲局,1,2,36", "甲局,1,2,99")}, ("99",), ""
    ),
    Case(
        "data-negative-manual", {"data/打分表.csv": sub("甲局,1,2,36", "甲局,1,2,-5")}, ("-5",), ""
    ),
    Case(
        "data-date-in-number",
        {"data/打分表.csv": sub("甲局,1,2,36", "甲局,2023-01-01,2,36")},
        ("不是数字",),
        "打分表.csv",
    ),
    Case(
        "data-binary-garbage",
        {"data/打分表.csv": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"},
        (),
        "打分表.csv",
    ),
]

ROSTER_CASES = [
    Case(
        "roster-no-group-column", {"units.csv": "unit\n甲局\n乙局\n丙局\n"}, ("group",), "units.csv"
    ),
    Case(
        "roster-unknown-group",
        {"units.csv": sub("丙局,dept", "丙局,deptt")},
        ("deptt",),
        "units.csv",
    ),
    Case("roster-duplicate-unit", {"units.csv": append("甲局,dept\n")}, ("甲局",), "units.csv"),
    Case("roster-empty", {"units.csv": ""}, (), "units.csv"),
    Case("roster-header-only", {"units.csv": "unit,group\n"}, (), "units.csv"),
    Case("roster-blank-unit", {"units.csv": sub("丙局,dept", ",dept")}, (), "units.csv"),
    Case(
        "roster-no-unit-column",
        {"units.csv": sub("unit,group", "name,group")},
        ("unit",),
        "units.csv",
    ),
    Case("roster-binary", {"units.csv": b"PK\x03\x04garbage\x00\x00"}, (), "units.csv"),
    Case("roster-missing-data-unit", {"units.csv": sub("丙局,dept\n", "")}, ("丙局",), ""),
]

#: Mistakes caught by the strict readers, cross-checks and limits (issue 13, items 2, 3 and 5).
CHECK_CASES = [
    Case(
        "data-inf",
        {"data/打分表.csv": sub("甲局,1,2,36", "甲局,inf,2,36")},
        ("inf",),
        "打分表.csv",
        place="第 2 行，列 栏目不更新",
    ),
    Case(
        "data-1e400",
        {"data/打分表.csv": sub("甲局,1,2,36", "甲局,1e400,2,36")},
        ("1e400",),
        "打分表.csv",
        place="第 2 行，列 栏目不更新",
    ),
    Case(
        "data-nul-byte",
        {"data/打分表.csv": sub("甲局,1,2,36", "甲局\x00,1,2,36")},
        ("U+0000",),
        "打分表.csv",
        place="第 2 行，列 单位",
    ),
    Case(
        "data-100000-char-cell",
        {"data/打分表.csv": sub("甲局,1,2,36", "甲局,1,2," + "9" * 100000)},
        ("32767",),
        "打分表.csv",
        place="第 2 行，列 评审",
    ),
    Case("data-header-only", {"data/打分表.csv": "单位,栏目不更新,培训,评审\n"}, ("缺少指标",), ""),
    Case(
        "roster-directory",
        {"units.csv": "<dir>"},
        ("目录",),
        "assessment.toml",
        place="assessment.roster",
    ),
    Case(
        "config-year-mismatch-rubric",
        {"rubric.toml": sub("year = 2023", "year = 2021")},
        ("2021", "rubric_year"),
        "assessment.toml",
        place="assessment.year",
    ),
    Case(
        "rubric-year-0",
        {"rubric.toml": sub("year = 2023", "year = 0")},
        ("不一致",),
        "assessment.toml",
        place="assessment.year",
    ),
    Case(
        "rubric-nested-500-deep",
        {"rubric.toml": append("\nx = " + "[" * 500 + "]" * 500 + "\n")},
        ("嵌套过深",),
        "rubric.toml",
    ),
]

#: Where each message must point (kept apart so that the case lines stay short).
PLACES = {
    "rubric-toml-syntax": "第 3 行",
    "rubric-duplicate-key": "第 6 行",
    "rubric-no-meta": "meta",
    "rubric-unknown-method": "domains[0].indicators[0].method",
    "rubric-negative-points": "domains[0].indicators[0].points",
    "rubric-points-exceed-domain": "domains[0].points",
    "rubric-duplicate-indicator-id": "domains[0].indicators[1].id",
    "rubric-misspelt-key": "domains[0].indicators[1]",
    "rubric-duplicate-group": "groups[1].id",
    "rubric-param-wrong-type": "domains[0].indicators[0].params.per",
    "rubric-count-without-target": "domains[0].indicators[1].params.target",
    "rubric-no-domains": "domains",
    "rubric-share-string": "meta.performance_share",
    "rubric-year-string": "meta.year",
    "rubric-no-groups": "groups",
    "rubric-grade-string-min": "grades[0].min",
    "rubric-empty-indicator-id": "domains[1].indicators[0].id",
    "rubric-indicator-no-name": "domains[1].indicators[0].name",
    "rubric-points-string": "domains[0].points",
    "rubric-domain-duplicate-id": "domains[1].id",
    "config-toml-syntax": "第 5 行",
    "config-misspelt-key": "assessment",
    "config-year-string": "assessment.year",
    "config-unknown-collector": "collectors.sheet",
    "config-unknown-format": "outputs.formats[3]",
    "config-formats-not-list": "outputs.formats",
    "config-bad-notice-date": "notice.date",
    "config-unknown-template": "notice.template",
    "config-unregistered-template-set": "notice.templates",
    "config-column-not-in-file": "第 1 行",
    "config-columns-not-table": "collectors.sheet.columns",
    "config-plugin-not-installed": "assessment.plugins",
    "config-quarter-out-of-range": "assessment.quarter",
    "config-previous-other-schema": "schema",
    "config-empty": "assessment",
    "config-allow-partial-string": "assessment.allow_partial",
    "config-sheet-misspelt-setting": "collectors.sheet.filee",
    "config-no-assessment-table": "assesment",
    "config-rubric-missing-key": "assessment.rubric",
    "config-unknown-top-table": "outputz",
    "config-collector-not-table": "collectors.extra",
    "config-notice-date-type": "notice.date",
    "data-text-in-number": "第 2 行，列 栏目不更新",
    "data-unit-not-in-roster": "第 4 行，列 单位",
    "data-duplicate-unit": "第 5 行",
    "data-missing-column": "第 1 行（表头）",
    "data-nan-text": "第 2 行，列 评审",
    "data-percent-sign": "第 2 行，列 评审",
    "data-no-unit-column": "第 1 行（表头）",
    "data-manual-over-max": "第 2 行，列 评审",
    "data-negative-manual": "第 2 行，列 评审",
    "data-date-in-number": "第 2 行，列 栏目不更新",
    "roster-no-group-column": "表头",
    "roster-unknown-group": "第 4 行，列 group",
    "roster-duplicate-unit": "第 5 行，列 unit",
    "roster-blank-unit": "第 4 行，列 unit",
    "roster-no-unit-column": "表头",
    "roster-missing-data-unit": "第 4 行，列 单位",
}

#: a second period of the fault project (for [combine] cases)
_Q1 = (
    '[assessment]\nname = "某县2023年第一季度检查"\nrubric = "rubric.toml"\nroster = "units.csv"\n'
    'year = 2023\nquarter = 1\noutput = "out/q1"\n\n[collectors.sheet]\nuse = "score_sheet"\n'
    'file = "data/打分表.csv"\ncolumns = { stale = "栏目不更新", training = "培训", review = "评审" }\n'
)
_OTHER_REGION = (
    '{"schema": 1, "period": "2022", "rubric": {"id": "elsewhere-2022"}, "units": ['
    '{"unit": "张镇", "group": "town", "total": 90.0, "rank": 1, "grade": "优秀"}]}'
)
_PREVIOUS = 'output = "out"\nprevious = "prev.json"'

# cross-checks between config, rubric, data and previous result; ranges and limits (issue 13)
CROSSCHECK_CASES = [
    Case(
        "config-year-not-rubric-year",
        {"assessment.toml": sub("year = 2023", "year = 2024")},
        ("2024", "2023", "rubric_year = 2023"),
        "assessment.toml",
        "assessment.year",
    ),
    Case(
        "config-rubric-year-wrong",
        {"assessment.toml": sub("year = 2023", "year = 2023\nrubric_year = 2022")},
        ("rubric_year", "2022"),
        "assessment.toml",
        "assessment.rubric_year",
    ),
    Case(
        "config-year-zero",
        {"assessment.toml": sub("year = 2023", "year = 0")},
        ("2000–2100",),
        "assessment.toml",
        "assessment.year",
    ),
    Case(
        "config-year-99999",
        {"assessment.toml": sub("year = 2023", "year = 99999")},
        ("2000–2100",),
        "assessment.toml",
        "assessment.year",
    ),
    Case(
        "config-start-year-1",
        {"assessment.toml": sub("year = 2023", "year = 2023\nstart = 0001-01-01")},
        ("超出合理范围",),
        "assessment.toml",
        "assessment.start",
    ),
    Case(
        "config-period-other-year-unquoted",
        {
            "assessment.toml": sub(
                "year = 2023", "year = 2023\nstart = 2024-01-01\nend = 2024-12-31"
            )
        },
        ("不重叠",),
        "assessment.toml",
        "assessment.start",
    ),
    Case(
        "config-combine-string",
        {"assessment.toml": lambda t: 'combine = "q1.toml"\n' + t},
        ("应为表",),
        "assessment.toml",
        "combine，第 1 行",
    ),
    Case(
        "config-combine-self",
        {"assessment.toml": append('\n[combine]\nquarterly = ["assessment.toml"]\n')},
        ("本配置自身",),
        "assessment.toml",
        "combine.quarterly[0]",
    ),
    Case(
        "config-combine-duplicate",
        {
            "assessment.toml": append('\n[combine]\nquarterly = ["q1.toml", "q1.toml"]\n'),
            "q1.toml": _Q1,
        },
        ("重复",),
        "assessment.toml",
        "combine.quarterly[1]",
    ),
    Case(
        "config-combine-other-year",
        {
            "assessment.toml": append('\n[combine]\nquarterly = ["q1.toml"]\n'),
            "q1.toml": _Q1.replace("year = 2023", "year = 2022\nrubric_year = 2023"),
        },
        ("2022",),
        "assessment.toml",
        "combine.quarterly[0]",
    ),
    Case(
        "config-previous-other-region",
        {"assessment.toml": sub('output = "out"', _PREVIOUS), "prev.json": _OTHER_REGION},
        ("没有一个单位",),
        "assessment.toml",
        "assessment.previous",
    ),
    Case(
        "config-previous-nested-brackets",
        {"assessment.toml": sub('output = "out"', _PREVIOUS), "prev.json": "[" * 5000 + "]" * 5000},
        ("嵌套过深",),
        "prev.json",
    ),
    Case(
        "config-previous-is-directory",
        {"assessment.toml": sub('output = "out"', 'output = "out"\nprevious = "data"')},
        ("目录",),
        "assessment.toml",
        "assessment.previous",
    ),
    Case(
        "config-rubric-is-directory",
        {"assessment.toml": sub('rubric = "rubric.toml"', 'rubric = "data"')},
        ("目录",),
        "assessment.toml",
        "assessment.rubric",
    ),
    Case(
        "config-sheet-on-csv",
        {
            "assessment.toml": sub(
                'file = "data/打分表.csv"', 'file = "data/打分表.csv"\nsheet = "Sheet1"'
            )
        },
        ("sheet 只适用于 Excel 文件",),
        "assessment.toml",
        "collectors.sheet.sheet",
    ),
    Case(
        "config-unknown-encoding",
        {
            "assessment.toml": sub(
                'file = "data/打分表.csv"', 'file = "data/打分表.csv"\nencoding = "utf9"'
            )
        },
        ("未知的文字编码「utf9」",),
        "assessment.toml",
        "collectors.sheet.encoding",
    ),
    Case(
        "config-export-file-is-directory",
        {"assessment.toml": sub('file = "data/打分表.csv"', 'file = "data"')},
        ("目录",),
        "assessment.toml",
        "collectors.sheet.file",
    ),
    Case(
        "config-template-dirs-missing",
        {"assessment.toml": append('template_dirs = ["no_such_templates"]\n')},
        ("不存在",),
        "assessment.toml",
        "notice.template_dirs[0]",
    ),
    Case(
        "config-calendar-year-zero",
        {"assessment.toml": append("\n[calendar.0]\nholidays = []\n")},
        ("不是年份",),
        "assessment.toml",
        "calendar.0",
    ),
    Case(
        "config-calendar-date-other-year",
        {"assessment.toml": append("\n[calendar.2027]\nholidays = [2028-01-01]\n")},
        ("不属于 2027 年",),
        "assessment.toml",
        "calendar.2027.holidays[0]",
    ),
    Case(
        "config-notice-date-year-1",
        {"assessment.toml": sub('date = "2024-01-15"', "date = 0001-01-15")},
        ("超出合理范围",),
        "assessment.toml",
        "notice.date",
    ),
    Case(
        "config-notice-deadline-year-99999",
        {"assessment.toml": append('rectify_deadline = "99999-01-15"\n')},
        ("格式不正确",),
        "assessment.toml",
        "notice.rectify_deadline",
    ),
    Case(
        "config-nested-arrays",
        {"assessment.toml": lambda t: "x = " + "[" * 3000 + "]" * 3000 + "\n" + t},
        ("嵌套过深",),
        "assessment.toml",
    ),
]

ALL_CASES = [
    replace(c, place=c.place or PLACES.get(c.id, ""))
    for c in RUBRIC_CASES
    + CONFIG_CASES
    + DATA_CASES
    + ROSTER_CASES
    + CHECK_CASES
    + CROSSCHECK_CASES
]
