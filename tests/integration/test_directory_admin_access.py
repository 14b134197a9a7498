"""Only admins reach the SSO admin routes (every other role gets 403 and changes nothing), no
GET changes anything, and with CSRF protection on, a post without its token is refused."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import DirectoryGroupMapping, DirectoryIdentity, Role, SiteSetting
from quizapp.services.directory_sign_in import DirectoryProfile, sign_in_from_directory
from tests.conftest import make_app
from tests.factories import DEFAULT_PASSWORD, UnitFactory, UserFactory
from tests.integration.snapshot import snapshot
from tests.integration.sso_admin_helpers import (
    ADMIN_EMAIL,
    NURSES,
    configure_oidc,
    sign_in,
    sso_app,
)

__all__ = ["sso_app"]  # fixture


def _objects(app: Flask) -> tuple[int, int, int, int]:
    """A unit, a mapping, and a directory user with its identity: their ids."""
    with app.app_context():
        unit = UnitFactory(name="ICU")
        mapping = DirectoryGroupMapping(
            source="any", group=NURSES, group_key=NURSES.casefold(), role=Role.TRAINEE,
            unit_id=unit.id,
        )  # fmt: skip
        db.session.add(mapping)
        db.session.commit()
        profile = DirectoryProfile(
            "oidc", "iss|sub-1", "jo@hospital.example", True, "Jo", (NURSES,)
        )
        user = sign_in_from_directory(profile, "ip", timedelta(days=1))
        identity = db.session.scalar(select(DirectoryIdentity.id))
        assert identity is not None
        return unit.id, mapping.id, user.id, identity


def _routes(mapping: int, user: int, identity: int) -> list[tuple[str, dict[str, str]]]:
    return [
        ("/admin/sign-in/local", {"mode": "admins"}),
        ("/admin/sign-in/mappings", {"group": "CN=X", "source": "any", "role": "admin"}),
        (f"/admin/sign-in/mappings/{mapping}/delete", {"confirm": "yes"}),
        (f"/admin/users/{user}/identities/{identity}/unlink", {}),
    ]


def _pages(mapping: int) -> list[str]:
    return ["/admin/sign-in", f"/admin/sign-in/mappings/{mapping}/delete"]


@pytest.mark.parametrize("role", [Role.TRAINEE, Role.INSTRUCTOR, Role.MANAGER])
def test_other_roles_get_403_on_every_sso_admin_route(sso_app, role) -> None:
    _unit, mapping, user, identity = _objects(sso_app)
    with sso_app.app_context():
        UserFactory(email="someone@ward.example", role=role)
    client = sso_app.test_client()
    sign_in(client, "someone@ward.example")
    with sso_app.app_context():
        before = snapshot()
    for path in _pages(mapping):
        assert client.get(path).status_code == 403, path
    for path, data in _routes(mapping, user, identity):
        assert client.post(path, data=data).status_code == 403, path
    with sso_app.app_context():
        after = snapshot()
    after["audit_events"] = before["audit_events"]  # refusals are audited; nothing else moves
    assert after == before


def test_anonymous_is_sent_to_sign_in(sso_app) -> None:
    _unit, mapping, user, identity = _objects(sso_app)
    client = sso_app.test_client()
    for path, data in _routes(mapping, user, identity):
        response = client.post(path, data=data)
        assert response.status_code == 302 and "/login" in response.headers["Location"], path
    with sso_app.app_context():
        assert db.session.get(SiteSetting, "local_sign_in") is None


def test_no_get_changes_anything(sso_app) -> None:
    _unit, mapping, user, identity = _objects(sso_app)
    with sso_app.app_context():
        UserFactory(email=ADMIN_EMAIL, role=Role.ADMIN)
    client = sso_app.test_client()
    sign_in(client, ADMIN_EMAIL)
    with sso_app.app_context():
        before = snapshot()
    for path in [*_pages(mapping), f"/admin/users/{user}"]:
        assert client.get(path).status_code == 200, path
    assert client.get(f"/admin/sign-in/mappings/{mapping}/delete?confirm=yes").status_code == 200
    for path, _data in _routes(mapping, user, identity):
        assert client.get(path).status_code in (200, 405), path
    with sso_app.app_context():
        assert snapshot() == before


def test_with_csrf_on_a_post_without_its_token_is_refused(database_url) -> None:
    guarded = make_app(database_url, WTF_CSRF_ENABLED=True)
    configure_oidc(guarded)
    _unit, mapping, user, identity = _objects(guarded)
    with guarded.app_context():
        UserFactory(email=ADMIN_EMAIL, role=Role.ADMIN)
    client = guarded.test_client()
    login_page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page)
    assert token is not None
    data = {"email": ADMIN_EMAIL, "password": DEFAULT_PASSWORD, "csrf_token": token.group(1)}
    assert client.post("/login", data=data).status_code == 302
    for path in [*_pages(mapping), f"/admin/users/{user}"]:
        page = client.get(path).get_data(as_text=True)
        forms = re.findall(r'<form method="post".*?</form>', page, re.S)
        assert forms, path
        for form in forms:
            assert 'name="csrf_token"' in form, (path, form)
    with guarded.app_context():
        before = snapshot()
    for path, fields in _routes(mapping, user, identity):
        response = client.post(path, data=fields)
        assert response.status_code == 400, path
    with guarded.app_context():
        after = snapshot()
        db.session.remove()
        db.engine.dispose()
    after["audit_events"] = before["audit_events"]  # the refusals are audited
    assert after == before
