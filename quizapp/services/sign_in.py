"""Signing in and out: each one unit of work with its audit row.

The server-side session rows live here (auth/session.py wires Flask-Login and reads them):
a sign-in opens one, a sign-out (or an idle timeout) deletes it, so a copied session cookie or
the remember-me cookie is refused from then on.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import delete

from quizapp.database import require_unit_of_work, unit_of_work
from quizapp.extensions import db
from quizapp.models import User, UserSession, utcnow
from quizapp.passwords import hash_password, needs_rehash
from quizapp.services import audit, signin_throttle
from quizapp.services.accounts import find_user

UNKNOWN_ACCOUNT = "(unknown account)"


def session_digest(session_id: str) -> str:
    """What is stored of a session id (the cookie carries the id itself)."""
    return hashlib.sha256(session_id.encode()).hexdigest()


def open_session(user: User, lifetime: timedelta) -> None:
    """Give `user` a new server-side session, inside the caller's unit of work (before
    `login_user`). Sessions older than `lifetime` (the remember-me one) are swept out here."""
    require_unit_of_work("open_session")
    session_id = secrets.token_urlsafe(32)
    db.session.execute(delete(UserSession).where(UserSession.created_at < utcnow() - lifetime))
    db.session.add(UserSession(key=session_digest(session_id), user_id=user.id))
    user.session_key = session_id


def close_session(user: User) -> None:
    """End this session only, inside the caller's unit of work."""
    require_unit_of_work("close_session")
    if user.session_key:
        db.session.execute(
            delete(UserSession).where(UserSession.key == session_digest(user.session_key))
        )


def record_failed_login(email: str, ip: str) -> None:
    """Audit a refused sign-in. Only a known account's e-mail is kept: a password typed into
    the e-mail box is not."""
    with unit_of_work():
        key = email if find_user(email) is not None else UNKNOWN_ACCOUNT
        audit.record("login.failed", actor_id=None, object_type="user", object_key=key, ip=ip)


def sign_in(user: User, email: str, password: str, ip: str, lifetime: timedelta) -> None:
    """The right password: store it again if it was hashed at an older cost, open the server
    session, clear the sign-in counts and audit it, in one unit of work."""
    new_hash = hash_password(password) if needs_rehash(user.password_hash) else None
    with unit_of_work():  # slow hashing done above, outside the write lock
        if new_hash is not None:
            user.password_hash = new_hash
        open_session(user, lifetime)
        signin_throttle.succeeded(email, ip)
        audit.record(
            "login.succeeded", actor_id=user.id, object_type="user", object_key=email, ip=ip
        )


def sign_out(user: User, ip: str) -> None:
    """End this session on the server (that device only) and audit it."""
    with unit_of_work():
        close_session(user)
        audit.record("logout", actor_id=user.id, object_type="user", object_key=user.email, ip=ip)


def sign_out_idle(user: User) -> None:
    """The session was unused too long: the server forgets it too, so copies stop working."""
    with unit_of_work():
        close_session(user)
