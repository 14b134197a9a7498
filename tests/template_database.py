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
from sqlalchemy.exc import DBAPIError

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


def template_url(url: str, template: str) -> str:
    return make_url(url).set(database=template).render_as_string(hide_password=False)


# What the copy must match for emptying it to be as good as a fresh copy: the schema (tables,
# columns, indexes, constraints, types) and the migration it is at.
SCHEMA_FINGERPRINT = """
SELECT md5(string_agg(item, ',' ORDER BY item)) FROM (
  SELECT c.relname || '.' || a.attname || ':' || format_type(a.atttypid, a.atttypmod)
         || ':' || a.attnotnull || ':' || coalesce(pg_get_expr(d.adbin, d.adrelid), '') AS item
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
   WHERE c.relnamespace = 'public'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
  UNION ALL SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'
  UNION ALL SELECT conrelid::regclass || ':' || pg_get_constraintdef(oid)
    FROM pg_constraint WHERE connamespace = 'public'::regnamespace
  UNION ALL SELECT 'type:' || typname FROM pg_type WHERE typnamespace = 'public'::regnamespace
  UNION ALL SELECT 'at:' || version_num FROM alembic_version
) AS schema_items
"""


def schema_fingerprint(url: str) -> str | None:
    """The schema's fingerprint, or None when it cannot be read (say, no alembic_version)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(SCHEMA_FINGERPRINT)).scalar()
    except DBAPIError:
        return None
    finally:
        engine.dispose()


def _empty_in_place(url: str) -> None:
    """Delete every row and restart every sequence, in one transaction (one commit to disk).

    DELETE rather than TRUNCATE: with a test's handful of rows it is many times faster, since
    TRUNCATE writes new files for every table and index. Connections a test left open are ended
    first so that none of them holds a lock.
    """
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text(END_OTHER_CONNECTIONS))
            conn.execute(text("SET LOCAL session_replication_role = replica"))  # FKs: any order
            for (table,) in conn.execute(text(TABLES)).all():
                conn.execute(text(f'DELETE FROM "{table}"'))
            for (sequence,) in conn.execute(text(SEQUENCES)).all():
                conn.execute(text(f'ALTER SEQUENCE "{sequence}" RESTART'))
    finally:
        engine.dispose()


END_OTHER_CONNECTIONS = (
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
)
TABLES = (
    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
)
SEQUENCES = "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'"


def copy_postgres_template(url: str, template: str, fingerprint: str) -> str:
    """Give the test database the template's state: emptied in place when its schema is still
    the template's (almost every test), else dropped and created anew from the template (a test
    that downgraded or altered the schema); FORCE ends stale connections."""
    if schema_fingerprint(url) == fingerprint:
        _empty_in_place(url)
        return url
    database = make_url(url).database
    _run_on_server(
        url,
        f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)',
        f'CREATE DATABASE "{database}" TEMPLATE "{template}"',
    )
    return url
