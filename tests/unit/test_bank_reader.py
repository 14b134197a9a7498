"""The bank reader names file and line for every problem, without an app or a database."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from quizapp.bank.reader import read_bank
from quizapp.bank.yaml_lines import YamlSyntaxError, load_yaml_text

ROOT = Path(__file__).resolve().parents[2]

HEAD = "topic: routes/intravenous\nquestions:\n"
GOOD = """\
  - id: q-1
    type: single
    difficulty: 2
    cites: [types/intravenous]
    stem: Which route gives fluid straight into the circulation?
    choices:
      - text: Intravenous
        correct: true
      - text: Intramuscular
      - text: Subcutaneous
    rationale: A vein carries it straight into the circulation.
"""


def bank_with(tmp_path: Path, **files: str) -> Path:
    root = tmp_path / "bank"
    shutil.copytree(ROOT / "question_bank" / "sources", root / "sources")
    shutil.copy(ROOT / "question_bank" / "taxonomy.yaml", root / "taxonomy.yaml")
    for name, text in files.items():
        path = root / "questions" / f"{name}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def messages(tmp_path: Path, **files: str) -> list[str]:
    _, problems = read_bank(bank_with(tmp_path, **files))
    return [f"{Path(p.file).name}:{p.line}: {p.message}" for p in problems]


def test_a_valid_file_has_no_problems(tmp_path: Path) -> None:
    content, problems = read_bank(bank_with(tmp_path, iv=HEAD + GOOD))
    assert problems == []
    [question] = content.questions
    assert question.uid == "q-1" and question.topic == "routes/intravenous"
    assert [c["id"] for c in question.data["choices"]] == ["a", "b", "c"]
    assert question.line == 3


def test_the_project_bank_reads_cleanly() -> None:
    content, problems = read_bank(ROOT / "question_bank")
    assert problems == []
    by_source = {source.slug: len(source.sections) for source in content.sources}
    assert by_source == {
        "infusion-therapy-2023": 21,
        "openrn-infusion": 36,
        "bedside-calculations": 6,
    }
    assert "routes/intravenous" in content.topic_keys()


def test_a_problem_inside_a_choice_names_the_choice_line(tmp_path: Path) -> None:
    bad = GOOD.replace("      - text: Subcutaneous\n", "      - text: ''\n")
    assert messages(tmp_path, iv=HEAD + bad) == [
        "iv.yaml:12: choices[2].text: " + read_message(tmp_path, bad)
    ]


def read_message(tmp_path: Path, body: str) -> str:
    _, problems = read_bank(bank_with(tmp_path / "again", iv=HEAD + body))
    return problems[0].message.split(": ", 1)[1]


def test_unknown_field_is_named_with_its_line(tmp_path: Path) -> None:
    bad = GOOD.replace("    rationale:", "    explanation: extra\n    rationale:")
    [message] = messages(tmp_path, iv=HEAD + bad)
    assert message.startswith("iv.yaml:13: unknown field 'explanation'")


def test_missing_rationale_and_bad_difficulty(tmp_path: Path) -> None:
    bad = GOOD.replace("    difficulty: 2\n", "    difficulty: 4\n").replace(
        "    rationale: A vein carries it straight into the circulation.\n", ""
    )
    assert messages(tmp_path, iv=HEAD + bad) == [
        "iv.yaml:3: missing required field 'rationale'",
        "iv.yaml:5: 'difficulty' must be a whole number from 1 to 3",
    ]


def test_unknown_topic_and_type(tmp_path: Path) -> None:
    bad = GOOD.replace("type: single", "type: essay")
    found = messages(tmp_path, x=HEAD.replace("routes/intravenous", "routes/oral") + bad)
    assert found[0] == "x.yaml:1: unknown topic 'routes/oral' (see taxonomy.yaml)"
    assert found[1].startswith("x.yaml:4: Unknown question type 'essay'")


def test_duplicate_ids_across_files_name_both_places(tmp_path: Path) -> None:
    found = messages(
        tmp_path,
        a=HEAD + GOOD,
        b=HEAD
        + GOOD.replace("Which route gives fluid straight into the circulation?", "Name a route."),
    )
    assert found == ["b.yaml:3: question id 'q-1' already used at " + found[0].split("at ")[1]]
    assert found[0].endswith("a.yaml:3")


def test_published_question_without_citation_is_refused_but_a_draft_may_have_none(
    tmp_path: Path,
) -> None:
    no_cites = GOOD.replace("    cites: [types/intravenous]\n", "")
    assert messages(tmp_path, iv=HEAD + no_cites) == ["iv.yaml:3: missing required field 'cites'"]
    draft = no_cites.replace("    type: single\n", "    type: single\n    status: draft\n")
    assert messages(tmp_path / "d", iv=HEAD + draft) == []


def test_duplicate_key_in_a_mapping_is_a_syntax_error_with_its_line() -> None:
    with pytest.raises(YamlSyntaxError) as caught:
        load_yaml_text("a: 1\nb: 2\na: 3\n")
    assert caught.value.line == 3
    assert "appears twice" in caught.value.message


def test_mappings_remember_key_lines() -> None:
    doc = load_yaml_text("top:\n  x: 1\n  y:\n    - z: 2\n")
    assert doc.line == 1
    assert doc["top"].line_of("y") == 3
    assert doc["top"]["y"][0].line == 4
