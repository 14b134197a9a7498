"""Command-line groups, run as `flask --app wsgi <group> <command>`."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from quizapp.cli.attempts import attempts
    from quizapp.cli.backup import backup_command, restore_command
    from quizapp.cli.bank import bank
    from quizapp.cli.jobs import jobs
    from quizapp.cli.users import demo, users

    app.cli.add_command(attempts)
    app.cli.add_command(bank)
    app.cli.add_command(jobs)
    app.cli.add_command(users)
    app.cli.add_command(demo)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
