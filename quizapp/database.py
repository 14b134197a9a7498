"""Database engine behaviour that differs by backend, and the unit of work every command runs in.

SQLite: WAL so readers never block the writer, a busy timeout so several gunicorn workers wait
for the write lock instead of failing with "database is locked", foreign keys on, and write
transactions that begin IMMEDIATE (take the write lock up front) so that two writers never
deadlock upgrading from a read lock.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

from flask import Flask
from sqlalchemy import CursorResult, Engine, Executable, event
from sqlalchemy.orm import Session

from quizapp.extensions import db

WRITE_OPTION = "quizapp_write"
_DEPTH_KEY = "quizapp_unit_of_work_depth"


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


def in_unit_of_work() -> bool:
    """True inside `unit_of_work()`: helpers that only add to a command say so by asserting it."""
    return bool(db.session().info.get(_DEPTH_KEY))


def require_unit_of_work(what: str) -> None:
    """Fail loudly when a helper that must run inside a command's transaction is called alone."""
    if not in_unit_of_work():
        raise RuntimeError(f"{what} must run inside unit_of_work() (it never commits itself)")


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """One command: begin the write transaction, run the command and its audit rows, commit;
    roll back on any exception and re-raise.

    The write transaction begins IMMEDIATE on SQLite, so the write lock is taken at BEGIN,
    where the busy timeout applies, rather than on the first INSERT, where SQLite refuses at
    once with "database is locked" if another worker wrote since a read began. A read
    transaction already open (the one that loaded the signed-in user) is therefore ended first,
    by ROLLBACK: it wrote nothing. Changes pending in the session at that point would have been
    made outside any command, which is a bug: refused with RuntimeError, never committed.

    Used inside another unit of work it joins it: the outer one commits or rolls back.
    """
    session = db.session()
    depth = session.info.get(_DEPTH_KEY, 0)
    if depth:
        session.info[_DEPTH_KEY] = depth + 1
        try:
            yield session
        finally:
            session.info[_DEPTH_KEY] = depth
        return
    if session.new or session.dirty or session.deleted:
        raise RuntimeError(
            "unit_of_work() found changes made outside any command: "
            f"{len(session.new)} new, {len(session.dirty)} changed, "
            f"{len(session.deleted)} deleted; refusing to commit them"
        )
    if session.in_transaction():
        session.rollback()  # the read transaction: nothing to keep
    session.info[_DEPTH_KEY] = 1
    try:
        session.connection(execution_options={WRITE_OPTION: True})
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.info.pop(_DEPTH_KEY, None)
