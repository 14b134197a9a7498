"""Migration 0015: the attempt status CHECK takes `discarded` (and still nothing else), on
SQLite and PostgreSQL; its downgrade refuses to drop discarded attempts without consent."""

from __future__ import annotations

import pytest
from alembic.util import CommandError
from flask_migrate import downgrade, upgrade
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from quizapp.extensions import db
from tests.conftest import PROJECT_ROOT
from tests.factories import UserFactory
from tests.integration.test_migrations import _diff

COUNT = text("SELECT count(*) FROM attempts")


def _insert_attempt(status: str) -> None:
    user_id = UserFactory().id
    db.session.execute(
        text(
            "INSERT INTO attempts (user_id, number, kind, mode, status, seq, settings, "
            "started_at, auto_submitted) VALUES (:user, 1, 'practice', 'tutor', :status, 0, "
            "'{}', CURRENT_TIMESTAMP, false)"
        ),
        {"user": user_id, "status": status},
    )


def test_discarded_is_allowed_and_other_statuses_still_refused(app) -> None:
    with app.app_context():
        _insert_attempt("discarded")
        db.session.commit()
        with pytest.raises(IntegrityError):
            _insert_attempt("thrown_away")
        db.session.rollback()
        assert db.session.scalar(COUNT) == 1


def test_the_downgrade_refuses_to_drop_discarded_attempts_without_consent(app, monkeypatch) -> None:
    monkeypatch.delenv("QUIZAPP_ALLOW_DATA_LOSS", raising=False)
    directory = str(PROJECT_ROOT / "migrations")
    with app.app_context():
        _insert_attempt("discarded")
        db.session.commit()
        db.session.remove()
        with pytest.raises((CommandError, SystemExit)):
            downgrade(directory=directory, revision="0014")
        db.session.remove()
        assert db.session.scalar(COUNT) == 1
        db.session.remove()
        monkeypatch.setenv("QUIZAPP_ALLOW_DATA_LOSS", "1")
        downgrade(directory=directory, revision="0014")
        assert db.session.scalar(COUNT) == 0
        with pytest.raises(IntegrityError):  # the old CHECK is back
            _insert_attempt("discarded")
        db.session.rollback()
        db.session.remove()
        upgrade(directory=directory)
    assert _diff(app) == []
