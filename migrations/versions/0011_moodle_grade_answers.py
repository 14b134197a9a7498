"""Moodle-grade answer data: every stored version's answer data in the new canonical form

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 04:35:00.000000

Choices gain `fraction` (None: graded by `correct`); a short answer's `accepted` texts become
`answers` worth 100% with `case_sensitive: false`; a numeric `value`/`tolerance`/`unit` becomes
one 100% answer and a list of `units` (multiplier 1). The conversions are frozen here (the
types may change later); they grade exactly as before (tests/unit/test_bank_grades_unchanged.py).

The downgrade writes the old form back. A version whose data the old form cannot hold (a
partial grade, Moodle's fractions, several answers or units, feedback per answer, case
sensitivity) would lose it, so the downgrade then refuses through quizapp.migration_guard
unless the operator allows data loss; allowed, it keeps what the old form can hold.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from quizapp.migration_guard import refuse_data_loss

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_VERSIONS = sa.table(
    "question_versions",
    sa.column("id", sa.Integer),
    sa.column("type", sa.String),
    sa.column("data", sa.JSON),
)
CHOICE_TYPES = ("single", "multiple")


def upgrade_data(type_name: str, data: Any) -> Any:
    """The new canonical form of one version's old-form answer data (new form unchanged)."""
    if not isinstance(data, dict):
        return data
    if type_name in CHOICE_TYPES and isinstance(data.get("choices"), list):
        choices = [
            {**c, "fraction": c.get("fraction")} if isinstance(c, dict) else c
            for c in data["choices"]
        ]
        return {**data, "choices": choices}
    if type_name == "short_answer" and "accepted" in data and "answers" not in data:
        answers = [{"text": t, "fraction": 100.0, "feedback": None} for t in data["accepted"]]
        return {"answers": answers, "case_sensitive": False}
    if type_name == "numeric" and "answers" not in data and "value" in data:
        answer = {"value": data["value"], "tolerance": data.get("tolerance") or 0.0}
        unit = data.get("unit")
        return {
            "answers": [answer | {"fraction": 100.0, "feedback": None}],
            "units": [{"unit": unit, "multiplier": 1.0}] if unit else [],
        }
    return data


def downgrade_data(type_name: str, data: Any) -> tuple[Any, bool]:
    """The old form of new-form answer data, and whether something was lost on the way."""
    if not isinstance(data, dict):
        return data, False
    if type_name in CHOICE_TYPES and isinstance(data.get("choices"), list):
        choices = data["choices"]
        lost = any(isinstance(c, dict) and c.get("fraction") is not None for c in choices)
        if type_name == "single" and lost:  # 100 and 0 are what `correct` says
            lost = any(c.get("fraction") not in (None, 0, 100) for c in choices)
        old = [{k: v for k, v in c.items() if k != "fraction"} for c in choices]
        return {**data, "choices": old}, lost
    if type_name == "short_answer" and "answers" in data:
        answers = data["answers"]
        full = [a["text"] for a in answers if a.get("fraction", 100) >= 100]
        lost = len(full) < len(answers) or any(a.get("feedback") for a in answers)
        return {"accepted": full}, lost or bool(data.get("case_sensitive"))
    if type_name == "numeric" and "answers" in data:
        answers, units = data["answers"], data.get("units") or []
        best = max(answers, key=lambda a: a.get("fraction", 100))
        lost = len(answers) > 1 or best.get("fraction", 100) < 100 or bool(best.get("feedback"))
        lost = lost or len(units) > 1 or any(u.get("multiplier", 1) != 1 for u in units)
        unit = units[0]["unit"] if units else ""
        return {"value": best["value"], "tolerance": best["tolerance"], "unit": unit}, lost
    return data, False


def _convert(change: Any) -> int:
    """Apply `change(type, data) -> new data or None` to every version; the rows changed."""
    bind = op.get_bind()
    rows = bind.execute(sa.select(_VERSIONS.c.id, _VERSIONS.c.type, _VERSIONS.c.data)).all()
    changed = 0
    for row_id, type_name, data in rows:
        new = change(type_name, data)
        if new is not None and new != data:
            bind.execute(_VERSIONS.update().where(_VERSIONS.c.id == row_id).values(data=new))
            changed += 1
    return changed


def upgrade():
    _convert(upgrade_data)


def downgrade():
    bind = op.get_bind()
    rows = bind.execute(sa.select(_VERSIONS.c.type, _VERSIONS.c.data)).all()
    losing = sum(downgrade_data(type_name, data)[1] for type_name, data in rows)
    if losing:
        refuse_data_loss(
            "0011", f"the Moodle grades, extra answers or units of {losing} question version(s)"
        )
    _convert(lambda type_name, data: downgrade_data(type_name, data)[0])
