"""Bow-tie and highlight end to end: the sample file loads, each type is answered through the
real practice POST (refusals store nothing), the feedback shows each part's result, authoring
re-renders errors beside the field, item analysis counts picks on fractional marks, and the
GIFT/Moodle XML exports name them as not expressible."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import AttemptItem, QuestionEntry, Response, Role
from quizapp.queries.item_analysis import quiz_report
from quizapp.services import attempt_builder, attempts
from quizapp.services.quizzes import assign_quiz, create_quiz
from tests.conftest import BANK_PATH, make_app
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, UnitFactory, UserFactory
from tests.integration.bank_folder import make_bank
from tests.integration.quiz_helpers import seq_of, start_practice, topic_id, trainee
from tests.integration.snapshot import snapshot
from tests.oracles.stats_oracle import item_statistics

SAMPLES = BANK_PATH / "questions" / "complications" / "ngn-bow-samples.yaml"
TOPIC = "complications/intravenous"


def _load_samples(app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bank = make_bank(tmp_path, {"complications/ngn.yaml": SAMPLES.read_text()})
    result = app.test_cli_runner().invoke(args=["bank", "load", str(bank)])
    assert result.exit_code == 0, result.output


def _items(app, attempt_id: int) -> dict[str, tuple[int, str, dict]]:  # type: ignore[no-untyped-def]
    """uid -> (position, type, data) of the attempt's items."""
    with app.app_context():
        rows = db.session.scalars(select(AttemptItem).where(AttemptItem.attempt_id == attempt_id))
        return {i.version.entry.uid: (i.position, i.version.type, i.version.data) for i in rows}


def _responses(app, attempt_id: int) -> dict[int, tuple[object, float]]:  # type: ignore[no-untyped-def]
    with app.app_context():
        rows = db.session.execute(
            select(AttemptItem.position, Response.answer, Response.mark)
            .join(Response, Response.item_id == AttemptItem.id)
            .where(AttemptItem.attempt_id == attempt_id)
        )
        return {pos: (answer, mark) for pos, answer, mark in rows}


@pytest.fixture
def practice(app, client, auth, tmp_path):  # type: ignore[no-untyped-def]
    _load_samples(app, tmp_path)
    _, email, password = trainee(app)
    assert auth.login(email, password).status_code == 302
    attempt_id = start_practice(client, [topic_id(app, TOPIC)], 4, "tutor")
    return attempt_id, _items(app, attempt_id)


def _post(client, attempt_id: int, position: int, fields: dict):  # type: ignore[no-untyped-def]
    page = client.get(f"/attempts/{attempt_id}/q/{position}")
    assert page.status_code == 200
    return client.post(
        f"/attempts/{attempt_id}/q/{position}", data={**fields, "seq": seq_of(page.data)}
    )


def test_the_sample_file_loads_every_item(app, tmp_path) -> None:
    _load_samples(app, tmp_path)
    with app.app_context():
        entries = db.session.scalars(select(QuestionEntry).order_by(QuestionEntry.uid)).all()
        kinds = {e.uid: e.current.type for e in entries}
        assert kinds == {
            "bowtie-sample-1": "bowtie",
            "bowtie-sample-2": "bowtie",
            "highlight-sample-1": "highlight",
            "highlight-sample-2": "highlight",
        }
        first = next(e for e in entries if e.uid == "bowtie-sample-1").current.data
        assert first["condition"]["correct"] == "Infiltration"
        assert len(first["actions"]["choices"]) == 5


