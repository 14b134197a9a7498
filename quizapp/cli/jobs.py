"""`flask jobs run | worker | enqueue | list`: the periodic jobs (services/jobs.py).

Embedded default: `jobs run` from cron every minute (or `jobs worker`, which loops).
With REDIS_URL: `jobs worker` is an RQ worker on the JOBS_QUEUE queue that also keeps the
schedule on Redis; run as many as you like (each job is enqueued once per period).
"""

from __future__ import annotations

import threading
import time

import click
from flask import current_app
from flask.cli import AppGroup

from quizapp.services import job_queue
from quizapp.services.jobs import BY_NAME, JOBS, run


@click.group(cls=AppGroup, help="Run the periodic jobs (reminders, e-mail, closing attempts).")
def jobs() -> None:
    pass


@jobs.command("list")
def list_command() -> None:
    """The declared jobs and how often each runs."""
    for job in JOBS:
        click.echo(f"{job.name:22} every {job.every_seconds:>5}s  {job.help}")


@jobs.command("run")
@click.argument("names", nargs=-1)
def run_command(names: tuple[str, ...]) -> None:
    """Run every job (or the NAMES given) once, here and now: for cron or a systemd timer."""
    unknown = [name for name in names if name not in BY_NAME]
    if unknown:
        raise click.UsageError(f"No such job: {', '.join(unknown)} (see `flask jobs list`).")
    failed = 0
    for name in names or [job.name for job in JOBS]:
        record = run(name)
        failed += not record.ok
        click.echo(f"{name}: {'ok' if record.ok else 'FAILED'}: {record.result}")
    if failed:
        raise SystemExit(1)


@jobs.command("enqueue")
@click.argument("name")
def enqueue_command(name: str) -> None:
    """Put one job on the Redis queue (needs REDIS_URL)."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        raise click.UsageError("REDIS_URL is not set; use `flask jobs run NAME` instead.")
    if name not in BY_NAME:
        raise click.UsageError(f"No such job: {name} (see `flask jobs list`).")
    job = job_queue.enqueue(job_queue.connect(url), current_app.config["JOBS_QUEUE"], name)
    click.echo(f"Enqueued {name} as {job.id}.")


@jobs.command("worker")
@click.option("--burst", is_flag=True, help="With Redis: stop when the queue is empty.")
@click.option("--no-schedule", is_flag=True, help="With Redis: only work, never schedule.")
def worker_command(burst: bool, no_schedule: bool) -> None:
    """Run the jobs as they fall due, until stopped: on Redis with REDIS_URL, else in a loop."""
    url = current_app.config.get("REDIS_URL")
    if url:
        _redis_worker(url, burst, no_schedule)
    else:
        _loop(float(current_app.config["JOBS_WORKER_SLEEP_SECONDS"]))


def _loop(sleep: float) -> None:
    last: dict[str, float] = {}
    while True:
        now = time.time()
        for job in JOBS:
            if now - last.get(job.name, 0.0) >= job.every_seconds:
                last[job.name] = now
                record = run(job.name)
                click.echo(f"{job.name}: {'ok' if record.ok else 'FAILED'}: {record.result}")
        time.sleep(sleep)


def _redis_worker(url: str, burst: bool, no_schedule: bool) -> None:
    from rq import SimpleWorker

    class PromptWorker(SimpleWorker):
        """RQ's worker, but its command channel is read in 1 s waits, not 60 s: at a stop
        (SIGTERM), closing that channel waits for the read in progress, so RQ's own wait made
        a stopped worker linger for up to a minute after its last job."""

        def subscribe(self) -> None:
            self.pubsub = self.connection.pubsub()
            self.pubsub.subscribe(**{self.pubsub_channel_name: self.handle_payload})
            self.pubsub_thread = self.pubsub.run_in_thread(  # type: ignore[assignment]
                sleep_time=1, daemon=True, exception_handler=self._pubsub_exception_handler
            )

    name = current_app.config["JOBS_QUEUE"]
    conn = job_queue.connect(url)
    if not no_schedule and not burst:
        tick = min(15.0, float(current_app.config["JOBS_WORKER_SLEEP_SECONDS"]))
        threading.Thread(target=_schedule_loop, args=(url, name, tick), daemon=True).start()
    PromptWorker([job_queue.queue(conn, name)], connection=conn).work(burst=burst)


def _schedule_loop(url: str, name: str, tick: float) -> None:
    conn = job_queue.connect(url)
    while True:
        try:
            job_queue.schedule_due(conn, name)
        except Exception as exc:  # Redis away for a moment: try again next tick
            click.echo(f"scheduler: {exc}", err=True)
        time.sleep(tick)
