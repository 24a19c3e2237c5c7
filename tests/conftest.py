"""Shared fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _fresh_plugins(monkeypatch):
    """Every test sees a fresh plugin host and no plugin restriction from the environment."""
    from zwgk_score import plugins

    monkeypatch.delenv("ZWGK_SCORE_PLUGINS", raising=False)
    plugins.reset_host()
    yield
    plugins.reset_host()


@pytest.fixture
def root() -> Path:
    return ROOT
