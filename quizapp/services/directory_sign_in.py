"""Signing in through a directory (OIDC or LDAP, issue 19): one unit of work that finds or
makes the account, brings its role and units in line with the directory's groups, opens the
server session and audits it.

The protocol adapters (quizapp/sso/) check who the person is; this module decides what they
may do here. The directory is asked at every sign-in, so a person taken out of a group loses
that unit at their next sign-in, and one left in no mapped group is refused and signed out
everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from quizapp.database import unit_of_work
from quizapp.domain.directory_mapping import Grant, MappingRule, grant_for, role_after_sign_in
from quizapp.domain.roster import derive_name, normalise_email
from quizapp.extensions import db
from quizapp.models import (
    DirectoryGroupMapping,
    DirectoryIdentity,
    Role,
    UnitMembership,
    User,
    utcnow,
)
from quizapp.passwords import NO_PASSWORD
from quizapp.services import audit
from quizapp.services.errors import NotAllowed
from quizapp.services.sign_in import open_session

SOURCES = ("oidc", "ldap")
ASK_IT = "Ask your organisation's IT service desk or a site admin."


@dataclass(frozen=True)
class DirectoryProfile:
    """Who the directory says signed in (the adapters fill it from checked claims / entries)."""

    source: str  # "oidc" or "ldap"
    subject: str  # OIDC "iss|sub"; LDAP entryUUID / objectGUID / DN
    email: str
    email_verified: bool
    name: str
    groups: tuple[str, ...] = ()


class DirectoryRefused(NotAllowed):
    """The directory knows the person, but this site does not let them in (`reason` is the
    audit's short code; the message is for the person)."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass
class _Outcome:
    user: User | None
    refusal: DirectoryRefused | None = None


def sign_in_from_directory(profile: DirectoryProfile, ip: str, lifetime: timedelta) -> User:
    """The account for `profile`, signed in (a server session opened, `login.directory`
    audited), with its role and directory memberships refreshed from the group mappings.
    Raises DirectoryRefused, after its audit row (and any loss of access) is committed."""
    if profile.source not in SOURCES or not profile.subject:
        raise ValueError(f"not a directory profile: {profile!r}")
    with unit_of_work():
        outcome = _sign_in(profile, ip, lifetime)
    if outcome.refusal is not None:
        raise outcome.refusal
    assert outcome.user is not None
    return outcome.user


def record_directory_failure(source: str, reason: str, ip: str, detail: str = "") -> None:
    """Audit a sign-in the protocol refused (a wrong state, a bad ID token, a provider error,
    an unreachable server), as its own unit of work; repeats from one address in a minute are
    counted on one row."""
    with unit_of_work():
        audit.record_refusal(
            "login.directory_refused",
            actor_id=None,
            ip=ip,
            object_type="directory",
            object_key=source,
            reason=reason,
            detail=detail[:200],
        )


def _refuse(
    profile: DirectoryProfile, ip: str, reason: str, message: str, user: User | None
) -> _Outcome:
    audit.record(
        "login.directory_refused",
        actor_id=user.id if user else None,
        object_type="user",
        object_key=normalise_email(profile.email) or profile.subject[:200],
        ip=ip,
        source=profile.source,
        reason=reason,
        groups=list(profile.groups)[:50],
    )
    return _Outcome(user=None, refusal=DirectoryRefused(reason, message))


def _rules() -> list[MappingRule]:
    rows = db.session.scalars(select(DirectoryGroupMapping)).all()
    return [MappingRule(r.source, r.group, r.role.value, r.unit_id, r.is_manager) for r in rows]


def _sign_in(profile: DirectoryProfile, ip: str, lifetime: timedelta) -> _Outcome:
    email = normalise_email(profile.email)
    identity = db.session.scalar(
        select(DirectoryIdentity).where(
            DirectoryIdentity.source == profile.source,
            DirectoryIdentity.subject == profile.subject,
        )
    )
    user = identity.user if identity is not None else None
    if user is None and email:
        user = db.session.scalar(select(User).where(User.email == email))
        if user is not None and not profile.email_verified:
            return _refuse(
                profile,
                ip,
                "email_unverified",
                "Your directory account's e-mail address is not verified, so it cannot be "
                f"joined to the account here that uses it. {ASK_IT}",
                None,
            )
    if user is None and not email:
        return _refuse(
            profile, ip, "no_email", f"Your directory account has no e-mail address. {ASK_IT}", None
        )
    grant = grant_for(profile.groups, profile.source, _rules())
    if user is not None and not user.active:
        return _refuse(profile, ip, "inactive", f"Your account here is deactivated. {ASK_IT}", user)
    if grant.role is None and (user is None or user.role is not Role.ADMIN):
        if user is not None:
            _take_away_access(user)
        return _refuse(
            profile,
            ip,
            "no_role",
            "Your directory account is not in any group that gives access to this site. " + ASK_IT,
            user,
        )
    if user is None:
        user = User(email=email, name="", role=Role.TRAINEE, password_hash=NO_PASSWORD)
        db.session.add(user)
    changes = _apply_grant(user, profile, grant)
    if identity is None:
        identity = DirectoryIdentity(user=user, source=profile.source, subject=profile.subject)
        db.session.add(identity)
        changes["linked"] = True
    identity.last_sign_in_at = utcnow()
    db.session.flush()
    open_session(user, lifetime)
    audit.record(
        "login.directory",
        actor_id=user.id,
        object_type="user",
        object_key=user.email,
        ip=ip,
        source=profile.source,
        groups=list(grant.matched),
        role=user.role.value,
        **changes,
    )
    return _Outcome(user=user)


def _apply_grant(user: User, profile: DirectoryProfile, grant: Grant) -> dict[str, object]:
    """Role, name and the directory's unit memberships as the grant says; what changed."""
    changes: dict[str, object] = {}
    role = Role(role_after_sign_in(user.role.value if user.id else None, grant.role or "admin"))
    if user.id and role is not user.role:
        changes["role_from"] = user.role.value
    user.role = role
    name = " ".join(profile.name.split())[:120] or derive_name(user.email)
    if name != user.name:
        user.name = name
    can_manage = role in (Role.MANAGER, Role.ADMIN)
    wanted = dict(grant.units)
    added, removed = [], []
    for membership in list(user.memberships):
        if not can_manage:
            membership.is_manager = False
        if membership.source != "directory":
            wanted.pop(membership.unit_id, None)  # an admin's membership stays as it is
            continue
        if membership.unit_id in wanted:
            membership.is_manager = wanted.pop(membership.unit_id) and can_manage
        else:
            removed.append(membership.unit_id)
            user.memberships.remove(membership)
    for unit_id, as_manager in wanted.items():
        added.append(unit_id)
        user.memberships.append(
            UnitMembership(unit_id=unit_id, is_manager=as_manager, source="directory")
        )
    if added:
        changes["units_added"] = added
    if removed:
        changes["units_removed"] = removed
    return changes


def _take_away_access(user: User) -> None:
    """No mapped group is left: the directory's memberships go and every session ends."""
    for membership in list(user.memberships):
        if membership.source == "directory":
            user.memberships.remove(membership)
    user.session_version = (user.session_version or 1) + 1
