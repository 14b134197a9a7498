"""Issue 17, questions: the full question page, the plain-language diff, every error at once,
the wide search, drafts saved in place, bulk actions and the review queue."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import (
    AuditEvent,
    QuestionEntry,
    QuestionStatus,
    QuestionVersion,
    Role,
    SectionRevision,
    SourceSection,
)
from quizapp.services import question_review
from quizapp.services.errors import InvalidInput, NotAllowed, NotFound
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.integration.quiz_helpers import load_small_bank
from tests.integration.snapshot import snapshot
from tests.integration.test_manager_dashboard import count_queries

FORM = {
    "type": "single",
    "stem": "Which route gives fluid straight into the circulation?",
    "rationale": "A vein carries it straight into the bloodstream.",
    "difficulty": "2",
    "tags": "fluids, routes",
    "topic": "routes/intravenous",
    "cites": ["types/intravenous"],
    "choices-0-text": "Intravenous",
    "choices-0-correct": "y",
    "choices-0-feedback": "Into a vein at once.",
    "choices-1-text": "Intramuscular",
    "choices-1-feedback": "A muscle absorbs slowly.",
    "choices-2-text": "Subcutaneous",
}


@pytest.fixture
def author(app, client, auth, tmp_path):  # type: ignore[no-untyped-def]
    load_small_bank(app, tmp_path)
    with app.app_context():
        user_id = UserFactory(email="author@ward.example", role=Role.INSTRUCTOR).id
    auth.login("author@ward.example", DEFAULT_PASSWORD)
    return user_id


def _id(app, uid: str) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.scalar(select(QuestionEntry.id).where(QuestionEntry.uid == uid))


def _create(client, form) -> int:  # type: ignore[no-untyped-def]
    response = client.post("/author/questions/new", data=form)
    assert response.status_code == 302, response.data.decode()[:2000]
    return int(re.search(r"/author/questions/(\d+)", response.headers["Location"]).group(1))


def _versions(app, entry_id: int) -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
    with app.app_context():
        rows = db.session.execute(
            select(QuestionVersion.number, QuestionVersion.stem)
            .where(QuestionVersion.entry_id == entry_id)
            .order_by(QuestionVersion.number)
        )
        return [tuple(row) for row in rows]


def _edit_section(client, app, key: str, extra: str) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        section = db.session.scalar(select(SourceSection).where(SourceSection.key == key))
        section_id, heading, points = section.id, section.heading, list(section.key_points)
    form = {"heading": heading, "key_points": "\n".join([*points, extra]), "erratum": ""}
    assert client.post(f"/author/sections/{section_id}/edit", data=form).status_code == 302
    return section_id


# --- the question page -------------------------------------------------------------------


def test_the_question_page_shows_the_question_and_its_key(app, client, author) -> None:
    page = client.get(f"/author/questions/{_id(app, 't-single')}").data.decode()
    assert "As a trainee sees it" in page and 'type="radio"' in page  # the trainee widget
    assert "Intravenous infusion" in page
    key = page[page.index("Answer key") :]
    assert re.search(r"<dt>Correct answer</dt><dd[^>]*>B</dd>", key)
    assert "It enters the circulation at once." in key  # per-choice feedback
    assert "muscle and fat hold little" in key  # rationale
    assert 'href="/sources/' in key and "types/intravenous" in key  # the cited section, linked


@pytest.mark.parametrize(
    ("uid", "shown"),
    [
        ("t-numeric", ["125 ± 0.5 mL/h"]),
        ("t-matching", ["Insulin", "Subcutaneous", "Intrathecal"]),
        ("t-short", ["air embolism", "venous air embolism"]),
        ("t-true-false", ['<dd class="key-value">False</dd>', "Right - the drug goes"]),
        ("t-multiple", ['<dd class="key-value">A, B</dd>']),
    ],
)
def test_every_type_shows_its_key(app, client, author, uid: str, shown: list[str]) -> None:
    page = client.get(f"/author/questions/{_id(app, uid)}").data.decode()
    key = page[page.index("Answer key") :]
    for text in shown:
        assert text in key, (uid, text)


# --- the version diff --------------------------------------------------------------------


def test_the_version_diff_is_in_plain_words(app, client, author) -> None:
    entry_id = _create(client, FORM)
    client.post(f"/author/questions/{entry_id}/status", data={"status": "published"})
    edited = {
        **FORM,
        "choices-0-correct": "",
        "choices-2-correct": "y",
        "choices-2-text": "Subcutaneous tissue under the skin",
        "rationale": "A vein carries it straight into the blood.",
    }
    assert client.post(f"/author/questions/{entry_id}/edit", data=edited).status_code == 302
    page = client.get(f"/author/questions/{entry_id}/history?a=1&b=2").data.decode()
    assert "<strong>Correct answer</strong>: was A, now C" in page
    assert "<strong>Choice C</strong>: text changed from" in page
    assert "<ins>tissue under the skin</ins>" in page
    assert "<del>bloodstream.</del>" in page and "<ins>blood.</ins>" in page
    assert '"id"' not in page and "answer data" not in page and "&#34;id&#34;" not in page


# --- every error at once -----------------------------------------------------------------


def test_an_empty_form_shows_every_error_at_once(app, client, author) -> None:
    with app.app_context():
        before = snapshot()
    response = client.post("/author/questions/new", data={"type": "single", "stem": ""})
    assert response.status_code == 422
    page = response.data.decode()
    assert 'id="stem-error">Write the question.' in page
    assert "Give 2 to" in page or "choices" in page.split('class="error" role="alert">')[1][:200]
    summary = page[page.index("error-summary") : page.index("</div>", page.index("error-summary"))]
    assert summary.count("<li>") >= 2 and 'href="#stem"' in summary
    with app.app_context():
        assert snapshot() == before


def test_row_errors_sit_beside_their_rows_with_the_stem_error(app, client, author) -> None:
    form = {**FORM, "stem": "", "choices-1-correct": "y"}  # two correct for single, no stem
    page = client.post("/author/questions/new", data=form).data.decode()
    assert "Write the question." in page and "Mark exactly one choice correct" in page


# --- search ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "uid"),
    [
        ("muscle and fat", "t-single"),  # rationale
        ("absorption from fat", "t-single"),  # a choice's feedback
        ("bounding pulse", "t-multiple"),  # a choice
        ("intrathecal", "t-matching"),  # a distractor
        ("venous air", "t-short"),  # an accepted answer
        ("FLUIDS", "t-single"),  # a tag, whatever the case
        ("t-numeric", "t-numeric"),  # the id
    ],
)
def test_search_finds_words_anywhere_in_the_question(app, client, author, words, uid) -> None:
    page = client.get("/author/questions", query_string={"q": words}).data.decode()
    assert f">{uid}</a>" in page, words
    assert "(1)</small>" in page or uid == "t-single", words


def test_search_follows_an_edit_and_takes_the_same_queries(app, client, author) -> None:
    entry_id = _create(client, FORM)
    edit = {**FORM, "rationale": "Peripheral cannulas are quickest."}
    client.post(f"/author/questions/{entry_id}/edit", data=edit)
    assert ">q-" in client.get("/author/questions?q=cannulas").data.decode()
    assert "(0)</small>" in client.get("/author/questions?q=bloodstream").data.decode()
    with count_queries(app) as few:
        client.get("/author/questions?q=cannulas")
    with count_queries(app) as many:
        client.get("/author/questions?q=the")
    assert few["n"] == many["n"]


# --- drafts ------------------------------------------------------------------------------


def test_saving_a_draft_updates_it_and_publishing_freezes_it(app, client, author) -> None:
    entry_id = _create(client, FORM)
    for stem in ("First wording?", "Second wording?"):
        response = client.post(f"/author/questions/{entry_id}/edit", data={**FORM, "stem": stem})
        assert response.status_code == 302
    assert _versions(app, entry_id) == [(1, "Second wording?")]  # no version per draft save
    client.post(f"/author/questions/{entry_id}/status", data={"status": "published"})
    client.post(f"/author/questions/{entry_id}/edit", data={**FORM, "stem": "Published edit?"})
    assert _versions(app, entry_id) == [(1, "Second wording?"), (2, "Published edit?")]
    client.post(f"/author/questions/{entry_id}/status", data={"status": "draft"})
    client.post(f"/author/questions/{entry_id}/edit", data={**FORM, "stem": "Draft again?"})
    client.post(f"/author/questions/{entry_id}/edit", data={**FORM, "stem": "Draft again 2?"})
    # v2 was live: the draft made from it is a new version, then saved in place
    assert [n for n, _ in _versions(app, entry_id)] == [1, 2, 3]
    assert _versions(app, entry_id)[-1] == (3, "Draft again 2?")


# --- bulk actions ------------------------------------------------------------------------


def _audits(app, action: str) -> list[str]:  # type: ignore[no-untyped-def]
    with app.app_context():
        return list(
            db.session.scalars(select(AuditEvent.object_key).where(AuditEvent.action == action))
        )


def test_bulk_retire_retag_and_publish_with_a_refusal(app, client, author) -> None:
    ids = [_id(app, "t-single"), _id(app, "t-numeric")]
    response = client.post("/author/questions/bulk", data={"ids": ids, "action": "retire"})
    assert response.status_code == 302
    assert sorted(_audits(app, "question.retired")) == ["t-numeric", "t-single"]
    client.post("/author/questions/bulk", data={"ids": ids, "action": "add_tag", "tag": "ward-5"})
    with app.app_context():
        tags = [db.session.get(QuestionEntry, i).current.tags for i in ids]
    assert all("ward-5" in t for t in tags)
    client.post(
        "/author/questions/bulk", data={"ids": ids[:1], "action": "remove_tag", "tag": "ward-5"}
    )
    with app.app_context():
        assert "ward-5" not in db.session.get(QuestionEntry, ids[0]).current.tags
    draft = _create(client, {**FORM, "cites": [], "topic": ""})  # cannot be published
    response = client.post(
        "/author/questions/bulk", data={"ids": [ids[0], draft], "action": "publish"}
    )
    page = client.get("/author/questions").data.decode()
    assert "1 question(s) published: t-single" in page and "cites at least one" in page
    with app.app_context():
        assert db.session.get(QuestionEntry, draft).status is QuestionStatus.DRAFT


def test_bulk_refuses_unknown_ids_too_many_ids_and_non_authors(app, client, author) -> None:
    known = _id(app, "t-single")
    with app.app_context():
        nurse = UserFactory(email="nurse-b@ward.example").id
        before = snapshot()
    response = client.post(
        "/author/questions/bulk", data={"ids": [known, 99999], "action": "retire"}
    )
    assert response.status_code == 404
    page = client.post(
        "/author/questions/bulk",
        data={"ids": list(range(1, question_review.MAX_IDS + 2)), "action": "retire"},
        follow_redirects=True,
    ).data.decode()
    assert f"at most {question_review.MAX_IDS} questions" in page
    page = client.post(
        "/author/questions/bulk", data={"action": "retire"}, follow_redirects=True
    ).data.decode()
    assert "Tick one or more questions first." in page
    assert client.post("/author/questions/bulk", data={"ids": "x"}).status_code == 400
    with app.app_context():
        assert snapshot() == before
        with pytest.raises(NotAllowed):
            question_review.bulk_action([known], "retire", nurse)
        with pytest.raises(NotFound):
            question_review.bulk_action([known, 99999], "retire", author)
        with pytest.raises(InvalidInput):
            question_review.bulk_action([known], "add_tag", author, tag="a, b")
        assert snapshot() == before


# --- the review queue --------------------------------------------------------------------


def test_the_review_queue_shows_old_and_new_section_text(app, client, author) -> None:
    section_id = _edit_section(client, app, "types/epidural", "A brand-new key point.")
    with app.app_context():
        assert db.session.scalar(
            select(SectionRevision.id).where(SectionRevision.section_id == section_id)
        )
    page = client.get("/author/questions/review").data.decode()
    assert "t-true-false" in page and "t-single" not in page
    old, new = page.split("When the question was written", 1)[1].split("<h4>Now</h4>", 1)
    assert "A brand-new key point." not in old and "A brand-new key point." in new[:2000]
    assert re.search(r"<ins>[^<]*A brand-new key point\.</ins>", page)


def test_bulk_confirm_from_the_review_queue(app, client, author) -> None:
    _edit_section(client, app, "types/intravenous", "Another point.")
    page = client.get("/author/questions/review").data.decode()
    flagged = sorted(set(re.findall(r'name="ids" value="(\d+)"', page)))
    assert len(flagged) >= 2  # t-single and t-numeric cite it
    response = client.post(
        "/author/questions/bulk", data={"ids": flagged, "action": "confirm", "back": "queue"}
    )
    assert response.headers["Location"].endswith("/author/questions/review")
    after = client.get("/author/questions/review").data.decode()
    assert "No question is waiting for review." in after
    assert len(_audits(app, "question.review_confirmed")) == len(flagged)


def test_the_review_queue_takes_the_same_queries_for_more_questions(app, client, author) -> None:
    _edit_section(client, app, "types/epidural", "One.")
    with count_queries(app) as one:
        client.get("/author/questions/review")
    _edit_section(client, app, "types/intravenous", "Two.")
    _edit_section(client, app, "complications/intravenous", "Three.")
    with count_queries(app) as more:
        client.get("/author/questions/review")
    assert one["n"] == more["n"]


def test_a_once_published_version_is_never_edited_in_place(app, client, author) -> None:
    entry_id = _create(client, FORM)
    client.post(f"/author/questions/{entry_id}/status", data={"status": "published"})
    client.post(f"/author/questions/{entry_id}/status", data={"status": "draft"})
    client.post(f"/author/questions/{entry_id}/edit", data={**FORM, "stem": "Reworded?"})
    assert _versions(app, entry_id) == [(1, FORM["stem"]), (2, "Reworded?")]


def test_a_bulk_published_version_is_never_edited_in_place(app, client, author) -> None:
    entry_id = _create(client, FORM)
    client.post("/author/questions/bulk", data={"ids": [entry_id], "action": "publish"})
    client.post(f"/author/questions/{entry_id}/status", data={"status": "draft"})
    client.post(f"/author/questions/{entry_id}/edit", data={**FORM, "stem": "Reworded?"})
    assert _versions(app, entry_id) == [(1, FORM["stem"]), (2, "Reworded?")]


def test_cited_sections_are_checkboxes_grouped_by_source(app, client, author) -> None:
    page = client.get("/author/questions/new").data.decode()
    assert "<select" not in page.split('id="cites"', 1)[1].split("</fieldset>", 1)[0]
    assert re.search(r'<fieldset class="cites-group"><legend>[^<]+</legend>', page)
    entry_id = _create(client, {**FORM, "cites": ["types/intravenous", "types/epidural"]})
    edit = client.get(f"/author/questions/{entry_id}/edit").data.decode()
    ticked = re.findall(r'name="cites" value="([^"]+)" id="[^"]+" checked', edit)
    assert sorted(ticked) == ["types/epidural", "types/intravenous"]
