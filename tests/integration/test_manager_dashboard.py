"""Managers see their own units only; dashboard numbers equal the raw answers; CSVs; competency;
the number of queries does not grow with the data."""

from __future__ import annotations

import csv
import io
import random
from datetime import timedelta

import pytest
from sqlalchemy import select

from quizapp.domain.mastery import MINIMUM_ANSWERS, THRESHOLD, WINDOW
from quizapp.extensions import db
from quizapp.models import (
    Attempt,
    AttemptItem,
    AttemptStatus,
    Competency,
    Response,
    Role,
    Topic,
    TopicScore,
    Unit,
    User,
    utcnow,
)
from quizapp.services import attempt_builder, attempts
from quizapp.services.quizzes import assign_quiz, create_quiz
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, UnitFactory, UserFactory
from tests.integration.quiz_helpers import count_queries, fields_for, load_small_bank


def _take(
    user: User,
    topic_ids: list[int],
    rng: random.Random,
    quiz_id: int | None = None,
    submit: bool = True,
) -> Attempt:
    if quiz_id is None:
        attempt = attempt_builder.start_practice(user, topic_ids, 5, "exam", rng=rng)
    else:
        attempt = attempt_builder.start_assigned(user, quiz_id, rng=rng)
    items = db.session.scalars(
        select(AttemptItem)
        .where(AttemptItem.attempt_id == attempt.id)
        .order_by(AttemptItem.position)
    ).all()
    for item in items:
        correct = rng.random() < 0.7
        fields = {
            k: v if isinstance(v, list) else [v]
            for k, v in fields_for(item.version.type, item.version.data, correct).items()
        }
        seq = db.session.get(Attempt, attempt.id).seq
        attempts.save_answer(user, attempt.id, item.position, seq, fields)
    if submit:
        attempts.submit(user, attempt.id, None)
    return attempt


@pytest.fixture
def wards(app, tmp_path):  # type: ignore[no-untyped-def]
    load_small_bank(app, tmp_path)
    rng = random.Random(11)
    with app.app_context():
        ward_a, ward_b = UnitFactory(name="Ward A"), UnitFactory(name="Ward B")
        boss_a = UserFactory(email="boss-a@ward.example", role=Role.MANAGER)
        boss_b = UserFactory(email="boss-b@ward.example", role=Role.MANAGER)
        MembershipFactory(unit=ward_a, user=boss_a, is_manager=True)
        MembershipFactory(unit=ward_b, user=boss_b, is_manager=True)
        a_trainees = [UserFactory(name=f"Nurse A{i}") for i in range(4)]
        b_trainee = UserFactory(name="Nurse B0")
        for user in a_trainees:
            MembershipFactory(unit=ward_a, user=user)
        MembershipFactory(unit=ward_b, user=b_trainee)
        iv = db.session.scalar(select(Topic.id).where(Topic.key == "routes/intravenous"))
        for user in [*a_trainees, b_trainee]:
            for _ in range(3):
                _take(user, [iv], rng)
        return {
            "a": ward_a.id,
            "b": ward_b.id,
            "a_trainees": [u.id for u in a_trainees],
            "b_trainee": b_trainee.id,
            "iv": iv,
        }


def _csv(client, url: str) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.data.decode())))


def test_a_manager_sees_only_their_units(app, client, auth, wards) -> None:
    auth.login("boss-a@ward.example", DEFAULT_PASSWORD)
    home = client.get("/manage/")
    assert home.status_code == 302 and home.headers["Location"].endswith(
        f"/manage/units/{wards['a']}"
    )
    page = client.get(f"/manage/units/{wards['a']}").data.decode()
    assert "Nurse A0" in page and "Nurse B0" not in page
    b = wards["b"]
    assert client.get(f"/manage/units/{b}").status_code == 404
    for table in ("heatmap", "topics", "trend", "compliance", "competency"):
        assert client.get(f"/manage/units/{b}/{table}.csv").status_code == 404
    assert client.get(f"/manage/units/{b}/trainees/{wards['b_trainee']}").status_code == 404
    # a trainee of another unit, reached through my own unit, is not mine either
    assert (
        client.get(f"/manage/units/{wards['a']}/trainees/{wards['b_trainee']}").status_code == 404
    )
    assert (
        client.get(f"/manage/units/{wards['a']}/trainees/{wards['a_trainees'][0]}").status_code
        == 200
    )


