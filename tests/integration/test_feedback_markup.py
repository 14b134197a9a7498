"""The feedback's markup on the result page and in tutor mode: the verdict a word, the trainee's
and the correct answer once each outside the folded per-choice reasons, those reasons in a
closed <details>, and on the question page the way on (Next question, or Review and finish on
the last question) above and below the explanation."""

from __future__ import annotations

import re

from quizapp.extensions import db
from quizapp.models import User
from quizapp.services import attempt_builder, attempts
from quizapp.services.quizzes import assign_quiz, create_quiz
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, UnitFactory, UserFactory
from tests.integration.quiz_helpers import answer, load_small_bank, start_practice, topic_id

RIGHT = "Intravenous infusion"  # t-single's key; "a" (Intramuscular injection) is wrong
WRONG = "Intramuscular injection"
FEEDBACK = re.compile(r'<div class="feedback (\w+)"[^>]*>(.*?)\n  </div>', re.S)


def _outside_details(html: str) -> str:
    return re.sub(r"<details.*?</details>", "", html, flags=re.S)


def test_the_result_shows_each_answer_once_and_folds_the_reasons(app, client, tmp_path) -> None:
    load_small_bank(app, tmp_path)
    with app.app_context():
        unit = UnitFactory()
        user = UserFactory(email="markup@ward.example")
        MembershipFactory(unit=unit, user=user)
        quiz = create_quiz("Markup", {"fixed": ["t-single", "t-true-false"]}, mode="exam")
        assign_quiz(quiz.id, unit.id)
        attempt_id = attempt_builder.start_assigned(user, quiz.id).id
        user = db.session.get(User, user.id)
        attempts.save_answer(user, attempt_id, 1, 0, {"answer": ["a"]})
        attempts.save_answer(user, attempt_id, 2, 1, {"answer": ["false"]})
        attempts.submit(user, attempt_id, 2)
    client.post("/login", data={"email": "markup@ward.example", "password": DEFAULT_PASSWORD})
    html = client.get(f"/attempts/{attempt_id}/result").data.decode()
    (wrong_kind, single), (right_kind, true_false) = FEEDBACK.findall(html)
    assert (wrong_kind, right_kind) == ("wrong", "right")
    assert '<p class="verdict">Not correct.</p>' in single
    assert '<p class="verdict">Correct.</p>' in true_false
    shown = _outside_details(single)
    assert shown.count(RIGHT) == 1 and shown.count(WRONG) == 1
    assert "<dt>Your answer</dt>" in shown and "<dt>Correct answer</dt>" in shown
    assert re.search(r'<details class="why-each">\s*<summary>Why each choice', single)
    assert 'class="tag tag-correct">Correct choice' in single
    # a right answer written as the key: one line, the correct answer, marked as theirs
    assert "<dt>Your answer</dt>" not in true_false
    assert re.search(r"<dt>Correct answer</dt> <dd>False <span[^>]*>\(your answer\)", true_false)
    assert "next-button" not in html  # the result page has no way on inside the feedback


def test_tutor_feedback_has_the_way_on_above_and_below(app, client, auth, tmp_path) -> None:
    load_small_bank(app, tmp_path)
    with app.app_context():
        UserFactory(email="tutor@ward.example")
    auth.login("tutor@ward.example", DEFAULT_PASSWORD)
    attempt_id = start_practice(client, [topic_id(app, "routes/intravenous")], 5, "tutor")
    page = client.get(f"/attempts/{attempt_id}/q/1").data.decode()
    assert f'action="/attempts/{attempt_id}/q/1#feedback"' in page
    for position, (label, target) in {
        1: ("Next question", f"/attempts/{attempt_id}/q/2"),
        5: ("Review and finish", f"/attempts/{attempt_id}/review"),
    }.items():
        reply = answer(client, app, attempt_id, position, correct=False)
        html = client.get(reply.headers["Location"]).data.decode()
        buttons = re.findall(
            r'<a class="button button-block next-button" href="([^"]+)">([^<]+)</a>', html
        )
        assert buttons == [(target, label)] * 2, buttons
        before, after = html.split('class="rationale', 1)
        assert before.count("next-button") == 1 and after.count("next-button") == 1
        assert 'id="feedback"' in before
