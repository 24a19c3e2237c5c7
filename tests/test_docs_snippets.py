"""Every ```python block in README.md and docs/*.md runs; every ```toml block parses.

Python blocks of one document run in order in one namespace (later blocks may
use earlier names), in a temporary working directory.  A block preceded by
``<!-- no-run -->`` is shown only (none exist unless explained next to it).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
DOCS = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md")])
BLOCK = re.compile(r"(<!-- no-run -->\s*)?```(\w+)\n(.*?)```", re.S)


def blocks(path: Path, lang: str) -> list[str]:
    return [
        m.group(3)
        for m in BLOCK.finditer(path.read_text(encoding="utf-8"))
        if m.group(2) == lang and not m.group(1)
    ]


@pytest.mark.parametrize("doc", [d for d in DOCS if blocks(d, "python")], ids=lambda p: p.name)
def test_python_blocks_run(doc, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ZWGK_DOCS_ROOT", str(ROOT))
    namespace: dict = {"__name__": f"docs_{doc.stem}"}
    for i, code in enumerate(blocks(doc, "python")):
        try:
            exec(compile(code, f"{doc.name}#python{i + 1}", "exec"), namespace)  # noqa: S102 - our own docs
        except Exception as exc:  # pragma: no cover - the message names the block
            pytest.fail(f"{doc.name} 第 {i + 1} 个 python 代码块出错：{type(exc).__name__}: {exc}")


@pytest.mark.parametrize("doc", [d for d in DOCS if blocks(d, "toml")], ids=lambda p: p.name)
def test_toml_blocks_parse(doc):
    for i, code in enumerate(blocks(doc, "toml")):
        try:
            tomllib.loads(code)
        except tomllib.TOMLDecodeError as exc:  # pragma: no cover
            pytest.fail(f"{doc.name} 第 {i + 1} 个 toml 代码块语法错误：{exc}")
