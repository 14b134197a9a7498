"""The migrations create exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select

from quizapp.domain.types import get_type
from quizapp.extensions import db
from quizapp.models import QuestionVersion, User
from tests.conftest import PROJECT_ROOT
from tests.factories import UserFactory
from tests.integration.quiz_helpers import load_small_bank


def _diff(app) -> list:  # type: ignore[no-untyped-def]
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "render_as_batch": True}
        )
        return compare_metadata(context, db.metadata)


def test_upgrade_to_head_matches_the_models(app) -> None:
    # The `app` fixture copies the session template, an empty database upgraded to head.
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


def _versions() -> dict[int, tuple[str, dict]]:
    rows = db.session.execute(
        select(QuestionVersion.id, QuestionVersion.type, QuestionVersion.data)
    )
    return {row_id: (type_name, data) for row_id, type_name, data in rows}


def _marks(versions: dict[int, tuple[str, dict]]) -> dict[int, list[float]]:
    """Each version's marks for its correct response and a few wrong ones."""
    wrong: list[object] = ["a", ["a", "b"], "x", "125", "124.4 mL/h", True, {"1": "x"}, ""]
    marks = {}
    for row_id, (type_name, data) in versions.items():
        kind = get_type(type_name)
        marks[row_id] = [kind.grade(data, r) for r in [kind.correct_response(data), *wrong]]
    return marks


def test_migration_0011_converts_old_answer_data_and_back(app, tmp_path, monkeypatch) -> None:
    """Old-form rows in (the downgrade writes them), new-form rows out, the same marks."""
    monkeypatch.delenv("QUIZAPP_ALLOW_DATA_LOSS", raising=False)
    load_small_bank(app, tmp_path)
    directory = str(PROJECT_ROOT / "migrations")
    with app.app_context():
        new_form = _versions()
        hashes = sorted(db.session.scalars(select(QuestionVersion.content_hash)))
        marks = _marks(new_form)
        assert {t for t, _ in new_form.values()} >= {"single", "numeric", "short_answer"}
        db.session.remove()
        downgrade(directory=directory, revision="0010")  # nothing is lost: no refusal
        old_form = _versions()
        for type_name, data in old_form.values():
            if type_name == "short_answer":
                assert set(data) == {"accepted"}, data
            if type_name == "numeric":
                assert set(data) == {"value", "tolerance", "unit"}, data
            if type_name in ("single", "multiple"):
                assert all("fraction" not in c for c in data["choices"]), data
        db.session.remove()
        upgrade(directory=directory)
        assert _versions() == new_form
        assert _marks(_versions()) == marks
        assert sorted(db.session.scalars(select(QuestionVersion.content_hash))) == hashes


def test_migration_0011_downgrade_refuses_to_drop_moodle_grades(app, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.delenv("QUIZAPP_ALLOW_DATA_LOSS", raising=False)
    load_small_bank(app, tmp_path)
    directory = str(PROJECT_ROOT / "migrations")
    with app.app_context():
        version = db.session.scalars(
            select(QuestionVersion).where(QuestionVersion.type == "single")
        ).first()
        data = get_type("single").normalize(version.data)
        data["choices"][-1]["fraction"] = 50.0  # a partial-credit choice the old form cannot hold
        data = get_type("single").normalize(data)
        version.data = data
        version_id = version.id
        db.session.commit()
        db.session.remove()
        with pytest.raises(SystemExit):
            downgrade(directory=directory, revision="0010")
        db.session.remove()
        # Only the data column: below 0020 the table has no search_text or frozen column.
        stored = select(QuestionVersion.data).where(QuestionVersion.id == version_id)
        assert db.session.scalar(stored) == data
        db.session.remove()  # end the read: on PostgreSQL its lock would block DROP COLUMN
        downgrade(directory=directory, revision="0010", x_arg=["i-understand-data-loss=1"])
        db.session.remove()
        kept = db.session.scalar(stored)
        assert all("fraction" not in c for c in kept["choices"])
        db.session.remove()  # the same: the read's lock would block ADD COLUMN
        upgrade(directory=directory)
