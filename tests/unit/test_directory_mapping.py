"""Group mappings: which role and units a directory account gets from its groups."""

from __future__ import annotations

from quizapp.domain.directory_mapping import (
    MappingRule,
    grant_for,
    group_key,
    role_after_sign_in,
)

NURSES = "CN=ICU-Nurses,OU=Groups,DC=hospital,DC=org"
EDUCATORS = "CN=Nurse-Educators,OU=Groups,DC=hospital,DC=org"
MANAGERS = "CN=ICU-Managers,OU=Groups,DC=hospital,DC=org"
RULES = [
    MappingRule("any", NURSES, "trainee", unit_id=1),
    MappingRule("ldap", EDUCATORS, "instructor"),
    MappingRule("any", MANAGERS, "manager", unit_id=1, is_manager=True),
    MappingRule("oidc", "ward-5a", "trainee", unit_id=2),
]


def test_group_names_compare_without_case_or_dn_spacing() -> None:
    assert (
        group_key("CN=ICU Nurses, OU=Groups ,DC=hospital") == "cn=icu nurses,ou=groups,dc=hospital"
    )
    assert group_key("  Ward-5A ") == "ward-5a"


def test_a_nurse_group_gives_a_trainee_membership_of_its_unit() -> None:
    grant = grant_for(["cn=icu-nurses, ou=groups,dc=hospital,dc=org"], "ldap", RULES)
    assert grant.role == "trainee"
    assert grant.units == {1: False}
    assert grant.matched == (NURSES,)


def test_no_matching_group_gives_no_role() -> None:
    grant = grant_for(["CN=Porters,OU=Groups"], "ldap", RULES)
    assert grant.role is None and grant.units == {}


def test_the_highest_role_wins_and_managers_manage_their_unit() -> None:
    grant = grant_for([NURSES, MANAGERS], "oidc", RULES)
    assert grant.role == "manager"
    assert grant.units == {1: True}


def test_a_rule_for_one_source_does_not_apply_to_the_other() -> None:
    assert grant_for([EDUCATORS], "oidc", RULES).role is None
    assert grant_for([EDUCATORS], "ldap", RULES).role == "instructor"
    assert grant_for(["ward-5a"], "ldap", RULES).role is None
    assert grant_for(["ward-5a"], "oidc", RULES).units == {2: False}


def test_a_manager_flag_needs_a_role_that_can_manage() -> None:
    rules = [MappingRule("any", "g", "trainee", unit_id=3, is_manager=True)]
    assert grant_for(["g"], "oidc", rules).units == {3: False}


def test_units_of_several_groups_add_up() -> None:
    grant = grant_for([NURSES, "ward-5a"], "oidc", RULES)
    assert grant.units == {1: False, 2: False}


def test_the_directory_never_demotes_an_admin() -> None:
    assert role_after_sign_in("admin", "trainee") == "admin"
    assert role_after_sign_in("manager", "trainee") == "trainee"
    assert role_after_sign_in(None, "instructor") == "instructor"
