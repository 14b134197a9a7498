""" "Forgot password?": a reset link by e-mail, queued in the same transaction as the link.

The caller shows the same page whether or not the address has an account, so the page tells
nobody which addresses exist. At most MAX_PER_HOUR links are made per account per hour (more
requests are ignored, silently too), so the form cannot be used to flood someone's inbox.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from quizapp.database import unit_of_work
from quizapp.domain.roster import normalise_email
from quizapp.extensions import db
from quizapp.models import PasswordReset, User, utcnow
from quizapp.queries.site_settings import local_password_allowed
from quizapp.services import audit
from quizapp.services.invitations import issue_link
from quizapp.services.outbox import queue_password_reset

MAX_PER_HOUR = 3
MAX_EMAIL = 254


def request_password_reset(email: str) -> bool:
    """Queue a reset link for the active account with this address. True when one was queued
    (for tests and the log only: the page must not show it)."""
    email = normalise_email(email)[:MAX_EMAIL]
    with unit_of_work():
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None or not user.active or not local_password_allowed(user.id, user.role):
            return False  # a directory account's password is the directory's business
        recent = db.session.scalar(
            select(func.count())
            .select_from(PasswordReset)
            .where(
                PasswordReset.user_id == user.id,
                PasswordReset.created_at > utcnow() - timedelta(hours=1),
            )
        )
        if (recent or 0) >= MAX_PER_HOUR:
            return False
        issued = issue_link(user, "reset")  # joins this unit of work
        queue_password_reset(user, issued.url)
        audit.record(
            "password.reset_requested", actor_id=None, object_type="user", object_key=user.email
        )
        return True
