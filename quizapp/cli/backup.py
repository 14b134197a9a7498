"""`flask --app wsgi backup PATH` and `flask --app wsgi restore PATH [--force]`."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from quizapp.extensions import db
from quizapp.services.backup import backup, restore
from quizapp.services.errors import ServiceError


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
@with_appcontext
def backup_command(path: Path, force: bool) -> None:
    """Back up the whole database to PATH, while the site keeps running."""
    try:
        click.echo(backup(db.engine, path, force=force))
    except ServiceError as exc:
        raise click.ClickException(str(exc)) from exc


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database that already has data.")
@with_appcontext
def restore_command(path: Path, force: bool) -> None:
    """Replace the database with the backup in PATH (stop the site first)."""
    db.session.remove()
    try:
        click.echo(restore(db.engine, path, force=force))
    except ServiceError as exc:
        raise click.ClickException(str(exc)) from exc
