"""Directory accounts from the admin's side (issue 19): the user page shows a user's directory
accounts and the units the directory gave; an admin unlinks a wrong link; deactivating ends a
directory-signed-in session; with local passwords off for all but admins, a trainee's right
password is refused with a message that says why, and forgot-password sends them nothing."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import (
    DirectoryGroupMapping,
    DirectoryIdentity,
    OutboxMessage,
    Role,
    SiteSetting,
    UnitMembership,
    User,
    UserSession,
)
from quizapp.services.directory_sign_in import DirectoryProfile, sign_in_from_directory
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, UnitFactory, UserFactory
from tests.integration.snapshot import snapshot
from tests.integration.sso_admin_helpers import (
    ADMIN_EMAIL,
    NURSES,
    PROVIDER,
    admin_client,
    admin_id,
    audit_rows,
    error_beside,
    sso_app,
)

__all__ = ["admin_client", "sso_app"]  # fixtures
JO = "jo.rivera@hospital.example"


def _directory_user(app: Flask) -> tuple[int, str]:
    """Jo signs in through LDAP into ICU (by a mapping) and is also in Theatre by hand;
    returns Jo's id and the session id the directory sign-in opened."""
    with app.app_context():
        icu = UnitFactory(name="ICU")
        db.session.add(
            DirectoryGroupMapping(
                source="any", group=NURSES, group_key=NURSES.casefold(), role=Role.TRAINEE,
                unit_id=icu.id,
            )
        )  # fmt: skip
        db.session.commit()
        profile = DirectoryProfile("ldap", "entryUUID-1", JO, True, "Jo Rivera", (NURSES,))
        user = sign_in_from_directory(profile, "10.0.0.5", timedelta(days=14))
        MembershipFactory(user=user, unit=UnitFactory(name="Theatre"))
        return user.id, user.get_id()


def _set_mode(app: Flask, mode: str) -> None:
    with app.app_context():
        db.session.merge(SiteSetting(key="local_sign_in", value=mode))
        db.session.commit()


def test_the_user_page_shows_directory_accounts_and_directory_units(sso_app, admin_client) -> None:
    user_id, _ = _directory_user(sso_app)
    page = admin_client.get(f"/admin/users/{user_id}").get_data(as_text=True)
    assert "Directory accounts" in page and "entryUUID-1" in page and "LDAP" in page
    icu, theatre = page.index(">ICU</a>"), page.index(">Theatre</a>")
    assert "(from directory)" in page[icu:theatre]  # ICU came from the directory...
    assert "(from directory)" not in page[theatre : theatre + 80]  # ...Theatre from an admin
    assert "Unlink" in page


def test_an_admin_unlinks_a_directory_account(sso_app, admin_client) -> None:
    user_id, _ = _directory_user(sso_app)
    with sso_app.app_context():
        identity_id = db.session.scalar(select(DirectoryIdentity.id))
        version = db.session.get(User, user_id).session_version
    path = f"/admin/users/{user_id}/identities/{identity_id}/unlink"
    assert admin_client.post(path).status_code == 302
    with sso_app.app_context():
        user = db.session.get(User, user_id)
        assert db.session.scalar(select(DirectoryIdentity)) is None
        assert user.session_version == version + 1  # sessions the wrong person opened end
        kept = db.session.scalars(
            select(UnitMembership.source).where(UnitMembership.user_id == user_id)
        )
        assert list(kept) == ["local"]  # the directory's unit went, the admin's stayed
    [(actor, key, details)] = audit_rows(sso_app, "directory_identity.unlinked")
    assert actor == admin_id(sso_app) and key == JO
    assert details == {"source": "ldap", "subject": "entryUUID-1", "units_removed": ["ICU"]}
    page = admin_client.get(f"/admin/users/{user_id}").get_data(as_text=True)
    assert "Directory accounts" not in page
    assert admin_client.post(path).status_code == 404


def test_an_identity_is_unlinked_only_through_its_own_user(sso_app, admin_client) -> None:
    user_id, _ = _directory_user(sso_app)
    with sso_app.app_context():
        identity_id = db.session.scalar(select(DirectoryIdentity.id))
        other = UserFactory().id
        before = snapshot()
    response = admin_client.post(f"/admin/users/{other}/identities/{identity_id}/unlink")
    assert response.status_code == 404
    with sso_app.app_context():
        assert snapshot() == before
    assert user_id != other


