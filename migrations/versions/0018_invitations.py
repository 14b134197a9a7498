"""invitations: password_resets.purpose ("reset" or "invite")

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 17:40:00.000000

A set-password link is either an admin's password reset or a new user's invitation (which
greets them and stays valid longer). Existing links are resets.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("password_resets", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("purpose", sa.String(length=10), server_default="reset", nullable=False)
        )


def downgrade():
    # Nothing is lost that matters: each link keeps its expiry; an invitation reads as a reset.
    with op.batch_alter_table("password_resets", schema=None) as batch_op:
        batch_op.drop_column("purpose")
