"""The banks, topics, source sections and units that forms and filters offer, as plain rows.

Why one module: the same lists were built by four views, each with its own query and order;
here each list is one query, in one order (banks and their topics by position, sections by
source and position, units by name), and views only shape them into their forms' choices.
"""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Bank, SourceSection, Topic, Unit


class BankOption(NamedTuple):
    key: str
    title: str


class TopicOption(NamedTuple):
    id: int
    key: str
    title: str
    exam_only: bool
    bank_title: str


class SectionOption(NamedTuple):
    key: str
    heading: str


class UnitOption(NamedTuple):
    id: int
    name: str


def banks() -> list[BankOption]:
    return [
        BankOption(*row)
        for row in db.session.execute(select(Bank.key, Bank.title).order_by(Bank.position, Bank.id))
    ]


def topics() -> list[TopicOption]:
    """Every topic with its bank's title, bank by bank."""
    rows = db.session.execute(
        select(Topic.id, Topic.key, Topic.title, Topic.exam_only, Bank.title)
        .join(Bank, Bank.id == Topic.bank_id)
        .order_by(Bank.position, Bank.id, Topic.position, Topic.id)
    )
    return [TopicOption(*row) for row in rows]


def sections() -> list[SectionOption]:
    rows = db.session.execute(
        select(SourceSection.key, SourceSection.heading).order_by(
            SourceSection.source_id, SourceSection.position
        )
    )
    return [SectionOption(*row) for row in rows]


def units() -> list[UnitOption]:
    rows = db.session.execute(select(Unit.id, Unit.name).order_by(Unit.name, Unit.id))
    return [UnitOption(*row) for row in rows]
