"""directory sign-in: identities, group mappings, site settings; unit_memberships.source (issue 19)

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-04 18:40:00.000000

Every existing membership was made by an admin, a roster or the demo: "local". A directory
sign-in only ever changes the "directory" ones.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

ROLE = sa.Enum(
    "trainee",
    "instructor",
    "manager",
    "admin",
    name="role",
    native_enum=False,
    create_constraint=True,
    length=20,
)


def upgrade():
    op.create_table(
        "directory_identities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("subject", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_sign_in_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_directory_identities_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directory_identities")),
        sa.UniqueConstraint(
            "source", "subject", name=op.f("uq_directory_identities_source_subject")
        ),
    )
    with op.batch_alter_table("directory_identities", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_directory_identities_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "directory_group_mappings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("group", sa.String(length=500), nullable=False),
        sa.Column("group_key", sa.String(length=500), nullable=False),
        sa.Column("role", ROLE, nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("is_manager", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["units.id"],
            name=op.f("fk_directory_group_mappings_unit_id_units"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directory_group_mappings")),
        sa.UniqueConstraint(
            "source",
            "group_key",
            "role",
            "unit_id",
            name=op.f("uq_directory_group_mappings_source_group_key_role_unit_id"),
        ),
    )
    with op.batch_alter_table("directory_group_mappings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_directory_group_mappings_group_key"), ["group_key"], unique=False
        )

    op.create_table(
        "site_settings",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.String(length=500), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_site_settings")),
    )

    with op.batch_alter_table("unit_memberships", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("source", sa.String(length=10), server_default="local", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("unit_memberships", schema=None) as batch_op:
        batch_op.drop_column("source")
    op.drop_table("site_settings")
    with op.batch_alter_table("directory_group_mappings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_directory_group_mappings_group_key"))
    op.drop_table("directory_group_mappings")
    with op.batch_alter_table("directory_identities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_directory_identities_user_id"))
    op.drop_table("directory_identities")
