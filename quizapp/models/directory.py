"""Single sign-on (issue 19): who a directory account is here, which directory groups give
which role and unit, and the few site-wide settings an admin switches (local sign-in)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.models.base import Base, UTCDateTime, utcnow
from quizapp.models.users import Role, Unit, User, role_enum


class DirectoryIdentity(Base):
    """A directory account (an OIDC issuer's subject, an LDAP entry) linked to one user: the
    link is made once (just in time, or by a verified e-mail) and found by it afterwards, so
    a changed e-mail in the directory still reaches the same user."""

    __tablename__ = "directory_identities"
    __table_args__ = (UniqueConstraint("source", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(10))  # "oidc" | "ldap"
    subject: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_sign_in_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship()


class DirectoryGroupMapping(Base):
    """One rule an admin edits: members of `group` (an LDAP group DN or an OIDC groups-claim
    value, compared without case) get `role`, and a membership of `unit` (as its manager when
    `is_manager`). `source` "any" applies to both kinds of sign-in."""

    __tablename__ = "directory_group_mappings"
    __table_args__ = (UniqueConstraint("source", "group_key", "role", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(10), default="any")  # "any" | "oidc" | "ldap"
    group: Mapped[str] = mapped_column(String(500))  # as the admin typed it
    group_key: Mapped[str] = mapped_column(String(500), index=True)  # casefolded, matched on
    role: Mapped[Role] = mapped_column(role_enum())
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))
    is_manager: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    unit: Mapped[Unit | None] = relationship()


class SiteSetting(Base):
    """A site-wide switch an admin sets in the app (not the environment): key -> text."""

    __tablename__ = "site_settings"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(String(500))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
