"""`backup` and `restore`: a backup, a change, a restore, and the database is as it was at
the backup, row for row. Restore refuses to replace a database with data unless --force.
SQLite through the online backup API; PostgreSQL through pg_dump/pg_restore (if on PATH)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Role, User
from tests.factories import UserFactory
from tests.integration.quiz_helpers import load_small_bank
from tests.integration.snapshot import snapshot


def _cli(app, *args: str):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(args=list(args))


@pytest.fixture
def tool_or_skip(database_url: str) -> None:
    if database_url.startswith("postgresql") and not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not on PATH")


def test_backup_change_restore_gives_back_the_backup(app, tmp_path: Path, tool_or_skip) -> None:
    load_small_bank(app, tmp_path)
    with app.app_context():
        UserFactory(email="before@ward.example", name="Before")
        before = snapshot()
    target = tmp_path / "quizapp.backup"
    made = _cli(app, "backup", str(target))
    assert made.exit_code == 0, made.output
    assert target.stat().st_size > 0
    with app.app_context():  # the change: a new user, a renamed one
        UserFactory(email="after@ward.example")
        db.session.scalar(select(User).where(User.email == "before@ward.example")).name = "X"
        db.session.commit()
        assert snapshot() != before
    refused = _cli(app, "restore", str(target))
    assert refused.exit_code != 0 and "--force" in refused.output
    with app.app_context():
        assert (
            db.session.scalar(select(User.name).where(User.email == "before@ward.example")) == "X"
        )
    restored = _cli(app, "restore", str(target), "--force")
    assert restored.exit_code == 0, restored.output
    with app.app_context():
        db.session.remove()
        assert snapshot() == before
        UserFactory(email="writes@ward.example", role=Role.ADMIN)  # still a working database
    assert _cli(app, "backup", str(target)).exit_code != 0  # no silent overwrite


def test_restore_into_an_empty_database_needs_no_force(app, tmp_path: Path, tool_or_skip) -> None:
    with app.app_context():
        UserFactory(email="only@ward.example")
        before = snapshot()
    target = tmp_path / "one.backup"
    assert _cli(app, "backup", str(target)).exit_code == 0
    with app.app_context():
        db.session.execute(User.__table__.delete())
        db.session.commit()
    restored = _cli(app, "restore", str(target))
    assert restored.exit_code == 0, restored.output
    with app.app_context():
        db.session.remove()
        assert snapshot() == before


def test_restore_refuses_a_file_that_is_not_a_backup(app, tmp_path: Path, database_url) -> None:
    if database_url.startswith("postgresql"):
        pytest.skip("pg_restore judges its own input")
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"not a database at all" * 100)
    refused = _cli(app, "restore", str(junk), "--force")
    assert refused.exit_code != 0 and "not a SQLite database" in refused.output
