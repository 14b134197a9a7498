"""`attempts close-overdue`: for a scheduler (cron, systemd timer) to submit timed-out attempts
and close practice left untouched (`close-stale-practice` does only the latter)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from quizapp.services.attempt_closing import close_overdue
from quizapp.services.practice import close_stale_practice
from quizapp.services.stats_rebuild import rebuild


@click.group(cls=AppGroup, help="Maintain quiz attempts.")
def attempts() -> None:
    pass


@attempts.command("close-overdue")
def close_overdue_command() -> None:
    """Submit every attempt whose time limit has passed, with the answers it has saved, and
    every practice untouched for QUIZAPP_PRACTICE_IDLE_HOURS."""
    closed = close_overdue()
    click.echo(f"Submitted {closed} overdue attempt(s).")
    _close_stale()


@attempts.command("close-stale-practice")
def close_stale_practice_command() -> None:
    """Submit every practice untouched for QUIZAPP_PRACTICE_IDLE_HOURS, its answers counted."""
    _close_stale()


def _close_stale() -> None:
    closed = close_stale_practice()
    click.echo(f"Closed {closed} stale practice attempt(s).")


@attempts.command("rebuild-stats")
@click.option("--quiz", "quiz_id", type=int, help="Only this quiz.")
def rebuild_stats_command(quiz_id: int | None) -> None:
    """Recompute item-analysis sums from the stored answers."""
    counted = rebuild(quiz_id)
    click.echo(f"Item-analysis sums rebuilt from {counted} submitted attempt(s).")
