"""Issue 16: discarding unfinished practice, and practice left untouched closing itself."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from quizapp.config import ConfigError
from quizapp.database import unit_of_work
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptStatus, Response, TopicScore, User, utcnow
from quizapp.services import practice
from quizapp.services.attempt_closing import finalize
from quizapp.services.quizzes import assign_quiz, create_quiz
from tests.conftest import make_app
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, UnitFactory, UserFactory
from tests.integration.quiz_helpers import (
    answer,
    load_small_bank,
    seq_of,
    signed_in_trainee,
    start_practice,
    topic_id,
    trainee,
)


@pytest.fixture
def signed_in(app, client, auth, tmp_path):  # type: ignore[no-untyped-def]
    return signed_in_trainee(app, auth, tmp_path)


def _record(app, user_id: int):  # type: ignore[no-untyped-def]
    with app.app_context():
        row = db.session.scalar(select(TopicScore).where(TopicScore.user_id == user_id))
        return None if row is None else (row.answered, row.marks)


def _status(app, attempt_id: int) -> AttemptStatus:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.get(Attempt, attempt_id).status


def _discard(client, attempt_id: int, confirm: str | None = "yes"):  # type: ignore[no-untyped-def]
    data = {"confirm": confirm} if confirm else {}
    return client.post(f"/attempts/{attempt_id}/discard", data=data)


def test_discarding_a_tutor_practice_keeps_what_was_counted(app, client, signed_in) -> None:
    user_id, iv = signed_in
    attempt_id = start_practice(client, [iv], length=5, mode="tutor")
    answer(client, app, attempt_id, 1, correct=True)
    answer(client, app, attempt_id, 2, correct=False)
    confirm = client.get(f"/attempts/{attempt_id}/discard")
    page = confirm.data.decode()
    assert confirm.status_code == 200
    assert "The 2 answers you checked already count" in page and "will stay counted" in page
    assert 'name="confirm" value="yes"' in page
    unconfirmed = _discard(client, attempt_id, confirm=None)
    assert unconfirmed.headers["Location"].endswith(f"/attempts/{attempt_id}/discard")
    assert _status(app, attempt_id) is AttemptStatus.IN_PROGRESS
    done = _discard(client, attempt_id)
    assert done.headers["Location"].endswith("/me")
    assert _status(app, attempt_id) is AttemptStatus.DISCARDED
    assert _record(app, user_id) == (2, 1.0)
    home = client.get("/me").data.decode()
    assert "The practice was discarded." in home
    assert f"/attempts/{attempt_id}" not in home and "in progress" not in home
    assert f"/attempts/{attempt_id}" not in client.get("/attempts").data.decode()
    base = f"/attempts/{attempt_id}"
    for path in (base, f"{base}/q/1", f"{base}/review", f"{base}/result", f"{base}/discard"):
        gone = client.get(path)
        assert gone.status_code == 404, path
        assert "This practice was discarded" in gone.data.decode(), path
    late = client.post(f"{base}/q/3", data={"answer": "a", "seq": "2"})
    assert late.status_code == 404
    assert client.post(f"{base}/submit", data={"seq": "2"}).status_code == 404
    again = _discard(client, attempt_id)
    assert again.headers["Location"].endswith("/me")
    assert "already discarded" in client.get("/me").data.decode()
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Response)) == 2
    assert _record(app, user_id) == (2, 1.0)


def test_discarded_exam_answers_never_count(app, client, signed_in) -> None:
    user_id, iv = signed_in
    attempt_id = start_practice(client, [iv], length=5, mode="exam")
    answer(client, app, attempt_id, 1, correct=True)
    page = client.get(f"/attempts/{attempt_id}/discard").data.decode()
    assert "will not count in your scores by topic" in page
    _discard(client, attempt_id)
    assert _status(app, attempt_id) is AttemptStatus.DISCARDED
    assert _record(app, user_id) is None
    with app.app_context():
        assert practice.close_stale_practice(utcnow() + timedelta(days=30)) == 0
    assert _status(app, attempt_id) is AttemptStatus.DISCARDED and _record(app, user_id) is None


def test_another_trainees_practice_is_404(app, client, auth, signed_in) -> None:
    _, iv = signed_in
    attempt_id = start_practice(client, [iv], length=5, mode="tutor")
    auth.logout()
    _, email, password = trainee(app, "other@ward.example")
    auth.login(email, password)
    assert client.get(f"/attempts/{attempt_id}/discard").status_code == 404
    assert _discard(client, attempt_id).status_code == 404
    assert _discard(client, attempt_id, confirm=None).status_code == 404  # owner checked first
    assert _status(app, attempt_id) is AttemptStatus.IN_PROGRESS


def test_a_submitted_practice_is_refused_politely(app, client, signed_in) -> None:
    _, iv = signed_in
    attempt_id = start_practice(client, [iv], length=5, mode="tutor")
    review = client.get(f"/attempts/{attempt_id}/review")
    client.post(
        f"/attempts/{attempt_id}/submit", data={"seq": seq_of(review.data), "confirm": "yes"}
    )
    page = client.get(f"/attempts/{attempt_id}/discard")
    assert page.status_code == 409
    assert "already ended, so there is nothing to discard" in page.data.decode()
    assert "<form" not in page.data.decode().split("<main", 1)[1]
    refused = _discard(client, attempt_id)
    assert refused.status_code == 302
    assert "already ended" in client.get(refused.headers["Location"]).data.decode()
    assert _status(app, attempt_id) is AttemptStatus.SUBMITTED


def test_an_assigned_quiz_cannot_be_discarded(app, client, auth, tmp_path) -> None:
    load_small_bank(app, tmp_path)
    with app.app_context():
        unit = UnitFactory()
        user = UserFactory(email="nurse@ward.example")
        MembershipFactory(unit=unit, user=user)
        quiz = create_quiz("Exam", {"per_topic": {"routes/intravenous": 3}})
        assign_quiz(quiz.id, unit.id)
        quiz_id = quiz.id
    auth.login("nurse@ward.example", DEFAULT_PASSWORD)
    page = client.get(f"/quizzes/{quiz_id}").data.decode()
    token = page.split('name="token" value="')[1].split('"')[0]
    started = client.post(f"/quizzes/{quiz_id}/start", data={"token": token})
    attempt_id = int(started.headers["Location"].split("/attempts/")[1].split("/")[0])
    confirm = client.get(f"/attempts/{attempt_id}/discard")
    assert confirm.status_code == 403 and "cannot be discarded" in confirm.data.decode()
    refused = _discard(client, attempt_id)
    assert refused.headers["Location"].endswith(f"/attempts/{attempt_id}")
    assert _status(app, attempt_id) is AttemptStatus.IN_PROGRESS


def _age(app, attempt_id: int, hours: float) -> None:  # type: ignore[no-untyped-def]
    """Test set-up: the attempt started, and was last answered, `hours` ago."""
    when = utcnow() - timedelta(hours=hours)
    with app.app_context():
        db.session.execute(update(Attempt).where(Attempt.id == attempt_id).values(started_at=when))
        db.session.execute(
            update(Response).where(Response.attempt_id == attempt_id).values(answered_at=when)
        )
        db.session.commit()


def test_stale_practice_closes_itself_with_its_answers_counted_once(
    app, client, runner, signed_in
) -> None:
    user_id, iv = signed_in
    exam = start_practice(client, [iv], length=5, mode="exam")
    answer(client, app, exam, 1, correct=True)
    tutor = start_practice(client, [iv], length=5, mode="tutor")
    answer(client, app, tutor, 1, correct=False)
    fresh = start_practice(client, [iv], length=5, mode="exam")
    answer(client, app, fresh, 1, correct=True)
    assert _record(app, user_id) == (1, 0.0)  # the tutor answer
    _age(app, exam, 25)
    _age(app, tutor, 25)
    _age(app, fresh, 23)
    result = runner.invoke(args=["attempts", "close-overdue"])
    assert "Submitted 0 overdue attempt(s)." in result.output
    assert "Closed 2 stale practice attempt(s)." in result.output
    assert [_status(app, a) for a in (exam, tutor, fresh)] == [
        AttemptStatus.SUBMITTED,
        AttemptStatus.SUBMITTED,
        AttemptStatus.IN_PROGRESS,
    ]
    assert _record(app, user_id) == (2, 1.0)  # the exam answer now; the tutor one not again
    with app.app_context():
        closed = db.session.get(Attempt, exam)
        assert closed.auto_submitted and closed.score == 1.0
    again = runner.invoke(args=["attempts", "close-stale-practice"])
    assert "Closed 0 stale practice attempt(s)." in again.output
    assert _record(app, user_id) == (2, 1.0)


def test_the_idle_time_counts_from_the_start_when_nothing_was_answered(
    app, client, runner, signed_in
) -> None:
    _, iv = signed_in
    attempt_id = start_practice(client, [iv], length=5, mode="exam")
    _age(app, attempt_id, 3)
    app.config["PRACTICE_IDLE_HOURS"] = 4.0
    assert "Closed 0 stale" in runner.invoke(args=["attempts", "close-stale-practice"]).output
    app.config["PRACTICE_IDLE_HOURS"] = 2.5
    assert "Closed 1 stale" in runner.invoke(args=["attempts", "close-stale-practice"]).output
    assert _status(app, attempt_id) is AttemptStatus.SUBMITTED


def test_a_recent_answer_keeps_an_old_practice_open(app, client, runner, signed_in) -> None:
    _, iv = signed_in
    attempt_id = start_practice(client, [iv], length=5, mode="tutor")
    answer(client, app, attempt_id, 1)
    with app.app_context():  # test set-up: started two days ago, answered just now
        old = utcnow() - timedelta(hours=48)
        db.session.execute(update(Attempt).where(Attempt.id == attempt_id).values(started_at=old))
        db.session.commit()
    assert "Closed 0 stale" in runner.invoke(args=["attempts", "close-stale-practice"]).output
    assert _status(app, attempt_id) is AttemptStatus.IN_PROGRESS


def test_a_practice_answered_after_it_was_read_as_stale_stays_open(app, signed_in) -> None:
    """finalize's seq guard: the closing command read seq 0, an answer moved it to 1."""
    user_id, iv = signed_in
    with app.app_context():
        from quizapp.services import attempt_builder

        user = db.session.get(User, user_id)
        attempt = attempt_builder.start_practice(user, [iv], 5, "exam")
        db.session.execute(update(Attempt).where(Attempt.id == attempt.id).values(seq=1))
        db.session.commit()
        with unit_of_work():
            assert not finalize(attempt, utcnow(), auto=True, seen_seq=0)
        assert db.session.get(Attempt, attempt.id).status is AttemptStatus.IN_PROGRESS
        with unit_of_work():
            assert finalize(attempt, utcnow(), auto=True, seen_seq=1)


