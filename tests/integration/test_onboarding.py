"""Onboarding without the command line (issue 17): invitations and password resets made by an
admin, their links built from QUIZAPP_BASE_URL (never the request's host), one working link
per user, expiry, audit rows, roster invitations shown once and stored only as hashes."""

from __future__ import annotations

import hashlib
import html
import io
import re
from collections.abc import Iterator
from datetime import timedelta
from urllib.parse import unquote

import pytest
from flask import Flask
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import AuditEvent, PasswordReset, Role, User, utcnow
from tests.conftest import AuthActions, make_app
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.integration.snapshot import snapshot

BASE = "https://quiz.hospital.example/train"
ADMIN = "admin@ward.example"
NEW_PASSWORD = "my own new passphrase"
LINK = re.compile(r'value="(https?://[^"]+/reset/[^"]+)"')


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    app = make_app(database_url, QUIZAPP_BASE_URL=BASE)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def admin(app, auth) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        user_id = UserFactory(email=ADMIN, name="Ada Admin", role=Role.ADMIN).id
    assert auth.login(ADMIN, DEFAULT_PASSWORD).status_code == 302
    return user_id


def _user(app, email: str = "nurse@ward.example", role: Role = Role.TRAINEE, **kw) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return UserFactory(email=email, name="Nia Nurse", role=role, **kw).id


def _links(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [html.unescape(u) for u in LINK.findall(response.data.decode())]


def _path(link: str) -> str:
    """The link's path on this app (served at / in tests, at /train behind the proxy)."""
    assert link.startswith(BASE + "/reset/"), link
    return link.removeprefix(BASE)


def _events(app, action: str) -> list[AuditEvent]:  # type: ignore[no-untyped-def]
    with app.app_context():
        found = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        ).all()
        for event in found:
            db.session.expunge(event)
        return list(found)


def _resets(app) -> list[tuple[str, bool, timedelta]]:  # type: ignore[no-untyped-def]
    """(purpose, spent, lifetime) of every link, oldest first."""
    with app.app_context():
        rows = db.session.scalars(select(PasswordReset).order_by(PasswordReset.id)).all()
        return [(r.purpose, r.used_at is not None, r.expires_at - r.created_at) for r in rows]


def _client_on_host(app, host: str):  # type: ignore[no-untyped-def]
    """An admin signed in with every request naming `host` (as an attacker's request may)."""
    client = app.test_client()
    client.environ_base["HTTP_HOST"] = host
    assert AuthActions(client).login(ADMIN, DEFAULT_PASSWORD).status_code == 302
    return client


def _set_password(app, path: str, password: str = NEW_PASSWORD):  # type: ignore[no-untyped-def]
    return app.test_client().post(path, data={"new_password": password, "confirm": password})


def test_a_new_user_is_invited_with_a_link_on_the_base_url_not_the_request_host(
    app, client, admin
) -> None:
    form = client.get("/admin/users/new").data.decode()
    assert '<input checked id="access-0" name="access" type="radio" value="invite">' in form
    evil = _client_on_host(app, "evil.example")
    response = evil.post(
        "/admin/users/new",
        data={"email": "New@Ward.example", "name": "Nia New", "role": "trainee", "unit": ""},
        headers={"X-Forwarded-Host": "evil.example"},
    )
    assert response.status_code == 200
    page = response.data.decode()
    assert "Invitation for Nia New" in page and "shown only this once" in page
    assert "evil.example" not in page
    (link,) = _links(response)
    path = _path(link)
    assert _resets(app) == [("invite", False, timedelta(days=7))]
    with app.app_context():
        (stored,) = db.session.scalars(select(PasswordReset.token_hash)).all()
    assert stored == hashlib.sha256(path.removeprefix("/reset/").encode()).hexdigest()
    (created,) = _events(app, "user.created")
    (invited,) = _events(app, "user.invited")
    assert created.actor_id == invited.actor_id == admin
    assert invited.object_key == "new@ward.example" and invited.details["role"] == "trainee"

    # nobody can sign in as the new user before they choose a password
    assert AuthActions(app.test_client()).login("new@ward.example", "").status_code == 200
    welcome = app.test_client().get(path).data.decode()
    assert "Welcome, set your password" in welcome and "Welcome, Nia New." in welcome
    assert _set_password(app, path).status_code == 302
    assert AuthActions(app.test_client()).login("new@ward.example", NEW_PASSWORD).status_code == 302
    with app.app_context():
        new_id = db.session.scalar(select(User.id).where(User.email == "new@ward.example"))
    assert [e.actor_id for e in _events(app, "invitation.accepted")] == [new_id]
    again = app.test_client().get(path)
    assert again.status_code == 400 and b"This invitation has already been used" in again.data


def test_typing_a_password_still_works_and_makes_no_link(app, client, admin) -> None:
    data = {"email": "pw@ward.example", "role": "trainee", "unit": "", "access": "password"}
    missing = client.post("/admin/users/new", data=data)
    assert missing.status_code == 422 and b"Choose a password." in missing.data
    data |= {"password": "a-long-enough-password", "confirm": "a-long-enough-password"}
    assert client.post("/admin/users/new", data=data).status_code == 302
    assert _resets(app) == []


