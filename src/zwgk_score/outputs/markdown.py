"""The notice as Markdown (通报 Markdown), rendered from Jinja2 templates.

Templates are looked up in the caller's ``template_dirs`` first (regional
overrides registered by plugins), then in the built-in
``zwgk_score/templates/notice/``.  Every ``{{ … }}`` value is Markdown-escaped
automatically, so a unit name such as ``*甲*|乙`` cannot break a table or a
heading; mark trusted Markdown with the ``raw`` filter.

The output is CommonMark with GFM tables; the layout conventions the DOCX
renderer reads (role comments such as ``<!-- signature -->``, ``---`` before an
attachment) are described in :mod:`zwgk_score.outputs.mdblocks`.  Before
rendering, every template file of the chain (the template and those it
extends) is checked with markdown-it-py: Markdown the 公文 renderer cannot
lay out (a list, a quote, a link, other HTML) is refused with the template
file and line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jinja2

from zwgk_score.errors import ConfigError
from zwgk_score.outputs.mdblocks import check_layout
from zwgk_score.outputs.template_cache import bytecode_cache

#: the built-in notice templates
BUILTIN_DIR = Path(__file__).resolve().parent.parent / "templates" / "notice"
#: characters escaped with a backslash in user text
MD_SPECIAL = "\\`*_[]<>|#~&"


def md_escape(text: str) -> str:
    """Escape Markdown syntax in one-line user text; newlines become spaces.

    >>> md_escape("a|b *c*")
    'a\\\\|b \\\\*c\\\\*'
    """
    text = " ".join(str(text).splitlines())
    return "".join("\\" + c if c in MD_SPECIAL else c for c in text)


def md_unescape(text: str) -> str:
    """Undo :func:`md_escape` (backslash escapes of :data:`MD_SPECIAL`)."""
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text) and text[i + 1] in MD_SPECIAL:
            out.append(text[i + 1])
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


class RawMarkdown(str):
    """Text a template marked with the ``raw`` filter: output without escaping."""


def _finalize(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, RawMarkdown):
        return str(value)
    if isinstance(value, str):
        return md_escape(value)
    return value


def _cn_number(n: int) -> str:
    from zwgk_score.outputs.notice import cn_number

    return cn_number(n)


def environment(template_dirs: Sequence[Path] = ()) -> jinja2.Environment:
    """A Jinja2 environment searching ``template_dirs`` then the built-in templates."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([*(str(d) for d in template_dirs), str(BUILTIN_DIR)]),
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=bytecode_cache("notice"),
    )
    env.filters["raw"] = RawMarkdown
    env.filters["cn"] = _cn_number
    env.filters["md"] = md_escape
    return env


#: keys a hand-made context may leave out (older callers, plugin tests): their neutral values
CONTEXT_DEFAULTS: dict[str, Any] = {
    "masthead": "",
    "doc_number": "",
    "approval": "",
    "rescale_note": "",
    "rectification": None,
    "major": [],
    "attachment_note": [],
    "problems_no": "三",
    "requirements_no": "四",
    "colophon": None,
}


def with_defaults(context: dict[str, Any]) -> dict[str, Any]:
    """``context`` with :data:`CONTEXT_DEFAULTS` filled in, and each group's derived keys."""
    out = {**CONTEXT_DEFAULTS, **context}
    groups = []
    for g in out.get("groups", []):
        g = dict(g)
        g.setdefault("graded", [gr for gr in g.get("grades", []) if gr.get("count")])
        g.setdefault("outstanding", [])
        g.setdefault("rescaled", 0)
        g.setdefault("trend", None)
        g.setdefault("improved_rule", "")
        g["lists"] = [
            {**lst, "count": lst.get("count", len(lst["units"]))} for lst in g.get("lists", [])
        ]
        groups.append(g)
    out["groups"] = groups
    if not out["attachment_note"] and out.get("attachments"):
        many = len(out["attachments"]) > 1
        out["attachment_note"] = [
            ("附件：" if i == 0 else "") + (f"{a['number']}." if many else "") + a["title"]
            for i, a in enumerate(out["attachments"])
        ]
    return out


