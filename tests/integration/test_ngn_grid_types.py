"""Matrix, cloze and ordering through the app: the bank loads the samples; a tutor practice
answers each type through the real POST and its feedback says per row, drop-down or pair of
steps what was right; wrong posts are refused and re-filled; the result page repeats it; an
instructor authors each type through the form; item analysis works on their fractions."""

from __future__ import annotations

import dataclasses
import math
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from quizapp.domain.types import get_type
from quizapp.extensions import db
from quizapp.models import AttemptItem, QuestionEntry, Response, Role
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.integration.bank_folder import make_bank
from tests.integration.quiz_helpers import seq_of, start_practice, topic_id, trainee

SAMPLES = Path(__file__).resolve().parents[2] / "question_bank" / "questions" / "complications"
SAMPLES = SAMPLES / "ngn-grid-samples.yaml"


def _load(app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    bank = make_bank(tmp_path, {"complications/ngn.yaml": SAMPLES.read_text()})
    result = app.test_cli_runner().invoke(args=["bank", "load", str(bank)])
    assert result.exit_code == 0, result.output


def _items(app, attempt_id: int) -> dict[str, tuple[int, str, dict]]:  # type: ignore[no-untyped-def]
    """uid -> (position, type, data) of the attempt's items."""
    with app.app_context():
        items = db.session.scalars(select(AttemptItem).where(AttemptItem.attempt_id == attempt_id))
        return {i.version.entry.uid: (i.position, i.version.type, i.version.data) for i in items}


def _marks(app, attempt_id: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    with app.app_context():
        rows = db.session.execute(
            select(QuestionEntry.uid, Response.mark)
            .join(AttemptItem, Response.item_id == AttemptItem.id)
            .join(AttemptItem.version)
            .join(QuestionEntry)
            .where(Response.attempt_id == attempt_id)
        )
        return {uid: mark for uid, mark in rows}


def _order(data: dict) -> list[str]:
    return get_type("ordering").correct_response(data)


def _positions(order: list[str]) -> dict[str, str]:
    return {f"pos-{sid}": str(n) for n, sid in enumerate(order, 1)}


# What each sample is answered with (from its own data, partly wrong by design), the mark that
# earns by the documented rule, and words its feedback must hold.
def _answers(items: dict[str, tuple[int, str, dict]]) -> dict[str, tuple[dict, float, list[str]]]:
    o5, o6 = _order(items["ngng-005"][2]), _order(items["ngng-006"][2])
    every = ["Infiltration", "Phlebitis", "Fluid volume overload"]
    return {
        "ngng-001": (  # row 2 wrong of 5: 0/1 per row
            {"row-1": "Indicated", "row-2": "Indicated", "row-3": "Indicated",
             "row-4": "Contraindicated", "row-5": "Indicated"}, 0.8,
            ["Partly correct (80%)", "4 of 5 rows right",
             "Not right:</strong>\n    <span class=\"part-label\">Flush the cannula firmly",
             "you chose Indicated; right: Contraindicated."],
        ),
        "ngng-002": (  # every cell ticked: 6 right, 9 wrong, floored at 0
            {f"row-{n}": every for n in range(1, 6)}, 0.0, ["Not correct.", "0 of 5 rows right"],
        ),
        "ngng-003": (
            {"blank-1": "infiltration", "blank-2": "flush the cannula to clear it"}, 0.5,
            ["Partly correct (50%)", "1 of 2 drop-downs right",
             "Correct text</dt> <dd class=\"cloze-text\">", "<strong>stop the infusion</strong>"],
        ),
        "ngng-004": (
            {"blank-1": "fluid volume overload", "blank-2": "sitting upright"}, 1.0,
            ["Correct.", "2 of 2 drop-downs right"],
        ),
        "ngng-005": (  # the first step moved to the end: 2 of 3 pairs
            _positions([*o5[1:], o5[0]]), 2 / 3,
            ["Partly correct (67%)", "2 of 3 steps followed by the right next step",
             "<strong class=\"part-word\">Not right:</strong>"],
        ),
        "ngng-006": (_positions(o6[::-1]), 0.0, ["Not correct.", "Correct order"]),
    }  # fmt: skip


@pytest.fixture
def practice(app, client, auth, tmp_path):  # type: ignore[no-untyped-def]
    _load(app, tmp_path)
    _, email, password = trainee(app)
    assert auth.login(email, password).status_code == 302
    topics = [
        topic_id(app, "complications/intravenous"),
        topic_id(app, "complications/transfusion"),
    ]
    attempt_id = start_practice(client, topics, length=6, mode="tutor")
    return attempt_id, _items(app, attempt_id)


def test_the_bank_loads_the_samples_with_their_types(app, tmp_path) -> None:
    _load(app, tmp_path)
    with app.app_context():
        kinds = {e.uid: e.current.type for e in db.session.scalars(select(QuestionEntry))}
    assert kinds == {
        "ngng-001": "matrix", "ngng-002": "matrix", "ngng-003": "cloze",
        "ngng-004": "cloze", "ngng-005": "ordering", "ngng-006": "ordering",
    }  # fmt: skip


def test_tutor_practice_answers_each_type_and_says_per_part_what_was_right(
    app, client, practice
) -> None:
    attempt_id, items = practice
    assert len(items) == 6
    for uid, (fields, _mark, words) in _answers(items).items():
        position = items[uid][0]
        page = client.get(f"/attempts/{attempt_id}/q/{position}")
        sent = client.post(
            f"/attempts/{attempt_id}/q/{position}", data={**fields, "seq": seq_of(page.data)}
        )
        assert sent.status_code == 302, (uid, sent.data.decode()[:3000])
        shown = client.get(sent.headers["Location"]).data.decode()
        for expected in words:
            assert expected in shown, (uid, expected)
    assert _marks(app, attempt_id) == pytest.approx(
        {uid: a[1] for uid, a in _answers(items).items()}
    )
    review = client.get(f"/attempts/{attempt_id}/review")
    done = client.post(
        f"/attempts/{attempt_id}/submit", data={"seq": seq_of(review.data), "confirm": "yes"}
    )
    result = client.get(done.headers["Location"]).data.decode()
    assert "4 of 5 rows right" in result and "1 of 2 drop-downs right" in result
    assert "2 of 3 steps followed by the right next step" in result


def test_the_answer_widgets_are_labelled_per_row_blank_and_step(client, practice) -> None:
    attempt_id, items = practice
    grid = client.get(f"/attempts/{attempt_id}/q/{items['ngng-001'][0]}").data.decode()
    assert (
        '<legend class="matrix-legend">Stop the infusion and disconnect the tubing</legend>' in grid
    )
    assert re.search(r'type="radio" name="row-1" value="Indicated" id="row-1-1"', grid)
    assert (
        '<label for="row-1-1"><span class="visually-hidden">Stop the infusion and '
        'disconnect the tubing: </span><span class="matrix-col-name">Indicated</span>'
    ) in grid
    multi = client.get(f"/attempts/{attempt_id}/q/{items['ngng-002'][0]}").data.decode()
    assert 'type="checkbox" name="row-3"' in multi and 'type="radio"' not in multi
    cloze = client.get(f"/attempts/{attempt_id}/q/{items['ngng-003'][0]}").data.decode()
    assert (
        '<label class="visually-hidden" for="blank-1">Blank 1</label><select name="blank-1"'
        in cloze
    )
    assert "most likely experiencing <label" in cloze  # the select sits inside the sentence
    steps = client.get(f"/attempts/{attempt_id}/q/{items['ngng-005'][0]}").data.decode()
    shown = re.findall(r'<select name="pos-(s[0-9a-f]{8})"', steps)
    right = _order(items["ngng-005"][2])
    assert sorted(shown) == sorted(right) and shown != right  # shuffled, never in order
    assert steps.count('<option value="4"') == 4 and 'value="5"' not in steps


@pytest.mark.parametrize(
    ("uid", "fields", "message"),
    [
        ("ngng-001", {"row-1": ["Indicated", "Contraindicated"]}, "Choose one column in each row"),
        ("ngng-001", {"row-9": ["Indicated"]}, "names a grid row this question does not have"),
        ("ngng-003", {"blank-1": ["sitting upright"]}, "names a drop-down option"),
        ("ngng-003", {}, "Choose an option in at least one drop-down"),
        ("ngng-005", "duplicate", "Two steps have the same position"),
        ("ngng-005", "gap", "Give every step a position from 1 to 4"),
    ],
)
def test_wrong_posts_are_refused_re_filled_and_save_nothing(
    app, client, practice, uid: str, fields: object, message: str
) -> None:
    attempt_id, items = practice
    position, _, data = items[uid]
    if fields in ("duplicate", "gap"):
        order = _order(data)
        fields = _positions(order) | {f"pos-{order[3]}": "1" if fields == "duplicate" else ""}
    page = client.get(f"/attempts/{attempt_id}/q/{position}")
    sent = client.post(
        f"/attempts/{attempt_id}/q/{position}",
        data={**fields, "seq": seq_of(page.data)},  # type: ignore[dict-item]
    )
    assert sent.status_code == 422
    text = sent.data.decode()
    assert message in text and 'role="alert"' in text
    if "names a" not in message:  # what was given (and offered) stays filled in, to fix
        for name, value in fields.items():
            for one in [v for v in (value if isinstance(value, list) else [value]) if v]:
                within = r"(?:(?!</select>|<input).)*?"  # inside this select or input
                on = r'(?:selected|id="[^"]+"\s+checked)'
                kept = rf'name="{name}"{within}value="{re.escape(one)}" {on}'
                assert re.search(kept, text, re.S), (name, one)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Response)) == 0