def test_a_bowtie_answered_through_the_practice_post(app, client, practice) -> None:
    attempt_id, items = practice
    position, _, _ = items["bowtie-sample-1"]
    page = client.get(f"/attempts/{attempt_id}/q/{position}").data.decode()
    assert page.count('type="radio" name="condition"') == 4
    assert page.count('type="checkbox" name="actions"') == 5
    assert 'Actions to take <span class="bowtie-pick">(choose 2)</span>' in page
    # condition right (c1), one action right (a1) and one wrong (a3), both parameters right
    fields = {"condition": "c1", "actions": ["a1", "a3"], "parameters": ["p1", "p2"]}
    response = _post(client, attempt_id, position, fields)
    assert response.status_code == 302
    answer, mark = _responses(app, attempt_id)[position]
    assert answer == {"condition": "c1", "actions": ["a1", "a3"], "parameters": ["p1", "p2"]}
    assert mark == pytest.approx(4 / 5)
    shown = client.get(response.headers["Location"]).data.decode()
    assert "Partly correct (80%)" in shown
    assert "<strong>Actions to take</strong>: 1 of 2 right" in shown
    assert "<strong>Condition most likely</strong>: 1 of 1 right" in shown
    assert "Wrong: you chose it, but it is not a correct choice." in shown
    assert "Flush the cannula firmly" in shown.split("is-wrong")[1][:200]
    assert "Missed: a correct choice you did not choose." in shown  # Elevate the affected arm
    assert "4 of 5 placements right." in shown
    # the locked page keeps the answer ticked
    assert re.search(r'name="actions" value="a3"[^>]*checked', shown)


@pytest.mark.parametrize(
    "fields",
    [
        {"condition": "c1", "actions": ["a1", "a2", "a3"], "parameters": ["p1"]},
        {"condition": "c9", "actions": ["a1"]},
        {"condition": "", "actions": [], "parameters": []},
    ],
    ids=["three-actions", "unknown-id", "empty"],
)
def test_a_bowtie_refusal_stores_nothing(app, client, practice, fields) -> None:
    attempt_id, items = practice
    position, _, _ = items["bowtie-sample-2"]
    with app.app_context():
        before = snapshot()
    response = _post(client, attempt_id, position, fields)
    assert response.status_code == 422
    page = response.data.decode()
    assert 'role="alert"' in page
    assert any(
        words in page for words in ("Choose at most 2 actions", "does not have", "Choose a cond")
    )
    with app.app_context():
        assert snapshot() == before
    assert _responses(app, attempt_id) == {}


def test_a_highlight_answered_through_the_practice_post(app, client, practice) -> None:
    attempt_id, items = practice
    position, _, _data = items["highlight-sample-1"]
    page = client.get(f"/attempts/{attempt_id}/q/{position}").data.decode()
    assert page.count('<label class="hl-phrase"><input type="checkbox" name="answer"') == 7
    assert "0900 0.9% sodium chloride <label" in page  # the passage reads on around them
    # two of the three correct phrases (h2 tight, h3 swollen) and one wrong one (h5 dressing)
    response = _post(client, attempt_id, position, {"answer": ["h2", "h3", "h5"]})
    assert response.status_code == 302
    answer, mark = _responses(app, attempt_id)[position]
    assert answer == ["h2", "h3", "h5"] and mark == pytest.approx(1 / 3)
    shown = client.get(response.headers["Location"]).data.decode()
    assert "Partly correct (33%)" in shown
    assert '“the arm feels tight” <span class="placement-note">Right: you selected it.' in shown
    assert '“Dressing dry and intact” <span class="placement-note">Wrong' in shown
    assert '“pale and cool to the touch” <span class="placement-note">Missed' in shown
    assert '“Radial pulse strong” <span class="placement-note">Rightly left' in shown


def test_every_phrase_selected_scores_0_through_the_post(app, client, practice) -> None:
    attempt_id, items = practice
    position, _, _ = items["highlight-sample-1"]
    refused = _post(client, attempt_id, position, {"answer": ["h1", "h99"]})
    assert refused.status_code == 422 and "Nothing was saved" in refused.data.decode()
    assert _responses(app, attempt_id) == {}
    every = [f"h{n}" for n in range(1, 8)]  # 3 right - 4 wrong, floored at 0
    assert _post(client, attempt_id, position, {"answer": every}).status_code == 302
    assert _responses(app, attempt_id)[position] == (every, 0.0)


# --- authoring ----------------------------------------------------------------------------------

