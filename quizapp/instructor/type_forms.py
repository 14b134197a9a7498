"""Each question type's authoring form mapping: its form fields to answer data and back.

Found by the type's name (`form_mapping`); a new type adds one mapping here beside its plug-in
in `quizapp/domain/types/` (a test checks every registered type has one).
"""

from __future__ import annotations

import re
from typing import Any

from quizapp.domain.types import all_types
from quizapp.domain.types.grades import percent_text
from quizapp.instructor.forms import QuestionForm

ROW_FIELDS: tuple[str, ...] = ("text", "correct", "fraction", "feedback", "prompt", "answer")
ROW_FIELDS += ("value", "tolerance", "unit", "multiplier")
Rows = dict[str, list[int]]  # for choices and pairs, the form row behind each kept entry


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _fill_rows(field_list: Any, values: list[dict[str, Any]]) -> None:
    while len(field_list) < len(values):
        field_list.append_entry()
    for row, value in zip(field_list, values + [{}] * (len(field_list) - len(values)), strict=True):
        for name in (*ROW_FIELDS,):
            if hasattr(row.form, name):
                getattr(row.form, name).data = value.get(name, False if name == "correct" else "")


def _grade(raw: str | None) -> float | None:
    """A grade picked from the select (its options are Moodle's grades); None when left out."""
    try:
        return float(raw) if raw else None
    except ValueError:
        return None


def _grade_text(fraction: object) -> str:
    return percent_text(fraction) if isinstance(fraction, float) else ""


class FormMapping:
    partial: str  # the template with its fields, under instructor/templates/types/

    def from_form(self, form: QuestionForm, rows: Rows) -> dict[str, Any]:
        """The answer data the form's fields hold (raw: the type's validate names problems)."""
        raise NotImplementedError

    def to_form(self, data: dict[str, Any], form: QuestionForm) -> None:
        """Fill the form's fields from answer data."""
        raise NotImplementedError

    def target(self, form: QuestionForm, path: str, rows: Rows) -> Any:
        """The field a problem at `path` belongs beside, when this type places it itself."""
        return None


class ChoicesForm(FormMapping):
    partial = "types/choices/form.html"  # one set of fields for single and multiple choice

    def from_form(self, form: QuestionForm, rows: Rows) -> dict[str, Any]:
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
                | ({"fraction": grade} if (grade := _grade(row.form.fraction.data)) else {})
            )
        return {"choices": choices}

    def to_form(self, data: dict[str, Any], form: QuestionForm) -> None:
        _fill_rows(
            form.choices,
            [
                {
                    "text": c["text"],
                    "correct": c["correct"],
                    "feedback": c.get("feedback") or "",
                    "fraction": _grade_text(c.get("fraction")),
                }
                for c in data.get("choices", [])
            ],
        )


class MatchingForm(FormMapping):
    partial = "types/matching/form.html"

    def from_form(self, form: QuestionForm, rows: Rows) -> dict[str, Any]:
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
        return {"pairs": pairs, "distractors": _lines(form.distractors.data)}

    def to_form(self, data: dict[str, Any], form: QuestionForm) -> None:
        _fill_rows(
            form.pairs,
            [
                {"prompt": p["prompt"], "answer": p["answer"], "feedback": p.get("feedback") or ""}
                for p in data.get("pairs", [])
            ],
        )
        form.distractors.data = "\n".join(data.get("distractors", []))


class TrueFalseForm(FormMapping):
    partial = "types/true_false/form.html"

    def from_form(self, form: QuestionForm, rows: Rows) -> dict[str, Any]:
        return {
            "answer": {"true": True, "false": False}.get(form.tf_answer.data or ""),
            "feedback_true": form.feedback_true.data or None,
            "feedback_false": form.feedback_false.data or None,
        }

    def to_form(self, data: dict[str, Any], form: QuestionForm) -> None:
        form.tf_answer.data = "true" if data.get("answer") else "false"
        form.feedback_true.data = data.get("feedback_true") or ""
        form.feedback_false.data = data.get("feedback_false") or ""


