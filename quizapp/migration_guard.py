"""Downgrades that would drop learner data refuse unless the operator says so explicitly.

Why: `flask db downgrade base` used to drop every attempt, score and competency without a
prompt. The guarded migrations call `refuse_data_loss()` first; it passes only with
`QUIZAPP_ALLOW_DATA_LOSS=1` in the environment or `-x i-understand-data-loss=1` on the
command line (`flask --app wsgi db downgrade -x i-understand-data-loss=1 REVISION`).
"""

from __future__ import annotations

import os

from alembic import context
from alembic.util import CommandError

ENV_VAR = "QUIZAPP_ALLOW_DATA_LOSS"
X_ARG = "i-understand-data-loss"


def data_loss_allowed() -> bool:
    if os.environ.get(ENV_VAR) == "1":
        return True
    try:
        given = context.get_x_argument(as_dictionary=True).get(X_ARG)
    except (AttributeError, NameError):  # not running inside an alembic command
        return False
    return given in ("1", "yes", "true")


def refuse_data_loss(revision: str, what: str) -> None:
    """Stop the downgrade of `revision` (nothing of it has run yet) unless allowed."""
    if data_loss_allowed():
        return
    raise CommandError(
        f"Downgrading below {revision} deletes {what}, and cannot be undone, so the downgrade "
        f"stopped before undoing {revision}. Take a backup first (flask --app wsgi backup "
        f"PATH); then, if you mean it, run again with -x {X_ARG}=1 "
        f"(flask --app wsgi db downgrade -x {X_ARG}=1 REVISION) or with {ENV_VAR}=1 in the "
        "environment."
    )
