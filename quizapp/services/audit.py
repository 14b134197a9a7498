"""Record audit events inside the caller's transaction (they commit or roll back together)."""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request

from quizapp.database import begin_write
from quizapp.extensions import db
from quizapp.models import AuditEvent


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
