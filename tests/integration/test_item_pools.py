"""Secure item pools: exam-only questions and topics, and the questions of an open quiz attempt,
never reach practice; tutor feedback follows the quiz's review settings."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import AttemptItem, QuestionEntry, QuestionVersion, Quiz, Role, Topic, User
from quizapp.services import attempt_builder, attempts
from quizapp.services.errors import InvalidInput
from quizapp.services.quizzes import assign_quiz, create_quiz
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, UnitFactory, UserFactory
from tests.integration.bank_folder import DATA, make_bank
from tests.integration.quiz_helpers import answer, topic_id

DRAWS = 40
EPIDURAL_STEMS = [
    "Which layer does an epidural catheter tip rest in?",
    "Which observations are due hourly during an epidural infusion?",
    "An epidural bolus may be given by any registered nurse.",
    "Pair each epidural drug with its class.",
    "How many millilitres does 10 mg at 2 mg/mL need?",
    "Name the emergency drug kept at the bedside for local anaesthetic toxicity.",
]


def _load_two_topics(app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = (DATA / "every_type.yaml").read_text()
    stems = [line for line in text.splitlines() if line.strip().startswith("stem:")]
    other = text.replace("topic: routes/intravenous", "topic: routes/epidural")
    other = other.replace("id: t-", "id: e-")
    for line, stem in zip(stems, EPIDURAL_STEMS, strict=True):  # the bank lint wants new stems
        other = other.replace(line, f"    stem: {stem}")
    bank = make_bank(tmp_path, {"routes/iv.yaml": text, "routes/epidural.yaml": other})
    result = app.test_cli_runner().invoke(args=["bank", "load", str(bank)])
    assert result.exit_code == 0, result.output


def _drawn(user: User, topics: list[int], mode: str = "exam") -> set[str]:
    """The uids of every question drawn over many practice starts."""
    seen: set[str] = set()
    for n in range(DRAWS):
        attempt = attempt_builder.start_practice(user, topics, 5, mode, rng=random.Random(n))
        seen |= set(
            db.session.scalars(
                select(QuestionEntry.uid)
                .join(QuestionVersion, QuestionVersion.entry_id == QuestionEntry.id)
                .join(AttemptItem, AttemptItem.version_id == QuestionVersion.id)
                .where(AttemptItem.attempt_id == attempt.id)
            )
        )
    return seen


def _author(app, client):  # type: ignore[no-untyped-def]
    with app.app_context():
        UserFactory(email="educator@ward.example", role=Role.INSTRUCTOR)
    client.post("/login", data={"email": "educator@ward.example", "password": DEFAULT_PASSWORD})


def test_exam_only_question_and_topic_are_never_drawn_into_practice(app, client, tmp_path) -> None:
    _load_two_topics(app, tmp_path)
    _author(app, client)
    iv, epidural = topic_id(app, "routes/intravenous"), topic_id(app, "routes/epidural")
    with app.app_context():
        entry_id = db.session.scalar(
            select(QuestionEntry.id).where(QuestionEntry.uid == "t-single")
        )
    # The instructor's switches, through the pages.
    done = client.post(f"/author/questions/{entry_id}/pool", data={"exam_only": "1"})
    assert done.status_code == 302
    assert "Exam only: never drawn" in client.get(f"/author/questions/{entry_id}").data.decode()
    assert (
        client.post(f"/author/topics/{epidural}/pool", data={"exam_only": "1"}).status_code == 302
    )
    assert "Allow in practice" in client.get("/author/topics").data.decode()
    assert (
        client.post(f"/author/topics/{epidural}/pool", data={"exam_only": "x"}).status_code == 400
    )
    with app.app_context():
        trainee = UserFactory(email="nurse@ward.example")
        drawn = _drawn(trainee, [iv, epidural])
        assert "t-single" not in drawn
        assert not any(uid.startswith("e-") for uid in drawn)
        assert drawn == {"t-multiple", "t-true-false", "t-matching", "t-numeric", "t-short"}
        with pytest.raises(InvalidInput, match="kept for quizzes"):
            attempt_builder.start_practice(trainee, [epidural], 5, "tutor")
        # Quizzes still draw them.
        unit = UnitFactory()
        MembershipFactory(unit=unit, user=trainee)
        quiz = create_quiz("Secure", {"per_topic": {"routes/epidural": 6}})
        assign_quiz(quiz.id, unit.id)
        attempt = attempt_builder.start_assigned(trainee, quiz.id)
        assert len(attempt.items) == 6
    client.post(f"/author/topics/{epidural}/pool", data={"exam_only": "0"})
    with app.app_context():
        assert db.session.get(Topic, epidural).exam_only is False


def _quiz_in_progress(app, tmp_path, **settings):  # type: ignore[no-untyped-def]
    _load_two_topics(app, tmp_path)
    with app.app_context():
        unit = UnitFactory()
        trainee = UserFactory(email="nurse@ward.example")
        MembershipFactory(unit=unit, user=trainee)
        quiz = create_quiz(
            "Competency", {"fixed": ["t-single", "t-multiple"]}, attempts_allowed=1, **settings
        )
        assign_quiz(quiz.id, unit.id)
        return trainee.id, quiz.id


def test_practice_leaves_out_the_questions_of_an_open_quiz_attempt(app, tmp_path) -> None:
    user_id, quiz_id = _quiz_in_progress(app, tmp_path, review_when="never")
    iv = topic_id(app, "routes/intravenous")
    with app.app_context():
        user = db.session.get(User, user_id)
        assert {"t-single", "t-multiple"} <= _drawn(user, [iv])  # before the quiz: drawn
        attempt = attempt_builder.start_assigned(user, quiz_id)
        during = _drawn(user, [iv])
        assert during == {"t-true-false", "t-matching", "t-numeric", "t-short"}
        attempts.submit(user, attempt.id, None)
        assert {"t-single", "t-multiple"} <= _drawn(user, [iv])  # after it: drawn again


def test_tutor_practice_hides_answers_of_questions_under_examination(
    app, client, auth, tmp_path
) -> None:
    user_id, quiz_id = _quiz_in_progress(app, tmp_path, review_when="never")
    auth.login("nurse@ward.example", DEFAULT_PASSWORD)
    iv = topic_id(app, "routes/intravenous")
    with app.app_context():
        user = db.session.get(User, user_id)
        # A tutor practice started before the quiz, holding every question of the topic.
        practice = attempt_builder.start_practice(user, [iv], 6, "tutor").id
        attempt_builder.start_assigned(user, quiz_id)
        positions = {
            i.version.entry.uid: i.position
            for i in db.session.scalars(
                select(AttemptItem).where(AttemptItem.attempt_id == practice)
            )
        }
    for uid, position in positions.items():
        page = client.get(answer(client, app, practice, position).headers["Location"])
        shown = "Correct answer" in page.data.decode()
        assert shown is (uid not in ("t-single", "t-multiple")), uid


def test_a_tutor_quiz_with_review_never_shows_no_answer(app, client, auth, tmp_path) -> None:
    user_id, quiz_id = _quiz_in_progress(app, tmp_path, mode="exam")
    with app.app_context():  # saved before tutor + never was refused
        quiz = db.session.get(Quiz, quiz_id)
        quiz.mode, quiz.review_when = "tutor", "never"
        db.session.commit()
        attempt_id = attempt_builder.start_assigned(db.session.get(User, user_id), quiz_id).id
    auth.login("nurse@ward.example", DEFAULT_PASSWORD)
    page = client.get(answer(client, app, attempt_id, 1).headers["Location"]).data.decode()
    assert "Question 1 of 2" in page and "Correct answer" not in page and "Why:" not in page


def test_a_tutor_quiz_cannot_be_saved_with_review_never(app, client, tmp_path) -> None:
    _load_two_topics(app, tmp_path)
    _author(app, client)
    form = {
        "title": "Pumps",
        "selection": "fixed",
        "fixed": "t-single",
        "mode": "tutor",
        "pass_mark": "80",
        "grading": "highest",
        "review_shows": "full",
        "review_when": "never",
        "validity_months": "12",
    }
    refused = client.post("/author/quizzes/new", data=form)
    assert refused.status_code == 422
    html = refused.data.decode()
    error = html[html.index('id="review_when-error"') :][:300]
    assert "tutor quiz shows the answer after each question" in error
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Quiz)) == 0
        with pytest.raises(InvalidInput, match="cannot be"):
            create_quiz("Pumps", {"fixed": ["t-single"]}, mode="tutor", review_when="never")
    saved = client.post("/author/quizzes/new", data={**form, "review_when": "after_close"})
    assert saved.status_code == 302


def test_the_bank_file_can_keep_a_question_for_quizzes(app, runner, tmp_path) -> None:
    text = (DATA / "every_type.yaml").read_text()
    marked = text.replace("    type: single\n", "    type: single\n    exam_only: true\n")
    result = runner.invoke(
        args=["bank", "load", str(make_bank(tmp_path / "a", {"r/iv.yaml": marked}))]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        flags = dict(db.session.execute(select(QuestionEntry.uid, QuestionEntry.exam_only)).all())
        assert flags["t-single"] is True and flags["t-multiple"] is False
    result = runner.invoke(
        args=["bank", "load", str(make_bank(tmp_path / "b", {"r/iv.yaml": text}))]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        entry = db.session.scalar(select(QuestionEntry).where(QuestionEntry.uid == "t-single"))
        assert entry.exam_only is False  # the file changed back, and the file wins
    bad = text.replace("    type: single\n", "    type: single\n    exam_only: sometimes\n")
    result = runner.invoke(
        args=["bank", "check", str(make_bank(tmp_path / "c", {"r/iv.yaml": bad}))]
    )
    assert result.exit_code != 0 and "'exam_only' must be true or false" in result.output
