"""The guards of answering and submitting, each tested on its own so that removing it fails a
test on SQLite as well as PostgreSQL: the `seq` condition of the guarded UPDATE (with another
writer landing between the read and the UPDATE), the tutor-mode "already answered" check and
the stale-page check of a submit.

The quiz is the small bank's t-single (choice "b" right, "a" and "c" wrong) then t-true-false
(the answer is "false"), in that order, so expected marks are written out here."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from quizapp.extensions import db
from quizapp.models import Attempt, AttemptItem, AttemptStatus, Response, User
from quizapp.services import attempt_builder, attempts
from quizapp.services.errors import StalePage
from quizapp.services.quizzes import assign_quiz, create_quiz
from tests.factories import MembershipFactory, UnitFactory, UserFactory
from tests.integration.quiz_helpers import load_small_bank, seq_of


def _attempt(app, tmp_path, mode: str) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """(user id, attempt id) of a fresh attempt at the two-question quiz."""
    load_small_bank(app, tmp_path)
    with app.app_context():
        unit = UnitFactory()
        user = UserFactory(email="guard@ward.example")
        MembershipFactory(unit=unit, user=user)
        quiz = create_quiz("Guards", {"fixed": ["t-single", "t-true-false"]}, mode=mode)
        assign_quiz(quiz.id, unit.id)
        attempt = attempt_builder.start_assigned(user, quiz.id)
        return user.id, attempt.id


def _responses(attempt_id: int) -> list[tuple[int, float]]:
    """(position, mark) of each saved answer of the attempt."""
    rows = db.session.execute(
        select(AttemptItem.position, Response.mark)
        .join(Response, Response.item_id == AttemptItem.id)
        .where(AttemptItem.attempt_id == attempt_id)
        .order_by(AttemptItem.position)
    )
    return [tuple(r) for r in rows]  # type: ignore[misc]


def test_the_seq_guard_of_the_update_refuses_a_write_that_landed_after_the_read(
    app, tmp_path, monkeypatch
) -> None:
    """Another answer commits between save_answer's read of `seq` and its UPDATE (what READ
    COMMITTED allows on PostgreSQL). On SQLite the write lock is held from the read on, so the
    interleaving is made inside the transaction: the UPDATE itself must see the new seq."""
    user_id, attempt_id = _attempt(app, tmp_path, "exam")
    real_parse = attempts.parse_response
    interleaved = []

    def parse_then_someone_else_answers(*args, **kwargs):  # type: ignore[no-untyped-def]
        db.session.execute(
            update(Attempt)
            .where(Attempt.id == attempt_id)
            .values(seq=Attempt.seq + 1)
            .execution_options(synchronize_session=False)
        )
        interleaved.append(True)
        return real_parse(*args, **kwargs)

    monkeypatch.setattr(attempts, "parse_response", parse_then_someone_else_answers)
    with app.app_context():
        user = db.session.get(User, user_id)
        with pytest.raises(StalePage, match="out of date"):
            attempts.save_answer(user, attempt_id, 1, 0, {"answer": ["b"]})
        assert interleaved == [True]
        db.session.remove()
        assert _responses(attempt_id) == []
        assert db.session.get(Attempt, attempt_id).seq == 0  # the whole write rolled back


def test_the_seq_guard_accepts_the_same_answer_without_interference(app, tmp_path) -> None:
    """The control for the test above: seq 0 is current, so the answer is saved and seq is 1."""
    user_id, attempt_id = _attempt(app, tmp_path, "exam")
    with app.app_context():
        saved = attempts.save_answer(
            db.session.get(User, user_id), attempt_id, 1, 0, {"answer": ["b"]}
        )
        assert saved.mark == 1.0
        db.session.remove()
        assert _responses(attempt_id) == [(1, 1.0)]
        assert db.session.get(Attempt, attempt_id).seq == 1


def test_tutor_mode_refuses_a_second_answer_sent_with_the_current_seq(app, tmp_path) -> None:
    """Tutor mode shows the right answer after the first one, so a second answer, even from an
    up-to-date page, must change nothing (an exam answer may be changed; see the next test)."""
    user_id, attempt_id = _attempt(app, tmp_path, "tutor")
    with app.app_context():
        user = db.session.get(User, user_id)
        assert attempts.save_answer(user, attempt_id, 1, 0, {"answer": ["a"]}).mark == 0.0
        with pytest.raises(StalePage, match="already answered"):
            attempts.save_answer(user, attempt_id, 1, 1, {"answer": ["b"]})
        db.session.remove()
        assert _responses(attempt_id) == [(1, 0.0)]
        assert db.session.get(Attempt, attempt_id).seq == 1


def test_exam_mode_takes_a_changed_answer_sent_with_the_current_seq(app, tmp_path) -> None:
    user_id, attempt_id = _attempt(app, tmp_path, "exam")
    with app.app_context():
        user = db.session.get(User, user_id)
        assert attempts.save_answer(user, attempt_id, 1, 0, {"answer": ["a"]}).mark == 0.0
        assert attempts.save_answer(user, attempt_id, 1, 1, {"answer": ["b"]}).mark == 1.0
        db.session.remove()
        assert _responses(attempt_id) == [(1, 1.0)]
        assert db.session.get(Attempt, attempt_id).seq == 2


def test_a_submit_from_a_stale_page_does_not_submit(app, client, auth, tmp_path) -> None:
    """The review page was loaded at seq 0; another tab then answered question 2. Submitting
    from the old review page must not close the attempt on answers the trainee has not seen."""
    user_id, attempt_id = _attempt(app, tmp_path, "exam")
    assert auth.login("guard@ward.example", "correct-horse-battery").status_code == 302
    old_review = client.get(f"/attempts/{attempt_id}/review")
    assert seq_of(old_review.data) == 0
    with app.app_context():
        attempts.save_answer(db.session.get(User, user_id), attempt_id, 2, 0, {"answer": ["false"]})
    response = client.post(f"/attempts/{attempt_id}/submit", data={"seq": "0", "confirm": "yes"})
    assert response.headers["Location"].endswith(f"/attempts/{attempt_id}/review")
    assert "out of date" in client.get(response.headers["Location"]).data.decode()
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.status is AttemptStatus.IN_PROGRESS
        assert attempt.score is None
        assert db.session.scalar(select(func.count()).select_from(Response)) == 1
    current = client.post(f"/attempts/{attempt_id}/submit", data={"seq": "1", "confirm": "yes"})
    assert current.headers["Location"].endswith(f"/attempts/{attempt_id}/result")
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.status is AttemptStatus.SUBMITTED
        assert (attempt.score, attempt.max_score) == (1.0, 2.0)
