"""Accounts and units: creating users, memberships, and checking credentials."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select, update

from quizapp.database import require_unit_of_work, unit_of_work
from quizapp.domain.roster import derive_name, looks_like_email, normalise_email
from quizapp.extensions import db
from quizapp.models import PasswordReset, Role, Unit, UnitMembership, User, utcnow
from quizapp.passwords import (
    WeakPassword,
    check_policy,
    hash_password,
    verify_password,
    verify_unknown,
)
from quizapp.services import audit
from quizapp.services.errors import FieldInvalid, InvalidInput, NotFound


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def authenticate(email: str, password: str) -> User | None:
    user = find_user(email)
    if user is None:
        verify_unknown(password)
        return None
    if not verify_password(user.password_hash, password) or not user.active:
        return None
    return user  # a hash made at an older cost is redone by sign_in


def get_or_create_unit(name: str) -> Unit:
    """The unit called `name` (any case), added when missing; inside the caller's unit."""
    require_unit_of_work("get_or_create_unit")
    name = name.strip()
    if not name:
        raise InvalidInput("A unit needs a name.")
    unit = db.session.scalar(select(Unit).where(func.lower(Unit.name) == name.lower()))
    if unit is None:
        unit = Unit(name=name)
        db.session.add(unit)
        db.session.flush()
    return unit


def add_user(email: str, name: str, role: Role, password_hash: str, unit: Unit | None) -> User:
    """A new user row (and their membership; a manager manages the unit), inside the caller's
    unit of work. The one place users are made: create_user and the roster import."""
    require_unit_of_work("add_user")
    user = User(email=email, name=name, role=role, password_hash=password_hash)
    db.session.add(user)
    if unit is not None:
        user.memberships.append(UnitMembership(unit=unit, is_manager=role is Role.MANAGER))
    return user


def create_user(
    email: str,
    password: str,
    role: Role,
    *,
    name: str = "",
    unit_id: int | None = None,
    unit_name: str | None = None,
    actor_id: int | None = None,
) -> User:
    """Create one user (the admin page, `users create`, the demo), with their unit membership
    and the audit row, in one unit of work. The unit is an existing one (`unit_id`: NotFound if
    gone) or one found or added by name (`unit_name`, the CLI's). FieldInvalid names the field.
    """
    email = checked_email(email)
    try:
        check_policy(password, email)
    except WeakPassword as exc:
        raise FieldInvalid("password", f"Password refused: {exc}") from exc
    password_hash = hash_password(password)  # slow by design: before the write lock
    with unit_of_work():
        user = register_user(email, role, name, password_hash, unit_id, unit_name, actor_id)
    return user


def checked_email(email: str) -> str:
    email = normalise_email(email)
    if not looks_like_email(email):
        raise FieldInvalid("email", f"{email!r} is not an email address.")
    return email


def register_user(
    email: str,
    role: Role,
    name: str,
    password_hash: str,
    unit_id: int | None,
    unit_name: str | None,
    actor_id: int | None,
) -> User:
    """A new user with the audit row, inside the caller's unit of work (the email checked)."""
    require_unit_of_work("register_user")
    if find_user(email) is not None:
        raise FieldInvalid("email", f"A user with the email {email} already exists.")
    unit = _unit_for(unit_id, unit_name)
    name = " ".join(name.split()) or derive_name(email)
    user = add_user(email, name, role, password_hash, unit)
    audit.record(
        "user.created",
        actor_id=actor_id,
        object_type="user",
        object_key=email,
        role=role.value,
        unit=unit.name if unit else None,
    )
    return user


def _unit_for(unit_id: int | None, unit_name: str | None) -> Unit | None:
    if unit_id:
        unit = db.session.get(Unit, unit_id)
        if unit is None:
            raise NotFound("No such unit.")
        return unit
    return get_or_create_unit(unit_name) if unit_name else None


def set_password(user: User, new_password: str, actor_id: int | None, action: str) -> None:
    """Set a new password and end every session of the user (their session version moves on)."""
    password_hash = _policy_hash(user, new_password)
    with unit_of_work():
        _store_password(user.id, password_hash, actor_id, action)


