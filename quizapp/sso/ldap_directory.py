"""Checking a password against LDAP / Active Directory with ldap3.

Why a bind: the directory is the only judge of a password. The user's entry is found (a
service account searches with the login escaped into the filter, or the DN comes from a
template), then a second connection binds AS that entry with the typed password. Nothing
compares hashes, and the password is neither stored nor logged. An empty password is refused
before any connection: to LDAP a simple bind with a DN and no password is an "unauthenticated
bind", which many servers (Active Directory among them) answer with success.

`check_password` returns a `DirectoryProfile`, or a `Refusal` (not in the directory / wrong
password); `DirectoryUnreachable` when the server (or the service account) cannot be used.
"""

from __future__ import annotations

import math
import ssl
import uuid
from collections.abc import Iterable
from enum import Enum
from typing import Any

import ldap3
from ldap3.core.exceptions import LDAPException
from ldap3.utils.conv import escape_filter_chars
from ldap3.utils.dn import escape_rdn

from quizapp.services.directory_sign_in import DirectoryProfile
from quizapp.sso.ldap_settings import LdapSettings

SOURCE = "ldap"


class Refusal(Enum):
    NOT_IN_DIRECTORY = "not_in_directory"
    WRONG_PASSWORD = "wrong_password"


class DirectoryUnreachable(Exception):
    """The directory cannot be used now (down, TLS refused, service account refused); the
    message is for the audit log and the operator, not for the person signing in."""


def check_password(settings: LdapSettings, login: str, password: str) -> DirectoryProfile | Refusal:
    """Find `login` in the directory and bind as it with `password`."""
    if not password:  # an unauthenticated bind would "succeed"
        return Refusal.WRONG_PASSWORD
    login = login.strip()
    if not login:
        return Refusal.NOT_IN_DIRECTORY
    try:
        if settings.search_mode:
            return _by_search(settings, login, password)
        return _by_template(settings, login, password)
    except LDAPException as exc:
        raise DirectoryUnreachable(f"{type(exc).__name__}: {exc}"[:200]) from exc


def _server(settings: LdapSettings) -> ldap3.Server:
    tls = ldap3.Tls(
        validate=ssl.CERT_REQUIRED,
        ca_certs_file=settings.ca_file or None,
        version=ssl.PROTOCOL_TLS_CLIENT,
    )
    return ldap3.Server(
        settings.host,
        port=settings.port,
        use_ssl=settings.use_ssl,
        tls=tls,
        get_info=ldap3.NONE,
        connect_timeout=settings.timeout,
    )


def _bound(settings: LdapSettings, server: ldap3.Server, dn: str, password: str) -> Any:
    """A connection bound as `dn`, or None when the directory refuses the credentials.
    StartTLS (when configured) is done before the bind, so the password is never sent in
    the clear."""
    conn = ldap3.Connection(
        server,
        user=dn,
        password=password,
        receive_timeout=math.ceil(settings.timeout),  # ldap3 wants whole seconds
        raise_exceptions=False,
        read_only=True,
        auto_referrals=False,
    )
    conn.open()
    if settings.start_tls and not conn.start_tls():
        conn.unbind()
        raise DirectoryUnreachable(f"StartTLS refused: {conn.result}")
    if conn.bind():
        return conn
    conn.unbind()
    return None


def user_filter(settings: LdapSettings, login: str) -> str:
    """The search filter for `login`, escaped so that `*`, `(`, `)`, `\\` and NUL in what
    was typed stay literal characters."""
    return settings.user_filter.replace("{login}", escape_filter_chars(login))


def bind_name(settings: LdapSettings, login: str) -> str:
    """The DN (or UPN) the template makes for `login`, escaped as a DN value so that a `,`
    or `=` typed in the box cannot add or change a part of the DN."""
    return settings.user_dn_template.replace("{login}", escape_rdn(login))


def _wanted_attributes(settings: LdapSettings) -> list[str]:
    names = [settings.email_attribute, settings.name_attribute]
    names += [n for n in (settings.id_attribute, settings.group_attribute) if n]
    return names


def _find_one(conn: Any, base: str, search_filter: str, settings: LdapSettings) -> Any:
    """The one entry the filter matches, or None (no entry, or more than one)."""
    conn.search(
        base,
        search_filter,
        search_scope=ldap3.SUBTREE,
        attributes=_wanted_attributes(settings),
        size_limit=2,
        time_limit=int(settings.timeout) or 1,
    )
    entries = [r for r in conn.response or [] if r.get("type") == "searchResEntry"]
    return entries[0] if len(entries) == 1 else None