BOWTIE_FORM = {
    "type": "bowtie",
    "stem": "Complete the diagram for this client.",
    "rationale": "Because of the findings.",
    "difficulty": "3",
    "topic": TOPIC,
    "cites": ["complications/intravenous"],
    "bowtie_condition": "*Infiltration\nPhlebitis\nAir embolism\nCirculatory overload",
    "bowtie_actions": "*Stop the infusion\n*Elevate the arm\nFlush it\nSlow it\nAdvance it",
    "bowtie_parameters": "*Swelling\n*Skin colour\nCrackles\nFever\nWeight",
}
HIGHLIGHT_FORM = {
    "type": "highlight",
    "stem": "Highlight the findings of infiltration.",
    "rationale": "Leaking fluid swells and cools the skin.",
    "difficulty": "2",
    "topic": TOPIC,
    "cites": ["complications/intravenous"],
    "highlight_passage": (
        "0900 Site [[*swollen]] and [[*cool | Fluid is at room temperature.]].\r\n"
        "Dressing [[dry]]; client [[eating]]."
    ),
}


@pytest.fixture
def author(app, auth, tmp_path):  # type: ignore[no-untyped-def]
    _load_samples(app, tmp_path)
    with app.app_context():
        UserFactory(email="author@ward.example", role=Role.INSTRUCTOR)
    auth.login("author@ward.example", DEFAULT_PASSWORD)


def _saved(app, client, form) -> dict:  # type: ignore[no-untyped-def]
    response = client.post("/author/questions/new", data=form)
    assert response.status_code == 302, response.data.decode()[:3000]
    entry_id = int(re.search(r"/author/questions/(\d+)", response.headers["Location"]).group(1))
    with app.app_context():
        return db.session.get(QuestionEntry, entry_id).current.data


def test_authoring_a_bowtie_saves_its_groups(app, client, author) -> None:
    data = _saved(app, client, BOWTIE_FORM)
    assert data["condition"] == {
        "choices": ["Infiltration", "Phlebitis", "Air embolism", "Circulatory overload"],
        "correct": "Infiltration",
    }
    assert data["actions"]["correct"] == ["Stop the infusion", "Elevate the arm"]


def test_authoring_a_highlight_turns_brackets_into_the_passage(app, client, author) -> None:
    data = _saved(app, client, HIGHLIGHT_FORM)
    assert data["passage"][:4] == [
        "0900 Site ",
        {"phrase": "swollen", "correct": True, "feedback": None},
        " and ",
        {"phrase": "cool", "correct": True, "feedback": "Fluid is at room temperature."},
    ]
    assert data["passage"][4] == ".\nDressing "


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        (
            {**BOWTIE_FORM, "bowtie_actions": "*A\n*B\n*C\nD\nE"},
            "bowtie_actions",
            "Mark exactly 2 actions correct; 3.",
        ),
        (
            {**BOWTIE_FORM, "bowtie_condition": "*Infiltration\nPhlebitis\nAir embolism"},
            "bowtie_condition",
            "Give exactly 4 condition choices; got 3.",
        ),
        (
            {**BOWTIE_FORM, "bowtie_parameters": "*Swelling\n*Swelling\nA\nB\nC"},
            "bowtie_parameters",
            "repeats",
        ),
        (
            {**HIGHLIGHT_FORM, "highlight_passage": "Site [[swollen]] and [[cool]]."},
            "highlight_passage",
            "Mark 4 to 10 phrases; there are 2.",
        ),
        (
            {**HIGHLIGHT_FORM, "highlight_passage": "[[a]] [[b]] [[c]] [[d]] [[e"},
            "highlight_passage",
            "without its pair",
        ),
        (
            {**HIGHLIGHT_FORM, "highlight_passage": HIGHLIGHT_FORM["highlight_passage"] * 100},
            "highlight_passage",
            "longer than 6000 characters",
        ),
        (
            {**BOWTIE_FORM, "bowtie_condition": "*" + "x" * 2000 + "\nB\nC\nD"},
            "bowtie_condition",
            "longer than 2000 characters",
        ),
    ],
)
def test_bad_authoring_input_shows_the_error_beside_the_field(
    app, client, author, form, field, message
) -> None:
    with app.app_context():
        before = snapshot()
    response = client.post("/author/questions/new", data=form)
    assert response.status_code == 422
    page = response.data.decode()
    error = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', page)
    assert error and message in error.group(1), page[page.find("error-summary") :][:1500]
    assert f'id="{field}"' in page and f'aria-describedby="{field}-error"' in page
    with app.app_context():
        assert snapshot() == before


