"""A person's choice of e-mail reminders (the account page). Password resets and invitations
are sent whatever they choose."""

from __future__ import annotations

from sqlalchemy import delete

from quizapp.database import unit_of_work
from quizapp.extensions import db
from quizapp.models import ReminderOptOut, User
from quizapp.services import audit
from quizapp.services.errors import NotFound


def set_reminders(user_id: int, wanted: bool) -> None:
    with unit_of_work():
        user = db.session.get(User, user_id)
        if user is None:
            raise NotFound("No such user.")
        opted_out = db.session.get(ReminderOptOut, user_id) is not None
        if wanted and opted_out:
            db.session.execute(delete(ReminderOptOut).where(ReminderOptOut.user_id == user_id))
        elif not wanted and not opted_out:
            db.session.add(ReminderOptOut(user_id=user_id))
        audit.record(
            "account.reminders",
            actor_id=user_id,
            object_type="user",
            object_key=user.email,
            after="on" if wanted else "off",
        )
