"""'Forgot password?' by e-mail: the same page whether or not the address has an account, a
link that arrives over SMTP, works once, and expires; a reminder opt-out never stops it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from quizapp.extensions import db
from quizapp.models import OutboxMessage, PasswordReset, ReminderOptOut, User, utcnow
from quizapp.services import mailer
from quizapp.services.reset_mail import MAX_PER_HOUR
from tests.conftest import make_app
from tests.factories import UserFactory
from tests.mail_server import smtp_server

NEW = "a brand new passphrase 42"


@pytest.fixture
def mail_app(database_url):  # type: ignore[no-untyped-def]
    with smtp_server() as (inbox, url):
        app = make_app(database_url, MAIL_URL=url, QUIZAPP_BASE_URL="https://quiz.example")
        app.inbox = inbox  # type: ignore[attr-defined]
        yield app
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def _ask(client, address: str) -> str:  # type: ignore[no-untyped-def]
    response = client.post("/forgot-password", data={"email": address})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_reset_link_arrives_and_sets_the_password_once(mail_app) -> None:
    with mail_app.app_context():
        UserFactory(email="nurse@ward.example")
        db.session.add(ReminderOptOut(user_id=db.session.scalar(select(User.id))))
        db.session.commit()
    client = mail_app.test_client()
    assert "Check your e-mail" in _ask(client, "Nurse@Ward.example ")
    with mail_app.app_context():
        assert mailer.send_pending().sent == 1
    [message] = mail_app.inbox.to("nurse@ward.example")  # type: ignore[attr-defined]
    [link] = [u for u in message.links() if "/reset/" in u]
    assert link.startswith("https://quiz.example/reset/")
    assert link in message.html()
    path = link.removeprefix("https://quiz.example")
    assert client.get(path).status_code == 200
    posted = client.post(path, data={"new_password": NEW, "confirm": NEW})
    assert posted.status_code == 302
    assert (
        client.post("/login", data={"email": "nurse@ward.example", "password": NEW}).status_code
        == 302
    )
    assert client.get(path).status_code == 400  # single use


def test_the_page_is_the_same_whether_or_not_the_address_exists(mail_app) -> None:
    with mail_app.app_context():
        UserFactory(email="nurse@ward.example")
        UserFactory(email="left@ward.example", active=False)
    client = mail_app.test_client()
    known = _ask(client, "nurse@ward.example")
    unknown = _ask(client, "nobody@ward.example")
    inactive = _ask(client, "left@ward.example")
    assert known == unknown == inactive
    with mail_app.app_context():
        assert db.session.scalars(select(OutboxMessage.to_addr)).all() == ["nurse@ward.example"]


def test_an_expired_link_is_refused(mail_app) -> None:
    with mail_app.app_context():
        UserFactory(email="nurse@ward.example")
    client = mail_app.test_client()
    _ask(client, "nurse@ward.example")
    with mail_app.app_context():
        link = db.session.scalar(select(OutboxMessage.link))
        db.session.execute(update(PasswordReset).values(expires_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
    response = client.get(link.removeprefix("https://quiz.example"))
    assert response.status_code == 400 and "expired" in response.get_data(as_text=True)


def test_requests_past_the_hourly_limit_queue_nothing_and_look_the_same(mail_app) -> None:
    with mail_app.app_context():
        UserFactory(email="nurse@ward.example")
    client = mail_app.test_client()
    pages = {_ask(client, "nurse@ward.example") for _ in range(MAX_PER_HOUR + 2)}
    assert len(pages) == 1
    with mail_app.app_context():
        count = db.session.scalar(select(db.func.count()).select_from(OutboxMessage))
    assert count == MAX_PER_HOUR


def test_a_bad_address_is_shown_beside_the_field(app, client) -> None:
    response = client.post("/forgot-password", data={"email": ""})
    assert response.status_code == 422
    assert "Give the address you sign in with." in response.get_data(as_text=True)
    long = client.post("/forgot-password", data={"email": "a" * 300 + "@x.example"})
    assert long.status_code == 422


def test_the_sign_in_page_links_to_it(client) -> None:
    assert "/forgot-password" in client.get("/login").get_data(as_text=True)
    assert client.get("/forgot-password").status_code == 200


def test_an_invitation_arrives_with_a_working_set_password_link(mail_app) -> None:
    from quizapp.services.invitations import invite_user

    with mail_app.app_context():
        user = UserFactory(email="new@ward.example", name="New Nurse")
        shown = invite_user(None, user.id)  # the admin's invitation queues the e-mail too
        assert mailer.send_pending().sent == 1
    [message] = mail_app.inbox.to("new@ward.example")  # type: ignore[attr-defined]
    assert "Hello New Nurse" in message.text()
    [url] = [u for u in message.links() if "/reset/" in u]
    assert url == shown.url  # the link the admin is shown is the one e-mailed
    client = mail_app.test_client()
    path = url.removeprefix("https://quiz.example")
    assert client.post(path, data={"new_password": NEW, "confirm": NEW}).status_code == 302
    assert (
        client.post("/login", data={"email": "new@ward.example", "password": NEW}).status_code
        == 302
    )
