"""Assigned quizzes follow their settings; time limits hold on the server; another trainee's
attempt is a 404 whatever the method; the source reader."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Attempt, AttemptStatus, Response, TopicScore, utcnow
from quizapp.services.quizzes import assign_quiz, create_quiz
from tests.factories import MembershipFactory, UnitFactory, UserFactory
from tests.integration.quiz_helpers import (
    answer,
    load_small_bank,
    seq_of,
    start_practice,
    topic_id,
    trainee,
)

PASSWORD = "correct-horse-battery"


@pytest.fixture
def ward(app, tmp_path):  # type: ignore[no-untyped-def]
    """A bank, a unit with one trainee in it, and an exam assigned to the unit."""
    load_small_bank(app, tmp_path)
    with app.app_context():
        unit = UnitFactory(name="Ward 9")
        user = UserFactory(email="member@ward.example")
        MembershipFactory(unit=unit, user=user)
        quiz = create_quiz(
            "IV competency",
            {"per_topic": {"routes/intravenous": 4}},
            mode="exam",
            time_limit_minutes=20,
            pass_mark=75,
            attempts_allowed=2,
        )
        assign_quiz(quiz.id, unit.id, due_at=utcnow() + timedelta(days=7))
        return {"quiz_id": quiz.id, "unit_id": unit.id, "user_id": user.id}


def _start(client, quiz_id: int) -> int:  # type: ignore[no-untyped-def]
    page = client.get(f"/quizzes/{quiz_id}")
    assert page.status_code == 200
    token = page.data.decode().split('name="token" value="')[1].split('"')[0]
    response = client.post(f"/quizzes/{quiz_id}/start", data={"token": token})
    assert response.status_code == 302
    return int(response.headers["Location"].split("/attempts/")[1].split("/")[0])


def test_assigned_quiz_shows_on_home_and_follows_its_settings(app, client, auth, ward) -> None:
    auth.login("member@ward.example", PASSWORD)
    home = client.get("/me").data.decode()
    assert "IV competency" in home and "not started" in home and "due " in home
    attempt_id = _start(client, ward["quiz_id"])
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert len(attempt.items) == 4 and attempt.mode == "exam"
        assert attempt.deadline_at - attempt.started_at == timedelta(minutes=20)
    for position in range(1, 5):
        answer(client, app, attempt_id, position, correct=position != 4)
    review = client.get(f"/attempts/{attempt_id}/review")
    client.post(
        f"/attempts/{attempt_id}/submit", data={"seq": seq_of(review.data), "confirm": "yes"}
    )
    result = client.get(f"/attempts/{attempt_id}/result").data.decode()
    assert "75%" in result and "Passed" in result and "pass mark 75%" in result
    assert "passed" in client.get("/me").data.decode()


def test_double_start_gives_one_attempt_and_attempts_allowed_is_enforced(
    app, client, auth, ward
) -> None:
    auth.login("member@ward.example", PASSWORD)
    page = client.get(f"/quizzes/{ward['quiz_id']}")
    token = page.data.decode().split('name="token" value="')[1].split('"')[0]
    first = client.post(f"/quizzes/{ward['quiz_id']}/start", data={"token": token})
    second = client.post(f"/quizzes/{ward['quiz_id']}/start", data={"token": token})
    assert first.headers["Location"] == second.headers["Location"]
    with app.app_context():
        assert len(db.session.scalars(select(Attempt)).all()) == 1
    attempt_id = int(first.headers["Location"].split("/attempts/")[1].split("/")[0])
    for round_ in range(2):
        if round_:
            attempt_id = _start(client, ward["quiz_id"])
        review = client.get(f"/attempts/{attempt_id}/review")
        client.post(
            f"/attempts/{attempt_id}/submit", data={"seq": seq_of(review.data), "confirm": "yes"}
        )
    refused = client.post(f"/quizzes/{ward['quiz_id']}/start", data={"token": "fresh"})
    assert refused.status_code == 302
    assert "used all the attempts" in client.get(refused.headers["Location"]).data.decode()
    with app.app_context():
        assert len(db.session.scalars(select(Attempt)).all()) == 2


def test_a_quiz_not_assigned_to_my_units_is_404(app, client, auth, ward) -> None:
    trainee(app, "outsider@ward.example")
    auth.login("outsider@ward.example", PASSWORD)
    assert client.get(f"/quizzes/{ward['quiz_id']}").status_code == 404
    assert client.post(f"/quizzes/{ward['quiz_id']}/start", data={"token": "x"}).status_code == 404


def test_a_closed_quiz_cannot_be_started(app, client, auth, ward) -> None:
    with app.app_context():
        quiz = create_quiz(
            "Closed",
            {"per_topic": {"routes/intravenous": 2}},
            close_at=utcnow() - timedelta(hours=1),
        )
        assign_quiz(quiz.id, ward["unit_id"])
        quiz_id = quiz.id
    auth.login("member@ward.example", PASSWORD)
    assert b"This quiz has closed." in client.get(f"/quizzes/{quiz_id}").data
    response = client.post(f"/quizzes/{quiz_id}/start", data={"token": "t"})
    assert "has closed" in client.get(response.headers["Location"]).data.decode()


def _expire(app, attempt_id: int) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        # past the deadline and its grace (answers arriving within the grace still count)
        grace = app.config["DEADLINE_GRACE_SECONDS"]
        attempt.deadline_at = utcnow() - timedelta(seconds=1 + grace)
        db.session.commit()


def test_after_the_deadline_no_answer_is_accepted_and_saved_answers_are_scored(
    app, client, auth, ward
) -> None:
    auth.login("member@ward.example", PASSWORD)
    attempt_id = _start(client, ward["quiz_id"])
    answer(client, app, attempt_id, 1, correct=True)
    answer(client, app, attempt_id, 2, correct=True)
    page = client.get(f"/attempts/{attempt_id}/q/3")
    _expire(app, attempt_id)
    assert b"Time is up" in client.get(f"/attempts/{attempt_id}/q/3").data
    late = client.post(
        f"/attempts/{attempt_id}/q/3", data={"answer": "a", "seq": seq_of(page.data)}
    )
    assert late.headers["Location"].endswith("/result")
    result = client.get(late.headers["Location"]).data.decode()
    assert "Time is up" in result and "submitted with the answers you had saved" in result
    assert "50%" in result and "Not passed" in result
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.status is AttemptStatus.SUBMITTED and attempt.auto_submitted
        assert attempt.score == 2.0 and attempt.max_score == 4.0
        assert len(db.session.scalars(select(Response)).all()) == 2
        assert db.session.scalar(select(TopicScore.answered)) == 2


def test_close_overdue_command_submits_timed_out_attempts(app, client, auth, ward) -> None:
    auth.login("member@ward.example", PASSWORD)
    attempt_id = _start(client, ward["quiz_id"])
    answer(client, app, attempt_id, 1, correct=True)
    runner = app.test_cli_runner()
    assert (
        "Submitted 0 overdue attempt(s)."
        in runner.invoke(args=["attempts", "close-overdue"]).output
    )
    _expire(app, attempt_id)
    assert (
        "Submitted 1 overdue attempt(s)."
        in runner.invoke(args=["attempts", "close-overdue"]).output
    )
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.status is AttemptStatus.SUBMITTED and attempt.score == 1.0


def test_another_trainees_attempt_is_404_whatever_the_method(app, client, auth, tmp_path) -> None:
    load_small_bank(app, tmp_path)
    trainee(app, "owner@ward.example")
    trainee(app, "other@ward.example")
    auth.login("owner@ward.example", PASSWORD)
    attempt_id = start_practice(client, [topic_id(app, "routes/intravenous")])
    auth.logout()
    auth.login("other@ward.example", PASSWORD)
    base = f"/attempts/{attempt_id}"
    for path in (base, f"{base}/q/1", f"{base}/review", f"{base}/result"):
        assert client.get(path).status_code == 404, path
    for path in (f"{base}/q/1", f"{base}/submit"):
        assert client.post(path, data={"answer": "a", "seq": "0"}).status_code == 404, path
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).status is AttemptStatus.IN_PROGRESS
        assert db.session.scalars(select(Response)).all() == []


def test_source_reader_shows_key_points_and_erratum(app, client, auth, tmp_path) -> None:
    load_small_bank(app, tmp_path)
    trainee(app)
    auth.login("nurse@ward.example", PASSWORD)
    page = client.get("/sources/infusion-therapy-2023/types/epidural").data.decode()
    assert "Epidural therapy and its uses" in page
    assert "Key points" in page and "Erratum" in page and "not into a vein" in page
    assert client.get("/sources/infusion-therapy-2023/nowhere").status_code == 404
    assert b"Complications of IV therapy" in client.get("/sources/").data


def test_pages_need_sign_in_and_the_trainee_role(app, client, auth) -> None:
    assert client.get("/me").status_code == 302
    assert client.get("/sources/").status_code == 302
    with app.app_context():
        UserFactory(email="boss@ward.example", role="manager")
    auth.login("boss@ward.example", PASSWORD)
    assert client.get("/me").status_code == 403
    assert client.get("/practice").status_code == 403
