"""``zwgk-score new-plugin`` produces a plugin that installs and passes its own test unchanged."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from zwgk_score.errors import ConfigError
from zwgk_score.scaffold import scaffold_plugin


def test_new_plugin_installs_and_passes_its_test(tmp_path):
    r = subprocess.run(
        [sys.executable, "-m", "zwgk_score.cli", "new-plugin", "demo_city", "-d", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    plugin = tmp_path / "demo_city"
    assert (plugin / "pyproject.toml").is_file()
    site = tmp_path / "site"
    inst = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(site),
            str(plugin),
        ],
        capture_output=True,
        text=True,
    )
    assert inst.returncode == 0, inst.stderr
    env = dict(os.environ, PYTHONPATH=str(site))
    test = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(plugin / "tests")],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert test.returncode == 0, test.stdout + test.stderr
    assert "3 passed" in test.stdout
    # the installed entry point is discovered by the plugin host
    listing = subprocess.run(
        [sys.executable, "-m", "zwgk_score.cli", "plugins"],
        capture_output=True,
        text=True,
        env=dict(env, COLUMNS="200"),
    )
    assert "demo_city" in listing.stdout and "0.1.0" in listing.stdout


def test_bad_name_and_existing_directory(tmp_path):
    with pytest.raises(ConfigError, match="无效"):
        scaffold_plugin("../evil", tmp_path)
    scaffold_plugin("okname", tmp_path)
    with pytest.raises(ConfigError, match="已存在"):
        scaffold_plugin("okname", tmp_path)
