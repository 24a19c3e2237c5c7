"""Tables of the assessment ledger (考核台账库), SQLAlchemy Core.

Every row carries the assessment name and the period it belongs to.  The
schema is created and upgraded only by the Alembic migrations in
``migrations/versions``; this module mirrors the latest revision for queries.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

#: kinds of forms (表单种类)
FORM_SELF = "self"  # 自评表
FORM_REVIEW = "review"  # 复核表
FORM_APPEAL = "appeal"  # 申诉表
FORM_DECISION = "decision"  # 申诉处理表
FORM_FEEDBACK = "feedback"  # 反馈单（整改情况）


def _scope() -> list[sa.Column[object]]:
    return [
        sa.Column("assessment", sa.String(200), nullable=False),
        sa.Column("period", sa.String(40), nullable=False),
    ]


forms = sa.Table(
    "forms",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    *_scope(),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("form_id", sa.String(64), nullable=False, unique=True),
    sa.Column("unit", sa.String(200), nullable=False),
    sa.Column("rubric", sa.String(100), nullable=False),
    sa.Column("file_name", sa.String(300), nullable=False),
    sa.Column("deadline", sa.String(10)),
    sa.Column("issued_at", sa.String(32), nullable=False),
)

submissions = sa.Table(
    "submissions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    *_scope(),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("unit", sa.String(200), nullable=False),
    sa.Column("form_id", sa.String(64)),
    sa.Column("file_name", sa.String(300), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("received_at", sa.String(32), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),  # valid | late | invalid
    sa.Column("errors", sa.Text, nullable=False, default=""),
)

self_scores = sa.Table(
    "self_scores",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    *_scope(),
    sa.Column("submission_id", sa.Integer, sa.ForeignKey("submissions.id"), nullable=False),
    sa.Column("unit", sa.String(200), nullable=False),
    sa.Column("indicator", sa.String(100), nullable=False),
    sa.Column("score", sa.Float),
    sa.Column("choice", sa.Text, nullable=False, default=""),
    sa.Column("note", sa.Text, nullable=False, default=""),
    sa.Column("evidence", sa.Text, nullable=False, default=""),
    sa.Column("cell", sa.String(20), nullable=False, default=""),
)

review_scores = sa.Table(
    "review_scores",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    *_scope(),
    sa.Column("submission_id", sa.Integer, sa.ForeignKey("submissions.id"), nullable=False),
    sa.Column("reviewer", sa.String(200), nullable=False),
    sa.Column("unit", sa.String(200), nullable=False),
    sa.Column("indicator", sa.String(100), nullable=False),
    sa.Column("score", sa.Float),
    sa.Column("choice", sa.Text, nullable=False, default=""),
    sa.Column("reason", sa.Text, nullable=False, default=""),
    sa.Column("cell", sa.String(20), nullable=False, default=""),
)

appeals = sa.Table(
    "appeals",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    *_scope(),
    sa.Column("submission_id", sa.Integer, sa.ForeignKey("submissions.id"), nullable=False),
    sa.Column("unit", sa.String(200), nullable=False),
    sa.Column("indicator", sa.String(100), nullable=False),
    sa.Column("score_before", sa.Float, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("evidence", sa.Text, nullable=False, default=""),
    sa.Column("received_at", sa.String(32), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),  # pending | rejected | decided
    sa.Column("reject_reason", sa.Text, nullable=False, default=""),
)

decisions = sa.Table(
    "decisions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    *_scope(),
    sa.Column("appeal_id", sa.Integer, sa.ForeignKey("appeals.id"), nullable=False, unique=True),
    sa.Column("unit", sa.String(200), nullable=False),
    sa.Column("indicator", sa.String(100), nullable=False),
    sa.Column("decision", sa.String(10), nullable=False),  # 维持 | 调整
    sa.Column("score_before", sa.Float, nullable=False),
    sa.Column("score_after", sa.Float, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("decided_by", sa.String(100), nullable=False),
    sa.Column("decided_at", sa.String(32), nullable=False),
)

rectifications = sa.Table(
    "rectifications",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    *_scope(),
    sa.Column("submission_id", sa.Integer, sa.ForeignKey("submissions.id"), nullable=False),
    sa.Column("unit", sa.String(200), nullable=False),
    sa.Column("indicator", sa.String(100), nullable=False),
    sa.Column("problem", sa.Text, nullable=False, default=""),
    sa.Column("reply", sa.Text, nullable=False, default=""),
    sa.Column("rectified", sa.Boolean, nullable=False),
)

results = sa.Table(
    "results",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    *_scope(),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("rubric", sa.String(100), nullable=False),
    sa.Column("rubric_year", sa.Integer, nullable=False),
    sa.Column("comparable_with", sa.Text, nullable=False, default=""),
    sa.Column("published_at", sa.String(32), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("content", sa.Text, nullable=False),
    sa.UniqueConstraint("assessment", "period", "sha256", name="uq_results_content"),
)

result_units = sa.Table(
    "result_units",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("result_id", sa.Integer, sa.ForeignKey("results.id"), nullable=False),
    sa.Column("unit", sa.String(200), nullable=False),
    sa.Column("group_id", sa.String(100), nullable=False),
    sa.Column("group_name", sa.String(200), nullable=False),
    sa.Column("total", sa.Float),
    sa.Column("grade", sa.String(40), nullable=False),
    sa.Column("rank", sa.Integer, nullable=False),
)

result_indicators = sa.Table(
    "result_indicators",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("result_id", sa.Integer, sa.ForeignKey("results.id"), nullable=False),
    sa.Column("unit", sa.String(200), nullable=False),
    sa.Column("indicator", sa.String(100), nullable=False),
    sa.Column("points", sa.Float, nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("lost", sa.Float, nullable=False),
    sa.Column("applicable", sa.Boolean, nullable=False),
)

audit = sa.Table(
    "audit",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    *_scope(),
    sa.Column("at", sa.String(32), nullable=False),
    sa.Column("actor", sa.String(100), nullable=False),
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("unit", sa.String(200), nullable=False, default=""),
    sa.Column("indicator", sa.String(100), nullable=False, default=""),
    sa.Column("before", sa.Float),
    sa.Column("after", sa.Float),
    sa.Column("reason", sa.Text, nullable=False, default=""),
)
