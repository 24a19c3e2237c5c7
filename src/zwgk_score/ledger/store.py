"""The assessment ledger (考核台账库): one database per office, SQLite or PostgreSQL.

Open it with :func:`open_ledger` (a path → SQLite, a URL → any SQLAlchemy
database); the schema is migrated to the newest revision on open.  Every
write happens inside :meth:`Ledger.begin`: one transaction, committed only
when the ``with`` block ends without an exception, so a failed run changes
nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from zwgk_score.errors import ConfigError
from zwgk_score.ledger import schema as t
from zwgk_score.ledger.migrate import upgrade

WRITE = "zwgk_write"


def now_text() -> str:
    """The current time as stored in the ledger (UTC, seconds)."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def time_text(value: datetime | str | None) -> str:
    """A time as stored in the ledger: ISO 8601 (naive times are taken as given)."""
    if value is None:
        return now_text()
    if isinstance(value, str):
        return value
    return value.replace(microsecond=0).isoformat()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def ledger_url(target: str | Path) -> str:
    """A database URL: ``target`` itself when it is one, else the SQLite file at that path."""
    text = str(target)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).resolve()}"


def _engine(url: str) -> sa.Engine:
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"timeout": 60})

        @sa.event.listens_for(engine, "connect")
        def _connect(dbapi_conn: Any, _rec: Any) -> None:
            dbapi_conn.isolation_level = None  # transactions are begun below, not by the driver
            dbapi_conn.execute("PRAGMA foreign_keys = ON")

        @sa.event.listens_for(engine, "begin")
        def _begin(conn: sa.Connection) -> None:
            # a writer takes the write lock at once: two writers queue instead of deadlocking
            # on a lock upgrade; readers begin deferred and never wait for a writer
            write = conn.get_execution_options().get(WRITE, False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        return engine
    return sa.create_engine(url, pool_pre_ping=True)


class Ledger:
    """An open ledger. Reads are methods here; writes go through :meth:`begin`."""

    def __init__(self, url: str) -> None:
        self.url = url
        try:
            self.engine = _engine(url)
            upgrade(self.engine)
        except (sa.exc.SQLAlchemyError, OSError) as exc:
            raise ConfigError(
                f"无法打开考核台账库：{type(exc).__name__}: {str(exc).splitlines()[0]}",
                file=url.split("///", 1)[-1] if url.startswith("sqlite") else None,
                path="ledger",
                hint="检查 [ledger] 中的 file / url、数据库是否可写、服务器是否在运行",
            ) from None

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def begin(self) -> Iterator[LedgerWriter]:
        """One transaction: everything recorded inside is kept only if the block succeeds."""
        with self.engine.connect() as conn:
            conn = conn.execution_options(**{WRITE: True})
            with conn.begin():
                yield LedgerWriter(conn)

    # -- reads -------------------------------------------------------------
    def rows(
        self, table: sa.Table, *, order: Sequence[str] = ("id",), **where: Any
    ) -> list[dict[str, Any]]:
        """Rows of a ledger table matching ``where`` (column = value), as dicts."""
        q = sa.select(table)
        for col, value in where.items():
            q = q.where(table.c[col] == value)
        q = q.order_by(*(table.c[c] for c in order))
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(q)]

    def form(self, form_id: str) -> dict[str, Any] | None:
        found = self.rows(t.forms, form_id=form_id)
        return found[0] if found else None

    def latest_submissions(
        self, assessment: str, period: str, kind: str
    ) -> dict[str, dict[str, Any]]:
        """The last accepted (valid or late) submission per unit."""
        out: dict[str, dict[str, Any]] = {}
        for row in self.rows(t.submissions, assessment=assessment, period=period, kind=kind):
            if row["status"] in ("valid", "late"):
                out[row["unit"]] = row
        return out

    def decisions(self, assessment: str, period: str) -> list[dict[str, Any]]:
        """Appeal decisions of a period, in the order they were made."""
        return self.rows(
            t.decisions, assessment=assessment, period=period, order=("decided_at", "id")
        )

    def audit_log(self, assessment: str, period: str) -> list[dict[str, Any]]:
        return self.rows(t.audit, assessment=assessment, period=period)

    def results(self) -> list[dict[str, Any]]:
        """The newest published result of every (assessment, period), oldest period first."""
        with self.engine.connect() as conn:
            rows = [
                dict(r._mapping)
                for r in conn.execute(sa.select(t.results).order_by(t.results.c.id))
            ]
        latest: dict[tuple[str, str], dict[str, Any]] = {}
        for row in rows:
            latest[(row["assessment"], row["period"])] = row
        return sorted(latest.values(), key=lambda r: (r["year"], r["period"], r["assessment"]))


