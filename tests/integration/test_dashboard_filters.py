"""The dashboard's date range reaches every table it can; a reversed range is refused;
compliance states and competency validity are true on their edge cases; a manager can open
any attempt of a trainee in their units (and no one else's)."""

from __future__ import annotations

import random
import re
from datetime import timedelta

from sqlalchemy import select, update

from quizapp.extensions import db
from quizapp.models import (
    Attempt,
    AttemptItem,
    AttemptStatus,
    Competency,
    Response,
    TopicScore,
    User,
    utcnow,
)
from quizapp.services.quizzes import assign_quiz, create_quiz
from tests.factories import DEFAULT_PASSWORD
from tests.integration import test_manager_dashboard as base
from tests.integration.test_manager_dashboard import _csv, _grow, _take, count_queries

wards = base.wards  # the fixture: a ward of four nurses and one of one, with IV answers


def _age_answers(app, user_id: int, days: int) -> int:  # type: ignore[no-untyped-def]
    """Move every answer (and attempt) of this trainee `days` back; how many answers."""
    with app.app_context():
        then = utcnow() - timedelta(days=days)
        ids = select(Attempt.id).where(Attempt.user_id == user_id).scalar_subquery()
        db.session.execute(
            update(Response).where(Response.attempt_id.in_(ids)).values(answered_at=then)
        )
        db.session.execute(
            update(Attempt)
            .where(Attempt.user_id == user_id)
            .values(started_at=then, submitted_at=then)
        )
        db.session.commit()
        return len(
            db.session.scalars(select(Response.id).where(Response.attempt_id.in_(ids))).all()
        )


def _heat(client, unit: int, query: str = "") -> dict[str, dict[str, str]]:  # type: ignore[no-untyped-def]
    rows = _csv(client, f"/manage/units/{unit}/heatmap.csv{query}")
    return {r["trainee"]: r for r in rows if r["topic"] == "routes/intravenous"}


def test_the_range_filters_the_heatmap_and_per_topic_by_answer_date(
    app, client, auth, wards
) -> None:
    old = _age_answers(app, wards["a_trainees"][0], 30)
    assert old == 15
    today = utcnow().date()
    auth.login("boss-a@ward.example", DEFAULT_PASSWORD)
    everything = _heat(client, wards["a"])
    assert everything["Nurse A0"]["answers"] == "15"
    recent = _heat(client, wards["a"], f"?start={today - timedelta(days=7)}&end={today}")
    assert recent["Nurse A0"]["answers"] == "0" and recent["Nurse A0"]["score_last_20_pct"] == ""
    assert recent["Nurse A1"]["answers"] == "15"
    assert recent["Nurse A1"]["score_last_20_pct"] == everything["Nurse A1"]["score_last_20_pct"]
    back = today - timedelta(days=30)
    past = _heat(client, wards["a"], f"?start={back}&end={back}")
    assert past["Nurse A0"]["answers"] == "15"
    assert past["Nurse A0"]["score_last_20_pct"] == everything["Nurse A0"]["score_last_20_pct"]
    assert past["Nurse A1"]["answers"] == "0"
    # the score in a range is over the last answers in it, the same rule as the record
    with app.app_context():
        marks = db.session.scalars(
            select(Response.mark)
            .join(AttemptItem, AttemptItem.id == Response.item_id)
            .join(Attempt, Attempt.id == Response.attempt_id)
            .where(Attempt.user_id == wards["a_trainees"][0])
        ).all()
    assert float(past["Nurse A0"]["score_last_20_pct"]) == round(100 * sum(marks) / 15, 1)
    topics = _csv(client, f"/manage/units/{wards['a']}/topics.csv?start={back}&end={back}")
    iv = next(r for r in topics if r["topic"] == "routes/intravenous")
    assert iv["trainees_with_answers"] == "1"
    page = client.get(f"/manage/units/{wards['a']}?start={back}&end={back}").data.decode()
    assert "Filter: " not in page  # said by CSS, the words are the page's own
    assert "answers given from" in page and "as of the end of" in page


