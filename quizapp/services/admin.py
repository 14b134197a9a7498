"""Administration: units, memberships and managers, and user accounts.

Every change is one transaction with its audit event. A manager membership needs a user whose
role is manager or admin; taking that role away ends their manager memberships. An admin
cannot deactivate themselves or remove their own admin role, so one admin always remains.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, select

from quizapp.database import unit_of_work
from quizapp.domain.roster import normalise_email
from quizapp.extensions import db
from quizapp.models import Role, Unit, UnitMembership, User
from quizapp.services import audit
from quizapp.services.errors import FieldInvalid, NotAllowed, NotFound

MANAGING_ROLES = frozenset({Role.MANAGER, Role.ADMIN})


def _audit(action: str, actor_id: int, object_type: str, key: object, **details: Any) -> None:
    audit.record(action, actor_id=actor_id, object_type=object_type, object_key=str(key), **details)


def find_unit_by_name(name: str) -> Unit | None:
    return db.session.scalar(select(Unit).where(func.lower(Unit.name) == name.strip().lower()))


# Units and memberships


@dataclass(frozen=True)
class UnitSummary:
    unit: Unit
    members: int
    managers: int


def unit_overview() -> list[UnitSummary]:
    """Every unit with its member and manager counts, in one query."""
    managers = func.coalesce(func.sum(case((UnitMembership.is_manager.is_(True), 1), else_=0)), 0)
    rows = db.session.execute(
        select(Unit, func.count(UnitMembership.id), managers)
        .outerjoin(UnitMembership, UnitMembership.unit_id == Unit.id)
        .group_by(Unit.id)
        .order_by(func.lower(Unit.name))
    ).all()
    return [UnitSummary(unit, int(members), int(mgrs)) for unit, members, mgrs in rows]


def get_unit(unit_id: int) -> Unit:
    unit = db.session.get(Unit, unit_id)
    if unit is None:
        raise NotFound("No such unit.")
    return unit


def unit_members(unit_id: int) -> list[Any]:
    """The unit's memberships with their users, managers first, then by name."""
    return list(
        db.session.execute(
            select(UnitMembership, User)
            .join(User, User.id == UnitMembership.user_id)
            .where(UnitMembership.unit_id == unit_id)
            .order_by(UnitMembership.is_manager.desc(), func.lower(User.name), User.id)
        ).all()
    )


def create_unit(name: str, description: str, actor_id: int) -> Unit:
    name = " ".join(name.split())
    if not name:
        raise FieldInvalid("name", "A unit needs a name.")
    with unit_of_work():
        if find_unit_by_name(name) is not None:
            raise FieldInvalid("name", f"A unit called {name!r} already exists.")
        unit = Unit(name=name, description=description.strip())
        db.session.add(unit)
        db.session.flush()
        _audit("unit.created", actor_id, "unit", unit.id, name=name)
    return unit


def _check_can_manage(user: User, unit: Unit) -> None:
    if user.role not in MANAGING_ROLES:
        raise NotAllowed(
            f"{user.email} is a {user.role.value}: only a manager or an admin can manage "
            f"{unit.name}. Change their role to manager first."
        )


def add_member(unit_id: int, email: str, as_manager: bool, actor_id: int) -> UnitMembership:
    email = normalise_email(email)
    with unit_of_work():
        unit = get_unit(unit_id)
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            raise FieldInvalid("email", f"No user has the email {email}.")
        if any(m.unit_id == unit.id for m in user.memberships):
            raise FieldInvalid("email", f"{user.email} is already in {unit.name}.")
        if as_manager:
            try:
                _check_can_manage(user, unit)
            except NotAllowed as exc:
                raise FieldInvalid("as_manager", str(exc)) from exc
        membership = UnitMembership(unit=unit, user=user, is_manager=as_manager)
        db.session.add(membership)
        _audit("membership.added", actor_id, "unit", unit.id, user=user.email, manager=as_manager)
    return membership


def _membership(unit_id: int, membership_id: int) -> UnitMembership:
    membership = db.session.get(UnitMembership, membership_id)
    if membership is None or membership.unit_id != unit_id:
        raise NotFound("No such membership.")
    return membership


def set_manager(unit_id: int, membership_id: int, is_manager: bool, actor_id: int) -> bool:
    """Make or unmake a manager; False when it already was so (nothing changes)."""
    with unit_of_work():
        membership = _membership(unit_id, membership_id)
        if membership.is_manager == is_manager:
            return False
        if is_manager:
            _check_can_manage(membership.user, membership.unit)
        membership.is_manager = is_manager
        _audit(
            "membership.manager_changed",
            actor_id,
            "unit",
            unit_id,
            user=membership.user.email,
            manager=is_manager,
        )
    return True


def remove_membership(unit_id: int, membership_id: int, actor_id: int) -> str:
    """Remove a membership; returns the email of the user who left."""
    with unit_of_work():
        membership = _membership(unit_id, membership_id)
        email, was_manager = membership.user.email, membership.is_manager
        db.session.delete(membership)
        _audit("membership.removed", actor_id, "unit", unit_id, user=email, was_manager=was_manager)
    return email


# Users


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("No such user.")
    return user


def user_memberships(user_id: int) -> list[Any]:
    return list(
        db.session.execute(
            select(UnitMembership, Unit)
            .join(Unit, Unit.id == UnitMembership.unit_id)
            .where(UnitMembership.user_id == user_id)
            .order_by(func.lower(Unit.name))
        ).all()
    )


def end_managerships(user: User) -> list[str]:
    """Unmake the user manager of every unit (their role no longer allows it); the unit names."""
    ended = []
    for membership in user.memberships:
        if membership.is_manager:
            membership.is_manager = False
            ended.append(membership.unit.name)
    return sorted(ended)


def change_role(user_id: int, role: Role, actor_id: int) -> list[str] | None:
    """Give the user a new role: None when it was already theirs, else the units they stopped
    managing because the new role cannot manage."""
    with unit_of_work():
        user = get_user(user_id)
        if user.id == actor_id and role is not Role.ADMIN:
            raise NotAllowed(
                "You cannot remove your own admin role. Ask another admin to do it, "
                "so that someone can still administer the site."
            )
        old = user.role
        if old is role:
            return None
        user.role = role
        ended = end_managerships(user) if role not in MANAGING_ROLES else []
        _audit(
            "user.role_changed",
            actor_id,
            "user",
            user.email,
            old=old.value,
            new=role.value,
            managerships_ended=ended,
        )
    return ended


def set_active(user_id: int, active: bool, actor_id: int) -> bool:
    """Deactivate (ending every session of the user) or reactivate; False when unchanged."""
    with unit_of_work():
        user = get_user(user_id)
        if user.id == actor_id and not active:
            raise NotAllowed("You cannot deactivate your own account. Ask another admin to do it.")
        if user.active == active:
            return False
        user.active = active
        if not active:
            user.session_version += 1  # sessions carrying the old version are refused
        action = "user.reactivated" if active else "user.deactivated"
        _audit(action, actor_id, "user", user.email)
    return True
