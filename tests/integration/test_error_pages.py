"""Error pages render without the database: a signed-in user gets the 503 page (not a bare
500) when the database is away, and 403/404/413/429/500 pages render even when the database
went away after the user was loaded. The outage is simulated on either database by making
every statement fail as a lost connection does (the PostgreSQL proxy test cuts it for real)."""

from __future__ import annotations

import pytest
from flask import Flask, abort
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from quizapp.extensions import db
from tests.factories import DEFAULT_PASSWORD, UserFactory


class Outage:
    """While `on`, every SQL statement fails with OperationalError, as with the server gone."""

    def __init__(self) -> None:
        self.on = False

    def __call__(self, conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
        if self.on:
            raise OperationalError(statement, {}, ConnectionError("server closed the connection"))


@pytest.fixture
def outage(app: Flask):  # type: ignore[no-untyped-def]
    cut = Outage()
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", cut)

    @app.route("/_test/after-outage/<int:code>")
    def after_outage(code: int) -> str:
        assert current_user.name  # the user was loaded while the database answered
        cut.on = True
        if code == 500:
            raise RuntimeError("something broke after the database went away")
        abort(code)

    app.config["PROPAGATE_EXCEPTIONS"] = False  # a real server turns exceptions into 500s
    yield cut
    with app.app_context():
        event.remove(db.engine, "before_cursor_execute", cut)


def sign_in(app: Flask, auth) -> str:  # type: ignore[no-untyped-def]
    with app.app_context():
        user = UserFactory(name="Nurse Outage")
        email = user.email
    assert auth.login(email, DEFAULT_PASSWORD).status_code == 302
    return email


def test_a_signed_in_user_gets_the_503_page_during_an_outage(app, client, auth, outage) -> None:
    sign_in(app, auth)
    assert b"Nurse Outage" in client.get("/me").data
    outage.on = True
    for path in ("/", "/me", "/attempts", "/practice", "/no-such-page"):
        page = client.get(path)
        assert page.status_code == 503, path
        assert b"not answering" in page.data and b"Nurse Outage" not in page.data, path
    health = client.get("/healthz")  # with the session cookie
    assert health.status_code == 503 and health.get_json()["status"] == "unavailable"
    outage.on = False
    assert client.get("/me").status_code == 200


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (403, b"Forbidden"),
        (404, b"Not Found"),
        (413, b"Too Large"),
        (429, b"Too many"),
        (500, b"Internal Server Error"),
    ],
)
def test_error_pages_render_after_the_database_went_away(
    app, client, auth, outage, code: int, words: bytes
) -> None:
    sign_in(app, auth)
    page = client.get(f"/_test/after-outage/{code}")
    assert page.status_code == code
    assert words in page.data and b"Nurse Outage" not in page.data
