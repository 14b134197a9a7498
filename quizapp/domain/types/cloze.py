"""Drop-down cloze (NGN): a text with {{id}} places, each a drop-down of 3 to 5 options.

Scored 0/1 per drop-down (right drop-downs / drop-downs), as NCSBN scores a drop-down cloze.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from quizapp.domain.answer_fields import EmptyAnswer, Fields, among, one
from quizapp.domain.types.base import (
    Data,
    Described,
    PartView,
    QuestionType,
    Review,
    Shown,
    register,
)
from quizapp.domain.types.checks import Check, clean_text, clean_text_list, fold

PLACE = re.compile(r"\{\{\s*([^{}\s]+)\s*\}\}")
OPTIONS = (3, 5)
BLANKS = (1, 10)


def _correct_spelling(value: object, options: object) -> Any:
    """The correct option spelt as it is among the options (matched without case)."""
    value = clean_text(value)
    if isinstance(value, str) and isinstance(options, list):
        return next((o for o in options if isinstance(o, str) and fold(o) == fold(value)), value)
    return value


def pieces(text: str) -> list[tuple[str, str | None]]:
    """The text cut at its places: (text before, place id), ending with (rest, None)."""
    found, at = [], 0
    for match in PLACE.finditer(text):
        found.append((text[at : match.start()], match.group(1)))
        at = match.end()
    return [*found, (text[at:], None)]


@register
class Cloze(QuestionType):
    name = "cloze"
    label = "Drop-down cloze"
    # Why GIFT and Moodle XML cannot hold it (the export report gives these reasons)
    not_in_gift = "GIFT has no drop-downs inside a sentence."
    not_in_moodle_xml = (
        "Moodle's embedded answers (cloze) type could hold it, but this export does not write"
        " that type yet."
    )
    fields = frozenset({"text", "blanks"})
    FIELDS = ("id", "options", "correct")
    hint = "Choose an option for each drop-down."
    moodle_type = "multianswer"

    def normalize(self, data: Data) -> dict[str, Any]:
        blanks = data.get("blanks")
        if isinstance(blanks, list | tuple):
            blanks = [
                {
                    "id": clean_text(b.get("id"), str(i + 1)),
                    "options": (options := clean_text_list(b.get("options"))),
                    "correct": _correct_spelling(b.get("correct"), options),
                }
                if isinstance(b, Mapping)
                else b
                for i, b in enumerate(blanks)
            ]
        return {"text": clean_text(data.get("text")), "blanks": blanks}

    def _check(self, data: dict[str, Any], raw: Data, check: Check) -> None:
        text = data["text"]
        if not check.text(text, "text", "text with its {{1}} places"):
            text = ""
        places = [place for _, place in pieces(text) if place is not None]
        if text and not places:
            check.add("text", "Mark each drop-down's place in the text as {{1}}, {{2}}, ...")
        for place in sorted({p for p in places if places.count(p) > 1}):
            check.add("text", f"The place {{{{{place}}}}} is in the text more than once.")
        ids: dict[str, str] = {}
        if not check.count(data["blanks"], "blanks", *BLANKS):
            return
        for path, blank in check.mappings(data["blanks"], "blanks", raw.get("blanks"), self.FIELDS):
            n = int(path.removeprefix("blanks[").removesuffix("]")) + 1
            known = check.text(blank["id"], f"{path}.id", f"id of drop-down {n}", ids, key=str)
            if known and text and blank["id"] not in places:
                check.add(f"{path}.id", f"The text has no place {{{{{blank['id']}}}}}.")
            self._check_options(blank, path, f"drop-down {blank['id']}", check)
        for place in dict.fromkeys(places):
            if place not in ids:
                check.add("text", f"The place {{{{{place}}}}} has no drop-down in blanks.")

    def _check_options(self, blank: Mapping, path: str, name: str, check: Check) -> None:
        seen: dict[str, str] = {}
        options = blank["options"]
        if not isinstance(options, list) or not OPTIONS[0] <= len(options) <= OPTIONS[1]:
            check.add(f"{path}.options", f"Give {name} a list of 3 to 5 options.")
        for j, option in enumerate(options if isinstance(options, list) else []):
            check.text(option, f"{path}.options[{j}]", f"option of {name}", seen)
        given = check.text(blank["correct"], f"{path}.correct", f"correct option of {name}")
        if given and isinstance(options, list) and fold(blank["correct"]) not in seen:
            check.add(f"{path}.correct", f"{blank['correct']!r} is not an option of {name}.")

    def _in_text_order(self, data: Data) -> list[Mapping[str, Any]]:
        by_id = {b["id"]: b for b in data["blanks"]}
        return [by_id[p] for _, p in pieces(data["text"]) if p is not None and p in by_id]

    def grade(self, data: Data, response: object) -> float:
        blanks = data["blanks"]
        if not isinstance(response, Mapping) or not blanks:
            return 0.0
        return sum(response.get(b["id"]) == b["correct"] for b in blanks) / len(blanks)

    def correct_response(self, data: Data) -> dict[str, str]:
        return {blank["id"]: blank["correct"] for blank in data["blanks"]}

    def parse_response(self, data: Data, fields: Fields) -> dict[str, str]:
        """Drop-downs among this version's ids, each value among its own options."""
        ids = [blank["id"] for blank in data["blanks"]]
        for name in fields:
            if name.startswith("blank-"):
                among(name.removeprefix("blank-"), ids, "drop-down")
        answer = {}
        for blank in data["blanks"]:
            value = one(fields, f"blank-{blank['id']}")
            if value:
                options = {fold(o): o for o in blank["options"]}
                answer[blank["id"]] = options[among(fold(value), options, "drop-down option")]
        if not answer:
            raise EmptyAnswer("Choose an option in at least one drop-down.")
        return answer

    def response_fields(self, response: object) -> dict[str, Any]:
        if not isinstance(response, Mapping):
            return {}
        return {f"blank-{key}": value for key, value in response.items()}

    def keep_given(self, view: Shown, fields: Mapping[str, list[str]]) -> None:
        view.prefill = {n: (v or [""])[0] for n, v in fields.items() if n.startswith("blank-")}

    def review(self, data: Data, response: object, order: Sequence[str]) -> Review:
        mine = response if isinstance(response, Mapping) else {}
        by_id = {b["id"]: b for b in data["blanks"]}
        parts: list[PartView] = []
        for lead, place in pieces(data["text"]):
            if place is None or place not in by_id:
                if parts:
                    parts[-1].trail += lead
                continue
            blank, chosen = by_id[place], mine.get(place)
            parts.append(
                PartView(
                    place,
                    f"Blank {len(parts) + 1}",
                    chosen=[chosen] if isinstance(chosen, str) else [],
                    correct=[blank["correct"]],
                    right=chosen == blank["correct"],
                    options=list(blank["options"]),
                    lead=lead,
                )
            )
        return Review(
            parts=parts,
            my_answer="; ".join(f"{p.label}: {(p.chosen or ['(none)'])[0]}" for p in parts),
            correct_answer="; ".join(f"{p.label}: {p.correct[0]}" for p in parts),
        )

    def describe(self, data: Data) -> list[Described]:
        found = [Described("text", "Text", data["text"])]
        for blank in self._in_text_order(data):
            key, label = f"blank:{blank['id']}", f"Drop-down {{{{{blank['id']}}}}}"
            options = "; ".join(blank["options"])
            found.append(Described(f"{key}:options", f"{label} options", options))
            found.append(Described(f"{key}:correct", f"{label} correct", blank["correct"], True))
        return found

    def file_fields(self, data: Data) -> dict[str, Any]:
        blanks = [
            {"id": b["id"], "options": list(b["options"]), "correct": b["correct"]}
            for b in data["blanks"]
        ]
        return {"text": data["text"], "blanks": blanks}