def test_a_score_in_a_range_rests_on_the_last_answers_in_it(app, client, auth, wards) -> None:
    """More than the mastery window in the range: the score is over the newest ones, as in
    the trainee's own record, and the count says all of them."""
    rng = random.Random(9)
    user_id = wards["a_trainees"][1]
    with app.app_context():
        for _ in range(2):
            _take(db.session.get(User, user_id), [wards["iv"]], rng)
        marks = db.session.scalars(
            select(Response.mark)
            .join(Attempt, Attempt.id == Response.attempt_id)
            .where(Attempt.user_id == user_id)
            .order_by(Response.answered_at, Response.id)
        ).all()
        record = db.session.scalar(
            select(TopicScore.recent_score).where(
                TopicScore.user_id == user_id, TopicScore.topic_id == wards["iv"]
            )
        )
    assert len(marks) == 25
    today = utcnow().date()
    auth.login("boss-a@ward.example", DEFAULT_PASSWORD)
    row = _heat(client, wards["a"], f"?start={today - timedelta(days=1)}")["Nurse A1"]
    assert row["answers"] == "25"
    expected = 100 * sum(marks[-20:]) / 20
    assert float(row["score_last_20_pct"]) == round(expected, 1) == round(record, 1)


def test_cells_say_how_many_answers_and_no_data_is_not_zero(app, client, auth, wards) -> None:
    auth.login("boss-a@ward.example", DEFAULT_PASSWORD)
    page = client.get(f"/manage/units/{wards['a']}").data.decode()
    assert "15 answers" in page
    assert "no answers" in page
    bars = re.search(r'<desc id="topic-avg-desc">(.*?)</desc>', page, re.S)
    assert bars is not None
    assert "Intravenous route" in bars.group(1) and " 0%" not in bars.group(1)
    missing = re.search(r"No answers yet:</strong>(.*?)</p>", page, re.S)
    assert missing is not None and "Intravenous route" not in missing.group(1)
    assert "Epidural route" in missing.group(1)
    topics = {r["topic"]: r for r in _csv(client, f"/manage/units/{wards['a']}/topics.csv")}
    assert topics["routes/epidural"]["average_pct"] == ""


def test_a_reversed_range_is_refused_beside_the_fields(app, client, auth, wards) -> None:
    auth.login("boss-a@ward.example", DEFAULT_PASSWORD)
    response = client.get(f"/manage/units/{wards['a']}?start=2026-12-05&end=2026-12-01")
    assert response.status_code == 422
    page = response.data.decode()
    assert "The end date is before the start date" in page
    assert 'value="2026-12-05"' in page and 'value="2026-12-01"' in page
    assert 'aria-describedby="end-error"' in page
    assert 'table class="heatmap"' not in page
    bad = client.get(f"/manage/units/{wards['a']}?start=yesterday")
    assert bad.status_code == 422 and "Enter a date as YYYY-MM-DD" in bad.data.decode()
    long = client.get(f"/manage/units/{wards['a']}?start=" + "2" * 5000)
    assert long.status_code in (414, 422)
    assert (
        client.get(
            f"/manage/units/{wards['a']}/heatmap.csv?start=2026-12-05&end=2026-12-01"
        ).status_code
        == 422
    )
    assert (
        client.get(f"/manage/units/{wards['a']}?start=2026-12-01&end=2026-12-01").status_code == 200
    )


def _quiz(title: str, **settings):  # type: ignore[no-untyped-def]
    return create_quiz(title, {"per_topic": {"routes/intravenous": 3}}, **settings)


