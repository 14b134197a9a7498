"""The migrated template database: migrate once per test session, copy it for each test.

Why: running every migration for every test made each integration test pay the whole
migration history (on PostgreSQL about as much as the test itself), and that cost grew with
each new migration. The schema still comes only from the migrations: the template is an empty
database upgraded to head by Alembic, and a copy is byte-for-byte that database.

SQLite: the template is a file; a test gets a file copy. PostgreSQL: the template is a
database `<test database>_template`; a test gets `CREATE DATABASE <test database> TEMPLATE
<template>` after the previous test's database is dropped, so tests that downgrade, restore
or rewrite the schema leave nothing behind for the next one.
"""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def migrate_to_head(url: str) -> None:
    """Upgrade the (empty) database at `url` with the project's migrations, then let go of it."""
    from quizapp import create_app
    from quizapp.extensions import db

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "template"})
    with app.app_context():
        upgrade(directory=str(MIGRATIONS))
        db.session.remove()
        db.engine.dispose()


def make_sqlite_template(path: Path) -> Path:
    migrate_to_head(f"sqlite:///{path}")
    # Fold the write-ahead log into the file so that copying the one file copies everything.
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")
    return path


def copy_sqlite_template(template: Path, target: Path) -> str:
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


def _template_name(url: str) -> str:
    return f"{make_url(url).database}_template"


def _run_on_server(url: str, *statements: str) -> None:
    """Run statements from the server's `postgres` database (a database cannot drop itself)."""
    admin = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            for statement in statements:
                conn.execute(text(statement))
    finally:
        admin.dispose()


def make_postgres_template(url: str) -> str:
    """A fresh template database at head, next to the test database; returns its name."""
    name = _template_name(url)
    _run_on_server(
        url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'
    )
    migrate_to_head(make_url(url).set(database=name).render_as_string(hide_password=False))
    return name


def copy_postgres_template(url: str, template: str) -> str:
    """Replace the test database with a copy of the template (FORCE ends stale connections)."""
    database = make_url(url).database
    _run_on_server(
        url,
        f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)',
        f'CREATE DATABASE "{database}" TEMPLATE "{template}"',
    )
    return url
