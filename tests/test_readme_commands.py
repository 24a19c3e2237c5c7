"""The README's quick start stays true: the demo command it runs works from the command line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_readme_names_the_two_quick_start_scripts():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "bash scripts/demo.sh" in readme and "bash scripts/test.sh" in readme
    assert "pytest" in (ROOT / "scripts" / "test.sh").read_text(encoding="utf-8")
    assert "bash scripts/test.sh" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_demo_command_runs_the_bundled_example(tmp_path):
    demo = (ROOT / "scripts" / "demo.sh").read_text(encoding="utf-8")
    assert 'zwgk-score run "${1:-examples/liaocheng}"' in demo
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "zwgk_score.cli",
            "run",
            str(ROOT / "examples" / "liaocheng"),
            "-o",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        env={"COLUMNS": "120", "PATH": "", "HOME": str(tmp_path)},
    )
    assert r.returncode == 0, r.stderr
    assert "东昌府区" in r.stdout  # the summary table printed at the end
    for name in ("考核结果.xlsx", "通报.md", "通报.docx", "results.json", "排名_county.csv"):
        assert (tmp_path / name).is_file(), name
    assert (tmp_path / "2018Q4" / "通报.md").is_file()  # the quarterly notices
    assert any((tmp_path / "反馈单").iterdir())


def test_explain_run_traces_a_unit_to_its_evidence():
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "zwgk_score.cli",
            "explain-run",
            str(ROOT / "examples" / "tancheng"),
            "庙山镇",
        ],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("单位：庙山镇（乡镇街道）")
    assert "单项否决" in r.stdout and "· 证据（data/" in r.stdout
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "zwgk_score.cli",
            "explain-run",
            str(ROOT / "examples" / "tancheng"),
            "不存在的镇",
        ],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2 and "不在名单中" in bad.stderr and "Traceback" not in bad.stderr


def test_explain_run_of_a_combined_result_shows_the_combination():
    """聊城 publishes 0.2 × quarterly mean + 0.8 × year end (+ bonus once): the explanation must add up."""
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "zwgk_score.cli",
            "explain-run",
            str(ROOT / "examples" / "liaocheng"),
            "东昌府区",
        ],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    # 0.2 × 98.78 + 0.8 × 99.48 + 2 = 19.756 + 79.584 + 2 = 101.34 (see tests/test_example_liaocheng.py)
    assert lines[1].startswith("总分 101.34")
    assert (
        lines[2]
        == "  = 季度督查 98.78 × 20% + 年终考核 99.48 × 80% + 加分 2 − 重大扣分 0（合成后计一次）"
    )
    assert lines[3].startswith("  年终考核：基础分 99.48")
