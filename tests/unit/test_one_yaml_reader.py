"""One reader of our YAML question format for `bank check/load` and import; one statistics
implementation in production (issue 15)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from quizapp.bank import question_reader
from quizapp.bank.reader import read_bank
from quizapp.bank.specs import QuestionSpec
from quizapp.interchange.model import InterchangeSyntaxError, PortableQuestion
from quizapp.interchange.yaml_format import parse_yaml, write_yaml
from tests.unit.test_bank_reader import GOOD  # one good bank question, shared

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "quizapp"
YAML_LOADING = {"load", "safe_load", "load_all", "safe_load_all", "compose", "SafeLoader"}
YAML_LOADER_MODULE = PACKAGE / "bank" / "yaml_lines.py"


def _yaml_loading_calls(path: Path) -> list[str]:
    """`yaml.<loading name>` used in a module (a call, or a loader subclassed)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{path.relative_to(ROOT)}:{node.lineno}: yaml.{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "yaml"
        and node.attr in YAML_LOADING
    ]


def test_only_one_module_loads_yaml() -> None:
    """A second YAML reader (of question files or anything else) would have its own error
    model and fields again: every YAML text is loaded by bank/yaml_lines.py."""
    found = [
        call
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != YAML_LOADER_MODULE
        for call in _yaml_loading_calls(path)
    ]
    assert found == []
    assert _yaml_loading_calls(YAML_LOADER_MODULE)  # the scan does see a loader


def test_bank_files_and_imports_go_through_the_same_question_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []
    original = question_reader.read_question

    def spy(raw, line, display, file_topic, purpose):  # type: ignore[no-untyped-def]
        seen.append("bank" if purpose.bank else "import")
        return original(raw, line, display, file_topic, purpose)

    monkeypatch.setattr(question_reader, "read_question", spy)
    content, _ = read_bank(ROOT / "question_bank")
    parse_yaml((ROOT / "question_bank/questions/routes/intravenous.yaml").read_text())
    # question files' questions and the items of the case studies in question_bank/cases
    assert seen.count("bank") == len(content.questions) >= 325  # the bank only grows
    assert "import" in seen


def _portable(spec: QuestionSpec) -> PortableQuestion:
    return PortableQuestion(
        type=spec.type,
        stem=spec.stem,
        data=spec.data,
        rationale=spec.rationale,
        uid=spec.uid,
        name=spec.uid,
        topic=spec.topic,
        cites=list(spec.cites),
        tags=list(spec.tags),
        difficulty=spec.difficulty,
    )


def _canonical(q: PortableQuestion) -> tuple[object, ...]:
    return (q.uid, q.name, q.type, q.topic, q.stem, q.data, q.rationale, q.cites, q.tags,
            q.difficulty)  # fmt: skip


def test_every_bank_question_round_trips_through_write_yaml() -> None:
    """Export writes what the reader reads: every bank question, written and read back."""
    content, problems = read_bank(ROOT / "question_bank")
    assert problems == []
    original = [_portable(spec) for spec in content.questions]
    back = parse_yaml(write_yaml(original))
    assert back.skipped == [] and back.invalid == []
    assert [_canonical(q) for q in back.questions] == [_canonical(q) for q in original]


def test_an_import_names_the_line_of_a_problem_in_the_answer_data() -> None:
    text = "questions:\n" + GOOD.replace("      - text: Subcutaneous\n", "      - text: ''\n")
    with pytest.raises(InterchangeSyntaxError) as caught:
        parse_yaml(text)
    assert caught.value.line == 11  # the third choice
    assert caught.value.message.startswith("choices[2].text")


def test_an_import_may_leave_out_what_a_bank_file_requires() -> None:
    lenient = "- type: true_false\n  stem: An epidural is given into a vein.\n  answer: false\n"
    (q,) = parse_yaml(lenient).questions
    assert (q.uid, q.difficulty, q.cites, q.rationale, q.topic) == (None, None, [], "", None)


def _bank_messages(tmp_path: Path, text: str) -> list[str]:
    import shutil

    root = tmp_path / "bank"
    shutil.copytree(ROOT / "question_bank" / "sources", root / "sources")
    shutil.copy(ROOT / "question_bank" / "taxonomy.yaml", root / "taxonomy.yaml")
    (root / "questions").mkdir()
    (root / "questions" / "x.yaml").write_text(text)
    _, problems = read_bank(root)
    return [f"{p.line}: {p.message}" for p in problems if p.file.endswith("x.yaml")]


def test_a_question_topic_overrides_its_files_in_a_bank_file_too(tmp_path: Path) -> None:
    text = "topic: routes/intravenous\nquestions:\n" + GOOD.replace(
        "    type: single\n", "    topic: routes/epidural\n    type: single\n"
    )
    assert _bank_messages(tmp_path, text) == []
    content, _ = read_bank(tmp_path / "bank")
    assert [q.topic for q in content.questions] == ["routes/epidural"]
    unknown = text.replace("routes/epidural", "routes/oral")
    assert _bank_messages(tmp_path / "2", unknown) == [
        "4: unknown topic 'routes/oral' (see taxonomy.yaml)"
    ]


def test_bank_files_hold_the_house_rules_an_import_does_not(tmp_path: Path) -> None:
    text = "topic: routes/intravenous\nquestions:\n" + GOOD
    bare = text.replace("    difficulty: 2\n", "")
    named = text.replace("    type: single\n", "    type: single\n    name: Title\n")
    assert _bank_messages(tmp_path, bare) == ["3: missing required field 'difficulty'"]
    (message,) = _bank_messages(tmp_path / "2", named)
    assert message.startswith("5: unknown field 'name' in a single question")
    assert parse_yaml(bare).questions[0].difficulty is None
    assert parse_yaml(named).questions[0].name == "Title"


def test_production_has_one_statistics_implementation() -> None:
    """The full-matrix item analysis is the tests' oracle (tests/oracles), not production's."""
    defined = {
        f"{path.relative_to(ROOT)}: {node.name}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef)
        and node.name in {"item_statistics", "version_statistics"}
    }
    assert defined == set()
    assert not (PACKAGE / "domain" / "stats.py").exists()
