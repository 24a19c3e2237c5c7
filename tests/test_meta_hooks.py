"""Meta-tests: every hook is documented with its exact signature and has a test."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from zwgk_score import hookspecs

ROOT = Path(__file__).resolve().parents[1]
HOOKS = [
    name
    for name, fn in inspect.getmembers(hookspecs, inspect.isfunction)
    if name.startswith("register_")
]


def test_hooks_exist():
    assert set(HOOKS) >= {
        "register_methods",
        "register_collectors",
        "register_exporters",
        "register_notice_templates",
    }


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_is_documented_with_its_signature(hook):
    params = ", ".join(inspect.signature(getattr(hookspecs, hook)).parameters)
    doc = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    assert f"### {hook}({params})" in doc


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_has_a_test(hook):
    pattern = re.compile(rf"def test_hook_\w*{hook}")
    sources = [
        p.read_text(encoding="utf-8")
        for p in (ROOT / "tests").glob("test_*.py")
        if p.name != Path(__file__).name
    ]
    assert any(pattern.search(s) for s in sources), f"no test named test_hook_…{hook}…"


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_has_a_docstring(hook):
    assert (getattr(hookspecs, hook).__doc__ or "").strip()
