"""Whole-run progress: weighted output steps, one running total over every period."""

from __future__ import annotations

from pathlib import Path

import pytest

from zwgk_score import output_pair
from zwgk_score.run import run_assessment
from zwgk_score.run_progress import OutputPlan, step_weight

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_steps_are_weighted_by_format_and_units():
    # fixed 50 + per unit: workbook 12 × 10 = 170; feedback 18 × 10 = 230; a plugin's format 5 × 10
    assert step_weight("excel", 10) == 170
    assert step_weight("feedback", 10) == 230
    assert step_weight("某插件格式", 10) == 100
    calls: list[tuple[str, int, int]] = []
    plan = OutputPlan(lambda *a: calls.append(a), [("excel", 10), ("feedback", 10)])
    assert plan.total == 400
    within = plan.start("输出：excel")
    within(5, 10)  # half the workbook: 170 / 2 = 85
    plan.finish("输出：excel")
    within = plan.start("输出：feedback")
    within(3, 4)  # 170 + 230 × 3 / 4 = 342.5 → 342 (rounded half to even)
    within(9, 4)  # past the end is held at the step's end
    plan.finish("输出：feedback")
    assert [d for _, d, _ in calls] == [0, 85, 170, 170, 342, 400, 400]
    assert {t for _, _, t in calls} == {400}


@pytest.mark.parametrize("pair", [False, True])
def test_a_multi_period_run_reports_one_rising_total(tmp_path, monkeypatch, pair):
    monkeypatch.setattr(output_pair, "ENABLED", pair)
    monkeypatch.setattr(output_pair, "available_cores", lambda: 2)
    calls: list[tuple[str, int, int]] = []
    run_assessment(
        EXAMPLES / "liaocheng", output=tmp_path / "out", progress=lambda *a: calls.append(a)
    )
    writing = [c for c in calls if c[0].startswith(("输出", "发布"))]
    totals = {t for _, _, t in writing}
    assert len(totals) == 1  # four quarters and the year on one bar
    done = [d for _, d, _ in writing]
    assert done == sorted(done) and done[-1] == totals.pop()
    if pair:  # the helper process's steps are reported as they finish, in one rising total
        return
    # the feedback sheets and the sites report within their steps
    assert sum(1 for label, _, _ in writing if label == "输出：feedback") > 5 * 2


def test_the_cli_draws_the_bar_on_a_terminal_only(tmp_path: Path) -> None:
    import os
    import pty
    import shutil
    import subprocess
    import sys

    root = EXAMPLES.parent
    shutil.copytree(root / "rubrics", tmp_path / "rubrics")
    example = tmp_path / "examples" / "tancheng"
    shutil.copytree(EXAMPLES / "tancheng", example, ignore=shutil.ignore_patterns("out"))
    command = [sys.executable, "-m", "zwgk_score.cli", "run", str(example)]
    env = dict(os.environ, COLUMNS="120")
    piped = subprocess.run(command, capture_output=True, text=True, env=env)
    assert piped.returncode == 0 and piped.stderr == ""  # a log gets the summary, no bar
    leader, follower = pty.openpty()
    with subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=follower, env=env) as proc:
        os.close(follower)
        drawn = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the run ended and closed its side
                break
            if not chunk:
                break
            drawn += chunk
    os.close(leader)
    assert proc.returncode == 0
    assert "剩余约" in drawn.decode("utf-8", "replace")  # a terminal sees the bar with its ETA