def test_every_compliance_state(app, client, auth, wards) -> None:
    rng = random.Random(7)
    with app.app_context():
        ahead, past = utcnow() + timedelta(days=5), utcnow() - timedelta(days=1)
        two = _quiz("Two tries", pass_mark=100, attempts_allowed=2)
        one = _quiz("One try", pass_mark=100, attempts_allowed=1)
        easy = _quiz("Easy", pass_mark=0)
        late = _quiz("Late", pass_mark=100)
        for quiz, due in ((two, ahead), (one, ahead), (easy, ahead), (late, past)):
            assign_quiz(quiz.id, wards["a"], due_at=due)
        t0, t1, t2, _t3 = (db.session.get(User, i) for i in wards["a_trainees"])
        _take(t0, [], rng, quiz_id=two.id)  # failed one of two, due ahead
        _take(t1, [], rng, quiz_id=one.id)  # failed its only attempt
        _take(t2, [], rng, quiz_id=two.id, submit=False)
        _take(t0, [], rng, quiz_id=easy.id)
        _take(t1, [], rng, quiz_id=late.id)
        # nobody passes the three hard ones, whatever the random answers were
        db.session.execute(
            update(Attempt)
            .where(Attempt.quiz_id.in_([two.id, one.id, late.id]))
            .values(passed=False)
        )
        db.session.commit()
    auth.login("boss-a@ward.example", DEFAULT_PASSWORD)
    rows = {
        (r["trainee"], r["quiz"]): r
        for r in _csv(client, f"/manage/units/{wards['a']}/compliance.csv")
    }
    assert rows[("Nurse A0", "Two tries")]["status"] == "attempts left"
    assert rows[("Nurse A0", "Two tries")]["attempts"] == "1"
    assert rows[("Nurse A1", "One try")]["status"] == "failed, no attempts left"
    assert rows[("Nurse A2", "Two tries")]["status"] == "in progress"
    assert rows[("Nurse A3", "Two tries")]["status"] == "not started"
    assert rows[("Nurse A0", "Easy")]["status"] == "passed"
    assert rows[("Nurse A1", "Late")]["status"] == "overdue"
    assert rows[("Nurse A3", "Late")]["status"] == "overdue"
    page = client.get(f"/manage/units/{wards['a']}").data.decode()
    assert "1 of 2 attempts used" in page and "Failed, no attempts left" in page
    # as of a day before anything happened, nobody had started, and "Late" was not due yet
    yesterday = (utcnow() - timedelta(days=2)).date()
    before = {
        (r["trainee"], r["quiz"]): r["status"]
        for r in _csv(client, f"/manage/units/{wards['a']}/compliance.csv?end={yesterday}")
    }
    assert before[("Nurse A0", "Easy")] == "not started"
    assert before[("Nurse A1", "Late")] == "not started"


def _competency_quiz(app, wards):  # type: ignore[no-untyped-def]
    rng = random.Random(3)
    with app.app_context():
        quiz = _quiz("IV competency", pass_mark=0, is_competency=True, validity_months=12)
        assign_quiz(quiz.id, wards["a"])
        for user_id in wards["a_trainees"][:2]:
            _take(db.session.get(User, user_id), [], rng, quiz_id=quiz.id)
        return quiz.id


def test_competency_passed_then_expired(app, client, auth, wards) -> None:
    _competency_quiz(app, wards)
    with app.app_context():
        record = db.session.scalar(
            select(Competency).where(Competency.user_id == wards["a_trainees"][0])
        )
        record.achieved_at = utcnow() - timedelta(days=400)
        record.expires_at = utcnow() - timedelta(days=35, hours=1)
        db.session.commit()
    auth.login("boss-a@ward.example", DEFAULT_PASSWORD)
    rows = {r["trainee"]: r for r in _csv(client, f"/manage/units/{wards['a']}/competency.csv")}
    assert rows["Nurse A0"]["status"] == "expired" and rows["Nurse A0"]["quiz"] == "IV competency"
    assert rows["Nurse A1"]["status"] == "valid"
    page = client.get(f"/manage/units/{wards['a']}").data.decode()
    assert "expired 35 days ago" in page and "expires in 36" in page
    # as of a day when it was still valid
    then = (utcnow() - timedelta(days=100)).date()
    rows = {
        r["trainee"]: r
        for r in _csv(client, f"/manage/units/{wards['a']}/competency.csv?end={then}")
    }
    assert rows == {"Nurse A0": rows["Nurse A0"]} and rows["Nurse A0"]["status"] == "valid"


