"""What a directory account may do here, from its groups and the admin's mapping (pure).

Why a rule table and not a role in the directory: hospital directories name groups for their
own purposes (`CN=ICU-Nurses,OU=Groups,DC=hospital,DC=org`, or an Entra ID group's object id),
so an admin says which group gives which role in which unit. The highest role any matched
rule gives wins; a unit membership comes from each matched rule that names a unit, as its
manager only when the rule says so and the role can manage.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

ROLE_RANK = {"trainee": 0, "instructor": 1, "manager": 2, "admin": 3}
CAN_MANAGE = frozenset({"manager", "admin"})
SOURCES = ("any", "oidc", "ldap")
_DN_SPACES = re.compile(r"\s*([,=+])\s*")


def group_key(group: str) -> str:
    """The form groups are compared in: case and the spaces around a DN's `,` `=` `+` do
    not matter (`CN=ICU Nurses, OU=Groups` is `cn=icu nurses,ou=groups`)."""
    return _DN_SPACES.sub(r"\1", " ".join(group.split())).casefold()


@dataclass(frozen=True)
class MappingRule:
    source: str  # "any", "oidc" or "ldap"
    group: str
    role: str  # a Role value
    unit_id: int | None = None
    is_manager: bool = False


@dataclass(frozen=True)
class Grant:
    """The outcome for one sign-in: `role` None means no rule matched (no access)."""

    role: str | None
    units: dict[int, bool] = field(default_factory=dict)  # unit id -> as its manager
    matched: tuple[str, ...] = ()  # the groups (as the rules spell them) that matched


def grant_for(groups: Iterable[str], source: str, rules: Iterable[MappingRule]) -> Grant:
    """Apply the rules that match one of `groups` and apply to `source`."""
    keys = {group_key(g) for g in groups if g and g.strip()}
    applying = [
        rule for rule in rules if rule.source in ("any", source) and group_key(rule.group) in keys
    ]
    if not applying:
        return Grant(role=None)
    role = max((rule.role for rule in applying), key=ROLE_RANK.__getitem__)
    units: dict[int, bool] = {}
    for rule in applying:
        if rule.unit_id is not None:
            manages = rule.is_manager and role in CAN_MANAGE
            units[rule.unit_id] = units.get(rule.unit_id, False) or manages
    matched = tuple(dict.fromkeys(rule.group for rule in applying))
    return Grant(role=role, units=units, matched=matched)


def role_after_sign_in(current: str | None, granted: str) -> str:
    """The role the account has after a directory sign-in. The directory never demotes an
    admin: admins are kept in the app (the break-glass accounts), so a missing admin group in
    the directory cannot lock the site's administrators out of administering it."""
    if current == "admin":
        return "admin"
    return granted
