"""Reminders and the weekly digest, queued by `flask jobs run`: each once however often the
job runs; none for people who opted out, quizzes with reminders off, archived or closed
quizzes, or trainees who passed; an assignment tells the unit's trainees in its transaction."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import (
    Attempt,
    AttemptStatus,
    Bank,
    Competency,
    JobRun,
    OutboxMessage,
    Quiz,
    QuizAssignment,
    ReminderOptOut,
    Role,
    Topic,
    utcnow,
)
from quizapp.services.quizzes import assign_quiz
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, UnitFactory, UserFactory


def _keys(app) -> list[str]:  # type: ignore[no-untyped-def]
    with app.app_context():
        return sorted(db.session.scalars(select(OutboxMessage.key)).all())


def _run(runner, *names: str) -> str:  # type: ignore[no-untyped-def]
    result = runner.invoke(args=["jobs", "run", *names])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def ward(app):  # type: ignore[no-untyped-def]
    """A unit with trainees (one opted out), a manager, and a quiz due in two days."""
    with app.app_context():
        unit = UnitFactory(name="Ward 4B")
        ids = {}
        for name in ("amira", "ben", "optout"):
            user = UserFactory(email=f"{name}@ward.example")
            MembershipFactory(unit=unit, user=user)
            ids[name] = user.id
        boss = UserFactory(email="boss@ward.example", role=Role.MANAGER)
        MembershipFactory(unit=unit, user=boss, is_manager=True)
        db.session.add(ReminderOptOut(user_id=ids["optout"]))
        quiz = Quiz(title="IV check", selection={"per_topic": {}})
        db.session.add(quiz)
        db.session.flush()
        due = utcnow() + timedelta(days=2)
        db.session.add(QuizAssignment(quiz_id=quiz.id, unit_id=unit.id, due_at=due))
        db.session.commit()
        return {**ids, "unit": unit.id, "quiz": quiz.id, "boss": boss.id, "due": due}


def test_due_in_three_days_is_queued_once_however_often_jobs_run(app, runner, ward) -> None:
    for _ in range(3):
        _run(runner, "reminders")
    day = ward["due"].date().isoformat()
    q = ward["quiz"]
    assert [k for k in _keys(app) if k.startswith("due:")] == [
        f"due:quiz{q}:user{ward['amira']}:{day}",
        f"due:quiz{q}:user{ward['ben']}:{day}",
    ]
    with app.app_context():
        text = db.session.scalar(select(OutboxMessage.body_text))
        assert "“IV check” is due on" in text and "/account" in text  # how to opt out


def test_a_passed_trainee_gets_no_reminder_and_overdue_comes_after(app, runner, ward) -> None:
    with app.app_context():
        db.session.add(
            Attempt(
                user_id=ward["ben"],
                quiz_id=ward["quiz"],
                number=1,
                kind="assigned",
                status=AttemptStatus.SUBMITTED,
                passed=True,
            )
        )
        assignment = db.session.scalar(select(QuizAssignment))
        assignment.due_at = utcnow() - timedelta(hours=1)
        db.session.commit()
    _run(runner, "reminders")
    _run(runner, "reminders")
    assert [k.split(":")[0:3] for k in _keys(app)] == [
        ["overdue", f"quiz{ward['quiz']}", f"user{ward['amira']}"]
    ]


@pytest.mark.parametrize(
    "change",
    ["reminders_off", "archived", "closed", "unpublished"],
)
def test_no_reminders_for_a_quiz_switched_off_archived_or_closed(app, runner, ward, change) -> None:
    with app.app_context():
        quiz = db.session.get(Quiz, ward["quiz"])
        if change == "reminders_off":
            quiz.reminders = False
        elif change == "archived":
            quiz.archived_at = utcnow()
        elif change == "closed":
            quiz.close_at = utcnow() - timedelta(minutes=1)
        else:
            quiz.published = False
        db.session.commit()
    _run(runner, "reminders")
    assert _keys(app) == []


def _competency(app, user_id: int, expires_in: timedelta, quiz_id=None) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        topic = db.session.scalar(select(Topic).where(Topic.key == "routes/intravenous"))
        if topic is None:
            bank = Bank(key="b", title="B")
            db.session.add(bank)
            db.session.flush()
            topic = Topic(bank_id=bank.id, key="routes/intravenous", title="IV routes")
            db.session.add(topic)
            db.session.flush()
        number = 1 + (db.session.scalar(select(db.func.count()).select_from(Attempt)) or 0)
        attempt = Attempt(user_id=user_id, number=number, status=AttemptStatus.SUBMITTED)
        db.session.add(attempt)
        db.session.flush()
        now = utcnow()
        db.session.add(
            Competency(
                user_id=user_id,
                topic_id=topic.id,
                quiz_id=quiz_id,
                attempt_id=attempt.id,
                achieved_at=now - timedelta(days=300),
                expires_at=now + expires_in,
            )
        )
        db.session.commit()


def test_competency_expiring_and_expired_are_queued_once_and_renewal_stops_them(
    app, runner, ward
) -> None:
    _competency(app, ward["amira"], timedelta(days=20))  # expiring within 30 days
    _competency(app, ward["ben"], timedelta(days=-2))  # expired two days ago
    _competency(app, ward["optout"], timedelta(days=5))  # opted out
    _competency(app, ward["boss"], timedelta(days=40))  # not yet
    with app.app_context():
        db.session.get(Quiz, ward["quiz"]).reminders = False  # leave only competency messages
        db.session.commit()
    _run(runner, "reminders")
    _run(runner, "reminders")
    kinds = sorted(k.split(":")[0] + ":" + k.split(":")[1] for k in _keys(app))
    assert kinds == [f"expired:user{ward['ben']}", f"expiring:user{ward['amira']}"]
    # amira renews: her old competency no longer reminds (nothing new is queued)
    _competency(app, ward["amira"], timedelta(days=365))
    with app.app_context():
        db.session.execute(db.delete(OutboxMessage))
        db.session.commit()
    _run(runner, "reminders")
    assert [k.split(":")[0] for k in _keys(app)] == ["expired"]


def test_a_competency_of_a_quiz_with_reminders_off_sends_none(app, runner, ward) -> None:
    with app.app_context():
        db.session.get(Quiz, ward["quiz"]).reminders = False
        db.session.commit()
    _competency(app, ward["amira"], timedelta(days=3), quiz_id=ward["quiz"])
    _run(runner, "reminders")
    assert _keys(app) == []


def test_the_weekly_digest_goes_to_each_manager_once_a_week(app, runner, ward) -> None:
    with app.app_context():
        db.session.scalar(select(QuizAssignment)).due_at = utcnow() - timedelta(days=1)
        db.session.commit()
    _run(runner, "digest")
    _run(runner, "digest")
    [key] = _keys(app)
    assert key.startswith(f"digest:user{ward['boss']}:")
    with app.app_context():
        text = db.session.scalar(select(OutboxMessage.body_text))
    assert "Ward 4B: 3 overdue" in text  # three trainees, none passed


def test_an_assignment_tells_the_units_trainees_in_its_transaction(app, ward) -> None:
    with app.app_context():
        other = UnitFactory(name="Ward 5A")
        nurse = UserFactory(email="chen@ward.example")
        MembershipFactory(unit=other, user=nurse)
        unit_id, nurse_id = other.id, nurse.id
        assign_quiz(ward["quiz"], unit_id, due_at=utcnow() + timedelta(days=10))
        assign_quiz(ward["quiz"], unit_id, due_at=utcnow() + timedelta(days=12))  # re-dated
    assert _keys(app) == [f"assigned:quiz{ward['quiz']}:unit{unit_id}:user{nurse_id}"]


def test_jobs_run_runs_every_job_and_the_jobs_page_shows_the_last_runs(
    app, runner, client, ward
) -> None:
    output = _run(runner)
    for name in ("close_overdue", "close_stale_practice", "reminders", "digest", "send_outbox"):
        assert f"{name}: ok" in output
    assert "MAIL_URL not set" in output
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(JobRun)) == 5
        UserFactory(email="admin@ward.example", role=Role.ADMIN)
    client.post("/login", data={"email": "admin@ward.example", "password": DEFAULT_PASSWORD})
    page = client.get("/admin/jobs").get_data(as_text=True)
    assert "queued 2 reminder(s)" in page and "close stale practice" in page


def test_a_job_that_fails_is_recorded_and_the_run_exits_non_zero(app, runner, monkeypatch) -> None:
    from quizapp.services import reminders

    def broken(now=None):  # type: ignore[no-untyped-def]
        raise RuntimeError("the database went away")

    monkeypatch.setattr(reminders, "queue_reminders", broken)
    result = runner.invoke(args=["jobs", "run", "reminders"])
    assert result.exit_code == 1 and "FAILED: RuntimeError: the database went away" in result.output
    assert runner.invoke(args=["jobs", "run", "nonsense"]).exit_code == 2


def _checkbox(client) -> str:  # type: ignore[no-untyped-def]
    page = client.get("/account").get_data(as_text=True)
    [tag] = re.findall(r'<input[^>]*name="reminders"[^>]*>', page)
    return tag


def test_the_account_page_turns_reminders_off_and_on(app, client, auth, ward) -> None:
    auth.login("amira@ward.example", DEFAULT_PASSWORD)
    assert "checked" in _checkbox(client)
    assert client.post("/account/reminders", data={}).status_code == 302
    with app.app_context():
        assert db.session.get(ReminderOptOut, ward["amira"]) is not None
    assert "checked" not in _checkbox(client)
    client.post("/account/reminders", data={"reminders": "y"})
    with app.app_context():
        assert db.session.get(ReminderOptOut, ward["amira"]) is None
    assert "checked" in _checkbox(client)