def test_a_weak_practice_score_does_not_void_a_valid_competency(app, client, auth, wards) -> None:
    _competency_quiz(app, wards)
    with app.app_context():
        score = db.session.scalar(
            select(TopicScore).where(
                TopicScore.user_id == wards["a_trainees"][0], TopicScore.topic_id == wards["iv"]
            )
        )
        score.recent, score.recent_score, score.mastered = [1.0, 0.0, 0.0], 100 / 3, False
        db.session.commit()
    auth.login("boss-a@ward.example", DEFAULT_PASSWORD)
    rows = {r["trainee"]: r for r in _csv(client, f"/manage/units/{wards['a']}/competency.csv")}
    assert rows["Nurse A0"]["status"] == "valid"
    assert rows["Nurse A0"]["weak_topics"] == "routes/intravenous 33%"
    assert rows["Nurse A1"]["weak_topics"] == ""
    page = client.get(f"/manage/units/{wards['a']}").data.decode()
    assert re.search(r"Valid</span>\s*<span class=\"sub\">passed .*?expires in 36[45] days", page)
    assert "Weak score now: Intravenous route 33%" in page


def test_a_manager_opens_any_attempt_of_their_trainees_only(app, client, auth, wards) -> None:
    with app.app_context():
        mine = db.session.scalar(
            select(Attempt.id).where(Attempt.user_id == wards["a_trainees"][0]).limit(1)
        )
        theirs = db.session.scalar(
            select(Attempt.id).where(Attempt.user_id == wards["b_trainee"]).limit(1)
        )
        running = _take(
            db.session.get(User, wards["a_trainees"][1]),
            [wards["iv"]],
            random.Random(1),
            submit=False,
        ).id
    auth.login("boss-a@ward.example", DEFAULT_PASSWORD)
    a, b = wards["a"], wards["b"]
    person = client.get(f"/manage/units/{a}/trainees/{wards['a_trainees'][0]}").data.decode()
    assert f"/manage/units/{a}/attempts/{mine}" in person
    page = client.get(f"/manage/units/{a}/attempts/{mine}")
    assert page.status_code == 200
    text = page.data.decode()
    assert "Nurse A0" in text and "Question by question" in text and "Read-only" in text
    assert "<form" not in text.split("<main", 1)[1].replace('action="/logout"', "")
    assert client.get(f"/manage/units/{a}/attempts/{running}").status_code == 200
    assert client.get(f"/manage/units/{a}/attempts/{theirs}").status_code == 404
    assert client.get(f"/manage/units/{b}/attempts/{theirs}").status_code == 404
    assert client.get(f"/manage/units/{a}/attempts/999999").status_code == 404
    with app.app_context():
        status = db.session.get(Attempt, running).status
    assert status is AttemptStatus.IN_PROGRESS  # looking changed nothing


def test_query_counts_with_a_range_and_on_the_trainee_page(app, client, auth, wards) -> None:
    auth.login("boss-a@ward.example", DEFAULT_PASSWORD)
    unit = wards["a"]
    today = utcnow().date()
    urls = [
        f"/manage/units/{unit}?start={today - timedelta(days=60)}&end={today}",
        f"/manage/units/{unit}/heatmap.csv?start={today - timedelta(days=60)}",
        f"/manage/units/{unit}/trainees/{wards['a_trainees'][0]}",
    ]
    _grow(app, unit, 5, wards["iv"])
    before = {}
    for url in urls:
        with count_queries(app) as counter:
            assert client.get(url).status_code == 200
        before[url] = counter["n"]
    _grow(app, unit, 40, wards["iv"])
    rng = random.Random(2)
    with app.app_context():
        for _ in range(3):
            _take(db.session.get(User, wards["a_trainees"][0]), [wards["iv"]], rng)
    for url in urls:
        with count_queries(app) as counter:
            assert client.get(url).status_code == 200
        assert counter["n"] == before[url], url
