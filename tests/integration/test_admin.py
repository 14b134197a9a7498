"""Admins manage units, memberships and managers, users, and import rosters."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select

from quizapp.extensions import db
from quizapp.models import AuditEvent, Role, Unit, UnitMembership, User
from tests.conftest import AuthActions, make_app
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, UnitFactory, UserFactory
from tests.integration.snapshot import snapshot

ADMIN_EMAIL = "admin@ward.example"
NEW_PASSWORD = "a-long-enough-password"


@pytest.fixture
def admin(app, auth) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        user_id = UserFactory(email=ADMIN_EMAIL, name="Ada Admin", role=Role.ADMIN).id
    assert auth.login(ADMIN_EMAIL, DEFAULT_PASSWORD).status_code == 302
    return user_id


def make_user(app, email: str, role: Role = Role.TRAINEE, **kwargs: object) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return UserFactory(email=email, role=role, **kwargs).id


def user_state(app, email: str) -> tuple | None:  # type: ignore[no-untyped-def]
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            return None
        return user.id, user.role, user.active, user.session_version


def memberships(app, email: str) -> dict[str, bool]:  # type: ignore[no-untyped-def]
    """Unit name -> is_manager for the user."""
    with app.app_context():
        rows = db.session.execute(
            select(Unit.name, UnitMembership.is_manager)
            .join(UnitMembership, UnitMembership.unit_id == Unit.id)
            .join(User, User.id == UnitMembership.user_id)
            .where(User.email == email)
        ).all()
        return dict(rows)


def actions(app) -> list[str]:  # type: ignore[no-untyped-def]
    """The admin actions audited so far (sign-ins left out)."""
    with app.app_context():
        found = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id))
        return [a for a in found if repr(a) not in REQUEST_EVENTS]


def last_event(app, action: str) -> AuditEvent:  # type: ignore[no-untyped-def]
    with app.app_context():
        found = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id.desc())
        )
        db.session.expunge(found)
        return found


def unit_id(app, name: str) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.scalar(select(Unit.id).where(Unit.name == name))


def membership_id(app, unit_name: str, email: str) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.scalar(
            select(UnitMembership.id)
            .join(Unit, Unit.id == UnitMembership.unit_id)
            .join(User, User.id == UnitMembership.user_id)
            .where(Unit.name == unit_name, User.email == email)
        )


# Events the app records about requests themselves (sign-ins, refusals), not about admin data.
REQUEST_EVENTS = {repr(a) for a in ("login.succeeded", "login.failed", "access.refused")}
REQUEST_EVENTS |= {repr("csrf.refused")}


def frozen(app):  # type: ignore[no-untyped-def]
    """Every row of every table, leaving out the audit of sign-ins and refused requests."""
    with app.app_context():
        return _without_request_events(snapshot())


def _without_request_events(rows: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    events = rows.get("audit_events", [])
    rows["audit_events"] = [row for row in events if not REQUEST_EVENTS & set(row)]
    return rows


@contextmanager
def counting_queries(app) -> Iterator[list[str]]:  # type: ignore[no-untyped-def]
    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


# Units, memberships, managers


def test_units_members_and_managers(app, client, admin) -> None:
    response = client.post(
        "/admin/units/new", data={"name": " Ward  4B ", "description": "Surgery"}
    )
    assert response.status_code == 302
    ward = unit_id(app, "Ward 4B")
    assert response.headers["Location"].endswith(f"/admin/units/{ward}")
    duplicate = client.post("/admin/units/new", data={"name": "ward 4b"})
    assert duplicate.status_code == 422 and b"already exists" in duplicate.data
    with app.app_context():
        assert len(db.session.scalars(select(Unit)).all()) == 1

    make_user(app, "nurse@ward.example", name="Nina Nurse")
    make_user(app, "boss@ward.example", Role.MANAGER, name="Bo Boss")
    added = client.post(f"/admin/units/{ward}/members", data={"email": "Nurse@Ward.example "})
    assert added.status_code == 302
    client.post(
        f"/admin/units/{ward}/members", data={"email": "boss@ward.example", "as_manager": "y"}
    )
    assert memberships(app, "nurse@ward.example") == {"Ward 4B": False}
    assert memberships(app, "boss@ward.example") == {"Ward 4B": True}

    page = client.get(f"/admin/units/{ward}").data.decode()
    assert "Nina Nurse" in page and "nurse@ward.example" in page and "Bo Boss" in page
    assert "trainee" in page and 'badge-ok">manager' in page
    index = client.get("/admin/").data.decode()
    assert re.search(r"Ward 4B</a>.*?<td>2</td>\s*<td>1</td>", index, re.S)
    assert f'href="/admin/units/{ward}"' in index and 'href="/admin/users"' in index

    boss = membership_id(app, "Ward 4B", "boss@ward.example")
    client.post(f"/admin/units/{ward}/members/{boss}/manager", data={"manager": "0"})
    assert memberships(app, "boss@ward.example") == {"Ward 4B": False}
    client.post(f"/admin/units/{ward}/members/{boss}/manager", data={"manager": "1"})
    assert memberships(app, "boss@ward.example") == {"Ward 4B": True}

    before = frozen(app)
    unknown = client.post(f"/admin/units/{ward}/members", data={"email": "ghost@ward.example"})
    assert (
        unknown.status_code == 422 and b"No user has the email ghost@ward.example" in unknown.data
    )
    again = client.post(f"/admin/units/{ward}/members", data={"email": "nurse@ward.example"})
    assert again.status_code == 422 and b"already in Ward 4B" in again.data
    assert frozen(app) == before

    nurse = membership_id(app, "Ward 4B", "nurse@ward.example")
    assert client.post(f"/admin/units/{ward}/members/{nurse}/remove").status_code == 302
    assert memberships(app, "nurse@ward.example") == {}
    assert actions(app) == [
        "unit.created",
        "membership.added",
        "membership.added",
        "membership.manager_changed",
        "membership.manager_changed",
        "membership.removed",
    ]
    event_ = last_event(app, "membership.removed")
    assert event_.actor_id == admin and event_.details["user"] == "nurse@ward.example"


def test_a_trainee_cannot_be_made_a_manager(app, client, admin) -> None:
    ward = UnitFactory.build(name="Ward 7")
    with app.app_context():
        db.session.add(ward)
        db.session.commit()
        ward_id = ward.id
    make_user(app, "nurse@ward.example")
    before = frozen(app)
    refused = client.post(
        f"/admin/units/{ward_id}/members", data={"email": "nurse@ward.example", "as_manager": "y"}
    )
    assert refused.status_code == 422
    assert b"only a manager or an admin can manage Ward 7" in refused.data
    assert b'id="as_manager-error"' in refused.data
    assert frozen(app) == before

    client.post(f"/admin/units/{ward_id}/members", data={"email": "nurse@ward.example"})
    member = membership_id(app, "Ward 7", "nurse@ward.example")
    before = frozen(app)
    promote = client.post(f"/admin/units/{ward_id}/members/{member}/manager", data={"manager": "1"})
    assert promote.status_code == 422 and b"Change their role to manager first" in promote.data
    assert frozen(app) == before


def test_unknown_ids_are_404(app, client, admin) -> None:
    with app.app_context():
        other = MembershipFactory()
        other_id, other_unit = other.id, other.unit_id
        ward = UnitFactory().id
    assert client.get("/admin/units/9999").status_code == 404
    assert client.get("/admin/users/9999").status_code == 404
    assert (
        client.post("/admin/units/9999/members", data={"email": "a@b.example"}).status_code == 404
    )
    # a membership of another unit is not found through this one
    assert client.post(f"/admin/units/{ward}/members/{other_id}/remove").status_code == 404
    assert (
        client.post(f"/admin/units/{ward}/members/{other_id}/manager", data={"manager": "0"})
    ).status_code == 404
    assert client.post(f"/admin/units/{other_unit}/members/9999/remove").status_code == 404
    assert client.post("/admin/users/9999/role", data={"role": "trainee"}).status_code == 404
    assert client.post("/admin/users/9999/deactivate").status_code == 404


def test_the_unit_overview_uses_a_fixed_number_of_queries(app, client, admin) -> None:
    with app.app_context():
        MembershipFactory(is_manager=True)
    with counting_queries(app) as few:
        assert client.get("/admin/").status_code == 200
    with app.app_context():
        for _ in range(6):
            unit = UnitFactory()
            MembershipFactory(unit=unit)
            MembershipFactory(unit=unit, is_manager=True)
    with counting_queries(app) as many:
        page = client.get("/admin/").data.decode()
    assert len(many) == len(few)
    assert page.count("<td>2</td>") == 6


# Users


def test_create_a_user_who_can_then_sign_in(app, client, admin) -> None:
    ward = UnitFactory.build(name="Ward 9")
    with app.app_context():
        db.session.add(ward)
        db.session.commit()
        ward_id = ward.id
    assert f'value="{ward_id}">Ward 9' in client.get("/admin/users/new").data.decode()
    response = client.post(
        "/admin/users/new",
        data={
            "email": " Mo@Ward.Example",
            "name": "",
            "role": "manager",
            "unit": str(ward_id),
            "access": "password",  # the default is now an invitation (test_onboarding.py)
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    user_id, role, active, _ = user_state(app, "mo@ward.example")
    assert response.headers["Location"].endswith(f"/admin/users/{user_id}")
    assert role is Role.MANAGER and active
    assert memberships(app, "mo@ward.example") == {"Ward 9": True}
    page = client.get(f"/admin/users/{user_id}").data.decode()
    assert "mo@ward.example" in page and "Ward 9</a> (manager)" in page
    created = last_event(app, "user.created")
    assert created.actor_id == admin and created.object_key == "mo@ward.example"
    assert created.details == {"role": "manager", "unit": "Ward 9"}

    other = app.test_client()
    assert AuthActions(other).login("mo@ward.example", NEW_PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"password": "short", "confirm": "short"}, "password", "at least 12 characters"),
        ({"confirm": "another-long-password"}, "confirm", "The two passwords differ."),
        ({"email": "taken@ward.example"}, "email", "already exists"),
        ({"email": "TAKEN@ward.example "}, "email", "already exists"),
        ({"email": "not-an-email"}, "email", "Enter an email address"),
        ({"email": ""}, "email", "Enter an email."),
        ({"role": "nurse"}, "role", "Not a valid choice"),
        ({"unit": "9999"}, "unit", "Not a valid choice"),
    ],
)
def test_create_user_errors_are_shown_beside_fields(
    app, client, admin, overrides, field, message
) -> None:
    make_user(app, "taken@ward.example")
    before = frozen(app)
    data = {"email": "new@ward.example", "name": "New", "role": "trainee", "unit": ""}
    data["access"] = "password"  # the default is now an invitation (test_onboarding.py)
    data |= {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, **overrides}
    response = client.post("/admin/users/new", data=data)
    assert response.status_code == 422
    page = response.data.decode()
    error = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', page)
    assert error and message in error.group(1), page
    assert 'aria-invalid="true"' in page
    assert NEW_PASSWORD not in page  # passwords are not echoed back
    assert frozen(app) == before


def test_change_a_role(app, client, admin) -> None:
    with app.app_context():
        boss = MembershipFactory(
            user=UserFactory(email="boss@ward.example", role=Role.MANAGER),
            unit=UnitFactory(name="Ward 2"),
            is_manager=True,
        ).user_id
    assert client.post(f"/admin/users/{boss}/role", data={"role": "admin"}).status_code == 302
    assert user_state(app, "boss@ward.example")[1] is Role.ADMIN
    assert memberships(app, "boss@ward.example") == {"Ward 2": True}  # an admin may manage
    response = client.post(f"/admin/users/{boss}/role", data={"role": "trainee"})
    page = client.get(response.headers["Location"]).data.decode()
    assert "Role changed to trainee. No longer manager of Ward 2." in page
    assert user_state(app, "boss@ward.example")[1] is Role.TRAINEE
    assert memberships(app, "boss@ward.example") == {"Ward 2": False}
    changed = last_event(app, "user.role_changed")
    assert changed.actor_id == admin
    assert changed.details == {"old": "admin", "new": "trainee", "managerships_ended": ["Ward 2"]}
    before = frozen(app)
    same = client.post(f"/admin/users/{boss}/role", data={"role": "trainee"})
    assert "The role is unchanged." in client.get(same.headers["Location"]).data.decode()
    assert frozen(app) == before


def test_deactivation_ends_the_users_session_and_sign_in(app, client, admin) -> None:
    nurse = make_user(app, "nurse@ward.example")
    theirs = app.test_client()
    AuthActions(theirs).login("nurse@ward.example", DEFAULT_PASSWORD)
    assert theirs.get("/me").status_code == 200

    assert client.post(f"/admin/users/{nurse}/deactivate").status_code == 302
    assert user_state(app, "nurse@ward.example")[2:] == (False, 2)
    response = theirs.get("/me")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    again = AuthActions(app.test_client()).login("nurse@ward.example", DEFAULT_PASSWORD)
    assert again.status_code == 200 and b"do not match an active account" in again.data
    listing = client.get("/admin/users?active=inactive").data.decode()
    assert "nurse@ward.example" in listing and ADMIN_EMAIL not in listing
    assert last_event(app, "user.deactivated").actor_id == admin

    assert client.post(f"/admin/users/{nurse}/reactivate").status_code == 302
    assert user_state(app, "nurse@ward.example")[2:] == (True, 2)
    fresh = app.test_client()
    assert AuthActions(fresh).login("nurse@ward.example", DEFAULT_PASSWORD).status_code == 302
    assert fresh.get("/me").status_code == 200
    assert actions(app)[-2:] == ["user.deactivated", "user.reactivated"]


def test_an_admin_cannot_deactivate_or_demote_themselves(app, client, admin) -> None:
    before = frozen(app)
    refused = client.post(f"/admin/users/{admin}/deactivate")
    assert refused.status_code == 422
    assert b"You cannot deactivate your own account" in refused.data
    demoted = client.post(f"/admin/users/{admin}/role", data={"role": "manager"})
    assert demoted.status_code == 422 and b"You cannot remove your own admin role" in demoted.data
    assert frozen(app) == before
    assert client.get("/admin/").status_code == 200  # still signed in, still admin


def test_user_list_searches_filters_and_pages(app, client, admin) -> None:
    with app.app_context():
        for n in range(60):
            UserFactory(email=f"t{n:02}@ward.example", name=f"Trainee {n:02}")
        UserFactory(email="quinn@clinic.example", name="Quinn Instructor", role=Role.INSTRUCTOR)
        UserFactory(email="gone@clinic.example", name="Gone", active=False)
    with counting_queries(app) as queries:
        first = client.get("/admin/users").data.decode()
    assert "(63)" in first and "Page 1 of 2" in first
    assert first.count('<th scope="row">') == 50
    assert len(queries) == 3  # the signed-in user, the count, the page
    second = client.get("/admin/users?page=2").data.decode()
    assert second.count('<th scope="row">') == 13 and "Page 2 of 2" in second
    past_the_end = client.get("/admin/users?page=9").data.decode()  # a stale link: the last page
    assert past_the_end.count('<th scope="row">') == 13 and "Page 2 of 2" in past_the_end
    by_name = client.get("/admin/users?q=quinn").data.decode()
    assert "quinn@clinic.example" in by_name and "t01@" not in by_name
    by_email = client.get("/admin/users?q=CLINIC").data.decode()
    assert "(2)" in by_email
    by_role = client.get("/admin/users?role=instructor").data.decode()
    assert "(1)" in by_role and "quinn@clinic.example" in by_role
    inactive = client.get("/admin/users?active=inactive").data.decode()
    assert "(1)" in inactive and "gone@clinic.example" in inactive
    active_admins = client.get("/admin/users?role=admin&active=active").data.decode()
    assert "(1)" in active_admins and ADMIN_EMAIL in active_admins


# Roster


def upload(client, text: str, *, dry_run: bool, name: str = "roster.csv"):  # type: ignore[no-untyped-def]
    data: dict[str, object] = {"file": (io.BytesIO(text.encode("utf-8")), name)}
    if dry_run:
        data["dry_run"] = "y"
    return client.post("/admin/roster", data=data, content_type="multipart/form-data")


ROSTER = (
    "\ufeffEmail,Name,Role,Unit\r\n"
    "ana@ward.example,Ana Silva,trainee,Ward 4B\r\n"
    "ben@ward.example,Ben Okafor,manager,ward 4b\r\n"
    "\r\n"
    "old@ward.example,,manager,Ward 4B\r\n"
    "same@ward.example,Same,trainee,Ward 1\r\n"
    "cy@ward.example,,instructor,\r\n"
)


def _roster_world(app) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        ward1 = UnitFactory(name="Ward 1")
        MembershipFactory(user=UserFactory(email="same@ward.example", name="Same"), unit=ward1)
        UserFactory(email="old@ward.example", name="Old Hand", role=Role.TRAINEE)


def test_a_roster_dry_run_lists_changes_and_writes_nothing(app, client, admin) -> None:
    _roster_world(app)
    before = frozen(app)
    response = upload(client, ROSTER, dry_run=True)
    assert response.status_code == 200
    page = response.data.decode()
    assert frozen(app) == before
    assert "Dry run: nothing was changed" in page
    assert "create 3 user(s), change 1 and leave 1 unchanged" in page
    assert "create the unit(s) Ward 4B" in page
    assert "line 2: ana@ward.example (Ana Silva): new trainee in Ward 4B" in page
    assert "line 3: ben@ward.example (Ben Okafor): new manager in Ward 4B as its manager" in page
    assert "line 5: old@ward.example (Old Hand)" in page
    assert "role trainee → manager; joins Ward 4B as its manager" in page
    assert "line 6: same@ward.example (Same)</li>" in page
    assert "line 7: cy@ward.example (cy): new instructor" in page
    assert "they choose their own through an invitation" in page  # the words of issue 17


def test_a_roster_with_a_bad_row_imports_nothing(app, client, admin) -> None:
    _roster_world(app)
    before = frozen(app)
    bad = ROSTER + "dee@ward.example,Dee,nurse,Ward 4B\r\nana@ward.example,Ana,trainee,\r\n"
    for dry_run in (False, True):
        response = upload(client, bad, dry_run=dry_run)
        assert response.status_code == 422
        page = response.data.decode()
        assert "Nothing was imported." in page
        assert "line 8: unknown role &#39;nurse&#39;" in page
        assert "line 9: duplicate email ana@ward.example (first on line 2)" in page
        assert frozen(app) == before
    header = upload(client, "email,name,role\nana@ward.example,Ana,trainee\n", dry_run=False)
    assert (
        header.status_code == 422
        and b"line 1: the header row lacks the column(s) unit" in header.data
    )
    latin = client.post(
        "/admin/roster",
        data={
            "file": (
                io.BytesIO("email,name,role,unit\né@x.fr,É,trainee,\n".encode("latin-1")),
                "r.csv",
            )
        },
        content_type="multipart/form-data",
    )
    assert latin.status_code == 422 and b"not UTF-8" in latin.data
    missing = client.post("/admin/roster", data={}, content_type="multipart/form-data")
    assert missing.status_code == 422 and b"Choose a CSV file." in missing.data
    assert frozen(app) == before


def test_a_good_roster_creates_users_units_and_managers(app, client, admin) -> None:
    _roster_world(app)
    response = upload(client, ROSTER, dry_run=False, name="march.csv")
    assert response.status_code == 200
    page = response.data.decode()
    assert "Roster imported" in page and "Created 3 user(s), changed 1, left 1 unchanged" in page
    assert "can sign in once they have an invitation" in page  # not invited: where to

    assert memberships(app, "ana@ward.example") == {"Ward 4B": False}
    assert memberships(app, "ben@ward.example") == {"Ward 4B": True}
    assert memberships(app, "old@ward.example") == {"Ward 4B": True}
    assert memberships(app, "same@ward.example") == {"Ward 1": False}
    assert memberships(app, "cy@ward.example") == {}
    assert user_state(app, "old@ward.example")[1] is Role.MANAGER
    assert user_state(app, "ben@ward.example")[1] is Role.MANAGER
    with app.app_context():
        assert db.session.scalar(select(User.name).where(User.email == "cy@ward.example")) == "cy"
        assert db.session.scalar(select(User.name).where(User.email == "old@ward.example")) == (
            "Old Hand"
        )
        assert sorted(db.session.scalars(select(Unit.name))) == ["Ward 1", "Ward 4B"]
        hashes = db.session.scalars(
            select(User.password_hash).where(
                User.email.in_(["ana@ward.example", "cy@ward.example"])
            )
        ).all()
        assert len(set(hashes)) == 2 and all(h.startswith("$argon2") for h in hashes)

    imported = last_event(app, "roster.imported")
    assert imported.actor_id == admin and imported.object_key == "march.csv"
    assert {
        k: imported.details[k] for k in ("created", "updated", "unchanged", "units_created")
    } == {
        "created": 3,
        "updated": 1,
        "unchanged": 1,
        "units_created": 1,
    }
    assert AuthActions(app.test_client()).login("ana@ward.example", "").status_code == 200

    before = frozen(app)
    again = upload(client, ROSTER, dry_run=True).data.decode()
    assert "create 0 user(s), change 0 and leave 5 unchanged" in again
    assert frozen(app) == before


def test_a_roster_creates_a_bounded_number_of_users_at_once(
    app, client, admin, monkeypatch
) -> None:
    monkeypatch.setattr("quizapp.services.roster.MAX_NEW_USERS", 2)
    _roster_world(app)
    before = frozen(app)
    response = upload(client, ROSTER, dry_run=False)
    assert response.status_code == 422
    assert b"line 7: more than 2 new users in one roster" in response.data
    assert frozen(app) == before


def test_a_roster_cannot_demote_the_admin_importing_it(app, client, admin) -> None:
    before = frozen(app)
    response = upload(client, f"email,name,role,unit\n{ADMIN_EMAIL},Ada,manager,\n", dry_run=True)
    assert response.status_code == 422
    assert b"line 2: you cannot remove your own admin role" in response.data
    assert frozen(app) == before


def test_a_roster_manager_demoted_loses_manager_memberships(app, client, admin) -> None:
    with app.app_context():
        MembershipFactory(
            user=UserFactory(email="boss@ward.example", role=Role.MANAGER),
            unit=UnitFactory(name="Ward 3"),
            is_manager=True,
        )
    text = "email,name,role,unit\nboss@ward.example,,trainee,Ward 3\n"
    assert "no longer manager of Ward 3" in upload(client, text, dry_run=True).data.decode()
    upload(client, text, dry_run=False)
    assert memberships(app, "boss@ward.example") == {"Ward 3": False}
    assert user_state(app, "boss@ward.example")[1] is Role.TRAINEE


# Access, GETs, CSRF

GET_PAGES = ["/admin/", "/admin/units/new", "/admin/users", "/admin/users/new", "/admin/roster"]


def _post_routes(unit: int, member: int, user: int) -> list[tuple[str, dict[str, str]]]:
    return [
        ("/admin/units/new", {"name": "Sneaky"}),
        (f"/admin/units/{unit}/members", {"email": "x@ward.example", "as_manager": "y"}),
        (f"/admin/units/{unit}/members/{member}/manager", {"manager": "1"}),
        (f"/admin/units/{unit}/members/{member}/remove", {}),
        ("/admin/users/new", {"email": "x@ward.example", "role": "admin"}),
        (f"/admin/users/{user}/role", {"role": "admin"}),
        (f"/admin/users/{user}/deactivate", {}),
        (f"/admin/users/{user}/reactivate", {}),
        ("/admin/roster", {}),
    ]


@pytest.mark.parametrize("role", [Role.TRAINEE, Role.INSTRUCTOR, Role.MANAGER])
def test_other_roles_get_403_everywhere(app, client, auth, role) -> None:
    with app.app_context():
        member = MembershipFactory(user=UserFactory(email="someone@ward.example", role=role))
        unit, member_id, user = member.unit_id, member.id, member.user_id
    auth.login("someone@ward.example", DEFAULT_PASSWORD)
    before = frozen(app)
    for path in [*GET_PAGES, f"/admin/units/{unit}", f"/admin/users/{user}"]:
        assert client.get(path).status_code == 403, path
    for path, data in _post_routes(unit, member_id, user):
        assert client.post(path, data=data).status_code == 403, path
    assert frozen(app) == before


def test_anonymous_is_sent_to_sign_in(app, client) -> None:
    for path in GET_PAGES:
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"], path
    for path, data in _post_routes(1, 1, 1):
        response = client.post(path, data=data)
        assert response.status_code == 302 and "/login" in response.headers["Location"], path


def test_no_get_changes_anything(app, client, admin) -> None:
    with app.app_context():
        member = MembershipFactory(is_manager=False)
        unit, member_id, user = member.unit_id, member.id, member.user_id
    before = frozen(app)
    for path in [*GET_PAGES, f"/admin/units/{unit}", f"/admin/users/{user}", "/admin/users?q=x"]:
        assert client.get(path).status_code == 200, path
    for path, _data in _post_routes(unit, member_id, user):
        assert client.get(path).status_code in (200, 405), path  # POST-only routes refuse GET
    assert frozen(app) == before


def test_every_admin_form_carries_a_csrf_token(database_url, app) -> None:  # type: ignore[no-untyped-def]
    guarded = make_app(database_url, WTF_CSRF_ENABLED=True)
    with guarded.app_context():
        member = MembershipFactory(user=UserFactory(email=ADMIN_EMAIL, role=Role.ADMIN))
        unit, user = member.unit_id, member.user_id
        other = UserFactory().id
    client = guarded.test_client()
    login_page = client.get("/login").data.decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    data = {"email": ADMIN_EMAIL, "password": DEFAULT_PASSWORD, "csrf_token": token}
    assert client.post("/login", data=data).status_code == 302
    for path in [*GET_PAGES, f"/admin/units/{unit}", f"/admin/users/{user}"]:
        page = client.get(path).data.decode()
        forms = re.findall(r'<form method="post".*?</form>', page, re.S)
        for form in forms:
            assert 'name="csrf_token"' in form, (path, form)
    before = frozen(guarded)
    assert client.post(f"/admin/users/{other}/deactivate").status_code == 400
    assert client.post("/admin/units/new", data={"name": "No token"}).status_code == 400
    assert frozen(guarded) == before
    with guarded.app_context():
        db.session.remove()
        db.engine.dispose()
