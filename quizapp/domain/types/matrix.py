"""Matrix (NGN grid): rows against 2 to 5 columns, one column per row or any cells per row.

Why two rules: NCSBN scores a multiple-choice grid 0/1 per row and a multiple-response grid
+/- per cell, so ticking every cell of a response grid earns nothing (see docs).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from quizapp.domain.answer_fields import EmptyAnswer, Fields, InvalidAnswer, among, checked
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

MODES = {"single": "one column per row", "multiple": "any number of columns per row"}
COLUMNS = (2, 5)
ROWS = (3, 8)


def _row_correct(value: object, columns: object) -> Any:
    """The row's correct labels, spelt as the column they name (matched without case)."""
    labels = clean_text_list(value)
    if not isinstance(labels, list) or not isinstance(columns, list):
        return labels
    by_fold = {fold(c): c for c in columns if isinstance(c, str)}
    return [by_fold.get(fold(x), x) if isinstance(x, str) else x for x in labels]


@register
class Matrix(QuestionType):
    name = "matrix"
    label = "Matrix (grid)"
    # Why GIFT and Moodle XML cannot hold it (the export report gives these reasons)
    not_in_gift = (
        "GIFT has no grid of rows and columns, and as separate questions it would lose the "
        "grid's scoring."
    )
    not_in_moodle_xml = (
        "Moodle has no grid question in core, and as separate questions it would lose the "
        "grid's scoring."
    )
    fields = frozenset({"mode", "columns", "rows"})
    FIELDS = ("id", "text", "correct", "feedback")
    hint = "Choose for each row."
    moodle_type = "matrix"

    def normalize(self, data: Data) -> dict[str, Any]:
        mode = clean_text(data.get("mode"), "single")
        columns = clean_text_list(data.get("columns"))
        rows = data.get("rows")
        if isinstance(rows, list | tuple):
            rows = [
                {
                    "id": clean_text(r.get("id"), str(i + 1)),
                    "text": clean_text(r.get("text")),
                    "correct": _row_correct(r.get("correct"), columns),
                    "feedback": clean_text(r.get("feedback"), None),
                }
                if isinstance(r, Mapping)
                else r
                for i, r in enumerate(rows)
            ]
        mode = mode.casefold() if isinstance(mode, str) else mode
        return {"mode": mode, "columns": columns, "rows": rows}

    def _check(self, data: dict[str, Any], raw: Data, check: Check) -> None:
        if not isinstance(data["mode"], str) or data["mode"] not in MODES:
            check.add("mode", "The mode must be single (one column per row) or multiple.")
        columns: dict[str, str] = {}
        if check.count(data["columns"], "columns", *COLUMNS):
            for j, column in enumerate(data["columns"]):
                check.text(column, f"columns[{j}]", "column", columns)
        texts: dict[str, str] = {}
        ids: dict[str, str] = {}
        if not check.count(data["rows"], "rows", *ROWS):
            return
        for path, row in check.mappings(data["rows"], "rows", raw.get("rows"), self.FIELDS):
            n = int(path.removeprefix("rows[").removesuffix("]")) + 1
            check.text(row["id"], f"{path}.id", f"id of row {n}", ids, key=str)
            check.text(row["text"], f"{path}.text", f"text of row {n}", texts)
            check.feedback(row["feedback"], f"{path}.feedback")
            where = (f"{path}.correct", f"Row {n}")
            self._check_correct(data["mode"], row["correct"], where, columns, check)

    def _check_correct(
        self, mode: object, correct: object, where: tuple[str, str], columns: dict, check: Check
    ) -> None:
        path, row = where
        if not isinstance(correct, list) or not correct:
            check.add(path, f"{row}: name its correct column (or columns).")
            return
        for label in correct:
            if not isinstance(label, str) or fold(label) not in columns:
                check.add(path, f"{row}: {label!r} is not one of the columns.")
        if len({fold(x) for x in correct if isinstance(x, str)}) != len(correct):
            check.add(path, f"{row}: a column is named twice.")
        if mode == "single" and len(correct) != 1:
            check.add(path, f"{row}: in a single grid each row has exactly one correct column.")

    def grade(self, data: Data, response: object) -> float:
        rows = data["rows"]
        if not isinstance(response, Mapping) or not rows:
            return 0.0
        picked = [self._picked(response, row) for row in rows]
        if data["mode"] == "single":
            return sum(p == set(r["correct"]) for p, r in zip(picked, rows, strict=True)) / len(
                rows
            )
        total = sum(len(r["correct"]) for r in rows)
        points = sum(
            len(p & set(r["correct"])) - len(p - set(r["correct"]))
            for p, r in zip(picked, rows, strict=True)
        )
        return max(0, points) / total if total else 0.0

    def _picked(self, response: Mapping, row: Mapping) -> set[str]:
        value = response.get(row["id"])
        return {v for v in value if isinstance(v, str)} if isinstance(value, list) else set()

    def correct_response(self, data: Data) -> dict[str, list[str]]:
        return {row["id"]: list(row["correct"]) for row in data["rows"]}

    def parse_response(self, data: Data, fields: Fields) -> dict[str, list[str]]:
        """Rows among this version's row ids, cells among its columns; one per row when single."""
        ids = [row["id"] for row in data["rows"]]
        for name in fields:
            if name.startswith("row-"):
                among(name.removeprefix("row-"), ids, "grid row")
        columns = {fold(c): c for c in data["columns"]}
        answer: dict[str, list[str]] = {}
        for row_id in ids:
            given = [checked(v) for v in fields.get(f"row-{row_id}") or []]
            picked = {columns[among(fold(v), columns, "column")] for v in given if v}
            if data["mode"] == "single" and len(picked) > 1:
                raise InvalidAnswer("Choose one column in each row. Nothing was saved.")
            if picked:
                answer[row_id] = [c for c in data["columns"] if c in picked]
        if not answer:
            raise EmptyAnswer("Choose an answer in at least one row.")
        return answer

    def response_fields(self, response: object) -> dict[str, Any]:
        if not isinstance(response, Mapping):
            return {}
        return {f"row-{key}": list(value) for key, value in response.items()}

    def keep_given(self, view: Shown, fields: Mapping[str, list[str]]) -> None:
        view.prefill = {name: list(v) for name, v in fields.items() if name.startswith("row-")}

    def review(self, data: Data, response: object, order: Sequence[str]) -> Review:
        mine = response if isinstance(response, Mapping) else {}
        parts = []
        for row in data["rows"]:
            chosen = self._picked(mine, row)
            parts.append(
                PartView(
                    row["id"],
                    row["text"],
                    chosen=[c for c in data["columns"] if c in chosen],
                    correct=list(row["correct"]),
                    right=chosen == set(row["correct"]),
                    feedback=row["feedback"],
                    options=list(data["columns"]),
                    many=data["mode"] == "multiple",
                )
            )
        return Review(
            parts=parts,
            options=list(data["columns"]),
            my_answer="; ".join(f"{p.label}: {', '.join(p.chosen) or '(none)'}" for p in parts),
            correct_answer="; ".join(f"{p.label}: {', '.join(p.correct)}" for p in parts),
            feedback=[f"{p.label}: {p.feedback}" for p in parts if p.feedback],
        )

    def describe(self, data: Data) -> list[Described]:
        found = [
            Described("mode", "Grid", f"{data['mode']}: {MODES.get(data['mode'], '')}", True),
            Described("columns", "Columns", "; ".join(data["columns"])),
        ]
        for row in data["rows"]:
            key, label = f"row:{row['id']}", f"Row {row['id']}"
            found.append(Described(key, label, row["text"]))
            correct = ", ".join(row["correct"])
            found.append(Described(f"{key}:correct", f"{label} correct", correct, True))
            if row.get("feedback"):
                found.append(Described(f"{key}:feedback", f"{label} feedback", row["feedback"]))
        return found

    def file_fields(self, data: Data) -> dict[str, Any]:
        rows = []
        for i, row in enumerate(data["rows"]):
            entry = {} if row["id"] == str(i + 1) else {"id": row["id"]}
            entry |= {"text": row["text"], "correct": list(row["correct"])}
            rows.append(entry | ({"feedback": row["feedback"]} if row["feedback"] else {}))
        return {"mode": data["mode"], "columns": list(data["columns"]), "rows": rows}
