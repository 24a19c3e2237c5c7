"""Plugin loading (插件加载): built-ins, entry points, ``--plugins-dir`` files.

* Built-in features are default plugins registered through the same hooks.
* Installed plugins come from the ``zwgk_score`` entry-point group.
* One-off ``*.py`` plugins come from a directory given with ``--plugins-dir``.
* ``ZWGK_SCORE_PLUGINS`` (comma-separated names) restricts which installed or
  directory plugins load; set it to an empty string to load built-ins only.

A plugin that fails to import (including one calling ``sys.exit()`` or
raising ``KeyboardInterrupt`` at import) or that implements a hook that does
not exist (a misspelt ``register_method``) is recorded as a failure, never
crashes the tool; :meth:`PluginHost.raise_failures` turns the failures into a
:class:`PluginError` when a run must stop.  Nothing in a rubric or config is
ever evaluated as Python.

What a plugin registers is wrapped at the boundary (:mod:`zwgk_score.plugin_checks`)
so that its faults are named.  Built-in modules are imported only when a hook
is first called, so ``PluginHost()`` itself is fast.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Callable, Iterable
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import attrs
import pluggy

from zwgk_score import hookspecs
from zwgk_score.default_plugins import DEFAULT_PLUGINS
from zwgk_score.errors import PluginError

ENTRY_POINT_GROUP = "zwgk_score"
ENV_VAR = "ZWGK_SCORE_PLUGINS"


@attrs.frozen
class PluginFailure:
    """A plugin that could not be loaded or whose hook raised."""

    name: str
    stage: str
    error: str


@attrs.frozen
class PluginInfo:
    """One loaded plugin for ``zwgk-score plugins``."""

    name: str
    version: str | None
    hooks: tuple[str, ...]
    builtin: bool


class PluginHost:
    """A plugin manager with the built-ins and the allowed external plugins loaded."""

    def __init__(
        self,
        plugins_dir: str | Path | None = None,
        *,
        entry_points_enabled: bool = True,
        extra: Iterable[tuple[str, Any]] = (),
    ) -> None:
        self.pm = pluggy.PluginManager("zwgk_score")
        self.pm.add_hookspecs(hookspecs)
        self.failures: list[PluginFailure] = []
        self.versions: dict[str, str | None] = {}
        self.builtin: set[str] = set()
        allowed = _allowed()
        for mod_name in DEFAULT_PLUGINS:
            self.pm.register(importlib.import_module(mod_name), name=mod_name)
            self.builtin.add(mod_name)
        if entry_points_enabled:
            self._load_entry_points(allowed)
        if plugins_dir is not None:
            self._load_dir(Path(plugins_dir), allowed)
        for name, obj in extra:
            self._register(name, obj)
        self._cache: dict[str, Any] = {}

    def _register(self, name: str, module: Any) -> None:
        """Register one external plugin; refuse hooks that do not exist (pluggy's check_pending)."""
        self.pm.register(module, name=name)
        try:
            self.pm.check_pending()
        except pluggy.PluginValidationError as exc:
            self.pm.unregister(module, name=name)
            raise UnknownHook(_unknown_hooks(module)) from exc

    # -- loading ---------------------------------------------------------
    def _load_entry_points(self, allowed: set[str] | None) -> None:
        for ep in entry_points(group=ENTRY_POINT_GROUP):
            if allowed is not None and ep.name not in allowed:
                continue
            try:
                module = ep.load()
                self._register(ep.name, module)
                self.versions[ep.name] = ep.dist.version if ep.dist else None
            except (Exception, SystemExit, KeyboardInterrupt) as exc:  # noqa: BLE001 - recorded
                self.failures.append(_import_failure(ep.name, exc))

    def _load_dir(self, directory: Path, allowed: set[str] | None) -> None:
        if not directory.is_dir():
            raise PluginError("插件目录不存在", file=directory, hint="检查 --plugins-dir 的路径")
        for path in sorted(directory.glob("*.py")):
            name = path.stem
            if allowed is not None and name not in allowed:
                continue
            try:
                spec = importlib.util.spec_from_file_location(f"zwgk_score_dirplugin_{name}", path)
                assert spec is not None and spec.loader is not None
                module = importlib.util.module_from_spec(spec)
                sys.modules[spec.name] = module
                spec.loader.exec_module(module)
                self._register(name, module)
                self.versions[name] = getattr(module, "__version__", None)
            except (Exception, SystemExit, KeyboardInterrupt) as exc:  # noqa: BLE001 - recorded
                sys.modules.pop(f"zwgk_score_dirplugin_{name}", None)
                self.failures.append(_import_failure(name, exc))

    # -- calling hooks -----------------------------------------------------
    def collect_registrations(
        self, hook_name: str, *, partial: bool = False
    ) -> list[tuple[str, tuple[Any, ...]]]:
        """Call every implementation of ``hook_name`` separately; return ``(plugin, args)`` pairs.

        Implementations are called in pluggy's order: the last registered first.

        A hook that raises is named in a :class:`PluginError` (or, with
        ``partial``, recorded in :attr:`failures` and skipped).
        """
        caller = getattr(self.pm.hook, hook_name)
        out: list[tuple[str, tuple[Any, ...]]] = []
        for impl in reversed(caller.get_hookimpls()):  # pluggy keeps them first-registered first
            got: list[tuple[Any, ...]] = []

            def register(*args: Any, _got: list[tuple[Any, ...]] = got) -> None:
                _got.append(args)

            try:
                impl.function(register=register)
            except Exception as exc:  # noqa: BLE001
                failure = PluginFailure(impl.plugin_name, hook_name, f"{type(exc).__name__}: {exc}")
                if not partial:
                    raise PluginError(
                        f"插件「{impl.plugin_name}」在钩子 {hook_name} 中出错：{failure.error}",
                        hint="修复或卸载该插件，或用 ZWGK_SCORE_PLUGINS 排除它",
                    ) from None
                self.failures.append(failure)
                continue
            out.extend((impl.plugin_name, args) for args in got)
        return out

    def _named(self, hook_name: str, kind: str, check: Callable[[Any], bool]) -> dict[str, Any]:
        if hook_name in self._cache:
            cached: dict[str, Any] = self._cache[hook_name]
            return cached
        found: dict[str, Any] = {}
        owner: dict[str, str] = {}
        for plugin, args in self.collect_registrations(hook_name):
            obj = args[0] if args else None
            name = getattr(obj, "name", None)
            if len(args) != 1 or not isinstance(name, str) or not check(obj):
                raise PluginError(
                    f"插件「{plugin}」在 {hook_name} 中注册了无效的{kind}：{obj!r}",
                    hint=f"{kind}须有 name 属性并实现文档规定的方法（见 docs/plugins.md）",
                )
            if name in found:
                raise PluginError(
                    f"{kind}「{name}」被插件「{owner[name]}」和「{plugin}」重复注册",
                    hint="更改其中一个的 name，或用 ZWGK_SCORE_PLUGINS 只加载其一",
                )
            found[name] = obj if plugin in self.builtin else self._guard(hook_name, obj, plugin)
            owner[name] = plugin
        self._cache[hook_name] = found
        self._cache[hook_name + ":owner"] = owner
        return found

    @staticmethod
    def _guard(hook_name: str, obj: Any, plugin: str) -> Any:
        from zwgk_score import plugin_checks

        if hook_name == "register_collectors":
            return plugin_checks.CheckedCollector(obj, plugin)
        if hook_name == "register_exporters":
            return plugin_checks.CheckedExporter(obj, plugin)
        return plugin_checks.guard_method(obj, plugin)

    def methods(self) -> dict[str, Any]:
        """Scoring methods by name."""
        from zwgk_score.methods.base import Method

        return self._named("register_methods", "评分方法", lambda o: isinstance(o, Method))

    def collectors(self) -> dict[str, Any]:
        """Collectors by name."""
        return self._named(
            "register_collectors", "采集器", lambda o: callable(getattr(o, "collect", None))
        )

    def exporters(self) -> dict[str, Any]:
        """Exporters (output formats) by name."""
        return self._named(
            "register_exporters", "输出格式", lambda o: callable(getattr(o, "export", None))
        )

    def notice_templates(self) -> dict[str, Path]:
        """Notice template directories by name, in search order.

        Hooks are called last-registered first, so installed and directory
        plugins come before the built-in templates and win on a shared name.
        """
        out: dict[str, Path] = {}
        for plugin, args in self.collect_registrations("register_notice_templates"):
            if len(args) != 2 or not isinstance(args[0], str):
                raise PluginError(
                    f"插件「{plugin}」在 register_notice_templates 中的注册无效：{args!r}",
                    hint="应调用 register(名称, 模板目录)",
                )
            out.setdefault(args[0], Path(args[1]))
        return out

    def owner(self, hook_name: str, name: str) -> str | None:
        self._named_dispatch(hook_name)
        owners: dict[str, str] = self._cache.get(hook_name + ":owner", {})
        return owners.get(name)

    def _named_dispatch(self, hook_name: str) -> None:
        {
            "register_methods": self.methods,
            "register_collectors": self.collectors,
            "register_exporters": self.exporters,
        }[hook_name]()

    def raise_failures(self) -> None:
        """Raise a :class:`PluginError` naming every plugin that failed to load."""
        if self.failures:
            names = "；".join(f"「{f.name}」{f.stage}失败：{f.error}" for f in self.failures)
            raise PluginError(
                f"插件加载失败：{names}",
                hint="修复或卸载该插件；或用 --allow-partial 继续，受影响的指标将标记为缺失",
            )

    def info(self) -> list[PluginInfo]:
        """Every registered plugin with its version and the hooks it implements."""
        out = []
        for name, plugin in self.pm.list_name_plugin():
            hooks = tuple(sorted(h.name for h in self.pm.get_hookcallers(plugin) or ()))
            out.append(PluginInfo(name, self.versions.get(name), hooks, name in self.builtin))
        return out


class UnknownHook(Exception):
    """A plugin implements a hook that is not in :mod:`zwgk_score.hookspecs`."""


def _unknown_hooks(module: Any) -> str:
    known = sorted(n for n in dir(hookspecs) if n.startswith("register_"))
    marker = f"{hookspecs.hookimpl.project_name}_impl"
    wrong = sorted(
        n for n in dir(module) if hasattr(getattr(module, n, None), marker) and n not in known
    )
    return f"实现了不存在的钩子 {'、'.join(wrong) or '?'}（拼写错误？可用钩子：{'、'.join(known)}）"


def _import_failure(name: str, exc: BaseException) -> PluginFailure:
    """Name what went wrong when a plugin was loaded."""
    if isinstance(exc, UnknownHook):
        return PluginFailure(name, "钩子检查", str(exc))
    if isinstance(exc, SystemExit):
        return PluginFailure(name, "导入", f"导入时调用了 sys.exit({exc.code!r})")
    if isinstance(exc, KeyboardInterrupt):
        return PluginFailure(name, "导入", "导入时引发 KeyboardInterrupt（中断）")
    return PluginFailure(name, "导入", f"{type(exc).__name__}: {exc}")


def _allowed() -> set[str] | None:
    from zwgk_score.env import plugin_names  # validated: a malformed name is a ConfigError

    return plugin_names()


_BUILTIN: PluginHost | None = None


def builtin_host() -> PluginHost:
    """A host with the built-in plugins only (no entry points, no directories; created once)."""
    global _BUILTIN
    if _BUILTIN is None:
        _BUILTIN = PluginHost(entry_points_enabled=False)
    return _BUILTIN


def reset_host() -> None:
    """Forget the cached built-in host (tests)."""
    global _BUILTIN
    _BUILTIN = None


def get_methods() -> dict[str, Any]:
    """The built-in scoring methods: the default of ``parse_rubric()``/``score()`` without ``methods=``.

    Installed plugins are never loaded implicitly; to use their methods pass
    ``methods=PluginHost().methods()``.
    """
    return builtin_host().methods()
