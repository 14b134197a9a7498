"""Taking a case study: as tutor practice from the practice page and as a unit of an assigned
quiz (its six items together and in order), the exhibits each item reveals, and the result
per clinical-judgment step. Single draws never pull a case item out of its case."""

from __future__ import annotations

import random
import re
from html import unescape

import pytest
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import (
    CaseAttemptItem,
    Quiz,
    Unit,
    UnitMembership,
    User,
)
from quizapp.services import attempt_builder
from quizapp.services.errors import NotAllowed
from tests.integration.case_helpers import CASE_KEY, CASE_UIDS, bank_with_case, start_case
from tests.integration.quiz_helpers import answer, attempt_uids, topic_id, trainee


@pytest.fixture
def case_bank(app, tmp_path):  # type: ignore[no-untyped-def]
    result = app.test_cli_runner().invoke(args=["bank", "load", str(bank_with_case(tmp_path))])
    assert result.exit_code == 0, result.output


@pytest.fixture
def nurse(app, auth, case_bank) -> int:  # type: ignore[no-untyped-def]
    user_id, email, password = trainee(app)
    assert auth.login(email, password).status_code == 302
    return user_id


def _text(html: bytes) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html.decode())))


def test_a_case_practice_asks_its_six_items_in_order_with_their_steps(app, client, nurse) -> None:
    page = client.get("/practice")
    assert "Case studies" in page.data.decode() and CASE_KEY in page.data.decode()
    attempt_id = start_case(client)
    assert attempt_uids(app, attempt_id) == CASE_UIDS
    with app.app_context():
        steps = db.session.scalars(
            select(CaseAttemptItem.step)
            .where(CaseAttemptItem.attempt_id == attempt_id)
            .order_by(CaseAttemptItem.position)
        ).all()
    assert steps[0] == "recognize_cues" and steps[-1] == "evaluate_outcomes"


def test_item_pages_show_the_case_step_and_only_the_exhibits_revealed_so_far(
    app, client, nurse
) -> None:
    attempt_id = start_case(client)
    first = _text(client.get(f"/attempts/{attempt_id}/q/1").data)
    assert "Item 1 of 6 — Recognize cues" in first
    assert "A peripheral IV across a day shift" in first
    for tab in ("History and Physical", "Medication Administration Record", "Orders"):
        assert tab in first
    assert "feels tight and is starting to burn" in first  # notes-1
    assert "1400" not in first  # the 1400 note and vitals come with item 6
    assert "Updated" not in first
    fifth = _text(client.get(f"/attempts/{attempt_id}/q/5").data)
    assert "Item 5 of 6 — Take action" in fifth and "1400" not in fifth
    sixth = client.get(f"/attempts/{attempt_id}/q/6").data.decode()
    text = _text(sixth.encode())
    assert "Item 6 of 6 — Evaluate outcomes" in text
    assert "Marked area now 3 cm by 3 cm" in text  # the newer Nurses' Notes replaces the first
    assert "starting to burn" not in text
    assert 'id="exhibit-notes-6"' in sixth and 'id="exhibit-notes-1"' not in sixth
    assert sixth.count('class="exhibit-heading"') == 5 and "Updated" in text
    assert "New information in: Vital Signs, Nurses' Notes." in text
    # the vital-signs trend is a real table with header cells
    assert '<th scope="col">SpO2</th>' in sixth and '<th scope="row">1400</th>' in sixth


def test_the_result_shows_a_score_per_step_in_words(app, client, nurse) -> None:
    attempt_id = start_case(client)
    for position in range(1, 7):
        right = position not in (3, 6)  # wrong at prioritizing and at evaluating
        assert answer(client, app, attempt_id, position, correct=right).status_code == 302
    done = client.post(f"/attempts/{attempt_id}/submit", data={"confirm": "yes"})
    assert done.status_code == 302
    text = _text(client.get(f"/attempts/{attempt_id}/result").data)
    assert "By clinical-judgment step" in text
    assert "Recognize cues 1 1 of 1 (100%)" in text
    assert "Prioritize hypotheses 1 0 of 1 (0%)" in text
    assert "Take action 1 1 of 1 (100%)" in text
    assert "Evaluate outcomes 1 0 of 1 (0%)" in text
    assert text.index("Recognize cues") < text.index("Analyze cues") < text.index("Take action")
    # a retry would ask case items out of their case: not offered for them
    assert "Practise the ones I got wrong" not in text


def test_random_practice_never_draws_a_case_item(app, client, nurse) -> None:
    with app.app_context():
        user = db.session.get(User, nurse)
        topic = topic_id(app, "complications/intravenous")
        other = topic_id(app, "routes/intravenous")
        for seed in range(5):
            attempt = attempt_builder.start_practice(
                user, [topic, other], 50, "tutor", rng=random.Random(seed)
            )
            uids = {i.version.entry.uid for i in attempt.items}
            assert uids and not uids & set(CASE_UIDS)


def _quiz(app, selection) -> int:  # type: ignore[no-untyped-def]
    from quizapp.services.quizzes import create_quiz

    with app.app_context():
        unit = Unit(name="Ward 5")
        db.session.add(unit)
        db.session.flush()
        for user in db.session.scalars(select(User)):
            db.session.add(UnitMembership(unit_id=unit.id, user_id=user.id))
        db.session.commit()
        return create_quiz("Shift check", selection, mode="tutor", unit_ids=[unit.id]).id


def test_a_quiz_keeps_the_case_items_together_and_in_order(app, client, nurse) -> None:
    quiz_id = _quiz(app, {"per_topic": {"routes/intravenous": 6}, "cases": [CASE_KEY]})
    with app.app_context():
        assert db.session.get(Quiz, quiz_id).selection["cases"] == [CASE_KEY]
        user = db.session.get(User, nurse)
        starts = set()
        for seed in range(6):
            attempt = attempt_builder.start_assigned(user, quiz_id, rng=random.Random(seed))
            uids = [i.version.entry.uid for i in attempt.items]
            assert len(uids) == 12
            first = uids.index(CASE_UIDS[0])
            assert uids[first : first + 6] == CASE_UIDS, uids
            starts.add(first)
            db.session.delete(attempt)
            db.session.commit()
        assert len(starts) > 1  # the case is placed among the single questions, not always last
    response = client.post(f"/quizzes/{quiz_id}/start", data={"token": "t1"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"], follow_redirects=True)
    assert page.status_code == 200


def test_a_quiz_naming_an_unpublished_case_is_refused(app, nurse) -> None:
    from quizapp.services.errors import InvalidInput
    from quizapp.services.quizzes import validate_selection

    with app.app_context(), pytest.raises(InvalidInput, match="case-nowhere"):
        validate_selection({"cases": ["case-nowhere"]})
    with app.app_context(), pytest.raises(NotAllowed):
        from quizapp.services.case_units import published_units

        published_units(["case-nowhere"])
