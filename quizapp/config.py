"""Configuration read from the environment, once, when the app is created.

Why a function and not module-level classes: the environment is read at create time, so tests
and the CLI can set variables before building an app.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from quizapp.sso.ldap_settings import apply_ldap_settings
from quizapp.sso.oidc_config import read_oidc_settings

DEV_SECRET = "dev-only-not-secret"
DEV_BASE_URL = "http://127.0.0.1:5000"
MEGABYTE = 1024 * 1024
ENVIRONMENTS = ("development", "testing", "production")


class ConfigError(RuntimeError):
    """The app cannot start with the configuration it was given."""


def project_root() -> Path:
    return Path(__file__).resolve().parent.parent


def load_config(instance_path: str, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Build the Flask config mapping from the environment, then apply `overrides`."""
    overrides = dict(overrides or {})
    env = overrides.pop("ENV_NAME", None) or os.environ.get("QUIZAPP_ENV", "production")
    if overrides.get("TESTING"):
        env = "testing"
    if env not in ENVIRONMENTS:
        raise ConfigError(f"QUIZAPP_ENV={env!r} is not one of {', '.join(ENVIRONMENTS)}.")

    default_db = "sqlite:///" + str(Path(instance_path) / "quizapp.db")
    database_url = normalise_database_url(os.environ.get("DATABASE_URL") or default_db)
    config: dict[str, Any] = {
        "ENV_NAME": env,
        "SECRET_KEY": os.environ.get("SECRET_KEY"),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "BANK_PATH": os.environ.get("QUIZAPP_BANK_PATH", str(project_root() / "question_bank")),
        "SQLITE_BUSY_TIMEOUT_MS": int(os.environ.get("SQLITE_BUSY_TIMEOUT_MS", "5000")),
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
        # Sign-in counts: in the database unless this (or REDIS_URL) is a redis:// URL.
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI")
        or os.environ.get("REDIS_URL", ""),
        "RATELIMIT_KEY_PREFIX": os.environ.get("RATELIMIT_KEY_PREFIX", "quizapp"),
        "LOGIN_LIMIT_PER_ACCOUNT": os.environ.get("LOGIN_LIMIT_PER_ACCOUNT", "5 per 15 minutes"),
        "LOGIN_LIMIT_PER_IP": os.environ.get("LOGIN_LIMIT_PER_IP", "30 per 15 minutes"),
        "LOGIN_FIRST_WAIT_SECONDS": float(os.environ.get("LOGIN_FIRST_WAIT_SECONDS", "1")),
        "LOGIN_MAX_WAIT_SECONDS": float(os.environ.get("LOGIN_MAX_WAIT_SECONDS", "900")),
        "TRUSTED_PROXIES": int(os.environ.get("QUIZAPP_TRUSTED_PROXIES", "0")),
        "ARGON2_TIME_COST": int(os.environ.get("ARGON2_TIME_COST", "2")),
        "ARGON2_MEMORY_KIB": int(os.environ.get("ARGON2_MEMORY_KIB", str(19 * 1024))),
        "ARGON2_PARALLELISM": int(os.environ.get("ARGON2_PARALLELISM", "1")),
        "IDLE_TIMEOUT_MINUTES": int(os.environ.get("IDLE_TIMEOUT_MINUTES", "60")),
        "DEADLINE_GRACE_SECONDS": float(os.environ.get("QUIZAPP_DEADLINE_GRACE_SECONDS", "5")),
        # The zone dates are shown in for people who have not chosen their own (issue 16).
        "TIMEZONE": os.environ.get("QUIZAPP_TIMEZONE") or "UTC",
        # Practice untouched this long closes itself (attempts close-stale-practice; issue 16).
        "PRACTICE_IDLE_HOURS": os.environ.get("QUIZAPP_PRACTICE_IDLE_HOURS") or "24",
        "PERMANENT_SESSION_LIFETIME": 12 * 3600,
        # Request and import limits (issue 12): a request body is refused with 413 before it
        # is read when its declared length is over the limit for its route.
        "MAX_CONTENT_LENGTH": _int("MAX_CONTENT_LENGTH", 4 * MEGABYTE),  # upload routes
        "MAX_FORM_BYTES": _int("MAX_FORM_BYTES", 256 * 1024),  # every other route
        "MAX_FORM_MEMORY_SIZE": 256 * 1024,  # one text field of a multipart form
        "IMPORT_MAX_BYTES": _int("IMPORT_MAX_BYTES", 2 * MEGABYTE),
        "IMPORT_MAX_QUESTIONS": _int("IMPORT_MAX_QUESTIONS", 2000),
        "IMPORT_MAX_SECONDS": float(os.environ.get("IMPORT_MAX_SECONDS", "20")),
        "IMAGE_MAX_BYTES": _int("IMAGE_MAX_BYTES", MEGABYTE),  # one question image
        "RESET_LINK_HOURS": 24,
        # Invitations (a set-password link for a new user) stay valid this many days.
        "INVITE_LINK_DAYS": os.environ.get("INVITE_LINK_DAYS") or "7",
        # The public address links in invitations and resets start with (never the request's
        # Host header, which a client chooses). Development and tests default to the dev
        # server; production has no default: making a link without it is refused.
        "QUIZAPP_BASE_URL": os.environ.get("QUIZAPP_BASE_URL")
        or ("" if env == "production" else DEV_BASE_URL),
        # E-mail (issue 18): with no MAIL_URL messages wait in the outbox (admin Outbox page).
        "MAIL_URL": os.environ.get("MAIL_URL", ""),
        "MAIL_FROM": os.environ.get("MAIL_FROM") or "Infusion Quiz <no-reply@localhost>",
        "MAIL_MAX_TRIES": _int("MAIL_MAX_TRIES", 6),
        "MAIL_BATCH": _int("MAIL_BATCH", 50),  # messages one sender claims at a time
        "REMINDER_DUE_DAYS": _int("QUIZAPP_REMINDER_DUE_DAYS", 3),
        "REMINDER_EXPIRY_DAYS": _int("QUIZAPP_REMINDER_EXPIRY_DAYS", 30),
        "JOBS_WORKER_SLEEP_SECONDS": float(os.environ.get("JOBS_WORKER_SLEEP_SECONDS") or 60),
        "REDIS_URL": os.environ.get("REDIS_URL", ""),
        "JOBS_QUEUE": os.environ.get("JOBS_QUEUE") or "quizapp-jobs",  # RQ queue, lock prefix
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env == "production",
        "REMEMBER_COOKIE_DURATION": timedelta(days=14),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": env == "production",
    }
    config.update(overrides)
    apply_ldap_settings(config)  # LDAP_* keys and config["LDAP"] (docs/sso-ldap.md)
    _check_login_limits(config)
    _check_time_zone(config)
    _check_practice_idle_hours(config)
    _check_links(config)
    _check_mail_url(config)
    read_oidc_settings(config)  # OIDC_* (issue 19), quizapp/sso/oidc_config.py

    if not config["SECRET_KEY"]:
        if env == "production":
            raise ConfigError(
                "SECRET_KEY is not set, and the app will not start without one outside "
                "development and tests. Set it in the environment, for example:\n"
                "  export SECRET_KEY=\"$(python3 -c 'import secrets; "
                "print(secrets.token_hex(32))')\"\n"
                "For a local trial instead, run with QUIZAPP_ENV=development."
            )
        config["SECRET_KEY"] = DEV_SECRET
    return config


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def _check_login_limits(config: dict[str, Any]) -> None:
    from quizapp.domain.throttle import parse_limit

    for name in ("LOGIN_LIMIT_PER_ACCOUNT", "LOGIN_LIMIT_PER_IP"):
        try:
            parse_limit(str(config[name]))
        except ValueError as exc:
            raise ConfigError(f"{name}: {exc}") from exc


