"""What single and multiple choice share: a list of choices, some correct, each with an
optional Moodle grade (`fraction`, in percent).

A choice's `fraction` is left out (None) for our own items, which `correct` grades; once any
choice of a question carries one (imported from Moodle, or authored with partial credit), every
choice does, and the fractions grade it. House rules (3 to 5 choices) are bank lint.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from string import ascii_lowercase
from typing import Any, ClassVar

from quizapp.domain.types.base import (
    ChoiceView,
    Codec,
    Data,
    Described,
    QuestionType,
    Review,
    Shown,
    get_type,
    refill_choices,
)
from quizapp.domain.types.checks import (
    MAX_ENTRIES,
    Check,
    clean_bool,
    clean_grade,
    clean_text,
    sparse,
)
from quizapp.domain.types.grades import grade_problem, percent_text


class ChoiceType(QuestionType):
    fields = frozenset({"choices"})
    FIELDS = ("id", "text", "correct", "feedback", "fraction")
    LEGACY = ("id", "text", "correct", "feedback")  # the form before grades (version hashes)
    CORRECT: ClassVar[tuple[int, str]]  # fewest correct choices, and the rule
    LOW_GRADE: ClassVar[float]  # the lowest grade a choice may hold
    moodle_type = "multichoice"
    has_choices = True
    moodle_single: ClassVar[str]  # Moodle's <single> flag

    def normalize(self, data: Data) -> dict[str, Any]:
        choices = data.get("choices")
        if isinstance(choices, list | tuple):
            choices = [
                self._choice(c, i) if isinstance(c, Mapping) else c for i, c in enumerate(choices)
            ]
            if any(isinstance(c, dict) and c["fraction"] is not None for c in choices):
                for choice in choices:
                    if isinstance(choice, dict) and choice["fraction"] is None:
                        choice["fraction"] = self.implied_grade(choice["correct"] is True)
        return {"choices": choices}

    def _choice(self, raw: Mapping[str, Any], i: int) -> dict[str, Any]:
        fraction = clean_grade(raw.get("fraction"))
        correct = raw.get("correct")
        if correct is None:
            correct = isinstance(fraction, float) and self.is_correct_grade(fraction)
        return {
            "id": clean_text(raw.get("id"), ascii_lowercase[i] if i < 26 else str(i + 1)),
            "text": clean_text(raw.get("text")),
            "correct": clean_bool(correct),
            "feedback": clean_text(raw.get("feedback"), None),
            "fraction": fraction,
        }

    def implied_grade(self, correct: bool) -> float | None:
        """The grade of a choice given no fraction in a question whose other choices have one
        (None where the type cannot tell it from `correct` alone)."""
        raise NotImplementedError

    def is_correct_grade(self, fraction: float) -> bool:
        raise NotImplementedError

    def _check(self, data: dict[str, Any], raw: Data, check: Check) -> None:
        if not check.count(data["choices"], "choices", 2, MAX_ENTRIES):
            return
        ids: dict[str, str] = {}
        texts: dict[str, str] = {}
        correct = 0
        for path, choice in check.mappings(
            data["choices"], "choices", raw.get("choices"), self.FIELDS
        ):
            check.text(choice["id"], f"{path}.id", "id", ids, key=str)
            check.text(choice["text"], f"{path}.text", "choice text", texts)
            check.feedback(choice["feedback"], f"{path}.feedback")
            if not isinstance(choice["correct"], bool):
                check.add(f"{path}.correct", "Write correct: true or false.")
            correct += choice["correct"] is True
            if choice["fraction"] is not None:
                self._check_grade(choice, path, check)
        low, rule = self.CORRECT
        if not low <= correct <= self.most_correct(data["choices"]):
            check.add("choices", f"Mark {rule} choice correct; {correct} are marked.")
        if not check.problems and self.graded_by_fraction(data):
            self._check_grades(data["choices"], check)

    def _check_grade(self, choice: dict[str, Any], path: str, check: Check) -> None:
        if problem := grade_problem(choice["fraction"], self.LOW_GRADE):
            check.add(f"{path}.fraction", problem)
        elif isinstance(choice["correct"], bool) and (
            choice["correct"] is not self.is_correct_grade(choice["fraction"])
        ):
            check.add(f"{path}.fraction", self.mismatch)

    mismatch: ClassVar[str]  # why a choice's `correct` and grade disagree

    def most_correct(self, choices: list) -> int:
        return len(choices)

    def _check_grades(self, choices: list[dict[str, Any]], check: Check) -> None:
        """Rules on the grades of the whole question (after each one is valid)."""

    def graded_by_fraction(self, data: Data) -> bool:
        return any(c.get("fraction") is not None for c in data["choices"])

    def grades(self, data: Data) -> list[float]:
        """Each choice's grade in percent, as Moodle holds it (the exports write these)."""
        raise NotImplementedError

    def from_grades(self, texts: list[tuple[str, str]], grades: list[float]) -> dict[str, Any]:
        """Answer data from imported (text, feedback) pairs and their Moodle grades: grades
        only where our own scoring would not give the same marks."""
        own = self.own_scoring(grades)
        choices = [
            {"text": text, "feedback": feedback or None}
            | ({"correct": self.is_correct_grade(grade)} if own else {"fraction": grade})
            for (text, feedback), grade in zip(texts, grades, strict=True)
        ]
        return self.normalize({"choices": choices})

    def own_scoring(self, grades: list[float]) -> bool:
        """Whether `correct` alone grades as these grades do."""
        raise NotImplementedError

    def correct_response(self, data: Data) -> object:
        return self.correct_ids(data)

    def correct_ids(self, data: Data) -> list[str]:
        return [choice["id"] for choice in data["choices"] if choice["correct"]]

    def choice_keys(self, data: Data, response: object) -> list[str]:
        picked = [response] if isinstance(response, str) else response
        if not isinstance(picked, list | tuple):
            return []
        ids = {choice["id"] for choice in data["choices"]}
        return [key for key in dict.fromkeys(picked) if isinstance(key, str) and key in ids]

    def counted_choices(self, data: Data) -> list[Mapping[str, Any]]:
        return list(data["choices"])

    def shuffled_ids(self, data: Data) -> list[str]:
        return [c["id"] for c in data["choices"]]

    def strike_ids(self, data: Data) -> list[str]:
        return [c["id"] for c in data["choices"]]

    def review(self, data: Data, response: object, order: Sequence[str]) -> Review:
        by_id = {c["id"]: c for c in data["choices"]}
        chosen: set[object] = (
            {response}
            if isinstance(response, str)
            else set(response)
            if isinstance(response, Iterable)
            else set()
        )
        choices = [
            ChoiceView(cid, by_id[cid]["text"], by_id[cid]["correct"], by_id[cid]["feedback"])
            for cid in (order or list(by_id))
            if cid in by_id
        ]
        for choice in choices:
            choice.chosen = choice.id in chosen
        return Review(
            choices=choices,
            my_answer="; ".join(c.text for c in choices if c.chosen),
            correct_answer="; ".join(c.text for c in choices if c.correct),
            feedback=[f"{c.text}: {c.feedback}" for c in choices if c.chosen and c.feedback],
        )

    def file_fields(self, data: Data) -> dict[str, Any]:
        """Short entries: `correct: true` alone stands for the grade it implies."""
        choices = [dict(c) for c in data["choices"]]
        for choice in choices:
            if choice.get("fraction") == self.implied_grade(choice["correct"] is True):
                choice["fraction"] = None
        defaults = self.normalize({"choices": [{} for _ in choices]})["choices"]
        return {"choices": sparse(choices, defaults, self.FIELDS)}

    def hash_form(self, data: Data) -> dict[str, Any]:
        if self.graded_by_fraction(data):
            return dict(data)
        return {"choices": [{k: c[k] for k in self.LEGACY} for c in data["choices"]]}

    def describe(self, data: Data) -> list[Described]:
        """Each choice's text, grade (when graded by grades) and feedback; the correct ids."""
        found: list[Described] = []
        graded = self.graded_by_fraction(data)
        for choice in data["choices"]:
            key, label = f"choice:{choice['id']}", f"Choice {choice['id'].upper()}"
            found.append(Described(key, label, choice["text"]))
            if graded:
                grade = f"{percent_text(choice['fraction'])}%"
                found.append(Described(f"{key}:grade", f"{label} grade", grade, True))
            if choice.get("feedback"):
                found.append(Described(f"{key}:feedback", f"{label} feedback", choice["feedback"]))
        correct = ", ".join(c.upper() for c in self.correct_ids(data)) or "none"
        return [*found, Described("correct", "Correct answer", correct, True)]

    def keep_given(self, view: Shown, fields: Mapping[str, list[str]]) -> None:
        refill_choices(view, fields)

    def gift_mark(self, correct: bool, grade: float) -> str:
        raise NotImplementedError

    def gift_answers(self, data: Data, text: Any) -> list[str]:
        lines = []
        for choice, grade in zip(data["choices"], self.grades(data), strict=True):
            mark = self.gift_mark(choice["correct"] is True, grade)
            feedback = f"#{text(choice['feedback'])}" if choice["feedback"] else ""
            lines.append(f"{mark}{text(choice['text'])}{feedback}")
        return lines

    def write_moodle_xml(self, element: Any, data: Data, codec: Codec) -> None:
        codec.add(element, "single", self.moodle_single)
        codec.add(element, "shuffleanswers", "true")
        codec.add(element, "answernumbering", "abc")
        for choice, grade in zip(data["choices"], self.grades(data), strict=True):
            codec.answer(element, grade, choice["text"], choice["feedback"])


def choice_type(name: str) -> ChoiceType:
    """The registered choice type `name` (the imports build single and multiple from grades)."""
    qtype = get_type(name)
    if not isinstance(qtype, ChoiceType):
        raise TypeError(f"{name!r} is not a choice type")
    return qtype


def gift_weight(percent: float) -> str:
    return f"%{percent_text(percent)}%"
