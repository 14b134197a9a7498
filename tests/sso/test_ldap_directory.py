"""The LDAP adapter against a real slapd: the password is checked by a bind as the user, in
search mode (service account) and DN-template mode, over ldaps:// and StartTLS with a CA the
fixture made; injection through the login, empty passwords and a dead server are refused."""

from __future__ import annotations

import pytest

from quizapp.sso import ldap_directory
from quizapp.sso.ldap_directory import DirectoryUnreachable, Refusal, check_password
from tests.sso.ldap_server import PASSWORDS, SERVICE_DN, free_port, group_dn, user_dn
from tests.sso.ldap_support import search_mode_config, settings, template_mode_config

ALICE = PASSWORDS["alice"]


@pytest.fixture
def search(ldap_directory):  # type: ignore[no-untyped-def]
    return settings(search_mode_config(ldap_directory))


@pytest.fixture
def template(ldap_directory):  # type: ignore[no-untyped-def]
    return settings(template_mode_config(ldap_directory))


def entry_uuid(directory, uid: str) -> str:  # type: ignore[no-untyped-def]
    with directory.admin() as conn:
        conn.search(user_dn(uid), "(objectClass=*)", search_scope="BASE", attributes=["entryUUID"])
        return str(conn.entries[0].entryUUID)


@pytest.mark.parametrize("login", ["alice.okonjo@hospital.example", "alice", " ALICE "])
def test_search_mode_finds_the_user_by_mail_or_uid_and_binds_as_them(
    search, ldap_directory, login: str
) -> None:
    profile = check_password(search, login, ALICE)
    assert not isinstance(profile, Refusal)
    assert profile.source == "ldap"
    assert profile.subject == entry_uuid(ldap_directory, "alice")
    assert profile.email == "alice.okonjo@hospital.example"
    assert profile.email_verified is True
    assert profile.name == "Alice Okonjo"
    assert profile.groups == (group_dn("ICU-Nurses"),)


def test_a_wrong_password_is_refused_by_the_bind(search, template) -> None:
    assert check_password(search, "alice", ALICE + "x") is Refusal.WRONG_PASSWORD
    assert check_password(search, "alice", PASSWORDS["bob"]) is Refusal.WRONG_PASSWORD
    # a DN template cannot tell a wrong password from an unknown name
    assert check_password(template, "alice", ALICE + "x") is Refusal.NOT_IN_DIRECTORY


def test_someone_not_in_the_directory_is_not_found(search, template) -> None:
    assert check_password(search, "admin@demo.example", ALICE) is Refusal.NOT_IN_DIRECTORY
    assert check_password(template, "admin@demo.example", ALICE) is Refusal.NOT_IN_DIRECTORY


@pytest.mark.parametrize("login", ["*)(uid=*", "ali*", "*", "alice)(uid=*", "*)(mail=alice*"])
def test_filter_characters_in_the_login_find_nobody(search, login: str) -> None:
    """Unescaped, "ali*" would match Alice and her password would then sign her in."""
    assert check_password(search, login, ALICE) is Refusal.NOT_IN_DIRECTORY


def test_the_filter_escapes_what_was_typed(search) -> None:
    assert ldap_directory.user_filter(search, "*)(uid=*") == (
        r"(|(mail=\2a\29\28uid=\2a)(uid=\2a\29\28uid=\2a))"
    )


def test_an_empty_password_is_refused_without_any_connection(search, template, monkeypatch):  # type: ignore[no-untyped-def]
    opened: list[str] = []
    real = ldap_directory.ldap3.Connection

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        opened.append(str(kwargs.get("user")))
        return real(*args, **kwargs)

    monkeypatch.setattr(ldap_directory.ldap3, "Connection", counting)
    for mode in (search, template):
        assert check_password(mode, "alice", "") is Refusal.WRONG_PASSWORD
    assert opened == []
    assert not isinstance(check_password(search, "alice", ALICE), Refusal)
    assert opened == [SERVICE_DN, user_dn("alice")]  # the counter does see binds


def test_dn_template_mode_over_starttls_reads_the_entry_as_the_user(
    template, ldap_directory
) -> None:
    profile = check_password(template, "carol", PASSWORDS["carol"])
    assert not isinstance(profile, Refusal)
    assert profile.email == "carol.dunn@hospital.example"
    assert profile.subject == entry_uuid(ldap_directory, "carol")
    assert profile.groups == (group_dn("ICU-Managers"),)


