"""People, their single role, and the units (wards or cohorts) they belong to or manage."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, Enum, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.models.base import Base, UTCDateTime, str_enum, utcnow


class Role(enum.StrEnum):
    TRAINEE = "trainee"
    INSTRUCTOR = "instructor"
    MANAGER = "manager"
    ADMIN = "admin"


def role_enum() -> Enum:
    return str_enum(Role, "role")


class User(UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[Role] = mapped_column(role_enum())
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Bumped when the password changes or the account is deactivated: sessions carrying an
    # older value are refused, which signs the user out everywhere.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # An IANA zone key the person chose; None means the site's QUIZAPP_TIMEZONE.
    time_zone: Mapped[str | None] = mapped_column(String(64))

    memberships: Mapped[list[UnitMembership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login asks this
        return self.active

    @property
    def is_authenticated(self) -> bool:
        # A loaded User is signed in (the loader refuses inactive accounts); answering without
        # reading `active` saves a query after every commit, which expires the object.
        return True

    # The id of the server-side session this object was loaded for (set at sign-in and by
    # the user loader; not a column): Flask-Login stores "user:version:session" in cookies.
    session_key = ""

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}:{self.session_key}"

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role.value}>"


class Unit(Base):
    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    memberships: Mapped[list[UnitMembership]] = relationship(
        back_populates="unit", cascade="all, delete-orphan"
    )


class UnitMembership(Base):
    """A user in a unit. `is_manager` marks the managers who see the unit's dashboards."""

    __tablename__ = "unit_memberships"
    __table_args__ = (UniqueConstraint("unit_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    is_manager: Mapped[bool] = mapped_column(Boolean, default=False)
    # "local" (an admin, a roster or the demo made it) or "directory" (a group mapping made it
    # at the last directory sign-in, and the next one may take it away)
    source: Mapped[str] = mapped_column(String(10), default="local", server_default="local")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    unit: Mapped[Unit] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship(back_populates="memberships")
