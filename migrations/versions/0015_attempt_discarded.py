"""attempt status discarded: a trainee may throw away an unfinished practice

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 16:45:00.000000

The status column is a VARCHAR with a CHECK of its values (models/base.py `str_enum`, no
native PostgreSQL type), so the new value means replacing that CHECK: on PostgreSQL in place,
on SQLite by batch mode's copy of the table.
"""

from alembic import op
import sqlalchemy as sa

from quizapp.migration_guard import refuse_data_loss


# revision identifiers, used by Alembic.
revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

NAME = "attempt_status"
CHECK = "ck_attempts_attempt_status"
OLD = ("in_progress", "submitted")
NEW = (*OLD, "discarded")


def _enum(values):
    return sa.Enum(*values, name=NAME, native_enum=False, create_constraint=True, length=20)


def _replace_check(old, new):
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint(op.f(CHECK), "attempts", type_="check")
        listed = ", ".join(f"'{value}'" for value in new)
        op.create_check_constraint(op.f(CHECK), "attempts", f"status IN ({listed})")
        return
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.alter_column(
            "status", existing_type=_enum(old), type_=_enum(new), existing_nullable=False
        )


def upgrade():
    _replace_check(OLD, NEW)


def downgrade():
    attempts = sa.table("attempts", sa.column("status", sa.String))
    discarded = op.get_bind().scalar(
        sa.select(sa.func.count()).select_from(attempts).where(attempts.c.status == "discarded")
    )
    if discarded:
        refuse_data_loss("0015", f"{discarded} discarded practice attempt(s)")
        op.execute(attempts.delete().where(attempts.c.status == "discarded"))
    _replace_check(NEW, OLD)
