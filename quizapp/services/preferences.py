"""A person's own settings: today the time zone their dates are shown and typed in.

One call is one transaction: the change and its audit row commit together.
"""

from __future__ import annotations

from quizapp.database import unit_of_work
from quizapp.domain.local_time import is_zone_name
from quizapp.extensions import db
from quizapp.models import User
from quizapp.services import audit
from quizapp.services.errors import InvalidInput, NotFound

UNKNOWN_ZONE = "Choose a time zone from the list (for example Europe/Berlin)."


def set_time_zone(user_id: int, zone: str | None) -> None:
    """Set (or, with "" or None, clear: the site's zone applies) the user's time zone."""
    name = (zone or "").strip() or None
    if name is not None and not is_zone_name(name):
        raise InvalidInput(UNKNOWN_ZONE)
    with unit_of_work():
        user = db.session.get(User, user_id)
        if user is None:
            raise NotFound("No such user.")
        before = user.time_zone
        user.time_zone = name
        audit.record(
            "account.time_zone",
            actor_id=user_id,
            object_type="user",
            object_key=user.email,
            before=before,
            after=name,
        )