# --- authoring -------------------------------------------------------------------------------

BASE = {
    "stem": "A nurse assesses a peripheral IV site.",
    "rationale": "Because the signs say so.",
    "difficulty": "2",
    "topic": "complications/intravenous",
    "cites": ["complications/intravenous"],
}
GOOD = {
    "matrix": {
        "type": "matrix", "matrix_mode": "single",
        "matrix_columns": "Indicated\nContraindicated",
        "matrix_rows": "Stop the infusion | Indicated | First.\n"
                       "Flush the cannula | contraindicated\nElevate the limb | Indicated",
    },
    "cloze": {
        "type": "cloze", "cloze_text": "The client has {{1}}.",
        "cloze_blanks": "1 | infiltration; phlebitis; air embolism | infiltration",
    },
    "ordering": {"type": "ordering", "ordering_steps": "Stop\nDisconnect\nAspirate\nRemove"},
}  # fmt: skip
SAVED = {
    "matrix": {
        "mode": "single", "columns": ["Indicated", "Contraindicated"],
        "rows": [
            {"id": "1", "text": "Stop the infusion", "correct": ["Indicated"],
             "feedback": "First."},
            {"id": "2", "text": "Flush the cannula", "correct": ["Contraindicated"],
             "feedback": None},
            {"id": "3", "text": "Elevate the limb", "correct": ["Indicated"], "feedback": None},
        ],
    },
    "cloze": {"text": "The client has {{1}}.", "blanks": [
        {"id": "1", "options": ["infiltration", "phlebitis", "air embolism"],
         "correct": "infiltration"}
    ]},
    "ordering": {"steps": ["Stop", "Disconnect", "Aspirate", "Remove"]},
}  # fmt: skip
BAD = [
    ("matrix",
     {"matrix_rows": "Stop | Indicated; Contraindicated\nFlush | Indicated\nRaise | Maybe"},
     "matrix_rows", ["Row 1: in a single grid each row has exactly one correct column.",
                     "Row 3: &#39;Maybe&#39; is not one of the columns."]),
    ("matrix", {"matrix_columns": "Only one"}, "matrix_columns", ["Give 2 to 5 columns"]),
    ("cloze", {"cloze_text": "The client has {{1}} and {{2}}."}, "cloze_text",
     ["The place {{2}} has no drop-down in blanks."]),
    ("cloze", {"cloze_blanks": "1 | infiltration; phlebitis | sepsis"}, "cloze_blanks",
     ["Give drop-down 1 a list of 3 to 5 options.", "is not an option of drop-down 1"]),
    ("ordering", {"ordering_steps": "Stop\nRemove"}, "ordering_steps", ["Give 3 to 7 steps"]),
]  # fmt: skip


