"""Headers, password policy, password change and reset, sign-in limits, sessions, audit."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import AuditEvent, Role, User
from quizapp.passwords import WeakPassword, check_policy, hash_password, verify_password
from tests.conftest import make_app
from tests.factories import DEFAULT_PASSWORD, UserFactory


def test_security_headers(client) -> None:
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    for directive in (
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "script-src 'self'",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers  # tests are not production


def test_hsts_and_secure_cookies_in_production(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("QUIZAPP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'p.db'}")
    from quizapp import create_app

    app = create_app()
    response = app.test_client().get("/healthz")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short-pass", "at least 12"),
        ("x" * 129, "at most 128"),
        ("aaaaaaaaaaaaaa", "different characters"),
        ("password1234", "commonly used"),
        ("Sunshine2024!!", "commonly used"),
        ("qwertyuiop123", "commonly used"),
        ("nurse.ada-is-my-login", "email address"),
    ],
)
def test_password_policy_refuses(password: str, reason: str) -> None:
    with pytest.raises(WeakPassword, match=reason):
        check_policy(password, "nurse.ada@ward.example")


def test_long_passwords_are_accepted_and_never_truncated() -> None:
    check_policy("a quiet ward at four in the morning" * 2)  # 70 characters
    long_one = "infusion-" * 14  # 126 characters
    check_policy(long_one)
    hashed = hash_password(long_one)
    assert verify_password(hashed, long_one)
    assert not verify_password(hashed, long_one[:-1] + "X")  # the last character still counts


def _user(app, email="nurse@ward.example", role=Role.TRAINEE) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return UserFactory(email=email, role=role).id


def _login(client, email, password=DEFAULT_PASSWORD, remember=False):  # type: ignore[no-untyped-def]
    data = {"email": email, "password": password}
    if remember:
        data["remember"] = "y"
    return client.post("/login", data=data)


def test_changing_the_password_ends_every_other_session(app) -> None:
    _user(app)
    phone, desktop = app.test_client(), app.test_client()
    assert _login(phone, "nurse@ward.example").status_code == 302
    assert _login(desktop, "nurse@ward.example", remember=True).status_code == 302
    response = desktop.post(
        "/account/password",
        data={
            "current_password": DEFAULT_PASSWORD,
            "new_password": "a brand new passphrase",
            "confirm": "a brand new passphrase",
        },
    )
    assert response.status_code == 302
    assert desktop.get("/me").status_code == 200  # the session that changed it carries on
    assert phone.get("/me").headers["Location"].startswith("/login")
    assert (
        _login(app.test_client(), "nurse@ward.example", "a brand new passphrase").status_code == 302
    )


def test_change_password_errors_beside_fields(app, client) -> None:
    _user(app)
    _login(client, "nurse@ward.example")
    wrong = client.post(
        "/account/password",
        data={
            "current_password": "not-my-password",
            "new_password": "a brand new passphrase",
            "confirm": "a brand new passphrase",
        },
    )
    assert wrong.status_code == 422 and b"current password is not right" in wrong.data
    common = client.post(
        "/account/password",
        data={
            "current_password": DEFAULT_PASSWORD,
            "new_password": "password123456",
            "confirm": "password123456",
        },
    )
    assert common.status_code == 422 and b"commonly used" in common.data


def test_an_admin_reset_link_works_once(app, runner) -> None:
    _user(app)
    result = runner.invoke(args=["users", "reset-link", "nurse@ward.example"])
    assert result.exit_code == 0, result.output
    path = re.search(r"(/reset/\S+)", result.output).group(1)
    client = app.test_client()
    assert client.get(path).status_code == 200
    done = client.post(
        path, data={"new_password": "my own new passphrase", "confirm": "my own new passphrase"}
    )
    assert done.status_code == 302
    assert _login(client, "nurse@ward.example", "my own new passphrase").status_code == 302
    again = app.test_client().get(path)
    assert again.status_code == 400 and b"already been used" in again.data
    assert app.test_client().get("/reset/forged-token").status_code == 400


def test_five_failures_per_account_then_429_with_retry_after(app, monkeypatch) -> None:
    clock = [1_000_000.0]
    monkeypatch.setattr("quizapp.auth.throttle.now", lambda: clock[0])
    _user(app)
    client = app.test_client()
    for _ in range(5):
        assert _login(client, "nurse@ward.example", "wrong password!!").status_code == 200
    blocked = _login(client, "nurse@ward.example", DEFAULT_PASSWORD)
    assert blocked.status_code == 429
    wait = int(blocked.headers["Retry-After"])
    assert wait > 0
    assert re.search(rb"try again in \d+ seconds?", blocked.data)
    # a slow-down, not a lock: after the wait the right password is accepted
    clock[0] += wait
    assert _login(client, "nurse@ward.example", DEFAULT_PASSWORD).status_code == 302
    client.post("/logout")
    # another account from the same address is not slowed by this one
    _user(app, "other@ward.example")
    assert _login(client, "other@ward.example").status_code == 302
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action)).all()
    assert actions.count("login.failed") == 5 and "ratelimit.hit" in actions
    assert actions.count("login.succeeded") == 2


def test_successful_sign_ins_do_not_count(app) -> None:
    _user(app)
    client = app.test_client()
    for _ in range(7):
        assert _login(client, "nurse@ward.example").status_code == 302
        client.post("/logout")


def test_per_address_limit(tmp_path, database_url) -> None:
    app = make_app(database_url, LOGIN_LIMIT_PER_IP="3 per 15 minutes")
    from flask_migrate import upgrade

    from tests.conftest import PROJECT_ROOT

    with app.app_context():
        upgrade(directory=str(PROJECT_ROOT / "migrations"))
    client = app.test_client()
    for n in range(3):
        assert _login(client, f"nobody{n}@ward.example", "wrong password!!").status_code == 200
    assert _login(client, "nobody9@ward.example", "wrong password!!").status_code == 429
    with app.app_context():
        db.engine.dispose()


def test_signed_in_pages_are_not_stored_by_browsers_or_proxies(app) -> None:
    """A shared ward computer must not show the previous user's pages from its cache."""
    _user(app)
    client = app.test_client()
    assert "no-store" not in client.get("/login").headers.get("Cache-Control", "")
    _login(client, "nurse@ward.example")
    for path in ("/me", "/practice", "/account/password"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path


def test_sign_out_ends_the_session_and_the_remember_cookie(app) -> None:
    _user(app)
    client = app.test_client()
    _login(client, "nurse@ward.example", remember=True)
    assert client.get_cookie("remember_token") is not None
    client.post("/logout")
    assert client.get_cookie("remember_token") is None
    assert client.get("/me").status_code == 302


def test_a_new_session_at_sign_in(app) -> None:
    _user(app)
    client = app.test_client()
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    _login(client, "nurse@ward.example")
    with client.session_transaction() as session:
        assert "planted" not in session


def test_idle_timeout_signs_out(app) -> None:
    _user(app)
    client = app.test_client()
    _login(client, "nurse@ward.example")
    assert client.get("/me").status_code == 200
    with client.session_transaction() as session:
        session["seen"] = session["seen"] - 61 * 60
    response = client.get("/me")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.get("/me").status_code == 302


def test_a_deactivated_account_is_signed_out_on_its_next_request(app) -> None:
    user_id = _user(app)
    client = app.test_client()
    _login(client, "nurse@ward.example", remember=True)
    with app.app_context():
        user = db.session.get(User, user_id)
        user.active = False
        user.session_version += 1
        db.session.commit()
    assert client.get("/me").status_code == 302
    assert _login(app.test_client(), "nurse@ward.example").status_code == 200


def test_refused_access_is_audited_with_user_and_address(app, client) -> None:
    _user(app)
    _login(client, "nurse@ward.example")
    assert client.get("/author/questions").status_code == 403
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "access.refused"))
        assert event.object_key == "/author/questions" and event.ip == "127.0.0.1"
        assert event.actor.email == "nurse@ward.example"
        assert not any(
            "password" in str(e.details).lower() for e in db.session.scalars(select(AuditEvent))
        )


def test_user_text_is_escaped_everywhere_it_is_shown(app, client, auth, tmp_path) -> None:
    from tests.integration.quiz_helpers import load_small_bank

    load_small_bank(app, tmp_path)
    with app.app_context():
        UserFactory(email="i@ward.example", role=Role.INSTRUCTOR, name="<b>Ed</b>")
    auth.login("i@ward.example", DEFAULT_PASSWORD)
    evil = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    form = {
        "type": "short_answer",
        "stem": evil,
        "accepted": evil,
        "rationale": evil,
        "difficulty": "2",
        "topic": "routes/intravenous",
        "cites": ["types/intravenous"],
    }
    created = client.post("/author/questions/new", data=form)
    assert created.status_code == 302
    for path in (
        created.headers["Location"],
        created.headers["Location"] + "/preview",
        "/author/questions?q=alert",
    ):
        html = client.get(path).data.decode()
        assert "<script>alert(1)" not in html and "<img src=x" not in html
        assert "&lt;script&gt;" in html
    assert "<b>Ed</b>" not in client.get("/author/questions").data.decode()
