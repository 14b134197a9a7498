"""Bow-tie (NGN): the condition (1 of 4) in the centre, actions to take (2 of 5) on the left,
parameters to monitor (2 of 5) on the right. 0/1 per correct choice placed, out of 5.

Choice ids are the group's letter and the choice's place in the authored list (c1..c4,
a1..a5, p1..p5): a response belongs to one version, so ids need only be stable within it.
More picks than a group allows are refused as an invalid answer, never scored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
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
from quizapp.domain.types.checks import Check, clean_text, fold


@dataclass(frozen=True)
class Group:
    """One part of the bow-tie: its field, id prefix, how many choices and how many to pick."""

    key: str
    prefix: str
    size: int
    pick: int
    title: str  # "Actions to take"
    noun: str  # "action"


GROUPS = (
    Group("actions", "a", 5, 2, "Actions to take", "action"),
    Group("condition", "c", 4, 1, "Condition most likely", "condition"),
    Group("parameters", "p", 5, 2, "Parameters to monitor", "parameter"),
)  # in the figure's order: left, centre, right
GROUP_KEYS = ("id", "choices", "correct")
_PLACEMENTS = sum(group.pick for group in GROUPS)


@dataclass
class GroupView:
    """A group as the page shows it: choices in the attempt's order, picks, and the verdict."""

    key: str
    title: str
    pick: int
    choices: list[ChoiceView] = field(default_factory=list)

    @property
    def right(self) -> int:
        return sum(c.chosen and c.correct for c in self.choices)


def _ids(group: Group, data: Data) -> list[str]:
    return [f"{group.prefix}{i}" for i in range(1, len(data[group.key]["choices"]) + 1)]


def _correct_texts(group: Group, data: Data) -> list[str]:
    correct = data[group.key]["correct"]
    return [correct] if isinstance(correct, str) else list(correct)


def _correct_ids(group: Group, data: Data) -> list[str]:
    wanted = {fold(text) for text in _correct_texts(group, data)}
    choices = data[group.key]["choices"]
    pairs = zip(_ids(group, data), choices, strict=True)
    return [cid for cid, text in pairs if fold(text) in wanted]


def _picked(response: object, group: Group) -> list[str]:
    if not isinstance(response, Mapping):
        return []
    value = response.get(group.key)
    values = [value] if isinstance(value, str) else value
    return [v for v in values if isinstance(v, str)] if isinstance(values, list | tuple) else []


