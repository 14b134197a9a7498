"""Set-password links an admin hands out: an invitation for a new user, a reset for anyone.

Each is one unit of work with its audit row. The link is built from QUIZAPP_BASE_URL (never
the request's host) and returned to be shown once; only the token's hash is stored, and a new
link spends the user's older unused ones. An admin may reset another admin's password: it is
allowed (someone must be able to let a locked-out admin back in) and audited like any other,
with the target's role in the row. A deactivated account gets no link (it could not be used).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from quizapp.database import require_unit_of_work, unit_of_work
from quizapp.extensions import db
from quizapp.links import absolute_url, base_url
from quizapp.models import Role, User
from quizapp.passwords import hash_password
from quizapp.services import audit
from quizapp.services.accounts import checked_email, issue_token, register_user
from quizapp.services.errors import NotAllowed, NotFound
from quizapp.services.outbox import queue_invitation, queue_password_reset


@dataclass(frozen=True)
class IssuedLink:
    user_id: int
    email: str
    name: str
    purpose: str  # "invite" or "reset"
    url: str
    expires_at: datetime


def issue_link(user: User, purpose: str) -> IssuedLink:
    """A fresh link for `user`, inside the caller's unit of work (no audit row of its own)."""
    require_unit_of_work("issue_link")
    base_url()  # refuse before writing anything when the public address is not configured
    db.session.flush()  # a new user gets its id and defaults
    if not user.active:
        raise NotAllowed(f"{user.email} is deactivated: reactivate the account first.")
    issued = issue_token(user.id, purpose)
    url = absolute_url("auth.reset", token=issued.token)
    return IssuedLink(user.id, user.email, user.name, purpose, url, issued.expires_at)


def _user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("No such user.")
    return user


def _audit(action: str, actor_id: int | None, link: IssuedLink, role: Role) -> None:
    audit.record(
        action,
        actor_id=actor_id,
        object_type="user",
        object_key=link.email,
        role=role.value,
        expires_at=link.expires_at.isoformat(),
    )


def invite(actor_id: int | None, user: User) -> IssuedLink:
    """Invite `user` inside the caller's unit of work: the one place every invitation (the
    user page, a new user, a roster import) is made and audited."""
    link = issue_link(user, "invite")
    _audit("user.invited", actor_id, link, user.role)
    queue_invitation(user, link.url)  # the e-mail, sent only if this unit of work commits
    return link


def invite_user(actor_id: int | None, user_id: int) -> IssuedLink:
    """An invitation (a longer-lived set-password link that greets the user)."""
    with unit_of_work():
        return invite(actor_id, _user(user_id))


def reset_link(actor_id: int | None, user_id: int) -> IssuedLink:
    """A password reset link; the current password works until the link is used."""
    with unit_of_work():
        user = _user(user_id)
        link = issue_link(user, "reset")
        _audit("user.reset_link_issued", actor_id, link, user.role)
        queue_password_reset(user, link.url)  # by e-mail too, besides the page
    return link


def create_invited_user(
    email: str, role: Role, *, name: str, unit_id: int | None, actor_id: int | None
) -> IssuedLink:
    """A new user with no password anyone knows, and their invitation, in one unit of work."""
    email = checked_email(email)
    unusable = hash_password(secrets.token_urlsafe(32))  # slow by design: before the lock
    with unit_of_work():
        user = register_user(email, role, name, unusable, unit_id, None, actor_id)
        return invite(actor_id, user)