@pytest.fixture
def author(app, auth, tmp_path):  # type: ignore[no-untyped-def]
    _load(app, tmp_path)
    with app.app_context():
        UserFactory(email="author@ward.example", role=Role.INSTRUCTOR)
    auth.login("author@ward.example", DEFAULT_PASSWORD)


@pytest.mark.parametrize("kind", list(GOOD))
def test_an_instructor_authors_each_type_and_it_reads_back_into_the_form(
    app, client, author, kind: str
) -> None:
    response = client.post("/author/questions/new", data={**BASE, **GOOD[kind]})
    assert response.status_code == 302, response.data.decode()[:3000]
    entry_id = int(re.search(r"/author/questions/(\d+)", response.headers["Location"]).group(1))
    with app.app_context():
        version = db.session.get(QuestionEntry, entry_id).current
        assert (version.type, version.data) == (kind, SAVED[kind])
    edit = client.get(f"/author/questions/{entry_id}/edit").data.decode()
    first_line = next(v for k, v in GOOD[kind].items() if k != "type" and "mode" not in k)
    assert first_line.split("\n")[0].split(" | ")[0] in edit
    page = client.get(f"/author/questions/{entry_id}").data.decode()  # the key in words
    assert {"matrix": "Row 2 correct", "cloze": "Drop-down {{1}} correct",
            "ordering": "Step 4"}[kind] in page  # fmt: skip


