"""Reads for the admin Sign-in page (the group mappings, which sign-in methods are configured,
the local sign-in switch) and for the directory part of the admin user page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import DirectoryGroupMapping, DirectoryIdentity, Unit
from quizapp.queries.site_settings import local_sign_in_for_all

SOURCE_LABELS = {"any": "OIDC and LDAP", "oidc": "OIDC only", "ldap": "LDAP only"}


@dataclass(frozen=True)
class MappingRow:
    id: int
    group: str
    source: str
    applies_to: str
    role: str
    unit_name: str | None
    is_manager: bool


@dataclass(frozen=True)
class SignInMethods:
    oidc_issuer: str  # "" when OIDC is not configured
    oidc_provider_name: str
    ldap_url: str  # "" when LDAP is not configured

    @property
    def any_directory(self) -> bool:
        return bool(self.oidc_issuer or self.ldap_url)


@dataclass(frozen=True)
class IdentityRow:
    id: int
    source: str
    subject: str
    created_at: datetime
    last_sign_in_at: datetime


def mappings() -> list[MappingRow]:
    """Every group mapping with its unit's name, in one query (by group, then role)."""
    rows = db.session.execute(
        select(DirectoryGroupMapping, Unit.name)
        .outerjoin(Unit, Unit.id == DirectoryGroupMapping.unit_id)
        .order_by(DirectoryGroupMapping.group_key, DirectoryGroupMapping.id)
    ).all()
    return [
        MappingRow(
            id=mapping.id,
            group=mapping.group,
            source=mapping.source,
            applies_to=SOURCE_LABELS.get(mapping.source, mapping.source),
            role=mapping.role.value,
            unit_name=unit_name,
            is_manager=mapping.is_manager,
        )
        for mapping, unit_name in rows
    ]


def mapping(mapping_id: int) -> MappingRow | None:
    return next((row for row in mappings() if row.id == mapping_id), None)


def sign_in_methods() -> SignInMethods:
    """What the app config says (read with .get: the OIDC and LDAP settings are optional)."""
    config = current_app.config
    return SignInMethods(
        oidc_issuer=str(config.get("OIDC_ISSUER") or ""),
        oidc_provider_name=str(config.get("OIDC_PROVIDER_NAME") or "your organisation"),
        ldap_url=str(config.get("LDAP_URL") or ""),
    )


def local_sign_in_mode() -> str:
    """The local sign-in switch: "all" (everyone may use a local password) or "admins"."""
    return "all" if local_sign_in_for_all() else "admins"


def identities(user_id: int) -> list[IdentityRow]:
    """The directory accounts linked to a user, most recently used first."""
    rows = db.session.scalars(
        select(DirectoryIdentity)
        .where(DirectoryIdentity.user_id == user_id)
        .order_by(DirectoryIdentity.last_sign_in_at.desc(), DirectoryIdentity.id)
    ).all()
    return [
        IdentityRow(row.id, row.source, row.subject, row.created_at, row.last_sign_in_at)
        for row in rows
    ]
