"""Two `bank load`s at once: the second waits for the first and then finds nothing to do (on
PostgreSQL, an advisory lock), or stops with a clear message when it has waited long enough;
never a raw IntegrityError traceback."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from quizapp.bank.reader import read_bank
from quizapp.extensions import db
from quizapp.models import QuestionEntry, QuestionVersion
from quizapp.services import bank_sync
from quizapp.services.bank_lock import LOAD_LOCK_KEY
from tests.conftest import postgres_url
from tests.integration.bank_folder import make_bank

needs_postgres = pytest.mark.skipif(not postgres_url(), reason="needs TEST_DATABASE_URL")


@needs_postgres
def test_a_second_load_waits_for_the_first_then_changes_nothing(app, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    content, problems = read_bank(make_bank(tmp_path))
    assert not problems
    first_wrote, release, second_waits = threading.Event(), threading.Event(), threading.Event()
    real_sync_questions = bank_sync._sync_questions

    def pause_the_first(*args, **kwargs):  # type: ignore[no-untyped-def]
        real_sync_questions(*args, **kwargs)
        if not first_wrote.is_set():  # the first load: rows written, not committed yet
            first_wrote.set()
            release.wait(30)

    monkeypatch.setattr(bank_sync, "_sync_questions", pause_the_first)
    results: dict[str, object] = {}

    def load(name: str, on_wait=None) -> None:  # type: ignore[no-untyped-def]
        with app.app_context():
            try:
                results[name] = bank_sync.sync_bank(content, 30, on_wait=on_wait)
            except Exception as exc:  # reported by the assertions below
                results[name] = exc

    first = threading.Thread(target=load, args=("first",))
    first.start()
    assert first_wrote.wait(30)
    second = threading.Thread(target=load, args=("second", second_waits.set))
    second.start()
    waited = second_waits.wait(10)
    release.set()
    first.join(30)
    second.join(30)
    assert waited, "the second load did not wait for the first"
    assert results["first"].changed, results  # type: ignore[union-attr]
    assert not results["second"].changed, results  # type: ignore[union-attr]
    with app.app_context():
        entries = db.session.scalar(select(func.count()).select_from(QuestionEntry))
        versions = db.session.scalar(select(func.count()).select_from(QuestionVersion))
        assert entries == versions == len(content.questions)


def _hold_the_load_lock(database_url: str):  # type: ignore[no-untyped-def]
    """Another load in progress, as far as the lock goes: a transaction holding it."""
    if make_url(database_url).get_backend_name() == "postgresql":
        engine = create_engine(database_url)
        conn = engine.connect()
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": LOAD_LOCK_KEY})
        return lambda: (conn.rollback(), conn.close(), engine.dispose())
    raw = sqlite3.connect(make_url(database_url).database, isolation_level=None)
    raw.execute("BEGIN IMMEDIATE")
    return lambda: (raw.rollback(), raw.close())


def test_a_load_that_waited_long_enough_stops_with_a_clear_message(
    app, database_url, tmp_path
) -> None:
    app.config["SQLITE_BUSY_TIMEOUT_MS"] = 500  # read at connect: drop the pooled connections
    with app.app_context():
        db.engine.dispose()
    bank = make_bank(tmp_path)
    release = _hold_the_load_lock(database_url)
    try:
        result = app.test_cli_runner().invoke(args=["bank", "load", str(bank), "--wait", "1"])
    finally:
        release()
    assert result.exit_code == 1
    assert "Another bank load" in result.output and "Nothing was written" in result.output
    assert "Traceback" not in result.output and "IntegrityError" not in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(QuestionEntry)) == 0
    again = app.test_cli_runner().invoke(args=["bank", "load", str(bank)])
    assert again.exit_code == 0 and "added" in again.output
