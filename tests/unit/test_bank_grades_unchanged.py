"""Every bank question grades its snapshot responses exactly as before the answer-model change.

tests/data/bank_grades.json was written by tests/data/make_grade_snapshot.py with the code
before issue 14's Moodle-grade answers; the bank read with today's code must give the same marks
(and the same version hashes, so that loading the bank makes no new versions).
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from quizapp.bank.reader import read_bank
from quizapp.domain.types import get_type

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = json.loads((ROOT / "tests" / "data" / "bank_grades.json").read_text())


@pytest.fixture(scope="module")
def content():  # type: ignore[no-untyped-def]
    return read_bank(ROOT / "question_bank")[0]


@pytest.fixture(scope="module")
def bank(content) -> dict:  # type: ignore[no-untyped-def]
    return {q.uid: q for q in content.questions}


def test_the_snapshot_covers_the_whole_bank(bank, content) -> None:  # type: ignore[no-untyped-def]
    """Every question of the types the snapshot knows, but the items of case studies (added
    with issue 20, after the answer-model change, so they had no marks before to keep); types
    added since (the NGN matrix, cloze, ordering, bow-tie and highlight) had none either. No
    snapshot question is gone from the bank."""
    known_types = {row["type"] for row in SNAPSHOT}
    case_items = {item.uid for case in content.cases for item in case.items}
    snapshot = {row["uid"] for row in SNAPSHOT}
    assert snapshot <= set(bank)
    older = {u for u, q in bank.items() if q.type in known_types and u not in case_items}
    assert older <= snapshot
    assert len(SNAPSHOT) > 300


def test_every_response_grades_as_before(bank) -> None:
    changed = []
    for row in SNAPSHOT:
        q = bank[row["uid"]]
        qtype = get_type(q.type)
        for response, mark in row["graded"]:
            if qtype.grade(q.data, response) != mark:
                changed.append((row["uid"], response, mark, qtype.grade(q.data, response)))
        if qtype.grade(q.data, qtype.correct_response(q.data)) != 1.0:
            changed.append((row["uid"], "correct response", 1.0, None))
    assert changed == []


def test_the_version_hashes_are_unchanged(bank) -> None:
    changed = [r["uid"] for r in SNAPSHOT if bank[r["uid"]].content_hash != r["content_hash"]]
    assert changed == []


def test_the_stored_snapshot_data_normalises_and_grades_as_before() -> None:
    """The data as stored before the change (old form), read by today's types."""
    changed = []
    for row in SNAPSHOT:
        qtype = get_type(row["type"])
        assert qtype.validate(row["data"]) == [], row["uid"]
        data = qtype.normalize(row["data"])
        changed += [
            (row["uid"], response, mark)
            for response, mark in row["graded"]
            if qtype.grade(data, response) != mark
        ]
    assert changed == []


def _migration():  # type: ignore[no-untyped-def]
    path = ROOT / "migrations" / "versions" / "0011_moodle_grade_answers.py"
    spec = importlib.util.spec_from_file_location("migration_0011", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_migration_0011_stores_the_canonical_form_and_grades_as_before() -> None:
    """The stored (old-form) data as migration 0011 converts it is what the types normalise
    to, and grades every snapshot response the same; its downgrade gives the old form back."""
    migration = _migration()
    changed = []
    for row in SNAPSHOT:
        qtype = get_type(row["type"])
        stored = migration.upgrade_data(row["type"], row["data"])
        assert stored == qtype.normalize(row["data"]), row["uid"]
        assert migration.upgrade_data(row["type"], stored) == stored  # idempotent
        assert migration.downgrade_data(row["type"], stored) == (row["data"], False), row["uid"]
        changed += [
            (row["uid"], response, mark)
            for response, mark in row["graded"]
            if qtype.grade(stored, response) != mark
        ]
    assert changed == []
