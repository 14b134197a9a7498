"""`attempts close-overdue`: for a scheduler (cron, systemd timer) to submit timed-out attempts."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from quizapp.services.attempts import close_overdue
from quizapp.services.stats_rebuild import rebuild


@click.group(cls=AppGroup, help="Maintain quiz attempts.")
def attempts() -> None:
    pass


@attempts.command("close-overdue")
def close_overdue_command() -> None:
    """Submit every attempt whose time limit has passed, with the answers it has saved."""
    closed = close_overdue()
    click.echo(f"Submitted {closed} overdue attempt(s).")


@attempts.command("rebuild-stats")
@click.option("--quiz", "quiz_id", type=int, help="Only this quiz.")
def rebuild_stats_command(quiz_id: int | None) -> None:
    """Recompute item-analysis sums from the stored answers."""
    counted = rebuild(quiz_id)
    click.echo(f"Item-analysis sums rebuilt from {counted} submitted attempt(s).")
