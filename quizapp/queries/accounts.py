"""Reads of accounts for the sign-in machinery: the user behind a server-side session."""

from __future__ import annotations

from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import User, UserSession


def user_with_session(user_id: int, session_key_digest: str) -> User | None:
    """The user whose server-side session row has this digest (None once it is gone)."""
    return db.session.scalar(
        select(User)
        .join(UserSession, UserSession.user_id == User.id)
        .where(User.id == user_id, UserSession.key == session_key_digest)
    )


def user_by_id(user_id: int) -> User | None:
    return db.session.get(User, user_id)
