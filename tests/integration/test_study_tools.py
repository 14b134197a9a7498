"""Study tools on an attempt: flag a question, strike out a choice, the confirm step before
submitting. Each is refused on a closed attempt and is a 404 on another trainee's."""

from __future__ import annotations

import re

from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Attempt, AttemptItem, AttemptStatus
from tests.integration.quiz_helpers import (
    answer,
    fields_for,
    item_at,
    load_small_bank,
    seq_of,
    start_practice,
    topic_id,
    trainee,
)
from tests.integration.test_manager_dashboard import count_queries

PASSWORD = "correct horse battery staple"
JSON = {"Accept": "application/json"}


def _signed_in(app, client, auth, tmp_path, mode: str = "exam", email: str = "nurse@ward.example"):  # type: ignore[no-untyped-def]
    load_small_bank(app, tmp_path)
    _, email, password = trainee(app, email)
    auth.login(email, password)
    return start_practice(client, [topic_id(app, "routes/intravenous")], length=6, mode=mode)


def _item(app, attempt_id: int, position: int) -> tuple[bool, list[str] | None, int]:  # type: ignore[no-untyped-def]
    """(flagged, struck, the attempt's seq) as saved."""
    with app.app_context():
        item = db.session.scalar(
            select(AttemptItem).where(
                AttemptItem.attempt_id == attempt_id, AttemptItem.position == position
            )
        )
        return item.flagged, item.struck, item.attempt.seq


def _position_of(app, attempt_id: int, type_name: str) -> int:  # type: ignore[no-untyped-def]
    for position in range(1, 7):
        if item_at(app, attempt_id, position)[0] == type_name:
            return position
    raise AssertionError(type_name)


def _choice_ids(app, attempt_id: int, position: int) -> list[str]:  # type: ignore[no-untyped-def]
    with app.app_context():
        item = db.session.scalar(
            select(AttemptItem).where(
                AttemptItem.attempt_id == attempt_id, AttemptItem.position == position
            )
        )
        return list(item.choice_order)


def _submit(client, attempt_id: int) -> None:  # type: ignore[no-untyped-def]
    seq = seq_of(client.get(f"/attempts/{attempt_id}/confirm").data)
    client.post(f"/attempts/{attempt_id}/submit", data={"seq": seq, "confirm": "yes"})


def test_flagging_keeps_the_unsent_answer_and_leaves_the_answer_form_valid(
    app, client, auth, tmp_path
) -> None:
    attempt_id = _signed_in(app, client, auth, tmp_path)
    position = _position_of(app, attempt_id, "single")
    page = client.get(f"/attempts/{attempt_id}/q/{position}")
    seq = seq_of(page.data)
    assert 'aria-pressed="false"' in page.data.decode()
    qtype, data = item_at(app, attempt_id, position)
    chosen = fields_for(qtype, data, correct=False)
    flagged = client.post(
        f"/attempts/{attempt_id}/q/{position}/flag", data={**chosen, "seq": seq, "flag": "1"}
    )
    html = flagged.data.decode()
    assert flagged.status_code == 200
    assert re.search(r'data-study-toggle="flag"[^>]*value="0"\s+aria-pressed="true"', html)
    assert re.search(rf'value="{chosen["answer"]}" id="choice-[^"]+"\s+checked', html)  # kept
    assert _item(app, attempt_id, position) == (True, None, seq)  # seq untouched
    assert seq_of(flagged.data) == seq
    # the form the trainee had open is still good: its answer is accepted, not stale
    saved = client.post(f"/attempts/{attempt_id}/q/{position}", data={**chosen, "seq": seq})
    assert saved.status_code == 302
    assert saved.headers["Location"].endswith(f"/q/{position + 1}" if position < 6 else "/review")


def test_flag_in_place_answers_json_and_unflags(app, client, auth, tmp_path) -> None:
    attempt_id = _signed_in(app, client, auth, tmp_path, mode="tutor")
    on = client.post(f"/attempts/{attempt_id}/q/2/flag", data={"flag": "1"}, headers=JSON)
    assert on.get_json() == {"flagged": True}
    assert _item(app, attempt_id, 2)[0] is True
    again = client.post(f"/attempts/{attempt_id}/q/2/flag", data={"flag": "1"}, headers=JSON)
    assert again.get_json() == {"flagged": True}  # set, not toggled: a double click is one
    off = client.post(f"/attempts/{attempt_id}/q/2/flag", data={"flag": "0"}, headers=JSON)
    assert off.get_json() == {"flagged": False}
    assert _item(app, attempt_id, 2)[0] is False