@pytest.mark.parametrize("value", ["0", "-3", "soon", "nan", "inf"])
def test_a_bad_idle_time_stops_the_app_from_starting(monkeypatch, tmp_path, value: str) -> None:
    monkeypatch.setenv("QUIZAPP_PRACTICE_IDLE_HOURS", value)
    with pytest.raises(ConfigError, match="QUIZAPP_PRACTICE_IDLE_HOURS"):
        make_app(f"sqlite:///{tmp_path / 'x.db'}")


def test_the_idle_time_defaults_to_a_day_and_is_read_from_the_environment(
    monkeypatch, tmp_path
) -> None:
    monkeypatch.delenv("QUIZAPP_PRACTICE_IDLE_HOURS", raising=False)
    assert make_app(f"sqlite:///{tmp_path / 'a.db'}").config["PRACTICE_IDLE_HOURS"] == 24.0
    monkeypatch.setenv("QUIZAPP_PRACTICE_IDLE_HOURS", "1.5")
    assert make_app(f"sqlite:///{tmp_path / 'b.db'}").config["PRACTICE_IDLE_HOURS"] == 1.5


def test_the_manager_sees_no_discarded_practice_in_progress(app, client, auth, tmp_path) -> None:
    from quizapp.models import Role
    from quizapp.services import attempt_builder, attempts

    load_small_bank(app, tmp_path)
    iv = topic_id(app, "routes/intravenous")
    with app.app_context():
        unit = UnitFactory()
        nurse = UserFactory(email="nurse@ward.example")
        boss = UserFactory(email="boss@ward.example", role=Role.MANAGER)
        MembershipFactory(unit=unit, user=nurse)
        MembershipFactory(unit=unit, user=boss, is_manager=True)
        kept = attempt_builder.start_practice(nurse, [iv], 5, "tutor")
        attempts.submit(nurse, kept.id, None)
        exam = attempt_builder.start_practice(nurse, [iv], 5, "exam")
        practice.discard(nurse, exam.id, confirmed=True)
        unit_id, nurse_id = unit.id, nurse.id
    auth.login("boss@ward.example", DEFAULT_PASSWORD)
    page = client.get(f"/manage/units/{unit_id}/trainees/{nurse_id}").data.decode()
    rows = page.split("<h2>Attempts</h2>", 1)[1]
    assert rows.count("<tr><td>") == 1 and "in progress" not in rows
