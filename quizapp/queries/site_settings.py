"""Site-wide settings an admin switches in the app, and what they mean for signing in."""

from __future__ import annotations

from sqlalchemy import exists, select

from quizapp.extensions import db
from quizapp.models import DirectoryIdentity, Role, SiteSetting

LOCAL_SIGN_IN = "local_sign_in"  # "all" (the default) or "admins"


def setting(key: str, default: str) -> str:
    value = db.session.scalar(select(SiteSetting.value).where(SiteSetting.key == key))
    return default if value is None else value


def local_sign_in_for_all() -> bool:
    """False when an admin has turned local passwords off for everyone but admins."""
    return setting(LOCAL_SIGN_IN, "all") != "admins"


def local_password_allowed(user_id: int, role: Role) -> bool:
    """May this account sign in (or get a reset link) with a password kept here?

    Admins always may: they are the break-glass accounts when the directory is away. An
    account linked to a directory signs in through it, so that leaving the directory or its
    groups really ends access; everyone else may unless local sign-in is off."""
    if role is Role.ADMIN:
        return True
    linked = db.session.scalar(select(exists().where(DirectoryIdentity.user_id == user_id)))
    return not linked and local_sign_in_for_all()
