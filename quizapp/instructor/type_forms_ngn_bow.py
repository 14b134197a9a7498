"""Authoring form mappings of the bow-tie and highlight types (NGN), as structured textareas.

Bow-tie: one textarea per group, a choice per line, `*` before each correct one. Highlight:
the passage in one textarea, each selectable phrase in `[[...]]`, a correct one `[[*...]]`,
optional feedback after a bar (`[[*swollen and pale | why]]`). The form fields are these
types' own, so they are added to QuestionForm here rather than in the shared form module.
"""

from __future__ import annotations

import re
from typing import Any

from wtforms import TextAreaField
from wtforms.validators import Length, Optional

from quizapp.instructor.forms import QuestionForm
from quizapp.instructor.type_forms import FORMS, FormMapping, Rows, _lines

MAX_GROUP = 2000  # characters in one bow-tie group's textarea (5 choices of a line or two)
MAX_PASSAGE = 6000  # characters of a highlight passage
PHRASE = re.compile(r"\[\[(\*?)(.*?)\]\]", re.S)
GROUP_FIELDS = {
    "condition": "bowtie_condition",
    "actions": "bowtie_actions",
    "parameters": "bowtie_parameters",
}
_FIELDS = {
    "bowtie_condition": TextAreaField(
        "Condition most likely: 4 choices, one per line; put * before the correct one",
        validators=[Optional(), Length(max=MAX_GROUP)],
    ),
    "bowtie_actions": TextAreaField(
        "Actions to take: 5 choices, one per line; put * before each of the 2 correct ones",
        validators=[Optional(), Length(max=MAX_GROUP)],
    ),
    "bowtie_parameters": TextAreaField(
        "Parameters to monitor: 5 choices, one per line; put * before each of the 2 correct ones",
        validators=[Optional(), Length(max=MAX_GROUP)],
    ),
    "highlight_passage": TextAreaField(
        "Passage: put each selectable phrase in [[double brackets]], a correct one as "
        "[[*phrase]]; feedback may follow a bar: [[*phrase | why]]",
        validators=[Optional(), Length(max=MAX_PASSAGE)],
    ),
}
for _name, _field in _FIELDS.items():
    setattr(QuestionForm, _name, _field)  # WTForms' FormMeta rebinds fields set on the class


def _starred(text: str | None, one: bool) -> dict[str, Any]:
    lines = _lines(text)
    choices = [line.removeprefix("*").strip() for line in lines]
    correct = [c for line, c in zip(lines, choices, strict=True) if line.startswith("*")]
    return {"choices": choices, "correct": correct[0] if one and len(correct) == 1 else correct}


class BowtieForm(FormMapping):
    partial = "types/bowtie/form.html"

    def from_form(self, form: QuestionForm, rows: Rows) -> dict[str, Any]:
        return {
            key: _starred(getattr(form, name).data, one=key == "condition")
            for key, name in GROUP_FIELDS.items()
        }

    def to_form(self, data: dict[str, Any], form: QuestionForm) -> None:
        for key, name in GROUP_FIELDS.items():
            part = data.get(key) or {}
            correct = part.get("correct")
            wanted = {correct} if isinstance(correct, str) else set(correct or [])
            lines = [("*" if text in wanted else "") + text for text in part.get("choices", [])]
            getattr(form, name).data = "\n".join(lines)

    def target(self, form: QuestionForm, path: str, rows: Rows) -> Any:
        key = re.split(r"[.\[]", path, maxsplit=1)[0]
        return getattr(form, GROUP_FIELDS[key]) if key in GROUP_FIELDS else None


def passage_from_text(text: str) -> list[Any]:
    """The YAML passage list from the form's `[[phrase]]` text (plain runs kept as written)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    passage: list[Any] = []
    end = 0
    for match in PHRASE.finditer(text):
        if match.start() > end:
            passage.append(text[end : match.start()])
        phrase, _bar, feedback = match.group(2).partition("|")
        entry = {"phrase": phrase.strip(), "correct": match.group(1) == "*"}
        passage.append(entry | ({"feedback": feedback.strip()} if feedback.strip() else {}))
        end = match.end()
    if end < len(text):
        passage.append(text[end:])
    return passage


def passage_to_text(passage: list[Any]) -> str:
    parts = []
    for part in passage:
        if isinstance(part, dict):
            feedback = f" | {part['feedback']}" if part.get("feedback") else ""
            parts.append(f"[[{'*' if part.get('correct') else ''}{part['phrase']}{feedback}]]")
        else:
            parts.append(str(part))
    return "".join(parts)


class HighlightForm(FormMapping):
    partial = "types/highlight/form.html"

    def from_form(self, form: QuestionForm, rows: Rows) -> dict[str, Any]:
        return {"passage": passage_from_text((form.highlight_passage.data or "").strip())}

    def to_form(self, data: dict[str, Any], form: QuestionForm) -> None:
        form.highlight_passage.data = passage_to_text(list(data.get("passage") or []))

    def target(self, form: QuestionForm, path: str, rows: Rows) -> Any:
        return form.highlight_passage if path.startswith("passage") else None


FORMS.update({"bowtie": BowtieForm(), "highlight": HighlightForm()})
