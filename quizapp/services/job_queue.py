"""The jobs on Redis (REDIS_URL): an RQ queue that any number of `flask jobs worker` processes
drain, and a schedule kept on Redis too, so several servers share the work.

Each worker process also runs the scheduler loop: every tick it tries, for each job, to take
the lock "<JOBS_QUEUE>:lock:<job>:<period number>" with SET NX EX. Only the first scheduler in
a period wins and enqueues the job, so however many workers run, each job is enqueued once per
period. A job run twice anyway (a retried RQ job, `flask jobs run` from cron beside the
workers) is harmless: every job is idempotent and the outbox claim stops double sending.
"""

from __future__ import annotations

import time
from typing import Any

from quizapp.services.jobs import BY_NAME, JOBS

TASK = "quizapp.job_tasks.perform"


def connect(url: str) -> Any:
    import redis

    return redis.Redis.from_url(url)


def queue(conn: Any, name: str) -> Any:
    from rq import Queue

    return Queue(name, connection=conn)


def enqueue(conn: Any, queue_name: str, job: str) -> Any:
    if job not in BY_NAME:
        raise KeyError(job)
    return queue(conn, queue_name).enqueue(TASK, job, job_timeout=1800, result_ttl=3600)


def schedule_due(conn: Any, queue_name: str, now: float | None = None) -> list[str]:
    """Enqueue each job whose period has begun and that no scheduler enqueued in it yet."""
    now = time.time() if now is None else now
    enqueued = []
    for job in JOBS:
        period = int(now // job.every_seconds)
        lock = f"{queue_name}:lock:{job.name}:{period}"
        if conn.set(lock, "1", nx=True, ex=job.every_seconds * 2):
            enqueue(conn, queue_name, job.name)
            enqueued.append(job.name)
    return enqueued
