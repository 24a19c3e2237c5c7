"""Environment variables (环境变量) the tool reads, validated with a Chinese error.

* ``SOURCE_DATE_EPOCH``: seconds since 1970-01-01 UTC stamped into every
  output instead of the notice date (reproducible builds); it must be a
  whole number within the years :data:`~zwgk_score.structure.MIN_YEAR`–
  :data:`~zwgk_score.structure.MAX_YEAR`.
* ``ZWGK_SCORE_PLUGINS``: comma-separated plugin names restricting what
  loads (see :mod:`zwgk_score.plugins`); each name must be a plugin name,
  and in a run each named plugin must be found.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable

from zwgk_score.errors import ConfigError
from zwgk_score.structure import MAX_YEAR, MIN_YEAR

EPOCH_VAR = "SOURCE_DATE_EPOCH"
PLUGINS_VAR = "ZWGK_SCORE_PLUGINS"
_PLUGIN_NAME = re.compile(r"[A-Za-z0-9_.\-]+")


def _env_error(var: str, message: str, hint: str) -> ConfigError:
    return ConfigError(message, path=f"环境变量 {var}", hint=hint)


def source_date_epoch() -> dt.datetime | None:
    """``SOURCE_DATE_EPOCH`` as a naive UTC time, or ``None`` when unset or empty.

    Raises:
        ConfigError: not a whole number of seconds, or a time outside the sane years.
    """
    raw = os.environ.get(EPOCH_VAR, "").strip()
    if not raw:
        return None
    hint = f"填写 1970-01-01 以来的秒数（如 1704067200 即 2024年1月1日），或删去 {EPOCH_VAR}"
    if not raw.isdigit() or not raw.isascii():
        raise _env_error(EPOCH_VAR, f"{EPOCH_VAR}「{raw[:40]}」不是整数秒数", hint)
    lo = dt.datetime(MIN_YEAR, 1, 1, tzinfo=dt.timezone.utc).timestamp()
    hi = dt.datetime(MAX_YEAR, 12, 31, 23, 59, 59, tzinfo=dt.timezone.utc).timestamp()
    if not lo <= int(raw) <= hi:
        raise _env_error(
            EPOCH_VAR,
            f"{EPOCH_VAR}「{raw[:40]}」超出合理范围（{MIN_YEAR}–{MAX_YEAR} 年）",
            hint,
        )
    return dt.datetime.fromtimestamp(int(raw), tz=dt.timezone.utc).replace(tzinfo=None)


def plugin_names() -> set[str] | None:
    """The names in ``ZWGK_SCORE_PLUGINS`` (``None`` when unset; empty: built-ins only).

    Raises:
        ConfigError: a name with characters no plugin name has (a path, spaces).
    """
    raw = os.environ.get(PLUGINS_VAR)
    if raw is None:
        return None
    names = {p.strip() for p in raw.split(",") if p.strip()}
    for name in sorted(names):
        if not _PLUGIN_NAME.fullmatch(name):
            raise _env_error(
                PLUGINS_VAR,
                f"「{name[:40]}」不是插件名称",
                hint=f"{PLUGINS_VAR} 写插件名称，用英文逗号分隔，如 tancheng,liaocheng",
            )
    return names


def check_plugin_names(found: Iterable[str]) -> None:
    """Every name in ``ZWGK_SCORE_PLUGINS`` must be a plugin that was found (a typo loads nothing).

    Raises:
        ConfigError: naming the first unknown name and the plugins found.
    """
    names = plugin_names()
    if not names:
        return
    from importlib.metadata import entry_points

    installed = {ep.name for ep in entry_points(group="zwgk_score")}
    unknown = sorted(names - set(found) - installed)
    if unknown:
        raise _env_error(
            PLUGINS_VAR,
            f"{PLUGINS_VAR} 中的插件「{unknown[0]}」未安装或未找到",
            hint=f"已安装的插件：{'、'.join(sorted(installed)) or '无'}；核对拼写",
        )


def check_environment() -> None:
    """Validate every environment variable the tool reads (before a run does any work)."""
    source_date_epoch()
    plugin_names()
