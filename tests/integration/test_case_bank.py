"""Case studies through `bank check` and `bank load`: loaded with their six items, versioned
when the file changes, and a broken file refused with file and line, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Case, CaseItem, CaseVersion, QuestionEntry, Topic
from tests.integration.case_helpers import (
    CASE_KEY,
    CASE_UIDS,
    bank_with_case,
    case_text,
    line_of,
)


def _run(app, *args: str):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(args=["bank", *args])


def _count(model) -> int:  # type: ignore[no-untyped-def]
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_case_loads_with_its_six_items_in_order_and_its_topic(app, tmp_path: Path) -> None:
    bank = bank_with_case(tmp_path)
    assert _run(app, "check", str(bank)).exit_code == 0
    result = _run(app, "load", str(bank))
    assert result.exit_code == 0, result.output
    assert f"added 1 case(s): {CASE_KEY}" in result.output
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.key == CASE_KEY))
        assert case.topic.key == "complications/intravenous"
        (version,) = case.versions
        rows = db.session.execute(
            select(CaseItem.position, CaseItem.step, QuestionEntry.uid, QuestionEntry.topic_id)
            .join(QuestionEntry, QuestionEntry.id == CaseItem.question_id)
            .where(CaseItem.case_version_id == version.id)
            .order_by(CaseItem.position)
        ).all()
        assert [(p, u) for p, _, u, _ in rows] == list(enumerate(CASE_UIDS, start=1))
        steps = [s for _, s, _, _ in rows]
        assert (steps[0], steps[-1]) == ("recognize_cues", "evaluate_outcomes")
        assert {t for *_, t in rows} == {case.topic_id}
        assert [e["id"] for e in version.exhibits][:2] == ["hp", "mar"]
        assert version.exhibits[-1]["from_item"] == 6


def test_a_reload_changes_nothing_and_an_exhibit_edit_makes_version_2(app, tmp_path) -> None:
    bank = bank_with_case(tmp_path)
    assert _run(app, "load", str(bank)).exit_code == 0
    again = _run(app, "load", str(bank))
    assert "No change" in again.output, again.output
    edited = case_text().replace("down from 6.", "down from 6 at 1000.")
    (bank / "cases" / "iv.yaml").write_text(edited)
    third = _run(app, "load", str(bank))
    assert third.exit_code == 0, third.output
    assert f"updated 1 case(s): {CASE_KEY}" in third.output
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.key == CASE_KEY))
        assert case.current_version == 2
        assert [v.number for v in case.versions] == [1, 2]
        assert "at 1000" in case.versions[1].exhibits[5]["text"]
        assert "at 1000" not in case.versions[0].exhibits[5]["text"]
        assert len(case.versions[1].items) == 6
        # the items' questions are unchanged: still version 1 each
        versions = db.session.scalars(
            select(QuestionEntry.current_version).where(QuestionEntry.uid.in_(CASE_UIDS))
        ).all()
        assert versions == [1] * 6


def test_the_title_alone_changes_the_case_but_makes_no_new_version(app, tmp_path) -> None:
    bank = bank_with_case(tmp_path)
    assert _run(app, "load", str(bank)).exit_code == 0
    (bank / "cases" / "iv.yaml").write_text(
        case_text().replace("a vesicant leaves", "a drug leaves")
    )
    assert _run(app, "load", str(bank)).exit_code == 0
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.key == CASE_KEY))
        assert "a drug leaves" in case.title and case.current_version == 1


BREAKS = [
    # (what is changed, replacement, the text on the line named, words of the message)
    (
        "    - step: take_action\n",
        "    - step: evaluate_outcomes\n",
        "step: evaluate_outcomes",
        "item 5 must be step 'take_action'",
    ),
    (
        "      tab: Orders\n",
        "      tab: Doctor's Orders\n",
        "tab: Doctor's Orders",
        "is not one of",
    ),
    (
        "      from_item: 6\n      text",
        "      from_item: 7\n      text",
        "from_item: 7",
        "'from_item' must be a whole number from 1 to 6",
    ),
    (
        '          - ["1400", "128/76", "84", "16", "96%", "37.2"]\n',
        '          - ["1400", "128/76", "84", "16", "96%"]\n',
        '["1400", "128/76", "84", "16", "96%"]',
        "row 3 has 5 cells but the table has 6 columns",
    ),
    ("      id: case-ivv-2\n", "      id: case-ivv-1\n", "step: analyze_cues", "already used at"),
    (
        "    - openrn/peripheral/maintenance\n    - complications",
        "    - openrn/peripheral/nowhere\n    - complications",
        "  cites:",
        "unknown section key 'openrn/peripheral/nowhere'",
    ),
]


def test_each_broken_case_is_refused_with_its_line_and_nothing_is_written(app, tmp_path) -> None:
    for number, (old, new, needle, words) in enumerate(BREAKS):
        text = case_text()
        assert old in text, old
        broken = text.replace(old, new, 1)
        bank = bank_with_case(tmp_path / str(number), broken)
        for command in ("check", "load"):
            result = _run(app, command, str(bank))
            assert result.exit_code == 1, (command, needle, result.output)
            line = line_of(broken, needle)
            assert f"cases/iv.yaml:{line}: " in result.output, (needle, result.output)
            assert words in result.output, (words, result.output)
            assert "nothing was loaded" in result.output
    with app.app_context():
        assert _count(Case) == 0 and _count(CaseVersion) == 0
        assert _count(QuestionEntry) == 0 and _count(Topic) == 0


def test_a_case_with_five_items_is_refused(app, tmp_path) -> None:
    text = case_text()
    cut = text.index("    - step: evaluate_outcomes")
    result = _run(app, "check", str(bank_with_case(tmp_path, text[:cut])))
    assert result.exit_code == 1
    assert f"cases/iv.yaml:{line_of(text, '  items:')}: a case needs exactly 6 items, not 5" in (
        result.output
    )


def test_the_project_bank_has_the_case_and_coverage_counts_it(app) -> None:
    runner = app.test_cli_runner()
    check = runner.invoke(args=["bank", "check"])
    assert check.exit_code == 0 and "case studies" in check.output, check.output
    assert runner.invoke(args=["bank", "load"]).exit_code == 0
    coverage = runner.invoke(args=["bank", "coverage", "--format", "json"])
    assert coverage.exit_code == 0, coverage.output
    report = json.loads(coverage.stdout)
    assert report["cases"] >= 6  # issue 20: at least six unfolding case studies
    by_type = report["totals"]["by_type"]
    assert by_type["matching"] >= 1  # case items count as questions
    assert min(by_type["bowtie"], by_type["matrix"], by_type["highlight"]) >= 10
    assert min(by_type["cloze"], by_type["ordering"]) >= 1