def _by_search(settings: LdapSettings, login: str, password: str) -> DirectoryProfile | Refusal:
    server = _server(settings)
    service = _bound(settings, server, settings.bind_dn, settings.bind_password)
    if service is None:
        raise DirectoryUnreachable("the service account (LDAP_BIND_DN) was refused")
    try:
        entry = _find_one(service, settings.search_base, user_filter(settings, login), settings)
        if entry is None:
            return Refusal.NOT_IN_DIRECTORY
        as_user = _bound(settings, server, entry["dn"], password)
        if as_user is None:
            return Refusal.WRONG_PASSWORD
        as_user.unbind()
        return _profile(settings, service, entry)
    finally:
        service.unbind()


def _by_template(settings: LdapSettings, login: str, password: str) -> DirectoryProfile | Refusal:
    """Bind with the DN (or UPN) the template makes. A refused bind cannot tell an unknown
    name from a wrong password, so it is "not in the directory": the local account is tried
    next, and a directory user has no local password that could match."""
    server = _server(settings)
    name = bind_name(settings, login)
    conn = _bound(settings, server, name, password)
    if conn is None:
        return Refusal.NOT_IN_DIRECTORY
    try:
        if settings.search_base:  # e.g. an AD UPN bind: find the entry by the filter
            entry = _find_one(conn, settings.search_base, user_filter(settings, login), settings)
        else:
            entry = _read_entry(conn, name, settings)
        if entry is None:
            return Refusal.NOT_IN_DIRECTORY
        return _profile(settings, conn, entry)
    finally:
        conn.unbind()


def _read_entry(conn: Any, dn: str, settings: LdapSettings) -> Any:
    conn.search(
        dn, "(objectClass=*)", search_scope=ldap3.BASE, attributes=_wanted_attributes(settings)
    )
    entries = [r for r in conn.response or [] if r.get("type") == "searchResEntry"]
    return entries[0] if entries else None


def _profile(
    settings: LdapSettings, conn: Any, entry: dict[str, Any]
) -> DirectoryProfile | Refusal:
    raw: dict[str, list[bytes]] = entry.get("raw_attributes") or {}
    email = first_text(values_of(raw, settings.email_attribute))
    if not email:
        return Refusal.NOT_IN_DIRECTORY  # no address: nothing to sign in as
    subject = identifier(settings.id_attribute, values_of(raw, settings.id_attribute))
    subject = subject or entry["dn"]
    groups = list(texts(values_of(raw, settings.group_attribute)))
    if settings.group_search_base:
        groups += _searched_groups(conn, settings, entry["dn"])
    return DirectoryProfile(
        source=SOURCE,
        subject=subject,
        email=email.strip().lower(),
        email_verified=True,  # the directory is the authority on its own addresses
        name=first_text(values_of(raw, settings.name_attribute)) or email,
        groups=tuple(dict.fromkeys(groups)),  # in order, without repeats
    )


def _searched_groups(conn: Any, settings: LdapSettings, dn: str) -> list[str]:
    """Group DNs that name the user as a member (OpenLDAP without the memberOf overlay)."""
    conn.search(
        settings.group_search_base,
        settings.group_filter.replace("{dn}", escape_filter_chars(dn)),
        search_scope=ldap3.SUBTREE,
        attributes=[],
        time_limit=int(settings.timeout) or 1,
    )
    return [r["dn"] for r in conn.response or [] if r.get("type") == "searchResEntry"]


def values_of(raw: dict[str, list[bytes]], name: str) -> list[bytes]:
    """An attribute's raw values, its name matched without case (LDAP names have none)."""
    if not name:
        return []
    wanted = name.lower()
    return next((list(v) for k, v in raw.items() if k.lower() == wanted), [])


def texts(values: Iterable[bytes]) -> Iterable[str]:
    for value in values:
        text = value.decode("utf-8", errors="replace").strip()
        if text:
            yield text


def first_text(values: list[bytes]) -> str:
    return next(iter(texts(values)), "")


def identifier(name: str, values: list[bytes]) -> str:
    """The stable id: AD's objectGUID is 16 raw bytes (written as AD writes it, the first
    three fields little-endian); entryUUID and others are text."""
    if not values:
        return ""
    value = values[0]
    if name.lower() == "objectguid" and len(value) == 16:
        return str(uuid.UUID(bytes_le=value))
    try:
        return value.decode("utf-8").strip()
    except UnicodeDecodeError:
        if len(value) == 16:
            return str(uuid.UUID(bytes_le=value))
        return value.hex()
