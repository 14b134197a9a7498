"""What an admin changes about single sign-on (issue 19): the group mappings that say which
directory group gives which role in which unit, the local sign-in switch, and the link
between a directory account and a user. Each is one unit of work with its audit row.

Why here and not with IT: the directory names groups for its own purposes; the admin, who
knows the units, says what each means on this site.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import select

from quizapp.database import unit_of_work
from quizapp.domain.directory_mapping import SOURCES, group_key
from quizapp.extensions import db
from quizapp.models import (
    DirectoryGroupMapping,
    DirectoryIdentity,
    Role,
    SiteSetting,
    Unit,
    User,
)
from quizapp.queries.site_settings import LOCAL_SIGN_IN, setting
from quizapp.services import audit
from quizapp.services.errors import FieldInvalid, NotFound

MAX_GROUP = 500
LOCAL_SIGN_IN_MODES = ("all", "admins")
MANAGING_ROLES = frozenset({Role.MANAGER, Role.ADMIN})


def directory_configured() -> bool:
    """Is there another way in than a local password (OIDC or LDAP set in the config)?"""
    config = current_app.config
    return bool(config.get("OIDC_ISSUER") or config.get("LDAP_URL"))


def _checked_role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise FieldInvalid("role", "Choose a role from the list.") from None


def _checked_group(group: str) -> str:
    group = group.strip()
    if not group:
        raise FieldInvalid("group", "Enter the group: its DN or the value of the groups claim.")
    if len(group) > MAX_GROUP:
        raise FieldInvalid("group", f"A group is at most {MAX_GROUP} characters.")
    return group


def _mapping_details(mapping: DirectoryGroupMapping) -> dict[str, Any]:
    return {
        "source": mapping.source,
        "group": mapping.group,
        "role": mapping.role.value,
        "unit": mapping.unit.name if mapping.unit is not None else None,
        "is_manager": mapping.is_manager,
    }


def add_mapping(
    source: str, group: str, role: str, unit_id: int | None, is_manager: bool, actor_id: int
) -> DirectoryGroupMapping:
    """A new rule: members of `group` signing in through `source` get `role` (and `unit`).
    Raises FieldInvalid (named by field) for bad input or a duplicate, NotFound for a unit
    that does not exist."""
    group = _checked_group(group)
    if source not in SOURCES:
        raise FieldInvalid("source", "Choose where the group comes from: any, OIDC or LDAP.")
    checked_role = _checked_role(role)
    if is_manager and checked_role not in MANAGING_ROLES:
        raise FieldInvalid(
            "is_manager", "Only the manager or admin role can manage a unit: untick manager."
        )
    if is_manager and unit_id is None:
        raise FieldInvalid("is_manager", "Choose the unit they manage, or untick manager.")
    key = group_key(group)
    with unit_of_work():
        unit = db.session.get(Unit, unit_id) if unit_id is not None else None
        if unit_id is not None and unit is None:
            raise NotFound("No such unit.")
        same = db.session.scalar(
            select(DirectoryGroupMapping.id).where(
                DirectoryGroupMapping.source == source,
                DirectoryGroupMapping.group_key == key,
                DirectoryGroupMapping.role == checked_role,
                DirectoryGroupMapping.unit_id == unit_id,  # None: IS NULL
            )
        )
        if same is not None:
            raise FieldInvalid(
                "group", "This group already gives that role in that unit: see the list above."
            )
        mapping = DirectoryGroupMapping(
            source=source,
            group=group,
            group_key=key,
            role=checked_role,
            unit=unit,
            is_manager=is_manager,
        )
        db.session.add(mapping)
        db.session.flush()
        audit.record(
            "directory_mapping.added",
            actor_id=actor_id,
            object_type="directory_mapping",
            object_key=str(mapping.id),
            **_mapping_details(mapping),
        )
    return mapping


def delete_mapping(mapping_id: int, actor_id: int) -> None:
    """Remove a rule. Memberships it gave stay until the person's next directory sign-in."""
    with unit_of_work():
        mapping = db.session.get(DirectoryGroupMapping, mapping_id)
        if mapping is None:
            raise NotFound("No such group mapping.")
        details = _mapping_details(mapping)
        db.session.delete(mapping)
        audit.record(
            "directory_mapping.deleted",
            actor_id=actor_id,
            object_type="directory_mapping",
            object_key=str(mapping_id),
            **details,
        )


def set_local_sign_in(mode: str, actor_id: int) -> bool:
    """Let everyone sign in with a local password ("all") or only admins ("admins"); False
    when it already was so. "admins" needs OIDC or LDAP configured, else nobody but the
    admins could sign in at all."""
    if mode not in LOCAL_SIGN_IN_MODES:
        raise FieldInvalid("mode", "Choose who may sign in with a local password.")
    if mode == "admins" and not directory_configured():
        raise FieldInvalid(
            "mode",
            "Single sign-on is not configured (neither OIDC_ISSUER nor LDAP_URL is set), so "
            "turning local passwords off would leave no way in for anyone but admins. "
            "Configure OIDC or LDAP first (see the README).",
        )
    with unit_of_work():
        old = setting(LOCAL_SIGN_IN, "all")
        if old == mode:
            return False
        row = db.session.get(SiteSetting, LOCAL_SIGN_IN)
        if row is None:
            db.session.add(SiteSetting(key=LOCAL_SIGN_IN, value=mode))
        else:
            row.value = mode
        audit.record(
            "settings.local_sign_in",
            actor_id=actor_id,
            object_type="setting",
            object_key=LOCAL_SIGN_IN,
            old=old,
            new=mode,
        )
    return True


def unlink_identity(user_id: int, identity_id: int, actor_id: int) -> str:
    """Undo a wrong link between a directory account and a user: the link goes, the user's
    sessions end (one may have been opened by the wrong person), and, when no other directory
    account stays linked, so do the memberships the directory gave. Returns how the
    directory account is named ("LDAP account <subject>")."""
    with unit_of_work():
        identity = db.session.get(DirectoryIdentity, identity_id)
        if identity is None or identity.user_id != user_id:
            raise NotFound("No such directory account for this user.")
        user: User = identity.user
        source, subject = identity.source, identity.subject
        db.session.delete(identity)
        db.session.flush()
        still_linked = db.session.scalar(
            select(DirectoryIdentity.id).where(DirectoryIdentity.user_id == user_id).limit(1)
        )
        removed: list[str] = []
        if still_linked is None:
            for membership in list(user.memberships):
                if membership.source == "directory":
                    removed.append(membership.unit.name)
                    user.memberships.remove(membership)
        user.session_version = (user.session_version or 1) + 1
        audit.record(
            "directory_identity.unlinked",
            actor_id=actor_id,
            object_type="user",
            object_key=user.email,
            source=source,
            subject=subject[:200],
            units_removed=sorted(removed),
        )
    return f"{source.upper()} account {subject}"
