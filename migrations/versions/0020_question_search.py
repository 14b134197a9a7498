"""question search text, frozen (once published) versions, section revisions for review

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-03 17:30:00.000000

"""

import json

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def _texts(value):
    """A frozen copy of quizapp.domain.search_text (as it was when this was written)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, inner in value.items():
            if key != "id":
                yield from _texts(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _texts(inner)


def _searchable(stem, rationale, tags, data):
    parts = [stem or "", rationale or "", " ".join(tags or []), *_texts(data)]
    return "\n".join(p for p in parts if p).casefold()[:20000]


def _loaded(value):
    return json.loads(value) if isinstance(value, str) else value


def upgrade():
    with op.batch_alter_table("question_versions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("search_text", sa.Text(), nullable=False, server_default="")
        )
        # Every version written before this revision keeps the old rule: never edited in place.
        batch_op.add_column(
            sa.Column("frozen", sa.Boolean(), nullable=False, server_default=sa.true())
        )
    op.create_table(
        "section_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("heading", sa.String(length=300), nullable=False),
        sa.Column("key_points", sa.JSON(), nullable=False),
        sa.Column("erratum", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["section_id"], ["source_sections.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("section_revisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_section_revisions_section_id"), ["section_id"], unique=False
        )
    conn = op.get_bind()
    versions = sa.table(
        "question_versions",
        sa.column("id", sa.Integer()),
        sa.column("stem", sa.Text()),
        sa.column("rationale", sa.Text()),
        sa.column("tags", sa.JSON()),
        sa.column("data", sa.JSON()),
        sa.column("search_text", sa.Text()),
    )
    rows = conn.execute(
        sa.select(versions.c.id, versions.c.stem, versions.c.rationale, versions.c.tags,
                  versions.c.data)
    ).all()
    for id_, stem, rationale, tags, data in rows:
        text = _searchable(stem, rationale, _loaded(tags), _loaded(data))
        conn.execute(
            versions.update().where(versions.c.id == id_).values(search_text=text)
        )


def downgrade():
    with op.batch_alter_table("section_revisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_section_revisions_section_id"))
    op.drop_table("section_revisions")
    with op.batch_alter_table("question_versions", schema=None) as batch_op:
        batch_op.drop_column("frozen")
        batch_op.drop_column("search_text")
