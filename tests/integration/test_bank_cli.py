"""`bank check` and `bank load` through the real CLI, on a migrated database."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import QuestionEntry, QuestionVersion, SourceSection
from tests.integration.bank_folder import DATA, make_bank
from tests.integration.snapshot import snapshot

TWO_CORRECT = """\
topic: routes/intravenous
questions:
  - id: bad-single
    type: single
    difficulty: 1
    cites: [types/intravenous]
    stem: Which route acts fastest?
    choices:
      - text: Intravenous
        correct: true
      - text: Intramuscular
        correct: true
      - text: Subcutaneous
    rationale: IV enters the circulation at once.
"""

UNKNOWN_SECTION = """\
topic: routes/intravenous
questions:
  - id: bad-cite
    type: true_false
    difficulty: 1
    cites:
      - types/intravenous
      - complications/nowhere
    stem: IV fluid enters the circulation at once.
    answer: true
    rationale: It goes straight into a vein.
"""


def _load(app, path: Path):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(args=["bank", "load", str(path)])


def test_check_passes_on_the_project_bank(runner) -> None:
    result = runner.invoke(args=["bank", "check"])
    assert result.exit_code == 0, result.output
    assert "OK" in result.output


def test_load_twice_second_run_changes_nothing(app, tmp_path: Path) -> None:
    bank = make_bank(tmp_path)
    first = _load(app, bank)
    assert first.exit_code == 0, first.output
    assert "added 6 question(s)" in first.output
    assert "added 63 section(s)" in first.output  # 21 + 36 Open RN + 6 calculations
    with app.app_context():
        before = snapshot()
        assert len(before["question_versions"]) == 6

    second = _load(app, bank)
    assert second.exit_code == 0, second.output
    assert "No change" in second.output
    assert "added" not in second.output and "updated" not in second.output
    with app.app_context():
        assert snapshot() == before


def test_the_project_bank_loads_and_reloads_unchanged(app) -> None:
    runner = app.test_cli_runner()
    assert runner.invoke(args=["bank", "load"]).exit_code == 0
    with app.app_context():
        before = snapshot()
    again = runner.invoke(args=["bank", "load"])
    assert "No change" in again.output
    with app.app_context():
        assert snapshot() == before


def test_changed_question_gets_a_new_version(app, tmp_path: Path) -> None:
    bank = make_bank(tmp_path)
    assert _load(app, bank).exit_code == 0
    path = bank / "questions" / "routes" / "iv.yaml"
    path.write_text(path.read_text().replace("1000 mL over 8 hours", "1000 mL over 8 h"))
    result = _load(app, bank)
    assert result.exit_code == 0, result.output
    assert "updated 1 question(s): t-numeric" in result.output
    with app.app_context():
        entry = db.session.scalar(select(QuestionEntry).where(QuestionEntry.uid == "t-numeric"))
        assert entry.current_version == 2
        stems = [v.stem for v in entry.versions]
        assert stems == [
            "1000 mL over 8 hours. What rate in mL/h?",
            "1000 mL over 8 h. What rate in mL/h?",
        ]
        assert db.session.scalar(select(func.count()).select_from(QuestionVersion)) == 7


def test_changed_section_updates_hash_and_flags_citing_questions(app, tmp_path: Path) -> None:
    bank = make_bank(tmp_path)
    assert _load(app, bank).exit_code == 0
    with app.app_context():
        old_hash = db.session.scalar(
            select(SourceSection.content_hash).where(SourceSection.key == "types/epidural")
        )
    outline = bank / "sources" / "infusion-therapy-2023.yaml"
    text = outline.read_text()
    outline.write_text(text.replace("usually in the lower back", "most often in the lower back"))
    result = _load(app, bank)
    assert result.exit_code == 0, result.output
    assert "updated 1 section(s): types/epidural" in result.output
    assert "flagged 1 question(s) for review" in result.output
    with app.app_context():
        section = db.session.scalar(
            select(SourceSection).where(SourceSection.key == "types/epidural")
        )
        assert section.content_hash != old_hash
        flagged = db.session.scalars(
            select(QuestionEntry.uid).where(QuestionEntry.needs_review.is_(True))
        ).all()
        assert flagged == ["t-true-false"]  # the only question citing types/epidural


def _assert_refused(app, bank: Path, file_name: str, line: int, words: str) -> None:
    with app.app_context():
        before = snapshot()
    runner = app.test_cli_runner()
    for command in ("check", "load"):
        result = runner.invoke(args=["bank", command, str(bank)])
        assert result.exit_code == 1, (command, result.output)
        assert re.search(rf"{re.escape(file_name)}:{line}: .*{words}", result.output), result.output
        assert "nothing was loaded" in result.output
    with app.app_context():
        assert snapshot() == before


def test_two_correct_choices_on_single_are_refused_with_file_and_line(app, tmp_path) -> None:
    bank = make_bank(
        tmp_path,
        {"routes/ok.yaml": (DATA / "every_type.yaml").read_text(), "routes/bad.yaml": TWO_CORRECT},
    )
    _assert_refused(app, bank, "bad.yaml", 8, "exactly one")


def test_unknown_section_key_is_refused_with_file_and_line(app, tmp_path) -> None:
    bank = make_bank(tmp_path, {"routes/bad.yaml": UNKNOWN_SECTION})
    _assert_refused(app, bank, "bad.yaml", 6, "unknown section key 'complications/nowhere'")


def test_a_bad_file_leaves_an_already_loaded_database_as_it_was(app, tmp_path) -> None:
    good = make_bank(tmp_path / "good")
    assert _load(app, good).exit_code == 0
    bad = make_bank(
        tmp_path / "bad",
        {"routes/iv.yaml": (DATA / "every_type.yaml").read_text(), "routes/bad.yaml": TWO_CORRECT},
    )
    _assert_refused(app, bad, "bad.yaml", 8, "exactly one")


def test_yaml_syntax_error_names_the_line(app, tmp_path) -> None:
    bank = make_bank(
        tmp_path, {"routes/broken.yaml": "topic: routes/intravenous\nquestions:\n  - id: [x\n"}
    )
    _assert_refused(app, bank, "broken.yaml", 4, "YAML syntax error")
