"""Server-side sessions, sign-in throttle counters and password reset links (only hashes of
session ids and reset tokens are stored)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.models.base import Base, UTCDateTime, utcnow
from quizapp.models.users import User


class SigninBucket(Base):
    """Tries counted for one key (an account from an address, or an address), shared by every
    worker. `key` is a hash, so typed identifiers are never stored here."""

    __tablename__ = "signin_buckets"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)
    last_at: Mapped[float] = mapped_column(Float, default=0.0, index=True)  # epoch seconds
    prev_at: Mapped[float] = mapped_column(Float, default=0.0)  # the try before the last


class PasswordReset(Base):
    """A one-time set-password link (a reset or an invitation): random token given out, its
    SHA-256 kept, used once; issuing a new one for the user spends the older ones."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # "reset" (an admin reset, 24 h) or "invite" (a new user's first password, days)
    purpose: Mapped[str] = mapped_column(String(10), default="reset", server_default="reset")

    user: Mapped[User] = relationship()


class UserSession(Base):
    """One signed-in session (a browser's session and remember-me cookies carry its id).
    Deleting the row at logout ends that session only; the user's other devices stay in."""

    __tablename__ = "user_sessions"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)  # SHA-256 of the id
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
