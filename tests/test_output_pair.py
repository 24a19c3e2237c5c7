"""Output steps written by two processes (zwgk_score.output_pair): same bytes, errors, Ctrl-C."""

from __future__ import annotations

import multiprocessing as mp
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from zwgk_score import output_pair, score_pair
from zwgk_score.atomic import atomic_path, atomic_write_text
from zwgk_score.errors import OutputError
from zwgk_score.run import run_assessment
from zwgk_score.run_progress import OutputPlan

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture(autouse=True)
def _two_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pair is used whatever this machine has (the CI machine has 2 cores)."""
    monkeypatch.setattr(output_pair, "available_cores", lambda: 2)
    monkeypatch.setattr(score_pair, "available_cores", lambda: 2)


def _plan(n: int, progress: object = None) -> OutputPlan:
    return OutputPlan(progress, [("json", 1)] * n)  # type: ignore[arg-type]


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


def test_a_small_run_uses_the_pair_and_writes_the_same_bytes_as_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    pairs = []
    original = output_pair._Pair.run

    def counted(self: output_pair._Pair) -> list[list[Path]]:
        pairs.append(len(self.labels))
        return original(self)

    monkeypatch.setattr(output_pair._Pair, "run", counted)
    scored = []
    original_score = score_pair.score_in_pair

    def score_counted(main: Any, others: Any, **kwargs: Any) -> Any:
        scored.append(len(others))
        return original_score(main, others, **kwargs)

    monkeypatch.setattr(score_pair, "score_in_pair", score_counted)
    example = EXAMPLES / "liaocheng"  # five periods, 23 output steps
    paired = run_assessment(example, output=tmp_path / "pair")
    monkeypatch.setattr(output_pair, "ENABLED", False)
    monkeypatch.setattr(score_pair, "ENABLED", False)
    single = run_assessment(example, output=tmp_path / "single")
    assert pairs == [23]  # 4 quarters × 4 formats + the year's 7
    assert scored == [4]  # three quarters scored in the helper while the year and Q4 are here
    assert [p.relative_to(tmp_path / "pair") for p in paired.written] == [
        p.relative_to(tmp_path / "single") for p in single.written
    ]
    got, want = _files(tmp_path / "pair"), _files(tmp_path / "single")
    assert len(want) == len(paired.written) + 5  # + a manifest per output folder (4 quarters, year)
    assert got == want


def test_paths_come_back_in_step_order_and_progress_reaches_the_total(tmp_path: Path) -> None:
    seen: list[tuple[str, int, int]] = []
    plan = _plan(12, lambda label, done, total: seen.append((label, done, total)))

    def step(k: int, within: object) -> list[Path]:
        time.sleep(0.02 + 0.01 * (k % 3))
        path = tmp_path / f"{k}.txt"
        atomic_write_text(path, f"step {k} in {os.getpid()}")
        return [path]

    out = output_pair.write_steps([f"输出：{k}" for k in range(12)], step, plan)
    assert out == [[tmp_path / f"{k}.txt"] for k in range(12)]
    writers = [(tmp_path / f"{k}.txt").read_text().split(" in ")[1] for k in range(12)]
    assert len(set(writers)) == 2  # both processes took steps
    # this process from the first step on, the helper from the last back: two runs that meet
    mine = [w == str(os.getpid()) for w in writers]
    cut = mine.index(False)
    assert cut > 0 and mine == [True] * cut + [False] * (12 - cut)
    done = [d for _, d, _ in seen]
    assert done == sorted(done) and done[-1] == plan.total == 12 * (50 + 10)
    assert mp.active_children() == []


def test_inside_the_pair_each_step_sees_one_core_so_it_starts_no_pool(tmp_path: Path) -> None:
    """Both processes keep a core busy: the feedback pool inside a step writes in-process."""
    from zwgk_score import cores

    def step(k: int, within: object) -> list[Path]:
        time.sleep(0.02)
        path = tmp_path / f"{k}.txt"
        atomic_write_text(path, f"{cores.available_cores()} {os.getpid()}")
        return [path]

    before = cores.available_cores()
    output_pair.write_steps([f"输出：{k}" for k in range(6)], step, _plan(6))
    seen = [(tmp_path / f"{k}.txt").read_text().split() for k in range(6)]
    assert {n for n, _ in seen} == {"1"} and len({pid for _, pid in seen}) == 2
    assert cores.available_cores() == before  # and afterwards the run has its cores back
    with cores.sharing(before + 5):
        assert cores.available_cores() == 1  # never fewer than one


def test_one_process_when_disabled_large_or_a_single_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert output_pair.use_pair(_plan(2), 2)
    assert not output_pair.use_pair(_plan(1), 1)
    big = OutputPlan(None, [("feedback", 10_000)])
    assert big.total > output_pair.PAIR_MAX_WEIGHT and not output_pair.use_pair(big, 2)
    monkeypatch.setattr(output_pair, "available_cores", lambda: 1)
    assert not output_pair.use_pair(_plan(2), 2)
    monkeypatch.setattr(output_pair, "available_cores", lambda: 2)
    monkeypatch.setattr(output_pair, "ENABLED", False)
    pid = os.getpid()
    out = output_pair.write_steps(["a", "b"], lambda k, s: [Path(str(os.getpid()))], _plan(2))
    assert out == [[Path(str(pid))], [Path(str(pid))]]


def test_an_error_is_raised_in_the_parent_with_its_place(tmp_path: Path) -> None:
    def step(k: int, within: object) -> list[Path]:
        time.sleep(0.02)
        if k == 7:  # in whichever process takes it
            raise OutputError("磁盘已满", file=tmp_path / f"{k}.txt", hint="清理磁盘")
        return []

    with pytest.raises(OutputError) as info:
        output_pair.write_steps([str(k) for k in range(20)], step, _plan(20))
    assert info.value.message == "磁盘已满" and info.value.hint == "清理磁盘"
    assert info.value.file == str(tmp_path / "7.txt")
    assert mp.active_children() == []


def test_after_a_failure_the_steps_are_written_again_in_one_process(tmp_path: Path) -> None:
    """What failed only because of the pair (e.g. the other process filled the disk) is redone."""
    parent = os.getpid()

    def step(k: int, within: object) -> list[Path]:
        time.sleep(0.02)
        path = tmp_path / f"{k}.txt"
        if os.getpid() != parent:
            atomic_write_text(path, "helper")
            raise OutputError("磁盘已满", file=path)
        atomic_write_text(path, "parent")
        return [path]

    out = output_pair.write_steps([str(k) for k in range(10)], step, _plan(10))
    assert out == [[tmp_path / f"{k}.txt"] for k in range(10)]
    assert {p.read_text() for p in tmp_path.iterdir()} == {"parent"}
    assert mp.active_children() == []


def test_the_first_failing_step_is_the_error_raised_as_in_one_process(tmp_path: Path) -> None:
    def step(k: int, within: object) -> list[Path]:
        if k == 2:  # fails last in time, but first in step order
            time.sleep(0.3)
            raise OutputError("第 2 步出错", file=tmp_path / "2")
        if k >= 3:
            raise OutputError(f"第 {k} 步出错", file=tmp_path / str(k))
        return []

    for _ in range(3):
        with pytest.raises(OutputError, match="第 2 步出错"):
            output_pair.write_steps([str(k) for k in range(8)], step, _plan(8))
    assert mp.active_children() == []


def test_a_helper_that_dies_is_an_error_not_a_hang() -> None:
    parent = os.getpid()

    def step(k: int, within: object) -> list[Path]:
        if os.getpid() != parent:
            os._exit(3)
        time.sleep(0.05)
        return []

    with pytest.raises(RuntimeError, match="辅助进程意外退出"):
        output_pair.write_steps([str(k) for k in range(6)], step, _plan(6))
    assert mp.active_children() == []


def test_ctrl_c_in_the_parent_stops_the_helper_inside_its_step(tmp_path: Path) -> None:
    parent = os.getpid()
    started = tmp_path / "helper-started"

    def step(k: int, within: object) -> list[Path]:
        if os.getpid() != parent:
            with atomic_path(tmp_path / f"slow-{k}.txt") as tmp:
                tmp.write_text("half")
                started.touch()
                time.sleep(30)  # SIGTERM interrupts this
            return []
        deadline = time.monotonic() + 10
        while not started.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        raise KeyboardInterrupt

    t0 = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        output_pair.write_steps(["a", "b", "c"], step, _plan(3))
    assert time.monotonic() - t0 < 10
    assert started.exists()
    assert mp.active_children() == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["helper-started"]  # no *.tmp left


# -- scoring the other periods in a helper (zwgk_score.score_pair) -----------------------------


def test_the_other_periods_come_back_in_order_with_their_crawls_to_save(tmp_path: Path) -> None:
    from zwgk_score.inspection import saved

    def other(k: int) -> Any:
        def work() -> tuple[int, int]:
            (tmp_path / f"{k}.{os.getpid()}").touch()
            if k == 1:  # a live crawl's save_to, held back until the run succeeds
                saved._RUNS[-1].append(f"pending {k}")
            return k * k, os.getpid()

        return work

    with saved.deferred_saves():
        assert score_pair.use_pair(3, [EXAMPLES / "tancheng" / "units.csv"])
        first, rest = score_pair.score_in_pair(lambda: "main", [other(k) for k in range(3)])
        pending = list(saved._RUNS[-1])
        saved._RUNS[-1].clear()  # the strings are stand-ins, not crawls to write
    assert first == "main" and [v for v, _ in rest] == [0, 1, 4]
    # each period scored once, by the process that says it did
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f"{k}.{pid}" for k, (_, pid) in enumerate(rest)
    ]
    assert pending == ["pending 1"]
    assert mp.active_children() == []


def _wait_for(path: Path) -> None:
    deadline = time.monotonic() + 30
    while not path.exists():
        assert time.monotonic() < deadline, f"{path.name} never appeared"
        time.sleep(0.005)


@pytest.mark.parametrize("helper_first", [True, False])
def test_the_faster_process_scores_more_periods(tmp_path: Path, helper_first: bool) -> None:
    here = os.getpid()

    def other(k: int) -> Any:
        def work() -> tuple[int, bool]:
            mine = os.getpid() == here
            (tmp_path / f"{k}.{'here' if mine else 'helper'}").touch()
            if not helper_first and not mine and k == 0:
                _wait_for(tmp_path / "1.here")  # the helper is slow: held in its first period
            return k, mine

        return work

    def main() -> str:
        # this period is slow (the helper begins the last quarter) or quick (it begins the first)
        _wait_for(tmp_path / ("3.helper" if helper_first else "0.helper"))
        return "own"

    first, rest = score_pair.score_in_pair(main, [other(k) for k in range(4)])
    assert first == "own" and [k for k, _ in rest] == [0, 1, 2, 3]
    # this process takes the periods the helper has not begun, from the last back
    expected = [False] * 4 if helper_first else [False, True, True, True]
    assert [mine for _, mine in rest] == expected
    assert len(list(tmp_path.iterdir())) == 4  # none scored twice
    assert mp.active_children() == []


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 11])
def test_the_crawls_to_save_follow_the_period_order(n: int) -> None:
    from zwgk_score.inspection import saved

    def main() -> str:
        saved._RUNS[-1].append("own")
        return "own"

    def other(k: int) -> Any:
        def work() -> int:
            saved._RUNS[-1].append(f"period {k}")
            return k

        return work

    with saved.deferred_saves():
        first, rest = score_pair.score_in_pair(main, [other(k) for k in range(n)])
        order = list(saved._RUNS[-1])
        saved._RUNS[-1].clear()
    assert first == "own" and rest == list(range(n))
    assert order == ["own", *(f"period {k}" for k in range(n))]  # whichever process scored which
    assert mp.active_children() == []


def test_errors_are_those_of_one_process(tmp_path: Path) -> None:
    def fails(name: str) -> Any:
        def work() -> None:
            raise OutputError(f"{name} 出错", file=tmp_path / name)

        return work

    # this period's error first (one process scores it first), then the first other period's
    with pytest.raises(OutputError, match="本期 出错"):
        score_pair.score_in_pair(fails("本期"), [fails("一季度")])
    with pytest.raises(OutputError, match="一季度 出错") as info:
        score_pair.score_in_pair(lambda: None, [lambda: None, fails("一季度"), fails("二季度")])
    assert info.value.file == str(tmp_path / "一季度")
    # the fourth quarter's error (whichever process meets it first) comes after the second's
    quarters = [lambda: None, fails("二季度"), lambda: None, fails("四季度")]
    with pytest.raises(OutputError, match="二季度 出错"):
        score_pair.score_in_pair(lambda: None, quarters)
    with pytest.raises(OutputError, match="四季度 出错"):
        score_pair.score_in_pair(lambda: None, [lambda: None] * 3 + [fails("四季度")])
    assert mp.active_children() == []


def test_what_the_helper_cannot_send_back_is_raised_as_text(tmp_path: Path) -> None:
    here = os.getpid()

    class Unpicklable(Exception):
        def __reduce__(self) -> Any:
            raise TypeError("cannot pickle")

    def second(name: str, make: Callable[[], Any]) -> Callable[[], Any]:
        def work() -> Any:
            if os.getpid() == here:
                return None
            (tmp_path / name).touch()
            return make()

        return work

    def raise_unpicklable() -> Any:
        raise Unpicklable("一季度 出错")

    def main(name: str) -> Callable[[], None]:
        return lambda: _wait_for(tmp_path / name)  # the helper takes both periods meanwhile

    with pytest.raises(RuntimeError, match="Unpicklable: 一季度 出错"):
        score_pair.score_in_pair(main("a"), [lambda: None, second("a", raise_unpicklable)])
    with pytest.raises(RuntimeError, match="评分的辅助进程无法传回结果"):
        score_pair.score_in_pair(main("b"), [lambda: None, second("b", threading.Lock)])
    assert mp.active_children() == []


def test_one_process_for_a_large_roster_or_when_disabled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "units.csv"
    big.write_bytes(b"x" * (score_pair.PAIR_MAX_ROSTER_BYTES + 1))
    small = EXAMPLES / "tancheng" / "units.csv"
    assert score_pair.use_pair(1, [small]) and not score_pair.use_pair(1, [small, big])
    assert not score_pair.use_pair(0, [small])
    assert not score_pair.use_pair(1, [tmp_path / "missing.csv"])
    monkeypatch.setattr(score_pair, "ENABLED", False)
    assert not score_pair.use_pair(1, [small])
