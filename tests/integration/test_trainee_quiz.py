"""The trainee's quiz flows through the test client: practice in tutor and exam mode, resume,
stale pages and double posts, and per-topic scores."""

from __future__ import annotations

import random

from sqlalchemy import func, select

from quizapp.domain.mastery import MINIMUM_ANSWERS, THRESHOLD, WINDOW
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptItem, AttemptStatus, Response, TopicScore
from tests.integration.quiz_helpers import (
    answer,
    assert_prefilled,
    fields_for,
    item_at,
    latest_attempt,
    load_small_bank,
    seq_of,
    start_practice,
    topic_id,
    trainee,
)
from tests.integration.snapshot import snapshot


def _signed_in(app, client, auth, tmp_path):  # type: ignore[no-untyped-def]
    load_small_bank(app, tmp_path)
    user_id, email, password = trainee(app)
    assert auth.login(email, password).status_code == 302
    return user_id, topic_id(app, "routes/intravenous")


def test_tutor_practice_gives_feedback_after_each_answer(app, client, auth, tmp_path) -> None:
    user_id, iv = _signed_in(app, client, auth, tmp_path)
    attempt_id = start_practice(client, [iv], length=5, mode="tutor")
    for position in range(1, 6):
        correct = position != 2
        response = answer(client, app, attempt_id, position, correct=correct)
        assert response.status_code == 302
        page = client.get(response.headers["Location"]).data.decode()
        assert ("Correct." if correct else "Not correct.") in page
        assert "Why:" in page and "/sources/infusion-therapy-2023/" in page
        assert "Correct answer" in page
        assert f"Question {position} of 5" in page
    review = client.get(f"/attempts/{attempt_id}/review")
    done = client.post(
        f"/attempts/{attempt_id}/submit", data={"seq": seq_of(review.data), "confirm": "yes"}
    )
    assert done.headers["Location"].endswith(f"/attempts/{attempt_id}/result")
    result = client.get(done.headers["Location"]).data.decode()
    assert "80%" in result and "By topic" in result and "Intravenous route" in result
    attempt = latest_attempt(app, user_id)
    assert attempt.status is AttemptStatus.SUBMITTED
    assert (attempt.score, attempt.max_score) == (4.0, 5.0)


def test_exam_mode_holds_feedback_until_the_end(app, client, auth, tmp_path) -> None:
    _, iv = _signed_in(app, client, auth, tmp_path)
    attempt_id = start_practice(client, [iv], length=5, mode="exam")
    for position in range(1, 6):
        response = answer(client, app, attempt_id, position, correct=True)
        nxt = response.headers["Location"]
        expected = f"/q/{position + 1}" if position < 5 else "/review"
        assert nxt.endswith(expected)
        page = client.get(nxt).data.decode()
        assert "Why:" not in page and "Correct answer" not in page
    review = client.get(f"/attempts/{attempt_id}/review")
    assert b"5 of 5 questions answered" in review.data
    client.post(
        f"/attempts/{attempt_id}/submit", data={"seq": seq_of(review.data), "confirm": "yes"}
    )
    result = client.get(f"/attempts/{attempt_id}/result").data.decode()
    assert "100%" in result and result.count("Why:") == 5


def test_an_exam_answer_can_be_changed_before_submitting(app, client, auth, tmp_path) -> None:
    _user_id, iv = _signed_in(app, client, auth, tmp_path)
    attempt_id = start_practice(client, [iv], length=5, mode="exam")
    answer(client, app, attempt_id, 1, correct=False)
    answer(client, app, attempt_id, 1, correct=True)
    with app.app_context():
        marks = db.session.scalars(
            select(Response.mark).where(Response.attempt_id == attempt_id)
        ).all()
    assert marks == [1.0]


