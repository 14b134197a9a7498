"""attempt numbers per quiz

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 21:00:00.000000

Each assigned attempt gets its number within its quiz (1, 2, 3... per trainee), unique per
(quiz, trainee), so the database refuses a second attempt 1 when two starts race. Existing
attempts are numbered in the order they were started (their per-trainee number); practice
attempts keep NULL. Attempts the old race let past the limit keep their numbers (3 of 1):
nothing is deleted.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('quiz_number', sa.Integer(), nullable=True))

    # Portable on SQLite and PostgreSQL: a correlated count, no window functions.
    op.execute(
        "UPDATE attempts SET quiz_number = ("
        " SELECT COUNT(*) FROM attempts AS earlier"
        " WHERE earlier.quiz_id = attempts.quiz_id"
        " AND earlier.user_id = attempts.user_id"
        " AND earlier.number <= attempts.number"
        ") WHERE quiz_id IS NOT NULL"
    )

    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_attempts_quiz_id_user_id_quiz_number'), ['quiz_id', 'user_id', 'quiz_number'])


def downgrade():
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_attempts_quiz_id_user_id_quiz_number'), type_='unique')
        batch_op.drop_column('quiz_number')