@pytest.mark.parametrize(("kind", "change", "field", "messages"), BAD)
def test_bad_input_re_renders_with_the_error_beside_its_box_and_saves_nothing(
    app, client, author, kind: str, change: dict, field: str, messages: list[str]
) -> None:
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(QuestionEntry))
    response = client.post("/author/questions/new", data={**BASE, **GOOD[kind], **change})
    assert response.status_code == 422
    text = response.data.decode()
    beside = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', text)
    assert beside, text[:4000]
    for message in messages:
        assert message in beside.group(1)
    assert f'aria-describedby="{field}-error"' in text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(QuestionEntry)) == before


# --- item analysis -----------------------------------------------------------------------------

# Four trainees: the matrix grid with 5, 4, 2 and 0 rows right; the ordering with 3, 2, 1 and
# 0 of its 3 pairs right. The statistics must equal the oracle's on those fractions.
GRID_RIGHT = [5, 4, 2, 0]
ORDER_PLANS = ["right", "first-last", "swap", "reversed"]


def _grid_fields(rows_right: int) -> dict[str, list[str]]:
    key = ["Indicated", "Contraindicated", "Indicated", "Contraindicated", "Indicated"]
    flip = {"Indicated": "Contraindicated", "Contraindicated": "Indicated"}
    return {f"row-{n}": [c if n <= rows_right else flip[c]] for n, c in enumerate(key, 1)}


def _order_fields(ids: list[str], plan: str) -> dict[str, list[str]]:
    order = {
        "right": ids,
        "first-last": [*ids[1:], ids[0]],  # 2 of 3 pairs
        "swap": [ids[1], ids[0], ids[2], ids[3]],  # only the last pair: 1 of 3
        "reversed": ids[::-1],
    }[plan]
    return {f"pos-{sid}": [str(n)] for n, sid in enumerate(order, 1)}


