"""Run the ledger's Alembic migrations programmatically (on every open)."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

MIGRATIONS = Path(__file__).with_name("migrations")


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    """The newest schema revision shipped with this version of zwgk-score."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: sa.Engine) -> str | None:
    """The revision the database is at (``None`` for an empty database)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: sa.Engine) -> None:
    """Bring the database to the newest revision, in one transaction."""
    if current_revision(engine) == head_revision():
        return
    cfg = _config()
    with engine.connect() as conn, conn.execution_options(zwgk_write=True).begin():
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
