"""The admin Sign-in page (issue 19): group mappings added (every bad input shown beside its
field), listed with a fixed number of queries, deleted after a confirm step; the local
sign-in switch, refused while no directory is configured; every change audited."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from quizapp.domain.directory_mapping import group_key
from quizapp.extensions import db
from quizapp.models import DirectoryGroupMapping, Role, SiteSetting
from quizapp.services import directory_admin as service
from quizapp.services.errors import FieldInvalid, NotFound
from tests.factories import UnitFactory, UserFactory
from tests.integration.snapshot import snapshot
from tests.integration.sso_admin_helpers import (
    NURSES,
    admin_client,
    admin_id,
    audit_rows,
    error_beside,
    sso_app,
)
from tests.integration.test_manager_dashboard import count_queries

__all__ = ["admin_client", "sso_app"]  # fixtures


def _unit(app: Flask, name: str = "ICU") -> int:
    with app.app_context():
        return UnitFactory(name=name).id


def _mappings(app: Flask) -> list[tuple[str, str, str, str, int | None, bool]]:
    with app.app_context():
        rows = db.session.scalars(select(DirectoryGroupMapping).order_by(DirectoryGroupMapping.id))
        return [
            (m.source, m.group, m.group_key, m.role.value, m.unit_id, m.is_manager) for m in rows
        ]


def _add(client: FlaskClient, **fields: str):  # type: ignore[no-untyped-def]
    data = {"group": NURSES, "source": "any", "role": "trainee", "unit_id": ""}
    data.update(fields)
    return client.post("/admin/sign-in/mappings", data=data)


def test_an_admin_adds_a_mapping_sees_it_listed_and_it_is_audited(sso_app, admin_client) -> None:
    icu = _unit(sso_app)
    typed = "  CN=ICU-Nurses, OU=Groups,DC=hospital,DC=org "
    response = _add(admin_client, group=typed, source="ldap", unit_id=str(icu))
    assert response.status_code == 302
    stored = typed.strip()
    assert _mappings(sso_app) == [("ldap", stored, group_key(stored), "trainee", icu, False)]
    assert group_key(stored) == NURSES.casefold()
    admin_client.get("/admin/sign-in")  # shows (and so spends) the flash naming the group
    page = admin_client.get("/admin/sign-in").get_data(as_text=True).replace("<wbr>", "")
    row = page[page.index("<tbody>") : page.index("</tbody>")]
    assert stored in row and "LDAP only" in row and "ICU" in row
    [(actor, key, details)] = audit_rows(sso_app, "directory_mapping.added")
    assert actor == admin_id(sso_app) and key.isdigit()
    assert details == {
        "source": "ldap",
        "group": stored,
        "role": "trainee",
        "unit": "ICU",
        "is_manager": False,
    }


def test_a_manager_mapping_with_its_unit_is_kept(sso_app, admin_client) -> None:
    icu = _unit(sso_app)
    response = _add(admin_client, role="manager", unit_id=str(icu), is_manager="y")
    assert response.status_code == 302
    assert _mappings(sso_app)[0][3:] == ("manager", icu, True)


@pytest.mark.parametrize(
    ("fields", "field_id", "message"),
    [
        ({"group": "   "}, "group", "Enter the group"),
        ({"group": "CN=" + "x" * 498}, "group", "at most 500 characters"),
        ({"source": "kerberos"}, "source", "Not a valid choice"),
        ({"role": "superuser"}, "role", "Not a valid choice"),
        ({"unit_id": "999999"}, "unit_id", "Not a valid choice"),
        ({"is_manager": "y", "role": "trainee", "unit_id": "UNIT"}, "is_manager", "untick"),
        ({"is_manager": "y", "role": "manager"}, "is_manager", "Choose the unit"),
    ],
)
def test_each_bad_mapping_is_refused_beside_its_field(
    sso_app, admin_client, fields, field_id, message
) -> None:
    icu = _unit(sso_app)
    fields = {k: (str(icu) if v == "UNIT" else v) for k, v in fields.items()}
    response = _add(admin_client, **fields)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in error_beside(page, field_id), page
    assert _mappings(sso_app) == []
    assert audit_rows(sso_app, "directory_mapping.added") == []


def test_a_duplicate_is_refused_on_the_group_field_whatever_its_case(sso_app, admin_client) -> None:
    icu = _unit(sso_app)
    assert _add(admin_client, unit_id=str(icu)).status_code == 302
    assert _add(admin_client, group="Dept-Educators", role="instructor").status_code == 302
    again = _add(admin_client, group=NURSES.lower().replace(",", ", "), unit_id=str(icu))
    assert again.status_code == 422
    assert "already gives that role" in error_beside(again.get_data(as_text=True), "group")
    no_unit = _add(admin_client, group="dept-educators", role="instructor")
    assert no_unit.status_code == 422  # a missing unit is compared too (NULL in SQL)
    assert len(_mappings(sso_app)) == 2
    other_source = _add(admin_client, group=NURSES, source="oidc", unit_id=str(icu))
    assert other_source.status_code == 302  # another source is another rule
    other_unit = _add(admin_client, group=NURSES, unit_id=str(_unit(sso_app, "Theatre")))
    assert other_unit.status_code == 302  # and so is another unit
    other_role = _add(admin_client, group=NURSES, role="instructor", unit_id=str(icu))
    assert other_role.status_code == 302  # and another role
    assert len(_mappings(sso_app)) == 5


def test_the_service_checks_its_input_itself(sso_app) -> None:
    actor = 1
    with sso_app.app_context():
        actor = UserFactory(role=Role.ADMIN).id
        icu = UnitFactory().id
        cases = [
            (("any", "", "trainee", None, False), "group"),
            (("any", "g" * 501, "trainee", None, False), "group"),
            (("kerberos", "g", "trainee", None, False), "source"),
            (("any", "g", "superuser", None, False), "role"),
            (("any", "g", "instructor", icu, True), "is_manager"),
            (("any", "g", "admin", None, True), "is_manager"),
        ]
        for args, field in cases:
            with pytest.raises(FieldInvalid) as refused:
                service.add_mapping(*args, actor_id=actor)
            assert refused.value.field == field, args
        with pytest.raises(NotFound):
            service.add_mapping("any", "g", "trainee", 999999, False, actor_id=actor)
        assert db.session.scalar(select(DirectoryGroupMapping)) is None


def test_a_mapping_is_deleted_only_after_the_confirm_step(sso_app, admin_client) -> None:
    icu = _unit(sso_app)
    _add(admin_client, role="manager", unit_id=str(icu), is_manager="y")
    with sso_app.app_context():
        mapping_id = db.session.scalar(select(DirectoryGroupMapping.id))
    path = f"/admin/sign-in/mappings/{mapping_id}/delete"
    asked = admin_client.post(path)
    assert asked.status_code == 200
    assert "Delete this group mapping?" in asked.get_data(as_text=True)
    assert len(_mappings(sso_app)) == 1
    done = admin_client.post(path, data={"confirm": "yes"})
    assert done.status_code == 302
    assert _mappings(sso_app) == []
    [(actor, key, details)] = audit_rows(sso_app, "directory_mapping.deleted")
    assert actor == admin_id(sso_app) and key == str(mapping_id)
    assert details == {
        "source": "any",
        "group": NURSES,
        "role": "manager",
        "unit": "ICU",
        "is_manager": True,
    }
    assert admin_client.post(path, data={"confirm": "yes"}).status_code == 404


def test_local_sign_in_turns_admins_only_and_back(sso_app, admin_client) -> None:
    assert admin_client.post("/admin/sign-in/local", data={"mode": "admins"}).status_code == 302
    with sso_app.app_context():
        assert db.session.get(SiteSetting, "local_sign_in").value == "admins"
    page = admin_client.get("/admin/sign-in").get_data(as_text=True)
    assert "<strong>only admins</strong>" in page
    assert admin_client.post("/admin/sign-in/local", data={"mode": "all"}).status_code == 302
    assert admin_client.post("/admin/sign-in/local", data={"mode": "all"}).status_code == 302
    rows = audit_rows(sso_app, "settings.local_sign_in")
    assert [(r[1], r[2]) for r in rows] == [
        ("local_sign_in", {"old": "all", "new": "admins"}),
        ("local_sign_in", {"old": "admins", "new": "all"}),
    ]  # the unchanged second "all" is not audited


@pytest.mark.parametrize("key", ["OIDC_ISSUER", "LDAP_URL"])
def test_either_directory_allows_admins_only(sso_app, admin_client, key) -> None:
    sso_app.config["OIDC_ISSUER"] = ""
    sso_app.config["LDAP_URL"] = "ldaps://dc1.hospital.example" if key == "LDAP_URL" else ""
    if key == "OIDC_ISSUER":
        sso_app.config["OIDC_ISSUER"] = "https://login.hospital.example"
    assert admin_client.post("/admin/sign-in/local", data={"mode": "admins"}).status_code == 302


def test_admins_only_is_refused_while_no_directory_is_configured(sso_app, admin_client) -> None:
    sso_app.config["OIDC_ISSUER"] = ""
    sso_app.config.pop("LDAP_URL", None)
    with sso_app.app_context():
        before = snapshot()
    for mode, message in [("admins", "Single sign-on is not configured"), ("sso", "Choose who")]:
        response = admin_client.post("/admin/sign-in/local", data={"mode": mode})
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)
    page = admin_client.get("/admin/sign-in").get_data(as_text=True)
    assert "not configured (OIDC_ISSUER is not set)" in page
    with sso_app.app_context():
        assert snapshot() == before


def test_the_page_names_the_configured_methods(sso_app, admin_client) -> None:
    sso_app.config["LDAP_URL"] = "ldaps://dc1.hospital.example"
    page = admin_client.get("/admin/sign-in").get_data(as_text=True).replace("<wbr>", "")
    assert "Hospital Entra ID" in page and "https://login.hospital.example/tenant/v2.0" in page
    assert "ldaps://dc1.hospital.example" in page and "README" in page
    nav = admin_client.get("/admin/").get_data(as_text=True)
    assert 'href="/admin/sign-in"' in nav


def test_the_sign_in_page_reads_a_fixed_number_of_queries(sso_app, admin_client) -> None:
    counts = []
    for n in (2, 30):
        with sso_app.app_context():
            for i in range(n):
                unit = UnitFactory()
                db.session.add(
                    DirectoryGroupMapping(
                        source="any",
                        group=f"CN=G{n}-{i}",
                        group_key=f"cn=g{n}-{i}",
                        role=Role.MANAGER,
                        unit_id=unit.id,
                        is_manager=True,
                    )
                )
            db.session.commit()
        with count_queries(sso_app) as counter:
            page = admin_client.get("/admin/sign-in")
        assert page.status_code == 200 and f"CN=G{n}-{n - 1}" in page.get_data(as_text=True)
        counts.append(counter["n"])
    assert counts[0] == counts[1]
