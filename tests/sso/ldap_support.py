"""Test support for LDAP: settings pointing at the test directory in its two modes (search
and DN template), the admin's group mappings for it, and a search for a password in the
database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from quizapp.sso.ldap_settings import LdapSettings, parse_settings
from tests.sso.ldap_server import (
    GROUPS,
    PASSWORDS,
    PEOPLE,
    SERVICE_DN,
    SUFFIX,
    Directory,
    group_dn,
)


def search_mode_config(directory: Directory, **changes: Any) -> dict[str, Any]:
    """App config keys for search mode over ldaps, groups found by a group search."""
    config: dict[str, Any] = {
        "LDAP_URL": directory.ldaps_url,
        "LDAP_CA_FILE": directory.ca_file,
        "LDAP_BIND_DN": SERVICE_DN,
        "LDAP_BIND_PASSWORD": PASSWORDS[SERVICE_DN],
        "LDAP_SEARCH_BASE": SUFFIX,
        "LDAP_GROUP_SEARCH_BASE": GROUPS,
        "LDAP_TIMEOUT_SECONDS": "5",
    }
    config.update(changes)
    return config


def template_mode_config(directory: Directory, **changes: Any) -> dict[str, Any]:
    """DN-template mode over StartTLS, no service account."""
    config: dict[str, Any] = {
        "LDAP_URL": directory.url,
        "LDAP_START_TLS": "1",
        "LDAP_CA_FILE": directory.ca_file,
        "LDAP_USER_DN_TEMPLATE": "uid={login}," + PEOPLE,
        "LDAP_GROUP_SEARCH_BASE": GROUPS,
    }
    config.update(changes)
    return config


def settings(config: dict[str, Any], production: bool = False) -> LdapSettings:
    from quizapp.sso.ldap_settings import DEFAULTS

    return parse_settings({**DEFAULTS, **config}, production=production)


def map_test_groups(unit_name: str = "ICU") -> int:
    """The admin's mappings for the test directory (inside an app context): ICU-Nurses ->
    trainee in `unit_name`, Nurse-Educators -> instructor, ICU-Managers -> its manager.
    Returns the unit's id."""
    from quizapp.extensions import db
    from quizapp.models import DirectoryGroupMapping, Role, Unit

    unit = Unit(name=unit_name)
    db.session.add(unit)
    db.session.flush()
    rules = [
        ("ICU-Nurses", Role.TRAINEE, unit.id, False),
        ("Nurse-Educators", Role.INSTRUCTOR, None, False),
        ("ICU-Managers", Role.MANAGER, unit.id, True),
    ]
    for name, role, unit_id, is_manager in rules:
        group = group_dn(name)
        db.session.add(
            DirectoryGroupMapping(
                source="ldap",
                group=group,
                group_key=group.casefold(),
                role=role,
                unit_id=unit_id,
                is_manager=is_manager,
            )
        )
    db.session.commit()
    return unit.id


def places_holding(text: str) -> list[str]:
    """Every table row (as text), and the SQLite database file, that contains `text`
    (inside an app context): where a password must never be."""
    from sqlalchemy import select

    from quizapp.extensions import db

    found = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(select(table)).all():
            if text in repr(tuple(row)):
                found.append(f"{table.name}: {row!r}")
    database = db.engine.url.database if db.engine.url.get_backend_name() == "sqlite" else None
    if database:
        for path in (Path(database), Path(database + "-wal")):
            if path.exists() and text.encode() in path.read_bytes():
                found.append(str(path))
    return found
