"""Item analysis for a quiz: statistics from the stored marks, choice counts, flags."""

from __future__ import annotations

from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import AttemptItem, Role, User
from quizapp.queries.item_analysis import quiz_report
from quizapp.services import attempt_builder, attempts
from quizapp.services.quizzes import create_quiz
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, UnitFactory, UserFactory
from tests.integration.quiz_helpers import load_small_bank
from tests.oracles.stats_oracle import item_statistics

# Four trainees answer the two choice questions of the small bank: t-single (a wrong, b right,
# c wrong as the file orders them) and t-true-false. Marks as in the hand-worked unit test.
PLAN = [("b", "false"), ("b", "true"), ("a", "false"), ("c", "true")]


def _run(app, tmp_path):  # type: ignore[no-untyped-def]
    load_small_bank(app, tmp_path)
    with app.app_context():
        unit = UnitFactory()
        quiz = create_quiz("Two items", {"fixed": ["t-single", "t-true-false"]}, pass_mark=50)
        from quizapp.services.quizzes import assign_quiz

        assign_quiz(quiz.id, unit.id)
        for n, (single, tf) in enumerate(PLAN):
            user = UserFactory(email=f"t{n}@ward.example")
            MembershipFactory(unit=unit, user=user)
            attempt = attempt_builder.start_assigned(user, quiz.id)
            items = db.session.scalars(
                select(AttemptItem)
                .where(AttemptItem.attempt_id == attempt.id)
                .order_by(AttemptItem.position)
            ).all()
            for item in items:
                answer = single if item.version.type == "single" else tf
                seq = attempt.seq
                attempts.save_answer(user, attempt.id, item.position, seq, {"answer": [answer]})
                db.session.refresh(attempt)
            attempts.submit(user, attempt.id, None)
        return quiz.id


def test_statistics_equal_those_of_the_raw_marks(app, tmp_path) -> None:
    quiz_id = _run(app, tmp_path)
    with app.app_context():
        report = quiz_report(quiz_id)
        # the fixed list keeps its order: slot 1 is t-single, slot 2 is t-true-false
        marks = [[1.0 if s == "b" else 0.0, 1.0 if t == "false" else 0.0] for s, t in PLAN]
        expected = item_statistics(marks, [1.0, 1.0])
        assert report.quiz == expected
        single = next(v for v in report.versions if v.uid == "t-single")
        counts = {c.text: c.count for c in single.choices}
        assert counts == {
            "Intramuscular injection": 1,
            "Intravenous infusion": 2,
            "Subcutaneous injection": 1,
        }
        assert [c.share for c in single.choices] == [25.0, 50.0, 25.0]
        assert single.stats.facility == 50.0
        assert single.stats.discrimination_index == expected.questions[0].discrimination_index


def test_the_page_shows_quiz_and_item_figures(app, client, auth, tmp_path) -> None:
    quiz_id = _run(app, tmp_path)
    with app.app_context():
        UserFactory(email="educator@ward.example", role=Role.INSTRUCTOR)
    auth.login("educator@ward.example", DEFAULT_PASSWORD)
    page = client.get(f"/author/quizzes/{quiz_id}/stats").data.decode()
    assert "Coefficient of internal consistency" in page and "t-single v1" in page
    assert "Intravenous infusion (correct)" in page and "50.0%" in page
    # the slot table names the question each slot held (a fixed list: one per slot, in order)
    slots = page[page.index("Question slots") : page.index("Question versions")]
    assert slots.index("<td>t-single</td>") < slots.index("<td>t-true-false</td>")
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "t0@ward.example"))
    assert client.get("/author/quizzes/999/stats").status_code == 404


def test_rebuilding_the_sums_gives_the_same_report(app, runner, tmp_path) -> None:
    quiz_id = _run(app, tmp_path)
    with app.app_context():
        live = quiz_report(quiz_id)
    result = runner.invoke(args=["attempts", "rebuild-stats"])
    assert result.exit_code == 0 and "from 4 submitted attempt(s)" in result.output
    with app.app_context():
        rebuilt = quiz_report(quiz_id)
    assert rebuilt.quiz == live.quiz
    assert [(v.uid, v.stats, [c.count for c in v.choices]) for v in rebuilt.versions] == [
        (v.uid, v.stats, [c.count for c in v.choices]) for v in live.versions
    ]


# t-multiple: a (Swelling around the site) and b (Skin cool to the touch) are right, c (A fast,
# bounding pulse) is wrong. Four trainees, eight picks in all.
MULTIPLE_PICKS = [["a", "b"], ["a", "c"], ["c"], ["a", "b", "c"]]


def test_a_choice_share_is_of_the_trainees_who_answered_not_of_all_picks(app, tmp_path) -> None:
    """On a select-all question a trainee picks several choices: 3 of the 4 trainees chose the
    distractor c, so its share is 75% (3 of 8 picks would wrongly say 37.5%)."""
    load_small_bank(app, tmp_path)
    with app.app_context():
        unit = UnitFactory()
        quiz = create_quiz("Select all", {"fixed": ["t-multiple"]}, pass_mark=50)
        from quizapp.services.quizzes import assign_quiz

        assign_quiz(quiz.id, unit.id)
        for n, picks in enumerate(MULTIPLE_PICKS):
            user = UserFactory(email=f"m{n}@ward.example")
            MembershipFactory(unit=unit, user=user)
            attempt = attempt_builder.start_assigned(user, quiz.id)
            attempts.save_answer(user, attempt.id, 1, 0, {"answer": picks})
            attempts.submit(user, attempt.id, None)
        report = quiz_report(quiz.id)
    (version,) = report.versions
    assert version.responses == 4
    assert {c.id: (c.count, c.share) for c in version.choices} == {
        "a": (3, 75.0),
        "b": (2, 50.0),
        "c": (3, 75.0),
    }
