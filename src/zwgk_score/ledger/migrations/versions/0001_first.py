"""First ledger schema: forms, submissions, scores, appeals, decisions, rectifications, results, audit.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None


def _create_table(name: str, *items: sa.Column[Any] | sa.Constraint, scoped: bool = True) -> None:
    """``op.create_table`` with the columns every table starts with.

    An integer key ``id``; on a ``scoped`` table the assessment and period every row belongs to.
    """
    scope = (
        [
            sa.Column("assessment", sa.String(length=200), nullable=False),
            sa.Column("period", sa.String(length=40), nullable=False),
        ]
        if scoped
        else []
    )
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        *scope,
        *items,
        sa.PrimaryKeyConstraint("id"),
    )


def upgrade() -> None:
    _create_table(
        "audit",
        sa.Column("at", sa.String(length=32), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("unit", sa.String(length=200), nullable=False),
        sa.Column("indicator", sa.String(length=100), nullable=False),
        sa.Column("before", sa.Float(), nullable=True),
        sa.Column("after", sa.Float(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
    )
    _create_table(
        "forms",
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("form_id", sa.String(length=64), nullable=False),
        sa.Column("unit", sa.String(length=200), nullable=False),
        sa.Column("rubric", sa.String(length=100), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("deadline", sa.String(length=10), nullable=True),
        sa.Column("issued_at", sa.String(length=32), nullable=False),
        sa.UniqueConstraint("form_id"),
    )
    _create_table(
        "results",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("rubric", sa.String(length=100), nullable=False),
        sa.Column("rubric_year", sa.Integer(), nullable=False),
        sa.Column("comparable_with", sa.Text(), nullable=False),
        sa.Column("published_at", sa.String(length=32), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.UniqueConstraint("assessment", "period", "sha256", name="uq_results_content"),
    )
    _create_table(
        "submissions",
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("unit", sa.String(length=200), nullable=False),
        sa.Column("form_id", sa.String(length=64), nullable=True),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("received_at", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("errors", sa.Text(), nullable=False),
    )
    _create_table(
        "appeals",
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(length=200), nullable=False),
        sa.Column("indicator", sa.String(length=100), nullable=False),
        sa.Column("score_before", sa.Float(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("received_at", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reject_reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"]),
    )
    _create_table(
        "rectifications",
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(length=200), nullable=False),
        sa.Column("indicator", sa.String(length=100), nullable=False),
        sa.Column("problem", sa.Text(), nullable=False),
        sa.Column("reply", sa.Text(), nullable=False),
        sa.Column("rectified", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"]),
    )
    _create_table(
        "result_indicators",
        sa.Column("result_id", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(length=200), nullable=False),
        sa.Column("indicator", sa.String(length=100), nullable=False),
        sa.Column("points", sa.Float(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("lost", sa.Float(), nullable=False),
        sa.Column("applicable", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["result_id"], ["results.id"]),
        scoped=False,
    )
    _create_table(
        "result_units",
        sa.Column("result_id", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(length=200), nullable=False),
        sa.Column("group_id", sa.String(length=100), nullable=False),
        sa.Column("group_name", sa.String(length=200), nullable=False),
        sa.Column("total", sa.Float(), nullable=True),
        sa.Column("grade", sa.String(length=40), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["result_id"], ["results.id"]),
        scoped=False,
    )
    _create_table(
        "review_scores",
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("reviewer", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=200), nullable=False),
        sa.Column("indicator", sa.String(length=100), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("choice", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("cell", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"]),
    )
    _create_table(
        "self_scores",
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(length=200), nullable=False),
        sa.Column("indicator", sa.String(length=100), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("choice", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("cell", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"]),
    )
    _create_table(
        "decisions",
        sa.Column("appeal_id", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(length=200), nullable=False),
        sa.Column("indicator", sa.String(length=100), nullable=False),
        sa.Column("decision", sa.String(length=10), nullable=False),
        sa.Column("score_before", sa.Float(), nullable=False),
        sa.Column("score_after", sa.Float(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.String(length=100), nullable=False),
        sa.Column("decided_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["appeal_id"], ["appeals.id"]),
        sa.UniqueConstraint("appeal_id"),
    )


def downgrade() -> None:
    op.drop_table("decisions")
    op.drop_table("self_scores")
    op.drop_table("review_scores")
    op.drop_table("result_units")
    op.drop_table("result_indicators")
    op.drop_table("rectifications")
    op.drop_table("appeals")
    op.drop_table("submissions")
    op.drop_table("results")
    op.drop_table("forms")
    op.drop_table("audit")
