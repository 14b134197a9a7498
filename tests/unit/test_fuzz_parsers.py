"""Arbitrary input to the bank reader and the import parsers: a clean refusal, never a crash."""

from __future__ import annotations

import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from quizapp.bank.reader import read_bank
from quizapp.bank.yaml_lines import YamlSyntaxError, load_yaml_text
from quizapp.interchange.model import InterchangeSyntaxError, parse

ROOT = Path(__file__).resolve().parents[2]
GIFT_ALPHABET = st.sampled_from(list("=~#{}:;->%.0123456789 abcT\nF$/[]\\"))
XML_ALPHABET = st.sampled_from(list("<>/=\"' abcquestiontypxml\n&;!"))


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_yaml_loader_never_crashes(text: str) -> None:
    try:
        load_yaml_text(text)
    except YamlSyntaxError as exc:
        assert exc.line >= 1


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(st.text(), st.text(GIFT_ALPHABET, max_size=300)), st.sampled_from(["gift", "yaml"])
)
def test_import_parsers_raise_only_syntax_errors(text: str, fmt: str) -> None:
    try:
        result = parse(text, fmt)
    except InterchangeSyntaxError as exc:
        assert exc.line >= 1
    else:
        assert all(q.line >= 1 for q in result.questions)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(XML_ALPHABET, max_size=300), st.text(max_size=200)))
def test_moodle_xml_parser_raises_only_syntax_errors(text: str) -> None:
    try:
        parse("<quiz>" + text + "</quiz>", "moodle-xml")
    except InterchangeSyntaxError as exc:
        assert exc.line >= 1


QUESTION = st.fixed_dictionaries(
    {},
    optional={
        "id": st.one_of(st.text(max_size=10), st.integers(), st.none()),
        "type": st.sampled_from(
            ["single", "multiple", "true_false", "matching", "numeric", "short_answer", "x"]
        ),
        "difficulty": st.one_of(st.integers(-2, 5), st.text(max_size=3)),
        "cites": st.one_of(
            st.lists(st.sampled_from(["types", "nowhere", ""]), max_size=3), st.text(max_size=5)
        ),
        "stem": st.text(max_size=30),
        "rationale": st.text(max_size=30),
        "choices": st.lists(
            st.fixed_dictionaries(
                {}, optional={"text": st.text(max_size=10), "correct": st.booleans()}
            ),
            max_size=6,
        ),
        "answer": st.one_of(st.booleans(), st.text(max_size=5)),
        "value": st.one_of(st.floats(allow_nan=True), st.text(max_size=5)),
        "tolerance": st.one_of(st.floats(), st.none()),
        "unit": st.text(max_size=5),
        "accepted": st.lists(st.text(max_size=8), max_size=3),
        "pairs": st.lists(
            st.fixed_dictionaries({"prompt": st.text(max_size=5), "answer": st.text(max_size=5)}),
            max_size=9,
        ),
    },
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(QUESTION, max_size=4))
def test_bank_reader_reports_problems_never_crashes(tmp_path_factory, questions) -> None:
    import yaml

    root = tmp_path_factory.mktemp("bank")
    shutil.copytree(ROOT / "question_bank" / "sources", root / "sources")
    shutil.copy(ROOT / "question_bank" / "taxonomy.yaml", root / "taxonomy.yaml")
    (root / "questions").mkdir()
    (root / "questions" / "f.yaml").write_text(
        yaml.safe_dump({"topic": "routes/intravenous", "questions": questions}, allow_unicode=True)
    )
    content, problems = read_bank(root)
    for problem in problems:
        assert problem.file and problem.line >= 0 and problem.message
    assert len(content.questions) <= len(questions)
