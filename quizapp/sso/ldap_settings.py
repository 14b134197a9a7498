"""The LDAP / Active Directory settings, read from the environment once at start-up and checked
there, so a mistake (a plain ldap:// URL to a remote server, a filter without {login}) stops
the app with a message instead of failing, or leaking passwords, at the first sign-in.

`apply_ldap_settings(config)` is called by `load_config` after the overrides: each LDAP_*
key not given there is read from the environment, and `config["LDAP"]` becomes an
`LdapSettings` (or None when LDAP_URL is empty: LDAP sign-in is off).
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

DEFAULTS = {
    "LDAP_URL": "",
    "LDAP_START_TLS": "",
    "LDAP_CA_FILE": "",
    "LDAP_BIND_DN": "",
    "LDAP_BIND_PASSWORD": "",
    "LDAP_USER_DN_TEMPLATE": "",
    "LDAP_SEARCH_BASE": "",
    "LDAP_USER_FILTER": "(|(mail={login})(uid={login}))",
    "LDAP_EMAIL_ATTRIBUTE": "mail",
    "LDAP_NAME_ATTRIBUTE": "cn",
    "LDAP_ID_ATTRIBUTE": "entryUUID",
    "LDAP_GROUP_ATTRIBUTE": "",
    "LDAP_GROUP_SEARCH_BASE": "",
    "LDAP_GROUP_FILTER": "(member={dn})",
    "LDAP_TIMEOUT_SECONDS": "5",
}
_TRUE = ("1", "true", "yes", "on")


@dataclass(frozen=True)
class LdapSettings:
    """Checked settings. Search mode (a service account finds the entry) when `bind_dn` is
    set; otherwise the user's DN (or AD user principal name) comes from `user_dn_template`."""

    host: str
    port: int
    use_ssl: bool  # ldaps://
    start_tls: bool  # ldap:// upgraded with StartTLS before any bind
    ca_file: str  # "" = the system's CA store
    bind_dn: str
    bind_password: str
    user_dn_template: str
    search_base: str
    user_filter: str
    email_attribute: str
    name_attribute: str
    id_attribute: str
    group_attribute: str
    group_search_base: str
    group_filter: str
    timeout: float

    @property
    def search_mode(self) -> bool:
        return bool(self.bind_dn)

    @property
    def encrypted(self) -> bool:
        return self.use_ssl or self.start_tls


def apply_ldap_settings(config: dict[str, Any]) -> None:
    """Fill the LDAP_* keys (overrides first, then the environment, then the defaults) and
    set config["LDAP"]; ConfigError when they do not make a safe, working set."""
    from quizapp.config import ConfigError

    for name, default in DEFAULTS.items():
        if name not in config:
            config[name] = os.environ.get(name, default)
    if not str(config["LDAP_URL"]).strip():
        config["LDAP"] = None
        return
    try:
        config["LDAP"] = parse_settings(config, production=config["ENV_NAME"] == "production")
    except ValueError as exc:
        raise ConfigError(f"LDAP settings: {exc}") from exc


def _flag(value: object) -> bool:
    return str(value).strip().lower() in _TRUE


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _server(config: dict[str, Any], production: bool) -> tuple[str, int, bool, bool]:
    url = str(config["LDAP_URL"]).strip()
    parts = urlsplit(url)
    if parts.scheme not in ("ldap", "ldaps") or not parts.hostname:
        raise ValueError(
            f"LDAP_URL={url!r} must be ldaps://host[:636] (or ldap://host[:389] "
            "with LDAP_START_TLS=1)."
        )
    try:
        port = parts.port or (636 if parts.scheme == "ldaps" else 389)
    except ValueError as exc:
        raise ValueError(f"LDAP_URL={url!r}: the port is not a number.") from exc
    use_ssl, start_tls = parts.scheme == "ldaps", _flag(config["LDAP_START_TLS"])
    if use_ssl and start_tls:
        raise ValueError("LDAP_START_TLS=1 is for ldap:// URLs; ldaps:// is encrypted already.")
    if not (use_ssl or start_tls) and (production or not _is_loopback(parts.hostname)):
        raise ValueError(
            f"LDAP_URL={url!r} would send passwords unencrypted. Use ldaps:// or set "
            "LDAP_START_TLS=1 (plain ldap:// is allowed only to a loopback test server "
            "outside production)."
        )
    return parts.hostname, port, use_ssl, start_tls


def _text(config: dict[str, Any], name: str) -> str:
    return str(config[name] or "").strip()


def _check_modes(config: dict[str, Any]) -> None:
    bind_dn, template = _text(config, "LDAP_BIND_DN"), _text(config, "LDAP_USER_DN_TEMPLATE")
    if not bind_dn and not template:
        raise ValueError(
            "set LDAP_BIND_DN and LDAP_BIND_PASSWORD (a service account that searches for the "
            "user) or LDAP_USER_DN_TEMPLATE (e.g. uid={login},ou=people,dc=example,dc=org)."
        )
    if bind_dn and not config["LDAP_BIND_PASSWORD"]:
        raise ValueError("LDAP_BIND_DN is set but LDAP_BIND_PASSWORD is empty.")
    if bind_dn and not _text(config, "LDAP_SEARCH_BASE"):
        raise ValueError("LDAP_BIND_DN needs LDAP_SEARCH_BASE (where to look for users).")
    if template and "{login}" not in template:
        raise ValueError("LDAP_USER_DN_TEMPLATE must contain {login}.")
    if "{login}" not in _text(config, "LDAP_USER_FILTER"):
        raise ValueError("LDAP_USER_FILTER must contain {login}.")
    if _text(config, "LDAP_GROUP_SEARCH_BASE") and "{dn}" not in _text(config, "LDAP_GROUP_FILTER"):
        raise ValueError("LDAP_GROUP_FILTER must contain {dn} (the user's DN).")


def parse_settings(config: dict[str, Any], production: bool) -> LdapSettings:
    """The checked settings; ValueError naming the setting that is wrong and how to fix it."""
    host, port, use_ssl, start_tls = _server(config, production)
    _check_modes(config)
    ca_file = _text(config, "LDAP_CA_FILE")
    if ca_file and not Path(ca_file).is_file():
        raise ValueError(f"LDAP_CA_FILE={ca_file!r} is not a readable file.")
    try:
        timeout = float(config["LDAP_TIMEOUT_SECONDS"])
    except (TypeError, ValueError):
        timeout = 0.0
    if not 0 < timeout <= 120:
        raise ValueError("LDAP_TIMEOUT_SECONDS must be a number of seconds from 0 to 120.")
    return LdapSettings(
        host=host,
        port=port,
        use_ssl=use_ssl,
        start_tls=start_tls,
        ca_file=ca_file,
        bind_dn=_text(config, "LDAP_BIND_DN"),
        bind_password=str(config["LDAP_BIND_PASSWORD"] or ""),
        user_dn_template=_text(config, "LDAP_USER_DN_TEMPLATE"),
        search_base=_text(config, "LDAP_SEARCH_BASE"),
        user_filter=_text(config, "LDAP_USER_FILTER"),
        email_attribute=_text(config, "LDAP_EMAIL_ATTRIBUTE") or "mail",
        name_attribute=_text(config, "LDAP_NAME_ATTRIBUTE") or "cn",
        id_attribute=_text(config, "LDAP_ID_ATTRIBUTE"),
        group_attribute=_text(config, "LDAP_GROUP_ATTRIBUTE"),
        group_search_base=_text(config, "LDAP_GROUP_SEARCH_BASE"),
        group_filter=_text(config, "LDAP_GROUP_FILTER") or "(member={dn})",
        timeout=timeout,
    )