def _policy_hash(user: User, new_password: str) -> str:
    try:
        check_policy(new_password, user.email)
    except WeakPassword as exc:
        raise InvalidInput(str(exc)) from exc
    return hash_password(new_password)  # slow by design: before the write lock


def _store_password(user_id: int, password_hash: str, actor_id: int | None, action: str) -> None:
    require_unit_of_work("_store_password")
    fresh = db.session.get(User, user_id)
    assert fresh is not None
    fresh.password_hash = password_hash
    fresh.session_version = (fresh.session_version or 1) + 1
    db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == fresh.id, PasswordReset.used_at.is_(None))
        .values(used_at=utcnow())
    )  # any reset link still out is spent too
    audit.record(action, actor_id=actor_id, object_type="user", object_key=fresh.email)


def set_password_with_link(token: str, new_password: str) -> LinkHolder:
    """The holder of a set-password link chooses their password; the link is checked again
    under the write lock, so it works once even when two tabs send it at the same moment."""
    holder = holder_of_link(token)
    password_hash = _policy_hash(holder.user, new_password)
    with unit_of_work():
        holder = holder_of_link(token)
        action = "invitation.accepted" if holder.purpose == "invite" else "password.reset"
        _store_password(holder.user.id, password_hash, holder.user.id, action)
    return holder


def change_password(user: User, current: str, new_password: str) -> None:
    if not verify_password(user.password_hash, current):
        raise InvalidInput("Your current password is not right.")
    if current == new_password:
        raise InvalidInput("Choose a password different from the current one.")
    set_password(user, new_password, user.id, "password.changed")


MAX_TOKEN_LENGTH = 100


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


PURPOSES = ("reset", "invite")


@dataclass(frozen=True)
class IssuedToken:
    token: str
    expires_at: datetime


def link_lifetime(purpose: str) -> timedelta:
    if purpose == "invite":
        return timedelta(days=current_app.config["INVITE_LINK_DAYS"])
    return timedelta(hours=current_app.config["RESET_LINK_HOURS"])


def issue_token(user_id: int, purpose: str) -> IssuedToken:
    """A one-time link token for the user, inside the caller's unit of work: random (no account
    data in it), only its SHA-256 stored. The user's older unused links stop working."""
    require_unit_of_work("issue_token")
    if purpose not in PURPOSES:
        raise ValueError(purpose)
    now = utcnow()
    db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user_id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
    )
    token = secrets.token_urlsafe(32)
    expires_at = now + link_lifetime(purpose)
    db.session.add(
        PasswordReset(
            user_id=user_id,
            token_hash=_digest(token),
            created_at=now,
            expires_at=expires_at,
            purpose=purpose,
        )
    )
    return IssuedToken(token, expires_at)


@dataclass(frozen=True)
class LinkHolder:
    user: User
    purpose: str


def holder_of_link(token: str) -> LinkHolder:
    """Who a set-password link is for, and why; InvalidInput says politely why it cannot be
    used (unknown, used or replaced, expired)."""
    found = None
    if len(token) <= MAX_TOKEN_LENGTH:
        found = db.session.scalar(
            select(PasswordReset).where(PasswordReset.token_hash == _digest(token))
        )
    if found is None:
        raise InvalidInput("This link is not valid. Check that it was copied whole.")
    invite = found.purpose == "invite"
    if found.used_at is not None or not found.user.active:
        raise InvalidInput(
            "This invitation has already been used or was replaced by a newer one. If you set "
            "your password with it, sign in; otherwise ask an administrator for a new link."
            if invite
            else "This reset link has already been used or is no longer valid."
        )
    if found.expires_at <= utcnow():
        raise InvalidInput(
            "This invitation has expired. Ask an administrator to send you a new one."
            if invite
            else 'This reset link has expired; ask for a new one with "Forgot password?" on the '
            "sign-in page."
        )
    return LinkHolder(found.user, found.purpose)
