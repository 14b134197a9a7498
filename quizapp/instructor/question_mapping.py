"""Between the question form and a QuestionDraft, and from draft problems back to form fields."""

from __future__ import annotations

import re
from typing import Any

from wtforms import FieldList, FormField

from quizapp.instructor.forms import QuestionForm
from quizapp.instructor.type_forms import ShortAnswerForm, form_mapping
from quizapp.services.authoring import QuestionDraft

_PATH = re.compile(r"^(choices|pairs|answers|accepted|distractors)\[(\d+)\](?:\.(\w+))?$")


def form_to_draft(form: QuestionForm) -> tuple[QuestionDraft, dict[str, list[int]]]:
    """The draft, and for choices and pairs the form row behind each kept entry."""
    kind = form.type.data or "single"
    rows: dict[str, list[int]] = {"choices": [], "pairs": [], "answers": []}
    rows |= {"numeric_answers": [], "numeric_units": []}
    # A name no type has maps like a typed answer; the type check then refuses it by name.
    data = (form_mapping(kind) or ShortAnswerForm()).from_form(form, rows)
    draft = QuestionDraft(
        type=kind,
        stem=form.stem.data or "",
        data=data,
        rationale=form.rationale.data or "",
        difficulty=int(form.difficulty.data) if form.difficulty.data in ("1", "2", "3") else 2,
        tags=[t.strip() for t in (form.tags.data or "").split(",") if t.strip()],
        cites=list(form.cites.data or []),
        topic=form.topic.data or None,
    )
    return draft, rows


def draft_to_form(draft: QuestionDraft, form: QuestionForm) -> None:
    form.type.data = draft.type
    form.stem.data = draft.stem
    form.rationale.data = draft.rationale
    form.difficulty.data = str(draft.difficulty)
    form.tags.data = ", ".join(draft.tags)
    form.cites.data = list(draft.cites)
    form.topic.data = draft.topic or ""
    mapping = form_mapping(draft.type)
    if mapping is not None:
        mapping.to_form(draft.data, form)


def _answer_row(form: QuestionForm, index: int) -> tuple[str, int]:
    """Where `answers[index]` came from: a line of `accepted`, or a row after them."""
    accepted = len([line for line in (form.accepted.data or "").splitlines() if line.strip()])
    return ("accepted", index) if index < accepted else ("answers", index - accepted)


def _refresh_row_errors(form: QuestionForm) -> None:
    """A row list's errors were set by validate: gather its rows' errors again (so the page
    knows it has errors and answers 422)."""
    for name in ("choices", "pairs", "answers", "numeric_answers", "numeric_units"):
        rows_field = getattr(form, name)
        rows_field.errors = [entry.errors for entry in rows_field.entries]
        if not any(rows_field.errors):
            rows_field.errors = []


def _add_error(field: Any, message: str) -> None:
    if message not in field.errors:  # the form's own check and the type's may say the same
        field.errors = [*field.errors, message]


SIMPLE_FIELDS = {
    "type": "type",
    "stem": "stem",
    "rationale": "rationale",
    "cites": "cites",
    "topic": "topic",
    "difficulty": "difficulty",
    "value": "value",
    "tolerance": "tolerance",
    "unit": "unit",
    "accepted": "accepted",
    "case_sensitive": "case_sensitive",
    "distractors": "distractors",
    "answer": "tf_answer",
    "feedback_true": "feedback_true",
    "feedback_false": "feedback_false",
    "uid": "stem",
}


def apply_problems(
    form: QuestionForm, problems: list[tuple[str, str]], rows: dict[str, list[int]]
) -> dict[str, list[str]]:
    """Put each problem beside its field; returns errors about whole lists (choices, pairs)."""
    general: dict[str, list[str]] = {}
    mapping = form_mapping(form.type.data or "")
    for path, message in problems:
        target = mapping.target(form, path, rows) if mapping is not None else None
        if target is not None:
            _add_error(target, message)
            _refresh_row_errors(form)
            continue
        match = _PATH.match(path)
        if match:
            name, index, sub = match.group(1), int(match.group(2)), match.group(3)
            if name == "answers":  # the accepted lines come first, then the rows
                name, index = _answer_row(form, index)
            if name in ("choices", "pairs", "answers") and index < len(rows[name]):
                row = getattr(form, name)[rows[name][index]].form
                target = getattr(row, sub or "text", None) or getattr(row, "prompt", None)
                if target is not None:
                    _add_error(target, message)
                    _refresh_row_errors(form)
                    continue
            _add_error(getattr(form, name), message)
            continue
        if path == "answers":
            _add_error(form.accepted, message)
        elif path in ("choices", "pairs"):
            general.setdefault(path, []).append(message)
        elif path in SIMPLE_FIELDS:
            _add_error(getattr(form, SIMPLE_FIELDS[path]), message)
        else:
            general.setdefault("form", []).append(f"{path}: {message}")
    return general


def _field_errors(field: Any) -> list[tuple[str, str]]:
    if isinstance(field, FieldList):
        return [found for entry in field for found in _field_errors(entry)]
    if isinstance(field, FormField):
        return [found for sub in field.form for found in _field_errors(sub)]
    errors = field.errors if isinstance(field.errors, list) else []
    return [(field.id, f"{field.label.text}: {m}") for m in errors if isinstance(m, str)]


def error_summary(form: QuestionForm) -> list[tuple[str, str]]:
    """Every problem on the page, (the field's id to link to, the message), in form order."""
    found = [item for field in form for item in _field_errors(field) if field.name != "csrf_token"]
    general = getattr(form, "general_errors", None) or {}
    anchors = {"choices": "choices-0-text", "pairs": "pairs-0-prompt", "form": "stem"}
    for name, messages in general.items():
        found += [(anchors.get(name, "stem"), m) for m in messages]
    return found
