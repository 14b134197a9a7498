"""A trainee's history (/attempts) and the recent attempts on /me: each attempt named by its
quiz, or for a practice by its topics, with the mode in words, the start in local time, the
status and the score; one link per row; a fixed number of queries however long the history."""

from __future__ import annotations

import re

from quizapp.extensions import db
from quizapp.models import User
from quizapp.queries.trainee_home import practice_title
from quizapp.services import attempt_builder, attempts
from quizapp.services.quizzes import assign_quiz, create_quiz
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, UnitFactory, UserFactory
from tests.integration.quiz_helpers import load_small_bank, topic_id
from tests.integration.test_manager_dashboard import count_queries

ROW = re.compile(r'<li class="attempt-row">(.*?)</li>', re.S)
WHEN = r'started <time datetime="[^"]+">\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d [A-Z+\-0-9]+</time>'


def _history(app, tmp_path) -> int:  # type: ignore[no-untyped-def]
    """A trainee with a tutor practice on two topics (in progress), an exam practice on one
    (submitted), and an assigned quiz (submitted); their user id."""
    load_small_bank(app, tmp_path)
    iv, epidural = topic_id(app, "routes/intravenous"), topic_id(app, "routes/epidural")
    with app.app_context():
        unit = UnitFactory()
        user = UserFactory(email="history@ward.example")
        MembershipFactory(unit=unit, user=user)
        user_id = user.id
        attempt_builder.start_practice(user, [iv, epidural], 5, "tutor")
        exam = attempt_builder.start_practice(db.session.get(User, user_id), [iv], 5, "exam")
        attempts.submit(db.session.get(User, user_id), exam.id, None)
        quiz = create_quiz("Fluids check", {"fixed": ["t-single", "t-true-false"]}, mode="exam")
        assign_quiz(quiz.id, unit.id)
        taken = attempt_builder.start_assigned(db.session.get(User, user_id), quiz.id)
        user = db.session.get(User, user_id)
        attempts.save_answer(user, taken.id, 1, 0, {"answer": ["b"]})
        attempts.submit(db.session.get(User, user_id), taken.id, None)
    return user_id


def _more_practice(app, user_id: int, count: int) -> None:  # type: ignore[no-untyped-def]
    iv = topic_id(app, "routes/intravenous")
    with app.app_context():
        for _ in range(count):
            attempt_builder.start_practice(db.session.get(User, user_id), [iv], 5, "tutor")


def test_each_row_names_the_attempt_and_is_one_link(app, client, auth, tmp_path) -> None:
    _history(app, tmp_path)
    auth.login("history@ward.example", DEFAULT_PASSWORD)
    html = client.get("/attempts").data.decode()
    rows = ROW.findall(html)
    assert len(rows) == 3
    quiz, exam, tutor = rows  # newest first
    assert "#3</span> Fluids check</a>" in quiz and "Exam mode" in quiz
    assert "Submitted" in quiz and "Score 50%" in quiz
    assert "#2</span> Practice: Intravenous route</a>" in exam and "Exam mode" in exam
    assert "Score 0%" in exam
    assert "#1</span> Practice: Intravenous route, Epidural route</a>" in tutor
    assert "Tutor mode" in tutor and "In progress" in tutor and "No score yet" in tutor
    for row in rows:
        assert len(re.findall(r"<a\b", row)) == 1, row
        assert re.search(r'class="attempt-link" href="/attempts/\d+"', row), row
        assert re.search(WHEN, row), row
    assert "Practice (" not in html

    home = client.get("/me").data.decode()
    assert "#1 Practice: Intravenous route, Epidural route</a>" in home
    assert "#3 Fluids check</a>" in home


def test_the_history_takes_the_same_queries_however_long(app, client, auth, tmp_path) -> None:
    user_id = _history(app, tmp_path)
    auth.login("history@ward.example", DEFAULT_PASSWORD)
    client.get("/attempts")  # warm: the first request loads what every request then reuses
    with count_queries(app) as short:
        assert client.get("/attempts").status_code == 200
        assert client.get("/me").status_code == 200
    _more_practice(app, user_id, 6)
    with count_queries(app) as long:
        page = client.get("/attempts")
        assert client.get("/me").status_code == 200
    assert len(ROW.findall(page.data.decode())) == 9
    assert long["n"] == short["n"], (short, long)


def test_a_practice_names_three_topics_then_how_many_more() -> None:
    assert practice_title([]) == "Practice"
    assert practice_title(["A"]) == "Practice: A"
    assert practice_title(["A", "B", "C"]) == "Practice: A, B, C"
    assert practice_title(["A", "B", "C", "D", "E"]) == "Practice: A, B, C and 2 more"
