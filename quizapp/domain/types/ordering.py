"""Ordering: 3 to 7 steps, written in the right order and shown shuffled; the trainee gives
each step a position. Scored 0/1 per adjacent pair: a step followed by its right successor
earns a point, out of steps - 1 (one misplaced step costs one or two pairs, not all).

Step ids come from the step's text, not its place, so the page's HTML does not give the order
away; a shown order that happens to be the right one is reversed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from itertools import pairwise
from typing import Any

from quizapp.domain.answer_fields import EmptyAnswer, Fields, InvalidAnswer, among, one
from quizapp.domain.types.base import (
    ChoiceView,
    Data,
    Described,
    PartView,
    QuestionType,
    Review,
    Shown,
    register,
)
from quizapp.domain.types.checks import Check, clean_text_list, fold

STEPS = (3, 7)


def step_id(text: str) -> str:
    """A stable id for a step, from its folded text (the same text keeps its id)."""
    return "s" + hashlib.sha1(fold(text).encode("utf-8")).hexdigest()[:8]


@register
class Ordering(QuestionType):
    name = "ordering"
    label = "Ordering"
    # Why GIFT and Moodle XML cannot hold it (the export report gives these reasons)
    not_in_gift = "GIFT has no ordering question."
    not_in_moodle_xml = (
        "Moodle's ordering type is not in every Moodle, and it does not score per adjacent "
        "pair as we do."
    )
    fields = frozenset({"steps"})
    hint = "Give each step its position, 1 first."
    moodle_type = "ordering"

    def normalize(self, data: Data) -> dict[str, Any]:
        return {"steps": clean_text_list(data.get("steps"))}

    def _check(self, data: dict[str, Any], raw: Data, check: Check) -> None:
        seen: dict[str, str] = {}
        if check.count(data["steps"], "steps", *STEPS):
            for i, step in enumerate(data["steps"]):
                check.text(step, f"steps[{i}]", f"step {i + 1}", seen)

    def ids(self, data: Data) -> list[str]:
        """The step ids in the right order."""
        return [step_id(step) for step in data["steps"]]

    def grade(self, data: Data, response: object) -> float:
        ids = self.ids(data)
        if not isinstance(response, list) or len(ids) < 2:
            return 0.0
        successor = dict(pairwise(ids))
        pairs = pairwise(response)
        right = sum(isinstance(a, str) and successor.get(a) == b for a, b in pairs)
        return right / (len(ids) - 1)

    def correct_response(self, data: Data) -> list[str]:
        return self.ids(data)

    def parse_response(self, data: Data, fields: Fields) -> list[str]:
        """Every step of this version with its own position 1..n: the ids in the given order."""
        ids = self.ids(data)
        for name in fields:
            if name.startswith("pos-"):
                among(name.removeprefix("pos-"), ids, "step")
        positions = [str(n) for n in range(1, len(ids) + 1)]
        given = {sid: one(fields, f"pos-{sid}") for sid in ids}
        if not any(given.values()):
            raise EmptyAnswer("Give each step its position.")
        if not all(given.values()):
            raise InvalidAnswer(
                f"Give every step a position from 1 to {len(ids)}. Nothing was saved."
            )
        for value in given.values():
            among(value, positions, "position")
        if len(set(given.values())) != len(ids):
            raise InvalidAnswer(
                "Two steps have the same position; give each step its own position. "
                "Nothing was saved."
            )
        return sorted(ids, key=lambda sid: int(given[sid]))

    def response_fields(self, response: object) -> dict[str, Any]:
        if not isinstance(response, list):
            return {}
        return {f"pos-{sid}": str(n) for n, sid in enumerate(response, 1)}

    def keep_given(self, view: Shown, fields: Mapping[str, list[str]]) -> None:
        view.prefill = {n: (v or [""])[0] for n, v in fields.items() if n.startswith("pos-")}

    def shuffled_ids(self, data: Data) -> list[str]:
        return self.ids(data)

    def shown_order(self, data: Data, order: Sequence[str]) -> list[str]:
        """The attempt's frozen order (sorted ids when there is none), never the right one."""
        ids = self.ids(data)
        shown = list(order) if sorted(order) == sorted(ids) else sorted(ids)
        return shown[::-1] if shown == ids else shown

    def review(self, data: Data, response: object, order: Sequence[str]) -> Review:
        ids = self.ids(data)
        text = dict(zip(ids, data["steps"], strict=True))
        choices = [ChoiceView(sid, text[sid], False, None) for sid in self.shown_order(data, order)]
        mine = [s for s in response if s in text] if isinstance(response, list) else []
        successor = dict(pairwise(ids))
        parts = [
            PartView(
                f"{a}-{b}",
                text[a],
                chosen=[text[b]],
                correct=[text[successor[a]]] if a in successor else ["(nothing: it is last)"],
                right=successor.get(a) == b,
            )
            for a, b in pairwise(mine)
        ]
        return Review(
            choices=choices,
            parts=parts,
            my_answer="; ".join(f"{n}. {text[s]}" for n, s in enumerate(mine, 1)),
            correct_answer="; ".join(f"{n}. {step}" for n, step in enumerate(data["steps"], 1)),
        )

    def describe(self, data: Data) -> list[Described]:
        return [
            Described(f"step:{n}", f"Step {n}", step, True)
            for n, step in enumerate(data["steps"], 1)
        ]

    def file_fields(self, data: Data) -> dict[str, Any]:
        return {"steps": list(data["steps"])}
