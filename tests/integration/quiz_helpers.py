"""Helpers for driving quizzes through the test client like a trainee would."""

from __future__ import annotations

import re
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, select

from quizapp.domain.question_types import get_type
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptItem, QuestionEntry, QuestionVersion, Topic
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.integration.bank_folder import make_bank

SEQ = re.compile(r'name="seq" value="(\d+)"')


def load_small_bank(app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = app.test_cli_runner().invoke(args=["bank", "load", str(make_bank(tmp_path))])
    assert result.exit_code == 0, result.output


def trainee(app, email: str = "nurse@ward.example"):  # type: ignore[no-untyped-def]
    with app.app_context():
        user = UserFactory(email=email)
        return user.id, email, DEFAULT_PASSWORD


def topic_id(app, key: str) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.scalar(select(Topic.id).where(Topic.key == key))


def seq_of(html: bytes) -> int:
    match = SEQ.search(html.decode())
    assert match, "no sequence number on the page"
    return int(match.group(1))


# The small bank's questions (tests/data/every_type.yaml), answered rightly and wrongly as
# written out by hand from the file, so that grading is checked against the file and not
# against the production `correct_response`. A question is known by its own texts (the full
# bank has other questions of each type, some sharing a choice text).
SMALL_BANK_ANSWERS: dict[tuple[str, ...], tuple[dict[str, Any], dict[str, Any]]] = {
    ("Intramuscular injection", "Intravenous infusion", "Subcutaneous injection"): (
        {"answer": "b"},
        {"answer": "a"},
    ),
    ("Swelling around the site", "Skin cool to the touch", "A fast, bounding pulse"): (
        {"answer": ["a", "b"]},
        {"answer": ["c"]},
    ),
    ("No - the epidural space surrounds the spinal cord; it is not a vein.",): (
        {"answer": "false"},
        {"answer": "true"},
    ),
    ("Insulin", "Vaccine", "Blood transfusion"): (
        {"pair-1": "Subcutaneous", "pair-2": "Intramuscular", "pair-3": "Intravenous"},
        {"pair-1": "Intramuscular"},
    ),
    ("125.0", "mL/h"): ({"answer": "125"}, {"answer": "1125"}),
    ("air embolism", "venous air embolism"): (
        {"answer": "air embolism"},
        {"answer": "something else entirely"},
    ),
}


def _texts(data: dict[str, Any]) -> tuple[str, ...]:
    """The texts that tell a small-bank question apart, whatever its type."""
    if "choices" in data:
        return tuple(c["text"] for c in data["choices"])
    if "pairs" in data:
        return tuple(p["prompt"] for p in data["pairs"])
    if "feedback_true" in data:
        return (str(data["feedback_true"]),)
    if "units" in data:
        values = [str(a["value"]) for a in data["answers"]]
        return (*values, *(u["unit"] for u in data["units"]))
    return tuple(str(a.get("text")) for a in data.get("answers", []))


def fields_for(version_type: str, data: dict[str, Any], correct: bool) -> dict[str, Any]:
    """Form fields answering a question version rightly or wrongly: written out for the small
    bank's questions; for others (the full bank) derived from the question's own data."""
    literal = SMALL_BANK_ANSWERS.get(_texts(data))
    if literal is not None:
        return dict(literal[0] if correct else literal[1])
    qtype = get_type(version_type)
    right = qtype.correct_response(data)
    if version_type == "single":
        wrong = next(c["id"] for c in data["choices"] if not c["correct"])
        return {"answer": right if correct else wrong}
    if version_type == "multiple":
        wrong = [c["id"] for c in data["choices"] if not c["correct"]]
        return {"answer": right if correct else wrong}
    if version_type == "true_false":
        return {"answer": "true" if right == correct else "false"}
    if version_type == "matching":
        answers = {p["id"]: p["answer"] for p in data["pairs"]}
        if not correct:
            first = data["pairs"][0]["id"]
            others = [p["answer"] for p in data["pairs"] if p["answer"] != answers[first]]
            answers = {first: others[0]}
        return {f"pair-{k}": v for k, v in answers.items()}
    if version_type == "numeric":
        return {"answer": str(right if correct else right + 1000)}
    if version_type in NGN_GRID:
        return ngn_grid_fields(version_type, data, correct)
    if version_type in ("bowtie", "highlight"):  # wrong: only the ids that are not the key
        ids = {c["id"] for c in qtype.counted_choices(data)} - set(qtype.choice_keys(data, right))
        return qtype.response_fields(right if correct else _wrong_picks(version_type, ids))
    return {"answer": right if correct else "something else entirely"}


NGN_GRID = ("matrix", "cloze", "ordering")


def ngn_grid_fields(version_type: str, data: dict[str, Any], correct: bool) -> dict[str, Any]:
    """Form fields for a matrix, cloze or ordering version, from its own data: all right, or
    wrong in every part (another column or option; the steps reversed)."""
    if version_type == "matrix":
        return {
            f"row-{row['id']}": row["correct"] if correct
            else [c for c in data["columns"] if c not in row["correct"]][:1]
            for row in data["rows"]
        }  # fmt: skip
    if version_type == "cloze":
        return {
            f"blank-{b['id']}": b["correct"] if correct
            else next(o for o in b["options"] if o != b["correct"])
            for b in data["blanks"]
        }  # fmt: skip
    order = get_type("ordering").correct_response(data)
    order = order if correct else order[::-1]
    return {f"pos-{sid}": str(n) for n, sid in enumerate(order, 1)}


def _wrong_picks(version_type: str, wrong: set[str]) -> object:
    if version_type == "highlight":
        return sorted(wrong)[:1]
    first = {prefix: sorted(i for i in wrong if i[0] == prefix) for prefix in "acp"}
    return {"condition": first["c"][0], "actions": first["a"][:2], "parameters": first["p"][:2]}


def item_at(app, attempt_id: int, position: int) -> tuple[str, dict[str, Any]]:  # type: ignore[no-untyped-def]
    with app.app_context():
        item = db.session.scalar(
            select(AttemptItem).where(
                AttemptItem.attempt_id == attempt_id, AttemptItem.position == position
            )
        )
        return item.version.type, item.version.data


def latest_attempt(app, user_id: int) -> Attempt:  # type: ignore[no-untyped-def]
    with app.app_context():
        attempt = db.session.scalar(
            select(Attempt).where(Attempt.user_id == user_id).order_by(Attempt.number.desc())
        )
        db.session.expunge(attempt)
        return attempt


def start_practice(client, topics: list[int], length: int = 5, mode: str = "tutor") -> int:  # type: ignore[no-untyped-def]
    page = client.get("/practice")
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', page.data.decode())
    assert token, page.data.decode()
    response = client.post(
        "/practice",
        data={"topics": topics, "length": length, "mode": mode, "token": token.group(1)},
    )
    assert response.status_code == 302, response.data.decode()
    match = re.search(r"/attempts/(\d+)/q/1", response.headers["Location"])
    assert match
    return int(match.group(1))


def answer(client, app, attempt_id: int, position: int, correct: bool = True):  # type: ignore[no-untyped-def]
    page = client.get(f"/attempts/{attempt_id}/q/{position}")
    assert page.status_code == 200, page.data.decode()
    qtype, data = item_at(app, attempt_id, position)
    fields = fields_for(qtype, data, correct)
    return client.post(
        f"/attempts/{attempt_id}/q/{position}", data={**fields, "seq": seq_of(page.data)}
    )


def assert_prefilled(html: str, version_type: str, fields: dict[str, Any]) -> None:
    """The page shows the saved answer `fields` already filled in."""
    for name, value in fields.items():
        values = value if isinstance(value, list) else [value]
        for one in values:
            if version_type in ("single", "multiple", "true_false"):
                pattern = rf'name="{name}" value="{re.escape(str(one))}"[^>]*checked'
            elif version_type == "matching":
                pattern = rf'<option value="{re.escape(str(one))}" selected>'
            else:
                pattern = rf'name="{name}"[^>]*value="{re.escape(str(one))}"'
            assert re.search(pattern, html), (name, one)


def signed_in_trainee(app, auth, tmp_path) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """The small bank loaded and a trainee signed in: (the trainee's id, routes/intravenous)."""
    load_small_bank(app, tmp_path)
    user_id, email, password = trainee(app)
    assert auth.login(email, password).status_code == 302
    return user_id, topic_id(app, "routes/intravenous")


def attempt_uids(app, attempt_id: int) -> list[str]:  # type: ignore[no-untyped-def]
    """The question ids of an attempt's items, in their order."""
    with app.app_context():
        return list(
            db.session.scalars(
                select(QuestionEntry.uid)
                .join(QuestionVersion, QuestionVersion.entry_id == QuestionEntry.id)
                .join(AttemptItem, AttemptItem.version_id == QuestionVersion.id)
                .where(AttemptItem.attempt_id == attempt_id)
                .order_by(AttemptItem.position)
            )
        )


@contextmanager
def count_queries(app):  # type: ignore[no-untyped-def]
    """Count the statements the app's engine runs inside the block (`counter["n"]`)."""
    counter = {"n": 0}
    with app.app_context():
        engine = db.engine

    def on_execute(*_args: object) -> None:
        counter["n"] += 1

    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)
