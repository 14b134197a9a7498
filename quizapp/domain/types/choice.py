"""What single and multiple choice share: a list of 3 to 5 choices, some correct."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from string import ascii_lowercase
from typing import Any, ClassVar

from quizapp.domain.types.base import (
    ChoiceView,
    Codec,
    Data,
    QuestionType,
    Review,
    Shown,
    refill_choices,
)
from quizapp.domain.types.checks import Check, clean_bool, clean_text, sparse


class ChoiceType(QuestionType):
    fields = frozenset({"choices"})
    FIELDS = ("id", "text", "correct", "feedback")
    CORRECT: ClassVar[tuple[int, int, str]]  # fewest and most correct choices, and the rule
    moodle_type = "multichoice"
    has_choices = True
    moodle_single: ClassVar[str]  # Moodle's <single> flag

    def normalize(self, data: Data) -> dict[str, Any]:
        choices = data.get("choices")
        if isinstance(choices, list | tuple):
            choices = [
                {
                    "id": clean_text(c.get("id"), ascii_lowercase[i] if i < 26 else str(i + 1)),
                    "text": clean_text(c.get("text")),
                    "correct": False if c.get("correct") is None else clean_bool(c.get("correct")),
                    "feedback": clean_text(c.get("feedback"), None),
                }
                if isinstance(c, Mapping)
                else c
                for i, c in enumerate(choices)
            ]
        return {"choices": choices}

    def _check(self, data: dict[str, Any], raw: Data, check: Check) -> None:
        if not check.count(data["choices"], "choices", 3, 5):
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
        low, high, rule = self.CORRECT
        if not low <= correct <= high:
            check.add("choices", f"Mark {rule} choice correct; {correct} are marked.")

    def correct_response(self, data: Data) -> object:
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

    def review(self, data: Data, response: object, order: Sequence[str]) -> Review:
        by_id = {c["id"]: c for c in data["choices"]}
        chosen = set([response] if isinstance(response, str) else (response or []))  # type: ignore[arg-type]
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
        defaults = self.normalize({"choices": [{} for _ in data["choices"]]})["choices"]
        return {"choices": sparse(data["choices"], defaults, self.FIELDS)}

    def keep_given(self, view: Shown, fields: Mapping[str, list[str]]) -> None:
        refill_choices(view, fields)

    def fraction(self, correct: bool, right: float) -> float:
        """The Moodle grade (in %) of a choice; `right` is 100 over the correct count."""
        raise NotImplementedError

    def gift_mark(self, correct: bool, right: float) -> str:
        raise NotImplementedError

    def gift_answers(self, data: Data, text: Any) -> list[str]:
        choices = data["choices"]
        right = 100 / max(1, sum(choice["correct"] is True for choice in choices))
        lines = []
        for choice in choices:
            mark = self.gift_mark(choice["correct"] is True, right)
            feedback = f"#{text(choice['feedback'])}" if choice["feedback"] else ""
            lines.append(f"{mark}{text(choice['text'])}{feedback}")
        return lines

    def write_moodle_xml(self, element: Any, data: Data, codec: Codec) -> None:
        right = 100 / max(1, sum(choice["correct"] is True for choice in data["choices"]))
        codec.add(element, "single", self.moodle_single)
        codec.add(element, "shuffleanswers", "true")
        codec.add(element, "answernumbering", "abc")
        for choice in data["choices"]:
            fraction = self.fraction(choice["correct"] is True, right)
            codec.answer(element, fraction, choice["text"], choice["feedback"])


def gift_weight(percent: float) -> str:
    return f"%{f'{percent:.5f}'.rstrip('0').rstrip('.')}%"
