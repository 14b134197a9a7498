""" "Practise the ones I got wrong" (from a result and from a topic), and practice of any length
from 1 that says when it gave fewer questions than asked."""

from __future__ import annotations

import re

from sqlalchemy import select, update

from quizapp.extensions import db
from quizapp.models import (
    Attempt,
    QuestionEntry,
    QuestionStatus,
    User,
)
from quizapp.services import attempt_builder
from quizapp.services.item_pools import set_question_exam_only
from quizapp.services.quizzes import assign_quiz, create_quiz
from tests.factories import MembershipFactory, UnitFactory
from tests.integration.quiz_helpers import (
    answer,
    attempt_uids,
    item_at,
    load_small_bank,
    seq_of,
    start_practice,
    topic_id,
    trainee,
)

TOKEN = re.compile(r'name="token" value="([^"]+)"')


def _signed_in(app, client, auth, tmp_path, email: str = "nurse@ward.example") -> int:  # type: ignore[no-untyped-def]
    load_small_bank(app, tmp_path)
    user_id, email, password = trainee(app, email)
    auth.login(email, password)
    return user_id


def _finish(client, attempt_id: int) -> None:  # type: ignore[no-untyped-def]
    seq = seq_of(client.get(f"/attempts/{attempt_id}/confirm").data)
    done = client.post(f"/attempts/{attempt_id}/submit", data={"seq": seq, "confirm": "yes"})
    assert done.headers["Location"].endswith("/result")


def _exam_with_wrong(app, client, wrong: set[int], skipped: set[int] = frozenset()) -> int:  # type: ignore[no-untyped-def,assignment]
    """An exam practice of the six questions, answered wrongly at `wrong`, left blank at
    `skipped`, rightly elsewhere, and submitted."""
    attempt_id = start_practice(client, [topic_id(app, "routes/intravenous")], 6, "exam")
    for position in range(1, 7):
        if position not in skipped:
            answer(client, app, attempt_id, position, correct=position not in wrong)
    _finish(client, attempt_id)
    return attempt_id


def _retry(client, attempt_id: int):  # type: ignore[no-untyped-def]
    result = client.get(f"/attempts/{attempt_id}/result").data.decode()
    token = TOKEN.search(result)
    assert token, "no retry form on the result page"
    return client.post(f"/attempts/{attempt_id}/retry", data={"token": token.group(1)})


def test_a_retry_asks_exactly_the_questions_not_right_in_tutor_mode(
    app, client, auth, tmp_path
) -> None:
    _signed_in(app, client, auth, tmp_path)
    source = _exam_with_wrong(app, client, wrong={2, 5}, skipped={4})
    result = client.get(f"/attempts/{source}/result").data.decode()
    assert "Practise the ones I got wrong (3)" in result
    started = _retry(client, source)
    new_id = int(re.search(r"/attempts/(\d+)/q/1", started.headers["Location"]).group(1))
    uids = attempt_uids(app, source)
    assert attempt_uids(app, new_id) == [uids[1], uids[3], uids[4]]  # the source's order
    with app.app_context():
        attempt = db.session.get(Attempt, new_id)
        assert (attempt.kind, attempt.mode, attempt.settings["retry_of"]) == (
            "practice",
            "tutor",
            source,
        )
    page = client.get(started.headers["Location"]).data.decode()
    assert "This practice has the 3 questions to retry." in page


def test_a_double_click_on_retry_starts_one_attempt(app, client, auth, tmp_path) -> None:
    user_id = _signed_in(app, client, auth, tmp_path)
    source = _exam_with_wrong(app, client, wrong={1})
    token = TOKEN.search(client.get(f"/attempts/{source}/result").data.decode()).group(1)
    first = client.post(f"/attempts/{source}/retry", data={"token": token})
    second = client.post(f"/attempts/{source}/retry", data={"token": token})
    assert first.headers["Location"] == second.headers["Location"]
    with app.app_context():
        assert len(db.session.scalars(select(Attempt).where(Attempt.user_id == user_id)).all()) == 2


