"""The plugin boundary (插件边界): every object a plugin returns is checked where it is returned.

:class:`CheckedCollector` and :class:`CheckedExporter` wrap what a plugin
registered; :func:`guard_method` wraps a plugin's scoring method in place.  A
fault (an exception that is not a :class:`ZwgkError`, a value of the wrong
type or shape, a non-finite number) becomes a :class:`PluginError` naming the
plugin, the hook and what was wrong, never a traceback.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zwgk_score.errors import PluginError, ZwgkError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from zwgk_score.collect.base import CollectContext

HINT = "这是插件的缺陷：请联系插件作者修复，或用 ZWGK_SCORE_PLUGINS 排除该插件"


def _fault(plugin: str, hook: str, what: str, **where: Any) -> PluginError:
    """``hook`` reads e.g. ``采集器「x」（register_collectors → collect）``."""
    obj, _, call = hook.partition("|")
    return PluginError(f"插件「{plugin}」的{obj}{what}（钩子 {call}）", hint=HINT, **where)


def _exc_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


class CheckedCollector:
    """A plugin's collector behind the boundary: settings structured, output checked.

    When the collector declares ``settings_type`` (an attrs class), the
    ``[collectors.<name>]`` table is structured into it first
    (:func:`zwgk_score.collect.settings.structure_settings`).
    """

    def __init__(self, inner: Any, plugin: str) -> None:
        self.inner = inner
        self.plugin = plugin
        self.name: str = inner.name
        self.settings_type: type | None = getattr(inner, "settings_type", None)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def collect(self, settings: Any, ctx: CollectContext) -> pd.DataFrame:
        table = f"collectors.{self.name}"
        where = {"file": ctx.config_file, "path": table}
        hook = f"采集器「{self.name}」|register_collectors → collect"
        if self.settings_type is not None and isinstance(settings, Mapping):
            from zwgk_score.collect.settings import structure_settings

            settings = structure_settings(
                settings, self.settings_type, table=table, file=ctx.config_file
            )
        try:
            frame = self.inner.collect(settings, ctx)
        except ZwgkError:
            raise
        except Exception as exc:  # noqa: BLE001 - a plugin bug is named, never a traceback
            raise _fault(self.plugin, hook, f"出错：{_exc_text(exc)}", **where) from None
        return check_evidence(frame, self.plugin, hook, ctx, where)


def check_evidence(
    frame: Any, plugin: str, hook: str, ctx: CollectContext, where: Mapping[str, Any]
) -> pd.DataFrame:
    """A collector's return value as an evidence table, or a :class:`PluginError` saying what is wrong."""
    import numpy as np
    import pandas as pd

    from zwgk_score.collect.base import EVIDENCE_COLUMNS, evidence_frame

    if not isinstance(frame, pd.DataFrame):
        raise _fault(
            plugin,
            hook,
            f"返回了 {type(frame).__name__}，应返回证据行表 DataFrame（用 evidence_rows 构造）",
            **where,
        )
    unknown = [c for c in frame.columns if c not in EVIDENCE_COLUMNS]
    if unknown:
        raise _fault(
            plugin,
            hook,
            f"返回的证据行表有未知列 {'、'.join(map(str, unknown))}；"
            f"只允许 {'、'.join(EVIDENCE_COLUMNS)}",
            **where,
        )
    for col in ("unit", "key"):
        if col not in frame.columns:
            raise _fault(plugin, hook, f"返回的证据行表缺少列 {col}", **where)
    if "value" in frame.columns:
        values = frame["value"]
        if values.dtype != "float64":  # (a float column holds numbers or NaN)
            values = pd.to_numeric(frame["value"], errors="coerce")
            bad = values.isna() & frame["value"].notna()
            if bad.any():
                i = int(np.flatnonzero(bad.to_numpy())[0])
                raise _fault(
                    plugin,
                    hook,
                    f"返回的第 {i + 1} 行 value「{frame['value'].iat[i]}」不是数字",
                    **where,
                )
        inf = np.isinf(values.to_numpy(dtype="float64", na_value=np.nan))
        if inf.any():
            i = int(np.flatnonzero(inf)[0])
            raise _fault(
                plugin, hook, f"返回的第 {i + 1} 行 value 不是有限数值（{values.iat[i]}）", **where
            )
    for col in ("unit", "key", "text", "status", "evidence", "source"):
        if col not in frame.columns:
            continue
        cells = frame[col]
        if pd.api.types.infer_dtype(cells, skipna=False) == "string":
            continue  # only strings (a missing value makes it "mixed")
        kinds = cells.map(
            lambda v: isinstance(v, str) or v is None or (isinstance(v, float) and math.isnan(v))
        )
        if not kinds.all():
            i = int(np.flatnonzero(~kinds.to_numpy(dtype=bool))[0])
            raise _fault(
                plugin,
                hook,
                f"返回的第 {i + 1} 行 {col} 是 {type(cells.iat[i]).__name__}（{cells.iat[i]!r}），应为文本",
                **where,
            )
    out = evidence_frame(frame)
    blank = out["key"] == ""
    if blank.any():
        i = int(np.flatnonzero(blank.to_numpy())[0])
        raise _fault(plugin, hook, f"返回的第 {i + 1} 行数据键 key 为空", **where)
    status = ~out["status"].isin(("ok", "na", "missing"))
    if status.any():
        i = int(np.flatnonzero(status.to_numpy())[0])
        raise _fault(
            plugin,
            hook,
            f"返回的第 {i + 1} 行 status「{out['status'].iat[i]}」无效，应为 ok、na 或 missing",
            **where,
        )
    stranger = ~out["unit"].isin(ctx.units)
    if stranger.any():
        i = int(np.flatnonzero(stranger.to_numpy())[0])
        raise _fault(
            plugin, hook, f"返回的第 {i + 1} 行单位「{out['unit'].iat[i]}」不在单位名单中", **where
        )
    return out


