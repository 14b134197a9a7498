"""Issue 16: dates shown in the site's zone or the person's own, instructor dates read in
their zone and stored UTC, the time-zone setting, the countdown's markup, the account links,
the 403 page, the home page's topic links, and the multiple-response hint said once."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select

from quizapp.config import ConfigError
from quizapp.domain.local_time import format_time
from quizapp.extensions import db
from quizapp.models import (
    Attempt,
    AuditEvent,
    QuestionEntry,
    QuestionVersion,
    Quiz,
    QuizAssignment,
    Role,
    User,
)
from quizapp.services.quizzes import assign_quiz, create_quiz
from tests.conftest import PROJECT_ROOT, AuthActions, make_app
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, UnitFactory, UserFactory
from tests.integration.quiz_helpers import load_small_bank

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture
def berlin_app(database_url: str) -> Iterator[Flask]:
    """The app with QUIZAPP_TIMEZONE=Europe/Berlin as the site's zone."""
    app = make_app(database_url, TIMEZONE="Europe/Berlin")
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _ward(app: Flask, tmp_path, selection: dict, minutes: int | None = 30) -> dict:  # type: ignore[no-untyped-def]
    load_small_bank(app, tmp_path)
    with app.app_context():
        unit = UnitFactory(name="Ward 7")
        user = UserFactory(email="nurse@ward.example")
        MembershipFactory(unit=unit, user=user)
        quiz = create_quiz("Timed check", selection, mode="exam", time_limit_minutes=minutes)
        assign_quiz(quiz.id, unit.id, due_at=datetime(2026, 12, 24, 16, 0, tzinfo=UTC))
        return {"quiz_id": quiz.id, "user_id": user.id}


def _start(client, quiz_id: int) -> int:  # type: ignore[no-untyped-def]
    page = client.get(f"/quizzes/{quiz_id}").data.decode()
    token = page.split('name="token" value="')[1].split('"')[0]
    response = client.post(f"/quizzes/{quiz_id}/start", data={"token": token})
    assert response.status_code == 302
    return int(response.headers["Location"].split("/attempts/")[1].split("/")[0])


def _deadline(app: Flask, attempt_id: int) -> datetime:
    with app.app_context():
        deadline = db.session.get(Attempt, attempt_id).deadline_at
        assert deadline is not None
        return deadline


def _set_zone(app: Flask, user_id: int, zone: str | None) -> None:
    with app.app_context():
        db.session.get(User, user_id).time_zone = zone
        db.session.commit()


def test_the_quiz_page_shows_the_deadline_in_the_site_zone(berlin_app, tmp_path) -> None:
    app = berlin_app
    ward = _ward(app, tmp_path, {"per_topic": {"routes/intravenous": 2}})
    client = app.test_client()
    AuthActions(client).login("nurse@ward.example", DEFAULT_PASSWORD)
    quiz_page = client.get(f"/quizzes/{ward['quiz_id']}").data.decode()
    assert "24 Dec 2026, 17:00 CET" in quiz_page  # stored 16:00 UTC
    attempt_id = _start(client, ward["quiz_id"])
    page = client.get(f"/attempts/{attempt_id}/q/1").data.decode()
    deadline = _deadline(app, attempt_id)
    shown = format_time(deadline, BERLIN)
    assert re.fullmatch(r"\d\d:\d\d CES?T", shown)
    assert f">{shown}</time>" in page
    assert "UTC" not in page
    iso = deadline.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert f'data-deadline="{iso}"' in page
    assert re.search(r'data-now="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"', page)
    # the countdown and both live regions are there for the script; no inline script
    assert 'id="timer-polite" aria-live="polite"' in page
    assert 'id="timer-urgent" aria-live="assertive"' in page
    assert re.search(r'<script src="/static/timer\.js[^"]*" defer></script>', page)
    assert "<script>" not in page
    assert client.get("/static/timer.js").status_code == 200


