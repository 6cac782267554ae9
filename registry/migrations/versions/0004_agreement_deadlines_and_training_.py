"""agreement deadlines and training schedule

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21 13:41:20.808149
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "training_schedule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("training", sa.String(length=16), nullable=False),
        sa.Column("area", sa.String(length=40), nullable=True),
        sa.Column("starts_on", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_schedule")),
    )
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("agreement_signed_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("qualified_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("agreement_deadline", sa.DateTime(timezone=True), nullable=True)
        )

    with op.batch_alter_table("stages", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("close_notified_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("stages", schema=None) as batch_op:
        batch_op.drop_column("close_notified_at")

    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_column("agreement_deadline")
        batch_op.drop_column("qualified_at")
        batch_op.drop_column("agreement_signed_at")

    op.drop_table("training_schedule")
