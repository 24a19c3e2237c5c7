"""The Alembic migrations and ``ledger/schema.py`` describe the same tables.

The migrations create and upgrade the database; ``schema.py`` is what the
queries are written against.  Both are written by hand (a migration is history
and must not change when the schema does), so this test holds them together:
a database migrated to the head revision compared with ``schema.metadata`` by
Alembic's autogenerate comparison shows no difference, on SQLite and on
PostgreSQL.  Adding a column to ``schema.py`` without a migration (or the
reverse) fails here.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from pgserver import fresh_database, pg_server  # noqa: F401 - the fixture

from zwgk_score.ledger import schema
from zwgk_score.ledger.migrate import upgrade


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path):  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'ledger.db'}"
    else:
        url = fresh_database(request.getfixturevalue("pg_server"))
    eng = sa.create_engine(url)
    yield eng
    eng.dispose()


def _differences(engine: sa.Engine, metadata: sa.MetaData) -> list[object]:
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(ctx, metadata))


def test_migrated_database_matches_schema(engine: sa.Engine) -> None:
    upgrade(engine)
    assert _differences(engine, schema.metadata) == []


def test_comparison_sees_a_column_missing_from_the_migrations(engine: sa.Engine) -> None:
    """The check can fail: a column added to the schema alone is reported."""
    upgrade(engine)
    changed = sa.MetaData()
    for table in schema.metadata.sorted_tables:
        table.to_metadata(changed)
    sa.Table("audit", changed, sa.Column("extra", sa.Text), extend_existing=True)
    diffs = _differences(engine, changed)
    assert [(d[0], d[3].name) for d in diffs] == [("add_column", "extra")]  # type: ignore[index]