def test_trainees_and_instructors_get_403(app, client, auth, wards) -> None:
    with app.app_context():
        UserFactory(email="t@ward.example")
        UserFactory(email="i@ward.example", role=Role.INSTRUCTOR)
    for email in ("t@ward.example", "i@ward.example"):
        auth.login(email, DEFAULT_PASSWORD)
        assert client.get("/manage/").status_code == 403
        assert client.get(f"/manage/units/{wards['a']}/heatmap.csv").status_code == 403
        auth.logout()


def test_heatmap_equals_the_raw_answers(app, client, auth, wards) -> None:
    auth.login("boss-a@ward.example", DEFAULT_PASSWORD)
    rows = _csv(client, f"/manage/units/{wards['a']}/heatmap.csv")
    by_trainee = {(r["trainee"], r["topic"]): r for r in rows}
    with app.app_context():
        for user_id in wards["a_trainees"]:
            user = db.session.get(User, user_id)
            marks = db.session.scalars(
                select(Response.mark)
                .join(AttemptItem, AttemptItem.id == Response.item_id)
                .join(Attempt, Attempt.id == AttemptItem.attempt_id)
                .where(Attempt.user_id == user_id, AttemptItem.topic_id == wards["iv"])
                .order_by(Attempt.number, AttemptItem.position)
            ).all()
            recent = marks[-WINDOW:]
            row = by_trainee[(user.name, "routes/intravenous")]
            assert int(row["answers"]) == len(marks) == 15
            assert float(row["score_last_20_pct"]) == pytest.approx(
                100 * sum(recent) / len(recent), abs=0.05
            )
            mastered = (
                len(recent) >= MINIMUM_ANSWERS and 100 * sum(recent) / len(recent) >= THRESHOLD
            )
            assert row["mastered"] == ("yes" if mastered else "no")
    topics = {r["topic"]: r for r in _csv(client, f"/manage/units/{wards['a']}/topics.csv")}
    with app.app_context():
        scores = db.session.scalars(
            select(TopicScore.recent_score).where(TopicScore.user_id.in_(wards["a_trainees"]))
        ).all()
    assert int(topics["routes/intravenous"]["trainees_with_answers"]) == 4
    assert float(topics["routes/intravenous"]["average_pct"]) == pytest.approx(
        sum(scores) / 4, abs=0.05
    )
    buckets = [int(topics["routes/intravenous"][b]) for b in ("0-49%", "50-79%", "80-100%")]
    assert buckets == [
        sum(s < 50 for s in scores),
        sum(50 <= s < 80 for s in scores),
        sum(s >= 80 for s in scores),
    ]
    trend = _csv(client, f"/manage/units/{wards['a']}/trend.csv")
    assert sum(int(r["attempts"]) for r in trend) == 12


