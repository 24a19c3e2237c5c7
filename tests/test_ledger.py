"""The assessment ledger on SQLite and on a real PostgreSQL server: migrations, transactions, concurrency."""

from __future__ import annotations

import multiprocessing as mp
from pathlib import Path

import pytest
import sqlalchemy as sa
from loopkit import make_loop
from pgserver import fresh_database, pg_server  # noqa: F401 - the fixture

from zwgk_score.ledger import open_ledger
from zwgk_score.ledger import schema as t
from zwgk_score.ledger.migrate import current_revision, head_revision


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / '台账.db'}"
    return fresh_database(request.getfixturevalue("pg_server"))


def result(period: str, totals: dict[str, float], rubric: str = "r-2023") -> dict:
    units = sorted(totals, key=lambda u: -totals[u])
    return {
        "schema": 1,
        "rubric": {"id": rubric, "title": "细则", "year": int(period[:4])},
        "period": period,
        "groups": [{"id": "g", "name": "甲组", "max_score": 100}],
        "units": [
            {
                "unit": u,
                "group": "g",
                "total": totals[u],
                "grade": "优秀" if totals[u] >= 90 else "良好",
                "rank": units.index(u) + 1,
                "indicators": [
                    {
                        "id": "a",
                        "points": 60,
                        "score": totals[u] - 30,
                        "lost": 90 - totals[u],
                        "applicable": True,
                    },
                    {"id": "b", "points": 40, "score": 30, "lost": 10, "applicable": True},
                ],
            }
            for u in totals
        ],
    }


def count(ledger, table) -> int:
    with ledger.engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def test_migrated_on_open(url):
    ledger = open_ledger(url)
    assert current_revision(ledger.engine) == head_revision() == "0001"
    names = set(sa.inspect(ledger.engine).get_table_names())
    assert {
        "forms",
        "submissions",
        "self_scores",
        "review_scores",
        "appeals",
        "decisions",
        "rectifications",
        "results",
        "result_units",
        "result_indicators",
        "audit",
    } <= names
    ledger.close()
    again = open_ledger(url)  # a second open finds the schema at head and changes nothing
    assert current_revision(again.engine) == "0001"
    again.close()


def test_failed_transaction_changes_nothing(url):
    ledger = open_ledger(url)
    with ledger.begin() as w:
        w.record_result(
            result("2023", {"甲": 95, "乙": 85}), assessment="考核", year=2023, published_at="x"
        )
    with pytest.raises(RuntimeError), ledger.begin() as w:
        w.record_result(
            result("2024", {"甲": 91, "乙": 80}), assessment="考核", year=2024, published_at="x"
        )
        w.audit("考核", "2024", at="2024-01-01T00:00:00", actor="测试", action="提出申诉")
        raise RuntimeError("断电")
    assert (count(ledger, t.results), count(ledger, t.result_units), count(ledger, t.audit)) == (
        1,
        2,
        0,
    )
    # the same content twice is stored once
    with ledger.begin() as w:
        w.record_result(
            result("2023", {"甲": 95, "乙": 85}), assessment="考核", year=2023, published_at="y"
        )
    assert count(ledger, t.results) == 1
    ledger.close()


def _writer(url: str, who: str, n: int) -> None:
    ledger = open_ledger(url)
    for i in range(n):
        with ledger.begin() as w:
            w.audit(
                "考核",
                "2023",
                at=f"2024-01-01T00:00:{i:02d}",
                actor=who,
                action="提出申诉",
                reason=str(i),
            )
            w.record_result(
                result(f"2023{who}{i}", {who: 80 + i}),
                assessment="考核",
                year=2023,
                published_at="x",
            )
    ledger.close()


def test_two_processes_record_at_once(url):
    open_ledger(url).close()  # migrated first, as any open would
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(url, who, 15)) for who in ("甲", "乙")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0]
    ledger = open_ledger(url)
    assert count(ledger, t.audit) == 30 and count(ledger, t.results) == 30
    by = {}
    for row in ledger.rows(t.audit):
        by.setdefault(row["actor"], []).append(int(row["reason"]))
    assert by == {
        "甲": list(range(15)),
        "乙": list(range(15)),
    }  # each writer's rows whole and in order
    ledger.close()


def test_failed_run_leaves_ledger_unchanged(url, tmp_path, monkeypatch):
    from zwgk_score import run as run_mod
    from zwgk_score.run import run_assessment

    cfg = make_loop(tmp_path, ledger=url if url.startswith("postgresql") else None)
    # nothing returned yet: the reviewed indicators have no data; score them 0 for this test
    text = cfg.read_text(encoding="utf-8")
    src = text.split('rubric = "', 1)[1].split('"', 1)[0]
    rub = tmp_path / "rubric.toml"
    rub.write_text(
        Path(src).read_text(encoding="utf-8").replace('missing = "error"', 'missing = "zero"'),
        encoding="utf-8",
    )
    cfg.write_text(text.replace(src, rub.as_posix()), encoding="utf-8")
    target = url if url.startswith("postgresql") else f"sqlite:///{tmp_path / '考核台账.db'}"

    def boom(self):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(run_mod.OutputSet, "commit", boom)
    with pytest.raises(OSError):
        run_assessment(cfg)
    ledger = open_ledger(target)
    assert count(ledger, t.results) == 0 and count(ledger, t.submissions) == 0
    ledger.close()
    monkeypatch.undo()
    run_assessment(cfg)
    ledger = open_ledger(target)
    assert count(ledger, t.results) == 1 and count(ledger, t.result_units) == 24
    ledger.close()
