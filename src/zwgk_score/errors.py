"""User-facing errors (错误). Every user mistake is a :class:`ZwgkError`.

Each error carries the file, the location inside it (a path such as
``domains[2].indicators[0].points`` or a table row), the line and column for
syntax errors, and a hint saying what to do.  ``str(error)`` is the Chinese
one-or-two-line message the CLI prints.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


class ZwgkError(Exception):
    """Base class of every error caused by user input (rubric, data, config, plugin)."""

    kind = "错误"

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.path = path
        self.line = line
        self.column = column
        self.hint = hint
        super().__init__(self.__str__())

    def location(self) -> str:
        """Where the error is: ``文件 f，位置 p，第 L 行第 C 列`` (parts omitted when unknown)."""
        parts = []
        if self.file:
            parts.append(f"文件 {self.file}")
        if self.path:
            parts.append(f"位置 {self.path}")
        if self.line is not None:
            lc = f"第 {self.line} 行"
            if self.column is not None:
                lc += f"第 {self.column} 列"
            parts.append(lc)
        return "，".join(parts)

    def __str__(self) -> str:
        loc = self.location()
        text = f"{self.kind}：{loc}：{self.message}" if loc else f"{self.kind}：{self.message}"
        if self.hint:
            text += f"\n  处理办法：{self.hint}"
        return text

    def at(self, **kwargs: object) -> ZwgkError:
        """Return a copy of this error with location fields filled in where still empty."""
        fields: dict[str, Any] = {
            "file": self.file,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "hint": self.hint,
        }
        for key, value in kwargs.items():
            if fields.get(key) is None:
                fields[key] = value
        return type(self)(self.message, **fields)


class RubricError(ZwgkError):
    """The rubric (考核细则) is malformed or inconsistent."""

    kind = "考核细则错误"


class DataError(ZwgkError):
    """An indicator data table or roster (指标数据 / 单位名单) is malformed."""

    kind = "数据错误"


class ConfigError(ZwgkError):
    """The assessment config (考核配置) is malformed."""

    kind = "配置错误"


class PluginError(ZwgkError):
    """A plugin (插件) failed to import, raised in a hook or returned something wrong."""

    kind = "插件错误"


class CalendarError(ZwgkError):
    """Working-day calendar (工作日历) cannot answer, e.g. a year outside its coverage."""

    kind = "工作日历错误"


class OutputError(ZwgkError):
    """An output (Excel、通报、反馈单) could not be written."""

    kind = "输出错误"