def test_compliance_statuses_equal_the_raw_attempts(app, client, auth, wards) -> None:
    rng = random.Random(5)
    with app.app_context():
        quiz = create_quiz("IV check", {"per_topic": {"routes/intravenous": 4}}, pass_mark=0)
        hard = create_quiz("IV hard", {"per_topic": {"routes/intravenous": 4}}, pass_mark=101 - 1)
        assign_quiz(quiz.id, wards["a"], due_at=utcnow() + timedelta(days=3))
        assign_quiz(hard.id, wards["a"], due_at=utcnow() - timedelta(days=1))
        t0, t1, t2, _t3 = (db.session.get(User, i) for i in wards["a_trainees"])
        _take(t0, [], rng, quiz_id=quiz.id)  # pass mark 0: passed
        _take(t1, [], rng, quiz_id=quiz.id, submit=False)  # in progress
        attempt = _take(t2, [], rng, quiz_id=hard.id)  # below 100%: failed unless perfect
        failed_hard = not db.session.get(Attempt, attempt.id).passed
        quiz_id, hard_id = quiz.id, hard.id
    auth.login("boss-a@ward.example", DEFAULT_PASSWORD)
    rows = {
        (r["trainee"], r["quiz"]): r["status"]
        for r in _csv(client, f"/manage/units/{wards['a']}/compliance.csv")
    }
    assert rows[("Nurse A0", "IV check")] == "passed"
    assert rows[("Nurse A1", "IV check")] == "in progress"
    assert rows[("Nurse A2", "IV check")] == "not started"
    assert rows[("Nurse A3", "IV hard")] == "overdue"
    assert rows[("Nurse A2", "IV hard")] == ("overdue" if failed_hard else "passed")
    with app.app_context():
        counted = {
            (a.user_id, a.quiz_id): a.status
            for a in db.session.scalars(
                select(Attempt).where(Attempt.quiz_id.in_([quiz_id, hard_id]))
            )
        }
    assert counted[(wards["a_trainees"][1], quiz_id)] is AttemptStatus.IN_PROGRESS
    page = client.get(f"/manage/units/{wards['a']}").data.decode()
    assert "IV check" in page and "overdue" in page


def test_competency_valid_expiring_and_expired(app, client, auth, wards) -> None:
    rng = random.Random(3)
    with app.app_context():
        quiz = create_quiz(
            "IV competency",
            {"per_topic": {"routes/intravenous": 3}},
            pass_mark=0,
            is_competency=True,
            validity_months=12,
        )
        assign_quiz(quiz.id, wards["a"])
        users = [db.session.get(User, i) for i in wards["a_trainees"][:3]]
        for user in users:
            _take(user, [], rng, quiz_id=quiz.id)
        records = db.session.scalars(select(Competency).order_by(Competency.user_id)).all()
        assert len(records) == 3
        records[1].expires_at = utcnow() + timedelta(days=10)
        records[2].expires_at = utcnow() - timedelta(days=1)
        db.session.commit()
    auth.login("boss-a@ward.example", DEFAULT_PASSWORD)
    rows = {
        r["trainee"]: r["status"]
        for r in _csv(client, f"/manage/units/{wards['a']}/competency.csv")
    }
    assert rows == {"Nurse A0": "valid", "Nurse A1": "expiring", "Nurse A2": "expired"}


def test_csv_cells_that_look_like_formulas_are_neutralised(app, client, auth, wards) -> None:
    with app.app_context():
        user = db.session.get(User, wards["a_trainees"][0])
        user.name = '=HYPERLINK("http://x")'
        db.session.commit()
    auth.login("boss-a@ward.example", DEFAULT_PASSWORD)
    text = client.get(f"/manage/units/{wards['a']}/heatmap.csv").data.decode()
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text


def test_a_plain_membership_does_not_make_a_manager_of_a_unit(app, client, auth, wards) -> None:
    """boss-a has the manager role and is a plain member (not manager) of Ward B: Ward B is
    not among the units boss-a manages, so every page and CSV of it is a 404."""
    with app.app_context():
        boss_a = db.session.scalar(select(User).where(User.email == "boss-a@ward.example"))
        ward_b = db.session.get(Unit, wards["b"])
        MembershipFactory(unit=ward_b, user=boss_a, is_manager=False)
    auth.login("boss-a@ward.example", DEFAULT_PASSWORD)
    home = client.get("/manage/")
    assert home.status_code == 302
    assert home.headers["Location"].endswith(f"/manage/units/{wards['a']}")
    page = client.get(f"/manage/units/{wards['a']}").data.decode()
    assert f"/manage/units/{wards['b']}" not in page
    assert client.get(f"/manage/units/{wards['b']}").status_code == 404
    assert client.get(f"/manage/units/{wards['b']}/heatmap.csv").status_code == 404
    assert client.get(f"/manage/units/{wards['b']}/trainees/{wards['b_trainee']}").status_code == (
        404
    )


