"""Highlight text (NGN): a passage (nurse's notes) in which the trainee selects phrases.

+/- per phrase: +1 for each correct phrase selected, -1 for each other one, floored at 0 and
divided by the number of correct phrases. Phrase ids are h1, h2, ... in passage order (a
response belongs to one version). The passage is never shuffled: its order is its meaning.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from quizapp.domain.answer_fields import EmptyAnswer, Fields, InvalidAnswer, among, checked
from quizapp.domain.types.base import (
    ChoiceView,
    Data,
    Described,
    QuestionType,
    Review,
    Shown,
    register,
)
from quizapp.domain.types.checks import Check, clean_bool, clean_text

PHRASES = (4, 10)  # fewest and most selectable phrases
PHRASE_KEYS = ("phrase", "correct", "feedback")


@dataclass
class Segment:
    """A run of the passage: plain text, or a selectable phrase (its ChoiceView)."""

    text: str
    phrase: ChoiceView | None = None


def _phrases(data: Data) -> list[dict[str, Any]]:
    passage = data.get("passage")
    return [p for p in passage if isinstance(p, dict)] if isinstance(passage, list) else []


def _ids(data: Data) -> list[str]:
    return [f"h{n}" for n in range(1, len(_phrases(data)) + 1)]


def _chosen(response: object) -> set[str]:
    if isinstance(response, str | bytes | Mapping) or not isinstance(response, Iterable):
        return set()
    return {item for item in response if isinstance(item, str)}


@register
class Highlight(QuestionType):
    name = "highlight"
    label = "Highlight text"
    # Why GIFT and Moodle XML cannot hold it (the export report gives these reasons)
    not_in_gift = (
        "GIFT has no question that selects phrases inside a passage, and a select-all list "
        "would lose the passage and the +/- scoring."
    )
    not_in_moodle_xml = (
        "Core Moodle has no highlight-text type, and a multiple-choice list would lose the "
        "passage around the phrases."
    )
    fields = frozenset({"passage"})
    hint = "Select each phrase that applies; a wrong selection takes a point away."
    moodle_type = "highlight"  # none: gift_answers and write_moodle_xml refuse

    def normalize(self, data: Data) -> dict[str, Any]:
        passage = data.get("passage")
        if isinstance(passage, list | tuple):
            passage = [
                {
                    "phrase": clean_text(part.get("phrase")),
                    "correct": clean_bool(part.get("correct", False)),
                    "feedback": clean_text(part.get("feedback"), None),
                }
                if isinstance(part, Mapping)
                else part
                for part in passage
            ]
        return {"passage": passage}

    def _check(self, data: dict[str, Any], raw: Data, check: Check) -> None:
        passage = data["passage"]
        if not isinstance(passage, list) or not passage:
            check.add("passage", "Give the passage as a list of texts and {phrase: ...} entries.")
            return
        raws = list(raw.get("passage") or [])
        seen: dict[str, str] = {}
        for i, part in enumerate(passage):
            path = f"passage[{i}]"
            if isinstance(part, str):
                if "[[" in part or "]]" in part:
                    check.add(
                        path, "Brackets [[ ]] hold a phrase: this text has one without its pair."
                    )
                continue
            if not isinstance(part, dict):
                check.add(path, "Each part is text, or a mapping {phrase: ..., correct: ...}.")
                continue
            for key in raws[i] if isinstance(raws[i], Mapping) else ():
                if key not in PHRASE_KEYS:
                    check.add(path, f"Unknown field {key!r}; use {', '.join(PHRASE_KEYS)}.")
            check.text(part["phrase"], f"{path}.phrase", "phrase", seen)
            if not isinstance(part["correct"], bool):
                check.add(f"{path}.correct", "Write correct: true or false.")
            check.feedback(part["feedback"], f"{path}.feedback")
        phrases = _phrases(data)
        low, high = PHRASES
        if not low <= len(phrases) <= high:
            check.add("passage", f"Mark {low} to {high} phrases; there are {len(phrases)}.")
        if phrases and not any(p["correct"] is True for p in phrases):
            check.add("passage", "Mark at least one phrase correct: true.")

    def grade(self, data: Data, response: object) -> float:
        chosen = _chosen(response)
        marks = zip(_ids(data), _phrases_correct(data), strict=True)
        picks = [ok for pid, ok in marks if pid in chosen]
        right = sum(_phrases_correct(data))
        return max(0, sum(picks) - (len(picks) - sum(picks))) / right if right else 0.0

    def correct_response(self, data: Data) -> list[str]:
        return [pid for pid, ok in zip(_ids(data), _phrases_correct(data), strict=True) if ok]

    def parse_response(self, data: Data, fields: Fields) -> list[str]:
        given = fields.get("answer") or []
        ids = _ids(data)
        if len(given) > len(ids):
            raise InvalidAnswer(
                "More phrases were sent than the passage has, so nothing was saved. "
                "Select each phrase once."
            )
        values = sorted({checked(value) for value in given} - {""})
        if not values:
            raise EmptyAnswer("Select at least one phrase.")
        return [among(value, ids, "phrase") for value in values]

    def response_fields(self, response: object) -> dict[str, Any]:
        return {"answer": sorted(_chosen(response))}

    def choice_keys(self, data: Data, response: object) -> list[str]:
        chosen = _chosen(response)
        return [pid for pid in _ids(data) if pid in chosen]

    def counted_choices(self, data: Data) -> list[Mapping[str, Any]]:
        return [
            {"id": pid, "text": p["phrase"], "correct": p["correct"] is True}
            for pid, p in zip(_ids(data), _phrases(data), strict=True)
        ]

    def segments(self, data: Data, response: object) -> list[Segment]:
        chosen, ids = _chosen(response), iter(_ids(data))
        found = []
        for part in data["passage"]:
            if isinstance(part, dict):
                pid = next(ids)
                view = ChoiceView(pid, part["phrase"], part["correct"] is True, part["feedback"])
                view.chosen = pid in chosen
                found.append(Segment(part["phrase"], view))
            else:
                found.append(Segment(str(part)))
        return found

    def review(self, data: Data, response: object, order: Sequence[str]) -> Review:
        segments = self.segments(data, response)
        phrases = [s.phrase for s in segments if s.phrase is not None]
        return Review(
            choices=phrases,
            my_answer="; ".join(p.text for p in phrases if p.chosen),
            correct_answer="; ".join(p.text for p in phrases if p.correct),
            feedback=[f"{p.text}: {p.feedback}" for p in phrases if p.feedback],
            layout={"segments": segments},
        )

    def keep_given(self, view: Shown, fields: Mapping[str, list[str]]) -> None:
        given = set(fields.get("answer", []))
        for choice in view.choices:  # the segments hold these same views
            choice.chosen = choice.id in given

    def describe(self, data: Data) -> list[Described]:
        found = [Described("passage", "Passage", self.plain_passage(data))]
        for n, (pid, part) in enumerate(zip(_ids(data), _phrases(data), strict=True), 1):
            key, label = f"phrase:{pid}", f"Phrase {n}"
            found.append(Described(key, label, part["phrase"]))
            if part.get("feedback"):
                found.append(Described(f"{key}:feedback", f"{label} feedback", part["feedback"]))
        correct = "; ".join(p["phrase"] for p in _phrases(data) if p["correct"] is True)
        return [*found, Described("correct", "Phrases to select", correct or "none", True)]

    def plain_passage(self, data: Data) -> str:
        """The passage as text with each phrase in [brackets] (a starred one is correct)."""
        return "".join(
            (f"[*{p['phrase']}]" if p["correct"] is True else f"[{p['phrase']}]")
            if isinstance(p, dict)
            else str(p)
            for p in data["passage"]
        )

    def file_fields(self, data: Data) -> dict[str, Any]:
        passage = [
            {"phrase": p["phrase"], "correct": p["correct"]}
            | ({"feedback": p["feedback"]} if p["feedback"] else {})
            if isinstance(p, dict)
            else p
            for p in data["passage"]
        ]
        return {"passage": passage}


def _phrases_correct(data: Data) -> list[bool]:
    return [p["correct"] is True for p in _phrases(data)]