def test_a_reset_from_the_user_page_confirms_then_shows_a_fresh_link(app, client, admin) -> None:
    user_id = _user(app)
    page = client.get(f"/admin/users/{user_id}").data.decode()
    assert f'href="/admin/users/{user_id}/reset-password">Reset password</a>' in page
    confirm = client.get(f"/admin/users/{user_id}/reset-password")
    assert confirm.status_code == 200 and b"Make the reset link" in confirm.data
    assert _resets(app) == []  # the GET only asks
    response = client.post(f"/admin/users/{user_id}/reset-password")
    assert response.status_code == 200
    assert b"until then their current password still works" in response.data
    (link,) = _links(response)
    assert _resets(app) == [("reset", False, timedelta(hours=24))]
    (event,) = _events(app, "user.reset_link_issued")
    assert event.actor_id == admin and event.object_key == "nurse@ward.example"
    assert "Set a new password" in app.test_client().get(_path(link)).data.decode()
    other = app.test_client()
    assert AuthActions(other).login("nurse@ward.example", DEFAULT_PASSWORD).status_code == 302


def test_a_new_link_spends_the_older_unused_ones(app, client, admin) -> None:
    user_id = _user(app)
    (first,) = _links(client.post(f"/admin/users/{user_id}/invite"))
    (second,) = _links(client.post(f"/admin/users/{user_id}/reset-password"))
    assert [(p, spent) for p, spent, _ in _resets(app)] == [("invite", True), ("reset", False)]
    old = app.test_client().get(_path(first))
    assert old.status_code == 400 and b"replaced by a newer one" in old.data
    assert _set_password(app, _path(first)).status_code == 400
    assert _set_password(app, _path(second)).status_code == 302


def test_invitations_and_resets_expire(app, client, admin) -> None:
    user_id = _user(app)
    (link,) = _links(client.post(f"/admin/users/{user_id}/invite"))
    with app.app_context():
        row = db.session.scalars(select(PasswordReset)).one()
        row.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    late = app.test_client().get(_path(link))
    assert late.status_code == 400 and b"This invitation has expired" in late.data
    assert _set_password(app, _path(link)).status_code == 400
    with app.app_context():
        assert db.session.get(User, user_id).session_version == 1  # nothing changed


def test_invite_link_days_is_configurable(database_url) -> None:
    app = make_app(database_url, QUIZAPP_BASE_URL=BASE, INVITE_LINK_DAYS="3")
    with app.app_context():
        user_id = UserFactory(email="x@ward.example").id
    from quizapp.services.invitations import invite_user

    with app.app_context():
        link = invite_user(None, user_id)
        assert timedelta(days=3) - (link.expires_at - utcnow()) < timedelta(minutes=1)
    app_ctx_dispose(app)


def app_ctx_dispose(app: Flask) -> None:
    with app.app_context():
        db.engine.dispose()


def test_an_admin_may_reset_another_admins_password_and_it_is_audited(app, client, admin) -> None:
    other = _user(app, "boss@ward.example", Role.ADMIN)
    confirm = client.get(f"/admin/users/{other}/reset-password").data.decode()
    assert "is an administrator" in confirm and "recorded in the audit log" in confirm
    assert len(_links(client.post(f"/admin/users/{other}/reset-password"))) == 1
    (event,) = _events(app, "user.reset_link_issued")
    assert event.actor_id == admin and event.details["role"] == "admin"


def test_a_deactivated_account_gets_no_link(app, client, admin) -> None:
    user_id = _user(app, active=False)
    assert b"Reset password" not in client.get(f"/admin/users/{user_id}").data
    for action in ("invite", "reset-password"):
        assert client.post(f"/admin/users/{user_id}/{action}").status_code == 403
    assert _resets(app) == []


@pytest.mark.parametrize("role", [Role.TRAINEE, Role.INSTRUCTOR, Role.MANAGER])
def test_only_admins_make_links(app, client, auth, role) -> None:
    _user(app, "me@ward.example", role)
    target = _user(app)
    assert auth.login("me@ward.example", DEFAULT_PASSWORD).status_code == 302
    for action in ("invite", "reset-password"):
        assert client.get(f"/admin/users/{target}/{action}").status_code == 403
        assert client.post(f"/admin/users/{target}/{action}").status_code == 403
    assert client.post("/admin/users/new", data={"email": "n@ward.example"}).status_code == 403
    assert _resets(app) == []


def test_without_a_base_url_no_link_is_made_and_the_admin_is_told(database_url) -> None:
    app = make_app(database_url, QUIZAPP_BASE_URL="")
    with app.app_context():
        UserFactory(email=ADMIN, role=Role.ADMIN)
    client = _client_on_host(app, "evil.example")
    data = {"email": "new@ward.example", "name": "", "role": "trainee", "unit": ""}
    response = client.post("/admin/users/new", data=data)
    assert response.status_code == 422
    assert b"QUIZAPP_BASE_URL is not set" in response.data
    assert b'value="new@ward.example"' in response.data  # nothing typed is lost
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "new@ward.example")) is None
        assert db.session.scalars(select(PasswordReset)).all() == []
    result = app.test_cli_runner().invoke(args=["users", "reset-link", ADMIN])
    assert result.exit_code == 1 and "QUIZAPP_BASE_URL is not set" in result.output
    app_ctx_dispose(app)


