"""The liveness probe's one read: does the database answer?"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from quizapp.extensions import db


def database_answers() -> bool:
    """True when `SELECT 1` succeeds. The session is rolled back either way, so a probe never
    leaves a transaction open (or a broken one) on the pooled connection."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return False
    finally:
        db.session.rollback()
    return True
