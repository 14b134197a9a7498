"""The periodic jobs, declared in one place. Each is idempotent: run twice, or by two servers
at once, it does the work once (guarded updates for attempts, outbox keys for messages, claims
for sending).

`run(name)` runs one and records a JobRun row (the admin Jobs page shows the last of each);
`flask jobs run` runs them all once (cron), `flask jobs worker` loops, and with REDIS_URL the
jobs go through an RQ queue (quizapp/cli/jobs.py, services/job_queue.py).
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass

from quizapp.database import unit_of_work
from quizapp.extensions import db
from quizapp.models import JobRun, utcnow


@dataclass(frozen=True)
class Job:
    name: str
    every_seconds: int
    run: Callable[[], str]
    help: str


def _close_overdue() -> str:
    from quizapp.services.attempt_closing import close_overdue

    return f"submitted {close_overdue()} overdue attempt(s)"


def _close_stale_practice() -> str:
    from quizapp.services.practice import close_stale_practice

    return f"closed {close_stale_practice()} stale practice attempt(s)"


def _reminders() -> str:
    from quizapp.services.reminders import queue_reminders

    return f"queued {queue_reminders()} reminder(s)"


def _digest() -> str:
    from quizapp.services.digest import queue_digests

    return f"queued {queue_digests()} digest(s) (one per manager per week)"


def _send_outbox() -> str:
    from flask import current_app

    from quizapp.services.mailer import send_pending

    result = send_pending()
    note = "" if current_app.config.get("MAIL_URL") else " (MAIL_URL not set: kept in the outbox)"
    return result.summary() + note


JOBS: tuple[Job, ...] = (
    Job("close_overdue", 60, _close_overdue, "Submit attempts whose time is up."),
    Job("close_stale_practice", 3600, _close_stale_practice, "Close untouched practice."),
    Job("reminders", 3600, _reminders, "Queue due, overdue and competency reminders."),
    Job("digest", 3600, _digest, "Queue the weekly manager digest (once per week)."),
    Job("send_outbox", 60, _send_outbox, "Send the outbox over SMTP."),
)
BY_NAME = {job.name: job for job in JOBS}


def names() -> list[str]:
    return [job.name for job in JOBS]


def run(name: str) -> JobRun:
    """Run the job `name` now and record the run (its result, or the error that stopped it)."""
    job = BY_NAME[name]
    with unit_of_work():
        record = JobRun(name=name, started_at=utcnow(), ok=False, result="running")
        db.session.add(record)
    record_id = record.id
    try:
        result, ok = job.run(), True
    except Exception as exc:
        db.session.rollback()
        result, ok = f"{type(exc).__name__}: {exc}", False
        traceback.print_exc()
    with unit_of_work():
        fresh = db.session.get(JobRun, record_id)
        assert fresh is not None
        fresh.finished_at = utcnow()
        fresh.ok = ok
        fresh.result = result[:500]
        return fresh


def run_all() -> list[JobRun]:
    return [run(job.name) for job in JOBS]