@register
class Bowtie(QuestionType):
    name = "bowtie"
    label = "Bow-tie"
    # Why GIFT and Moodle XML cannot hold it (the export report gives these reasons)
    not_in_gift = (
        "A bow-tie's three linked groups (1 condition, 2 actions, 2 parameters, scored per "
        "placement) have no GIFT question type."
    )
    not_in_moodle_xml = (
        "Moodle has no bow-tie type, and three separate questions would not keep its scoring "
        "(1 point per placement, out of 5)."
    )
    fields = frozenset(group.key for group in GROUPS)
    hint = "Choose 1 condition, 2 actions to take and 2 parameters to monitor."
    moodle_type = "bowtie"  # none: gift_answers and write_moodle_xml refuse

    def normalize(self, data: Data) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for group in GROUPS:
            raw = data.get(group.key)
            if isinstance(raw, Mapping):
                choices = raw.get("choices")
                if isinstance(choices, list | tuple):
                    choices = [clean_text(c) for c in choices]
                correct = raw.get("correct")
                if group.pick == 1:
                    correct = clean_text(correct)
                elif isinstance(correct, list | tuple):
                    correct = [clean_text(c) for c in correct]
                raw = {"choices": choices, "correct": correct}
            found[group.key] = raw
        return found

    def _check(self, data: dict[str, Any], raw: Data, check: Check) -> None:
        for group in GROUPS:
            self._check_group(group, data[group.key], raw.get(group.key), check)

    def _check_group(self, group: Group, part: object, raw: object, check: Check) -> None:
        key = group.key
        if not isinstance(part, Mapping):
            check.add(key, f"Give {key} as a mapping with `choices` and `correct`.")
            return
        for name in raw if isinstance(raw, Mapping) else ():
            if name not in GROUP_KEYS[1:]:
                check.add(key, f"Unknown field {name!r} in {key}; use choices, correct.")
        choices = part["choices"]
        texts: dict[str, str] = {}
        if not isinstance(choices, list) or len(choices) != group.size:
            count = len(choices) if isinstance(choices, list) else "none"
            check.add(f"{key}.choices", f"Give exactly {group.size} {key} choices; got {count}.")
        for i, text in enumerate(choices if isinstance(choices, list) else []):
            check.text(text, f"{key}.choices[{i}]", f"{group.noun} choice", texts)
        correct = part["correct"]
        wanted = [correct] if group.pick == 1 and isinstance(correct, str) else correct
        if not isinstance(wanted, list) or any(not isinstance(t, str) or not t for t in wanted):
            shape = "one choice's text" if group.pick == 1 else f"a list of {group.pick} texts"
            check.add(f"{key}.correct", f"Give the correct {group.noun} as {shape}.")
            return
        if len({fold(t) for t in wanted}) != group.pick or len(wanted) != group.pick:
            check.add(f"{key}.correct", f"Mark exactly {group.pick} {key} correct; {len(wanted)}.")
        for text in wanted:
            if fold(text) not in texts:
                check.add(f"{key}.correct", f"The correct {group.noun} {text!r} is not a choice.")

    def grade(self, data: Data, response: object) -> float:
        """1 per correct pick; a group holding more picks than it allows scores nothing."""
        hits = 0
        for group in GROUPS:
            picked = set(_picked(response, group))
            if len(picked) <= group.pick:
                hits += len(picked & set(_correct_ids(group, data)))
        return hits / _PLACEMENTS

    def correct_response(self, data: Data) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for group in GROUPS:
            ids = _correct_ids(group, data)
            found[group.key] = ids[0] if group.pick == 1 else ids
        return found

    def parse_response(self, data: Data, fields: Fields) -> dict[str, Any]:
        """Only this version's ids, at most 1 condition and 2 of each list; not all empty."""
        answer: dict[str, Any] = {}
        for group in GROUPS:
            given = list(fields.get(group.key) or [])
            if len(given) > group.size:
                raise InvalidAnswer(f"More {group.key} were sent than there are; nothing saved.")
            ids = _ids(group, data)
            picked = sorted({checked(value) for value in given} - {""})
            picked = [among(value, ids, f"{group.noun} choice") for value in picked]
            if len(picked) > group.pick:
                raise InvalidAnswer(
                    f"Choose at most {group.pick} {group.key}: {len(picked)} were sent, so "
                    "nothing was saved."
                )
            if picked:
                answer[group.key] = picked[0] if group.pick == 1 else picked
        if not answer:
            raise EmptyAnswer("Choose a condition, 2 actions to take and 2 parameters to monitor.")
        return answer

    def response_fields(self, response: object) -> dict[str, Any]:
        return {group.key: _picked(response, group) for group in GROUPS}

    def choice_keys(self, data: Data, response: object) -> list[str]:
        known = {cid for group in GROUPS for cid in _ids(group, data)}
        picked = [cid for group in GROUPS for cid in _picked(response, group)]
        return [cid for cid in dict.fromkeys(picked) if cid in known]

    def counted_choices(self, data: Data) -> list[Mapping[str, Any]]:
        return [
            {"id": view.id, "text": f"{group.title}: {view.text}", "correct": view.correct}
            for group in GROUPS
            for view in self._views(group, data)
        ]

    def option_texts(self, data: Data) -> list[tuple[str, str]]:
        return [
            (f"{group.key}.choices[{i}]", text)
            for group in GROUPS
            for i, text in enumerate(data[group.key]["choices"])
        ]

    def shuffled_ids(self, data: Data) -> list[str]:
        return [cid for group in GROUPS for cid in _ids(group, data)]

    def _views(self, group: Group, data: Data, order: Sequence[str] = ()) -> list[ChoiceView]:
        ids = _ids(group, data)
        texts = dict(zip(ids, data[group.key]["choices"], strict=True))
        correct = set(_correct_ids(group, data))
        shown = [cid for cid in order if cid in texts] if order else []
        shown += [cid for cid in ids if cid not in shown]
        return [ChoiceView(cid, texts[cid], cid in correct, None) for cid in shown]

    def groups(self, data: Data, response: object, order: Sequence[str]) -> list[GroupView]:
        views = []
        for group in GROUPS:
            view = GroupView(group.key, group.title, group.pick, self._views(group, data, order))
            picked = set(_picked(response, group))
            for choice in view.choices:
                choice.chosen = choice.id in picked
            views.append(view)
        return views

    def review(self, data: Data, response: object, order: Sequence[str]) -> Review:
        groups = self.groups(data, response, order)

        def listed(pick: str) -> str:
            return "; ".join(
                f"{g.title}: "
                + (", ".join(c.text for c in g.choices if getattr(c, pick)) or "(none)")
                for g in groups
            )

        return Review(
            my_answer=listed("chosen"),
            correct_answer=listed("correct"),
            layout={"groups": groups, "placements": _PLACEMENTS},
        )

    def keep_given(self, view: Shown, fields: Mapping[str, list[str]]) -> None:
        for group in view.layout.get("groups", []):
            given = set(fields.get(group.key, []))
            for choice in group.choices:
                choice.chosen = choice.id in given

    def describe(self, data: Data) -> list[Described]:
        found: list[Described] = []
        for group in GROUPS:
            views = self._views(group, data)
            for n, view in enumerate(views, 1):
                label = f"{group.title}, choice {n}"
                found.append(Described(f"{group.key}:{view.id}", label, view.text))
            correct = "; ".join(v.text for v in views if v.correct)
            found.append(Described(f"{group.key}:correct", f"{group.title} (key)", correct, True))
        return found