def test_the_reset_link_command_uses_the_base_url(app, runner) -> None:
    _user(app)
    result = runner.invoke(args=["users", "reset-link", "nurse@ward.example"])
    assert result.exit_code == 0, result.output
    (link,) = re.findall(r"\S+/reset/\S+", result.output)
    assert link.startswith(BASE + "/reset/")
    assert _set_password(app, _path(link)).status_code == 302
    (event,) = _events(app, "user.reset_link_issued")
    assert event.actor_id is None  # from the command line


ROSTER = (
    "email,name,role,unit\r\n"
    "ana@ward.example,Ana Silva,trainee,Ward 4B\r\n"
    "ben@ward.example,=HYPERLINK(1),trainee,Ward 4B\r\n"
    "nurse@ward.example,,trainee,Ward 4B\r\n"
)


def _upload(client, *, dry_run: bool, invite: bool):  # type: ignore[no-untyped-def]
    data: dict[str, object] = {"file": (io.BytesIO(ROSTER.encode()), "march.csv")}
    if dry_run:
        data["dry_run"] = "y"
    if invite:
        data["invite"] = "y"
    return client.post("/admin/roster", data=data, content_type="multipart/form-data")


def test_a_roster_import_invites_the_new_users_and_shows_their_links_once(
    app, client, admin
) -> None:
    _user(app)  # already there: not invited again
    dry = _upload(client, dry_run=True, invite=True)
    assert dry.status_code == 200 and _links(dry) == [] and _resets(app) == []
    response = _upload(client, dry_run=False, invite=True)
    assert response.status_code == 200
    page = response.data.decode()
    assert "Invitations (2)" in page
    links = _links(response)
    assert len(links) == 2 and all(link.startswith(BASE + "/reset/") for link in links)
    assert [e.object_key for e in _events(app, "user.invited")] == [
        "ana@ward.example",
        "ben@ward.example",
    ]
    assert _events(app, "roster.imported")[0].details["invited"] is True
    csv_url = html.unescape(re.search(r'href="(data:text/csv[^"]+)" download', page).group(1))
    csv_text = unquote(csv_url.split(",", 1)[1])
    lines = csv_text.splitlines()
    assert lines[0] == "email,name,link,expires"
    assert lines[1].startswith(f"ana@ward.example,Ana Silva,{links[0]},")
    assert lines[2].startswith(f"ben@ward.example,'=HYPERLINK(1),{links[1]},")  # no formula

    # the tokens are nowhere in the database but in the invitation e-mails waiting in the
    # outbox (a message must be kept whole until it is delivered); elsewhere only their hashes
    with app.app_context():
        tables = snapshot()
        waiting = repr(tables.pop("outbox"))
        everything = repr(tables)
    assert all(link in waiting for link in links)
    for link in links:
        token = link.rsplit("/", 1)[1]
        assert token not in everything
        assert hashlib.sha256(token.encode()).hexdigest() in everything
    assert AuthActions(app.test_client()).login("ana@ward.example", "x").status_code == 200
    assert _set_password(app, _path(links[0])).status_code == 302
    assert AuthActions(app.test_client()).login("ana@ward.example", NEW_PASSWORD).status_code == 302


def test_a_roster_import_without_invite_makes_no_links(app, client, admin) -> None:
    response = _upload(client, dry_run=False, invite=False)
    assert response.status_code == 200 and _links(response) == []
    assert b"can sign in once they have an invitation" in response.data
    assert _resets(app) == [] and _events(app, "user.invited") == []
    assert _events(app, "roster.imported")[0].details["invited"] is False


def test_a_link_sent_from_two_tabs_at_once_sets_the_password_once(app, monkeypatch) -> None:
    """The link is checked again under the write lock: here the other tab's request spends it
    while this one is hashing its password (before the lock)."""
    from sqlalchemy import update

    from quizapp.database import unit_of_work
    from quizapp.services import accounts
    from quizapp.services.errors import InvalidInput

    user_id = _user(app)
    hashing = accounts._policy_hash

    def meanwhile_the_other_tab(user, password):  # type: ignore[no-untyped-def]
        with db.engine.begin() as other:
            other.execute(update(PasswordReset).values(used_at=utcnow()))
        return hashing(user, password)

    with app.app_context():
        with unit_of_work():
            token = accounts.issue_token(user_id, "invite").token
        before = db.session.get(User, user_id).password_hash
        monkeypatch.setattr(accounts, "_policy_hash", meanwhile_the_other_tab)
        with pytest.raises(InvalidInput, match="already been used"):
            accounts.set_password_with_link(token, NEW_PASSWORD)
        db.session.rollback()
        assert db.session.get(User, user_id).password_hash == before
        assert _events(app, "invitation.accepted") == []
