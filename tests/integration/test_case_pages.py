"""Case studies on the authoring pages (list, case page, the quiz builder's cases) and the
score per clinical-judgment step on the trainee home and the manager's pages, with query
counts that do not grow with the data."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Attempt, Quiz, Role, UnitMembership, User
from quizapp.services import attempts
from quizapp.services.case_practice import start_case_practice
from tests.factories import DEFAULT_PASSWORD, UnitFactory, UserFactory
from tests.integration.case_helpers import CASE_KEY, bank_with_case
from tests.integration.quiz_helpers import count_queries, fields_for


def _text(html: bytes) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html.decode())))


@pytest.fixture
def loaded(app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = app.test_cli_runner().invoke(args=["bank", "load", str(bank_with_case(tmp_path))])
    assert result.exit_code == 0, result.output


def _user(app, email: str, role: Role = Role.TRAINEE, unit_id: int | None = None, manager=False):  # type: ignore[no-untyped-def]
    with app.app_context():
        user = UserFactory(email=email, role=role)
        if unit_id is not None:
            db.session.add(UnitMembership(unit_id=unit_id, user_id=user.id, is_manager=manager))
        db.session.commit()
        return user.id


def take_case(app, user_id: int, wrong: tuple[int, ...] = (), token: str = "t") -> int:  # type: ignore[no-untyped-def]
    """A whole case practice by the service calls the pages make: right but for `wrong`."""
    with app.app_context():
        user = db.session.get(User, user_id)
        attempt = start_case_practice(user, CASE_KEY, token=token)
        attempt_id = attempt.id
        for item in sorted(attempt.items, key=lambda i: i.position):
            fields = fields_for(item.version.type, item.version.data, item.position not in wrong)
            as_lists = {k: v if isinstance(v, list) else [v] for k, v in fields.items()}
            seq = db.session.get(Attempt, attempt_id).seq
            attempts.save_answer(user, attempt_id, item.position, seq, as_lists)
        return attempt_id


def test_the_instructor_sees_the_case_list_and_a_case_page(app, client, auth, loaded) -> None:
    _user(app, "educator@ward.example", Role.INSTRUCTOR)
    auth.login("educator@ward.example", DEFAULT_PASSWORD)
    listing = _text(client.get("/author/cases").data)
    assert "A peripheral IV across a day shift" in listing and "published" in listing
    page = client.get(f"/author/cases/{CASE_KEY}")
    assert page.status_code == 200
    text = _text(page.data)
    assert "version 1 of 1" in text
    for n, step in enumerate(["Recognize cues", "Analyze cues", "Prioritize hypotheses"], 1):
        assert f"{n} {step} case-ivv-{n}" in text
    assert "shown from item 6" in text and "Medication Administration Record" in text
    assert client.get("/author/cases/case-nowhere").status_code == 404


def test_trainees_cannot_open_the_authoring_case_pages(app, client, auth, loaded) -> None:
    _user(app, "nurse@ward.example")
    auth.login("nurse@ward.example", DEFAULT_PASSWORD)
    assert client.get("/author/cases").status_code == 403
    assert client.get(f"/author/cases/{CASE_KEY}").status_code == 403


def _quiz_form(**extra):  # type: ignore[no-untyped-def]
    return {
        "title": "Shift check",
        "selection": "per_topic",
        "mode": "tutor",
        "pass_mark": "80",
        "grading": "highest",
        "review_shows": "full",
        "review_when": "immediately",
        **extra,
    }


def test_the_quiz_builder_adds_a_case_and_refuses_an_unknown_one(app, client, auth, loaded) -> None:
    _user(app, "educator@ward.example", Role.INSTRUCTOR)
    auth.login("educator@ward.example", DEFAULT_PASSWORD)
    page = client.get("/author/quizzes/new").data.decode()
    assert "Case studies" in page and f'name="case" value="{CASE_KEY}"' in page
    bad = client.post("/author/quizzes/new", data=_quiz_form(case="case-nowhere"))
    assert bad.status_code == 422
    assert b"These are no published case study: case-nowhere." in bad.data
    assert b'aria-describedby="cases-error"' in bad.data
    done = client.post(
        "/author/quizzes/new", data=_quiz_form(case=CASE_KEY, **{"count-routes/intravenous": "2"})
    )
    assert done.status_code == 302, done.data.decode()[:3000]
    only = client.post("/author/quizzes/new", data=_quiz_form(case=CASE_KEY, title="Case only"))
    assert only.status_code == 302, only.data.decode()[:3000]
    with app.app_context():
        quizzes = {q.title: q.selection for q in db.session.scalars(select(Quiz))}
    assert quizzes["Shift check"] == {"per_topic": {"routes/intravenous": 2}, "cases": [CASE_KEY]}
    assert quizzes["Case only"] == {"cases": [CASE_KEY]}
    with app.app_context():
        quiz_id = db.session.scalar(select(Quiz.id).where(Quiz.title == "Case only"))
    edit = client.get(f"/author/quizzes/{quiz_id}/edit").data.decode()
    assert re.search(rf'value="{CASE_KEY}" id="case-{CASE_KEY}" checked', edit)


def test_the_trainee_home_shows_scores_per_step_in_constant_queries(
    app, client, auth, loaded
) -> None:
    user_id = _user(app, "nurse@ward.example")
    auth.login("nurse@ward.example", DEFAULT_PASSWORD)
    assert "clinical-judgment step" not in client.get("/me").data.decode()
    take_case(app, user_id, wrong=(3,), token="a")
    with count_queries(app) as first:
        text = _text(client.get("/me").data)
    assert "My scores by clinical-judgment step" in text
    assert "Recognize cues 1 1 of 1 (100%)" in text
    assert "Prioritize hypotheses 1 0 of 1 (0%)" in text
    take_case(app, user_id, wrong=(3, 6), token="b")
    take_case(app, user_id, token="c")
    with count_queries(app) as later:
        text = _text(client.get("/me").data)
    assert "Prioritize hypotheses 3 1 of 3 (33%)" in text
    assert "Evaluate outcomes 3 2 of 3 (67%)" in text
    assert later["n"] == first["n"]


def test_the_manager_sees_the_unit_per_step_in_constant_queries(app, client, auth, loaded) -> None:
    with app.app_context():
        unit_id = UnitFactory(name="Ward 7").id
    _user(app, "boss@ward.example", Role.MANAGER, unit_id, manager=True)
    first_id = _user(app, "n0@ward.example", unit_id=unit_id)
    outsider = _user(app, "elsewhere@ward.example")
    take_case(app, first_id, wrong=(1,), token="x0")
    take_case(app, outsider, wrong=(2,), token="o")  # not in the unit: not counted
    auth.login("boss@ward.example", DEFAULT_PASSWORD)
    url = f"/manage/units/{unit_id}"
    with count_queries(app) as before:
        text = _text(client.get(url).data)
    assert "Per clinical-judgment step" in text
    assert "Recognize cues 1 0 of 1 (0%)" in text and "Analyze cues 1 1 of 1 (100%)" in text
    for n in range(1, 4):
        take_case(app, _user(app, f"n{n}@ward.example", unit_id=unit_id), token=f"x{n}")
    with count_queries(app) as after:
        text = _text(client.get(url).data)
    assert "Recognize cues 4 3 of 4 (75%)" in text
    assert after["n"] == before["n"]
    person = _text(client.get(f"/manage/units/{unit_id}/trainees/{first_id}").data)
    assert "Clinical-judgment steps" in person and "Recognize cues 1 0 of 1 (0%)" in person


def test_a_fixed_list_refuses_case_items_and_the_picker_hides_them(
    app, client, auth, loaded
) -> None:
    _user(app, "educator@ward.example", Role.INSTRUCTOR)
    auth.login("educator@ward.example", DEFAULT_PASSWORD)
    found = client.post(
        "/author/quizzes/new", data=_quiz_form(selection="fixed", search="case-ivv", find="Find")
    ).data.decode()
    assert "Found for “case-ivv”" in found and "No published question matches." in found
    assert 'value="case-ivv-' not in found
    refused = client.post(
        "/author/quizzes/new", data=_quiz_form(selection="fixed", fixed="t-single case-ivv-2")
    )
    assert refused.status_code == 422
    assert b"asked only with their case" in refused.data and b"case-ivv-2" in refused.data
    from quizapp.services.errors import InvalidInput
    from quizapp.services.quizzes import validate_selection

    with app.app_context(), pytest.raises(InvalidInput, match="case-ivv-3"):
        validate_selection({"fixed": ["t-single", "case-ivv-3"]})
    with app.app_context():
        from quizapp.queries.quiz_builder import available_per_topic

        assert "complications/intravenous" not in available_per_topic()  # only case items there


def test_editing_a_text_exhibit_makes_a_new_version_and_keeps_started_attempts(
    app, client, auth, loaded, tmp_path
) -> None:
    from quizapp.models import AuditEvent, Case

    nurse = _user(app, "nurse@ward.example")
    started = take_case(app, nurse, token="before")
    _user(app, "educator@ward.example", Role.INSTRUCTOR)
    auth.login("educator@ward.example", DEFAULT_PASSWORD)
    url = f"/author/cases/{CASE_KEY}/exhibits/hp"
    form = client.get(url).data.decode()
    assert "72-year-old man" in form
    empty = client.post(url, data={"text": "   "})
    assert empty.status_code == 422
    assert b'aria-describedby="text-error"' in empty.data and b"needs some text" in empty.data
    long = client.post(url, data={"text": "x" * 20001})
    assert long.status_code == 422 and b"text-error" in long.data
    assert client.get(f"/author/cases/{CASE_KEY}/exhibits/vitals-1").status_code == 404  # a table
    saved = client.post(url, data={"text": "**72-year-old man**, admitted with pneumonia."})
    assert saved.status_code == 302
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.key == CASE_KEY))
        assert case.current_version == 2 and len(case.versions[1].items) == 6
        assert case.versions[1].exhibits[0]["text"].endswith("admitted with pneumonia.")
        assert "first attempt" in case.versions[0].exhibits[0]["text"]  # version 1 as it was
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action.like("case.%")))
        assert event.action == "case.exhibit_edited" and event.details["version"] == 2
    # the attempt started before the edit still shows version 1's text; a new one the new text
    auth.logout()
    auth.login("nurse@ward.example", DEFAULT_PASSWORD)
    old_page = _text(client.get(f"/attempts/{started}/q/1").data)
    assert "on the first attempt" in old_page
    newer = take_case(app, nurse, token="after")
    assert "on the first attempt" not in _text(client.get(f"/attempts/{newer}/q/1").data)
    # a reload of the unchanged file keeps the edit
    again = app.test_cli_runner().invoke(args=["bank", "load", str(tmp_path / "bank")])
    assert "No change" in again.output, again.output