def test_a_retired_question_is_left_out_and_said_so(app, client, auth, tmp_path) -> None:
    _signed_in(app, client, auth, tmp_path)
    source = _exam_with_wrong(app, client, wrong={1, 2})
    retired = attempt_uids(app, source)[0]
    with app.app_context():
        db.session.execute(
            update(QuestionEntry)
            .where(QuestionEntry.uid == retired)
            .values(status=QuestionStatus.RETIRED)
        )
        db.session.commit()
    started = _retry(client, source)
    new_id = int(re.search(r"/attempts/(\d+)/q/1", started.headers["Location"]).group(1))
    assert attempt_uids(app, new_id) == [attempt_uids(app, source)[1]]
    page = client.get(started.headers["Location"]).data.decode()
    assert "This practice has 1 to retry; left out: 1 retired since." in page


def test_nothing_wrong_means_no_retry_offered_and_none_started(app, client, auth, tmp_path) -> None:
    user_id = _signed_in(app, client, auth, tmp_path)
    source = _exam_with_wrong(app, client, wrong=set())
    assert "Practise the ones I got wrong" not in (
        client.get(f"/attempts/{source}/result").data.decode()
    )
    refused = client.post(f"/attempts/{source}/retry", data={"token": "t1"})
    assert refused.headers["Location"].endswith(f"/attempts/{source}/result")
    assert "There is nothing to practise" in client.get(refused.headers["Location"]).data.decode()
    with app.app_context():
        assert len(db.session.scalars(select(Attempt).where(Attempt.user_id == user_id)).all()) == 1


def test_retry_of_an_attempt_in_progress_or_of_another_trainee_is_refused(
    app, client, auth, tmp_path
) -> None:
    _signed_in(app, client, auth, tmp_path, "owner@ward.example")
    open_id = start_practice(client, [topic_id(app, "routes/intravenous")], 6, "exam")
    answer(client, app, open_id, 1, correct=False)
    refused = client.post(f"/attempts/{open_id}/retry", data={"token": "t2"})
    assert refused.headers["Location"].endswith(f"/attempts/{open_id}/result")
    assert (
        "Finish this attempt first"
        in client.get(refused.headers["Location"], follow_redirects=True).data.decode()
    )
    _finish(client, open_id)
    auth.logout()
    _, email, password = trainee(app, "other@ward.example")
    auth.login(email, password)
    assert client.post(f"/attempts/{open_id}/retry", data={"token": "t3"}).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(Attempt).where(Attempt.start_token == "t3")) is None


def _quiz_attempt(app, user_id: int, **settings):  # type: ignore[no-untyped-def]
    """An assigned quiz of the six questions; an attempt started (answered by the caller)."""
    with app.app_context():
        user = db.session.get(User, user_id)
        unit = UnitFactory()
        MembershipFactory(unit=unit, user=user)
        quiz = create_quiz("Quiz", {"per_topic": {"routes/intravenous": 6}}, **settings)
        assign_quiz(quiz.id, unit.id)
        attempt = attempt_builder.start_assigned(db.session.get(User, user_id), quiz.id)
        return attempt.id


def test_no_retry_where_the_answers_are_hidden(app, client, auth, tmp_path) -> None:
    user_id = _signed_in(app, client, auth, tmp_path)
    attempt_id = _quiz_attempt(app, user_id, review_when="never")
    answer(client, app, attempt_id, 1, correct=False)
    _finish(client, attempt_id)
    result = client.get(f"/attempts/{attempt_id}/result").data.decode()
    assert "Practise the ones I got wrong" not in result
    refused = client.post(f"/attempts/{attempt_id}/retry", data={"token": "t4"})
    assert refused.headers["Location"].endswith("/result")
    assert (
        "are not shown now, so it offers no retry"
        in client.get(refused.headers["Location"]).data.decode()
    )


