"""Directory sign-in (issue 19): accounts made just in time or linked by a verified e-mail,
role and units refreshed from the group mappings at every sign-in, access lost with the
groups, and every outcome audited. The OIDC and LDAP adapters feed this service; their own
tests drive it through the real protocols."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import (
    AuditEvent,
    DirectoryGroupMapping,
    DirectoryIdentity,
    Role,
    UnitMembership,
    User,
    UserSession,
)
from quizapp.passwords import NO_PASSWORD, verify_password
from quizapp.queries.site_settings import local_password_allowed
from quizapp.services.directory_sign_in import (
    DirectoryProfile,
    DirectoryRefused,
    record_directory_failure,
    sign_in_from_directory,
)
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, UnitFactory, UserFactory

NURSES = "CN=ICU-Nurses,OU=Groups,DC=hospital,DC=org"
MANAGERS = "CN=ICU-Managers,OU=Groups,DC=hospital,DC=org"
LIFETIME = timedelta(days=14)


def _profile(groups: tuple[str, ...] = (NURSES,), **fields: object) -> DirectoryProfile:
    values: dict[str, object] = {
        "source": "ldap",
        "subject": "entryUUID-1",
        "email": "Jo.Rivera@Hospital.example",
        "email_verified": True,
        "name": "Jo Rivera",
        "groups": groups,
    }
    values.update(fields)
    return DirectoryProfile(**values)  # type: ignore[arg-type]


@pytest.fixture
def icu(app):  # type: ignore[no-untyped-def]
    """Unit ICU with a nurses mapping and a managers mapping; yields the unit's id."""
    with app.app_context():
        unit = UnitFactory(name="ICU")
        db.session.add_all(
            [
                DirectoryGroupMapping(
                    source="any",
                    group=NURSES,
                    group_key=NURSES.casefold(),
                    role=Role.TRAINEE,
                    unit_id=unit.id,
                ),
                DirectoryGroupMapping(
                    source="any",
                    group=MANAGERS,
                    group_key=MANAGERS.casefold(),
                    role=Role.MANAGER,
                    unit_id=unit.id,
                    is_manager=True,
                ),
            ]
        )
        db.session.commit()
        yield unit.id


def _memberships(email: str) -> list[tuple[int, bool, str]]:
    user = db.session.scalar(select(User).where(User.email == email))
    assert user is not None
    rows = db.session.scalars(select(UnitMembership).where(UnitMembership.user_id == user.id))
    return sorted((m.unit_id, m.is_manager, m.source) for m in rows)


def _actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_a_new_directory_user_gets_an_account_in_the_mapped_unit(app, icu) -> None:
    with app.app_context():
        user = sign_in_from_directory(_profile(), "10.0.0.5", LIFETIME)
        assert user.email == "jo.rivera@hospital.example"
        assert user.role is Role.TRAINEE and user.name == "Jo Rivera"
        assert user.password_hash == NO_PASSWORD
        assert not verify_password(user.password_hash, "")
        assert _memberships(user.email) == [(icu, False, "directory")]
        assert db.session.scalar(select(UserSession.user_id)) == user.id
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "login.directory"))
        assert event is not None and event.ip == "10.0.0.5"
        assert event.details["groups"] == [NURSES] and event.details["linked"] is True
        assert not local_password_allowed(user.id, user.role)


def test_leaving_the_group_takes_the_unit_away_at_the_next_sign_in(app, icu) -> None:
    with app.app_context():
        sign_in_from_directory(_profile(groups=(NURSES, MANAGERS)), "ip", LIFETIME)
        email = "jo.rivera@hospital.example"
        assert _memberships(email) == [(icu, True, "directory")]
        user = sign_in_from_directory(_profile(groups=(NURSES,)), "ip", LIFETIME)
        assert user.role is Role.TRAINEE
        assert _memberships(email) == [(icu, False, "directory")]
        version = user.session_version
        with pytest.raises(DirectoryRefused) as refused:
            sign_in_from_directory(_profile(groups=()), "ip", LIFETIME)
        assert refused.value.reason == "no_role"
        assert "not in any group" in str(refused.value)
        db.session.expire_all()
        assert _memberships(email) == []
        assert db.session.get(User, user.id).session_version == version + 1  # signed out
        assert _actions()[-1] == "login.directory_refused"