class NumericForm(FormMapping):
    """The correct value and unit first; then rows for other answers and other units."""

    partial = "types/numeric/form.html"

    def from_form(self, form: QuestionForm, rows: Rows) -> dict[str, Any]:
        unit = form.unit.data or ""
        others = []
        for index, row in enumerate(form.numeric_answers):
            if row.form.value.data is not None:
                rows["numeric_answers"].append(index)
                grade = _grade(row.form.fraction.data)
                others.append(
                    {
                        "value": row.form.value.data,
                        "tolerance": row.form.tolerance.data or 0.0,
                        "fraction": 100.0 if grade is None else grade,
                        "feedback": row.form.feedback.data or None,
                    }
                )
        units = []
        for index, unit_row in enumerate(form.numeric_units):
            if (unit_row.form.unit.data or "").strip():
                rows["numeric_units"].append(index)
                other_unit = unit_row.form
                units.append(
                    {"unit": other_unit.unit.data, "multiplier": other_unit.multiplier.data}
                )
        main = {"value": form.value.data, "tolerance": form.tolerance.data}
        if not others and not units:
            return main | {"unit": unit}
        first_unit = [{"unit": unit, "multiplier": 1.0}] if unit.strip() else []
        return {"answers": [main | {"fraction": 100.0}, *others], "units": first_unit + units}

    def to_form(self, data: dict[str, Any], form: QuestionForm) -> None:
        answers, units = list(data.get("answers") or []), list(data.get("units") or [])
        best = max(answers, key=lambda a: a["fraction"]) if answers else {}
        form.value.data, form.tolerance.data = best.get("value"), best.get("tolerance")
        form.unit.data = units[0]["unit"] if units else ""
        rest = [a for a in answers if a is not best]
        _fill_rows(
            form.numeric_answers,
            [a | {"fraction": _grade_text(a["fraction"]), "feedback": a["feedback"] or ""}
             for a in rest],
        )  # fmt: skip
        _fill_rows(form.numeric_units, units[1:])

    def target(self, form: QuestionForm, path: str, rows: Rows) -> Any:
        """The form field of a numeric problem path (answers[0] and units[0] are the top)."""
        match = re.fullmatch(r"(answers|units)\[(\d+)\](?:\.(\w+))?", path)
        if not match:
            return None
        name, index, sub = match.group(1), int(match.group(2)), match.group(3)
        if index == 0:
            return getattr(form, {"answers": sub or "value", "units": "unit"}[name], None)
        kept = rows["numeric_" + name]
        if index - 1 >= len(kept):
            return None
        row = getattr(form, "numeric_" + name)[kept[index - 1]].form
        return getattr(row, sub or ("value" if name == "answers" else "unit"), None)


class ShortAnswerForm(FormMapping):
    """Accepted answers (100%) one per line, and rows for answers with a grade or feedback."""

    partial = "types/short_answer/form.html"

    def from_form(self, form: QuestionForm, rows: Rows) -> dict[str, Any]:
        accepted = _lines(form.accepted.data)
        extra = []
        for index, row in enumerate(form.answers):
            if (row.form.text.data or "").strip():
                rows["answers"].append(index)
                grade = _grade(row.form.fraction.data)
                extra.append(
                    {
                        "text": row.form.text.data or "",
                        "fraction": 100.0 if grade is None else grade,
                        "feedback": row.form.feedback.data or None,
                    }
                )
        if not extra and not form.case_sensitive.data:
            return {"accepted": accepted}
        answers = [{"text": text, "fraction": 100.0} for text in accepted] + extra
        return {"answers": answers, "case_sensitive": bool(form.case_sensitive.data)}

    def to_form(self, data: dict[str, Any], form: QuestionForm) -> None:
        answers = data.get("answers") or []
        plain = [a for a in answers if a["fraction"] >= 100 and not a.get("feedback")]
        form.accepted.data = "\n".join(a["text"] for a in plain)
        _fill_rows(
            form.answers,
            [
                {"text": a["text"], "fraction": _grade_text(a["fraction"]),
                 "feedback": a.get("feedback") or ""}
                for a in answers
                if a not in plain
            ],
        )  # fmt: skip
        form.case_sensitive.data = bool(data.get("case_sensitive"))


FORMS: dict[str, FormMapping] = {
    "single": ChoicesForm(),
    "multiple": ChoicesForm(),
    "true_false": TrueFalseForm(),
    "matching": MatchingForm(),
    "numeric": NumericForm(),
    "short_answer": ShortAnswerForm(),
}


# The NGN grid types' mappings sit in their own module (it imports FormMapping from here).
from quizapp.instructor.type_forms_ngn_grid import FORMS as NGN_GRID_FORMS  # noqa: E402

FORMS |= NGN_GRID_FORMS


def form_mapping(name: str) -> FormMapping | None:
    """The mapping for the type `name`, or None for a name no type has."""
    return FORMS.get(name)


def form_partials() -> list[str]:
    """The authoring field templates, once each, in the order of the registered types."""
    mappings = [form_mapping(qtype.name) for qtype in all_types()]
    return list(dict.fromkeys(mapping.partial for mapping in mappings if mapping is not None))


import quizapp.instructor.type_forms_ngn_bow  # noqa: E402, F401  (registers bowtie and highlight)