def test_the_quiz_page_shows_the_deadline_in_the_users_own_zone(berlin_app, tmp_path) -> None:
    app = berlin_app
    ward = _ward(app, tmp_path, {"per_topic": {"routes/intravenous": 2}})
    _set_zone(app, ward["user_id"], "America/New_York")
    client = app.test_client()
    AuthActions(client).login("nurse@ward.example", DEFAULT_PASSWORD)
    assert "24 Dec 2026, 11:00 EST" in client.get(f"/quizzes/{ward['quiz_id']}").data.decode()
    attempt_id = _start(client, ward["quiz_id"])
    page = client.get(f"/attempts/{attempt_id}/q/1").data.decode()
    assert f">{format_time(_deadline(app, attempt_id), NEW_YORK)}</time>" in page
    assert "CET" not in page


def test_an_untimed_attempt_has_no_countdown(app, client, auth, tmp_path) -> None:
    ward = _ward(app, tmp_path, {"per_topic": {"routes/intravenous": 2}}, minutes=None)
    auth.login("nurse@ward.example", DEFAULT_PASSWORD)
    page = client.get(f"/attempts/{_start(client, ward['quiz_id'])}/q/1").data.decode()
    assert "data-deadline" not in page and "timer.js" not in page


def test_instructor_dates_are_read_in_their_zone_and_stored_utc(berlin_app, tmp_path) -> None:
    app = berlin_app
    load_small_bank(app, tmp_path)
    with app.app_context():
        unit_id = UnitFactory(name="Ward 5").id
        UserFactory(email="educator@ward.example", role=Role.INSTRUCTOR)
    client = app.test_client()
    AuthActions(client).login("educator@ward.example", DEFAULT_PASSWORD)
    form_page = client.get("/author/quizzes/new").data.decode()
    assert "Due (Europe/Berlin time)" in form_page and "Opens (Europe/Berlin time)" in form_page
    form = {
        "title": "IV basics",
        "selection": "per_topic",
        "count-routes/intravenous": "3",
        "mode": "exam",
        "pass_mark": "80",
        "grading": "highest",
        "review_shows": "full",
        "review_when": "immediately",
        "open_at": "2026-07-01T08:00",  # summer: CEST, UTC+2
        "units": [str(unit_id)],
        "due_at": "2026-12-20T09:00",  # winter: CET, UTC+1
    }
    response = client.post("/author/quizzes/new", data=form)
    assert response.status_code == 302, response.data.decode()[:2000]
    with app.app_context():
        quiz = db.session.scalar(select(Quiz))
        quiz_id = quiz.id
        assert quiz.open_at == datetime(2026, 7, 1, 6, 0, tzinfo=UTC)
        assignment = db.session.scalar(select(QuizAssignment))
        assert assignment.due_at == datetime(2026, 12, 20, 8, 0, tzinfo=UTC)
        second_unit = UnitFactory(name="Ward 6").id
    page = client.get(f"/author/quizzes/{quiz_id}").data.decode()
    assert "20 Dec 2026, 09:00 CET" in page and "1 Jul 2026, 08:00 CEST" in page
    assert "Due (Europe/Berlin time)" in page
    client.post(
        f"/author/quizzes/{quiz_id}/assign",
        data={"unit_id": second_unit, "due_at": "2026-12-21T09:30"},
    )
    with app.app_context():
        due = db.session.scalar(
            select(QuizAssignment.due_at).where(QuizAssignment.unit_id == second_unit)
        )
        assert due == datetime(2026, 12, 21, 8, 30, tzinfo=UTC)