def test_dn_template_escapes_the_login_into_the_dn(template) -> None:
    assert check_password(template, "alice,ou=people", ALICE) is Refusal.NOT_IN_DIRECTORY
    assert ldap_directory.bind_name(template, "a,ou=x+cn=y") == (
        r"uid=a\,ou\=x\+cn\=y,ou=people,dc=example,dc=org"
    )


def test_the_dn_is_the_subject_when_there_is_no_id_attribute(ldap_directory) -> None:
    profile = check_password(
        settings(search_mode_config(ldap_directory, LDAP_ID_ATTRIBUTE="")), "bob", PASSWORDS["bob"]
    )
    assert not isinstance(profile, Refusal)
    assert profile.subject == user_dn("bob")
    assert profile.groups == (group_dn("Nurse-Educators"),)


def test_leaving_a_group_shows_at_the_next_check(search, ldap_directory) -> None:
    ldap_directory.add_to_group("alice", "Nurse-Educators")
    try:
        profile = check_password(search, "alice", ALICE)
        assert not isinstance(profile, Refusal)
        assert set(profile.groups) == {group_dn("ICU-Nurses"), group_dn("Nurse-Educators")}
    finally:
        ldap_directory.remove_from_group("alice", "Nurse-Educators")
    profile = check_password(search, "alice", ALICE)
    assert not isinstance(profile, Refusal)
    assert profile.groups == (group_dn("ICU-Nurses"),)


def test_a_server_that_is_down_is_a_clear_error(ldap_directory) -> None:
    dead = settings(
        search_mode_config(
            ldap_directory, LDAP_URL=f"ldaps://127.0.0.1:{free_port()}", LDAP_TIMEOUT_SECONDS="2"
        )
    )
    with pytest.raises(DirectoryUnreachable):
        check_password(dead, "alice", ALICE)


def test_a_server_certificate_from_an_unknown_ca_is_refused(ldap_directory) -> None:
    for config in (search_mode_config, template_mode_config):
        untrusted = settings(config(ldap_directory, LDAP_CA_FILE=""))  # the system's CAs only
        with pytest.raises(DirectoryUnreachable):
            check_password(untrusted, "alice", ALICE)


def test_a_refused_service_account_is_a_clear_error(ldap_directory) -> None:
    wrong = settings(search_mode_config(ldap_directory, LDAP_BIND_PASSWORD="not-it"))
    with pytest.raises(DirectoryUnreachable, match="service account"):
        check_password(wrong, "alice", ALICE)


def test_a_client_that_skips_starttls_is_refused_by_the_test_server(ldap_directory) -> None:
    """The test directory demands TLS, so the StartTLS tests above could not pass in clear."""
    plain = settings(template_mode_config(ldap_directory, LDAP_START_TLS=""))
    assert check_password(plain, "carol", PASSWORDS["carol"]) is Refusal.NOT_IN_DIRECTORY
    plain = settings(search_mode_config(ldap_directory, LDAP_URL=ldap_directory.url))
    with pytest.raises(DirectoryUnreachable, match="service account"):
        check_password(plain, "carol", PASSWORDS["carol"])


def test_member_of_mode_reads_the_groups_from_the_entry(ldap_directory) -> None:
    """Active Directory's way (and OpenLDAP's memberof overlay, on in the test server): the
    groups are the memberOf values on the person's own entry, no group search."""
    member_of = settings(
        search_mode_config(
            ldap_directory, LDAP_GROUP_ATTRIBUTE="memberOf", LDAP_GROUP_SEARCH_BASE=""
        )
    )
    profile = check_password(member_of, "alice", ALICE)
    assert not isinstance(profile, Refusal) and profile.groups == (group_dn("ICU-Nurses"),)
    ldap_directory.add_to_group("alice", "ICU-Managers")
    try:
        profile = check_password(member_of, "alice", ALICE)
        assert not isinstance(profile, Refusal)
        assert set(profile.groups) == {group_dn("ICU-Nurses"), group_dn("ICU-Managers")}
    finally:
        ldap_directory.remove_from_group("alice", "ICU-Managers")
    template_member_of = settings(
        template_mode_config(
            ldap_directory, LDAP_GROUP_ATTRIBUTE="memberOf", LDAP_GROUP_SEARCH_BASE=""
        )
    )
    profile = check_password(template_member_of, "bob", PASSWORDS["bob"])
    assert not isinstance(profile, Refusal) and profile.groups == (group_dn("Nurse-Educators"),)
