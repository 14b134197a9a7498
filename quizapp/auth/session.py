"""Flask-Login wiring with server-side session ids.

Why: a signed cookie alone cannot be taken back, so a copied session cookie (or the remember-me
cookie, which Flask-Login accepts on its own) kept working after logout. Each sign-in now opens
a row in `user_sessions`; the cookies carry "user:version:session id" and the loader accepts
them only while that row exists and the version matches. Logout deletes the row (that device
only); bumping the user's session version (password change, deactivation) ends every session.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import Flask, current_app
from sqlalchemy import delete, select

from quizapp.database import begin_write
from quizapp.extensions import db, login_manager
from quizapp.models import User, UserSession, utcnow


def configure_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to continue."
    login_manager.session_protection = "basic"


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def open_session(user: User) -> None:
    """Give `user` a new server-side session (before `login_user`; the caller commits).
    Sessions older than the remember-me lifetime are swept out here."""
    begin_write()
    session_id = secrets.token_urlsafe(32)
    lifetime: timedelta = current_app.config["REMEMBER_COOKIE_DURATION"]
    db.session.execute(delete(UserSession).where(UserSession.created_at < utcnow() - lifetime))
    db.session.add(UserSession(key=_digest(session_id), user_id=user.id))
    user.session_key = session_id


def close_session(user: User) -> None:
    """End this session only (logout); the caller commits."""
    begin_write()
    if user.session_key:
        db.session.execute(delete(UserSession).where(UserSession.key == _digest(user.session_key)))


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    user_id, version, key = [*session_id.split(":", 2), "", ""][:3]
    if not user_id.isdigit() or not version.isdigit() or not 0 < len(key) <= 64:
        return None
    user = db.session.scalar(
        select(User)
        .join(UserSession, UserSession.user_id == User.id)
        .where(User.id == int(user_id), UserSession.key == _digest(key))
    )
    if user is None or not user.active or user.session_version != int(version):
        return None
    user.session_key = key
    return user
