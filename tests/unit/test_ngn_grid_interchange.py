"""Matrix, cloze and ordering in the formats: our YAML carries them whole; GIFT and Moodle XML
cannot, so an export leaves them out and its report (and the file's first comment) names them."""

from __future__ import annotations

import dataclasses

import pytest

from quizapp.domain.types import NotExpressible, get_type
from quizapp.interchange import PortableQuestion, parse, write
from quizapp.interchange.model import LeftOut
from tests.unit.ngn_grid_data import CLOZE, MATRIX_MULTIPLE, MATRIX_SINGLE, ORDERING

NGN = [
    PortableQuestion("matrix", "For each action: indicated?", MATRIX_SINGLE, "Why.", uid="m-1",
                     topic="complications/intravenous", cites=["complications/intravenous"],
                     tags=["ngn"], difficulty=3),
    PortableQuestion("matrix", "Which signs?", MATRIX_MULTIPLE, "Why.", uid="m-2"),
    PortableQuestion("cloze", "Complete the sentence.", CLOZE, "Why.", uid="c-1", difficulty=2),
    PortableQuestion("ordering", "Put in order.", ORDERING, "Why.", uid="o-1"),
]  # fmt: skip
PLAIN = PortableQuestion(
    "single",
    "Which route acts fastest?",
    {"choices": [{"text": "Intravenous", "correct": True}, {"text": "Oral"}]},
    "No absorption step.",
    uid="s-1",
)


def fields(q: PortableQuestion) -> dict:
    found = dataclasses.asdict(q)
    found["data"] = get_type(q.type).normalize(q.data)
    for name in ("line", "category", "name"):
        found.pop(name)
    return found


def test_yaml_round_trips_every_ngn_grid_type() -> None:
    text = write(NGN, "yaml")
    result = parse(text, "yaml")
    assert result.skipped == [] and result.invalid == []
    assert [fields(q) for q in result.questions] == [fields(q) for q in NGN]
    assert "mode: multiple" in text and "{{1}}" in text and "steps:" in text
    assert write(result.questions, "yaml") == text


@pytest.mark.parametrize(("fmt", "name"), [("gift", "GIFT"), ("moodle-xml", "Moodle XML")])
def test_gift_and_moodle_xml_leave_them_out_and_report_each(fmt: str, name: str) -> None:
    left_out: list[LeftOut] = []
    text = write([NGN[0], PLAIN, *NGN[1:]], fmt, left_out=left_out)
    assert [(q.label, q.type) for q in left_out] == [
        ("m-1", "matrix"), ("m-2", "matrix"), ("c-1", "cloze"), ("o-1", "ordering")
    ]  # fmt: skip
    assert all(f"in {name}" in q.reason for q in left_out)
    head = text.split("Which route")[0]
    assert f"4 question(s) left out, not expressible in {name}" in head
    assert "m-1 (matrix): A matrix (grid) question is not expressible" in head
    assert "o-1 (ordering)" in head
    again = parse(text, fmt)
    assert [q.uid for q in again.questions] == ["s-1"]  # the rest reads back as before
    assert again.skipped == [] and again.invalid == []


def test_without_a_report_list_the_writer_refuses() -> None:
    with pytest.raises(NotExpressible):
        write([PLAIN, NGN[2]], "gift")
    assert "left out" not in write([PLAIN], "gift", left_out=[])
