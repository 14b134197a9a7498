"""Site-wide settings an admin switches in the app, and what they mean for signing in."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import exists, select

from quizapp.extensions import db
from quizapp.models import DirectoryIdentity, Role, SiteSetting

LOCAL_SIGN_IN = "local_sign_in"  # "all" (the default) or "admins"
LINKED_REFUSAL = "This account signs in through your organisation's directory, not here."


def setting(key: str, default: str) -> str:
    value = db.session.scalar(select(SiteSetting.value).where(SiteSetting.key == key))
    return default if value is None else value


def local_sign_in_for_all() -> bool:
    """False when an admin has turned local passwords off for everyone but admins."""
    return setting(LOCAL_SIGN_IN, "all") != "admins"


def directory_sign_in_name() -> str:
    """How the sign-in page names the other way in: the OIDC provider's name (its button
    says "Sign in with <name>"), else the directory whose password the form checks."""
    config = current_app.config
    if config.get("OIDC_ISSUER"):
        return str(config.get("OIDC_PROVIDER_NAME") or "your organisation")
    return "your organisation's directory account"


def local_password_refusal(user_id: int, role: Role) -> str | None:
    """Why this account may not sign in (or get a reset link) with a password kept here, in
    words for the person; None when it may.

    Admins always may: they are the break-glass accounts when the directory is away. An
    account linked to a directory signs in through it, so that leaving the directory or its
    groups really ends access; everyone else may unless local sign-in is off."""
    if role is Role.ADMIN:
        return None
    linked = db.session.scalar(select(exists().where(DirectoryIdentity.user_id == user_id)))
    if linked:
        return LINKED_REFUSAL
    if not local_sign_in_for_all():
        return f"Local passwords are off for this site: sign in with {directory_sign_in_name()}."
    return None


def local_password_allowed(user_id: int, role: Role) -> bool:
    """May this account sign in (or get a reset link) with a password kept here?"""
    return local_password_refusal(user_id, role) is None
