"""The deadline is measured from when the request arrived, with a grace (5 s by default) for
time spent queued: the arrival is injected (the WSGI stamp in the environ, or a trusted
proxy's X-Request-Start), so no test sleeps. Answers that arrived after deadline + grace are
refused, and the attempt is submitted with what it had, as before."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from quizapp.arrival import ENVIRON_KEY
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptStatus, Response, utcnow
from quizapp.services.quizzes import assign_quiz, create_quiz
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, UnitFactory, UserFactory
from tests.integration.quiz_helpers import fields_for, item_at, load_small_bank, seq_of


@pytest.fixture
def exam(app, tmp_path, client, auth):  # type: ignore[no-untyped-def]
    load_small_bank(app, tmp_path)
    with app.app_context():
        unit = UnitFactory()
        user = UserFactory(email="late@ward.example")
        MembershipFactory(unit=unit, user=user)
        quiz = create_quiz(
            "Timed", {"per_topic": {"routes/intravenous": 2}}, mode="exam", time_limit_minutes=1
        )
        assign_quiz(quiz.id, unit.id)
        quiz_id = quiz.id
    auth.login("late@ward.example", DEFAULT_PASSWORD)
    page = client.get(f"/quizzes/{quiz_id}")
    token = page.data.decode().split('name="token" value="')[1].split('"')[0]
    started = client.post(f"/quizzes/{quiz_id}/start", data={"token": token})
    return int(started.headers["Location"].split("/attempts/")[1].split("/")[0])


def _deadline_passed(app, attempt_id: int, seconds_ago: float) -> datetime:  # type: ignore[no-untyped-def]
    """Move the deadline into the past; the request 'arrives' relative to it."""
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        attempt.deadline_at = utcnow() - timedelta(seconds=seconds_ago)
        db.session.commit()
        return attempt.deadline_at


def _post_answer(client, app, attempt_id: int, environ: dict, headers: dict | None = None):  # type: ignore[no-untyped-def]
    qtype, data = item_at(app, attempt_id, 1)
    with app.app_context():
        seq = db.session.get(Attempt, attempt_id).seq
    return client.post(
        f"/attempts/{attempt_id}/q/1",
        data={**fields_for(qtype, data, True), "seq": seq},
        environ_overrides=environ,
        headers=headers or {},
    )


def _state(app, attempt_id: int) -> tuple[AttemptStatus, int, bool]:  # type: ignore[no-untyped-def]
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        saved = db.session.scalars(select(Response).where(Response.attempt_id == attempt_id))
        return attempt.status, len(saved.all()), attempt.auto_submitted


def test_an_answer_handed_over_within_the_grace_after_a_queue_is_accepted(
    app, client, exam
) -> None:
    # sent just before the deadline, queued, handed to the app 3 s after it; worked on later
    deadline = _deadline_passed(app, exam, seconds_ago=60)
    arrived = (deadline + timedelta(seconds=3)).timestamp()
    reply = _post_answer(client, app, exam, {ENVIRON_KEY: arrived})
    assert reply.headers["Location"].endswith(f"/attempts/{exam}/q/2")
    assert _state(app, exam) == (AttemptStatus.IN_PROGRESS, 1, False)
    review = client.get(f"/attempts/{exam}/review")
    client.post(
        f"/attempts/{exam}/submit",
        data={"seq": seq_of(review.data), "confirm": "yes"},
        environ_overrides={ENVIRON_KEY: arrived},
    )
    assert _state(app, exam) == (AttemptStatus.SUBMITTED, 1, False)  # submitted, not timed out


def test_an_answer_arriving_after_the_grace_is_refused(app, client, exam) -> None:
    deadline = _deadline_passed(app, exam, seconds_ago=60)
    arrived = (deadline + timedelta(seconds=6)).timestamp()
    reply = _post_answer(client, app, exam, {ENVIRON_KEY: arrived})
    assert reply.headers["Location"].endswith("/result")
    assert "Time is up" in client.get(reply.headers["Location"]).data.decode()
    assert _state(app, exam) == (AttemptStatus.SUBMITTED, 0, True)


def test_a_trusted_proxy_stamp_counts_the_queue_at_the_app_server(app, client, exam) -> None:
    # nginx stamped it 1 s before the deadline; the app got it 20 s after (a long queue)
    app.config["TRUSTED_PROXIES"] = 1
    deadline = _deadline_passed(app, exam, seconds_ago=60)
    server = (deadline + timedelta(seconds=20)).timestamp()
    proxy = f"t={(deadline - timedelta(seconds=1)).timestamp():.3f}"
    reply = _post_answer(client, app, exam, {ENVIRON_KEY: server}, {"X-Request-Start": proxy})
    assert reply.headers["Location"].endswith(f"/attempts/{exam}/q/2")
    assert _state(app, exam) == (AttemptStatus.IN_PROGRESS, 1, False)


def test_the_header_is_ignored_without_a_trusted_proxy(app, client, exam) -> None:
    app.config["TRUSTED_PROXIES"] = 0  # no front proxy configured
    deadline = _deadline_passed(app, exam, seconds_ago=60)
    server = (deadline + timedelta(seconds=20)).timestamp()
    proxy = f"t={(deadline - timedelta(seconds=1)).timestamp():.3f}"
    reply = _post_answer(client, app, exam, {ENVIRON_KEY: server}, {"X-Request-Start": proxy})
    assert reply.headers["Location"].endswith("/result")
    assert _state(app, exam) == (AttemptStatus.SUBMITTED, 0, True)


def test_close_overdue_leaves_attempts_within_the_grace(app, exam) -> None:
    _deadline_passed(app, exam, seconds_ago=2)
    runner = app.test_cli_runner()
    assert "Submitted 0 overdue" in runner.invoke(args=["attempts", "close-overdue"]).output
    _deadline_passed(app, exam, seconds_ago=6)
    assert "Submitted 1 overdue" in runner.invoke(args=["attempts", "close-overdue"]).output
