"""OpenID Connect settings, read with the rest of the configuration at app creation.

Why refuse to start on a bad combination: a half-configured provider would show a sign-in
button that can only fail, and an http issuer in production would let anyone on the network
swap the provider's keys. Nothing here talks to the network (discovery happens at the first
sign-in), so an app starts even while the provider is away.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

DEFAULTS = {
    "OIDC_ISSUER": "",
    "OIDC_CLIENT_ID": "",
    "OIDC_CLIENT_SECRET": "",
    "OIDC_PROVIDER_NAME": "your organisation",
    "OIDC_SCOPES": "openid email profile",
    "OIDC_GROUPS_CLAIM": "groups",
    "OIDC_CA_FILE": "",
    "OIDC_EMAILS_VERIFIED": "",
}
LOOPBACK_HOSTS = ("127.0.0.1", "::1", "localhost")
MAX_PROVIDER_NAME = 60


def read_oidc_settings(config: dict[str, Any]) -> None:
    """Fill the OIDC_* keys not given as overrides from the environment (else the defaults),
    trimmed, and check them; ConfigError says what to change."""
    for key, default in DEFAULTS.items():
        value = config[key] if key in config else os.environ.get(key)
        config[key] = str(value).strip() if value else default
    _check(config)


def oidc_enabled(config: Any) -> bool:
    return bool(config.get("OIDC_ISSUER"))


def _check(config: dict[str, Any]) -> None:
    from quizapp.config import ConfigError

    issuer, client_id = config["OIDC_ISSUER"], config["OIDC_CLIENT_ID"]
    secret = config["OIDC_CLIENT_SECRET"]
    if not issuer:
        if client_id or secret:
            raise ConfigError(
                "OIDC_CLIENT_ID or OIDC_CLIENT_SECRET is set but OIDC_ISSUER is not: set the "
                "provider's issuer URL too (for Entra ID "
                "https://login.microsoftonline.com/<tenant id>/v2.0), or unset both."
            )
        return
    if not client_id or not secret:
        raise ConfigError(
            "OIDC_ISSUER is set, so OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are needed too: copy "
            "them from the app registration at your identity provider."
        )
    _check_issuer(issuer, config["ENV_NAME"])
    if not config.get("QUIZAPP_BASE_URL"):
        raise ConfigError(
            "OIDC_ISSUER is set, so QUIZAPP_BASE_URL is needed too: the provider sends people "
            "back to <QUIZAPP_BASE_URL>/login/oidc/callback, the redirect URI to register."
        )
    if config["OIDC_EMAILS_VERIFIED"] not in ("", "0", "1"):
        raise ConfigError(
            f"OIDC_EMAILS_VERIFIED={config['OIDC_EMAILS_VERIFIED']!r} must be 1 (every "
            "address the provider sends is the organisation's own) or 0."
        )
    if "openid" not in config["OIDC_SCOPES"].split():
        raise ConfigError(f"OIDC_SCOPES={config['OIDC_SCOPES']!r} must include 'openid'.")
    if len(config["OIDC_PROVIDER_NAME"]) > MAX_PROVIDER_NAME:
        raise ConfigError(f"OIDC_PROVIDER_NAME is over {MAX_PROVIDER_NAME} characters.")
    if not re.fullmatch(r"[\w:/.\-]{1,200}", config["OIDC_GROUPS_CLAIM"]):
        raise ConfigError(
            f"OIDC_GROUPS_CLAIM={config['OIDC_GROUPS_CLAIM']!r} is not a claim name "
            "(for example groups or roles)."
        )
    ca_file = config["OIDC_CA_FILE"]
    if ca_file and not Path(ca_file).is_file():
        raise ConfigError(f"OIDC_CA_FILE={ca_file!r} is not a readable file.")


def _check_issuer(issuer: str, env: str) -> None:
    """https always in production; plain http only on a loopback host outside production
    (the test provider), never for a provider across a network."""
    from quizapp.config import ConfigError

    parts = urlsplit(issuer)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ConfigError(
            f"OIDC_ISSUER={issuer!r} is not a URL: give the issuer, for example "
            "https://login.microsoftonline.com/<tenant id>/v2.0."
        )
    if parts.query or parts.fragment or "@" in parts.netloc:
        raise ConfigError(f"OIDC_ISSUER={issuer!r} must have no query, fragment or user name.")
    if parts.scheme == "http":
        if env == "production":
            raise ConfigError(
                f"OIDC_ISSUER={issuer!r} uses http: in production the issuer must be an "
                "https:// address, so that its keys cannot be swapped on the way."
            )
        if parts.hostname not in LOOPBACK_HOSTS:
            raise ConfigError(
                f"OIDC_ISSUER={issuer!r} uses http on a host that is not this machine: plain "
                "http is allowed only for a provider on loopback (127.0.0.1) in development "
                "or tests."
            )