def test_managers_and_admins_in_a_unit_are_not_counted_as_trainees(
    app, client, auth, wards
) -> None:
    """Ward A has boss-a (its manager), and here also an admin and a manager-role plain member:
    the dashboard lists and counts the four nurses only."""
    with app.app_context():
        ward_a = db.session.get(Unit, wards["a"])
        admin = UserFactory(name="Admin Member", role=Role.ADMIN)
        other_boss = UserFactory(name="Other Manager", role=Role.MANAGER)
        MembershipFactory(unit=ward_a, user=admin)
        MembershipFactory(unit=ward_a, user=other_boss)
    auth.login("boss-a@ward.example", DEFAULT_PASSWORD)
    rows = _csv(client, f"/manage/units/{wards['a']}/heatmap.csv")
    assert sorted({r["trainee"] for r in rows}) == ["Nurse A0", "Nurse A1", "Nurse A2", "Nurse A3"]
    page = client.get(f"/manage/units/{wards['a']}").data.decode()
    for name in ("Admin Member", "Other Manager"):
        assert name not in page
    topics = {r["topic"]: r for r in _csv(client, f"/manage/units/{wards['a']}/topics.csv")}
    assert topics["routes/intravenous"]["trainees_with_answers"] == "4"


def test_csv_cells_starting_with_any_formula_sign_are_neutralised(app, client, auth, wards) -> None:
    """=, +, -, @ (and tab, carriage return) start a formula in a spreadsheet."""
    names = ["-2+3", "+SUM(A1:A2)", "@SUM(A1)", "=1+1"]
    with app.app_context():
        for user_id, name in zip(wards["a_trainees"], names, strict=True):
            db.session.get(User, user_id).name = name
        db.session.commit()
    auth.login("boss-a@ward.example", DEFAULT_PASSWORD)
    rows = _csv(client, f"/manage/units/{wards['a']}/heatmap.csv")
    assert sorted({r["trainee"] for r in rows}) == ["'+SUM(A1:A2)", "'-2+3", "'=1+1", "'@SUM(A1)"]


def _grow(app, unit_id: int, trainees: int, topic_id: int) -> None:  # type: ignore[no-untyped-def]
    """Add trainees with topic records and submitted attempts, straight into the tables."""
    with app.app_context():
        from quizapp.models import Unit, UnitMembership

        unit = db.session.get(Unit, unit_id)
        now = utcnow()
        for i in range(trainees):
            user = User(
                email=f"grow{unit_id}-{i}-{random.random()}@x.example",
                name=f"G{i}",
                role=Role.TRAINEE,
                password_hash="x",
            )
            db.session.add(user)
            db.session.add(UnitMembership(unit=unit, user=user))
            db.session.flush()
            db.session.add(
                TopicScore(
                    user_id=user.id,
                    topic_id=topic_id,
                    answered=20,
                    marks=15,
                    recent=[1.0] * 15 + [0.0] * 5,
                    recent_score=75.0,
                    mastered=False,
                )
            )
            for n in range(1, 4):
                db.session.add(
                    Attempt(
                        user_id=user.id,
                        number=n,
                        status=AttemptStatus.SUBMITTED,
                        started_at=now - timedelta(days=7 * n),
                        submitted_at=now - timedelta(days=7 * n),
                        percent=70.0,
                        score=7,
                        max_score=10,
                    )
                )
        db.session.commit()


def test_query_counts_do_not_grow_with_the_data(app, client, auth, wards) -> None:
    auth.login("boss-a@ward.example", DEFAULT_PASSWORD)
    unit = wards["a"]
    _grow(app, unit, 5, wards["iv"])
    urls = [f"/manage/units/{unit}"] + [
        f"/manage/units/{unit}/{t}.csv"
        for t in ("heatmap", "topics", "trend", "compliance", "competency")
    ]
    before = {}
    for url in urls:
        with count_queries(app) as counter:
            assert client.get(url).status_code == 200
        before[url] = counter["n"]
    _grow(app, unit, 50, wards["iv"])
    for url in urls:
        with count_queries(app) as counter:
            assert client.get(url).status_code == 200
        assert counter["n"] == before[url], url