class CheckedExporter:
    """A plugin's exporter behind the boundary: faults named, the list of written files checked."""

    def __init__(self, inner: Any, plugin: str) -> None:
        self.inner = inner
        self.plugin = plugin
        self.name: str = inner.name

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def export(self, results: Any, out_dir: Path, options: Mapping[str, Any]) -> list[Path]:
        hook = f"输出格式「{self.name}」|register_exporters → export"
        try:
            written = self.inner.export(results, out_dir, options)
        except (ZwgkError, OSError):
            raise
        except Exception as exc:  # noqa: BLE001
            raise _fault(self.plugin, hook, f"出错：{_exc_text(exc)}") from None
        if not isinstance(written, list | tuple) or not all(
            isinstance(p, str | Path) for p in written
        ):
            raise _fault(
                self.plugin,
                hook,
                f"返回了 {type(written).__name__}（{written!r:.80}），应返回写出的文件路径列表",
            )
        paths = [Path(p) for p in written]
        for p in paths:
            if not p.exists():
                raise _fault(self.plugin, hook, f"声称写出了 {p}，但该文件不存在")
        return paths


def guard_method(method: Any, plugin: str) -> Any:
    """Wrap a plugin's scoring method's public functions so faults are named (in place).

    Every public callable of the method's class is shadowed by an instance
    attribute that turns an exception (other than :class:`ZwgkError`) into a
    :class:`PluginError`; ``score`` must return finite numbers, one per unit,
    and ``describe`` a text.
    """
    name = getattr(method, "name", "?")
    for attr in dir(type(method)):
        if attr.startswith("_"):
            continue
        fn = getattr(method, attr, None)
        if not callable(fn) or isinstance(fn, type):
            continue
        try:
            setattr(
                method,
                attr,
                _guarded(fn, plugin, f"评分方法「{name}」|register_methods → {attr}", attr),
            )
        except (AttributeError, TypeError):  # slotted or frozen: left as it is
            return method
    return method


def _guarded(fn: Callable[..., Any], plugin: str, hook: str, attr: str) -> Callable[..., Any]:
    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            out = fn(*args, **kwargs)
        except ZwgkError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise _fault(plugin, hook, f"出错：{_exc_text(exc)}") from None
        if attr == "score":
            _check_scores(out, args, plugin, hook)
        elif attr == "describe" and not isinstance(out, str):
            raise _fault(plugin, hook, f"返回了 {type(out).__name__}，应返回文字")
        return out

    return call


def _check_scores(out: Any, args: tuple[Any, ...], plugin: str, hook: str) -> None:
    import numpy as np

    arr = np.asarray(out) if isinstance(out, np.ndarray | list | tuple) else None
    if arr is None or arr.dtype.kind not in "biuf":
        raise _fault(
            plugin, hook, f"返回了 {type(out).__name__}（{out!r:.60}），应返回每个单位一个数的数组"
        )
    leaf = next((a for a in args if isinstance(getattr(a, "n", None), np.ndarray)), None)
    expected = len(leaf.n) if leaf is not None else None
    if arr.ndim != 1 or (expected is not None and len(arr) != expected):
        want = expected if expected is not None else "n"
        raise _fault(plugin, hook, f"返回的数组形状为 {arr.shape}，应为 ({want},)：每个单位一个数")
    values = arr.astype("float64")
    # NaN is allowed only for units without any evidence row (the engine marks them itself)
    has_rows = np.asarray(leaf.n) > 0 if leaf is not None else np.ones(len(values), bool)
    if np.isinf(values).any() or (np.isnan(values) & has_rows).any():
        raise _fault(plugin, hook, "返回了非有限数值（inf 或 NaN）")
