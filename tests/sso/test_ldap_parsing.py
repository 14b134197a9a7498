"""Without a server: the LDAP settings refused at start-up, and an entry turned into a
profile (Active Directory's memberOf values and binary objectGUID)."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import pytest

from quizapp.config import ConfigError, load_config
from quizapp.sso import ldap_directory
from quizapp.sso.ldap_directory import Refusal
from quizapp.sso.ldap_settings import DEFAULTS, parse_settings

AD = {
    "LDAP_URL": "ldaps://dc1.corp.example:636",
    "LDAP_BIND_DN": "CN=svc-quiz,OU=Service Accounts,DC=corp,DC=example",
    "LDAP_BIND_PASSWORD": "s3rvice",
    "LDAP_SEARCH_BASE": "OU=Staff,DC=corp,DC=example",
    "LDAP_USER_FILTER": "(&(objectClass=user)(|(mail={login})(sAMAccountName={login})))",
    "LDAP_NAME_ATTRIBUTE": "displayName",
    "LDAP_ID_ATTRIBUTE": "objectGUID",
    "LDAP_GROUP_ATTRIBUTE": "memberOf",
}


def _parse(production: bool = True, **changes: Any):  # type: ignore[no-untyped-def]
    return parse_settings({**DEFAULTS, **AD, **changes}, production=production)


def test_the_active_directory_example_is_accepted() -> None:
    settings = _parse()
    assert (settings.host, settings.port, settings.use_ssl) == ("dc1.corp.example", 636, True)
    assert settings.search_mode and settings.encrypted and settings.timeout == 5


@pytest.mark.parametrize(
    ("changes", "production", "says"),
    [
        ({"LDAP_URL": "ldap://dc1.corp.example"}, False, "unencrypted"),
        ({"LDAP_URL": "ldap://127.0.0.1:3389"}, True, "unencrypted"),
        ({"LDAP_URL": "http://dc1.corp.example"}, False, "must be ldaps://"),
        ({"LDAP_URL": "ldaps://dc1:x"}, False, "port"),
        ({"LDAP_URL": "ldaps://dc1", "LDAP_START_TLS": "1"}, False, "encrypted already"),
        ({"LDAP_BIND_DN": ""}, False, "LDAP_USER_DN_TEMPLATE"),
        ({"LDAP_BIND_PASSWORD": ""}, False, "LDAP_BIND_PASSWORD is empty"),
        ({"LDAP_SEARCH_BASE": ""}, False, "LDAP_SEARCH_BASE"),
        ({"LDAP_USER_FILTER": "(uid=alice)"}, False, "{login}"),
        ({"LDAP_BIND_DN": "", "LDAP_USER_DN_TEMPLATE": "uid=x,dc=org"}, False, "{login}"),
        ({"LDAP_GROUP_SEARCH_BASE": "ou=g", "LDAP_GROUP_FILTER": "(member=x)"}, False, "{dn}"),
        ({"LDAP_CA_FILE": "/nonexistent/ca.pem"}, False, "not a readable file"),
        ({"LDAP_TIMEOUT_SECONDS": "0"}, False, "LDAP_TIMEOUT_SECONDS"),
        ({"LDAP_TIMEOUT_SECONDS": "soon"}, False, "LDAP_TIMEOUT_SECONDS"),
    ],
)
def test_unsafe_or_incomplete_settings_are_refused(
    changes: dict[str, str], production: bool, says: str
) -> None:
    with pytest.raises(ValueError, match=re.escape(says)):
        _parse(production=production, **changes)


def test_plain_ldap_is_allowed_to_loopback_outside_production_and_with_starttls() -> None:
    assert not _parse(production=False, LDAP_URL="ldap://127.0.0.1:3389").encrypted
    assert _parse(LDAP_URL="ldap://dc1.corp.example", LDAP_START_TLS="1").start_tls


def test_the_app_will_not_start_with_bad_ldap_settings(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    for name, value in {**AD, "LDAP_URL": "ldap://dc1.corp.example"}.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=r"LDAP settings: .*unencrypted"):
        load_config(str(tmp_path), {"TESTING": True})
    monkeypatch.setenv("LDAP_URL", AD["LDAP_URL"])
    assert load_config(str(tmp_path), {"TESTING": True})["LDAP"].host == "dc1.corp.example"
    monkeypatch.delenv("LDAP_URL")
    assert load_config(str(tmp_path), {"TESTING": True})["LDAP"] is None


GUID = uuid.UUID("7c2f1f6a-2b4e-4b8f-9a44-0d1e2f3a4b5c")


def _entry(**raw: list[bytes]) -> dict[str, Any]:
    return {"dn": "CN=Jo Rivera,OU=Staff,DC=corp,DC=example", "raw_attributes": raw}


def test_an_active_directory_entry_becomes_a_profile() -> None:
    """memberOf values are the groups (in order, repeats dropped, names matched without
    case); objectGUID's 16 bytes are written as AD writes the GUID."""
    entry = _entry(
        mail=[b"Jo.Rivera@Corp.example"],
        displayName=[b"Jo Rivera"],
        objectGUID=[GUID.bytes_le],
        memberof=[
            b"CN=ICU-Nurses,OU=Groups,DC=corp,DC=example",
            b"CN=Nurse-Educators,OU=Groups,DC=corp,DC=example",
            b"CN=ICU-Nurses,OU=Groups,DC=corp,DC=example",
        ],
    )
    profile = ldap_directory._profile(_parse(), None, entry)
    assert not isinstance(profile, Refusal)
    assert profile.subject == str(GUID)
    assert profile.email == "jo.rivera@corp.example" and profile.name == "Jo Rivera"
    assert profile.groups == (
        "CN=ICU-Nurses,OU=Groups,DC=corp,DC=example",
        "CN=Nurse-Educators,OU=Groups,DC=corp,DC=example",
    )


def test_an_entry_without_mail_is_not_someone_to_sign_in() -> None:
    entry = _entry(displayName=[b"Jo"], objectGUID=[GUID.bytes_le])
    assert ldap_directory._profile(_parse(), None, entry) is Refusal.NOT_IN_DIRECTORY


def test_without_an_id_the_dn_is_the_subject_and_a_text_id_stays_text() -> None:
    entry = _entry(mail=[b"jo@corp.example"])
    assert ldap_directory._profile(_parse(), None, entry).subject == entry["dn"]  # type: ignore[union-attr]
    assert ldap_directory.identifier("entryUUID", [b"1235b4e0-845d"]) == "1235b4e0-845d"
    ascii_guid = b"0123456789abcdef"  # 16 bytes that also happen to be valid text
    assert ldap_directory.identifier("objectGUID", [ascii_guid]) == str(
        uuid.UUID(bytes_le=ascii_guid)
    )
    assert ldap_directory.identifier("uidNumber", [b"\xff\xfe"]) == "fffe"
