"""exclusion groups: a family and an excludes list on question entries

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 22:30:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("question_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("family", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("excludes", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("question_entries", schema=None) as batch_op:
        batch_op.drop_column("excludes")
        batch_op.drop_column("family")
