"""Between the question form and a QuestionDraft, and from draft problems back to form fields."""

from __future__ import annotations

import re
from typing import Any

from quizapp.instructor.forms import QuestionForm
from quizapp.services.authoring import QuestionDraft

_PATH = re.compile(r"^(choices|pairs|accepted|distractors)\[(\d+)\](?:\.(\w+))?$")


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def form_to_draft(form: QuestionForm) -> tuple[QuestionDraft, dict[str, list[int]]]:
    """The draft, and for choices and pairs the form row behind each kept entry."""
    kind = form.type.data or "single"
    rows: dict[str, list[int]] = {"choices": [], "pairs": []}
    data: dict[str, Any]
    if kind in ("single", "multiple"):
        choices = []
        for index, row in enumerate(form.choices):
            if row.form.remove.data or not (row.form.text.data or "").strip():
                continue
            rows["choices"].append(index)
            choices.append(
                {
                    "text": row.form.text.data or "",
                    "correct": bool(row.form.correct.data),
                    "feedback": row.form.feedback.data or None,
                }
            )
        data = {"choices": choices}
    elif kind == "matching":
        pairs = []
        for index, row in enumerate(form.pairs):
            if row.form.remove.data or not (
                (row.form.prompt.data or "").strip() or (row.form.answer.data or "").strip()
            ):
                continue
            rows["pairs"].append(index)
            pairs.append(
                {
                    "prompt": row.form.prompt.data or "",
                    "answer": row.form.answer.data or "",
                    "feedback": row.form.feedback.data or None,
                }
            )
        data = {"pairs": pairs, "distractors": _lines(form.distractors.data)}
    elif kind == "true_false":
        answer = {"true": True, "false": False}.get(form.tf_answer.data or "")
        data = {
            "answer": answer,
            "feedback_true": form.feedback_true.data or None,
            "feedback_false": form.feedback_false.data or None,
        }
    elif kind == "numeric":
        data = {
            "value": form.value.data,
            "tolerance": form.tolerance.data,
            "unit": form.unit.data or "",
        }
    else:
        data = {"accepted": _lines(form.accepted.data)}
    draft = QuestionDraft(
        type=kind,
        stem=form.stem.data or "",
        data=data,
        rationale=form.rationale.data or "",
        difficulty=int(form.difficulty.data or 2),
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
    data = draft.data
    if draft.type in ("single", "multiple"):
        _fill_rows(
            form.choices,
            [
                {"text": c["text"], "correct": c["correct"], "feedback": c.get("feedback") or ""}
                for c in data.get("choices", [])
            ],
        )
    elif draft.type == "matching":
        _fill_rows(
            form.pairs,
            [
                {"prompt": p["prompt"], "answer": p["answer"], "feedback": p.get("feedback") or ""}
                for p in data.get("pairs", [])
            ],
        )
        form.distractors.data = "\n".join(data.get("distractors", []))
    elif draft.type == "true_false":
        form.tf_answer.data = "true" if data.get("answer") else "false"
        form.feedback_true.data = data.get("feedback_true") or ""
        form.feedback_false.data = data.get("feedback_false") or ""
    elif draft.type == "numeric":
        form.value.data = data.get("value")
        form.tolerance.data = data.get("tolerance")
        form.unit.data = data.get("unit")
    elif draft.type == "short_answer":
        form.accepted.data = "\n".join(data.get("accepted", []))


def _fill_rows(field_list: Any, values: list[dict[str, Any]]) -> None:
    while len(field_list) < len(values):
        field_list.append_entry()
    for row, value in zip(field_list, values + [{}] * (len(field_list) - len(values)), strict=True):
        for name in ("text", "correct", "feedback", "prompt", "answer"):
            if hasattr(row.form, name):
                getattr(row.form, name).data = value.get(name, False if name == "correct" else "")


def _add_error(field: Any, message: str) -> None:
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
    for path, message in problems:
        match = _PATH.match(path)
        if match:
            name, index, sub = match.group(1), int(match.group(2)), match.group(3)
            if name in ("choices", "pairs") and index < len(rows[name]):
                row = getattr(form, name)[rows[name][index]].form
                target = getattr(row, sub or "text", None) or getattr(row, "prompt", None)
                if target is not None:
                    _add_error(target, message)
                    continue
            _add_error(getattr(form, name), message)
            continue
        if path in ("choices", "pairs"):
            general.setdefault(path, []).append(message)
        elif path in SIMPLE_FIELDS:
            _add_error(getattr(form, SIMPLE_FIELDS[path]), message)
        else:
            general.setdefault("form", []).append(f"{path}: {message}")
    return general
