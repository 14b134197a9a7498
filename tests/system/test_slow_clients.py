"""Slow senders cannot starve the workers under the shipped gunicorn configuration: several
connections declare a 100 kB body and send it one byte every two seconds, while /healthz
keeps answering within two seconds. (With the old `gunicorn -w 4` sync workers, five such
connections made /healthz unreachable for as long as they kept sending.)"""

from __future__ import annotations

import socket
import threading
import time
import urllib.request
from pathlib import Path

from tests.system.server import gunicorn

SLOW_SENDERS = 6
SENDING_FOR = 16.0  # seconds; the whole test stays well under 30 s
BYTE_EVERY = 2.0


def _slow_sender(port: int, stop: threading.Event, opened: list[bool]) -> None:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(
            b"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: 100000\r\n\r\n"
        )
        opened.append(True)
        while not stop.wait(BYTE_EVERY):
            try:
                sock.sendall(b"a")
            except OSError:
                return  # the server gave up on us: also fine


def _health_seconds(url: str) -> float:
    started = time.monotonic()
    with urllib.request.urlopen(url + "/healthz", timeout=5) as response:
        assert response.status == 200
    return time.monotonic() - started


def test_healthz_answers_while_slow_clients_send_their_bodies(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"  # /healthz and a form post need no schema
    with gunicorn({"DATABASE_URL": url}, workers=2, shipped=True) as server:
        port = int(server.url.rsplit(":", 1)[1])
        stop, opened = threading.Event(), []
        senders = [
            threading.Thread(target=_slow_sender, args=(port, stop, opened), daemon=True)
            for _ in range(SLOW_SENDERS)
        ]
        for sender in senders:
            sender.start()
        try:
            time.sleep(1.0)  # let every sender get its headers in and a thread to block on
            assert len(opened) == SLOW_SENDERS
            timings = []
            until = time.monotonic() + SENDING_FOR
            while time.monotonic() < until:
                timings.append(_health_seconds(server.url))
                time.sleep(0.5)
        finally:
            stop.set()
            for sender in senders:
                sender.join(5)
    print(
        f"/healthz with {SLOW_SENDERS} slow senders: {len(timings)} calls, max {max(timings):.3f} s"
    )
    assert len(timings) >= 10
    assert max(timings) < 2.0, timings
