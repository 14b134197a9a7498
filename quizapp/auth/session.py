"""Flask-Login wiring. The session id carries the user's session version, so bumping it
(password change, deactivation, logout) ends every session of that user on their next request."""

from __future__ import annotations

from flask import Flask

from quizapp.extensions import db, login_manager
from quizapp.models import User


def configure_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to continue."
    login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user