def test_deactivating_ends_a_directory_signed_in_session(sso_app, admin_client) -> None:
    user_id, session_id = _directory_user(sso_app)
    nurse = sso_app.test_client()
    with nurse.session_transaction() as cookie:  # the cookie the OIDC/LDAP view would set
        cookie["_user_id"] = session_id
        cookie["_fresh"] = True
    assert nurse.get("/me").status_code == 200
    assert admin_client.post(f"/admin/users/{user_id}/deactivate").status_code == 302
    refused = nurse.get("/me")
    assert refused.status_code == 302 and "/login" in refused.headers["Location"]
    with sso_app.app_context():
        user = db.session.get(User, user_id)
        assert not user.active and f"{user.id}:{user.session_version}:" not in session_id
        jo_session = select(UserSession).where(UserSession.user_id == user_id)
        assert db.session.scalar(jo_session) is not None  # the version, not the row, refuses


def test_admins_only_refuses_a_trainees_right_password_and_says_why(sso_app) -> None:
    with sso_app.app_context():
        UserFactory(email="nurse@ward.example", role=Role.TRAINEE)
        UserFactory(email=ADMIN_EMAIL, role=Role.ADMIN)
    client = sso_app.test_client()
    data = {"email": "nurse@ward.example", "password": DEFAULT_PASSWORD}
    assert client.post("/login", data=data).status_code == 302  # "all": a local password works
    client.post("/logout")
    _set_mode(sso_app, "admins")
    page = client.post("/login", data=data)
    assert page.status_code == 200
    expected = f"Local passwords are off for this site: sign in with {PROVIDER}."
    assert error_beside(page.get_data(as_text=True), "email") == expected
    assert "/login" in client.get("/me").headers["Location"]  # not signed in
    admin = {"email": ADMIN_EMAIL, "password": DEFAULT_PASSWORD}
    assert client.post("/login", data=admin).status_code == 302  # break-glass admins may
    assert client.get("/admin/").status_code == 200


def test_the_ldap_wording_when_only_ldap_is_configured(sso_app) -> None:
    sso_app.config["OIDC_ISSUER"] = ""
    sso_app.config["LDAP_URL"] = "ldaps://dc1.hospital.example"
    with sso_app.app_context():
        UserFactory(email="nurse@ward.example", role=Role.INSTRUCTOR)
    _set_mode(sso_app, "admins")
    data = {"email": "nurse@ward.example", "password": DEFAULT_PASSWORD}
    page = sso_app.test_client().post("/login", data=data).get_data(as_text=True)
    assert error_beside(page, "email") == (
        "Local passwords are off for this site: sign in with your organisation's directory account."
    )


def test_a_linked_account_still_hears_it_signs_in_through_the_directory(sso_app) -> None:
    user_id, _ = _directory_user(sso_app)
    with sso_app.app_context():
        db.session.get(User, user_id).password_hash = UserFactory.password_hash
        db.session.commit()
    for mode in ("all", "admins"):
        _set_mode(sso_app, mode)
        page = sso_app.test_client().post(
            "/login", data={"email": JO, "password": DEFAULT_PASSWORD}
        )
        assert error_beside(page.get_data(as_text=True), "email") == (
            "This account signs in through your organisation's directory, not here."
        )


def test_forgot_password_sends_nothing_to_a_non_admin_when_admins_only(sso_app) -> None:
    with sso_app.app_context():
        UserFactory(email="nurse@ward.example", role=Role.MANAGER)
        UserFactory(email=ADMIN_EMAIL, role=Role.ADMIN)
    _set_mode(sso_app, "admins")
    client = sso_app.test_client()
    for address in ("nurse@ward.example", ADMIN_EMAIL):
        assert client.post("/forgot-password", data={"email": address}).status_code == 200
    with sso_app.app_context():
        sent_to = db.session.scalars(select(OutboxMessage.to_addr)).all()
        assert sent_to == [ADMIN_EMAIL]
    _set_mode(sso_app, "all")
    client.post("/forgot-password", data={"email": "nurse@ward.example"})
    with sso_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 2
