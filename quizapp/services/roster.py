"""Roster import: a CSV of people becomes users, units and memberships, all or nothing.

The plan compares each row with the database: a user to create, a user whose role or
membership changes, or a row that changes nothing. A dry run only shows the plan. A real
import applies it in one transaction with one audit event. It only adds: nobody leaves a
unit and no name changes. A manager listed in a unit becomes that unit's manager; a role
that cannot manage ends the person's manager memberships (as when an admin changes a role).
New users get an unusable random password: they sign in once they set their own through an
invitation, sent with the import (the "invite" option) or later from their user page.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from quizapp.database import unit_of_work
from quizapp.domain.roster import Problem, RosterRow, parse_roster
from quizapp.extensions import db
from quizapp.models import Role, Unit, UnitMembership, User
from quizapp.passwords import hash_password
from quizapp.services import audit
from quizapp.services.accounts import add_user
from quizapp.services.admin import MANAGING_ROLES, end_managerships
from quizapp.services.errors import InvalidInput
from quizapp.services.invitations import IssuedLink, invite

CHUNK = 500  # keeps IN lists well under every backend's parameter limit
# Each new user costs one deliberately slow password hash (about 0.1 s), all in one request.
MAX_NEW_USERS = 200


class RosterFailed(InvalidInput):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the roster; nothing was imported.")
        self.problems = problems


@dataclass
class PlannedRow:
    row: RosterRow
    kind: str  # "create", "update" or "unchanged"
    name: str  # the user's name as it is or will be
    changes: list[str] = field(default_factory=list)


@dataclass
class RosterReport:
    dry_run: bool
    rows: list[PlannedRow]
    new_units: list[str]
    # the new users' invitations when the import sent them: shown once, never stored
    links: list[IssuedLink] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[PlannedRow]:
        return [p for p in self.rows if p.kind == kind]

    @property
    def counts(self) -> dict[str, int]:
        return {
            "created": len(self.of_kind("create")),
            "updated": len(self.of_kind("update")),
            "unchanged": len(self.of_kind("unchanged")),
            "units_created": len(self.new_units),
        }


def _chunks(values: list[str]) -> list[list[str]]:
    return [values[i : i + CHUNK] for i in range(0, len(values), CHUNK)]


def _existing(rows: list[RosterRow]) -> tuple[dict[str, User], dict[str, Unit]]:
    """Users by email (with memberships) and units by lower-case name, in a few queries."""
    users: dict[str, User] = {}
    for chunk in _chunks(sorted({r.email for r in rows})):
        found = db.session.scalars(
            select(User)
            .where(User.email.in_(chunk))
            .options(selectinload(User.memberships).selectinload(UnitMembership.unit))
        )
        users.update((u.email, u) for u in found)
    units: dict[str, Unit] = {}
    for chunk in _chunks(sorted({r.unit.lower() for r in rows if r.unit})):
        found_units = db.session.scalars(select(Unit).where(func.lower(Unit.name).in_(chunk)))
        units.update((u.name.lower(), u) for u in found_units)
    return users, units


def _plan_row(row: RosterRow, user: User | None, unit: Unit | None, unit_name: str) -> PlannedRow:
    """The row's changes; `unit_name` is the unit's name as it is or will be spelled."""
    role = Role(row.role)
    manages = role is Role.MANAGER
    if user is None:
        where = f" in {unit_name}" + (" as its manager" if manages else "") if row.unit else ""
        return PlannedRow(row, "create", row.name, [f"new {role.value}{where}"])
    changes = []
    if user.role is not role:
        changes.append(f"role {user.role.value} → {role.value}")
        if role not in MANAGING_ROLES:
            changes += [
                f"no longer manager of {m.unit.name}" for m in user.memberships if m.is_manager
            ]
    if row.unit:
        membership = next((m for m in user.memberships if unit and m.unit_id == unit.id), None)
        if membership is None:
            changes.append(f"joins {unit_name}" + (" as its manager" if manages else ""))
        elif manages and not membership.is_manager:
            changes.append(f"becomes manager of {membership.unit.name}")
    return PlannedRow(row, "update" if changes else "unchanged", user.name, changes)


def _problems_for_actor(
    rows: list[RosterRow], users: dict[str, User], actor_id: int | None
) -> Iterator[Problem]:
    for row in rows:
        user = users.get(row.email)
        if user is not None and user.id == actor_id and row.role != Role.ADMIN.value:
            yield Problem(row.line, "you cannot remove your own admin role")


def plan(
    rows: list[RosterRow], actor_id: int | None
) -> tuple[RosterReport, dict[str, User], dict[str, Unit]]:
    """What the rows would change, with the users and units they name that exist."""
    users, units = _existing(rows)
    problems = list(_problems_for_actor(rows, users, actor_id))
    if problems:
        raise RosterFailed(problems)
    new_units: dict[str, str] = {}
    for row in rows:
        if row.unit and row.unit.lower() not in units:
            new_units.setdefault(row.unit.lower(), row.unit)  # the first spelling wins
    spelled = {**new_units, **{key: unit.name for key, unit in units.items()}}
    planned = [
        _plan_row(r, users.get(r.email), units.get(r.unit.lower()), spelled.get(r.unit.lower(), ""))
        for r in rows
    ]
    report = RosterReport(dry_run=True, rows=planned, new_units=list(new_units.values()))
    creates = report.of_kind("create")
    if len(creates) > MAX_NEW_USERS:
        message = (
            f"more than {MAX_NEW_USERS} new users in one roster "
            "(this is where to split the file: import the rest as a second roster)"
        )
        raise RosterFailed([Problem(creates[MAX_NEW_USERS].row.line, message)])
    return report, users, units


def unusable_password_hash() -> str:
    """The hash of a random secret nobody knows: the account exists but cannot sign in."""
    return hash_password(secrets.token_urlsafe(32))


def _apply(
    report: RosterReport, users: dict[str, User], units: dict[str, Unit], hashes: dict[str, str]
) -> list[User]:
    """Make the planned changes; the users created."""
    created = []
    for name in report.new_units:
        new_unit = Unit(name=name, description="")
        db.session.add(new_unit)
        units[name.lower()] = new_unit
    db.session.flush()
    for planned in report.rows:
        row, role = planned.row, Role(planned.row.role)
        unit = units.get(row.unit.lower()) if row.unit else None
        user = users.get(row.email)
        if user is None:
            password_hash = hashes.get(row.email) or unusable_password_hash()
            created.append(add_user(row.email, row.name, role, password_hash, unit))
            continue
        if user.role is not role:
            user.role = role
            if role not in MANAGING_ROLES:
                end_managerships(user)
        if unit is not None:
            membership = next((m for m in user.memberships if m.unit_id == unit.id), None)
            if membership is None:
                user.memberships.append(UnitMembership(unit=unit, is_manager=role is Role.MANAGER))
            elif role is Role.MANAGER:
                membership.is_manager = True
    return created


def import_roster(
    text: str, *, dry_run: bool, actor_id: int | None, filename: str = "", invite_new: bool = False
) -> RosterReport:
    """Check the roster and show (dry run) or apply its plan; RosterFailed lists every problem.
    With `invite_new` each new user is invited (their links are in the report, once)."""
    parsed = parse_roster(text)
    if not parsed.ok:
        raise RosterFailed(parsed.problems)
    try:
        report, _users, _units = plan(parsed.rows, actor_id)
    finally:
        db.session.rollback()  # a read: end it before hashing (the unit of work would too)
    if dry_run:
        return report
    # Hashing is slow by design: do it before the write lock, for the users planned so far.
    hashes = {p.row.email: unusable_password_hash() for p in report.of_kind("create")}
    with unit_of_work():
        report, users, units = plan(parsed.rows, actor_id)  # again, under the lock
        report.dry_run = False
        created = _apply(report, users, units, hashes)
        report.links = [invite(actor_id, user) for user in created] if invite_new else []
        audit.record(
            "roster.imported",
            actor_id=actor_id,
            object_type="roster",
            object_key=filename,
            **dict[str, Any](report.counts),
            created_emails=[p.row.email for p in report.of_kind("create")],
            updated_emails=[p.row.email for p in report.of_kind("update")],
            invited=bool(invite_new),
        )
    return report
