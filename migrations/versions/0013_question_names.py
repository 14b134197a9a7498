"""question names and import categories: a name (title) and the category an import came from

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 04:30:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("question_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("source_category", sa.String(length=255), nullable=True))


def downgrade():
    with op.batch_alter_table("question_entries", schema=None) as batch_op:
        batch_op.drop_column("source_category")
        batch_op.drop_column("name")
