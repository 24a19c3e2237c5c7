"""Shared fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

# Property tests check behaviour, not speed: on a loaded 2-core machine a single example can
# take longer than hypothesis' default 200 ms deadline, which would fail a correct test.
settings.register_profile("zwgk", deadline=None)
settings.load_profile("zwgk")

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