def test_a_retry_leaves_out_questions_kept_for_quizzes(app, client, auth, tmp_path) -> None:
    user_id = _signed_in(app, client, auth, tmp_path)
    source = _exam_with_wrong(app, client, wrong={1, 2, 3})
    kept = attempt_uids(app, source)[0]
    with app.app_context():
        entry = db.session.scalar(select(QuestionEntry).where(QuestionEntry.uid == kept))
        set_question_exam_only(entry.id, True, None)
    started = _retry(client, source)
    new_id = int(re.search(r"/attempts/(\d+)/q/1", started.headers["Location"]).group(1))
    assert attempt_uids(app, new_id) == attempt_uids(app, source)[1:3]
    page = client.get(started.headers["Location"]).data.decode()
    assert "left out: 1 kept for quizzes or in a quiz you have open." in page
    # with a quiz open that asks these questions, the practice's answers are hidden: no retry
    _quiz_attempt(app, user_id)
    assert "Practise the ones I got wrong" not in (
        client.get(f"/attempts/{source}/result").data.decode()
    )
    refused = client.post(f"/attempts/{source}/retry", data={"token": "t5"})
    assert (
        "are not shown now, so it offers no retry"
        in client.get(refused.headers["Location"]).data.decode()
    )


def _topic_retry(client, app):  # type: ignore[no-untyped-def]
    home = client.get("/me").data.decode()
    iv = topic_id(app, "routes/intravenous")
    form = re.search(
        rf'action="/topics/{iv}/retry"[^>]*>.*?name="token" value="([^"]+)"', home, re.S
    )
    assert form, "no topic retry on the home page"
    return client.post(f"/topics/{iv}/retry", data={"token": form.group(1)})


def test_topic_retry_asks_the_questions_whose_latest_answer_was_wrong(
    app, client, auth, tmp_path
) -> None:
    _signed_in(app, client, auth, tmp_path)
    first = _exam_with_wrong(app, client, wrong={1, 2, 3})
    wrong_then = attempt_uids(app, first)[:3]
    # later, one of them answered right in a tutor practice of one (wrong ones come first)
    one = start_practice(client, [topic_id(app, "routes/intravenous")], 1, "tutor")
    fixed = attempt_uids(app, one)[0]
    assert fixed in wrong_then
    answer(client, app, one, 1, correct=True)
    # an exam practice still open does not give away its wrong answers
    open_exam = start_practice(client, [topic_id(app, "routes/intravenous")], 6, "exam")
    for position in range(1, 7):
        answer(client, app, open_exam, position, correct=False)
    client.post(f"/attempts/{open_exam}/submit", data={})  # not confirmed: stays open
    started = _topic_retry(client, app)
    new_id = int(re.search(r"/attempts/(\d+)/q/1", started.headers["Location"]).group(1))
    expected = {uid for uid in wrong_then if uid != fixed}
    assert set(attempt_uids(app, new_id)) == expected
    with app.app_context():
        assert db.session.get(Attempt, new_id).mode == "tutor"


def test_a_practice_of_one_question(app, client, auth, tmp_path) -> None:
    _signed_in(app, client, auth, tmp_path)
    attempt_id = start_practice(client, [topic_id(app, "routes/intravenous")], 1, "tutor")
    assert len(attempt_uids(app, attempt_id)) == 1
    assert item_at(app, attempt_id, 1)
    refused = client.post("/practice", data={"length": 0, "mode": "tutor"})
    assert "Choose from 1 to 50." in refused.data.decode()


def test_a_practice_says_when_it_gave_fewer_than_asked(app, client, auth, tmp_path) -> None:
    _signed_in(app, client, auth, tmp_path)
    attempt_id = start_practice(client, [topic_id(app, "routes/intravenous")], 20, "exam")
    page = client.get(f"/attempts/{attempt_id}/q/1").data.decode()
    assert "You asked for 20 questions; only 6 can be practised in those topics now" in page
    again = start_practice(client, [topic_id(app, "routes/intravenous")], 6, "exam")
    assert "You asked for" not in client.get(f"/attempts/{again}/q/1").data.decode()
