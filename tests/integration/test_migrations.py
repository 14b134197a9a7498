"""The migrations create exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select

from quizapp.extensions import db
from quizapp.models import User
from tests.conftest import PROJECT_ROOT
from tests.factories import UserFactory


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


def test_downgrade_to_base_and_up_again(app, monkeypatch) -> None:
    directory = str(PROJECT_ROOT / "migrations")
    monkeypatch.setenv("QUIZAPP_ALLOW_DATA_LOSS", "1")  # the operator says so explicitly
    with app.app_context():
        downgrade(directory=directory, revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade(directory=directory)
    assert _diff(app) == []


@pytest.mark.parametrize(("revision", "kept"), [("0003", "competencies"), ("base", "users")])
def test_a_downgrade_that_drops_learner_data_refuses_without_consent(
    app, monkeypatch, capsys, revision: str, kept: str
) -> None:
    monkeypatch.delenv("QUIZAPP_ALLOW_DATA_LOSS", raising=False)
    directory = str(PROJECT_ROOT / "migrations")
    with app.app_context():
        UserFactory(email="kept@ward.example")
        with pytest.raises(SystemExit):
            downgrade(directory=directory, revision=revision)
        db.session.remove()
        assert kept in inspect(db.engine).get_table_names()
        assert db.session.scalar(select(User.email)) == "kept@ward.example"
    assert "i-understand-data-loss=1" in capsys.readouterr().err


def test_the_x_argument_allows_it(app, monkeypatch) -> None:
    monkeypatch.delenv("QUIZAPP_ALLOW_DATA_LOSS", raising=False)
    directory = str(PROJECT_ROOT / "migrations")
    with app.app_context():
        downgrade(directory=directory, revision="0003", x_arg=["i-understand-data-loss=1"])
        assert "competencies" not in inspect(db.engine).get_table_names()
        upgrade(directory=directory)
    assert _diff(app) == []
