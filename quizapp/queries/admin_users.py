"""The admin's user list: filters from the query string and one page of users."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select

from quizapp.models import Role, User
from quizapp.queries.pagination import page_of

USERS_PER_PAGE = 50


@dataclass
class UserFilters:
    q: str = ""
    role: str = ""
    active: str = ""  # "", "active" or "inactive"

    @classmethod
    def from_args(cls, args: Any) -> UserFilters:
        role = args.get("role", "")
        active = args.get("active", "")
        return cls(
            q=args.get("q", "").strip()[:200],
            role=role if role in {r.value for r in Role} else "",
            active=active if active in ("active", "inactive") else "",
        )

    def as_args(self) -> dict[str, str]:
        return {k: v for k, v in vars(self).items() if v}

    def query(self) -> Select[Any]:
        query = select(User)
        if self.q:
            like = f"%{self.q.replace('%', '').replace('_', '')}%"
            query = query.where(User.email.ilike(like) | User.name.ilike(like))
        if self.role:
            query = query.where(User.role == Role(self.role))
        if self.active:
            query = query.where(User.active.is_(self.active == "active"))
        return query.order_by(func.lower(User.email), User.id)


@dataclass
class UserPage:
    users: list[User]
    page: int
    pages: int
    total: int


def user_page(filters: UserFilters, page: int) -> UserPage:
    """One page of users, cut the one way every list is (queries/pagination.py)."""
    found = page_of(filters.query(), page, USERS_PER_PAGE)
    return UserPage(list(found.items), found.page, max(1, found.pages), found.total or 0)
