"""Form mappings for matrix, cloze and ordering: their text boxes to answer data and back.

Each box holds lines ("text | correct | feedback"); a problem with any part of the answer data
is shown beside the box its lines came from (the type's messages name the row or drop-down).
"""

from __future__ import annotations

from typing import Any

from quizapp.instructor.forms import QuestionForm
from quizapp.instructor.type_forms import FormMapping, Rows


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _cells(line: str, count: int) -> list[str]:
    """The `count` parts of a "a | b | c" line, stripped; missing parts are empty."""
    parts = [part.strip() for part in line.split("|", count - 1)]
    return parts + [""] * (count - len(parts))


def _list(text: str) -> list[str]:
    return [item.strip() for item in text.split(";") if item.strip()]


def _field_for(path: str, fields: dict[str, Any]) -> Any:
    """The box whose lines a problem's path (such as "rows[2].correct") came from."""
    head = path.split("[", 1)[0].split(".", 1)[0]
    return fields.get(head)


class MatrixForm(FormMapping):
    partial = "types/matrix/form.html"

    def from_form(self, form: QuestionForm, rows: Rows) -> dict[str, Any]:
        grid = []
        for line in _lines(form.matrix_rows.data):
            text, correct, feedback = _cells(line, 3)
            grid.append({"text": text, "correct": _list(correct), "feedback": feedback or None})
        columns = _lines(form.matrix_columns.data)
        return {"mode": form.matrix_mode.data or "single", "columns": columns, "rows": grid}

    def to_form(self, data: dict[str, Any], form: QuestionForm) -> None:
        form.matrix_mode.data = data.get("mode") or "single"
        form.matrix_columns.data = "\n".join(data.get("columns") or [])
        lines = []
        for row in data.get("rows") or []:
            feedback = [row["feedback"]] if row.get("feedback") else []
            lines.append(" | ".join([row["text"], "; ".join(row["correct"]), *feedback]))
        form.matrix_rows.data = "\n".join(lines)

    def target(self, form: QuestionForm, path: str, rows: Rows) -> Any:
        boxes = {"mode": form.matrix_mode, "columns": form.matrix_columns, "rows": form.matrix_rows}
        return _field_for(path, boxes)


class ClozeForm(FormMapping):
    partial = "types/cloze/form.html"

    def from_form(self, form: QuestionForm, rows: Rows) -> dict[str, Any]:
        blanks = []
        for line in _lines(form.cloze_blanks.data):
            place, options, correct = _cells(line, 3)
            blanks.append({"id": place.strip("{} "), "options": _list(options), "correct": correct})
        return {"text": form.cloze_text.data or "", "blanks": blanks}

    def to_form(self, data: dict[str, Any], form: QuestionForm) -> None:
        form.cloze_text.data = data.get("text") or ""
        form.cloze_blanks.data = "\n".join(
            f"{b['id']} | {'; '.join(b['options'])} | {b['correct']}"
            for b in data.get("blanks") or []
        )

    def target(self, form: QuestionForm, path: str, rows: Rows) -> Any:
        return _field_for(path, {"text": form.cloze_text, "blanks": form.cloze_blanks})


class OrderingForm(FormMapping):
    partial = "types/ordering/form.html"

    def from_form(self, form: QuestionForm, rows: Rows) -> dict[str, Any]:
        return {"steps": _lines(form.ordering_steps.data)}

    def to_form(self, data: dict[str, Any], form: QuestionForm) -> None:
        form.ordering_steps.data = "\n".join(data.get("steps") or [])

    def target(self, form: QuestionForm, path: str, rows: Rows) -> Any:
        return _field_for(path, {"steps": form.ordering_steps})


FORMS: dict[str, FormMapping] = {
    "matrix": MatrixForm(),
    "cloze": ClozeForm(),
    "ordering": OrderingForm(),
}
