"""Database engine behaviour that differs by backend, and the write-transaction helper.

SQLite: WAL so readers never block the writer, a busy timeout so several gunicorn workers wait
for the write lock instead of failing with "database is locked", foreign keys on, and write
transactions that begin IMMEDIATE (take the write lock up front) so that two writers never
deadlock upgrading from a read lock.
"""

from __future__ import annotations

from typing import Any, cast

from flask import Flask
from sqlalchemy import CursorResult, Engine, Executable, event

from quizapp.extensions import db

WRITE_OPTION = "quizapp_write"


def matched_rows(statement: Executable) -> int:
    """Run an UPDATE in the session; how many rows its WHERE matched (the guards read this).

    Why a helper: `Session.execute` is typed as returning a `Result`, and only the
    `CursorResult` it really returns for UPDATE has `rowcount`.
    """
    return cast(CursorResult, db.session.execute(statement)).rowcount


def configure_engine(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take over BEGIN from the driver so that we choose DEFERRED or IMMEDIATE ourselves.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn: Any) -> None:
        if conn.get_execution_options().get(WRITE_OPTION):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


def begin_write() -> None:
    """Make the session's transaction a write transaction (BEGIN IMMEDIATE on SQLite).

    Call before the first statement of a unit of work that writes; calling it again inside
    one is harmless. A read transaction already open in the session (say, the one that loaded
    the signed-in user) is ended first, so the write lock is taken at BEGIN, where the busy
    timeout applies, rather than on the first INSERT, where SQLite refuses at once with
    "database is locked" if another worker wrote since the read began.
    """
    session = db.session()
    if session.in_transaction():
        if session.connection().get_execution_options().get(WRITE_OPTION):
            return  # already writing
        session.commit()  # ends the read transaction (and writes anything pending)
    session.connection(execution_options={WRITE_OPTION: True})
