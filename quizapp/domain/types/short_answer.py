"""Short answer: a typed text graded by the best of its answers that matches it.

Each answer has a text, a grade (`fraction`, percent) and feedback. As in Moodle, `*` in an
answer matches any run of characters and the match is anchored; unless `case_sensitive`, case
is ignored; runs of white space always count as one space. `accepted: [...]` is the short
form for answers worth 100% (how the bank writes them).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from quizapp.domain.answer_fields import Fields, typed
from quizapp.domain.types.base import Codec, Data, Described, QuestionType, Review, register
from quizapp.domain.types.checks import (
    MAX_ENTRIES,
    Check,
    clean_bool,
    clean_grade,
    clean_text,
    clean_text_list,
    fold,
)
from quizapp.domain.types.grades import grade_problem, percent_text, to_mark

FIELDS = ("text", "fraction", "feedback")


def squash(text: str, case_sensitive: bool) -> str:
    return " ".join(text.split()) if case_sensitive else fold(text)


def matches(answer: str, response: str, case_sensitive: bool) -> bool:
    """Moodle's compare_string_with_wildcard on our folded texts."""
    answer, response = squash(answer, case_sensitive), squash(response, case_sensitive)
    if "*" not in answer:
        return answer == response
    pattern = ".*".join(re.escape(part) for part in answer.split("*"))
    return re.fullmatch(pattern, response, re.DOTALL) is not None


@register
class ShortAnswer(QuestionType):
    name = "short_answer"
    label = "Short answer"
    fields = frozenset({"accepted", "answers", "case_sensitive"})
    moodle_type = "shortanswer"

    def normalize(self, data: Data) -> dict[str, Any]:
        answers = data.get("answers")
        if answers is None and "accepted" in data:
            accepted = clean_text_list(data.get("accepted"))
            if isinstance(accepted, list):
                answers = [{"text": text, "fraction": 100.0} for text in accepted]
            else:
                answers = accepted
        if isinstance(answers, list | tuple):
            answers = [
                {
                    "text": clean_text(a.get("text")),
                    "fraction": clean_grade(a.get("fraction", 100.0)),
                    "feedback": clean_text(a.get("feedback"), None),
                }
                if isinstance(a, Mapping)
                else a
                for a in answers
            ]
        case = data.get("case_sensitive")
        return {"answers": answers, "case_sensitive": False if case is None else clean_bool(case)}

    def _check(self, data: dict[str, Any], raw: Data, check: Check) -> None:
        if "answers" in raw and "accepted" in raw:
            check.add("accepted", "Give either accepted (all worth 100%) or answers, not both.")
        if not isinstance(data["case_sensitive"], bool):
            check.add("case_sensitive", "Write case_sensitive: true or false.")
        field = "answers" if "answers" in raw else "accepted"
        if not isinstance(data["answers"], list) or not data["answers"]:
            check.add(field, "Give one or more accepted answers as a list.")
            return
        check.count(data["answers"], field, 1, MAX_ENTRIES)
        seen: dict[str, str] = {}
        key = (lambda t: squash(t, True)) if data["case_sensitive"] is True else fold
        if field == "accepted":
            for i, answer in enumerate(data["answers"]):
                check.text(answer["text"], f"accepted[{i}]", "accepted answer", seen, key=key)
            return
        for path, answer in check.mappings(data["answers"], field, raw.get("answers"), FIELDS):
            check.text(answer["text"], f"{path}.text", "answer text", seen, key=key)
            check.feedback(answer["feedback"], f"{path}.feedback")
            if problem := grade_problem(answer["fraction"], low=0.0):
                check.add(f"{path}.fraction", problem)
        if not check.problems and max(a["fraction"] for a in data["answers"]) < 100:
            check.add("answers", "Give one answer the grade 100.")

    def matched(self, data: Data, response: object) -> dict[str, Any] | None:
        """The best-graded answer that matches `response` (the first of equals)."""
        if not isinstance(response, str) or not fold(response):
            return None
        hits = [a for a in data["answers"] if matches(a["text"], response, data["case_sensitive"])]
        return max(hits, key=lambda a: a["fraction"], default=None)

    def grade(self, data: Data, response: object) -> float:
        answer = self.matched(data, response)
        return to_mark(answer["fraction"]) if answer else 0.0

    def full_marks(self, data: Data) -> list[str]:
        return [a["text"] for a in data["answers"] if a["fraction"] >= 100]

    def correct_response(self, data: Data) -> str:
        return self.full_marks(data)[0]

    def describe(self, data: Data) -> list[Described]:
        """Each accepted answer with its grade and feedback, and whether case matters."""
        found: list[Described] = []
        for number, answer in enumerate(data["answers"], start=1):
            key, label = f"answer:{number}", f"Accepted answer {number}"
            grade = f"{answer['text']} (grade {percent_text(answer['fraction'])}%)"
            found.append(Described(key, label, grade, True))
            if answer.get("feedback"):
                found.append(Described(f"{key}:feedback", f"{label} feedback", answer["feedback"]))
        case = "yes" if data["case_sensitive"] else "no"
        return [*found, Described("case", "Capitals matter", case)]

    def parse_response(self, data: Data, fields: Fields) -> str:
        return typed(fields)

    def review(self, data: Data, response: object, order: Sequence[str]) -> Review:
        answer = self.matched(data, response)
        return Review(
            my_answer="" if response is None else str(response),
            correct_answer=" or ".join(self.full_marks(data)),
            feedback=[answer["feedback"]] if answer and answer["feedback"] else [],
        )

    def is_plain(self, data: Data) -> bool:
        """Every answer worth 100% without feedback, case ignored: `accepted` holds it."""
        plain = all(a["fraction"] == 100 and not a["feedback"] for a in data["answers"])
        return plain and not data["case_sensitive"]

    def file_fields(self, data: Data) -> dict[str, Any]:
        if self.is_plain(data):
            return {"accepted": [a["text"] for a in data["answers"]]}
        answers = [
            {k: v for k, v in a.items() if v is not None and (k != "fraction" or v != 100)}
            for a in data["answers"]
        ]
        return {"answers": answers} | ({"case_sensitive": True} if data["case_sensitive"] else {})

    def hash_form(self, data: Data) -> dict[str, Any]:
        return self.file_fields(data) if self.is_plain(data) else dict(data)

    def gift_answers(self, data: Data, text: Any) -> list[str]:
        lines = []
        for a in data["answers"]:
            weight = "" if a["fraction"] == 100 else f"%{percent_text(a['fraction'])}%"
            feedback = f"#{text(a['feedback'])}" if a["feedback"] else ""
            lines.append(f"={weight}{text(a['text'], arrow=True)}{feedback}")
        return lines

    def gift_comments(self, data: Data) -> tuple[list[tuple[str, object]], list[tuple[int, str]]]:
        return ([("case_sensitive", "true")] if data.get("case_sensitive") else []), []

    def write_moodle_xml(self, element: Any, data: Data, codec: Codec) -> None:
        codec.add(element, "usecase", "1" if data["case_sensitive"] else "0")
        for a in data["answers"]:
            codec.answer(element, a["fraction"], a["text"], a["feedback"])
