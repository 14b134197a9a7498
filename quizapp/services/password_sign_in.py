"""The sign-in form's one decision: a login and a password, checked against the directory
(LDAP / Active Directory, when configured) first and the accounts kept here second.

Why this order: a person the directory knows is judged by the directory only (its bind
decides, and leaving the directory or its groups ends access), while the accounts that are
not in it, the embedded default and the break-glass admins, keep their local password. When
the directory cannot be reached those local accounts still sign in, so an admin can work
while it is down. The throttle counts every try before any password is checked, and every
refusal leaves an audit row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app

from quizapp.database import unit_of_work
from quizapp.domain.roster import normalise_email
from quizapp.models import User
from quizapp.queries.site_settings import local_password_refusal
from quizapp.services import signin_throttle
from quizapp.services.accounts import authenticate
from quizapp.services.directory_sign_in import (
    DirectoryProfile,
    DirectoryRefused,
    record_directory_failure,
    sign_in_from_directory,
)
from quizapp.services.errors import FieldInvalid
from quizapp.services.sign_in import record_failed_login, sign_in
from quizapp.sso import ldap_directory

NO_MATCH = "That email and password do not match an active account."
NO_MATCH_OR_NAME = "That user name or email and password do not match an active account."
DIRECTORY_DOWN = "The directory cannot be reached; try again or ask IT."


class PasswordRefused(FieldInvalid):
    """Not signed in; `field` ("email" or "password") is where the form shows the message."""


@dataclass(frozen=True)
class SignedIn:
    user: User
    may_remember: bool  # a directory sign-in is asked again each time (no remember-me)


def sign_in_with_password(
    login: str,
    password: str,
    ip: str,
    lifetime: timedelta,
    fresh_session: Callable[[], None],
) -> SignedIn:
    """Sign the person in (the server session opened and audited) or raise PasswordRefused.
    `fresh_session` (the view's `session.clear`) runs just before the session is opened; a
    signin_throttle.SlowDown (429) comes out before any password is checked."""
    login = normalise_email(login)
    signin_throttle.admit(login, ip)
    settings = current_app.config.get("LDAP")
    directory_down = False
    if settings is not None:
        try:
            found = ldap_directory.check_password(settings, login, password)
        except ldap_directory.DirectoryUnreachable as exc:
            record_directory_failure(ldap_directory.SOURCE, "unreachable", ip, str(exc))
            directory_down = True
        else:
            if isinstance(found, DirectoryProfile):
                return _from_directory(found, login, ip, lifetime, fresh_session)
            if found is ldap_directory.Refusal.WRONG_PASSWORD:
                record_failed_login(login, ip)
                raise PasswordRefused("password", NO_MATCH_OR_NAME)
    return _local(login, password, ip, lifetime, fresh_session, directory_down)


def _from_directory(
    profile: DirectoryProfile,
    login: str,
    ip: str,
    lifetime: timedelta,
    fresh_session: Callable[[], None],
) -> SignedIn:
    fresh_session()
    try:
        user = sign_in_from_directory(profile, ip, lifetime)  # audits either way
    except DirectoryRefused as exc:
        raise PasswordRefused("email", str(exc)) from exc
    with unit_of_work():
        signin_throttle.succeeded(login, ip)
    return SignedIn(user, may_remember=False)


def _local(
    login: str,
    password: str,
    ip: str,
    lifetime: timedelta,
    fresh_session: Callable[[], None],
    directory_down: bool,
) -> SignedIn:
    """The account kept here. While the directory is down, a refusal says so: the person
    may well be a directory user whose password was right."""
    directory_on = current_app.config.get("LDAP") is not None
    user = authenticate(login, password)
    if user is None:
        record_failed_login(login, ip)
        if directory_down:
            raise PasswordRefused("email", DIRECTORY_DOWN)
        raise PasswordRefused("password", NO_MATCH_OR_NAME if directory_on else NO_MATCH)
    refusal = local_password_refusal(user.id, user.role)
    if refusal:
        record_failed_login(login, ip)
        raise PasswordRefused("email", DIRECTORY_DOWN if directory_down else refusal)
    fresh_session()
    sign_in(user, login, password, ip, lifetime)
    return SignedIn(user, may_remember=True)
