"""`users create` and `demo`."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup, with_appcontext

from quizapp.models import Role
from quizapp.services.accounts import create_user, find_user
from quizapp.services.demo import create_demo_accounts
from quizapp.services.errors import ServiceError
from quizapp.services.invitations import reset_link
from quizapp.templating import local_dt


@click.group(cls=AppGroup, help="Manage user accounts.")
def users() -> None:
    pass


def _read_password() -> str:
    """From a prompt when a person is at the terminal, else the first line of standard input."""
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    line = sys.stdin.readline()
    return line.rstrip("\r\n")


@users.command("create")
@click.argument("email")
@click.option(
    "--role", required=True, type=click.Choice([r.value for r in Role]), help="The user's role."
)
@click.option("--unit", "unit_name", help="A unit (ward or cohort) to add the user to.")
@click.option("--name", default="", help="Display name (default: the part before @).")
def create_command(email: str, role: str, unit_name: str | None, name: str) -> None:
    """Create a user. The password is read from a prompt, or from standard input."""
    password = _read_password()
    try:
        user = create_user(email, password, Role(role), name=name, unit_name=unit_name)
    except ServiceError as exc:
        raise click.ClickException(str(exc)) from exc
    where = f" in unit {unit_name!r}" if unit_name else ""
    click.echo(f"Created {user.role.value} {user.email}{where}.")


@click.command("demo")
@with_appcontext
def demo() -> None:
    """Create a demo unit and one account per role, and print them."""
    accounts = create_demo_accounts()
    click.echo("Demo accounts (unit 'Demo Ward 4B'):")
    for account in accounts:
        state = "created" if account.created else "exists"
        click.echo(f"  {account.role.value:<11} {account.email:<26} {account.password}  ({state})")


@users.command("reset-link")
@click.argument("email")
def reset_link_command(email: str) -> None:
    """Print a one-time link with which the user sets a new password (no mail server needed).
    The link starts with QUIZAPP_BASE_URL, the site's public address."""
    user = find_user(email)
    if user is None:
        raise click.ClickException(f"No user with the email {email}.")
    try:
        link = reset_link(None, user.id)
    except ServiceError as exc:
        raise click.ClickException(str(exc)) from exc
    expires = local_dt(link.expires_at)
    click.echo(f"One-time link for {link.email}, valid until {expires}:\n{link.url}")
