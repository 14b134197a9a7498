"""source licence and attribution; section coverage, cautions, source URLs

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 21:05:00.000000

Additive only: existing sources get an empty licence and attribution, kind "external" and
enforced coverage minimums; existing sections get no coverage mark, no cautions and no URLs.
Their content hashes do not change (cautions enter the hash only when a section has some), so
no question is flagged by this migration or by the next `bank load`.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sources', schema=None) as batch_op:
        batch_op.add_column(sa.Column('licence', sa.String(length=100), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('attribution', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('kind', sa.String(length=20), nullable=False, server_default='external'))
        batch_op.add_column(sa.Column('coverage_minimums', sa.String(length=20), nullable=False, server_default='enforced'))

    with op.batch_alter_table('source_sections', schema=None) as batch_op:
        batch_op.add_column(sa.Column('coverage', sa.String(length=20), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('coverage_note', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('not_covered', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('cautions', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
        batch_op.add_column(sa.Column('source_urls', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))


def downgrade():
    with op.batch_alter_table('source_sections', schema=None) as batch_op:
        batch_op.drop_column('source_urls')
        batch_op.drop_column('cautions')
        batch_op.drop_column('not_covered')
        batch_op.drop_column('coverage_note')
        batch_op.drop_column('coverage')

    with op.batch_alter_table('sources', schema=None) as batch_op:
        batch_op.drop_column('coverage_minimums')
        batch_op.drop_column('kind')
        batch_op.drop_column('attribution')
        batch_op.drop_column('licence')
