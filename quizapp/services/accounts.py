"""Accounts and units: creating users, memberships, and checking credentials."""

from __future__ import annotations

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
        check_policy(password)
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
