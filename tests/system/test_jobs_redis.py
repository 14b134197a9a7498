"""With REDIS_URL: jobs the app enqueues on Redis are processed by two `flask jobs worker`
processes started here (RQ), each message sent once; and the schedule on Redis enqueues each
job once per period however many schedulers run."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid

import pytest
from sqlalchemy import func, select

from quizapp.database import unit_of_work
from quizapp.extensions import db
from quizapp.models import JobRun, OutboxMessage
from quizapp.services import job_queue, outbox
from quizapp.services.jobs import JOBS
from tests.conftest import PROJECT_ROOT, make_app
from tests.mail_server import smtp_server
from tests.system.test_rate_limit_redis import redis_up

REDIS = os.environ.get("TEST_JOBS_REDIS_URL", "redis://127.0.0.1:6379/9")

pytestmark = pytest.mark.skipif(
    not redis_up() and not os.environ.get("REQUIRE_REDIS"),
    reason="no Redis on 127.0.0.1:6379 (.ci/run sets REQUIRE_REDIS=1 where one runs)",
)


@pytest.fixture
def queue_name():  # type: ignore[no-untyped-def]
    import redis

    name = f"quizapp-test-{uuid.uuid4().hex[:10]}"
    yield name
    conn = redis.Redis.from_url(REDIS)
    for key in conn.scan_iter(f"*{name}*"):
        conn.delete(key)


def _worker(env: dict[str, str], log) -> subprocess.Popen[bytes]:  # type: ignore[no-untyped-def]
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "jobs", "worker", "--no-schedule"],
        cwd=PROJECT_ROOT,
        env={**os.environ, **env},
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def test_two_rq_workers_send_each_message_once(database_url, queue_name, tmp_path) -> None:
    with smtp_server() as (inbox, mail_url):
        inbox.delay = 0.05  # slow enough that both workers are sending at once
        app = make_app(database_url, REDIS_URL=REDIS, JOBS_QUEUE=queue_name, MAIL_URL=mail_url)
        addresses = [f"nurse{i}@ward.example" for i in range(40)]
        with app.app_context(), unit_of_work():
            for i, address in enumerate(addresses):
                outbox.queue(f"test:{i}", "reminder", address, f"Message {i}", text=str(i))
        env = {
            "DATABASE_URL": database_url,
            "REDIS_URL": REDIS,
            "JOBS_QUEUE": queue_name,
            "MAIL_URL": mail_url,
            "MAIL_BATCH": "4",
            "QUIZAPP_ENV": "development",
            "SECRET_KEY": "test-secret",
        }
        logs = [open(tmp_path / f"worker{i}.log", "wb") for i in range(2)]  # noqa: SIM115
        workers = [_worker(env, log) for log in logs]
        try:
            runner = app.test_cli_runner()
            for _ in range(6):  # the app enqueues; the workers take them as they come
                result = runner.invoke(args=["jobs", "enqueue", "send_outbox"])
                assert result.exit_code == 0, result.output
            deadline = time.monotonic() + 90
            with app.app_context():
                while time.monotonic() < deadline:
                    db.session.rollback()
                    done = db.session.scalar(
                        select(func.count())
                        .select_from(JobRun)
                        .where(JobRun.finished_at.is_not(None))
                    )
                    if done == 6:
                        break
                    time.sleep(0.3)
                senders = set(db.session.scalars(select(OutboxMessage.claimed_by)).all())
                statuses = set(db.session.scalars(select(OutboxMessage.status)).all())
        finally:
            for worker in workers:
                worker.terminate()
            for worker in workers:
                worker.wait(60)  # a loaded machine may be slow to stop them
            for log in logs:
                log.close()
        output = "".join((tmp_path / f"worker{i}.log").read_text() for i in range(2))
        assert done == 6, output
        delivered = sorted(a for r in inbox.received for a in r.to)
    assert delivered == sorted(addresses)  # each once
    assert statuses == {"sent"}
    assert len({s.split(":")[1] for s in senders if s}) == 2, senders  # both processes sent


def test_the_redis_schedule_enqueues_each_job_once_per_period(queue_name) -> None:
    conn = job_queue.connect(REDIS)
    now = (time.time() // 3600) * 3600 + 10  # early in an hour: +61 s stays in it
    first = job_queue.schedule_due(conn, queue_name, now)
    assert first == [job.name for job in JOBS]
    assert job_queue.schedule_due(conn, queue_name, now + 1) == []  # another scheduler, same period
    assert job_queue.queue(conn, queue_name).count == len(JOBS)
    later = job_queue.schedule_due(conn, queue_name, now + 61)
    assert "send_outbox" in later and "reminders" not in later  # hourly one not yet due