def test_item_analysis_works_on_the_fractions(app, tmp_path) -> None:
    from quizapp.queries.item_analysis import quiz_report
    from quizapp.services import attempt_builder, attempts
    from quizapp.services.quizzes import assign_quiz, create_quiz
    from tests.factories import MembershipFactory, UnitFactory
    from tests.oracles.stats_oracle import item_statistics

    _load(app, tmp_path)
    with app.app_context():
        unit = UnitFactory()
        quiz = create_quiz("Grid and order", {"fixed": ["ngng-001", "ngng-005"]}, pass_mark=50)
        assign_quiz(quiz.id, unit.id)
        stored: list[list[float]] = []
        for n, (rows_right, plan) in enumerate(zip(GRID_RIGHT, ORDER_PLANS, strict=True)):
            user = UserFactory(email=f"t{n}@ward.example")
            MembershipFactory(unit=unit, user=user)
            attempt = attempt_builder.start_assigned(user, quiz.id)
            for item in sorted(attempt.items, key=lambda i: i.position):
                data = item.version.data
                fields = (
                    _grid_fields(rows_right)
                    if "rows" in data
                    else _order_fields(_order(data), plan)
                )
                attempts.save_answer(user, attempt.id, item.position, attempt.seq, fields)
                db.session.refresh(attempt)
            attempts.submit(user, attempt.id, None)
            stored.append(
                [i.response.mark for i in sorted(attempt.items, key=lambda i: i.position)]
            )
        report = quiz_report(quiz.id)
    marks = [[r / 5, p / 3] for r, p in zip(GRID_RIGHT, [3, 2, 1, 0], strict=True)]
    assert stored == [pytest.approx(row, abs=1e-5) for row in marks]  # the documented rules
    expected = item_statistics(stored, [1.0, 1.0])  # the oracle, on the marks as stored
    # Close, not equal: the sums' mark histograms key marks to 4 decimals (stats_sums._key),
    # so a mark of 2/3 moves the discriminative efficiency by about 0.002 points.
    assert _close(report.quiz, expected)
    grid = next(v for v in report.versions if v.uid == "ngng-001")
    assert grid.stats.facility == pytest.approx(100 * sum(GRID_RIGHT) / 20)
    assert _close(grid.stats.discrimination_index, expected.questions[0].discrimination_index)
    assert grid.choices == []  # no choice counts for a grid: its rows are scored as a whole


def _close(a: object, b: object) -> bool:
    if dataclasses.is_dataclass(a) and dataclasses.is_dataclass(b):
        return _close(dataclasses.astuple(a), dataclasses.astuple(b))  # type: ignore[arg-type]
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-4, abs_tol=1e-9)
    return a == b


def test_bank_coverage_counts_the_new_types(app, tmp_path) -> None:
    import json

    _load(app, tmp_path)
    result = app.test_cli_runner().invoke(args=["bank", "coverage", "--format", "json"])
    # (exit code 1: this six-item bank leaves the sections' minimums unmet)
    by_type = json.loads(result.stdout)["totals"]["by_type"]
    assert (by_type["matrix"], by_type["cloze"], by_type["ordering"]) == (2, 2, 2)


def test_the_instructor_preview_shows_the_steps_shuffled_and_checks_an_order(
    app, client, author
) -> None:
    with app.app_context():
        entry = db.session.scalar(select(QuestionEntry).where(QuestionEntry.uid == "ngng-005"))
        entry_id, data = entry.id, dict(entry.current.data)
    right = _order(data)
    page = client.get(f"/author/questions/{entry_id}/preview").data.decode()
    shown = re.findall(r'<select name="pos-(s[0-9a-f]{8})"', page)
    assert sorted(shown) == sorted(right) and shown != right  # no frozen order: still not right
    checked = client.post(
        f"/author/questions/{entry_id}/preview", data={k: [v] for k, v in _positions(right).items()}
    ).data.decode()
    assert "Correct." in checked and "3 of 3 steps followed by the right next step" in checked


@pytest.mark.parametrize(("fmt", "name"), [("gift", "GIFT"), ("moodle-xml", "Moodle XML")])
def test_the_web_export_names_what_it_left_out(client, author, fmt: str, name: str) -> None:
    response = client.get(f"/author/export?format={fmt}")
    assert response.status_code == 200
    text = response.data.decode()
    assert f"6 question(s) left out, not expressible in {name}:" in text
    assert "ngng-005 (ordering): An ordering question is not expressible" in text
    assert '<question type="matrix"' not in text and "::ngng-001::" not in text
