"""secure item pools: exam-only questions and topics

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 21:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('question_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('exam_only', sa.Boolean(), nullable=False, server_default=sa.false()))

    with op.batch_alter_table('topics', schema=None) as batch_op:
        batch_op.add_column(sa.Column('exam_only', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('topics', schema=None) as batch_op:
        batch_op.drop_column('exam_only')

    with op.batch_alter_table('question_entries', schema=None) as batch_op:
        batch_op.drop_column('exam_only')
