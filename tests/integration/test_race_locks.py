"""The locks and keys behind the start and submit races, with two sessions at once (two
threads, each in its own app context) on SQLite and PostgreSQL, without a server: a second
start waits for the first and lands on its attempt; the database refuses a second attempt with
the same per-quiz number; a start that met one anyway lands on it; two first submits on a topic
make one record with both counted; error handlers work after a failed statement."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from flask import abort
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, insert, select, text
from sqlalchemy.exc import IntegrityError

from quizapp.database import unit_of_work
from quizapp.extensions import db
from quizapp.models import Attempt, AuditEvent, Topic, TopicScore, User, utcnow
from quizapp.services import attempt_builder, quiz_access
from quizapp.services.quizzes import assign_quiz, create_quiz
from quizapp.services.topic_scores import record_attempt
from tests.conftest import PROJECT_ROOT
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, UnitFactory, UserFactory
from tests.integration.quiz_helpers import load_small_bank, topic_id

PAUSE = 0.6  # how long the first session holds its lock while the second one must wait


@pytest.fixture
def one_attempt(app, tmp_path) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """A trainee in a unit with a one-attempt quiz assigned to it."""
    load_small_bank(app, tmp_path)
    with app.app_context():
        unit = UnitFactory()
        user = UserFactory(email="tabs@ward.example")
        MembershipFactory(unit=unit, user=user)
        quiz = create_quiz(
            "Once only", {"per_topic": {"routes/intravenous": 2}}, attempts_allowed=1
        )
        assign_quiz(quiz.id, unit.id)
        return {"user_id": user.id, "quiz_id": quiz.id}


class Paused:
    """Run `work` in a thread with its own app context and session; it stops at `pause()`
    (called from inside the work, in that thread only) until `release()`."""

    def __init__(  # type: ignore[no-untyped-def]
        self, app, work: Callable[[], Any], into: list[Paused] | None = None
    ) -> None:
        self.reached, self.go, self.done = threading.Event(), threading.Event(), threading.Event()
        self.result: Any = None
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(app, work))
        if into is not None:  # before the thread starts: its work may look itself up at once
            into.append(self)
        self.thread.start()

    def _run(self, app, work: Callable[[], Any]) -> None:  # type: ignore[no-untyped-def]
        try:
            with app.app_context():
                self.result = work()
                db.session.remove()
        except BaseException as exc:  # handed to the test below
            self.error = exc
        finally:
            self.done.set()

    def pause(self) -> None:
        if threading.current_thread() is self.thread:
            self.reached.set()
            self.go.wait(timeout=10)

    def release(self) -> Any:
        self.go.set()
        self.thread.join(timeout=20)
        if self.error is not None:
            raise self.error
        return self.result


def _start(app, user_id: int, quiz_id: int, token: str) -> int:  # type: ignore[no-untyped-def]
    user = db.session.get(User, user_id)
    return attempt_builder.start_assigned(user, quiz_id, token=token).id


def test_a_second_start_waits_for_the_first_and_lands_on_its_attempt(
    app, one_attempt, monkeypatch
) -> None:
    real = attempt_builder.next_number
    first: list[Paused] = []

    def number_then_pause(user_id: int) -> int:
        number = real(user_id)
        first[0].pause()  # the first start holds its lock here, before it inserts
        return number

    monkeypatch.setattr(attempt_builder, "next_number", number_then_pause)
    ids = one_attempt["user_id"], one_attempt["quiz_id"]
    Paused(app, lambda: _start(app, *ids, token="tab-1"), into=first)
    assert first[0].reached.wait(timeout=10)
    second = Paused(app, lambda: _start(app, *ids, token="tab-2"))
    assert not second.done.wait(timeout=PAUSE), "the second start did not wait for the first"
    made = first[0].release()
    assert second.release() == made
    with app.app_context():
        count = select(func.count()).select_from(Attempt).where(Attempt.quiz_id == ids[1])
        assert db.session.scalar(count) == 1


def test_the_database_refuses_a_second_attempt_with_the_same_quiz_number(app, one_attempt) -> None:
    row = {"user_id": one_attempt["user_id"], "quiz_id": one_attempt["quiz_id"], "quiz_number": 1}
    with app.app_context():
        db.session.execute(insert(Attempt).values(number=1, **row))
        db.session.commit()
        with pytest.raises(IntegrityError):
            db.session.execute(insert(Attempt).values(number=2, **row))
        db.session.rollback()


def test_a_start_that_met_another_tabs_insert_lands_on_that_attempt(
    app, client, one_attempt, monkeypatch
) -> None:
    """As if the lock had been missed: the second tab read the quiz before the first tab's
    attempt was committed ("0 used of 1"), so it inserts attempt 1 as well; the key refuses
    it, and the start runs again and lands on the first tab's attempt."""
    ids = one_attempt["user_id"], one_attempt["quiz_id"]
    with app.app_context():
        made = _start(app, *ids, token="tab-1")
    real_view = attempt_builder.quiz_for_trainee
    stale = [True]

    def view_before_the_first_commit(user, quiz_id):  # type: ignore[no-untyped-def]
        view = real_view(user, quiz_id)
        if stale and stale.pop():
            changes = {"in_progress": None, "can_start": True, "attempts_used": 0}
            return quiz_access.QuizView(**{**vars(view), **changes})
        return view

    monkeypatch.setattr(attempt_builder, "quiz_for_trainee", view_before_the_first_commit)
    monkeypatch.setattr(attempt_builder, "next_number", lambda user_id: 99)  # only the quiz key
    client.post("/login", data={"email": "tabs@ward.example", "password": DEFAULT_PASSWORD})
    reply = client.post(f"/quizzes/{ids[1]}/start", data={"token": "tab-2"})
    assert reply.status_code == 302
    assert reply.headers["Location"] == f"/attempts/{made}"
    assert stale == [], "the stale read was not exercised"
    with app.app_context():
        count = select(func.count()).select_from(Attempt).where(Attempt.quiz_id == ids[1])
        assert db.session.scalar(count) == 1


