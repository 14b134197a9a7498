"""Flask-Login wiring with server-side session ids.

Why: a signed cookie alone cannot be taken back, so a copied session cookie (or the remember-me
cookie, which Flask-Login accepts on its own) kept working after logout. Each sign-in now opens
a row in `user_sessions` (services/sign_in.py); the cookies carry "user:version:session id"
and the loader accepts them only while that row exists and the version matches. Logout deletes
the row (that device only); bumping the user's session version (password change,
deactivation) ends every session.
"""

from __future__ import annotations

from flask import Flask

from quizapp.extensions import login_manager
from quizapp.models import User
from quizapp.queries import accounts
from quizapp.services.sign_in import session_digest


def configure_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to continue."
    login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    user_id, version, key = [*session_id.split(":", 2), "", ""][:3]
    if not user_id.isdigit() or not version.isdigit() or not 0 < len(key) <= 64:
        return None
    user = accounts.user_with_session(int(user_id), session_digest(key))
    if user is None or not user.active or user.session_version != int(version):
        return None
    user.session_key = key
    return user