def test_the_edit_form_gives_back_what_was_saved(app, client, author) -> None:
    for form, name in ((BOWTIE_FORM, "bowtie_actions"), (HIGHLIGHT_FORM, "highlight_passage")):
        response = client.post("/author/questions/new", data=form)
        entry_id = re.search(r"/author/questions/(\d+)", response.headers["Location"]).group(1)
        page = client.get(f"/author/questions/{entry_id}/edit").data.decode()
        shown = re.search(rf'<textarea id="{name}"[^>]*>\r?\n?([^<]*)</textarea>', page)
        assert shown, page[:3000]
        assert html.unescape(shown.group(1)) == form[name].replace("\r\n", "\n")


# --- export report and item analysis ------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["gift", "moodle-xml"])
def test_the_export_report_names_them_not_expressible(app, client, author, fmt) -> None:
    response = client.get(f"/author/export?format={fmt}")
    assert response.status_code == 200 and response.headers["X-Export-Left-Out"] == "4"
    text = response.data.decode()
    head = text.split("<question", 1)[0][:3000]  # the report comes before any question
    name = {"gift": "GIFT", "moodle-xml": "Moodle XML"}[fmt]
    assert f"4 question(s) left out, not expressible in {name}:" in head
    for uid, kind in [("bowtie-sample-1", "bowtie"), ("highlight-sample-2", "highlight")]:
        assert f"{uid} ({kind}): " in head
    assert "Stop the infusion" not in text  # nothing of them is written as another type
    yaml = client.get("/author/export?format=yaml")
    assert yaml.headers["X-Export-Left-Out"] == "0" and "type: bowtie" in yaml.data.decode()


def test_item_analysis_counts_bowtie_picks_on_fractional_marks(app, tmp_path) -> None:
    _load_samples(app, tmp_path)
    plans = [  # (condition, actions, parameters) -> placements right out of 5
        ("c1", ["a1", "a2"], ["p1", "p2"]),  # 5
        ("c2", ["a1", "a3"], ["p1"]),  # 2
        ("c1", ["a4", "a5"], ["p3", "p4"]),  # 1
    ]
    with app.app_context():
        unit = UnitFactory()
        quiz = create_quiz("Bow-tie", {"fixed": ["bowtie-sample-1"]}, pass_mark=50)
        assign_quiz(quiz.id, unit.id)
        for n, (condition, actions, parameters) in enumerate(plans):
            user = UserFactory(email=f"b{n}@ward.example")
            MembershipFactory(unit=unit, user=user)
            attempt = attempt_builder.start_assigned(user, quiz.id)
            fields = {"condition": [condition], "actions": actions, "parameters": parameters}
            attempts.save_answer(user, attempt.id, 1, attempt.seq, fields)
            db.session.refresh(attempt)
            attempts.submit(user, attempt.id, None)
        report = quiz_report(quiz.id)
        expected = item_statistics([[1.0], [0.4], [0.2]], [1.0])
        assert report.quiz.attempts == 3
        assert report.quiz.mean == pytest.approx(expected.mean)
        assert report.quiz.sd == pytest.approx(expected.sd)
        stats, oracle = report.quiz.questions[0], expected.questions[0]
        assert stats.facility == pytest.approx(oracle.facility)
        assert stats.sd == pytest.approx(oracle.sd)
        version = report.versions[0]
        assert version.stats.facility == pytest.approx(100 * (1.0 + 0.4 + 0.2) / 3)
        counts = {c.text: (c.count, c.correct) for c in version.choices}
        assert counts["Condition most likely: Infiltration"] == (2, True)
        assert counts["Condition most likely: Phlebitis"] == (1, False)
        assert counts["Actions to take: Stop the infusion and disconnect the tubing"] == (2, True)
        assert counts["Parameters to monitor: Breath sounds for fine crackles"] == (1, False)
        assert db.session.scalar(select(func.count()).select_from(Response)) == 3


