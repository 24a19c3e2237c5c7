"""Strict structuring of TOML tables into attrs records (cattrs).

Unknown keys, missing keys and wrong types become a :class:`ZwgkError`
subclass naming the file and the path inside it in TOML notation
(``domains[2].indicators[0].points``), with the message in Chinese; given the
TOML text, the error also carries the line the key is written on.

Besides the plain types the converter knows:

* ``datetime.date``: a TOML date (``start = 2023-01-01``) or the same date
  quoted (``"2023-01-01"``), within :data:`MIN_YEAR`–:data:`MAX_YEAR`;
* :data:`Year`: an integer year within the same range;
* ``dict[K, V]``: a TOML table (anything else is a located type error).

A hook may raise :class:`Invalid` with a Chinese sentence; it is reported as
is, at the hook's path.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, NewType, TypeVar

import attrs
import cattrs
from cattrs.cols import is_mapping, list_structure_factory, mapping_structure_factory
from cattrs.errors import ForbiddenExtraKeysError
from cattrs.gen import make_dict_structure_fn

from zwgk_score.errors import ZwgkError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

T = TypeVar("T")

#: the years a date or a year of an assessment may have (考核年度的合理范围)
MIN_YEAR = 2000
MAX_YEAR = 2100

#: an assessment year (考核年度), checked against MIN_YEAR–MAX_YEAR
Year = NewType("Year", int)

#: deepest nesting of tables and arrays accepted in a TOML or JSON input
MAX_NESTING = 40

_TYPE_NAMES = {
    "int": "整数",
    "float": "数字",
    "str": "文本",
    "bool": "true/false",
    "list": "数组",
    "dict": "表",
    "date": "日期",
}


class Invalid(ValueError):
    """A value a structure hook refuses, with the reason in Chinese."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def _strict(kind: type, accept: tuple[type, ...]) -> Any:
    def hook(value: Any, _type: Any) -> Any:
        if isinstance(value, bool) and kind is not bool:
            raise ValueError(f"expected {kind.__name__}")
        if not isinstance(value, accept):
            raise ValueError(f"expected {kind.__name__}")
        return kind(value)

    return hook


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATE_HINT = "写成 2023-12-31（可加引号，也可不加）"


