"""Accounts and units: creating users, memberships, and checking credentials."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select, update

from quizapp.database import begin_write
from quizapp.extensions import db
from quizapp.models import PasswordReset, Role, Unit, UnitMembership, User, utcnow
from quizapp.passwords import (
    WeakPassword,
    check_policy,
    hash_password,
    needs_rehash,
    verify_password,
    verify_unknown,
)
from quizapp.services import audit
from quizapp.services.errors import Conflict, InvalidInput


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def authenticate(email: str, password: str) -> User | None:
    user = find_user(email)
    if user is None:
        verify_unknown(password)
        return None
    if not verify_password(user.password_hash, password) or not user.active:
        return None
    if needs_rehash(user.password_hash):
        # Made with an older cost: store it again at today's (the caller commits).
        begin_write()
        user.password_hash = hash_password(password)
    return user


def get_or_create_unit(name: str) -> Unit:
    name = name.strip()
    if not name:
        raise InvalidInput("A unit needs a name.")
    unit = db.session.scalar(select(Unit).where(func.lower(Unit.name) == name.lower()))
    if unit is None:
        unit = Unit(name=name)
        db.session.add(unit)
        db.session.flush()
    return unit


def create_user(
    email: str,
    password: str,
    role: Role,
    name: str = "",
    unit_name: str | None = None,
) -> User:
    """Create one user (and their unit membership) in one transaction.

    A manager given a unit becomes that unit's manager; anyone else becomes a member.
    """
    email = normalise_email(email)
    if "@" not in email or email.startswith("@") or email.endswith("@"):
        raise InvalidInput(f"{email!r} is not an email address.")
    try:
        check_policy(password, email)
    except WeakPassword as exc:
        raise InvalidInput(f"Password refused: {exc}") from exc
    begin_write()
    if find_user(email) is not None:
        db.session.rollback()
        raise Conflict(f"A user with the email {email} already exists.")
    user = User(
        email=email,
        name=name.strip() or email.split("@")[0],
        role=role,
        password_hash=hash_password(password),
    )
    db.session.add(user)
    if unit_name:
        unit = get_or_create_unit(unit_name)
        db.session.add(UnitMembership(unit=unit, user=user, is_manager=role is Role.MANAGER))
    db.session.commit()
    return user


def set_password(user: User, new_password: str, actor_id: int | None, action: str) -> None:
    """Set a new password and end every session of the user (their session version moves on)."""
    try:
        check_policy(new_password, user.email)
    except WeakPassword as exc:
        raise InvalidInput(str(exc)) from exc
    begin_write()
    fresh = db.session.get(User, user.id)
    assert fresh is not None
    fresh.password_hash = hash_password(new_password)
    fresh.session_version = (fresh.session_version or 1) + 1
    db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == fresh.id, PasswordReset.used_at.is_(None))
        .values(used_at=utcnow())
    )  # any reset link still out is spent too
    audit.record(action, actor_id=actor_id, object_type="user", object_key=fresh.email)
    db.session.commit()


def change_password(user: User, current: str, new_password: str) -> None:
    if not verify_password(user.password_hash, current):
        raise InvalidInput("Your current password is not right.")
    if current == new_password:
        raise InvalidInput("Choose a password different from the current one.")
    set_password(user, new_password, user.id, "password.changed")


MAX_TOKEN_LENGTH = 100


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def reset_token(user: User) -> str:
    """A one-time link token: random (no account data in it); only its SHA-256 is stored."""
    token = secrets.token_urlsafe(32)
    hours = current_app.config["RESET_LINK_HOURS"]
    begin_write()
    db.session.add(
        PasswordReset(
            user_id=user.id,
            token_hash=_digest(token),
            expires_at=utcnow() + timedelta(hours=hours),
        )
    )
    db.session.commit()
    return token


def user_for_reset(token: str) -> User:
    found = None
    if len(token) <= MAX_TOKEN_LENGTH:
        found = db.session.scalar(
            select(PasswordReset).where(PasswordReset.token_hash == _digest(token))
        )
    if found is None:
        raise InvalidInput("This reset link is not valid.")
    if found.used_at is not None or not found.user.active:
        raise InvalidInput("This reset link has already been used or is no longer valid.")
    if found.expires_at <= utcnow():
        raise InvalidInput("This reset link has expired; ask an administrator for a new one.")
    return found.user