def test_a_flagged_question_is_in_the_navigation_and_on_the_review_page(
    app, client, auth, tmp_path
) -> None:
    attempt_id = _signed_in(app, client, auth, tmp_path)
    answer(client, app, attempt_id, 1)
    client.post(f"/attempts/{attempt_id}/q/3/flag", data={"flag": "1"}, headers=JSON)
    question = client.get(f"/attempts/{attempt_id}/q/1").data.decode()
    assert re.search(
        rf'Flagged questions:\s*<a href="/attempts/{attempt_id}/q/3"><span class="visually-hidden">'
        r"Question </span>3</a>",
        question,
    )
    review = client.get(f"/attempts/{attempt_id}/review").data.decode()
    assert "1 of 6 questions answered" in review
    assert "5 not answered" in review and "1 flagged for review" in review
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", review))
    assert re.search(r"Question 1 : ✓ answered\s", text)
    assert re.search(r"Question 3 : ○ not answered · ⚑ flagged", text)
    assert not re.search(r"Question 2 : ○ not answered · ⚑ flagged", text)


def test_striking_out_a_choice_saves_it_and_keeps_the_unsent_answer(
    app, client, auth, tmp_path
) -> None:
    attempt_id = _signed_in(app, client, auth, tmp_path)
    position = _position_of(app, attempt_id, "multiple")
    order = _choice_ids(app, attempt_id, position)
    page = client.get(f"/attempts/{attempt_id}/q/{position}")
    seq = seq_of(page.data)
    assert 'aria-pressed="false">Strike out<span class="visually-hidden"> choice A' in (
        page.data.decode()
    )
    url = f"/attempts/{attempt_id}/q/{position}/strike"
    form = {"answer": [order[0]], "seq": seq}
    client.post(url, data={**form, "strike_on": order[2]})
    struck = client.post(url, data={**form, "strike_on": order[1]})
    html = struck.data.decode()
    assert struck.status_code == 200
    assert _item(app, attempt_id, position) == (False, [order[1], order[2]], seq)  # page order
    assert re.search(rf'class="struck" data-choice="{order[1]}"', html)
    assert re.search(
        rf'name="strike_off" value="{order[1]}"\s+aria-pressed="true">Strike out'
        r'<span class="visually-hidden"> choice B',
        html,
    )
    assert re.search(rf'value="{order[0]}" id="choice-{order[0]}"\s+checked', html)  # kept
    restored = client.post(url, data={"strike_off": order[2]}, headers=JSON)
    assert restored.get_json() == {"struck": [order[1]]}
    assert _item(app, attempt_id, position)[1] == [order[1]]
    assert 'class="struck"' in client.get(f"/attempts/{attempt_id}/q/{position}").data.decode()


def test_true_or_false_can_be_struck_out(app, client, auth, tmp_path) -> None:
    attempt_id = _signed_in(app, client, auth, tmp_path)
    position = _position_of(app, attempt_id, "true_false")
    url = f"/attempts/{attempt_id}/q/{position}/strike"
    assert client.post(url, data={"strike_on": "true"}, headers=JSON).get_json() == {
        "struck": ["true"]
    }
    assert 'aria-pressed="true">Strike out<span class="visually-hidden"> True' in (
        client.get(f"/attempts/{attempt_id}/q/{position}").data.decode()
    )


def test_a_choice_the_question_does_not_have_is_refused(app, client, auth, tmp_path) -> None:
    attempt_id = _signed_in(app, client, auth, tmp_path)
    position = _position_of(app, attempt_id, "single")
    order = _choice_ids(app, attempt_id, position)
    url = f"/attempts/{attempt_id}/q/{position}/strike"
    client.post(url, data={"strike_on": order[0]}, headers=JSON)
    for bad in ("zz", "x" * 5000, "", "true"):
        refused = client.post(url, data={"answer": order[1], "strike_on": bad})
        assert refused.status_code == 422
        html = refused.data.decode()
        assert "That is not one of this question&#39;s choices." in html
        assert re.search(rf'value="{order[1]}" id="choice-[^"]+"\s+checked', html)  # kept
        assert _item(app, attempt_id, position)[1] == [order[0]]  # unchanged
    numeric = _position_of(app, attempt_id, "numeric")
    refused = client.post(
        f"/attempts/{attempt_id}/q/{numeric}/strike", data={"strike_on": "a"}, headers=JSON
    )
    assert refused.status_code == 422
    assert refused.get_json() == {"error": "Choices of this question cannot be struck out."}
    assert 'data-study-toggle="strike"' not in (
        client.get(f"/attempts/{attempt_id}/q/{numeric}").data.decode()
    )


def test_a_closed_attempt_takes_no_flag_or_strike(app, client, auth, tmp_path) -> None:
    attempt_id = _signed_in(app, client, auth, tmp_path)
    position = _position_of(app, attempt_id, "single")
    order = _choice_ids(app, attempt_id, position)
    _submit(client, attempt_id)
    base = f"/attempts/{attempt_id}/q/{position}"
    flagged = client.post(f"{base}/flag", data={"flag": "1"})
    assert flagged.status_code == 302 and flagged.headers["Location"].endswith("/result")
    page = client.get(flagged.headers["Location"]).data.decode()
    assert "This attempt is closed, so its flags and struck-out choices" in page
    struck = client.post(f"{base}/strike", data={"strike_on": order[0]}, headers=JSON)
    assert struck.status_code == 409
    assert _item(app, attempt_id, position)[:2] == (False, None)