# --- the question page, the version diff and the preview ----------------------------------------


def _entry_id(app, uid: str) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.scalar(select(QuestionEntry.id).where(QuestionEntry.uid == uid))


def test_the_question_page_lists_each_part_and_its_key(app, client, author) -> None:
    page = client.get(f"/author/questions/{_entry_id(app, 'bowtie-sample-1')}").data.decode()
    key = page[page.index("Answer key") :]
    assert "Actions to take (key)" in key and "Condition most likely (key)" in key
    assert "Stop the infusion and disconnect the tubing; Elevate the affected arm" in key
    page = client.get(f"/author/questions/{_entry_id(app, 'highlight-sample-1')}").data.decode()
    key = page[page.index("Answer key") :]
    assert "Phrases to select" in key
    assert "the arm feels tight; swollen; pale and cool to the touch" in key


def test_the_version_diff_names_the_changed_key(app, client, author) -> None:
    entry_id = int(
        re.search(
            r"/author/questions/(\d+)",
            client.post("/author/questions/new", data=BOWTIE_FORM).headers["Location"],
        ).group(1)
    )
    client.post(f"/author/questions/{entry_id}/status", data={"status": "published"})
    edited = {**BOWTIE_FORM, "bowtie_actions": "*Stop the infusion\nElevate the arm\n*Flush it"}
    edited["bowtie_actions"] += "\nSlow it\nAdvance it"
    assert client.post(f"/author/questions/{entry_id}/edit", data=edited).status_code == 302
    page = client.get(f"/author/questions/{entry_id}/history?a=1&b=2").data.decode()
    assert (
        "<strong>Actions to take (key)</strong>: was Stop the infusion; Elevate the arm, "
        "now Stop the infusion; Flush it"
    ) in page


def test_the_preview_checks_an_answer_of_each_type(app, client, author) -> None:
    bowtie = f"/author/questions/{_entry_id(app, 'bowtie-sample-2')}/preview"
    page = client.get(bowtie).data.decode()
    assert page.count('name="actions"') == 5 and page.count('name="condition"') == 4
    shown = client.post(bowtie, data={"condition": "c1", "actions": ["a1"]}).data.decode()
    assert "Partly correct (40%)" in shown and "1 of 2 right" in shown
    highlight = f"/author/questions/{_entry_id(app, 'highlight-sample-2')}/preview"
    shown = client.post(highlight, data={"answer": ["h1", "h2", "h6"]}).data.decode()
    assert "Partly correct (20%)" in shown  # (2 right - 1 wrong) / 5


def test_bank_check_passes_the_samples_and_lints_bowtie_choices(tmp_path) -> None:
    """`bank check` on the samples is clean; an "all of the above" among a bow-tie's actions
    is named with its line, as it would be among a single question's choices."""
    app = make_app(f"sqlite:///{tmp_path / 'lint.db'}")
    good = make_bank(tmp_path / "good", {"complications/ngn.yaml": SAMPLES.read_text()})
    result = app.test_cli_runner().invoke(args=["bank", "check", str(good)])
    assert result.exit_code == 0 and "4 questions" in result.output, result.output
    text = SAMPLES.read_text().replace(
        "- Flush the cannula firmly to clear the blockage", "- All of the above"
    )
    bad = make_bank(tmp_path / "bad", {"complications/ngn.yaml": text})
    result = app.test_cli_runner().invoke(args=["bank", "check", str(bad)])
    assert result.exit_code == 1
    assert "'All of the above': write every choice as its own answer" in result.output
