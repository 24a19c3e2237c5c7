"""``zwgk-score new-plugin NAME``: scaffold an installable region plugin (插件骨架)."""

from __future__ import annotations

import re
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined

from zwgk_score import __version__
from zwgk_score.errors import ConfigError

_NAME = re.compile(r"^[a-z][a-z0-9_]{1,39}$")

#: template → path inside the new plugin directory ({pkg} = Python package name)
FILES = {
    "pyproject.toml.j2": "pyproject.toml",
    "README.md.j2": "README.md",
    "init.py.j2": "src/{pkg}/__init__.py",
    "plugin.py.j2": "src/{pkg}/plugin.py",
    "records.py.j2": "src/{pkg}/records.py",
    "LICENSE.j2": "LICENSE",
    "test_plugin.py.j2": "tests/test_{name}_plugin.py",
}


def scaffold_plugin(name: str, directory: str | Path = "plugins") -> Path:
    """Create ``directory/name`` with a pyproject (entry point), a collector, a test and a README."""
    if not _NAME.match(name):
        raise ConfigError(
            f"插件名称「{name}」无效",
            path="NAME",
            hint="用小写字母开头，只含小写字母、数字和下划线，如 liaocheng",
        )
    target = Path(directory) / name
    if target.exists():
        raise ConfigError("目标目录已存在", file=target, hint="换一个名称，或先移走已有目录")
    env = Environment(
        loader=PackageLoader("zwgk_score", "templates/plugin"),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )  # noqa: S701 - generates code, not HTML
    pkg = f"zwgk_score_{name}"
    context = {"name": name, "pkg": pkg, "core_version": __version__}
    rendered = {
        rel.format(pkg=pkg, name=name): env.get_template(tpl).render(**context)
        for tpl, rel in FILES.items()
    }
    for rel, text in rendered.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return target
