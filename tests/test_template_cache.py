"""The Jinja2 bytecode cache of the notice and site templates (outputs/template_cache.py)."""

from __future__ import annotations

import jinja2
import pytest

from zwgk_score.outputs import markdown, template_cache
from zwgk_score.outputs.markdown import render_markdown

CONTEXT = {"title": "关于考核结果的通报"}


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv(template_cache.CACHE_VAR, str(folder))
    markdown._shared_environment.cache_clear()
    yield folder
    markdown._shared_environment.cache_clear()


def _compiles(monkeypatch) -> list[str]:
    """Names of the templates Jinja2 compiles from source from now on."""
    seen: list[str] = []
    original = jinja2.Environment.compile

    def spy(self, source, name=None, filename=None, raw=False, defer_init=False):
        seen.append(name)
        return original(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", spy)
    return seen


def test_a_second_process_loads_the_compiled_template_instead_of_compiling(
    tmp_path, cache_dir, monkeypatch
):
    templates = tmp_path / "tpl"
    templates.mkdir()
    (templates / "t.md.j2").write_text("# {{ title }}\n\n正文。\n", encoding="utf-8")
    compiles = _compiles(monkeypatch)
    first = render_markdown(CONTEXT, "t", [templates])
    assert compiles == ["t.md.j2"]
    entries = list((cache_dir / f"jinja2-{jinja2.__version__}" / "notice").glob("*.cache"))
    assert len(entries) == 1
    # a new environment (as in a new process) reads the entry: nothing compiled, same text
    markdown._shared_environment.cache_clear()
    assert render_markdown(CONTEXT, "t", [templates]) == first == "# 关于考核结果的通报\n\n正文。\n"
    assert compiles == ["t.md.j2"]


def test_an_edited_template_is_compiled_afresh(tmp_path, cache_dir, monkeypatch):
    templates = tmp_path / "tpl"
    templates.mkdir()
    source = templates / "t.md.j2"
    source.write_text("# {{ title }}\n\n旧文。\n", encoding="utf-8")
    assert render_markdown(CONTEXT, "t", [templates]).endswith("旧文。\n")
    markdown._shared_environment.cache_clear()
    source.write_text("# {{ title }}\n\n新文。\n", encoding="utf-8")
    compiles = _compiles(monkeypatch)
    assert render_markdown(CONTEXT, "t", [templates]).endswith("新文。\n")
    assert compiles == ["t.md.j2"]


def test_a_damaged_entry_or_an_unusable_folder_only_means_compiling(tmp_path, monkeypatch):
    templates = tmp_path / "tpl"
    templates.mkdir()
    (templates / "t.md.j2").write_text("# {{ title }}\n", encoding="utf-8")
    folder = tmp_path / "cache"
    monkeypatch.setenv(template_cache.CACHE_VAR, str(folder))
    markdown._shared_environment.cache_clear()
    assert render_markdown(CONTEXT, "t", [templates]) == "# 关于考核结果的通报\n"
    (entry,) = (folder / f"jinja2-{jinja2.__version__}" / "notice").glob("*.cache")
    entry.write_bytes(entry.read_bytes()[:40])  # cut short, as by a full disk
    markdown._shared_environment.cache_clear()
    assert render_markdown(CONTEXT, "t", [templates]) == "# 关于考核结果的通报\n"
    # a file where the folder should be: no cache, the notice is rendered all the same
    blocked = tmp_path / "blocked"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv(template_cache.CACHE_VAR, str(blocked))
    assert template_cache.bytecode_cache("notice") is None
    markdown._shared_environment.cache_clear()
    assert render_markdown(CONTEXT, "t", [templates]) == "# 关于考核结果的通报\n"
    markdown._shared_environment.cache_clear()


def test_cache_folder_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(template_cache.CACHE_VAR, "")
    assert template_cache.cache_root() is None
    assert template_cache.bytecode_cache("site") is None
    monkeypatch.delenv(template_cache.CACHE_VAR)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert template_cache.cache_root() == tmp_path / "xdg" / "zwgk-score"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert template_cache.cache_root() == tmp_path / "home" / ".cache" / "zwgk-score"
