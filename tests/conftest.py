"""Shared fixtures: an app on a freshly migrated database, a client, a CLI runner, and an
`auth` helper that signs in through the real login form.

The database is SQLite in a temporary folder, or PostgreSQL when TEST_DATABASE_URL is set
(`.ci/run` does both). The schema always comes from the migrations, never from create_all:
a template database is migrated to head once per session and each test gets a fresh copy of
it (tests/template_database.py says why).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import create_engine, text

from quizapp import create_app
from quizapp.config import normalise_database_url
from quizapp.extensions import db
from tests.template_database import (
    copy_postgres_template,
    copy_sqlite_template,
    make_postgres_template,
    make_sqlite_template,
    schema_fingerprint,
    template_url,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BANK_PATH = PROJECT_ROOT / "question_bank"


def postgres_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL")
    return normalise_database_url(url) if url else None


def reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str | None]:
    """The database at head, migrated once: a SQLite file path, or a PostgreSQL database name
    and its schema fingerprint."""
    url = postgres_url()
    if url:
        name = make_postgres_template(url)
        return name, schema_fingerprint(template_url(url, name))
    return str(make_sqlite_template(tmp_path_factory.mktemp("template") / "template.db")), None


@pytest.fixture
def database_url(migrated_template: tuple[str, str | None], tmp_path: Path) -> str:
    """This test's own database, in the state of the migrated template (at head, no rows)."""
    url = postgres_url()
    template, fingerprint = migrated_template
    if url:
        return copy_postgres_template(url, template, fingerprint or "")
    return copy_sqlite_template(Path(template), tmp_path / "test.db")


def make_app(database_url: str, **overrides: object) -> Flask:
    config = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "SECRET_KEY": "test-secret",
        "BANK_PATH": str(BANK_PATH),
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    app = make_app(database_url)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


class HttpsClient(FlaskClient):
    """A test client on https, so that the production config's secure cookies are sent."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.environ_base["wsgi.url_scheme"] = "https"


@pytest.fixture
def csrf_app(database_url: str) -> Iterator[Flask]:
    """The app as configured for production (QUIZAPP_ENV=production, not TESTING, nothing
    about CSRF overridden), so that the shipped config, not the test, decides that CSRF
    protection is on. Only the database, the secret and the bank are given."""
    app = create_app(
        {
            "ENV_NAME": "production",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "test-secret",
            "BANK_PATH": str(BANK_PATH),
        }
    )
    assert app.config["ENV_NAME"] == "production" and not app.testing
    app.test_client_class = HttpsClient
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


class AuthActions:
    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def login(self, email: str, password: str):  # type: ignore[no-untyped-def]
        return self._client.post("/login", data={"email": email, "password": password})

    def logout(self):  # type: ignore[no-untyped-def]
        return self._client.post("/logout")


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)
