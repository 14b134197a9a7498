"""Each test gets the migrated template's state: at head, empty, and whatever the previous
test wrote or altered is gone. The runs below check each other, in order: rows only (on
PostgreSQL the database is emptied in place), then a schema change (it is created anew)."""

from __future__ import annotations

import pytest
from alembic.script import ScriptDirectory
from flask_migrate import Migrate
from sqlalchemy import func, inspect, select, text

from quizapp.extensions import db
from quizapp.models import User
from tests.conftest import PROJECT_ROOT
from tests.factories import UserFactory


def _head() -> str:
    config = Migrate(directory=str(PROJECT_ROOT / "migrations")).get_config()
    return ScriptDirectory.from_config(config).get_current_head()


@pytest.mark.parametrize("run", ["rows", "rows again", "schema", "schema again"])
def test_a_test_starts_at_head_with_no_rows_and_leaves_nothing_behind(app, run: str) -> None:
    with app.app_context():
        assert db.session.scalar(text("SELECT version_num FROM alembic_version")) == _head()
        assert db.session.scalar(select(func.count()).select_from(User)) == 0
        assert "leftover" not in {c["name"] for c in inspect(db.engine).get_columns("users")}
        # What this run leaves would break the next run if it were not cleared.
        user_id = UserFactory(email=f"{run.replace(' ', '-')}@ward.example").id
        assert user_id == 1  # sequences restart too
        if run.startswith("schema"):
            db.session.execute(text("ALTER TABLE users ADD COLUMN leftover INTEGER"))
        db.session.commit()
