"""The pure rules of case studies: step order, the reveal rule, per-step scoring, placement
of a case as a unit, and the case file reader's checks (no database)."""

from __future__ import annotations

import random
from functools import lru_cache
from pathlib import Path

import pytest

from quizapp.bank.case_reader import read_case_file
from quizapp.bank.reader import read_bank
from quizapp.bank.specs import Problem
from quizapp.domain.case_placement import place_units
from quizapp.domain.case_steps import (
    STEPS,
    Exhibit,
    StepMark,
    revealed_tabs,
    step_problems,
    step_scores,
    step_words,
)

ROOT = Path(__file__).resolve().parents[2]
CASE_FILE = ROOT / "question_bank" / "cases" / "iv-vesicant-shift.yaml"


def test_the_six_steps_in_cjmm_order_pass() -> None:
    assert step_problems(list(STEPS)) == []
    assert [step_words(s) for s in STEPS][::5] == ["Recognize cues", "Evaluate outcomes"]


def test_steps_out_of_order_unknown_or_too_few_are_named_by_item() -> None:
    swapped = list(STEPS)
    swapped[1], swapped[2] = swapped[2], swapped[1]
    assert [i for i, _ in step_problems(swapped)] == [1, 2]
    assert "item 2 must be step 'analyze_cues'" in step_problems(swapped)[0][1]
    unknown = [*STEPS[:5], "reflect"]
    assert step_problems(unknown) == [(5, f"step 'reflect' is not one of {', '.join(STEPS)}")]
    assert step_problems(list(STEPS[:5]))[0] == (-1, "a case needs exactly 6 items, not 5")
    assert step_problems([*STEPS, "evaluate_outcomes"])[0][0] == -1


EXHIBITS = [
    Exhibit("hp", "History and Physical", 1, "history"),
    Exhibit("vs-1", "Vital Signs", 1, table={"columns": ["Time"], "rows": [["0800"]]}),
    Exhibit("notes-1", "Nurses' Notes", 1, "first note"),
    Exhibit("labs", "Laboratory Results", 3, "labs"),
    Exhibit("notes-4", "Nurses' Notes", 4, "second note"),
    Exhibit("notes-5", "Nurses' Notes", 5, "third note"),
]


def test_an_item_shows_the_exhibits_revealed_up_to_it_newest_per_tab_in_tab_order() -> None:
    first = revealed_tabs(EXHIBITS, 1)
    assert [(t.tab, t.exhibit.id, t.updated) for t in first] == [
        ("History and Physical", "hp", False),
        ("Vital Signs", "vs-1", False),
        ("Nurses' Notes", "notes-1", False),
    ]
    third = revealed_tabs(EXHIBITS, 3)
    assert [t.exhibit.id for t in third] == ["hp", "vs-1", "notes-1", "labs"]
    assert [t.updated for t in third] == [False, False, False, True]
    fourth = revealed_tabs(EXHIBITS, 4)
    assert [t.exhibit.id for t in fourth] == ["hp", "vs-1", "notes-4", "labs"]
    assert [t.tab for t in fourth if t.updated] == ["Nurses' Notes"]
    sixth = revealed_tabs(EXHIBITS, 6)
    assert [t.exhibit.id for t in sixth] == ["hp", "vs-1", "notes-5", "labs"]
    assert not any(t.updated for t in sixth)  # nothing new at item 6


def test_a_later_exhibit_of_the_same_tab_and_item_wins() -> None:
    same = [Exhibit("a", "Orders", 2, "old"), Exhibit("b", "Orders", 2, "new")]
    assert [t.exhibit.id for t in revealed_tabs(same, 2)] == ["b"]
    assert revealed_tabs(same, 1) == []


def test_exhibits_round_trip_through_their_stored_form() -> None:
    for exhibit in EXHIBITS:
        assert Exhibit.from_dict(exhibit.as_dict()) == exhibit
    assert "text" not in EXHIBITS[1].as_dict()


