"""Every route, tried anonymously and as each role, with the caller's own objects and with
someone else's. The expected outcome of each route and role is declared once, below; a route
missing from the table fails the test. No GET changes state."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pytest
from flask import url_for
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Image, QuestionEntry, Role, SourceSection
from quizapp.services import attempt_builder
from quizapp.services.quizzes import assign_quiz, create_quiz
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, UnitFactory, UserFactory
from tests.image_data import tiny_png
from tests.integration.quiz_helpers import load_small_bank, topic_id
from tests.integration.snapshot import snapshot

ROLES = ("anon", "trainee", "instructor", "manager", "admin")
OK, LOGIN = "ok", "login"


def expect(anon, trainee, instructor, manager, admin):  # type: ignore[no-untyped-def]
    return dict(zip(ROLES, (anon, trainee, instructor, manager, admin), strict=True))


PUBLIC = expect(OK, OK, OK, OK, OK)
SIGNED_IN = expect(LOGIN, OK, OK, OK, OK)
TRAINEE = expect(LOGIN, OK, 403, 403, 403)
TRAINEE_OTHER = expect(LOGIN, 404, 403, 403, 403)
AUTHOR = expect(LOGIN, 403, OK, 403, OK)
MANAGER = expect(LOGIN, 403, 403, OK, OK)
MANAGER_OTHER = expect(LOGIN, 403, 403, 404, OK)
ADMIN = expect(LOGIN, 403, 403, 403, OK)

# endpoint: (with the caller's own objects, with another user's objects or None)
TABLE = {
    "static": (PUBLIC, None),
    "health.healthz": (PUBLIC, None),
    "public.index": (PUBLIC, None),
    "auth.login": (PUBLIC, None),
    "auth.reset": (PUBLIC, None),  # a bad token is refused by the view itself (400)
    # signed in or not, sign-out ends on the sign-in page
    "auth.logout": (expect(LOGIN, LOGIN, LOGIN, LOGIN, LOGIN), None),
    "auth.password": (SIGNED_IN, None),
    "sources.index": (SIGNED_IN, None),
    "sources.source": (SIGNED_IN, None),
    "sources.section": (SIGNED_IN, None),
    "media.image": (SIGNED_IN, None),
    "trainee.home": (TRAINEE, None),
    "trainee.practice": (TRAINEE, None),
    "trainee.history": (TRAINEE, None),
    "trainee.quiz": (TRAINEE, TRAINEE_OTHER),
    "trainee.start_quiz": (TRAINEE, TRAINEE_OTHER),
    "trainee.resume": (TRAINEE, TRAINEE_OTHER),
    "trainee.question": (TRAINEE, TRAINEE_OTHER),
    "trainee.answer": (TRAINEE, TRAINEE_OTHER),
    "trainee.review": (TRAINEE, TRAINEE_OTHER),
    "trainee.submit": (TRAINEE, TRAINEE_OTHER),
    "trainee.result": (TRAINEE, TRAINEE_OTHER),
    **{
        f"instructor.{name}": (AUTHOR, None)
        for name in (
            "index",
            "questions",
            "new_question",
            "question",
            "edit_question",
            "preview",
            "change_status",
            "confirm_review",
            "restore",
            "history",
            "sources",
            "source",
            "edit_section",
            "new_source",
            "audit_log",
            "quizzes",
            "new_quiz",
            "quiz",
            "assign",
            "quiz_stats",
            "import_questions",
            "upload_image_page",
            "export",
            "question_pool",
            "topics",
            "topic_pool",
        )
    },
    "manager.index": (MANAGER, None),
    "manager.unit": (MANAGER, MANAGER_OTHER),
    "manager.unit_csv": (MANAGER, MANAGER_OTHER),
    "manager.trainee": (MANAGER, MANAGER_OTHER),
    **{
        f"admin.{name}": (ADMIN, None)
        for name in (
            "index",
            "new_unit",
            "unit",
            "add_member",
            "set_manager",
            "remove_member",
            "users",
            "new_user",
            "user",
            "change_role",
            "deactivate",
            "reactivate",
            "roster",
            "audit_log",
        )
    },
}


@dataclass
class World:
    ids: dict[str, dict[str, object]]  # "own" / "other" -> url arguments
    emails: dict[str, str]


@pytest.fixture
def world(app, tmp_path) -> World:  # type: ignore[no-untyped-def]
    load_small_bank(app, tmp_path)
    with app.app_context():
        unit_a, unit_b = UnitFactory(name="Ward A"), UnitFactory(name="Ward B")
        people = {
            role.value: UserFactory(email=f"{role.value}@matrix.example", role=role)
            for role in Role
        }
        other_trainee = UserFactory(email="other@matrix.example")
        other_manager = UserFactory(email="boss-b@matrix.example", role=Role.MANAGER)
        target = UserFactory(email="target@matrix.example")
        MembershipFactory(unit=unit_a, user=people["trainee"])
        MembershipFactory(unit=unit_a, user=people["manager"], is_manager=True)
        MembershipFactory(unit=unit_b, user=other_trainee)
        MembershipFactory(unit=unit_b, user=other_manager, is_manager=True)
        target_membership = MembershipFactory(unit=unit_a, user=target)
        quiz_a = create_quiz("Quiz A", {"per_topic": {"routes/intravenous": 3}})
        quiz_b = create_quiz("Quiz B", {"per_topic": {"routes/intravenous": 3}})
        assign_quiz(quiz_a.id, unit_a.id)
        assign_quiz(quiz_b.id, unit_b.id)
        iv = topic_id(app, "routes/intravenous")
        mine = attempt_builder.start_practice(people["trainee"], [iv], 5, "exam")
        theirs = attempt_builder.start_practice(other_trainee, [iv], 5, "exam")
        entry = db.session.scalar(select(QuestionEntry).where(QuestionEntry.uid == "t-single"))
        section = db.session.scalar(
            select(SourceSection).where(SourceSection.key == "types/epidural")
        )
        png = tiny_png()
        image = Image(sha256=hashlib.sha256(png).hexdigest(), content_type="image/png")
        image.size, image.data = len(png), png
        db.session.add(image)
        db.session.commit()
        common = {
            "digest": image.sha256,
            "filename": "app.css",
            "slug": "infusion-therapy-2023",
            "key": "types/epidural",
            "token": "not-a-token",
            "entry_id": entry.id,
            "number": 1,
            "section_id": section.id,
            "position": 1,
            "table": "heatmap",
            "membership_id": target_membership.id,
            "topic_id": iv,
        }
        own = {
            **common,
            "attempt_id": mine.id,
            "quiz_id": quiz_a.id,
            "unit_id": unit_a.id,
            "user_id": people["trainee"].id,
        }
        other = {
            **common,
            "attempt_id": theirs.id,
            "quiz_id": quiz_b.id,
            "unit_id": unit_b.id,
            "user_id": other_trainee.id,
        }
        # admin routes act on a throwaway user, never on the people making the requests
        own_admin = {"user_id": target.id}
        ids = {"own": own, "other": other, "admin": own_admin}
        return World(ids, {role: person.email for role, person in people.items()})


def _client(app, world: World, role: str):  # type: ignore[no-untyped-def]
    client = app.test_client()
    if role != "anon":
        assert (
            client.post(
                "/login", data={"email": world.emails[role], "password": DEFAULT_PASSWORD}
            ).status_code
            == 302
        )
    return client


def _outcome(response) -> object:  # type: ignore[no-untyped-def]
    if response.status_code in (403, 404):
        return response.status_code
    if response.status_code == 302 and "/login" in response.headers.get("Location", ""):
        return LOGIN
    assert response.status_code < 500, response.status_code
    return OK


def _domain_state() -> dict:
    state = snapshot()
    state.pop("audit_events")  # refused access and sign-ins are audited; that is not state
    return state


def test_every_route_is_in_the_table(app) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints == set(TABLE), (
        f"missing from the table: {sorted(endpoints - set(TABLE))}; "
        f"stale entries: {sorted(set(TABLE) - endpoints)}"
    )


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(app, world, role) -> None:
    rules = sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint)
    failures = []
    for which in ("own", "other"):
        client = _client(app, world, role)
        for rule in rules:
            own, other = TABLE[rule.endpoint]
            expected = own if which == "own" else other
            if expected is None:
                continue
            args = {**world.ids[which]}
            if rule.endpoint.startswith("admin."):
                args.update(world.ids["admin"])
            with app.test_request_context():
                path = url_for(rule.endpoint, **{a: args[a] for a in rule.arguments})
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                if method == "GET":
                    with app.app_context():
                        before = _domain_state()
                    response = client.get(path)
                    with app.app_context():
                        if _domain_state() != before:
                            failures.append(f"GET {path} as {role} changed state")
                else:
                    if rule.endpoint == "auth.logout":
                        response = _client(app, world, role).post(path)
                    else:
                        response = client.post(path, data={})
                got = _outcome(response)
                if got != expected[role]:
                    failures.append(
                        f"{method} {path} ({which}) as {role}: {got}, expected {expected[role]}"
                    )
    assert failures == []
