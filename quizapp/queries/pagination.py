"""The one way pages of a list are cut: Flask-SQLAlchemy's pagination, two queries per page.

Why a wrapper: `db.paginate` yields the first entity of each row, and the question list needs
whole rows (entry, version, topic); and a page number past the end (a stale link after a filter
or a deletion) should show the last page, as the lists always did, not an empty one.
"""

from __future__ import annotations

from typing import Any

from flask_sqlalchemy.pagination import Pagination, SelectPagination
from sqlalchemy import Select

from quizapp.extensions import db


class RowPagination(SelectPagination):
    """A page of result rows (tuples of several entities or columns) rather than scalars."""

    def _query_items(self) -> list[Any]:
        statement = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return list(self._query_args["session"].execute(statement).all())


def page_of(statement: Select[Any], page: int, per_page: int, *, rows: bool = False) -> Pagination:
    """Page `page` (1-based, clamped to 1 .. the last page) of `statement`; `rows=True` keeps
    each result row whole. Two queries, three only when the page asked for is past the end."""
    kind = RowPagination if rows else SelectPagination

    def cut(number: int) -> Pagination:
        return kind(
            select=statement,
            session=db.session(),
            page=number,
            per_page=per_page,
            max_per_page=per_page,
            error_out=False,
        )

    found = cut(max(1, page))
    if not found.items and found.page > 1:
        found = cut(max(1, found.pages))
    return found
