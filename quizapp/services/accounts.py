"""Accounts and units: creating users, memberships, and checking credentials."""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select

from quizapp.auth.passwords import (
    DUMMY_HASH,
    WeakPassword,
    check_policy,
    hash_password,
    verify_password,
)
from quizapp.database import begin_write
from quizapp.extensions import db
from quizapp.models import Role, Unit, UnitMembership, User
from quizapp.services import audit
from quizapp.services.errors import Conflict, InvalidInput


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def authenticate(email: str, password: str) -> User | None:
    user = find_user(email)
    if user is None:
        verify_password(DUMMY_HASH, password)
        return None
    if not verify_password(user.password_hash, password) or not user.active:
        return None
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
    audit.record(action, actor_id=actor_id, object_type="user", object_key=fresh.email)
    db.session.commit()


def change_password(user: User, current: str, new_password: str) -> None:
    if not verify_password(user.password_hash, current):
        raise InvalidInput("Your current password is not right.")
    if current == new_password:
        raise InvalidInput("Choose a password different from the current one.")
    set_password(user, new_password, user.id, "password.changed")


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def reset_token(user: User) -> str:
    """A link token that works once: it is bound to the password hash it was made for."""
    return _serializer().dumps({"u": user.id, "h": user.password_hash[-16:]})


def user_for_reset(token: str) -> User:
    hours = current_app.config["RESET_LINK_HOURS"]
    try:
        data = _serializer().loads(token, max_age=hours * 3600)
    except SignatureExpired as exc:
        raise InvalidInput(
            "This reset link has expired; ask an administrator for a new one."
        ) from exc
    except BadSignature as exc:
        raise InvalidInput("This reset link is not valid.") from exc
    user = db.session.get(User, data.get("u"))
    if user is None or not user.active or user.password_hash[-16:] != data.get("h"):
        raise InvalidInput("This reset link has already been used or is no longer valid.")
    return user