def _in_range(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Invalid(
            f"年份 {year} 超出合理范围（{MIN_YEAR}–{MAX_YEAR}）",
            hint="核对年份是否录错，如 2023 写成了 0023 或 20233",
        )


def _structure_date(value: Any, _type: Any) -> dt.date:
    """A TOML date or a ``YYYY-MM-DD`` string; never a date-time."""
    if isinstance(value, dt.datetime):
        raise Invalid(f"日期格式不正确：「{value}」带有时刻，这里只写日期", hint=_DATE_HINT)
    if isinstance(value, dt.date):
        day = value
    elif isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise Invalid(f"日期「{value}」不存在", hint=_DATE_HINT) from None
    else:
        raise Invalid(f"日期「{value}」格式不正确", hint=_DATE_HINT)
    _in_range(day.year)
    return day


def _structure_year(value: Any, _type: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("expected int")
    _in_range(value)
    return value


def make_converter(*, forbid_extra_keys: bool = True) -> cattrs.Converter:
    """A converter that refuses silent type coercion (and, by default, unknown keys)."""
    conv = cattrs.Converter(forbid_extra_keys=forbid_extra_keys, detailed_validation=True)
    conv.register_structure_hook(float, _strict(float, (int, float)))
    conv.register_structure_hook(int, _strict(int, (int,)))
    conv.register_structure_hook(str, _strict(str, (str,)))
    conv.register_structure_hook(bool, _strict(bool, (bool,)))
    conv.register_structure_hook(dt.date, _structure_date)
    conv.register_structure_hook(Year, _structure_year)

    def is_list(tp: Any) -> bool:
        return getattr(tp, "__origin__", None) is list

    def strict_list(tp: Any) -> Any:
        inner = list_structure_factory(tp, conv)

        def hook(value: Any, _type: Any) -> Any:
            if not isinstance(value, list):
                raise ValueError("expected list")
            return inner(value, _type)

        return hook

    def strict_mapping(tp: Any) -> Any:
        inner = mapping_structure_factory(tp, conv)

        def hook(value: Any, _type: Any) -> Any:
            if not isinstance(value, Mapping):
                raise ValueError("expected dict")
            return inner(value, _type)

        return hook

    def strict_record(cls: Any) -> Any:
        inner = make_dict_structure_fn(
            cls,
            conv,
            _cattrs_forbid_extra_keys=forbid_extra_keys,
            _cattrs_detailed_validation=True,
        )

        def hook(value: Any, _type: Any) -> Any:
            if not isinstance(value, Mapping):
                raise ValueError("expected dict")
            return inner(value, _type)

        return hook

    conv.register_structure_hook_factory(is_list, strict_list)
    conv.register_structure_hook_factory(is_mapping, strict_mapping)
    conv.register_structure_hook_factory(attrs.has, strict_record)
    return conv


CONVERTER = make_converter()


@attrs.frozen
class Problem:
    """One structuring problem: where (TOML path), what (Chinese) and the key to point at."""

    path: str
    message: str
    hint: str | None = None
    #: the path whose TOML line is shown (an unknown key: the key itself, not its table)
    line_path: str = ""


def _type_name(tp: Any) -> str:
    origin = getattr(tp, "__origin__", None)
    name = str(getattr(tp, "__name__", None) or getattr(origin, "__name__", "") or tp)
    return _TYPE_NAMES.get(name, name)


def _field_names(cls: Any) -> list[str]:
    try:
        return [a.alias or a.name for a in attrs.fields(cls)]
    except (TypeError, attrs.exceptions.NotAnAttrsClassError):
        return []


def _describe(exc: BaseException, tp: Any, path: str) -> Problem:
    """The Chinese description of one leaf exception of a cattrs error tree."""
    if isinstance(exc, Invalid):
        return Problem(path, exc.message, exc.hint, path)
    if isinstance(exc, ForbiddenExtraKeysError):
        extra = sorted(exc.extra_fields)
        known = _field_names(exc.cl)
        close = difflib.get_close_matches(extra[0], known, n=1)
        hint = f"是否应为 {close[0]}？" if close else ""
        hint += f"可用的键：{'、'.join(known)}" if known else ""
        key = join_path(path, f".{extra[0]}")
        # at the top level there is no table to name: name the key
        return Problem(path or key, f"未知的键：{', '.join(extra)}", hint or None, key)
    if isinstance(exc, KeyError):
        return Problem(path, "缺少必填的键", None, path)
    m = re.search(r"expected (\w+)", str(exc))
    if m:
        return Problem(path, f"类型错误，应为{_TYPE_NAMES.get(m.group(1), m.group(1))}", None, path)
    if isinstance(exc, (ValueError, TypeError)) and tp is not None:
        return Problem(path, f"类型错误，应为{_type_name(tp)}", None, path)
    return Problem(path, f"取值无效（{exc}）", None, path)


def _step(path: str, index: Any) -> str:
    return join_path(path, f"[{index}]" if isinstance(index, int) else f".{index}")


def problems(exc: BaseException, path: str = "", tp: Any = None) -> Iterator[Problem]:
    """Every leaf problem of a cattrs error tree, in input order, with its TOML path."""
    if isinstance(exc, cattrs.IterableValidationError):
        with_notes, without = exc.group_exceptions()
        for inner, note in with_notes:
            yield from problems(inner, _step(path, note.index), note.type)
        for inner in without:
            yield from problems(inner, path, tp)
    elif isinstance(exc, cattrs.ClassValidationError):
        fields, rest = exc.group_exceptions()
        for inner, field in fields:
            yield from problems(inner, join_path(path, f".{field.name}"), field.type)
        for inner in rest:
            yield from problems(inner, path, tp)
    else:
        yield _describe(exc, tp, path)


def join_path(prefix: str, rest: str) -> str:
    """Join a TOML path prefix with a cattrs path suffix like ``.a[0].b``."""
    if not rest:
        return prefix
    if not prefix:
        return rest.lstrip(".")
    if rest.startswith("["):
        return prefix + rest
    return prefix + ("" if rest.startswith(".") else ".") + rest


_DEFAULT_HINTS = {
    "数组": "数组写成 [ … ]；表的数组每一项写成 [[…]]（两层方括号）",
    "为表": "写成一节 [表名]，其下每行一个“键 = 值”；或内联表 { 键 = 值 }",
}


def structure(
    data: Any,
    cls: type[T],
    *,
    error: type[ZwgkError],
    file: str | Path | None,
    path: str = "",
    hint: str | None = None,
    text: str | None = None,
    converter: cattrs.Converter | None = None,
) -> T:
    """Structure ``data`` into ``cls`` or raise ``error`` at the first problem.

    Args:
        data: the parsed TOML (or JSON) value.
        cls: the attrs class (or any type the converter knows).
        error: the :class:`ZwgkError` subclass to raise.
        file: the file named in the error.
        path: where ``data`` sits in the file (``assessment``).
        hint: what to do, used when the problem has no more specific hint.
        text: the TOML text of ``file``: the error then carries the key's line.
        converter: default :data:`CONVERTER`.
    """
    try:
        return (converter or CONVERTER).structure(data, cls)
    except (cattrs.BaseValidationError, ValueError, TypeError, KeyError) as exc:
        # an unknown key explains a missing one (a misspelt key): report it first
        found = sorted(problems(exc, path, cls), key=lambda p: not p.message.startswith("未知"))
        first = found[0] if found else Problem(path, f"取值无效（{exc}）")
        extra = f"（另有 {len(found) - 1} 处问题）" if len(found) > 1 else ""
        default = _DEFAULT_HINTS.get(first.message[-2:], "按文档修改该键；未知的键多为拼写错误")
        line = toml_line(text, first.line_path or first.path) if text is not None else None
        raise error(
            first.message + extra,
            file=file,
            path=first.path or "(根)",
            line=line,
            hint=first.hint or hint or default,
        ) from None


def check_nesting(
    data: Any, *, error: type[ZwgkError], file: str | Path | None, limit: int = MAX_NESTING
) -> None:
    """Refuse tables/arrays nested deeper than ``limit`` (walked without recursion)."""
    stack: list[tuple[Any, int, str]] = [(data, 1, "")]
    while stack:
        value, depth, path = stack.pop()
        if isinstance(value, Mapping):
            items: Any = ((join_path(path, f".{k}"), v) for k, v in value.items())
        elif isinstance(value, list):
            items = ((f"{path}[{i}]", v) for i, v in enumerate(value))
        else:
            continue
        if depth > limit:
            raise error(
                f"表或数组嵌套超过 {limit} 层",
                file=file,
                path=path or "(根)",
                hint="检查方括号、花括号是否成对；正常的文件不会嵌套这么深",
            )
        stack.extend((v, depth + 1, p) for p, v in items)


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(
    r"""^\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*="""
)
_PART = re.compile(r"""[A-Za-z0-9_-]+|"[^"]*"|'[^']*'""")


def _parts(dotted: str) -> list[str]:
    return [p.strip("\"'") for p in _PART.findall(dotted)]


def _path_parts(path: str) -> list[str]:
    """``a.b[2].c`` → ``["a", "b", "2", "c"]``."""
    return [p for p in re.split(r"[.\[\]]+", path) if p]


def toml_line(text: str | None, path: str | None) -> int | None:
    """The line (1-based) where the key at ``path`` is written in ``text``, if found.

    Follows ``[table]`` and ``[[array]]`` headers (counting the array items)
    and ``key = value`` lines, dotted keys included; inside a value (an array
    item, an inline table) the line of the key holding it is given.
    """
    if not text or not path:
        return None
    target = _path_parts(path)
    counts: dict[tuple[str, ...], int] = {}
    table: list[str] = []
    best, best_len = None, 0
    for number, line in enumerate(text.splitlines(), start=1):
        head = _HEADER.match(line)
        if head:
            names = _parts(head.group(2))
            resolved: list[str] = []
            for i, name in enumerate(names):
                resolved.append(name)
                key = tuple(resolved)
                if i < len(names) - 1 and key in counts:
                    resolved.append(str(counts[key] - 1))
            if head.group(1) == "[[":
                key = tuple(resolved)
                counts[key] = counts.get(key, 0) + 1
                resolved.append(str(counts[key] - 1))
            table = resolved
            full = table
        else:
            m = _KEY.match(line)
            if not m:
                continue
            full = table + _parts(m.group(1))
        n = 0
        while n < min(len(full), len(target)) and full[n] == target[n]:
            n += 1
        if n == len(full) and n > best_len:
            best, best_len = number, n
            if n == len(target):
                break
    return best


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


def read_text_file(file: str | Path, *, error: type[ZwgkError], what: str = "文件") -> str:
    """The UTF-8 text of a file the user named; a folder, a missing or unreadable file is ``error``."""
    p = Path(file)
    if p.is_dir():
        raise error(f"这里应为{what}，给出的却是一个目录", file=p, hint="给出目录中的文件路径")
    try:
        return p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(f"{what}不存在", file=p, hint="检查路径是否正确") from None
    except UnicodeDecodeError as exc:
        raise error(
            f"{what}不是 UTF-8 编码（第 {exc.start} 字节）", file=p, hint="请另存为 UTF-8 编码"
        ) from None
    except OSError as exc:
        raise error(
            f"无法读取{what}：{exc.strerror or exc}", file=p, hint="检查文件权限和路径"
        ) from None


def read_toml(file: str | Path, *, error: type[ZwgkError]) -> tuple[dict[str, Any], str]:
    """Read a TOML file: the parsed tables and the text (for :func:`toml_line`).

    Syntax errors carry line and column; nesting deeper than
    :data:`MAX_NESTING` is refused before any recursive code sees it.
    """
    p = Path(file)
    text = read_text_file(p, error=error)
    try:
        data = tomllib.loads(text)
    except RecursionError:
        raise error(
            f"表或数组嵌套过深（超过 {MAX_NESTING} 层）",
            file=p,
            hint="检查方括号、花括号是否成对；正常的文件不会嵌套这么深",
        ) from None
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
    check_nesting(data, error=error, file=p)
    return data, text


def load_toml(file: str | Path, *, error: type[ZwgkError]) -> dict[str, Any]:
    """Read a TOML file; syntax errors carry line and column."""
    return read_toml(file, error=error)[0]