def test_another_trainees_attempt_is_404_for_flag_strike_and_confirm(
    app, client, auth, tmp_path
) -> None:
    attempt_id = _signed_in(app, client, auth, tmp_path, email="owner@ward.example")
    position = _position_of(app, attempt_id, "single")
    order = _choice_ids(app, attempt_id, position)
    auth.logout()
    _, email, password = trainee(app, "other@ward.example")
    auth.login(email, password)
    base = f"/attempts/{attempt_id}"
    assert client.post(f"{base}/q/{position}/flag", data={"flag": "1"}).status_code == 404
    assert client.post(f"{base}/q/{position}/flag", headers=JSON).status_code == 404
    assert (
        client.post(f"{base}/q/{position}/strike", data={"strike_on": order[0]}).status_code == 404
    )
    assert client.get(f"{base}/confirm").status_code == 404
    assert client.post(f"{base}/submit", data={"seq": "0", "confirm": "yes"}).status_code == 404
    assert client.post(f"{base}/submit", data={"seq": "0"}).status_code == 404
    assert _item(app, attempt_id, position) == (False, None, 0)


def test_submitting_needs_the_confirm_step_and_loses_nothing(app, client, auth, tmp_path) -> None:
    attempt_id = _signed_in(app, client, auth, tmp_path)
    answer(client, app, attempt_id, 1)
    answer(client, app, attempt_id, 2)
    client.post(f"/attempts/{attempt_id}/q/2/flag", data={"flag": "1"}, headers=JSON)
    review = client.get(f"/attempts/{attempt_id}/review")
    seq = seq_of(review.data)
    refused = client.post(f"/attempts/{attempt_id}/submit", data={"seq": seq})
    assert refused.headers["Location"] == f"/attempts/{attempt_id}/confirm"
    confirm = client.get(refused.headers["Location"]).data.decode()
    assert "Nothing was submitted yet: check the summary below and confirm." in confirm
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", confirm))
    assert "You have 4 unanswered and 1 flagged questions." in text
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert (attempt.status, attempt.seq) == (AttemptStatus.IN_PROGRESS, 2)
        assert sum(1 for i in attempt.items if i.response is not None) == 2
    # the confirm page carries the review page's seq; an answer given since makes it stale
    page = client.get(f"/attempts/{attempt_id}/confirm?seq={seq}")
    answer(client, app, attempt_id, 3)
    stale = client.post(
        f"/attempts/{attempt_id}/submit", data={"seq": seq_of(page.data), "confirm": "yes"}
    )
    assert stale.headers["Location"].endswith("/review")
    fresh = client.get(f"/attempts/{attempt_id}/confirm?seq={seq + 1}")
    done = client.post(
        f"/attempts/{attempt_id}/submit", data={"seq": seq_of(fresh.data), "confirm": "yes"}
    )
    assert done.headers["Location"].endswith("/result")
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).status is AttemptStatus.SUBMITTED


def test_the_confirm_page_says_when_everything_is_answered(app, client, auth, tmp_path) -> None:
    attempt_id = _signed_in(app, client, auth, tmp_path)
    for position in range(1, 7):
        answer(client, app, attempt_id, position)
    text = re.sub(r"\s+", " ", client.get(f"/attempts/{attempt_id}/confirm").data.decode())
    assert "You have answered all 6 questions." in text
    assert 'name="confirm" value="yes"' in text


def _queries(app, client, path: str) -> int:  # type: ignore[no-untyped-def]
    with count_queries(app) as counter:
        assert client.get(path).status_code == 200
    return counter["n"]


def test_the_pages_queries_do_not_grow_with_flags_strikes_or_questions(
    app, client, auth, tmp_path
) -> None:
    load_small_bank(app, tmp_path)
    _, email, password = trainee(app)
    auth.login(email, password)
    iv = topic_id(app, "routes/intravenous")
    small = start_practice(client, [iv], length=2, mode="exam")
    large = start_practice(client, [iv], length=6, mode="exam")
    for position in range(1, 7):
        client.post(f"/attempts/{large}/q/{position}/flag", data={"flag": "1"}, headers=JSON)
    position = _position_of(app, large, "single")
    for choice in _choice_ids(app, large, position)[:2]:
        client.post(
            f"/attempts/{large}/q/{position}/strike", data={"strike_on": choice}, headers=JSON
        )
    for page in ("q/1", "review", "confirm"):
        assert _queries(app, client, f"/attempts/{large}/{page}") <= _queries(
            app, client, f"/attempts/{small}/{page}"
        ), page
