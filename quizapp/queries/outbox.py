"""Reads for the admin Outbox and Jobs pages, and a person's reminder choice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import JobRun, OutboxMessage, ReminderOptOut
from quizapp.queries.pagination import page_of

STATUSES = ("pending", "sending", "sent", "failed")
PER_PAGE = 50


def reminders_on(user_id: int) -> bool:
    return db.session.get(ReminderOptOut, user_id) is None


def status_counts() -> dict[str, int]:
    rows = db.session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    ).all()
    found = {status: int(count) for status, count in rows}
    return {status: found.get(status, 0) for status in STATUSES}


def messages(status: str, page: int) -> Pagination:
    statement = (
        select(OutboxMessage)
        .where(OutboxMessage.status == status)
        .order_by(OutboxMessage.id.desc())
    )
    return page_of(statement, page, PER_PAGE)


@dataclass(frozen=True)
class LastRun:
    name: str
    started_at: datetime | None
    finished_at: datetime | None
    ok: bool | None
    result: str


def last_runs(names: list[str]) -> list[LastRun]:
    """The latest run of each job (in `names` order), one query."""
    latest = select(JobRun.name, func.max(JobRun.id).label("id")).group_by(JobRun.name).subquery()
    rows = db.session.scalars(select(JobRun).join(latest, JobRun.id == latest.c.id)).all()
    by_name = {row.name: row for row in rows}
    runs = []
    for name in names:
        row = by_name.get(name)
        if row is None:
            runs.append(LastRun(name, None, None, None, "never run"))
        else:
            runs.append(LastRun(name, row.started_at, row.finished_at, row.ok, row.result))
    return runs
