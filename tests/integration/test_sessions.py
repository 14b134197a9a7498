"""Sessions end on the server at logout (copied cookies refused, other devices untouched),
reset links are opaque and single-use, and old password hashes are redone at sign-in."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import re
from datetime import timedelta

from argon2 import PasswordHasher
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import PasswordReset, Role, User, UserSession, utcnow
from tests.factories import DEFAULT_PASSWORD, UserFactory

EMAIL = "nurse@ward.example"


def _user(app, **fields) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return UserFactory(email=EMAIL, role=Role.TRAINEE, **fields).id


def _login(client, remember: bool = False):  # type: ignore[no-untyped-def]
    data = {"email": EMAIL, "password": DEFAULT_PASSWORD}
    if remember:
        data["remember"] = "y"
    assert client.post("/login", data=data).status_code == 302


def _with_cookie(app, name: str, value: str):  # type: ignore[no-untyped-def]
    client = app.test_client()
    client.set_cookie(name, value)
    return client


def _signed_in(client) -> bool:  # type: ignore[no-untyped-def]
    return client.get("/me").status_code == 200


def test_a_copied_session_cookie_is_refused_after_logout(app) -> None:
    _user(app)
    client = app.test_client()
    _login(client)
    copied = client.get_cookie("session").value
    assert _signed_in(_with_cookie(app, "session", copied))  # the copy works while signed in
    client.post("/logout")
    assert not _signed_in(_with_cookie(app, "session", copied))


def test_the_remember_cookie_alone_is_refused_after_logout(app) -> None:
    _user(app)
    client = app.test_client()
    _login(client, remember=True)
    remember = client.get_cookie("remember_token")
    assert remember is not None
    assert remember.expires is not None
    assert remember.expires - utcnow() <= timedelta(days=14, minutes=1)  # not a year
    assert _signed_in(_with_cookie(app, "remember_token", remember.value))
    client.post("/logout")
    assert not _signed_in(_with_cookie(app, "remember_token", remember.value))


def test_an_inactive_account_is_signed_out_even_with_its_session_version_unchanged(
    app,
) -> None:
    """The loader itself refuses an inactive user: here `active` is cleared in the database
    without the session_version bump that deactivation also makes, and both the session
    cookie and the remember cookie stop working on the next request."""
    user_id = _user(app)
    client = app.test_client()
    _login(client, remember=True)
    remember = client.get_cookie("remember_token").value
    assert _signed_in(client)
    with app.app_context():
        user = db.session.get(User, user_id)
        version = user.session_version
        user.active = False
        db.session.commit()
    page = client.get("/me")
    assert page.status_code == 302 and "/login" in page.headers["Location"]
    assert not _signed_in(_with_cookie(app, "remember_token", remember))
    with app.app_context():
        assert db.session.get(User, user_id).session_version == version


def test_logout_ends_this_session_only(app) -> None:
    _user(app)
    phone, desktop = app.test_client(), app.test_client()
    _login(phone)
    _login(desktop)
    desktop.post("/logout")
    assert not _signed_in(desktop)
    assert _signed_in(phone)
    with app.app_context():
        assert len(db.session.scalars(select(UserSession)).all()) == 1


def _reset_path(runner) -> str:  # type: ignore[no-untyped-def]
    result = runner.invoke(args=["users", "reset-link", EMAIL])
    assert result.exit_code == 0, result.output
    return re.search(r"(/reset/\S+)", result.output).group(1)


def _decoded_parts(token: str) -> list[bytes]:
    parts = []
    for part in token.split("."):
        with contextlib.suppress(ValueError):
            parts.append(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return parts


def test_a_reset_link_carries_no_hash_material_and_only_its_hash_is_stored(app, runner) -> None:
    user_id = _user(app)
    token = _reset_path(runner).removeprefix("/reset/")
    with app.app_context():
        password_hash = db.session.get(User, user_id).password_hash
        stored = db.session.scalars(select(PasswordReset.token_hash)).all()
    for text in [token.encode(), *_decoded_parts(token)]:
        assert password_hash[-16:].encode() not in text
        assert b'"h"' not in text and b'"u"' not in text
    assert stored == [hashlib.sha256(token.encode()).hexdigest()]


def test_a_reset_link_works_once_and_expires(app, runner) -> None:
    _user(app)
    path = _reset_path(runner)
    client = app.test_client()
    new = "my own new passphrase"
    assert client.post(path, data={"new_password": new, "confirm": new}).status_code == 302
    again = app.test_client().post(path, data={"new_password": new + "!", "confirm": new + "!"})
    assert again.status_code == 400 and b"already been used" in again.data
    late = _reset_path(runner)
    with app.app_context():
        for row in db.session.scalars(select(PasswordReset).where(PasswordReset.used_at.is_(None))):
            row.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    expired = app.test_client().get(late)
    assert expired.status_code == 400 and b"expired" in expired.data


def test_changing_the_password_spends_reset_links_already_out(app, runner) -> None:
    _user(app)
    path = _reset_path(runner)
    client = app.test_client()
    _login(client)
    new = "a brand new passphrase"
    changed = client.post(
        "/account/password",
        data={"current_password": DEFAULT_PASSWORD, "new_password": new, "confirm": new},
    )
    assert changed.status_code == 302
    assert app.test_client().get(path).status_code == 400


def test_an_old_cost_hash_is_redone_at_sign_in(app) -> None:
    old = PasswordHasher(time_cost=3, memory_cost=64 * 1024, parallelism=4)
    user_id = _user(app, password_hash=old.hash(DEFAULT_PASSWORD))
    _login(app.test_client())
    with app.app_context():
        rehashed = db.session.get(User, user_id).password_hash
    assert rehashed.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert PasswordHasher().verify(rehashed, DEFAULT_PASSWORD)
    _login(app.test_client())
    with app.app_context():
        assert db.session.get(User, user_id).password_hash == rehashed  # once is enough
