"""Configuration read from the environment, once, when the app is created.

Why a function and not module-level classes: the environment is read at create time, so tests
and the CLI can set variables before building an app.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

DEV_SECRET = "dev-only-not-secret"
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
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "RATELIMIT_KEY_PREFIX": os.environ.get("RATELIMIT_KEY_PREFIX", "quizapp"),
        "LOGIN_LIMIT_PER_ACCOUNT": os.environ.get("LOGIN_LIMIT_PER_ACCOUNT", "5 per 15 minutes"),
        "LOGIN_LIMIT_PER_IP": os.environ.get("LOGIN_LIMIT_PER_IP", "30 per 15 minutes"),
        "IDLE_TIMEOUT_MINUTES": int(os.environ.get("IDLE_TIMEOUT_MINUTES", "60")),
        "DEADLINE_GRACE_SECONDS": float(os.environ.get("QUIZAPP_DEADLINE_GRACE_SECONDS", "5")),
        "TRUSTED_PROXIES": tuple(
            a.strip() for a in os.environ.get("QUIZAPP_TRUSTED_PROXIES", "").split(",") if a.strip()
        ),
        "PERMANENT_SESSION_LIFETIME": 12 * 3600,
        "RESET_LINK_HOURS": 24,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env == "production",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": env == "production",
    }
    config.update(overrides)

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


def normalise_database_url(url: str) -> str:
    """Let operators write postgres:// or postgresql:// and still get the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
