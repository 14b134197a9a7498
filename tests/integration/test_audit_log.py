"""The audit log: anonymous refusals aggregated per address and minute, a paged and filtered
view for administrators, and only authoring events for instructors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import AuditEvent, Role, utcnow
from tests.factories import DEFAULT_PASSWORD, UserFactory


def _rows(app, action: str) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
    with app.app_context():
        found = db.session.execute(
            select(AuditEvent.ip, AuditEvent.count)
            .where(AuditEvent.action == action)
            .order_by(AuditEvent.id)
        )
        return [tuple(row) for row in found]


def test_anonymous_csrf_refusals_give_one_row_per_address_and_minute(csrf_app, monkeypatch) -> None:
    client = csrf_app.test_client()
    for _ in range(40):
        assert client.post("/login", data={"email": "x@y.example"}).status_code == 400
    for _ in range(3):
        client.post("/login", data={}, environ_base={"REMOTE_ADDR": "198.51.100.9"})
    assert _rows(csrf_app, "csrf.refused") == [("127.0.0.1", 40), ("198.51.100.9", 3)]
    later = utcnow() + timedelta(minutes=1)
    monkeypatch.setattr("quizapp.services.audit.utcnow", lambda: later)
    client.post("/login", data={})
    assert len(_rows(csrf_app, "csrf.refused")) == 3  # a new minute, a new row


def test_429s_are_aggregated_too(app, monkeypatch) -> None:
    monkeypatch.setattr("quizapp.services.signin_throttle.now", lambda: 3_000_000.0)
    client = app.test_client()
    for _ in range(20):
        client.post("/login", data={"email": "a@b.example", "password": "wrong password!!"})
    assert _rows(app, "ratelimit.hit") == [("127.0.0.1", 15)]


def _event(action: str, actor_id: int | None = None, at: datetime | None = None) -> AuditEvent:
    event = AuditEvent(action=action, actor_id=actor_id, object_key=action, ip="10.0.0.1")
    if at:
        event.at = at
    db.session.add(event)
    return event


def _sign_in(app, email: str, role: Role):  # type: ignore[no-untyped-def]
    with app.app_context():
        UserFactory(email=email, role=role)
    client = app.test_client()
    client.post("/login", data={"email": email, "password": DEFAULT_PASSWORD})
    return client


def test_an_instructor_sees_authoring_events_only(app) -> None:
    client = _sign_in(app, "educator@ward.example", Role.INSTRUCTOR)
    app.test_client().post("/login", data={"email": "educator@ward.example", "password": "nope!"})
    with app.app_context():
        _event("question.created")
        _event("quiz.created")
        _event("user.role_changed")
        db.session.commit()
    page = client.get("/author/audit").data.decode()
    assert "question.created" in page and "quiz.created" in page
    for hidden in ("login.succeeded", "login.failed", "user.role_changed", "127.0.0.1"):
        assert hidden not in page, hidden  # nor the addresses people signed in from
    assert "login.succeeded" not in client.get("/author/audit?action=login").data.decode()
    assert client.get("/admin/audit").status_code == 403


def test_the_admin_log_is_paged_and_filtered(app) -> None:
    client = _sign_in(app, "admin@ward.example", Role.ADMIN)
    day = datetime(2026, 3, 4, 12, tzinfo=UTC)
    with app.app_context():
        nurse = UserFactory(email="nurse.bo@ward.example").id
        for n in range(120):
            _event("question.edited", at=day + timedelta(minutes=n))
        _event("user.deactivated", actor_id=nurse, at=day - timedelta(days=3))
        db.session.commit()
    first = client.get("/admin/audit").data.decode()
    assert first.count("<tr><td>") == 50 and "Page 1 of 3" in first
    third = client.get("/admin/audit?page=3").data.decode()
    assert third.count("<tr><td>") == 22
    assert "login.succeeded" in third  # the admin's own sign-in: admins see everything
    by_action = client.get("/admin/audit?action=user.").data.decode()
    assert by_action.count("<tr><td>") == 1 and "user.deactivated" in by_action
    by_actor = client.get("/admin/audit?actor=nurse.bo").data.decode()
    assert by_actor.count("<tr><td>") == 1
    by_date = client.get("/admin/audit?since=2026-03-01&until=2026-03-01").data.decode()
    assert by_date.count("<tr><td>") == 1 and "user.deactivated" in by_date
    bad = client.get("/admin/audit?since=yesterday")
    assert bad.status_code == 200 and "not a date like 2026-12-01" in bad.data.decode()