def test_the_time_zone_form_saves_audits_and_clears(client, auth, app) -> None:
    with app.app_context():
        user_id = UserFactory(email="nurse@ward.example").id
    auth.login("nurse@ward.example", DEFAULT_PASSWORD)
    page = client.get("/account").data.decode()
    assert '<option selected value="">The site&#39;s time zone (UTC)</option>' in page
    assert '<option value="Europe/Berlin">Europe/Berlin</option>' in page
    saved = client.post("/account", data={"time_zone": "Europe/Berlin"})
    assert saved.status_code == 302 and saved.headers["Location"] == "/account"
    with app.app_context():
        assert db.session.get(User, user_id).time_zone == "Europe/Berlin"
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "account.time_zone")
        )
        assert event.actor_id == user_id
        assert event.details == {"before": None, "after": "Europe/Berlin"}
    assert '<option selected value="Europe/Berlin">' in client.get("/account").data.decode()
    cleared = client.post("/account", data={"time_zone": ""})
    assert cleared.status_code == 302
    with app.app_context():
        assert db.session.get(User, user_id).time_zone is None


def test_the_time_zone_form_refuses_an_unknown_zone_beside_the_field(client, auth, app) -> None:
    with app.app_context():
        user_id = UserFactory(email="nurse@ward.example", time_zone="Europe/Berlin").id
    auth.login("nurse@ward.example", DEFAULT_PASSWORD)
    for sent in ({"time_zone": "Mars/Olympus"}, {"time_zone": "../../etc/passwd"}, {}):
        page = client.post("/account", data=sent)
        assert page.status_code == 422, sent
        html = page.data.decode()
        field = re.search(r'<div class="field has-error">(.*?)</div>', html, re.S)
        assert field, html
        assert 'aria-describedby="time_zone-error"' in field.group(1)
        assert re.search(
            r'<p class="error" id="time_zone-error">Choose a time zone from the list',
            field.group(1),
        )
    with app.app_context():
        assert db.session.get(User, user_id).time_zone == "Europe/Berlin"
        assert (
            db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "account.time_zone"))
            is None
        )


def test_the_account_menu_reaches_the_account_and_password_pages(client, auth, app) -> None:
    with app.app_context():
        UserFactory(email="educator@ward.example", role=Role.INSTRUCTOR)
    auth.login("educator@ward.example", DEFAULT_PASSWORD)
    for path in ("/author/questions", "/sources/", "/account/password"):
        header = client.get(path).data.decode().split("</header>")[0]
        assert '<a href="/account">My account and time zone</a>' in header, path
        assert '<a href="/account/password">Change password</a>' in header, path
    assert "Change my password" in client.get("/account").data.decode()


def test_sign_in_links_to_the_forgotten_password_page(client) -> None:
    login = client.get("/login").data.decode()
    assert '<a href="/forgot-password">Forgot password?</a>' in login
    page = client.get("/forgot-password")
    assert page.status_code == 200
    text = page.data.decode()
    # e-mail first (issue 18); an administrator can still give a link
    assert 'name="email"' in text and "administrator" in text and 'href="/login"' in text


def test_the_403_page_speaks_plainly_and_offers_a_way_back(client, auth, app) -> None:
    with app.app_context():
        UserFactory(email="nurse@ward.example")
    auth.login("nurse@ward.example", DEFAULT_PASSWORD)
    page = client.get("/author/questions")
    assert page.status_code == 403
    text = page.data.decode()
    assert "<h1>This page is not open to your account</h1>" in text
    assert "ask your practice educator or an administrator" in text
    assert '<a href="/">Back to the start page</a>' in text
    assert "permission to access the requested resource" not in text  # Werkzeug's words
    assert "<title>Not open to your account" in text


def test_home_page_topics_link_to_practice_or_to_sign_in(app, client, auth, tmp_path) -> None:
    load_small_bank(app, tmp_path)
    with app.app_context():
        iv = db.session.scalar(
            select(QuestionEntry.topic_id).where(QuestionEntry.uid == "t-single")
        )
        UserFactory(email="educator@ward.example", role=Role.INSTRUCTOR)
    page = client.get("/").data.decode()
    assert f'href="/login?next=/practice?topic%3D{iv}"' in page
    auth.login("educator@ward.example", DEFAULT_PASSWORD)
    staff = client.get("/").data.decode()
    assert "/practice?topic=" not in staff  # staff do not practise; the title stays text


