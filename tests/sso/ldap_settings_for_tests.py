"""LDAP settings pointing at the test directory, in the two modes (search and DN template)."""

from __future__ import annotations

from typing import Any

from quizapp.sso.ldap_settings import LdapSettings, parse_settings
from tests.sso.ldap_server import GROUPS, PASSWORDS, PEOPLE, SERVICE_DN, SUFFIX, Directory


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
