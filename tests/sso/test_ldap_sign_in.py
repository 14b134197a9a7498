"""The sign-in form with LDAP on, against a real slapd: the directory decides for the people
it knows (by a bind as them), the local accounts keep their passwords, the throttle counts
both, and every refusal is shown beside its field and audited."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import AuditEvent, DirectoryIdentity, Role, UnitMembership, User
from quizapp.passwords import NO_PASSWORD
from quizapp.services import password_sign_in
from quizapp.sso import ldap_directory
from tests.conftest import make_app
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.sso.ldap_server import PASSWORDS, free_port
from tests.sso.ldap_support import (
    map_test_groups,
    places_holding,
    search_mode_config,
    template_mode_config,
)

ALICE = PASSWORDS["alice"]
ALICE_MAIL = "alice.okonjo@hospital.example"
ADMIN = "admin@hospital.example"
LIFETIME = timedelta(days=14)


def _app(database_url: str, config: dict[str, object]) -> Iterator[Flask]:
    app = make_app(database_url, **config)
    with app.app_context():
        app.extensions["test_icu_id"] = map_test_groups()
        UserFactory(email=ADMIN, role=Role.ADMIN)  # a break-glass admin, local password
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def ldap_app(database_url: str, ldap_directory) -> Iterator[Flask]:  # type: ignore[no-untyped-def]
    yield from _app(database_url, search_mode_config(ldap_directory))


@pytest.fixture
def dead_ldap_app(database_url: str, ldap_directory) -> Iterator[Flask]:  # type: ignore[no-untyped-def]
    dead = f"ldaps://127.0.0.1:{free_port()}"
    yield from _app(database_url, search_mode_config(ldap_directory, LDAP_URL=dead))


def _login(client, login: str, password: str):  # type: ignore[no-untyped-def]
    return client.post("/login", data={"email": login, "password": password})


def _events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all())


def _memberships(email: str) -> list[tuple[int, bool, str]]:
    user = db.session.scalar(select(User).where(User.email == email))
    assert user is not None
    rows = db.session.scalars(select(UnitMembership).where(UnitMembership.user_id == user.id))
    return [(m.unit_id, m.is_manager, m.source) for m in rows]


def test_a_directory_user_signs_in_by_user_name_and_no_password_is_kept(ldap_app) -> None:
    client = ldap_app.test_client()
    response = _login(client, "alice", ALICE)
    assert response.status_code == 302
    assert client.get("/me").status_code == 200
    with ldap_app.app_context():
        user = db.session.scalar(select(User).where(User.email == ALICE_MAIL))
        assert user is not None and user.role is Role.TRAINEE and user.name == "Alice Okonjo"
        assert user.password_hash == NO_PASSWORD
        assert _memberships(ALICE_MAIL) == [
            (ldap_app.extensions["test_icu_id"], False, "directory")
        ]
        identity = db.session.scalar(select(DirectoryIdentity))
        assert identity is not None and identity.source == "ldap" and identity.user_id == user.id
        assert len(_events("login.directory")) == 1
        assert places_holding(ALICE) == []
        assert places_holding("Alice Okonjo")  # the search does find what is stored


def test_the_session_cookie_is_not_remembered_for_a_directory_user(ldap_app) -> None:
    client = ldap_app.test_client()
    response = client.post("/login", data={"email": "alice", "password": ALICE, "remember": "y"})
    assert response.status_code == 302
    assert "remember_token" not in response.headers.get("Set-Cookie", "")


def test_a_wrong_password_is_refused_beside_the_field_and_audited(ldap_app) -> None:
    response = _login(ldap_app.test_client(), "alice", ALICE + "!")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert password_sign_in.NO_MATCH_OR_NAME in page
    assert 'id="password-error"' in page
    with ldap_app.app_context():
        assert len(_events("login.failed")) == 1
        assert db.session.scalar(select(User).where(User.email == ALICE_MAIL)) is None
        assert places_holding(ALICE + "!") == []


@pytest.mark.parametrize("login", ["*)(uid=*", "ali*", "*"])
def test_filter_injection_through_the_form_finds_nobody(ldap_app, login: str) -> None:
    response = _login(ldap_app.test_client(), login, ALICE)
    assert response.status_code == 200
    assert password_sign_in.NO_MATCH_OR_NAME in response.get_data(as_text=True)
    with ldap_app.app_context():
        assert db.session.scalar(select(User).where(User.email == ALICE_MAIL)) is None


def test_an_empty_password_is_refused_by_the_service_without_a_bind(ldap_app, monkeypatch):  # type: ignore[no-untyped-def]
    binds: list[object] = []
    monkeypatch.setattr(ldap_directory.ldap3, "Connection", lambda *a, **k: binds.append(k))
    with ldap_app.test_request_context():
        with pytest.raises(password_sign_in.PasswordRefused):
            password_sign_in.sign_in_with_password("alice", "", "192.0.2.1", LIFETIME, _no_session)
        assert len(_events("login.failed")) == 1
    assert binds == []


def _no_session() -> None:
    raise AssertionError("no session may be opened")


def test_a_local_admin_signs_in_with_the_local_password_while_ldap_is_on(ldap_app) -> None:
    client = ldap_app.test_client()
    assert _login(client, ADMIN, DEFAULT_PASSWORD).status_code == 302
    with ldap_app.app_context():
        assert [e.object_key for e in _events("login.succeeded")] == [ADMIN]


def test_the_directory_decides_for_its_users_even_with_a_local_account(ldap_app) -> None:
    """Alice also has a local account with a local password: once the directory knows her,
    that password no longer opens it (leaving the directory must end access)."""
    with ldap_app.app_context():
        UserFactory(email=ALICE_MAIL, role=Role.TRAINEE)
    assert _login(ldap_app.test_client(), ALICE_MAIL, DEFAULT_PASSWORD).status_code == 200
    with ldap_app.app_context():
        assert _events("login.succeeded") == [] and len(_events("login.failed")) == 1


def test_a_server_that_is_down_says_so_and_is_audited(dead_ldap_app) -> None:
    response = _login(dead_ldap_app.test_client(), "alice", ALICE)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert password_sign_in.DIRECTORY_DOWN in page and 'id="email-error"' in page
    with dead_ldap_app.app_context():
        (event,) = _events("login.directory_refused")
        assert event.details["reason"] == "unreachable" and event.object_key == "ldap"


def test_a_local_admin_still_signs_in_while_the_directory_is_down(dead_ldap_app) -> None:
    assert _login(dead_ldap_app.test_client(), ADMIN, DEFAULT_PASSWORD).status_code == 302


def test_dn_template_mode_signs_a_manager_in(database_url, ldap_directory) -> None:  # type: ignore[no-untyped-def]
    for app in _app(database_url, template_mode_config(ldap_directory)):
        client = app.test_client()
        assert _login(client, "carol", PASSWORDS["carol"]).status_code == 302
        assert _login(app.test_client(), "carol", "wrong").status_code == 200
        with app.app_context():
            user = db.session.scalar(
                select(User).where(User.email == "carol.dunn@hospital.example")
            )
            assert user is not None and user.role is Role.MANAGER
            unit = app.extensions["test_icu_id"]
            assert _memberships(user.email) == [(unit, True, "directory")]
            assert len(_events("login.failed")) == 1


def test_leaving_every_group_takes_the_unit_away_at_the_next_sign_in(
    ldap_app, ldap_directory
) -> None:
    assert _login(ldap_app.test_client(), "alice", ALICE).status_code == 302
    ldap_directory.remove_from_group("alice", "ICU-Nurses")
    try:
        response = _login(ldap_app.test_client(), "alice", ALICE)
    finally:
        ldap_directory.add_to_group("alice", "ICU-Nurses")
    assert response.status_code == 200
    assert "not in any group that gives access" in response.get_data(as_text=True)
    with ldap_app.app_context():
        assert _memberships(ALICE_MAIL) == []
        (event,) = _events("login.directory_refused")
        assert event.details["reason"] == "no_role"


def test_the_throttle_counts_directory_tries_before_any_bind(ldap_app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("quizapp.services.signin_throttle.now", lambda: 2_000_000.0)
    client = ldap_app.test_client()
    for _ in range(5):
        assert _login(client, "alice", "not her password").status_code == 200
    checked: list[str] = []
    real = ldap_directory.check_password
    monkeypatch.setattr(
        ldap_directory, "check_password", lambda *a: checked.append(a[1]) or real(*a)
    )
    assert _login(client, "alice", ALICE).status_code == 429
    assert checked == []


def test_the_login_box_takes_a_user_name_when_ldap_is_on(ldap_app, app) -> None:  # type: ignore[no-untyped-def]
    with_ldap = ldap_app.test_client().get("/login").get_data(as_text=True)
    assert "Email or user name" in with_ldap and 'type="text"' in with_ldap
    assert 'maxlength="254"' in with_ldap
    too_long = _login(ldap_app.test_client(), "a" * 255, ALICE).get_data(as_text=True)
    assert 'id="email-error"' in too_long
    without = app.test_client().get("/login").get_data(as_text=True)
    assert "Email or user name" not in without and 'type="email"' in without
