"""The sign-in limit holds across four gunicorn workers when the counts live in Redis: parallel
tries are counted atomically (a Lua script) before the password is checked."""

from __future__ import annotations

import os
import socket
import uuid

import pytest
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import SigninBucket
from tests.conftest import make_app
from tests.system.server import Browser, gunicorn
from tests.system.setup_data import PASSWORD, database_for, prepare
from tests.system.signin_burst import burst, passwords_checked

REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


pytestmark = pytest.mark.skipif(
    not redis_up() and not os.environ.get("REQUIRE_REDIS"),
    reason="no Redis on 127.0.0.1:6379 (.ci/run sets REQUIRE_REDIS=1 where one runs)",
)


def test_five_failures_then_429_across_four_workers(tmp_path) -> None:
    import redis

    url = database_for(tmp_path, "sqlite")
    [email] = prepare(url, tmp_path, 1)
    prefix = f"quizapp-test-{uuid.uuid4().hex}"
    env = {
        "DATABASE_URL": url,
        "RATELIMIT_STORAGE_URI": REDIS,
        "RATELIMIT_KEY_PREFIX": prefix,
        "LOGIN_FIRST_WAIT_SECONDS": "120",  # refused means refused, however slow the machine
    }
    client = redis.Redis.from_url(REDIS)
    try:
        with gunicorn(env, workers=4, log=tmp_path / "gunicorn.log") as server:
            statuses = burst(server.url, email, "a wrong password!", 24)
            # with memory storage each of the four workers allowed five, and the limiter
            # tested before it counted, so parallel tries slipped through
            assert sorted(statuses) == [200] * 5 + [429] * 19
            assert passwords_checked(url) == 5
            for _ in range(4):
                assert Browser(server.url).login(email, PASSWORD).status == 429
            pids = set()
            for _ in range(12):
                assert Browser(server.url).get("/healthz").status == 200
            pids.update(server.worker_pids())
            assert len(pids) == 4
        assert len(client.keys(prefix + ":signin:*")) == 2  # the account here, and the address
        app = make_app(url)
        with app.app_context():
            assert db.session.scalar(select(func.count()).select_from(SigninBucket)) == 0
            db.engine.dispose()
    finally:
        keys = client.keys(prefix + ":*")
        if keys:
            client.delete(*keys)
