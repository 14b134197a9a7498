"""The sign-in limit holds across four gunicorn workers when the counts live in Redis."""

from __future__ import annotations

import os
import socket
import uuid

import pytest

from tests.system.server import Browser, gunicorn
from tests.system.setup_data import PASSWORD, database_for, prepare

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
    url = database_for(tmp_path, "sqlite")
    [email] = prepare(url, tmp_path, 1)
    env = {
        "DATABASE_URL": url,
        "RATELIMIT_STORAGE_URI": REDIS,
        "RATELIMIT_KEY_PREFIX": f"quizapp-test-{uuid.uuid4().hex}",
    }
    with gunicorn(env, workers=4, log=tmp_path / "gunicorn.log") as server:
        statuses = []
        for _ in range(5):
            statuses.append(Browser(server.url).login(email, "a wrong password!").status)
        assert statuses == [200] * 5
        # with memory storage each of the four workers would allow five: twenty in all
        for _ in range(4):
            blocked = Browser(server.url).login(email, PASSWORD)
            assert blocked.status == 429
        pids = set()
        for _ in range(12):
            reply = Browser(server.url).get("/healthz")
            assert reply.status == 200
        pids.update(server.worker_pids())
        assert len(pids) == 4
