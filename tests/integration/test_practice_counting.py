"""Issue 16: tutor practice counts each checked answer at once (and never again at the end);
"End practice"; discarding unfinished practice; stale practice closing itself."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from quizapp.database import unit_of_work
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptStatus, Response, TopicScore
from quizapp.services import attempts
from quizapp.services.quizzes import assign_quiz, create_quiz
from quizapp.services.topic_scores import record_attempt
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, UnitFactory, UserFactory
from tests.integration.quiz_helpers import (
    answer,
    fields_for,
    item_at,
    load_small_bank,
    seq_of,
    signed_in_trainee,
    start_practice,
)


@pytest.fixture
def signed_in(app, client, auth, tmp_path):  # type: ignore[no-untyped-def]
    return signed_in_trainee(app, auth, tmp_path)


def _record(app, user_id: int):  # type: ignore[no-untyped-def]
    with app.app_context():
        row = db.session.scalar(select(TopicScore).where(TopicScore.user_id == user_id))
        return None if row is None else (row.answered, row.marks, list(row.recent))


def _answers_on_home(client) -> int:  # type: ignore[no-untyped-def]
    page = client.get("/me").data.decode()
    match = re.search(r"Intravenous route</a>\s*<span class=\"sub\">(\d+) answers", page)
    assert match, page
    return int(match.group(1))


def _end(client, attempt_id: int):  # type: ignore[no-untyped-def]
    page = client.get(f"/attempts/{attempt_id}/review")
    return client.post(
        f"/attempts/{attempt_id}/submit", data={"seq": seq_of(page.data), "confirm": "yes"}
    )


def _status(app, attempt_id: int) -> AttemptStatus:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.get(Attempt, attempt_id).status


def test_each_checked_tutor_answer_counts_at_once_and_ending_counts_none_again(
    app, client, signed_in
) -> None:
    user_id, iv = signed_in
    attempt_id = start_practice(client, [iv], length=5, mode="tutor")
    marks = []
    for position, correct in enumerate([True, False, True], start=1):
        answer(client, app, attempt_id, position, correct=correct)
        marks.append(1.0 if correct else 0.0)
        assert _answers_on_home(client) == position
        assert _record(app, user_id) == (position, sum(marks), marks)
    assert _status(app, attempt_id) is AttemptStatus.IN_PROGRESS
    done = _end(client, attempt_id)
    assert done.headers["Location"].endswith(f"/attempts/{attempt_id}/result")
    assert _record(app, user_id) == (3, 2.0, [1.0, 0.0, 1.0])  # not counted twice
    assert _answers_on_home(client) == 3
    result = client.get(done.headers["Location"]).data.decode()
    assert "By topic" in result
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.status is AttemptStatus.SUBMITTED
        assert (attempt.score, attempt.max_score) == (2.0, 5.0)


def test_exam_practice_still_counts_at_submission(app, client, signed_in) -> None:
    user_id, iv = signed_in
    attempt_id = start_practice(client, [iv], length=5, mode="exam")
    for position in (1, 2):
        answer(client, app, attempt_id, position, correct=True)
    assert _record(app, user_id) is None and _answers_on_home(client) == 0
    _end(client, attempt_id)
    assert _record(app, user_id) == (2, 2.0, [1.0, 1.0])


def test_an_assigned_tutor_quiz_still_counts_at_submission(app, client, auth, tmp_path) -> None:
    load_small_bank(app, tmp_path)
    with app.app_context():
        unit = UnitFactory()
        user = UserFactory(email="nurse@ward.example")
        MembershipFactory(unit=unit, user=user)
        user_id, email = user.id, user.email
        quiz = create_quiz("Tutor quiz", {"per_topic": {"routes/intravenous": 3}}, mode="tutor")
        assign_quiz(quiz.id, unit.id)
        quiz_id = quiz.id
    auth.login(email, DEFAULT_PASSWORD)
    page = client.get(f"/quizzes/{quiz_id}").data.decode()
    token = page.split('name="token" value="')[1].split('"')[0]
    started = client.post(f"/quizzes/{quiz_id}/start", data={"token": token})
    attempt_id = int(started.headers["Location"].split("/attempts/")[1].split("/")[0])
    answer(client, app, attempt_id, 1, correct=True)
    assert _record(app, user_id) is None
    question = client.get(f"/attempts/{attempt_id}/q/1").data.decode()
    assert "End practice" not in question and "Discard" not in question
    review = client.get(f"/attempts/{attempt_id}/review").data.decode()
    assert "Submit my answers" in review and "End practice" not in review
    _end(client, attempt_id)
    assert _record(app, user_id) == (1, 1.0, [1.0])


def test_the_answer_and_its_count_are_one_transaction(app, client, signed_in, monkeypatch) -> None:
    """If counting fails, the answer (already inserted) is rolled back with it."""
    _, iv = signed_in
    attempt_id = start_practice(client, [iv], length=5, mode="tutor")

    def broken(*_args: object) -> None:
        with app.app_context():
            db.session.flush()  # the answer's INSERT has run in this transaction
        raise RuntimeError("topic records unavailable")

    monkeypatch.setattr(attempts, "record_attempt", broken)
    with pytest.raises(RuntimeError):
        answer(client, app, attempt_id, 1, correct=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Response)) == 0
        assert db.session.get(Attempt, attempt_id).seq == 0


def test_record_attempt_refuses_to_run_outside_a_unit_of_work(app, signed_in) -> None:
    user_id, iv = signed_in
    with app.app_context():
        with pytest.raises(RuntimeError, match="unit_of_work"):
            record_attempt(user_id, [(iv, 1.0)])
        with unit_of_work():
            record_attempt(user_id, [(iv, 1.0)])
    assert _record(app, user_id) == (1, 1.0, [1.0])


def test_end_practice_labels_only_on_tutor_practice(app, client, signed_in) -> None:
    _, iv = signed_in
    tutor = start_practice(client, [iv], length=5, mode="tutor")
    page = client.get(f"/attempts/{tutor}/q/1").data.decode()
    assert "End practice" in page and "Discard this practice" in page
    review = client.get(f"/attempts/{tutor}/review").data.decode()
    assert "End practice" in review and "Submit my answers" not in review
    exam = start_practice(client, [iv], length=5, mode="exam")
    page = client.get(f"/attempts/{exam}/q/1").data.decode()
    assert "End practice" not in page and "Discard this practice" in page
    review = client.get(f"/attempts/{exam}/review").data.decode()
    assert "Submit my answers" in review and "End practice" not in review


def test_ending_from_the_question_page(app, client, signed_in) -> None:
    user_id, iv = signed_in
    attempt_id = start_practice(client, [iv], length=5, mode="tutor")
    checked = client.get(answer(client, app, attempt_id, 1).headers["Location"])
    done = client.post(
        f"/attempts/{attempt_id}/submit", data={"seq": seq_of(checked.data), "confirm": "yes"}
    )
    assert done.headers["Location"].endswith("/result")
    assert _status(app, attempt_id) is AttemptStatus.SUBMITTED
    assert _record(app, user_id) == (1, 1.0, [1.0])


def test_a_tutor_answer_costs_a_fixed_few_statements_more_than_an_exam_answer(
    app, client, signed_in
) -> None:
    """The hot path stays lean: the per-answer count adds one upsert, one locked read and one
    update, whatever the trainee's history."""
    from tests.integration.test_manager_dashboard import count_queries

    _, iv = signed_in

    def cost(attempt_id: int, position: int) -> int:
        page = client.get(f"/attempts/{attempt_id}/q/{position}")
        qtype, data = item_at(app, attempt_id, position)
        fields = {**fields_for(qtype, data, True), "seq": seq_of(page.data)}
        with count_queries(app) as counter:
            assert (
                client.post(f"/attempts/{attempt_id}/q/{position}", data=fields).status_code == 302
            )
        return counter["n"]

    exam = start_practice(client, [iv], length=5, mode="exam")
    exam_cost = cost(exam, 1)
    tutor = start_practice(client, [iv], length=5, mode="tutor")
    costs = [cost(tutor, p) for p in range(1, 6)]
    assert len(set(costs)) == 1, costs
    assert costs[0] <= exam_cost + 3, (costs, exam_cost)
