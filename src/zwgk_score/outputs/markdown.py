"""The notice as Markdown (通报 Markdown), rendered from Jinja2 templates.

Templates are looked up in the caller's ``template_dirs`` first (regional
overrides registered by plugins), then in the built-in
``zwgk_score/templates/notice/``.  Every ``{{ … }}`` value is Markdown-escaped
automatically, so a unit name such as ``*甲*|乙`` cannot break a table or a
heading; mark trusted Markdown with the ``raw`` filter.

Markdown conventions understood by :mod:`zwgk_score.outputs.docx_render`:

- ``# 标题`` — document title (2号小标宋, centred); inside an attachment, its title.
- ``## 一、…`` — first-level heading (黑体); ``### （一）…`` — second level (楷体).
- plain paragraphs — body text (3号仿宋, first line indented two characters).
- ``::: addressee`` … ``:::`` — 主送机关, flush left.
- ``::: attachment-note`` — the 附件：1.… list under the body.
- ``::: signature`` — issuer and date, right-aligned.
- ``::: attachment`` — an attachment on a new page: its first line (附件1) in 黑体.
- pipe tables (``| a | b |``) — tables, the first row repeated on every page.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jinja2

from zwgk_score.errors import ConfigError

#: the built-in notice templates
BUILTIN_DIR = Path(__file__).resolve().parent.parent / "templates" / "notice"
#: characters escaped with a backslash in user text
MD_SPECIAL = "\\`*_[]<>|#~"


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
    )
    env.filters["raw"] = RawMarkdown
    env.filters["cn"] = _cn_number
    env.filters["md"] = md_escape
    return env


def render_markdown(
    context: dict[str, Any], template: str = "annual", template_dirs: Sequence[Path] = ()
) -> str:
    """Render the notice template ``template`` (``annual`` → ``annual.md.j2``) with ``context``.

    Raises:
        ConfigError: the template does not exist or uses a value the context lacks.
    """
    env = environment(template_dirs)
    name = template if template.endswith(".j2") else f"{template}.md.j2"
    try:
        tpl = env.get_template(name)
        text = tpl.render(**context)
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


def _tidy(text: str) -> str:
    """Collapse runs of blank lines and end with exactly one newline."""
    lines, blank = [], False
    for line in text.splitlines():
        line = line.rstrip()
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
