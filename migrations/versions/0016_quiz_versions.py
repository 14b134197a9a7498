"""quiz versions and archiving: quizzes.version, earlier_selections, archived_at;
attempts.quiz_version; item_sums kept per quiz version

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 17:00:00.000000

A quiz's selection changed after attempts exist makes a new quiz version: each attempt records
the version it was drawn from, and the item-analysis sums are kept per version, so slot 3 of
one selection never mixes with slot 3 of another. Existing quizzes, their attempts and sums are
version 1.
"""

from alembic import op
import sqlalchemy as sa

from quizapp.migration_guard import refuse_data_loss


# revision identifiers, used by Alembic.
revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("quizzes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
        batch_op.add_column(sa.Column("earlier_selections", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE quizzes SET earlier_selections = '[]'")
    with op.batch_alter_table("quizzes", schema=None) as batch_op:
        batch_op.alter_column("earlier_selections", existing_type=sa.JSON(), nullable=False)

    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("quiz_version", sa.Integer(), nullable=True))
    op.execute("UPDATE attempts SET quiz_version = 1 WHERE quiz_id IS NOT NULL")

    with op.batch_alter_table("item_sums", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("quiz_version", sa.Integer(), server_default="1", nullable=False)
        )
        batch_op.drop_constraint(batch_op.f("uq_item_sums_quiz_id_key"), type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_item_sums_quiz_id_quiz_version_key"), ["quiz_id", "quiz_version", "key"]
        )


def downgrade():
    quizzes = sa.table("quizzes", sa.column("version", sa.Integer))
    bumped = op.get_bind().scalar(
        sa.select(sa.func.count()).select_from(quizzes).where(quizzes.c.version > 1)
    )
    if bumped:
        refuse_data_loss("0016", f"the item statistics of later versions of {bumped} quiz(zes)")
    op.execute("DELETE FROM item_sums WHERE quiz_version > 1")
    with op.batch_alter_table("item_sums", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("uq_item_sums_quiz_id_quiz_version_key"), type_="unique"
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_item_sums_quiz_id_key"), ["quiz_id", "key"]
        )
        batch_op.drop_column("quiz_version")
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.drop_column("quiz_version")
    with op.batch_alter_table("quizzes", schema=None) as batch_op:
        batch_op.drop_column("archived_at")
        batch_op.drop_column("earlier_selections")
        batch_op.drop_column("version")