def test_scores_per_step_are_marks_over_maxima_in_cjmm_order() -> None:
    marks = [
        StepMark("evaluate_outcomes", 0.5),
        StepMark("recognize_cues", 1.0),
        StepMark("recognize_cues", None),  # unanswered counts 0
        StepMark("take_action", 2.0, 2.0),
        StepMark("take_action", 0.0, 2.0),
    ]
    scores = step_scores(marks)
    assert [s.step for s in scores] == ["recognize_cues", "take_action", "evaluate_outcomes"]
    recognize, action, evaluate = scores
    assert (recognize.items, recognize.marks, recognize.max_marks) == (2, 1.0, 2.0)
    assert recognize.percent == pytest.approx(50.0)
    assert action.fraction == pytest.approx(0.5)
    assert evaluate.percent == pytest.approx(50.0) and evaluate.words == "Evaluate outcomes"
    assert step_scores([]) == []


def test_a_unit_stays_whole_and_in_order_and_singles_keep_their_order() -> None:
    singles = list("abcdefgh")
    unit_one, unit_two = [1, 2, 3, 4, 5, 6], [10, 20, 30, 40, 50, 60]
    seen_starts = set()
    for seed in range(40):
        placed = place_units(singles, [unit_one, unit_two], random.Random(seed))
        assert len(placed) == 20
        assert [x for x in placed if isinstance(x, str)] == singles
        start = placed.index(1)
        assert placed[start : start + 6] == unit_one
        second = placed.index(10)
        assert placed[second : second + 6] == unit_two and second > start
        seen_starts.add(start)
    assert len(seen_starts) > 3
    assert place_units([], [unit_one], random.Random(1)) == unit_one
    assert place_units(singles, [], random.Random(1)) == singles


@lru_cache(maxsize=1)
def _keys() -> tuple[set[str], set[str]]:
    content, _ = read_bank(ROOT / "question_bank")
    return content.section_keys(), content.topic_keys()


def _read(tmp_path: Path, text: str) -> tuple[object, list[Problem]]:
    path = tmp_path / "case.yaml"
    path.write_text(text)
    problems: list[Problem] = []
    case, _questions = read_case_file(path, "case.yaml", *_keys(), problems)
    return case, problems


def test_the_project_case_reads_cleanly_with_its_items_as_questions(tmp_path) -> None:
    content, problems = read_bank(ROOT / "question_bank")
    assert problems == []
    (case,) = [c for c in content.cases if c.key == "case-iv-vesicant"]
    assert [i.step for i in case.items] == list(STEPS)
    uids = {i.uid for i in case.items}
    items = [q for q in content.questions if q.uid in uids]
    assert len(items) == 6 and {q.topic for q in items} == {case.topic}
    assert all(q.rationale and q.cites for q in items)


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("      tab: Orders\n", "      tab: Orders\n      text2: x\n", "unknown field 'text2'"),
        ("  title: A peripheral", "  titel: A peripheral", "unknown field 'titel'"),
        (
            "      tab: Orders\n      text: >-",
            "      tab: Orders\n      table:\n        columns: [A]\n        rows: [[x]]\n"
            "      text: >-",
            "either 'text' or 'table'",
        ),
        (
            "    - step: recognize_cues\n",
            "    - step: recognize_cues\n      topic: routes/intravenous\n",
            "takes the case's topic",
        ),
        (
            "      id: case-ivv-3\n",
            "      id: case-ivv-3\n      status: draft\n",
            "a published case's items are published",
        ),
    ],
)
def test_a_broken_case_is_refused_whole_with_the_problem_named(tmp_path, old, new, words) -> None:
    text = CASE_FILE.read_text()
    assert old in text
    case, problems = _read(tmp_path, text.replace(old, new, 1))
    assert case is None
    assert any(words in p.message for p in problems), problems
    assert all(p.file == "case.yaml" and p.line > 0 for p in problems)
