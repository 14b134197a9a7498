"""The sender: claims pending outbox messages, sends them over SMTP (MAIL_URL), marks each sent.

Guarantee: **at least once, with duplicates limited to one crash window.** A message is
claimed (status "sending", `claimed_by` this sender) in a committed transaction before it is
sent: on PostgreSQL the candidates are read FOR UPDATE SKIP LOCKED and on SQLite (one writer at
a time) the claim is a guarded UPDATE ... WHERE status='pending' AND claimed_by IS NULL; either
way two senders never hold the same message, so two workers draining one outbox send each
message once. After the SMTP server accepts a message it is marked sent (a guarded UPDATE on
this sender's claim). A sender that dies between SMTP acceptance and that mark leaves the
message "sending"; once the claim is CLAIM_MINUTES old another run takes it back and sends it
again: that one message may arrive twice (with the same Message-ID header, which mail
clients use to fold duplicates). Nothing is ever lost: an unmarked message is always retried.
A refused or failed send is retried with backoff (1, 2, 4 ... minutes) up to MAIL_MAX_TRIES,
then marked failed, with the error, for an admin to see and retry.
With no MAIL_URL nothing is sent: the messages wait on the admin Outbox page.
"""

from __future__ import annotations

import os
import smtplib
import socket
import ssl
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate

from flask import current_app
from sqlalchemy import ColumnElement, and_, func, or_, select, update

from quizapp.database import matched_rows, unit_of_work
from quizapp.domain.mail_url import MailServer, backoff_seconds, parse_mail_url
from quizapp.extensions import db
from quizapp.models import OutboxMessage, utcnow

CLAIM_MINUTES = 15
BATCH = 50


@dataclass
class SendResult:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    waiting: int = 0  # left pending (no MAIL_URL, or not yet due)

    def summary(self) -> str:
        return (
            f"sent {self.sent}, retrying {self.retrying}, failed {self.failed}, "
            f"waiting {self.waiting}"
        )


def sender_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _claimable(now: datetime) -> ColumnElement[bool]:
    stale = now - timedelta(minutes=CLAIM_MINUTES)
    return or_(
        and_(
            OutboxMessage.status == "pending",
            OutboxMessage.claimed_by.is_(None),
            OutboxMessage.next_try_at <= now,
        ),
        and_(OutboxMessage.status == "sending", OutboxMessage.claimed_at < stale),
    )


def claim(worker: str, now: datetime, limit: int = BATCH) -> list[int]:
    """Claim up to `limit` due messages for `worker`, committed; their ids."""
    with unit_of_work():
        candidates = select(OutboxMessage.id).where(_claimable(now)).order_by(OutboxMessage.id)
        candidates = candidates.limit(limit)
        if db.session.get_bind().dialect.name == "postgresql":
            candidates = candidates.with_for_update(skip_locked=True)
        claimed = []
        for message_id in db.session.scalars(candidates).all():
            won = matched_rows(
                update(OutboxMessage)
                .where(OutboxMessage.id == message_id, _claimable(now))
                .values(status="sending", claimed_by=worker, claimed_at=now)
                .execution_options(synchronize_session=False)
            )
            if won == 1:
                claimed.append(message_id)
        return claimed


def mark_sent(message_id: int, worker: str) -> None:
    with unit_of_work():
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.claimed_by == worker)
            .values(status="sent", sent_at=utcnow(), last_error="")
            .execution_options(synchronize_session=False)
        )


def mark_failed(message_id: int, worker: str, error: str, now: datetime) -> str:
    """Record a failed try: back to pending after the backoff, or failed when out of tries."""
    max_tries = int(current_app.config["MAIL_MAX_TRIES"])
    with unit_of_work():
        message = db.session.get(OutboxMessage, message_id)
        if message is None or message.claimed_by != worker:
            return "lost"
        message.tries += 1
        message.last_error = error[:500]
        message.claimed_by = None
        if message.tries >= max_tries:
            message.status = "failed"
        else:
            message.status = "pending"
            message.next_try_at = now + timedelta(seconds=backoff_seconds(message.tries))
        return message.status


def build_email(message: OutboxMessage, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to_addr
    email["Subject"] = message.subject
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = f"<outbox-{message.id}-{message.created_at:%Y%m%d%H%M%S}@quizapp>"
    email.set_content(message.body_text)
    email.add_alternative(message.body_html, subtype="html")
    return email


def connect(server: MailServer) -> smtplib.SMTP:
    if server.tls == "ssl":
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(
            server.host, server.port, timeout=server.timeout, context=ssl.create_default_context()
        )
    else:
        smtp = smtplib.SMTP(server.host, server.port, timeout=server.timeout)
        if server.tls == "starttls":
            smtp.starttls(context=ssl.create_default_context())
    if server.username:
        smtp.login(server.username, server.password)
    return smtp


def send_pending(worker: str | None = None, now: datetime | None = None) -> SendResult:
    """Send every due message (claimed in batches), or none when MAIL_URL is not set."""
    result = SendResult()
    url = current_app.config.get("MAIL_URL") or ""
    if not url:
        result.waiting = _pending_count()
        return result
    worker = worker or sender_id()
    server = parse_mail_url(url)
    for _ in range(1000):  # bounded: a batch of BATCH each round
        now_at = now or utcnow()
        ids = claim(worker, now_at, int(current_app.config["MAIL_BATCH"]))
        if not ids:
            break
        _send_batch(ids, worker, server, now_at, result)
    result.waiting = _pending_count()
    return result


def _send_batch(
    ids: list[int], worker: str, server: MailServer, now: datetime, result: SendResult
) -> None:
    sender = current_app.config["MAIL_FROM"]
    try:
        smtp = connect(server)
    except (OSError, smtplib.SMTPException) as exc:
        for message_id in ids:
            _count(result, mark_failed(message_id, worker, f"connect: {describe(exc)}", now))
        return
    try:
        for message_id in ids:
            message = db.session.get(OutboxMessage, message_id)
            if message is None:
                continue
            try:
                smtp.send_message(build_email(message, sender))
            except (OSError, smtplib.SMTPException) as exc:
                _count(result, mark_failed(message_id, worker, describe(exc), now))
                continue
            mark_sent(message_id, worker)
            result.sent += 1
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()


def describe(exc: Exception) -> str:
    """The server's words for a refusal ("550 No such mailbox"), else the error's."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{code} {_text(reply)}" for code, reply in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}"
    return f"{type(exc).__name__}: {exc}"


def _text(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else reply


def _count(result: SendResult, status: str) -> None:
    if status == "failed":
        result.failed += 1
    elif status == "pending":
        result.retrying += 1


def _pending_count() -> int:
    return (
        db.session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == "pending")
        )
        or 0
    )