def _check_time_zone(config: dict[str, Any]) -> None:
    from quizapp.domain.local_time import UnknownZone, get_zone

    try:
        get_zone(str(config["TIMEZONE"]))
    except UnknownZone as exc:
        raise ConfigError(
            f"QUIZAPP_TIMEZONE: {exc} Use an IANA name such as Europe/Berlin or UTC."
        ) from exc


def _check_practice_idle_hours(config: dict[str, Any]) -> None:
    value = config["PRACTICE_IDLE_HOURS"]
    try:
        hours = float(value)
    except (TypeError, ValueError):
        hours = 0.0
    if not 0 < hours <= 24 * 365:
        raise ConfigError(
            f"QUIZAPP_PRACTICE_IDLE_HOURS={value!r}: give the hours after which an untouched "
            "practice closes itself, a number above 0 (for example 24)."
        )
    config["PRACTICE_IDLE_HOURS"] = hours


def _check_links(config: dict[str, Any]) -> None:
    value = config["INVITE_LINK_DAYS"]
    try:
        days = int(value)
    except (TypeError, ValueError):
        days = 0
    if not 0 < days <= 90:
        raise ConfigError(
            f"INVITE_LINK_DAYS={value!r}: give the days an invitation link stays valid, "
            "a whole number from 1 to 90 (for example 7)."
        )
    config["INVITE_LINK_DAYS"] = days
    if config["QUIZAPP_BASE_URL"]:
        config["QUIZAPP_BASE_URL"] = check_base_url(str(config["QUIZAPP_BASE_URL"]))


def check_base_url(value: str) -> str:
    """The base URL without a trailing slash; ConfigError unless it is an http(s) address
    with a host and at most a path prefix (no query, fragment or user name)."""
    parts = urlsplit(value.strip())
    problem = ""
    if parts.scheme not in ("http", "https"):
        problem = "it must start with https:// (or http://)"
    elif not parts.hostname or "@" in parts.netloc:
        problem = "it must name a host, with no user name"
    elif parts.query or parts.fragment or value.strip().endswith(("?", "#")):
        problem = "it must not have a query (?) or fragment (#); a path prefix is allowed"
    if problem:
        raise ConfigError(
            f"QUIZAPP_BASE_URL={value!r}: {problem}, for example "
            "https://quiz.hospital.example or https://hospital.example/quiz."
        )
    try:
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError as exc:
        raise ConfigError(f"QUIZAPP_BASE_URL={value!r}: the port is not a number.") from exc
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def _check_mail_url(config: dict[str, Any]) -> None:
    from quizapp.domain.mail_url import BadMailUrl, parse_mail_url

    if config["MAIL_URL"]:
        try:
            parse_mail_url(str(config["MAIL_URL"]))
        except BadMailUrl as exc:
            raise ConfigError(str(exc)) from exc


def normalise_database_url(url: str) -> str:
    """Let operators write postgres:// or postgresql:// and still get the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
