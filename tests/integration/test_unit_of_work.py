"""One unit of work per command (issue 15): committed on success, rolled back on any error,
changes made outside a command refused, nested use joined; a quiz, its assignments and its
audit row saved together or not at all."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from quizapp.database import in_unit_of_work, require_unit_of_work, unit_of_work
from quizapp.extensions import db
from quizapp.models import AuditEvent, Quiz, QuizAssignment, Role, Unit
from quizapp.services import audit, quizzes
from quizapp.services.errors import InvalidInput
from tests.factories import DEFAULT_PASSWORD, UnitFactory, UserFactory
from tests.integration.quiz_helpers import load_small_bank


def _units(app) -> set[str]:  # type: ignore[no-untyped-def]
    with app.app_context():
        return set(db.session.scalars(select(Unit.name)))


def _count(app, model) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_a_unit_of_work_commits_on_success(app) -> None:
    with app.app_context():
        with unit_of_work():
            db.session.add(Unit(name="Ward kept"))
        db.session.remove()  # another session must see it: it was committed, not just flushed
    assert "Ward kept" in _units(app)


def test_a_unit_of_work_rolls_back_on_any_error_and_reraises(app) -> None:
    with app.app_context():
        with pytest.raises(KeyError), unit_of_work():
            db.session.add(Unit(name="Ward lost"))
            db.session.flush()  # written to the database, inside the transaction
            raise KeyError("half-way")
        assert not db.session.new and not in_unit_of_work()
    assert "Ward lost" not in _units(app)


def test_a_unit_of_work_refuses_changes_made_outside_any_command(app) -> None:
    with app.app_context():
        db.session.add(Unit(name="Ward pending"))
        with pytest.raises(RuntimeError, match="outside any command"), unit_of_work():
            pass
        db.session.rollback()
    assert "Ward pending" not in _units(app)


def test_a_read_transaction_is_ended_by_rollback_not_commit(app) -> None:
    with app.app_context():
        UnitFactory(name="Ward read")
        unit_id = db.session.scalar(select(Unit.id).where(Unit.name == "Ward read"))
        assert db.session().in_transaction()
        db.session.execute(
            Unit.__table__.update().where(Unit.name == "Ward read").values(description="flushed")
        )  # written in the read transaction, never committed: the unit of work drops it
        with unit_of_work():
            db.session.add(Unit(name="Ward new"))
        db.session.remove()
        assert db.session.get(Unit, unit_id).description == ""
    assert {"Ward read", "Ward new"} <= _units(app)


def test_a_nested_unit_of_work_joins_the_outer_one(app) -> None:
    with app.app_context(), pytest.raises(ValueError), unit_of_work():
        with unit_of_work():
            db.session.add(Unit(name="Ward inner"))
        assert in_unit_of_work()  # the inner one did not end the outer one
        raise ValueError("the outer one fails after the inner one finished")
    assert "Ward inner" not in _units(app)  # the inner one did not commit on its own


def test_helpers_that_join_a_command_refuse_to_run_alone(app) -> None:
    with app.app_context():
        with pytest.raises(RuntimeError, match="inside unit_of_work"):
            audit.record("test.alone", actor_id=None)
        with pytest.raises(RuntimeError, match="inside unit_of_work"):
            require_unit_of_work("something")
        with unit_of_work():
            audit.record("test.inside", actor_id=None)
    assert _count(app, AuditEvent) == 1


@pytest.fixture
def two_units(app, tmp_path) -> list[int]:  # type: ignore[no-untyped-def]
    load_small_bank(app, tmp_path)
    with app.app_context():
        return [UnitFactory(name="Ward A").id, UnitFactory(name="Ward B").id]


def test_a_quiz_with_an_unknown_second_unit_leaves_no_quiz_assignment_or_audit(
    app, two_units
) -> None:
    with app.app_context(), pytest.raises(InvalidInput, match="No such quiz or unit"):
        quizzes.create_quiz(
            "Half-way", {"per_topic": {"routes/intravenous": 2}}, unit_ids=[two_units[0], 999_999]
        )
    assert (_count(app, Quiz), _count(app, QuizAssignment), _count(app, AuditEvent)) == (0, 0, 0)


def test_a_quiz_is_saved_with_its_assignments_and_audit_row(app, two_units) -> None:
    with app.app_context():
        quiz_id = quizzes.create_quiz(
            "Whole", {"per_topic": {"routes/intravenous": 2}}, unit_ids=two_units
        ).id
        db.session.remove()
        event = db.session.scalar(select(AuditEvent))
        assert (event.action, event.object_key, event.details["units"]) == (
            "quiz.created",
            str(quiz_id),
            two_units,
        )
    assert (_count(app, Quiz), _count(app, QuizAssignment)) == (1, 2)


def test_the_quiz_builder_saves_nothing_when_the_second_assignment_fails(
    app, client, auth, two_units, monkeypatch
) -> None:
    with app.app_context():
        UserFactory(email="builder@ward.example", role=Role.INSTRUCTOR)
    auth.login("builder@ward.example", DEFAULT_PASSWORD)
    real = quizzes.add_assignment

    def fail_on_second(quiz_id, unit_id, due_at):  # type: ignore[no-untyped-def]
        if unit_id == two_units[1]:
            raise InvalidInput("Ward B refused this quiz.")
        return real(quiz_id, unit_id, due_at)

    monkeypatch.setattr(quizzes, "add_assignment", fail_on_second)
    before = _count(app, AuditEvent)  # the sign-in's row
    response = client.post(
        "/author/quizzes/new",
        data={
            "title": "Two wards",
            "selection": "per_topic",
            "count-routes/intravenous": "2",
            "mode": "exam",
            "pass_mark": "80",
            "grading": "highest",
            "review_shows": "full",
            "review_when": "immediately",
            "units": [str(u) for u in two_units],
        },
    )
    assert response.status_code == 422 and b"Ward B refused this quiz." in response.data
    assert (_count(app, Quiz), _count(app, QuizAssignment)) == (0, 0)
    assert _count(app, AuditEvent) == before
