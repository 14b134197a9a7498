"""With the database away, pages give a 503 page and /healthz 503; when it returns, the app
recovers by itself (pool pre-ping). PostgreSQL, through a proxy this test can cut."""

from __future__ import annotations

import contextlib
import socket
import threading

import pytest
from flask_migrate import upgrade
from sqlalchemy.engine import make_url

from quizapp.extensions import db
from tests.conftest import PROJECT_ROOT, make_app, postgres_url
from tests.factories import DEFAULT_PASSWORD, UserFactory


class Proxy:
    """A TCP proxy to PostgreSQL; `stop()` drops every connection and refuses new ones."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = 0
        self._server: socket.socket | None = None
        self._conns: list[socket.socket] = []

    def start(self) -> None:
        server = socket.socket()
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", self.port))
        server.listen()
        self.port = server.getsockname()[1]
        self._server = server
        threading.Thread(target=self._accept, args=(server,), daemon=True).start()

    def _accept(self, server: socket.socket) -> None:
        while True:
            try:
                client, _ = server.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self._conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def stop(self) -> None:
        if self._server:
            # shutdown wakes the thread blocked in accept(); close alone would leave the
            # listening socket alive until that accept() returned
            with contextlib.suppress(OSError):
                self._server.shutdown(socket.SHUT_RDWR)
            self._server.close()
        for conn in self._conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            conn.close()
        self._conns = []


@pytest.mark.skipif(
    not postgres_url(), reason="needs TEST_DATABASE_URL (PostgreSQL); .ci/run sets it"
)
def test_503_while_the_database_is_away_and_recovery_after(database_url) -> None:
    real = make_url(database_url)
    proxy = Proxy((real.host or "127.0.0.1", real.port or 5432))
    proxy.start()
    app = make_app(
        real.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    )
    with app.app_context():
        upgrade(directory=str(PROJECT_ROOT / "migrations"))
        email = UserFactory(name="Nurse Signed In").email
        db.session.remove()
    client = app.test_client()
    signed_in = app.test_client()
    try:
        assert client.get("/healthz").status_code == 200
        assert client.get("/").status_code == 200
        signed_in.post("/login", data={"email": email, "password": DEFAULT_PASSWORD})
        assert b"Nurse Signed In" in signed_in.get("/me").data
        proxy.stop()
        down = client.get("/healthz")
        assert down.status_code == 503 and down.get_json()["status"] == "unavailable"
        page = client.get("/")
        assert page.status_code == 503 and b"not answering" in page.data
        # signed in: the 503 page too (the menu of base.html would load the user: a bare 500)
        for path in ("/me", "/attempts", "/"):
            page = signed_in.get(path)
            assert page.status_code == 503 and b"not answering" in page.data, path
        down = signed_in.get("/healthz")  # with the session cookie
        assert down.status_code == 503 and down.get_json()["status"] == "unavailable"
        proxy.start()  # the same port again
        assert client.get("/healthz").status_code == 200
        assert client.get("/").status_code == 200
        assert signed_in.get("/healthz").status_code == 200
        assert b"Nurse Signed In" in signed_in.get("/me").data
    finally:
        proxy.stop()
        with app.app_context():
            db.engine.dispose()