def render_markdown(
    context: dict[str, Any], template: str = "annual", template_dirs: Sequence[Path] = ()
) -> str:
    """Render the notice template ``template`` (``annual`` → ``annual.md.j2``) with ``context``.

    Raises:
        ConfigError: the template does not exist or uses a value the context lacks.
    """
    # a new environment each time: Jinja2 notices an edited template only by its mtime, which
    # two quick edits can share; compiled code comes from the bytecode cache all the same
    env = environment(template_dirs)
    name = template if template.endswith(".j2") else f"{template}.md.j2"
    try:
        check_template(env, name)
        tpl = env.get_template(name)
        text = tpl.render(**with_defaults(context))
    except jinja2.TemplateNotFound as e:
        searched = "、".join(str(d) for d in [*template_dirs, BUILTIN_DIR])
        raise ConfigError(
            f"找不到通报模板「{e.name}」",
            path="notice.template",
            hint=f"模板目录：{searched}；内置模板有 annual、quarterly",
        ) from None
    except jinja2.TemplateSyntaxError as e:
        raise ConfigError(
            f"通报模板语法错误：{e.message}",
            file=e.filename,
            line=e.lineno,
            hint="检查 Jinja2 语法（{{ }}、{% %} 是否成对）",
        ) from None
    except jinja2.UndefinedError as e:
        raise ConfigError(
            f"通报模板引用了不存在的数据：{e.message}",
            path="notice.template",
            hint="可用的数据见 docs/outputs.md「通报模板数据」",
        ) from None
    return _tidy(text)


_JINJA_EXPR = re.compile(r"\{\{.*?\}\}", re.S)
_JINJA_TAG = re.compile(r"\{%.*?%\}|\{#.*?#\}", re.S)
_EXTENDS = re.compile(r"\{%-?\s*extends\s+[\"']([^\"']+)[\"']")


def _markdown_skeleton(source: str) -> str:
    """The template's Markdown with Jinja removed, line numbers kept.

    Values become a placeholder word, tags and comments disappear (their
    newlines stay), so markdown-it sees the template's own Markdown.
    """

    def blank(m: re.Match[str]) -> str:
        return "\n" * m.group(0).count("\n")

    text = _JINJA_TAG.sub(blank, source)
    return _JINJA_EXPR.sub(lambda m: "值" + blank(m), text)


def check_template(env: jinja2.Environment, name: str) -> None:
    """Check the Markdown of template ``name`` and every template it extends.

    Raises:
        MarkdownLayoutError: the template writes Markdown the DOCX renderer cannot
            lay out, with the template file and line.
    """
    seen: set[str] = set()
    while name and name not in seen:
        seen.add(name)
        assert env.loader is not None
        source, filename, _ = env.loader.get_source(env, name)
        check_layout(_markdown_skeleton(source), file=filename)
        m = _EXTENDS.search(source)
        name = m[1] if m else ""


_HALF_PARENS = re.compile(r"\(([^()]*[\u3400-\u9fff][^()]*)\)")


def typeset(line: str) -> str:
    """Chinese typography of one line: full-width brackets around Chinese text, ‘’ inside “”.

    >>> typeset("县(市、区)“关于“三同步”的要求”")
    '县（市、区）“关于‘三同步’的要求”'
    """
    line = _HALF_PARENS.sub(r"（\1）", line)
    out, depth = [], 0
    for c in line:
        if c == "“":
            out.append("‘" if depth % 2 else "“")
            depth += 1
        elif c == "”" and depth:
            depth -= 1
            out.append("’" if depth % 2 else "”")
        else:
            out.append(c)
    return "".join(out)


def _tidy(text: str) -> str:
    """Typeset each line, collapse runs of blank lines and end with exactly one newline."""
    lines: list[str] = []
    blank = False
    for line in text.splitlines():
        line = line.rstrip()
        if not line.startswith("<!--"):
            line = typeset(line)
        if not line:
            if not blank and lines:
                lines.append("")
            blank = True
        else:
            lines.append(line)
            blank = False
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"