def test_a_visitor_following_a_topic_link_practises_it_after_sign_in(app, client, tmp_path) -> None:
    load_small_bank(app, tmp_path)
    with app.app_context():
        UserFactory(email="nurse@ward.example")
    link = re.search(r'href="(/login\?next=[^"]+)"', client.get("/").data.decode())
    assert link
    response = client.post(
        link.group(1).replace("&amp;", "&"),
        data={"email": "nurse@ward.example", "password": DEFAULT_PASSWORD},
    )
    assert response.status_code == 302
    target = response.headers["Location"]
    assert re.fullmatch(r"/practice\?topic=\d+", target)
    practice = client.get(target).data.decode()
    topic = target.split("=")[1]
    assert re.search(
        rf'<input checked id="topics-\d+" name="topics" required type="checkbox" value="{topic}">',
        practice,
    )


def test_select_all_that_apply_is_said_once(app, client, auth, tmp_path) -> None:
    ward = _ward(app, tmp_path, {"fixed": ["t-multiple"]}, minutes=None)
    auth.login("nurse@ward.example", DEFAULT_PASSWORD)
    attempt_id = _start(client, ward["quiz_id"])
    page = client.get(f"/attempts/{attempt_id}/q/1").data.decode()
    assert page.count("Select all that apply") == 1  # the stem says it; the hint is left out
    with app.app_context():
        version = db.session.scalar(
            select(QuestionVersion).where(QuestionVersion.type == "multiple")
        )
        version.stem = "Which signs suggest infiltration at an IV site?"
        db.session.commit()
    page = client.get(f"/attempts/{attempt_id}/q/1").data.decode()
    assert page.count("Select all that apply.") == 1  # now the hint says it
    assert '<span class="hint">Select all that apply.</span>' in page


def test_an_unknown_site_zone_stops_the_app_at_start(database_url: str) -> None:
    with pytest.raises(ConfigError, match="QUIZAPP_TIMEZONE"):
        make_app(database_url, TIMEZONE="Europe/Atlantis")


def test_the_site_zone_comes_from_the_environment(database_url: str, monkeypatch) -> None:
    monkeypatch.setenv("QUIZAPP_TIMEZONE", "Europe/Berlin")
    assert make_app(database_url).config["TIMEZONE"] == "Europe/Berlin"
    monkeypatch.delenv("QUIZAPP_TIMEZONE")
    assert make_app(database_url).config["TIMEZONE"] == "UTC"


def test_downgrading_0014_refuses_to_drop_chosen_zones(app, monkeypatch) -> None:
    monkeypatch.delenv("QUIZAPP_ALLOW_DATA_LOSS", raising=False)
    directory = str(PROJECT_ROOT / "migrations")
    with app.app_context():
        UserFactory(email="nurse@ward.example", time_zone="Europe/Berlin")
        db.session.remove()
        with pytest.raises(SystemExit):
            downgrade(directory=directory, revision="0013")
        db.session.remove()
        columns = {c["name"] for c in inspect(db.engine).get_columns("users")}
        assert "time_zone" in columns
        downgrade(directory=directory, revision="0013", x_arg=["i-understand-data-loss=1"])
        db.session.remove()
        assert "time_zone" not in {c["name"] for c in inspect(db.engine).get_columns("users")}
        upgrade(directory=directory)


def test_the_due_date_on_trainee_home_is_the_local_day(berlin_app, tmp_path) -> None:
    app = berlin_app
    ward = _ward(app, tmp_path, {"per_topic": {"routes/intravenous": 2}})
    with app.app_context():
        assignment = db.session.scalar(select(QuizAssignment))
        assignment.due_at = datetime(2026, 12, 24, 23, 30, tzinfo=UTC)  # 25 Dec in Berlin
        db.session.commit()
    client = app.test_client()
    AuthActions(client).login("nurse@ward.example", DEFAULT_PASSWORD)
    home = client.get("/me").data.decode()
    assert "due 25 Dec 2026" in home
    _set_zone(app, ward["user_id"], "America/New_York")
    assert "due 24 Dec 2026" in client.get("/me").data.decode()
