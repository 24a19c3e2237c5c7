"""Strict structuring of TOML tables into attrs records (cattrs).

Unknown keys, missing keys and wrong types become a :class:`ZwgkError`
subclass naming the file and the path inside it in TOML notation
(``domains[2].indicators[0].points``), with the message in Chinese.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any, TypeVar

import cattrs
from cattrs.cols import list_structure_factory

from zwgk_score.errors import ZwgkError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

T = TypeVar("T")

_TYPE_NAMES = {
    "int": "整数",
    "float": "数字",
    "str": "文本",
    "bool": "true/false",
    "list": "数组",
    "tuple": "文字数组",
    "date": "日期（写成 2024-01-31）",
    "datetime": "日期（写成 2024-01-31）",
}


def _strict(kind: type, accept: tuple[type, ...]) -> Any:
    def hook(value: Any, _type: Any) -> Any:
        if isinstance(value, bool) and kind is not bool:
            raise ValueError(f"expected {kind.__name__}")
        if not isinstance(value, accept):
            raise ValueError(f"expected {kind.__name__}")
        return kind(value)

    return hook


def make_converter() -> cattrs.Converter:
    """A converter that refuses unknown keys and silent type coercion."""
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    conv.register_structure_hook(float, _strict(float, (int, float)))
    conv.register_structure_hook(int, _strict(int, (int,)))
    conv.register_structure_hook(str, _strict(str, (str,)))
    conv.register_structure_hook(bool, _strict(bool, (bool,)))

    def is_list(tp: Any) -> bool:
        return getattr(tp, "__origin__", None) is list

    def strict_list(tp: Any) -> Any:
        inner = list_structure_factory(tp, conv)

        def hook(value: Any, _type: Any) -> Any:
            if not isinstance(value, list):
                raise ValueError("expected list")
            return inner(value, _type)

        return hook

    conv.register_structure_hook_factory(is_list, strict_list)
    return conv


CONVERTER = make_converter()

_MSG = re.compile(r"^(?P<msg>.*?) @ \$(?P<path>.*)$")


def _translate(msg: str) -> str:
    if msg.startswith("required field missing"):
        return "缺少必填的键"
    m = re.match(r"extra fields found \((.*)\)", msg)
    if m:
        return f"未知的键：{m.group(1)}"
    m = re.search(r"expected (\w+)", msg)
    if m:
        return f"类型错误，应为{_TYPE_NAMES.get(m.group(1), m.group(1))}"
    return f"取值无效（{msg}）"


def join_path(prefix: str, rest: str) -> str:
    """Join a TOML path prefix with a cattrs path suffix like ``.a[0].b``."""
    if not rest:
        return prefix
    if not prefix:
        return rest.lstrip(".")
    if rest.startswith("["):
        return prefix + rest
    return prefix + ("" if rest.startswith(".") else ".") + rest


def structure(
    data: Any,
    cls: type[T],
    *,
    error: type[ZwgkError],
    file: str | Path | None,
    path: str = "",
    hint: str | None = None,
) -> T:
    """Structure ``data`` into ``cls`` or raise ``error`` at the first problem."""
    try:
        return CONVERTER.structure(data, cls)
    except (cattrs.BaseValidationError, ValueError, TypeError, KeyError) as exc:
        messages = (
            cattrs.transform_error(exc, path="$")
            if isinstance(exc, cattrs.BaseValidationError)
            else [f"{exc} @ $"]
        )
        first = messages[0]
        m = _MSG.match(first)
        raw_msg, raw_path = (m.group("msg"), m.group("path")) if m else (first, "")
        where = join_path(path, raw_path) or "(根)"
        extra = f"（另有 {len(messages) - 1} 处问题）" if len(messages) > 1 else ""
        default = (
            "数组写成 [ … ]；表的数组每一项写成 [[…]]（两层方括号）"
            if re.search(r"expected list\b", raw_msg)
            else "按文档修改该键；未知的键多为拼写错误"
        )
        raise error(
            _translate(raw_msg) + extra, file=file, path=where, hint=hint or default
        ) from None


#: the TOML parser's messages (English) and what they mean for the person editing the file
_TOML_MESSAGES = (
    (
        r"Expected newline or end of document after a statement",
        "一行只能写一个“键 = 值”，值后面多了内容",
    ),
    (r"Illegal character", "出现了不允许的字符（常见原因：字符串的引号没有闭合）"),
    (r"Unclosed array", "数组的方括号没有闭合"),
    (r"Unclosed inline table", "内联表的花括号没有闭合"),
    (r"Unterminated string", "字符串的引号没有闭合"),
    (r"Cannot (?:overwrite|declare|mutate)", "同一个键或表重复定义"),
    (r"Expected '=' after a key", "键后面缺少等号"),
    (
        r"Invalid (?:value|initial character for a key part|statement)",
        "取值或键名写法不对（文字要加引号）",
    ),
    (r"Expected '\]' at the end of a table declaration", "表名的方括号没有闭合"),
    (r"Invalid date or datetime", "日期写法不对，应为 2023-12-31"),
)


def _toml_reason(message: str) -> str:
    """The TOML parser's reason in Chinese, with the original in brackets."""
    for pattern, chinese in _TOML_MESSAGES:
        if re.search(pattern, message):
            return f"{chinese}（{message}）"
    return message


def load_toml(file: str | Path, *, error: type[ZwgkError]) -> dict[str, Any]:
    """Read a TOML file; syntax errors carry line and column."""
    p = Path(file)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error("文件不存在", file=p, hint="检查路径是否正确") from None
    except UnicodeDecodeError as exc:
        raise error(
            f"文件不是 UTF-8 编码（第 {exc.start} 字节）", file=p, hint="请另存为 UTF-8 编码"
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
        line, col = (int(m.group(1)), int(m.group(2))) if m else (None, None)
        reason = _toml_reason(re.sub(r"\s*\(at line \d+, column \d+\)", "", msg).strip())
        if m is None:
            m2 = re.search(r"\(at end of document\)", msg)
            if m2:
                line = text.count("\n") + 1
        raise error(
            f"TOML 语法错误：{reason}",
            file=p,
            line=line,
            column=col,
            hint="检查引号、括号、逗号和等号是否成对、完整",
        ) from None
