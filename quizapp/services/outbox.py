"""The transactional outbox: messages are written in the transaction of the change that causes
them, so a change that rolls back sends nothing, and one that commits cannot lose its message.
services/mailer.py sends them.

Each message has a unique `key` (purpose, recipient, occasion, e.g. "due:quiz42:user7:
2026-12-05"), inserted with ON CONFLICT DO NOTHING: a reminder job run twice, or by two
schedulers at once, queues the message once.
"""

from __future__ import annotations

import hashlib
from typing import Any

from flask import current_app, render_template
from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from quizapp import links
from quizapp.database import matched_rows, require_unit_of_work, unit_of_work
from quizapp.extensions import db
from quizapp.models import OutboxMessage, User, utcnow
from quizapp.services import audit
from quizapp.services.errors import Conflict, NotFound

SITE_NAME = "Infusion Quiz"
MAX_KEY = 200


def base_url() -> str:
    """The site's address for links in messages: QUIZAPP_BASE_URL (quizapp/links.py; refused
    with a message when it is not configured, never guessed from a request)."""
    return links.base_url()


def link(path: str) -> str:
    return base_url() + "/" + path.lstrip("/")


def queue(
    key: str,
    purpose: str,
    to_addr: str,
    subject: str,
    *,
    user_id: int | None = None,
    link: str = "",
    **context: Any,
) -> bool:
    """Add one message (bodies from templates mail/<purpose>.txt and .html) in the caller's
    unit of work. False when a message with this key was queued before (nothing is added)."""
    require_unit_of_work("outbox.queue")
    context.update(site_name=SITE_NAME, base_url=base_url(), link=link, subject=subject)
    values = {
        "key": key[:MAX_KEY],
        "purpose": purpose,
        "user_id": user_id,
        "to_addr": to_addr,
        "subject": f"{subject} · {SITE_NAME}"[:200],
        "body_text": render_template(f"mail/{purpose}.txt", **context),
        "body_html": render_template(f"mail/{purpose}.html", **context),
        "link": link[:500],
        "status": "pending",
        "tries": 0,
        "next_try_at": utcnow(),
        "last_error": "",
        "created_at": utcnow(),
    }
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = (
        insert(OutboxMessage)
        .values(values)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(OutboxMessage.id)
    )
    return db.session.execute(statement).scalar() is not None


def _occasion(link: str) -> str:
    return hashlib.sha256(link.encode()).hexdigest()[:16]


def queue_password_reset(user: User, link: str) -> bool:
    """The reset link message (never held back by the reminder opt-out)."""
    require_unit_of_work("queue_password_reset")
    return queue(
        f"reset:user{user.id}:{_occasion(link)}",
        "password_reset",
        user.email,
        "Set a new password",
        user_id=user.id,
        link=link,
        name=user.name,
        hours=current_app.config["RESET_LINK_HOURS"],
    )


def queue_invitation(user: User, link: str) -> bool:
    """The invitation with its set-password link."""
    require_unit_of_work("queue_invitation")
    return queue(
        f"invite:user{user.id}:{_occasion(link)}",
        "invitation",
        user.email,
        "You are invited",
        user_id=user.id,
        link=link,
        name=user.name,
    )


def retry(message_id: int, actor_id: int | None) -> None:
    """Put a failed message back in the queue, its tries counted from zero (admin page)."""
    with unit_of_work():
        message = db.session.get(OutboxMessage, message_id)
        if message is None:
            raise NotFound("No such message.")
        moved = matched_rows(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.status == "failed")
            .values(status="pending", tries=0, next_try_at=utcnow(), claimed_by=None)
            .execution_options(synchronize_session=False)
        )
        if moved != 1:
            raise Conflict("Only a failed message can be retried; this one is not failed now.")
        audit.record(
            "outbox.retry", actor_id=actor_id, object_type="outbox", object_key=message.key
        )
