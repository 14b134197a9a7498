"""Every route, tried anonymously and as each role, with the caller's own objects and with
someone else's. The expected outcome of each route and role is declared once, below; a route
missing from the table fails the test. An allowed request must give the exact status written
in ALLOWED (and, for a redirect, the exact place). The POSTs here send no form data, so most
allowed ones get the form's own refusal (422 with the messages beside the fields, 400 for a
request no form could make); test_allowed_roles_succeed_with_valid_data shows real successes.
No GET changes state."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pytest
from flask import url_for
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import (
    Attempt,
    AttemptItem,
    AttemptStatus,
    Image,
    QuestionEntry,
    QuizAssignment,
    Response,
    Role,
    SourceSection,
    Unit,
    User,
)
from quizapp.services import attempt_builder
from quizapp.services.quizzes import assign_quiz, create_quiz
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, UnitFactory, UserFactory
from tests.image_data import tiny_png
from tests.integration.quiz_helpers import fields_for, load_small_bank, topic_id
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
    "auth.account": (SIGNED_IN, None),
    "auth.forgot_password": (PUBLIC, None),
    # OpenID Connect sign-in: not configured here, so 404 for everyone (tests/sso, configured)
    "auth.oidc_login": (PUBLIC, None),
    "auth.oidc_callback": (PUBLIC, None),
    "auth.account_reminders": (SIGNED_IN, None),
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
    "trainee.discard_confirm": (TRAINEE, TRAINEE_OTHER),
    "trainee.discard": (TRAINEE, TRAINEE_OTHER),
    "trainee.flag": (TRAINEE, TRAINEE_OTHER),
    "trainee.strike": (TRAINEE, TRAINEE_OTHER),
    "trainee.confirm_submit": (TRAINEE, TRAINEE_OTHER),
    "trainee.retry_attempt": (TRAINEE, TRAINEE_OTHER),
    "trainee.retry_topic": (TRAINEE, None),
    "trainee.start_case": (TRAINEE, None),
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
            "bulk_questions",
            "review_queue",
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
            "edit_quiz",
            "close_quiz",
            "reopen_quiz",
            "archive_quiz",
            "unarchive_quiz",
            "duplicate_quiz",
            "delete_quiz",
            "import_questions",
            "upload_image_page",
            "export",
            "question_pool",
            "topics",
            "topic_pool",
            "cases",
            "case",
            "edit_exhibit",
        )
    },
    "manager.index": (MANAGER, None),
    "manager.unit": (MANAGER, MANAGER_OTHER),
    "manager.unit_csv": (MANAGER, MANAGER_OTHER),
    "manager.trainee": (MANAGER, MANAGER_OTHER),
    "manager.attempt": (MANAGER, MANAGER_OTHER),
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
            "invite",
            "reset_password",
            "roster",
            "audit_log",
            "outbox",
            "retry_message",
            "jobs",
            "sign_in_settings",
            "set_local_sign_in",
            "add_mapping",
            "delete_mapping",
            "unlink_identity",
        )
    },
}


# (endpoint, method) -> the outcome of an allowed request: a status, (302, where to) with the
# place formatted from the url arguments, or a dict by role where the role changes it ("*" for
# every other role).
TO_HOME = (302, "/")
ALLOWED: dict[tuple[str, str], object] = {
    ("static", "GET"): 200,
    ("health.healthz", "GET"): 200,
    ("public.index", "GET"): {"trainee": (302, "/me"), "*": 200},
    ("auth.login", "GET"): {"anon": 200, "*": TO_HOME},
    ("auth.login", "POST"): {"anon": 200, "*": TO_HOME},  # anon: the form again, with errors
    ("auth.reset", "GET"): 400,  # "not-a-token" is refused by the view itself
    ("auth.reset", "POST"): 400,
    ("auth.password", "GET"): 200,
    ("auth.password", "POST"): 422,
    ("auth.account", "GET"): 200,
    ("auth.account", "POST"): 422,  # no time_zone field at all: refused beside the select
    ("auth.forgot_password", "GET"): 200,
    ("auth.forgot_password", "POST"): 422,  # no address given: the form again, with errors
    ("auth.oidc_login", "GET"): 404,
    ("auth.oidc_callback", "GET"): 404,
    ("auth.account_reminders", "POST"): (302, "/account"),
    ("sources.index", "GET"): 200,
    ("sources.source", "GET"): 200,
    ("sources.section", "GET"): 200,
    ("media.image", "GET"): 200,
    ("trainee.home", "GET"): 200,
    ("trainee.practice", "GET"): 200,
    ("trainee.practice", "POST"): 200,  # the form again, with errors
    ("trainee.history", "GET"): 200,
    ("trainee.quiz", "GET"): 200,
    ("trainee.start_quiz", "POST"): 302,  # to the new attempt (its id is not known here)
    ("trainee.resume", "GET"): (302, "/attempts/{attempt_id}/q/1"),
    ("trainee.question", "GET"): 200,
    # no seq: refused as a stale page, back to the same question
    ("trainee.answer", "POST"): (302, "/attempts/{attempt_id}/q/{position}"),
    ("trainee.review", "GET"): 200,
    # no confirm field: the confirm step comes first (the study tools, issue 16)
    ("trainee.submit", "POST"): (302, "/attempts/{attempt_id}/confirm"),
    ("trainee.flag", "POST"): 200,  # the question again, flagged ("flag" defaults to on)
    ("trainee.strike", "POST"): 422,  # no choice named: the question again, with the message
    ("trainee.confirm_submit", "GET"): 200,
    # the attempt is still in progress: back to it (by the result page), with the reason
    ("trainee.retry_attempt", "POST"): (302, "/attempts/{attempt_id}/result"),
    ("trainee.retry_topic", "POST"): (302, "/me"),  # nothing answered wrong yet: home, saying so
    ("trainee.start_case", "POST"): 404,  # the small bank has no case studies
    ("instructor.cases", "GET"): 200,
    ("instructor.case", "GET"): 404,  # likewise (test_case_pages shows a case's page)
    ("instructor.edit_exhibit", "GET"): 404,  # likewise (test_case_pages edits one)
    ("instructor.edit_exhibit", "POST"): 404,
    ("trainee.result", "GET"): (302, "/attempts/{attempt_id}"),  # not submitted: resume
    ("trainee.discard_confirm", "GET"): 200,
    # no confirm=yes: nothing discarded, back to the confirm page
    ("trainee.discard", "POST"): (302, "/attempts/{attempt_id}/discard"),
    ("instructor.index", "GET"): (302, "/author/questions"),
    ("instructor.questions", "GET"): 200,
    ("instructor.new_question", "GET"): 200,
    ("instructor.new_question", "POST"): 422,
    ("instructor.question", "GET"): 200,
    ("instructor.edit_question", "GET"): 200,
    ("instructor.edit_question", "POST"): 422,
    ("instructor.preview", "GET"): 200,
    ("instructor.preview", "POST"): 422,
    ("instructor.change_status", "POST"): 400,
    ("instructor.confirm_review", "POST"): (302, "/author/questions/{entry_id}"),
    ("instructor.restore", "POST"): (302, "/author/questions/{entry_id}"),
    ("instructor.bulk_questions", "POST"): (302, "/author/questions"),  # nothing ticked
    ("instructor.review_queue", "GET"): 200,
    ("instructor.history", "GET"): 200,
    ("instructor.sources", "GET"): 200,
    ("instructor.source", "GET"): 200,
    ("instructor.edit_section", "GET"): 200,
    ("instructor.edit_section", "POST"): 422,
    ("instructor.new_source", "GET"): 200,
    ("instructor.new_source", "POST"): 422,
    ("instructor.audit_log", "GET"): 200,
    ("instructor.quizzes", "GET"): 200,
    ("instructor.new_quiz", "GET"): 200,
    ("instructor.new_quiz", "POST"): 422,
    ("instructor.quiz", "GET"): 200,
    ("instructor.assign", "POST"): (302, "/author/quizzes/{quiz_id}"),
    ("instructor.quiz_stats", "GET"): 200,
    ("instructor.edit_quiz", "GET"): 200,
    ("instructor.edit_quiz", "POST"): 422,
    # archive comes first (endpoints in order): quiz A is archived, then closed, copied...
    ("instructor.archive_quiz", "POST"): (302, "/author/quizzes/{quiz_id}"),
    ("instructor.close_quiz", "POST"): (302, "/author/quizzes/{quiz_id}"),
    ("instructor.delete_quiz", "GET"): 200,
    ("instructor.delete_quiz", "POST"): 422,  # no confirm=yes: the confirmation page again
    ("instructor.duplicate_quiz", "POST"): 302,  # to the copy (its id is not known here)
    ("instructor.reopen_quiz", "POST"): (302, "/author/quizzes/{quiz_id}"),
    ("instructor.unarchive_quiz", "POST"): (302, "/author/quizzes/{quiz_id}"),
    ("instructor.import_questions", "GET"): 200,
    ("instructor.import_questions", "POST"): 200,  # the form again: no file
    ("instructor.upload_image_page", "GET"): 200,
    ("instructor.upload_image_page", "POST"): 422,
    ("instructor.export", "GET"): 200,
    ("instructor.question_pool", "POST"): 400,
    ("instructor.topics", "GET"): 200,
    ("instructor.topic_pool", "POST"): 400,
    # the manager manages one unit, so goes straight to it; the admin chooses among all
    ("manager.index", "GET"): {"manager": (302, "/manage/units/{unit_id}"), "*": 200},
    ("manager.unit", "GET"): 200,
    ("manager.unit_csv", "GET"): 200,
    ("manager.trainee", "GET"): 200,
    ("manager.attempt", "GET"): 200,
    ("admin.index", "GET"): 200,
    ("admin.new_unit", "GET"): 200,
    ("admin.new_unit", "POST"): 422,
    ("admin.unit", "GET"): 200,
    ("admin.add_member", "POST"): 422,
    ("admin.set_manager", "POST"): 422,
    ("admin.remove_member", "POST"): (302, "/admin/units/{unit_id}"),
    ("admin.users", "GET"): 200,
    ("admin.new_user", "GET"): 200,
    ("admin.new_user", "POST"): 422,
    ("admin.user", "GET"): 200,
    ("admin.change_role", "POST"): 422,
    ("admin.deactivate", "POST"): (302, "/admin/users/{user_id}"),
    ("admin.reactivate", "POST"): (302, "/admin/users/{user_id}"),
    ("admin.invite", "GET"): 200,
    # the throwaway user was just deactivated (admin.deactivate sorts first): no link for them
    ("admin.invite", "POST"): 403,
    ("admin.reset_password", "GET"): 200,
    ("admin.reset_password", "POST"): 200,  # reactivated again: the page showing the link
    ("admin.roster", "GET"): 200,
    ("admin.roster", "POST"): 422,
    ("admin.audit_log", "GET"): 200,
    ("admin.outbox", "GET"): 200,
    ("admin.jobs", "GET"): 200,
    ("admin.retry_message", "POST"): 404,  # no such message
    ("admin.sign_in_settings", "GET"): 200,
    ("admin.set_local_sign_in", "POST"): 422,  # no mode chosen: refused beside the radios
    ("admin.add_mapping", "POST"): 422,
    ("admin.delete_mapping", "GET"): 404,  # no such mapping
    ("admin.delete_mapping", "POST"): 404,
    ("admin.unlink_identity", "POST"): 404,  # no such directory account
}


def _allowed(endpoint: str, method: str, role: str, args: dict[str, object]) -> object:
    spec = ALLOWED[(endpoint, method)]
    if isinstance(spec, dict):
        spec = spec.get(role, spec.get("*"))
    if isinstance(spec, tuple):
        return (spec[0], spec[1].format(**args))
    return spec


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
            "message_id": 999999,
            "mapping_id": 999999,
            "identity_id": 999999,
            "case_key": "case-nowhere",
            "exhibit_id": "hp",
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


def _outcome(response, expected: object) -> object:  # type: ignore[no-untyped-def]
    """The response in the terms of `expected`: LOGIN, a status, or (302, where to)."""
    where = response.headers.get("Location", "")
    if response.status_code == 302 and where.startswith("/login"):
        return LOGIN
    if response.status_code == 302 and isinstance(expected, tuple):
        return (302, where)
    return response.status_code


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
    allowed = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
        if any(OK in cell.values() for cell in TABLE[rule.endpoint] if cell)
    }
    assert allowed == set(ALLOWED), (
        f"allowed without an exact outcome: {sorted(allowed - set(ALLOWED))}; "
        f"stale: {sorted(set(ALLOWED) - allowed)}"
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
                want = expected[role]
                if want == OK:
                    want = _allowed(rule.endpoint, method, role, args)
                got = _outcome(response, want)
                if got != want:
                    failures.append(f"{method} {path} ({which}) as {role}: {got}, expected {want}")
    assert failures == []


def test_allowed_roles_succeed_with_valid_data(app, world) -> None:
    """The matrix above sends empty forms; here each role makes a real change it is allowed
    to make, with valid data, and the change is in the database afterwards."""
    own = world.ids["own"]
    attempt_id, quiz_id = own["attempt_id"], own["quiz_id"]
    trainee = _client(app, world, "trainee")
    with app.app_context():
        item = db.session.scalar(
            select(AttemptItem).where(
                AttemptItem.attempt_id == attempt_id, AttemptItem.position == 1
            )
        )
        fields = fields_for(item.version.type, item.version.data, True)
    saved = trainee.post(f"/attempts/{attempt_id}/q/1", data={**fields, "seq": "0"})
    assert saved.status_code == 302
    assert saved.headers["Location"] == f"/attempts/{attempt_id}/q/2"
    submitted = trainee.post(f"/attempts/{attempt_id}/submit", data={"seq": "1", "confirm": "yes"})
    assert submitted.headers["Location"] == f"/attempts/{attempt_id}/result"
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert (attempt.status, attempt.seq) == (AttemptStatus.SUBMITTED, 1)
        assert (
            db.session.scalar(
                select(func.count()).select_from(Response).where(Response.attempt_id == attempt_id)
            )
            == 1
        )
    unit_b = world.ids["other"]["unit_id"]
    instructor = _client(app, world, "instructor")
    assigned = instructor.post(f"/author/quizzes/{quiz_id}/assign", data={"unit_id": unit_b})
    assert assigned.headers["Location"] == f"/author/quizzes/{quiz_id}"
    admin = _client(app, world, "admin")
    created = admin.post("/admin/units/new", data={"name": "Ward C"})
    assert created.status_code == 302
    deactivated = admin.post(f"/admin/users/{world.ids['admin']['user_id']}/deactivate")
    assert deactivated.headers["Location"] == f"/admin/users/{world.ids['admin']['user_id']}"
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(QuizAssignment)
                .where(QuizAssignment.quiz_id == quiz_id, QuizAssignment.unit_id == unit_b)
            )
            == 1
        )
        ward_c = db.session.scalar(select(Unit).where(Unit.name == "Ward C"))
        assert ward_c is not None
        assert created.headers["Location"] == f"/admin/units/{ward_c.id}"
        assert db.session.get(User, world.ids["admin"]["user_id"]).active is False
