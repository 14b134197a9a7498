"""Prepare a database for a system test: schema, the small bank, and many trainees."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import insert

from quizapp.extensions import db
from quizapp.models import Role, User
from quizapp.passwords import hash_password
from tests.conftest import BANK_PATH, PROJECT_ROOT, make_app, postgres_url, reset_postgres

PASSWORD = "system-test-passphrase"
DATA = Path(__file__).resolve().parents[1] / "data"


# The system tests run on SQLite always and on PostgreSQL when TEST_DATABASE_URL names one.
BACKENDS = [
    "sqlite",
    pytest.param(
        "postgres",
        marks=pytest.mark.skipif(
            not postgres_url(), reason="set TEST_DATABASE_URL to run on PostgreSQL (.ci/run does)"
        ),
    ),
]


def database_for(tmp_path: Path, backend: str) -> str:
    if backend == "postgres":
        url = postgres_url()
        assert url
        reset_postgres(url)
        return url
    return f"sqlite:///{tmp_path / 'system.db'}"


def prepare(url: str, tmp_path: Path, trainees: int) -> list[str]:
    app = make_app(url)
    bank = tmp_path / "bank"
    shutil.copytree(BANK_PATH / "sources", bank / "sources")
    shutil.copy(BANK_PATH / "taxonomy.yaml", bank / "taxonomy.yaml")
    (bank / "questions").mkdir()
    shutil.copy(
        BANK_PATH / "questions" / "routes" / "intravenous.yaml", bank / "questions" / "iv.yaml"
    )
    emails = [f"trainee{n}@load.example" for n in range(trainees)]
    with app.app_context():
        upgrade(directory=str(PROJECT_ROOT / "migrations"))
        result = app.test_cli_runner().invoke(args=["bank", "load", str(bank)])
        assert result.exit_code == 0, result.output
        hashed = hash_password(PASSWORD)
        db.session.execute(
            insert(User),
            [
                {
                    "email": e,
                    "name": e.split("@")[0],
                    "role": Role.TRAINEE,
                    "password_hash": hashed,
                    "active": True,
                    "session_version": 1,
                }
                for e in emails
            ],
        )
        db.session.commit()
        db.engine.dispose()
    return emails
