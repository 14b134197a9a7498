"""A trainee's starts, one at a time: the lock taken at the start of the unit of work, and the
numbers computed under it.

Without the lock two starts at once (two tabs, a double click, eight tabs) both read "no
attempt yet" and both insert. SQLite already serialises writers (`unit_of_work` begins
IMMEDIATE); PostgreSQL at READ COMMITTED does not, so a transaction-scoped advisory lock keyed
by the trainee makes the second start wait until the first has committed, and then read it.
The unique keys `(user_id, number)` and `(quiz_id, user_id, quiz_number)` stay as the last
guard. A quiz attempt's number is the count of attempts that the limit check itself read, plus
one, so a start that ever got past the lock with a stale read inserts a number already taken
and fails, instead of making an attempt past the limit.
"""

from __future__ import annotations

from sqlalchemy import func, select, text

from quizapp.database import require_unit_of_work
from quizapp.extensions import db
from quizapp.models import Attempt

# The first key of the two-key advisory lock (the second is the user id): a fixed value that
# names "attempt starts", so it cannot meet another feature's advisory locks on the same id.
START_LOCK_SPACE = 0x51A7


def lock_starts(user_id: int) -> None:
    """Take this trainee's start lock; held until the caller's unit of work ends."""
    require_unit_of_work("lock_starts")
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(
            text("SELECT pg_advisory_xact_lock(CAST(:space AS integer), CAST(:user AS integer))"),
            {"space": START_LOCK_SPACE, "user": user_id},
        )


def next_number(user_id: int) -> int:
    """The trainee's next attempt number (over practice and quizzes)."""
    latest = db.session.scalar(select(func.max(Attempt.number)).where(Attempt.user_id == user_id))
    return (latest or 0) + 1
