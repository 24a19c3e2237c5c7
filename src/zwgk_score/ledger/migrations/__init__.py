"""Alembic migrations of the assessment ledger (run programmatically on open)."""
