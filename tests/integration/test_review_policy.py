"""What a trainee's result page shows, by the quiz's review settings: "never" shows the score
only, "after_close" waits for the close date, "answers" shows the answers without the
explanations, "full" shows both.

The quiz is the small bank's t-single (answered "a", Intramuscular injection: wrong; the right
one is Intravenous infusion) and t-true-false (answered "false": right), so 1 of 2, 50%."""

from __future__ import annotations

from datetime import timedelta

import pytest

from quizapp.extensions import db
from quizapp.models import Quiz, User, utcnow
from quizapp.services import attempt_builder, attempts
from quizapp.services.quizzes import assign_quiz, create_quiz
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, UnitFactory, UserFactory
from tests.integration.quiz_helpers import load_small_bank

RIGHT_ANSWER = "Intravenous infusion"
RATIONALE = "Fluid given into a vein reaches the circulation at once"


def _result_page(app, client, tmp_path, **review) -> tuple[int, int, str]:  # type: ignore[no-untyped-def]
    """Take and submit the quiz with the given review settings; (quiz id, attempt id, page)."""
    load_small_bank(app, tmp_path)
    with app.app_context():
        unit = UnitFactory()
        user = UserFactory(email="review@ward.example")
        MembershipFactory(unit=unit, user=user)
        quiz = create_quiz("Review", {"fixed": ["t-single", "t-true-false"]}, **review)
        assign_quiz(quiz.id, unit.id)
        attempt = attempt_builder.start_assigned(user, quiz.id)
        attempt_id, quiz_id = attempt.id, quiz.id
        user = db.session.get(User, user.id)
        attempts.save_answer(user, attempt_id, 1, 0, {"answer": ["a"]})
        attempts.save_answer(user, attempt_id, 2, 1, {"answer": ["false"]})
        attempts.submit(user, attempt_id, 2)
    login = client.post(
        "/login", data={"email": "review@ward.example", "password": DEFAULT_PASSWORD}
    )
    assert login.status_code == 302
    page = client.get(f"/attempts/{attempt_id}/result")
    assert page.status_code == 200
    return quiz_id, attempt_id, page.data.decode()


def _shows_answers(html: str) -> bool:
    return "Correct answer" in html and RIGHT_ANSWER in html


def test_review_never_shows_the_score_only(app, client, tmp_path) -> None:
    _, _, html = _result_page(app, client, tmp_path, review_when="never", review_shows="full")
    assert "50%" in html
    assert "This quiz shows your score only." in html
    assert "Question by question" not in html
    assert not _shows_answers(html) and "Intramuscular injection" not in html
    assert RATIONALE not in html


def test_review_after_close_waits_for_the_close_date(app, client, tmp_path) -> None:
    quiz_id, attempt_id, html = _result_page(
        app, client, tmp_path, review_when="after_close", close_at=utcnow() + timedelta(days=3)
    )
    assert "50%" in html
    assert "Answers and explanations are shown after the quiz closes." in html
    assert not _shows_answers(html) and RATIONALE not in html
    with app.app_context():
        db.session.get(Quiz, quiz_id).close_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    after = client.get(f"/attempts/{attempt_id}/result").data.decode()
    assert _shows_answers(after) and RATIONALE in after


@pytest.mark.parametrize(
    ("shows", "answers", "rationale"), [("answers", True, False), ("full", True, True)]
)
def test_review_immediately_shows_what_the_quiz_allows(
    app, client, tmp_path, shows: str, answers: bool, rationale: bool
) -> None:
    _, _, html = _result_page(app, client, tmp_path, review_when="immediately", review_shows=shows)
    assert "50%" in html and "Question by question" in html
    assert _shows_answers(html) is answers
    assert "Intramuscular injection" in html  # my own answer
    assert (RATIONALE in html) is rationale
