"""Backups and restores of the whole database.

SQLite: the sqlite3 online backup API, which copies a consistent snapshot while the app keeps
running (a plain file copy of a WAL database can miss recent writes or tear a page).
PostgreSQL: `pg_dump --format=custom` / `pg_restore`, run when they are on PATH; the
connection details go through PG* environment variables, so the password is not in argv.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from sqlalchemy import URL, inspect, text
from sqlalchemy.engine import Engine

from quizapp.services.errors import Conflict, InvalidInput

PG_HINT = (
    "For PostgreSQL, back up with pg_dump and restore with pg_restore, for example:\n"
    '  pg_dump --format=custom --file quizapp.dump "$DATABASE_URL"\n'
    '  pg_restore --clean --if-exists --no-owner --dbname "$DATABASE_URL" quizapp.dump'
)


class BackupError(InvalidInput):
    """The backup or restore could not be made; nothing was changed."""


def has_data(engine: Engine) -> bool:
    """Whether any table other than alembic's bookkeeping has a row."""
    with engine.connect() as conn:
        for table in inspect(conn).get_table_names():
            if table == "alembic_version":
                continue
            if conn.execute(text(f'SELECT 1 FROM "{table}" LIMIT 1')).first():
                return True
    return False


def backup(engine: Engine, target: Path, *, force: bool = False) -> str:
    """Write a backup of the database to `target`; returns what was done, in words."""
    if target.exists() and not force:
        raise Conflict(f"{target} already exists; choose another name or pass --force.")
    if engine.dialect.name == "sqlite":
        _sqlite_backup(_sqlite_path(engine.url), target)
        return f"Backed up {engine.url.database} to {target} (SQLite online backup)."
    if engine.dialect.name == "postgresql":
        _run_pg("pg_dump", engine.url, ["--format=custom", "--file", str(target)])
        return f"Backed up database {engine.url.database} to {target} (pg_dump, custom format)."
    raise BackupError(f"No backup for {engine.dialect.name} databases.")


def restore(engine: Engine, source: Path, *, force: bool = False) -> str:
    """Replace the database's contents with the backup in `source`."""
    if not source.is_file():
        raise BackupError(f"{source} is not a file.")
    if has_data(engine) and not force:
        raise Conflict(
            "The database is not empty, and a restore replaces everything in it. Nothing was "
            "changed. Take a backup of it first if in doubt, then run again with --force."
        )
    engine.dispose()  # no pooled connection may hold the file or a transaction open
    if engine.dialect.name == "sqlite":
        _check_sqlite_backup(source)
        _sqlite_backup(source, _sqlite_path(engine.url), in_place=True)
        return f"Restored {engine.url.database} from {source}."
    if engine.dialect.name == "postgresql":
        _run_pg("pg_restore", engine.url, ["--clean", "--if-exists", "--no-owner", str(source)])
        return f"Restored database {engine.url.database} from {source} (pg_restore)."
    raise BackupError(f"No restore for {engine.dialect.name} databases.")


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("This SQLite database lives in memory; there is no file to back up.")
    return Path(url.database)


def _check_sqlite_backup(source: Path) -> None:
    try:
        with closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as conn:
            ok = conn.execute("PRAGMA quick_check").fetchone()
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as exc:
        raise BackupError(
            f"{source} is not a SQLite database ({exc}); nothing was changed."
        ) from exc
    if ok != ("ok",) or "alembic_version" not in tables:
        raise BackupError(f"{source} is not a backup of this app; nothing was changed.")


def _sqlite_backup(source: Path, target: Path, *, in_place: bool = False) -> None:
    """Copy `source` to `target` page by page. A new file is written beside the target and
    renamed into place, so a failed backup never leaves half a file; a restore writes into
    the live database through SQLite itself, under its locks."""
    partial = target if in_place else target.with_name(target.name + ".partial")
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(partial)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    if not in_place:
        os.replace(partial, target)


def _run_pg(tool: str, url: URL, args: list[str]) -> None:
    program = shutil.which(tool)
    if program is None:
        raise BackupError(f"{tool} is not on PATH.\n{PG_HINT}")
    env = {**os.environ}
    for key, value in (
        ("PGHOST", url.host),
        ("PGPORT", url.port),
        ("PGUSER", url.username),
        ("PGPASSWORD", url.password),
        ("PGDATABASE", url.database),
    ):
        if value is not None:
            env[key] = str(value)
    if tool == "pg_restore":
        args = ["--dbname", url.database or "", *args]
    done = subprocess.run([program, *args], env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{tool} failed (exit {done.returncode}):\n{done.stderr.strip()}")