class LedgerWriter:
    """Writes inside one ledger transaction (from :meth:`Ledger.begin`)."""

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    def insert(self, table: sa.Table, **values: Any) -> int:
        result = self.conn.execute(sa.insert(table).values(**values))
        key = result.inserted_primary_key
        return int(key[0]) if key else 0

    def insert_many(self, table: sa.Table, rows: Sequence[Mapping[str, Any]]) -> None:
        if rows:
            self.conn.execute(sa.insert(table), list(rows))

    def update(self, table: sa.Table, row_id: int, **values: Any) -> None:
        self.conn.execute(sa.update(table).where(table.c.id == row_id).values(**values))

    def audit(
        self,
        assessment: str,
        period: str,
        *,
        at: str,
        actor: str,
        action: str,
        unit: str = "",
        indicator: str = "",
        before: float | None = None,
        after: float | None = None,
        reason: str = "",
    ) -> None:
        self.insert(
            t.audit,
            assessment=assessment,
            period=period,
            at=at,
            actor=actor,
            action=action,
            unit=unit,
            indicator=indicator,
            before=before,
            after=after,
            reason=reason,
        )

    def record_form(
        self,
        *,
        assessment: str,
        period: str,
        kind: str,
        form_id: str,
        unit: str,
        rubric: str,
        file_name: str,
        deadline: str | None,
        issued_at: str,
    ) -> None:
        """Record an issued form (re-issuing the same form id is a no-op)."""
        exists = self.conn.execute(
            sa.select(t.forms.c.id).where(t.forms.c.form_id == form_id)
        ).first()
        if exists is None:
            self.insert(
                t.forms,
                assessment=assessment,
                period=period,
                kind=kind,
                form_id=form_id,
                unit=unit,
                rubric=rubric,
                file_name=file_name,
                deadline=deadline,
                issued_at=issued_at,
            )

    def record_result(
        self,
        content: Mapping[str, Any],
        *,
        assessment: str,
        year: int,
        published_at: str,
        comparable_with: Sequence[str] = (),
    ) -> int:
        """Store a published result (results.json content) with its per-unit and per-indicator rows.

        The same content for the same assessment and period is stored once.
        """
        text = json.dumps(content, ensure_ascii=False, sort_keys=True)
        digest = sha256_bytes(text.encode("utf-8"))
        period = str(content.get("period") or year)
        found = self.conn.execute(
            sa.select(t.results.c.id).where(
                t.results.c.assessment == assessment,
                t.results.c.period == period,
                t.results.c.sha256 == digest,
            )
        ).first()
        if found is not None:
            return int(found[0])
        rubric = content.get("rubric", {})
        rid = self.insert(
            t.results,
            assessment=assessment,
            period=period,
            year=year,
            rubric=str(rubric.get("id", "")),
            rubric_year=int(rubric.get("year", year)),
            comparable_with=";".join(comparable_with),
            published_at=published_at,
            sha256=digest,
            content=text,
        )
        groups = {g["id"]: g["name"] for g in content.get("groups", [])}
        units, indicators = [], []
        for u in content.get("units", []):
            units.append(
                {
                    "result_id": rid,
                    "unit": u["unit"],
                    "group_id": u["group"],
                    "group_name": groups.get(u["group"], u["group"]),
                    "total": u["total"],
                    "grade": u["grade"],
                    "rank": int(u["rank"]),
                }
            )
            for it in u.get("indicators", []):
                indicators.append(
                    {
                        "result_id": rid,
                        "unit": u["unit"],
                        "indicator": it["id"],
                        "points": float(it["points"]),
                        "score": float(it["score"]),
                        "lost": float(it["lost"]),
                        "applicable": bool(it["applicable"]),
                    }
                )
        self.insert_many(t.result_units, units)
        self.insert_many(t.result_indicators, indicators)
        return rid


def open_ledger(target: str | Path) -> Ledger:
    """Open (creating and migrating as needed) the ledger at a path or database URL."""
    return Ledger(ledger_url(target))
