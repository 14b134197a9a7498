"""user time zone: the zone a person chose to see dates in (none: the site's zone)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 10:30:00.000000

"""

from alembic import op
import sqlalchemy as sa

from quizapp.migration_guard import refuse_data_loss


# revision identifiers, used by Alembic.
revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("time_zone", sa.String(length=64), nullable=True))


def downgrade():
    users = sa.table("users", sa.column("time_zone", sa.String))
    chosen = op.get_bind().scalar(
        sa.select(sa.func.count()).select_from(users).where(users.c.time_zone.is_not(None))
    )
    if chosen:
        refuse_data_loss("0014", f"the time zone {chosen} user(s) chose")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("time_zone")
