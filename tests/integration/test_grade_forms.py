"""Issue 14: the authoring form holds Moodle grades (per choice, per short answer)."""

from __future__ import annotations

import re

from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import QuestionEntry
from tests.integration.snapshot import snapshot
from tests.integration.test_instructor import BASE, _create, instructor, single_form

__all__ = ["instructor"]  # the fixture, used by name


def _data(app, entry_id: int) -> dict:  # type: ignore[no-untyped-def]
    with app.app_context():
        entry = db.session.scalar(select(QuestionEntry).where(QuestionEntry.id == entry_id))
        return entry.current.data


def _selected(page: str, name: str) -> str:
    block = re.search(rf'<select[^>]*name="{re.escape(name)}"[^>]*>(.*?)</select>', page, re.S)
    assert block, name
    chosen = re.search(
        r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', block[1]
    )
    return (chosen[1] or chosen[2]) if chosen else ""


def test_a_choice_grade_gives_partial_credit_and_shows_again_on_edit(app, client, instructor):  # type: ignore[no-untyped-def]
    entry_id = _create(client, single_form(**{"choices-1-fraction": "50"}))
    data = _data(app, entry_id)
    assert [c["fraction"] for c in data["choices"]] == [100.0, 50.0, 0.0, 0.0]
    page = client.get(f"/author/questions/{entry_id}/edit").data.decode()
    assert _selected(page, "choices-1-fraction") == "50"
    assert _selected(page, "choices-2-fraction") == "0"


def test_a_grade_that_contradicts_the_tick_is_shown_beside_its_choice(app, client, instructor):  # type: ignore[no-untyped-def]
    with app.app_context():
        before = snapshot()
    form = single_form(**{"choices-2-fraction": "100", "choices-3-text": "Typed and kept"})
    response = client.post("/author/questions/new", data=form)
    assert response.status_code == 422
    page = response.data.decode()
    assert re.search(r'id="choices-2-fraction-error">The correct choice has the grade 100', page)
    assert 'value="Typed and kept"' in page and _selected(page, "choices-2-fraction") == "100"
    with app.app_context():
        assert snapshot() == before


def test_short_answers_with_grades_feedback_and_case(app, client, instructor):  # type: ignore[no-untyped-def]
    form = {
        **BASE, "type": "short_answer", "accepted": "NaCl", "case_sensitive": "y",
        "answers-0-text": "Na*", "answers-0-fraction": "50", "answers-0-feedback": "And?",
    }  # fmt: skip
    entry_id = _create(client, form)
    assert _data(app, entry_id) == {
        "answers": [
            {"text": "NaCl", "fraction": 100.0, "feedback": None},
            {"text": "Na*", "fraction": 50.0, "feedback": "And?"},
        ],
        "case_sensitive": True,
    }
    page = client.get(f"/author/questions/{entry_id}/edit").data.decode()
    assert 'value="Na*"' in page and _selected(page, "answers-0-fraction") == "50"
    assert re.search(r'name="case_sensitive"[^>]*checked|checked[^>]*name="case_sensitive"', page)


def test_short_answer_row_problems_sit_beside_their_row(app, client, instructor):  # type: ignore[no-untyped-def]
    form = {
        **BASE, "type": "short_answer", "accepted": "Cat",
        "answers-0-text": "kitten", "answers-1-text": "CAT", "answers-1-fraction": "50",
    }  # fmt: skip
    response = client.post("/author/questions/new", data=form)
    assert response.status_code == 422
    page = response.data.decode()
    assert re.search(r'id="answers-1-text-error">The answer text .{1,6}CAT.{1,6} repeats', page)
    assert 'value="kitten"' in page


NUMERIC = {**BASE, "type": "numeric", "value": "125", "tolerance": "0.5", "unit": "mL/h"}


def test_numeric_answers_and_units_with_multipliers(app, client, instructor):  # type: ignore[no-untyped-def]
    form = NUMERIC | {
        "numeric_answers-0-value": "120", "numeric_answers-0-tolerance": "5",
        "numeric_answers-0-fraction": "50", "numeric_answers-0-feedback": "Close.",
        "numeric_units-0-unit": "L/h", "numeric_units-0-multiplier": "0.001",
    }  # fmt: skip
    entry_id = _create(client, form)
    assert _data(app, entry_id) == {
        "answers": [
            {"value": 125.0, "tolerance": 0.5, "fraction": 100.0, "feedback": None},
            {"value": 120.0, "tolerance": 5.0, "fraction": 50.0, "feedback": "Close."},
        ],
        "units": [{"unit": "mL/h", "multiplier": 1.0}, {"unit": "L/h", "multiplier": 0.001}],
    }
    page = client.get(f"/author/questions/{entry_id}/edit").data.decode()
    assert re.search(r'name="numeric_answers-0-value"[^>]*value="120', page)
    assert _selected(page, "numeric_answers-0-fraction") == "50"
    assert 'value="L/h"' in page and 'value="0.001"' in page
    assert _create(client, NUMERIC | {"unit": ""}) > 0  # the unit is optional


def test_numeric_row_problems_sit_beside_their_row(app, client, instructor):  # type: ignore[no-untyped-def]
    form = NUMERIC | {"numeric_units-1-unit": "L/h", "numeric_units-1-multiplier": "-1"}
    response = client.post("/author/questions/new", data=form)
    assert response.status_code == 422
    page = response.data.decode()
    assert 'id="numeric_units-1-multiplier-error">The multiplier must be a number above 0' in page
    assert 'value="L/h"' in page
