"""Record audit events inside the caller's unit of work (they commit or roll back together).

Anonymous refusals (CSRF failures, 429s, refused access) are aggregated: one row per address,
action and minute, with a count, so that nobody can fill the log with noise.

Where a command comes from (an address, or "cli") is `origin`: the web layer sets it for each
request (security.py), so the service layer never reads the request, and the many commands
that write an audit row need not carry an address parameter they would only pass on. Sign-in
and refusals, where the address is the point, take it as a parameter.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
from typing import Any

from sqlalchemy import update

from quizapp.database import matched_rows, require_unit_of_work, unit_of_work
from quizapp.extensions import db
from quizapp.models import AuditEvent, utcnow

CLI_ORIGIN = "cli"
origin: ContextVar[str] = ContextVar("quizapp_audit_origin", default=CLI_ORIGIN)

log = logging.getLogger(__name__)


def record(
    action: str,
    *,
    actor_id: int | None,
    object_type: str = "",
    object_key: str = "",
    ip: str | None = None,
    **details: Any,
) -> AuditEvent:
    """Add one audit row to the caller's unit of work (it must run inside one)."""
    require_unit_of_work("audit.record")
    event = AuditEvent(
        action=action,
        actor_id=actor_id,
        object_type=object_type,
        object_key=str(object_key)[:200],
        ip=origin.get() if ip is None else ip,
        details=details,
    )
    db.session.add(event)
    return event


def record_refusal(
    action: str,
    *,
    actor_id: int | None,
    ip: str,
    object_type: str = "",
    object_key: str = "",
    **details: Any,
) -> None:
    """A refusal, inside the caller's unit of work: signed-in users get a row each; anonymous
    ones bump this minute's row for their address and action (the first refusal's path and
    details are kept)."""
    if actor_id is not None:
        record(
            action,
            actor_id=actor_id,
            object_type=object_type,
            object_key=object_key,
            ip=ip,
            **details,
        )
        return
    require_unit_of_work("audit.record_refusal")
    minute = utcnow().replace(second=0, microsecond=0)
    bumped = matched_rows(
        update(AuditEvent)
        .where(
            AuditEvent.actor_id.is_(None),
            AuditEvent.action == action,
            AuditEvent.ip == ip,
            AuditEvent.at >= minute,
        )
        .values(count=AuditEvent.count + 1)
        .execution_options(synchronize_session=False)
    )
    if not bumped:
        record(
            action, actor_id=None, object_type=object_type, object_key=object_key, ip=ip, **details
        )


def record_refusal_now(
    action: str,
    *,
    actor_id: int | None,
    ip: str,
    object_type: str = "",
    object_key: str = "",
    **details: Any,
) -> bool:
    """A refusal as its own unit of work, for error handlers: whatever the request was doing
    has been rolled back. Never raises (the error page must still be shown when the database
    is away or locked); False when the row could not be written."""
    try:
        with unit_of_work():
            record_refusal(
                action,
                actor_id=actor_id,
                ip=ip,
                object_type=object_type,
                object_key=object_key,
                **details,
            )
    except Exception:  # the refusal itself is answered; its audit row is best effort
        log.warning("could not record %s", action, exc_info=True)
        return False
    return True