def test_a_membership_an_admin_added_stays(app, icu) -> None:
    with app.app_context():
        other = UnitFactory(name="Theatre")
        existing = UserFactory(email="jo.rivera@hospital.example")
        MembershipFactory(user=existing, unit=other)
        sign_in_from_directory(_profile(), "ip", LIFETIME)
        sign_in_from_directory(_profile(), "ip", LIFETIME)
        assert _memberships(existing.email) == sorted(
            [(icu, False, "directory"), (other.id, False, "local")]
        )


def test_an_existing_account_links_by_verified_email_only(app, icu) -> None:
    with app.app_context():
        existing = UserFactory(email="jo.rivera@hospital.example", role=Role.INSTRUCTOR)
        with pytest.raises(DirectoryRefused) as refused:
            sign_in_from_directory(_profile(email_verified=False), "ip", LIFETIME)
        assert refused.value.reason == "email_unverified"
        assert db.session.scalar(select(DirectoryIdentity)) is None
        user = sign_in_from_directory(_profile(), "ip", LIFETIME)
        assert user.id == existing.id
        assert user.role is Role.TRAINEE  # the directory's groups decide the role
        identity = db.session.scalar(select(DirectoryIdentity))
        assert identity is not None and identity.user_id == existing.id
        assert not local_password_allowed(existing.id, Role.TRAINEE)


def test_a_linked_account_is_found_by_subject_after_its_email_changes(app, icu) -> None:
    with app.app_context():
        first = sign_in_from_directory(_profile(), "ip", LIFETIME)
        again = sign_in_from_directory(_profile(email="jo.r@hospital.example"), "ip", LIFETIME)
        assert again.id == first.id
        assert db.session.scalar(select(db.func.count()).select_from(User)) == 1


def test_a_deactivated_account_is_refused(app, icu) -> None:
    with app.app_context():
        UserFactory(email="jo.rivera@hospital.example", active=False)
        with pytest.raises(DirectoryRefused) as refused:
            sign_in_from_directory(_profile(), "ip", LIFETIME)
        assert refused.value.reason == "inactive"
        assert db.session.scalar(select(UserSession)) is None


def test_an_unmapped_newcomer_gets_no_account(app, icu) -> None:
    with app.app_context():
        with pytest.raises(DirectoryRefused):
            sign_in_from_directory(_profile(groups=("CN=Porters",)), "ip", LIFETIME)
        assert db.session.scalar(select(User)) is None
        event = db.session.scalar(select(AuditEvent))
        assert event is not None and event.action == "login.directory_refused"
        assert event.details["reason"] == "no_role"


def test_a_local_admin_keeps_admin_through_the_directory(app, icu) -> None:
    with app.app_context():
        admin = UserFactory(email="jo.rivera@hospital.example", role=Role.ADMIN)
        user = sign_in_from_directory(_profile(groups=()), "ip", LIFETIME)
        assert user.id == admin.id and user.role is Role.ADMIN
        assert local_password_allowed(admin.id, Role.ADMIN)  # break-glass stays


def test_protocol_failures_are_audited_and_counted(app) -> None:
    with app.app_context():
        record_directory_failure("oidc", "state_mismatch", "10.0.0.9", "x" * 500)
        record_directory_failure("oidc", "state_mismatch", "10.0.0.9")
        event = db.session.scalar(select(AuditEvent))
        assert event is not None and event.action == "login.directory_refused"
        assert event.details["reason"] == "state_mismatch" and len(event.details["detail"]) == 200
        assert event.count == 2


def test_a_directory_account_cannot_use_the_password_form(app, client, icu) -> None:
    with app.app_context():
        user = sign_in_from_directory(_profile(), "ip", LIFETIME)
        user.password_hash = UserFactory.password_hash  # as if a local password were set
        db.session.commit()
    page = client.post(
        "/login", data={"email": "jo.rivera@hospital.example", "password": DEFAULT_PASSWORD}
    )
    assert page.status_code == 200
    assert "signs in through your organisation" in page.get_data(as_text=True)
    assert client.get("/me").status_code != 200