def test_leave_and_resume_where_i_was(app, client, auth, tmp_path) -> None:
    _user_id, iv = _signed_in(app, client, auth, tmp_path)
    attempt_id = start_practice(client, [iv], length=5, mode="exam")
    answer(client, app, attempt_id, 1)
    answer(client, app, attempt_id, 2)
    auth.logout()
    assert client.get(f"/attempts/{attempt_id}").status_code == 302  # to sign in
    auth.login("nurse@ward.example", "correct-horse-battery")
    home = client.get("/me").data.decode()
    assert f"/attempts/{attempt_id}" in home and "in progress" in home
    resumed = client.get(f"/attempts/{attempt_id}")
    assert resumed.headers["Location"].endswith(f"/attempts/{attempt_id}/q/3")
    for position in (1, 2):
        page = client.get(f"/attempts/{attempt_id}/q/{position}").data.decode()
        qtype, data = item_at(app, attempt_id, position)
        assert_prefilled(page, qtype, fields_for(qtype, data, True))


def test_a_stale_page_is_refused_and_changes_nothing(app, client, auth, tmp_path) -> None:
    _, iv = _signed_in(app, client, auth, tmp_path)
    attempt_id = start_practice(client, [iv], length=5, mode="exam")
    old_page = client.get(f"/attempts/{attempt_id}/q/2")
    answer(client, app, attempt_id, 1)  # another tab moves the attempt on
    with app.app_context():
        before = snapshot()
    qtype, data = item_at(app, attempt_id, 2)
    stale = client.post(
        f"/attempts/{attempt_id}/q/2",
        data={**fields_for(qtype, data, True), "seq": seq_of(old_page.data)},
    )
    assert stale.status_code == 302
    assert stale.headers["Location"].endswith(f"/attempts/{attempt_id}/q/2")
    message = client.get(stale.headers["Location"]).data.decode()
    assert "out of date" in message and "nothing was changed" in message
    with app.app_context():
        assert snapshot() == before


def test_a_double_submission_of_an_answer_counts_once(app, client, auth, tmp_path) -> None:
    _, iv = _signed_in(app, client, auth, tmp_path)
    attempt_id = start_practice(client, [iv], length=5, mode="tutor")
    page = client.get(f"/attempts/{attempt_id}/q/1")
    qtype, data = item_at(app, attempt_id, 1)
    form = {**fields_for(qtype, data, True), "seq": seq_of(page.data)}
    first = client.post(f"/attempts/{attempt_id}/q/1", data=form)
    with app.app_context():
        before = snapshot()
    second = client.post(f"/attempts/{attempt_id}/q/1", data=form)
    assert first.status_code == second.status_code == 302
    assert "nothing was changed" in client.get(second.headers["Location"]).data.decode()
    with app.app_context():
        assert snapshot() == before
        assert db.session.scalar(select(func.count()).select_from(Response)) == 1
        assert db.session.get(Attempt, attempt_id).seq == 1


def test_a_double_submit_of_the_attempt_scores_it_once(app, client, auth, tmp_path) -> None:
    _user_id, iv = _signed_in(app, client, auth, tmp_path)
    attempt_id = start_practice(client, [iv], length=5, mode="exam")
    answer(client, app, attempt_id, 1)
    review = client.get(f"/attempts/{attempt_id}/review")
    form = {"seq": seq_of(review.data), "confirm": "yes"}
    client.post(f"/attempts/{attempt_id}/submit", data=form)
    with app.app_context():
        before = snapshot()
    again = client.post(f"/attempts/{attempt_id}/submit", data=form)
    assert again.headers["Location"].endswith("/result")
    assert "already submitted" in client.get(again.headers["Location"]).data.decode()
    with app.app_context():
        assert snapshot() == before
        assert db.session.scalar(select(TopicScore.answered)) == 1


