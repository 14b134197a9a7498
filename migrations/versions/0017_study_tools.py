"""study tools: a flag and the struck-out choices on each attempt item

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 16:40:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("attempt_items", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("flagged", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("struck", sa.JSON(), nullable=True))


def downgrade():
    # A flag and struck-out choices are study aids, not answers: dropping them loses no result.
    with op.batch_alter_table("attempt_items", schema=None) as batch_op:
        batch_op.drop_column("struck")
        batch_op.drop_column("flagged")
