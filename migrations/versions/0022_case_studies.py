"""unfolding case studies: cases, their versions and items, attempt items shown in a case

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-04 18:33:54.837051

A case is versioned like a question (cases / case_versions); a version lists its six items,
each a question entry with its clinical-judgment step (case_items). An attempt item shown as
part of a case keeps the case version, position and step it was shown under
(case_attempt_items), so the per-step result never changes with later edits. Only new tables.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "published",
                "retired",
                name="case_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("current_version", sa.Integer(), nullable=False),
        sa.Column("loaded_hash", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["topic_id"], ["topics.id"], name=op.f("fk_cases_topic_id_topics"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.UniqueConstraint("key", name=op.f("uq_cases_key")),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cases_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_topic_id"), ["topic_id"], unique=False)

    op.create_table(
        "case_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("exhibits", sa.JSON(), nullable=False),
        sa.Column("cites", sa.JSON(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_case_versions_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_versions")),
        sa.UniqueConstraint("case_id", "number", name=op.f("uq_case_versions_case_id_number")),
    )
    with op.batch_alter_table("case_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_versions_case_id"), ["case_id"], unique=False)

    op.create_table(
        "case_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_version_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=30), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("position BETWEEN 1 AND 6", name=op.f("ck_case_items_position_range")),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_items_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["case_version_id"],
            ["case_versions.id"],
            name=op.f("fk_case_items_case_version_id_case_versions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["question_entries.id"],
            name=op.f("fk_case_items_question_id_question_entries"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_items")),
        sa.UniqueConstraint(
            "case_version_id", "position", name=op.f("uq_case_items_case_version_id_position")
        ),
        sa.UniqueConstraint(
            "case_version_id", "question_id", name=op.f("uq_case_items_case_version_id_question_id")
        ),
    )
    with op.batch_alter_table("case_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_items_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_case_items_case_version_id"), ["case_version_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_case_items_question_id"), ["question_id"], unique=False
        )

    op.create_table(
        "case_attempt_items",
        sa.Column("attempt_item_id", sa.Integer(), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("case_version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=30), nullable=False),
        sa.ForeignKeyConstraint(
            ["attempt_id"],
            ["attempts.id"],
            name=op.f("fk_case_attempt_items_attempt_id_attempts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["attempt_item_id"],
            ["attempt_items.id"],
            name=op.f("fk_case_attempt_items_attempt_item_id_attempt_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["case_version_id"],
            ["case_versions.id"],
            name=op.f("fk_case_attempt_items_case_version_id_case_versions"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("attempt_item_id", name=op.f("pk_case_attempt_items")),
    )
    with op.batch_alter_table("case_attempt_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_case_attempt_items_attempt_id"), ["attempt_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_case_attempt_items_case_version_id"), ["case_version_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_case_attempt_items_step"), ["step"], unique=False)


def downgrade():
    with op.batch_alter_table("case_attempt_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_attempt_items_step"))
        batch_op.drop_index(batch_op.f("ix_case_attempt_items_case_version_id"))
        batch_op.drop_index(batch_op.f("ix_case_attempt_items_attempt_id"))

    op.drop_table("case_attempt_items")
    with op.batch_alter_table("case_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_items_question_id"))
        batch_op.drop_index(batch_op.f("ix_case_items_case_version_id"))
        batch_op.drop_index(batch_op.f("ix_case_items_case_id"))

    op.drop_table("case_items")
    with op.batch_alter_table("case_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_versions_case_id"))

    op.drop_table("case_versions")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cases_topic_id"))
        batch_op.drop_index(batch_op.f("ix_cases_status"))

    op.drop_table("cases")
