"""Record audit events inside the caller's transaction (they commit or roll back together).

Anonymous refusals (CSRF failures, 429s, refused access) are aggregated: one row per address,
action and minute, with a count, so that nobody can fill the log with noise.
"""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from sqlalchemy import update

from quizapp.database import begin_write, matched_rows
from quizapp.extensions import db
from quizapp.models import AuditEvent, utcnow


def client_ip() -> str:
    return (request.remote_addr or "") if has_request_context() else "cli"


def record(
    action: str,
    *,
    actor_id: int | None,
    object_type: str = "",
    object_key: str = "",
    **details: Any,
) -> AuditEvent:
    begin_write()  # joins the caller's write transaction, or starts one
    event = AuditEvent(
        action=action,
        actor_id=actor_id,
        object_type=object_type,
        object_key=str(object_key)[:200],
        ip=client_ip(),
        details=details,
    )
    db.session.add(event)
    return event


def record_refusal(
    action: str,
    *,
    actor_id: int | None,
    object_type: str = "",
    object_key: str = "",
    **details: Any,
) -> None:
    """A refusal: signed-in users get a row each; anonymous ones bump this minute's row for
    their address and action (the first refusal's path and details are kept)."""
    if actor_id is not None:
        record(action, actor_id=actor_id, object_type=object_type, object_key=object_key, **details)
        return
    begin_write()
    minute = utcnow().replace(second=0, microsecond=0)
    bumped = matched_rows(
        update(AuditEvent)
        .where(
            AuditEvent.actor_id.is_(None),
            AuditEvent.action == action,
            AuditEvent.ip == client_ip(),
            AuditEvent.at >= minute,
        )
        .values(count=AuditEvent.count + 1)
        .execution_options(synchronize_session=False)
    )
    if not bumped:
        record(action, actor_id=None, object_type=object_type, object_key=object_key, **details)