def test_a_closed_attempt_refuses_answers_politely(app, client, auth, tmp_path) -> None:
    _, iv = _signed_in(app, client, auth, tmp_path)
    attempt_id = start_practice(client, [iv], length=5, mode="exam")
    page = client.get(f"/attempts/{attempt_id}/q/2")
    client.post(f"/attempts/{attempt_id}/submit", data={"seq": seq_of(page.data), "confirm": "yes"})
    late = client.post(f"/attempts/{attempt_id}/q/2", data={"answer": "a", "seq": "0"})
    assert late.headers["Location"].endswith("/result")
    assert "takes no more answers" in client.get(late.headers["Location"]).data.decode()


def test_an_empty_answer_re_renders_with_a_message_and_saves_nothing(
    app, client, auth, tmp_path
) -> None:
    _, iv = _signed_in(app, client, auth, tmp_path)
    attempt_id = start_practice(client, [iv], length=5, mode="exam")
    page = client.get(f"/attempts/{attempt_id}/q/1")
    response = client.post(f"/attempts/{attempt_id}/q/1", data={"seq": seq_of(page.data)})
    assert response.status_code == 422
    text = response.data.decode()
    assert 'role="alert"' in text
    assert any(
        m in text
        for m in (
            "Choose one answer",
            "Select at least one",
            "Type an answer",
            "Choose true or false",
            "Choose a match",
        )
    )
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Response)) == 0


def test_practice_form_errors_are_shown_beside_their_fields(app, client, auth, tmp_path) -> None:
    _signed_in(app, client, auth, tmp_path)
    response = client.post("/practice", data={"length": 99, "mode": "tutor"})
    text = response.data.decode()
    assert response.status_code == 200
    assert "Choose at least one topic." in text and "Choose from 1 to 50." in text


def test_topic_scores_and_mastery_after_two_attempts_equal_the_raw_answers(
    app, client, auth
) -> None:
    runner = app.test_cli_runner()
    assert runner.invoke(args=["bank", "load"]).exit_code == 0
    user_id, email, password = trainee(app)
    auth.login(email, password)
    topics = [topic_id(app, "routes/intravenous"), topic_id(app, "complications/epidural")]
    rng = random.Random(7)
    for length in (20, 12):
        attempt_id = start_practice(client, topics, length=length, mode="exam")
        with app.app_context():  # exclusion groups may leave fewer questions than asked for
            count = db.session.scalar(
                select(func.count()).where(AttemptItem.attempt_id == attempt_id)
            )
        assert 5 <= count <= length
        for position in range(1, count + 1):
            if position % 7 == 0:
                continue  # left unanswered
            answer(client, app, attempt_id, position, correct=rng.random() < 0.85)
        review = client.get(f"/attempts/{attempt_id}/review")
        client.post(
            f"/attempts/{attempt_id}/submit", data={"seq": seq_of(review.data), "confirm": "yes"}
        )

    with app.app_context():
        raw = db.session.execute(
            select(AttemptItem.topic_id, Response.mark)
            .join(Response, Response.item_id == AttemptItem.id)
            .join(Attempt, Attempt.id == AttemptItem.attempt_id)
            .where(Attempt.user_id == user_id)
            .order_by(Attempt.number, AttemptItem.position)
        ).all()
        expected: dict[int, list[float]] = {}
        for topic, mark in raw:
            expected.setdefault(topic, []).append(mark)
        records = {
            r.topic_id: r
            for r in db.session.scalars(select(TopicScore).where(TopicScore.user_id == user_id))
        }
        assert set(records) == set(expected)
        for topic, marks in expected.items():
            record = records[topic]
            recent = marks[-WINDOW:]
            assert record.answered == len(marks)
            assert abs(record.marks - sum(marks)) < 1e-9
            assert record.recent == recent
            assert abs(record.recent_score - 100 * sum(recent) / len(recent)) < 1e-9
            mastered = (
                len(recent) >= MINIMUM_ANSWERS and 100 * sum(recent) / len(recent) >= THRESHOLD
            )
            assert record.mastered is mastered
    home = client.get("/me").data.decode()
    assert "Mastered: 80% or more over your last 20 answers" in home
