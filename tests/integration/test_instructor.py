"""Instructors author, preview, publish, version and review questions; build and assign quizzes."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import (
    AttemptItem,
    AuditEvent,
    QuestionEntry,
    QuestionStatus,
    Quiz,
    QuizAssignment,
    Role,
    SourceSection,
)
from tests.factories import DEFAULT_PASSWORD, UnitFactory, UserFactory
from tests.integration.quiz_helpers import load_small_bank, start_practice, topic_id, trainee
from tests.integration.snapshot import snapshot

BASE = {
    "stem": "Which route gives fluid straight into the circulation?",
    "rationale": "A vein carries it straight into the circulation.",
    "difficulty": "2",
    "tags": "fluids, routes",
    "topic": "routes/intravenous",
    "cites": ["types/intravenous"],
}


def single_form(**overrides: object) -> dict[str, object]:
    form: dict[str, object] = {**BASE, "type": "single"}
    texts = ["Intravenous", "Intramuscular", "Subcutaneous", "Epidural"]
    for i, text in enumerate(texts):
        form[f"choices-{i}-text"] = text
        form[f"choices-{i}-feedback"] = f"Feedback {i}"
    form["choices-0-correct"] = "y"
    form.update(overrides)
    return form


@pytest.fixture
def instructor(app, client, auth, tmp_path):  # type: ignore[no-untyped-def]
    load_small_bank(app, tmp_path)
    with app.app_context():
        user = UserFactory(email="educator@ward.example", role=Role.INSTRUCTOR)
        user_id = user.id
    auth.login("educator@ward.example", DEFAULT_PASSWORD)
    return user_id


def _entry(app, uid_or_id):  # type: ignore[no-untyped-def]
    with app.app_context():
        query = select(QuestionEntry)
        if isinstance(uid_or_id, int):
            query = query.where(QuestionEntry.id == uid_or_id)
        else:
            query = query.where(QuestionEntry.uid == uid_or_id)
        entry = db.session.scalar(query)
        return entry.id, entry.uid, entry.status, entry.current_version, entry.needs_review


def _create(client, form) -> int:  # type: ignore[no-untyped-def]
    response = client.post("/author/questions/new", data=form)
    assert response.status_code == 302, response.data.decode()[:3000]
    return int(re.search(r"/author/questions/(\d+)", response.headers["Location"]).group(1))


def test_create_preview_publish_and_a_trainee_gets_it(app, client, auth, instructor) -> None:
    entry_id = _create(client, single_form())
    _, uid, status, version, _ = _entry(app, entry_id)
    assert status is QuestionStatus.DRAFT and version == 1
    page = client.get(f"/author/questions/{entry_id}").data.decode()
    assert uid in page and "Publish" in page

    preview = client.get(f"/author/questions/{entry_id}/preview").data.decode()
    assert '<fieldset aria-labelledby="q-stem">' in preview and "Intravenous" in preview
    with app.app_context():
        before = snapshot()
    checked = client.post(
        f"/author/questions/{entry_id}/preview", data={"answer": "a"}
    ).data.decode()
    assert "Correct." in checked and "A vein carries it" in checked
    wrong = client.post(f"/author/questions/{entry_id}/preview", data={"answer": "b"}).data.decode()
    assert "Not correct." in wrong
    with app.app_context():
        assert snapshot() == before  # checking an answer in preview saves nothing

    response = client.post(f"/author/questions/{entry_id}/status", data={"status": "published"})
    assert response.status_code == 302
    assert _entry(app, entry_id)[2] is QuestionStatus.PUBLISHED
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-2:] == ["question.created", "question.published"]


def test_a_draft_without_topic_or_citation_cannot_be_published(app, client, instructor) -> None:
    entry_id = _create(client, single_form(topic="", cites=[]))
    response = client.post(f"/author/questions/{entry_id}/status", data={"status": "published"})
    page = client.get(response.headers["Location"]).data.decode()
    assert "Not published" in page and "cites at least one source section" in page
    assert "belongs to a topic" in page
    assert _entry(app, entry_id)[2] is QuestionStatus.DRAFT


TYPE_ERRORS = [
    (
        "single with two correct",
        single_form(**{"choices-1-correct": "y"}),
        "Mark exactly one choice correct",
    ),
    (
        "multiple with none correct",
        single_form(type="multiple", **{"choices-0-correct": ""}),
        "Mark at least one choice correct",
    ),
    (
        # Issue 14: 2 choices, 2 pairs and no unit are valid (the bank's lint asks for more).
        "single with one choice",
        single_form(**{"choices-1-text": "", "choices-2-text": "", "choices-3-text": ""}),
        "choices",
    ),
    (
        "true_false without an answer",
        {**BASE, "type": "true_false"},
        "tf_answer",
    ),
    (
        "matching with one pair",
        {**BASE, "type": "matching", "pairs-0-prompt": "Insulin", "pairs-0-answer": "SC"},
        "pairs",
    ),
    (
        "numeric with a unit but no value",
        {**BASE, "type": "numeric", "value": "", "tolerance": "0.5", "unit": "mL/h"},
        "value",
    ),
    (
        "numeric with a negative tolerance",
        {**BASE, "type": "numeric", "value": "125", "tolerance": "-1", "unit": "mL/h"},
        "tolerance",
    ),
    (
        "short answer with nothing accepted",
        {**BASE, "type": "short_answer", "accepted": ""},
        "accepted",
    ),
]


@pytest.mark.parametrize(("name", "form", "where"), TYPE_ERRORS, ids=[t[0] for t in TYPE_ERRORS])
def test_validation_errors_per_type_are_shown_beside_their_fields(
    app, client, instructor, name, form, where
) -> None:
    with app.app_context():
        before = snapshot()
    response = client.post("/author/questions/new", data=form)
    assert response.status_code == 422, name
    page = response.data.decode()
    if where in ("choices", "pairs", "tf_answer", "value", "tolerance", "accepted"):
        # the error sits in the field's own block
        assert re.search(r'class="(?:error|field has-error)', page), name
    else:
        assert where in page, name
    assert 'class="error' in page
    with app.app_context():
        assert snapshot() == before


def test_a_new_version_leaves_earlier_attempts_intact(app, client, auth, instructor) -> None:
    entry_id = _create(client, single_form())
    client.post(f"/author/questions/{entry_id}/status", data={"status": "published"})
    auth.logout()
    trainee(app, "learner@ward.example")
    auth.login("learner@ward.example", DEFAULT_PASSWORD)
    attempt_id = start_practice(client, [topic_id(app, "routes/intravenous")], length=7)
    auth.logout()
    auth.login("educator@ward.example", DEFAULT_PASSWORD)
    edited = single_form(stem="Which route reaches the circulation at once?", note="Clearer stem")
    response = client.post(f"/author/questions/{entry_id}/edit", data=edited)
    assert response.status_code == 302
    assert _entry(app, entry_id)[3] == 2
    with app.app_context():
        items = db.session.scalars(
            select(AttemptItem).where(AttemptItem.attempt_id == attempt_id)
        ).all()
        mine = [i for i in items if i.version.entry_id == entry_id]
        assert len(mine) == 1 and mine[0].version.number == 1
        assert mine[0].version.stem == BASE["stem"]
    history = client.get(f"/author/questions/{entry_id}/history").data.decode()
    assert "version 1" in history and "Clearer stem" not in history  # the diff, not the note
    assert "reaches the circulation at once" in history
    restore = client.post(f"/author/questions/{entry_id}/restore/1")
    assert restore.status_code == 302
    with app.app_context():
        entry = db.session.get(QuestionEntry, entry_id)
        assert entry.current_version == 3 and entry.current.stem == BASE["stem"]


def test_section_edit_flags_citing_questions_until_confirmed(app, client, instructor) -> None:
    with app.app_context():
        section = db.session.scalar(
            select(SourceSection).where(SourceSection.key == "types/epidural")
        )
        section_id, points = section.id, list(section.key_points)
        old_hash = section.content_hash
    form = {
        "heading": "Epidural therapy and its uses",
        "key_points": "\n".join([*points, "A new point."]),
        "erratum": "",
    }
    response = client.post(f"/author/sections/{section_id}/edit", data=form)
    assert response.status_code == 302
    assert (
        "1 question(s) citing it are flagged"
        in client.get(response.headers["Location"]).data.decode()
    )
    entry_id, _, _, _, needs_review = _entry(app, "t-true-false")
    assert needs_review
    with app.app_context():
        assert db.session.get(SourceSection, section_id).content_hash != old_hash
    listing = client.get("/author/questions?needs_review=1").data.decode()
    assert "t-true-false" in listing and "t-single" not in listing
    client.post(f"/author/questions/{entry_id}/confirm-review")
    assert not _entry(app, entry_id)[4]


def test_quiz_builder_assigns_to_a_unit(app, client, auth, instructor) -> None:
    with app.app_context():
        unit = UnitFactory(name="Ward 5")
        unit_id = unit.id
    form = {
        "title": "IV basics",
        "selection": "per_topic",
        "count-routes/intravenous": "3",
        "mode": "exam",
        "pass_mark": "80",
        "grading": "highest",
        "review_shows": "full",
        "review_when": "immediately",
        "units": [str(unit_id)],
        "due_at": "2030-01-31T17:00",
    }
    response = client.post("/author/quizzes/new", data=form)
    assert response.status_code == 302, response.data.decode()[:2000]
    with app.app_context():
        quiz = db.session.scalar(select(Quiz))
        assert quiz.selection == {"per_topic": {"routes/intravenous": 3}}
        assignment = db.session.scalar(select(QuizAssignment))
        assert assignment.unit_id == unit_id and assignment.due_at.year == 2030
    bad = client.post("/author/quizzes/new", data={**form, "count-routes/intravenous": "0"})
    assert bad.status_code == 422 and b"at least one question" in bad.data


@pytest.mark.parametrize("role", [Role.TRAINEE, Role.MANAGER])
def test_trainees_and_managers_get_403(app, client, auth, role) -> None:
    with app.app_context():
        UserFactory(email="someone@ward.example", role=role)
    auth.login("someone@ward.example", DEFAULT_PASSWORD)
    for path in (
        "/author/questions",
        "/author/questions/new",
        "/author/sources",
        "/author/quizzes",
        "/author/import",
        "/author/export",
        "/author/audit",
    ):
        assert client.get(path).status_code == 403, path
    assert client.post("/author/questions/new", data=single_form()).status_code == 403


def test_anonymous_is_sent_to_sign_in(client) -> None:
    response = client.get("/author/questions")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_question_list_filters_search_and_pages(app, client, instructor) -> None:
    app.test_cli_runner().invoke(args=["bank", "load"])  # the full bank on top of the small one
    everything = client.get("/author/questions").data.decode()
    total = int(re.search(r"\((\d+)\)</small>", everything).group(1))
    assert total >= 170 and "Page 1 of" in everything
    assert everything.count('href="/author/questions/') <= 25 + 5
    second = client.get("/author/questions?page=2").data.decode()
    assert "Page 2 of" in second
    by_type = client.get("/author/questions?type=numeric").data.decode()
    assert "calc-001" in by_type and "iv-001" not in by_type
    by_topic = client.get("/author/questions?topic=complications/epidural").data.decode()
    assert "cepi-001" in by_topic and "civ-001" not in by_topic
    # the preparation bank holds more than a page: look each id up within it
    in_bank = client.get("/author/questions?bank=preparation&q=scr-001").data.decode()
    other_bank = client.get("/author/questions?bank=preparation&q=cepi-001").data.decode()
    listed = re.compile(r">\s*cepi-001\s*<")  # a row's id, not the search box's value
    assert ">scr-001<" in in_bank.replace(" ", "") and not listed.search(other_bank)
    assert listed.search(client.get("/author/questions?q=cepi-001").data.decode())
    by_section = client.get("/author/questions?section=success-rates").data.decode()
    assert "civ-001" not in by_section and "(0)" not in by_section
    search = client.get("/author/questions?q=air+embolism").data.decode()
    assert "embolism" in search.lower() and "calc-001" not in search
    drafts = client.get("/author/questions?status=draft").data.decode()
    assert "(0)</small>" in drafts


def test_a_source_from_a_markdown_file(app, client, instructor) -> None:
    from io import BytesIO

    markdown = (
        b"# Safe cannulation\n\n## `cannulation/site` Choosing a site\n- Distal veins first.\n"
        b"- Avoid joints.\n\n## Securing the cannula\nA sterile dressing keeps it in place.\n"
    )
    response = client.post(
        "/author/sources/new",
        data={"markdown": (BytesIO(markdown), "cannulation.md"), "publisher": "Ward 4"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.data.decode()[:2000]
    page = client.get(response.headers["Location"]).data.decode()
    assert "Safe cannulation" in page and "cannulation/site" in page
    assert "securing-the-cannula" in page and "Distal veins first." in page
    assert "uncovered" in page
    again = client.post(
        "/author/sources/new",
        data={"markdown": (BytesIO(markdown), "cannulation.md")},
        content_type="multipart/form-data",
    )
    assert again.status_code == 422 and b"already exists" in again.data