def test_two_first_submits_on_a_topic_make_one_record_with_both_counted(
    app, tmp_path, monkeypatch
) -> None:
    load_small_bank(app, tmp_path)
    topic = topic_id(app, "routes/intravenous")
    with app.app_context():
        user_id = UserFactory().id
    paused: list[Paused] = []

    def submit(mark: float) -> None:
        with unit_of_work():
            record_attempt(user_id, [(topic, mark)])
            db.session.flush()
            if paused:
                paused[0].pause()  # the first submit has written its record, not yet committed

    Paused(app, lambda: submit(1.0), into=paused)
    assert paused[0].reached.wait(timeout=10)
    second = Paused(app, lambda: submit(0.0))
    assert not second.done.wait(timeout=PAUSE), "the second submit did not wait for the first"
    paused[0].release()
    second.release()
    with app.app_context():
        rows = db.session.scalars(select(TopicScore).where(TopicScore.user_id == user_id)).all()
        assert [(r.answered, r.marks, r.recent) for r in rows] == [(2, 1.0, [1.0, 0.0])]


def _duplicate_topic_score(swallow: bool) -> None:
    """Add one trainee's topic record twice and flush, as a lost race does: the flush fails and
    the session refuses all work until it is rolled back."""
    user_id = db.session.scalar(select(User.id).where(User.email == "audited@ward.example"))
    for topic in db.session.scalars(select(Topic.id).limit(1)).all() * 2:
        db.session.add(TopicScore(user_id=user_id, topic_id=topic, answered=0, marks=0.0))
    try:
        db.session.flush()
    except IntegrityError:
        if not swallow:
            raise


def test_a_refusal_after_a_failed_statement_is_still_audited_and_a_race_gives_409(
    app, client, tmp_path
) -> None:
    @app.get("/test/fails-then-refuses")
    def fails_then_refuses() -> str:
        _duplicate_topic_score(swallow=True)
        abort(403)

    @app.get("/test/race")
    def race() -> str:
        _duplicate_topic_score(swallow=False)
        return "not reached"

    load_small_bank(app, tmp_path)
    with app.app_context():
        UserFactory(email="audited@ward.example")
    client.post("/login", data={"email": "audited@ward.example", "password": DEFAULT_PASSWORD})
    assert client.get("/test/fails-then-refuses").status_code == 403
    page = client.get("/test/race")
    assert page.status_code == 409 and "nothing was saved" in page.data.decode()
    assert client.get("/me").status_code == 200  # the next request of the same user works
    with app.app_context():
        refused = select(AuditEvent.action).where(
            AuditEvent.object_key == "/test/fails-then-refuses"
        )
        assert db.session.scalars(refused).all() == ["access.refused"]


def test_the_migration_numbers_existing_quiz_attempts_in_start_order(app, one_attempt) -> None:
    """Upgrading to 0007 numbers each trainee's attempts per quiz 1, 2, 3 by start order, even
    past the limit the old race let through (nothing is deleted); practice stays NULL."""
    directory = str(PROJECT_ROOT / "migrations")
    user_id, quiz_id = one_attempt["user_id"], one_attempt["quiz_id"]
    with app.app_context():
        downgrade(directory=directory, revision="0005")
        for number, quiz in ((1, None), (2, quiz_id), (3, None), (4, quiz_id), (5, quiz_id)):
            db.session.execute(
                text(
                    "INSERT INTO attempts (user_id, quiz_id, number, kind, mode, status, seq,"
                    " settings, started_at, auto_submitted) VALUES (:user, :quiz, :number,"
                    " 'assigned', 'exam', 'submitted', 0, '{}', :now, :no)"
                ),
                {"user": user_id, "quiz": quiz, "number": number, "now": utcnow(), "no": False},
            )
        db.session.commit()
        upgrade(directory=directory)
        rows = db.session.execute(
            select(Attempt.number, Attempt.quiz_number).order_by(Attempt.number)
        ).all()
        assert [tuple(r) for r in rows] == [(1, None), (2, 1), (3, None), (4, 2), (5, 3)]
