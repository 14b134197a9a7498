"""A snapshot of every row of every table, to prove that something changed nothing."""

from __future__ import annotations

from sqlalchemy import select

from quizapp.extensions import db


def snapshot() -> dict[str, list[tuple]]:
    db.session.expire_all()
    result = {}
    for table in db.metadata.sorted_tables:
        rows = db.session.execute(select(table)).all()
        result[table.name] = sorted(tuple(map(repr, row)) for row in rows)
    db.session.rollback()
    return result
