"""The migrations create exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from quizapp.extensions import db
from tests.conftest import PROJECT_ROOT


def _diff(app) -> list:  # type: ignore[no-untyped-def]
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "render_as_batch": True}
        )
        return compare_metadata(context, db.metadata)


def test_upgrade_to_head_matches_the_models(app) -> None:
    # The `app` fixture has upgraded an empty database to head.
    with app.app_context():
        tables = set(inspect(db.engine).get_table_names())
    assert {"users", "units", "source_sections", "question_versions", "responses"} <= tables
    assert _diff(app) == []


def test_downgrade_to_base_and_up_again(app) -> None:
    directory = str(PROJECT_ROOT / "migrations")
    with app.app_context():
        downgrade(directory=directory, revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade(directory=directory)
    assert _diff(app) == []
