"""Reading the audit log: filters (action, actor, dates), pages, and what each role may see.

Why a split: administrators see everything; instructors see only authoring events (questions,
sources, quizzes, imports), not other people's sign-ins, addresses and refusals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import selectinload

from quizapp.models import AuditEvent, User
from quizapp.queries.pagination import page_of

EVENTS_PER_PAGE = 50
AUTHORING_PREFIXES = ("question.", "quiz.", "source.", "section.", "bank.")


def _day(text: str, errors: list[str], label: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        errors.append(f"The {label} date {text[:20]!r} is not a date like 2026-12-01.")
        return None


@dataclass
class AuditFilters:
    action: str = ""
    actor: str = ""
    since: date | None = None
    until: date | None = None
    errors: list[str] = field(default_factory=list)

    @classmethod
    def from_args(cls, args: Any) -> AuditFilters:
        errors: list[str] = []
        return cls(
            action=args.get("action", "").strip()[:50],
            actor=args.get("actor", "").strip()[:254],
            since=_day(args.get("since", "").strip(), errors, "from"),
            until=_day(args.get("until", "").strip(), errors, "to"),
            errors=errors,
        )

    def as_args(self) -> dict[str, str]:
        found = {"action": self.action, "actor": self.actor}
        found["since"] = self.since.isoformat() if self.since else ""
        found["until"] = self.until.isoformat() if self.until else ""
        return {k: v for k, v in found.items() if v}

    def query(self, authoring_only: bool) -> Select[Any]:
        query = select(AuditEvent).options(selectinload(AuditEvent.actor))
        if authoring_only:
            query = query.where(or_(*(AuditEvent.action.startswith(p) for p in AUTHORING_PREFIXES)))
        if self.action:
            query = query.where(AuditEvent.action.startswith(self.action, autoescape=True))
        if self.actor:
            like = f"%{self.actor.replace('%', '').replace('_', '')}%"
            query = query.where(
                AuditEvent.actor_id.in_(select(User.id).where(User.email.ilike(like)))
            )
        if self.since:
            query = query.where(AuditEvent.at >= datetime.combine(self.since, time(), UTC))
        if self.until:
            end = datetime.combine(self.until + timedelta(days=1), time(), UTC)
            query = query.where(AuditEvent.at < end)
        return query.order_by(AuditEvent.id.desc())


def audit_page(filters: AuditFilters, page: int, authoring_only: bool) -> Pagination:
    """One page of events, newest first."""
    return page_of(filters.query(authoring_only), page, EVENTS_PER_PAGE)
