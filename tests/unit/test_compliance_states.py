"""domain/compliance.standing on every edge: each state, and which one wins when two apply."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from quizapp.domain import compliance as c
from quizapp.domain.competency import explain

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
AHEAD, PAST = NOW + timedelta(days=2), NOW - timedelta(days=1)


def state(used=0, allowed=2, passed=False, running=False, due=AHEAD):  # type: ignore[no-untyped-def]
    return c.standing(
        used=used, allowed=allowed, passed=passed, running=running, due_at=due, as_of=NOW
    ).state


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, c.NOT_STARTED),
        ({"due": None}, c.NOT_STARTED),
        ({"used": 1, "running": True}, c.IN_PROGRESS),
        ({"used": 1}, c.ATTEMPTS_LEFT),  # failed one of two, due date ahead: not "failed"
        ({"used": 1, "allowed": None}, c.ATTEMPTS_LEFT),
        ({"used": 1, "due": None}, c.ATTEMPTS_LEFT),
        ({"used": 2}, c.NO_ATTEMPTS_LEFT),
        ({"used": 2, "due": PAST}, c.NO_ATTEMPTS_LEFT),  # nothing more can be done
        ({"used": 1, "passed": True}, c.PASSED),
        ({"used": 1, "passed": True, "due": PAST}, c.PASSED),  # passed late is still passed
        ({"used": 2, "passed": True}, c.PASSED),
        ({"due": PAST}, c.OVERDUE),
        ({"used": 1, "due": PAST}, c.OVERDUE),
        ({"used": 1, "running": True, "due": PAST}, c.OVERDUE),
        ({"used": 2, "running": True}, c.IN_PROGRESS),  # the last attempt is still running
        ({"due": NOW}, c.OVERDUE),  # due at this very moment: not in time any more
        ({"used": 5, "allowed": None, "due": PAST}, c.OVERDUE),
    ],
)
def test_each_state(kwargs, expected) -> None:  # type: ignore[no-untyped-def]
    assert state(**kwargs) == expected


def test_the_detail_says_the_attempts_in_words() -> None:
    one = c.standing(used=1, allowed=2, passed=False, running=False, due_at=AHEAD, as_of=NOW)
    assert one.detail == "1 of 2 attempts used"
    assert one.css == "attempts-left"
    free = c.standing(used=3, allowed=None, passed=False, running=False, due_at=None, as_of=NOW)
    assert free.detail == "3 attempts used (no limit)"
    done = c.standing(used=1, allowed=1, passed=False, running=False, due_at=None, as_of=NOW)
    assert (done.state, done.detail, done.css) == (
        c.NO_ATTEMPTS_LEFT,
        "1 of 1 attempt used",
        "failed",
    )


def test_competency_explained_in_days() -> None:
    passed = NOW - timedelta(days=30)
    assert explain(passed, NOW + timedelta(days=100), NOW).words == "expires in 100 days"
    assert explain(passed, NOW + timedelta(days=100), NOW).status == "valid"
    soon = explain(passed, NOW + timedelta(days=1, hours=1), NOW)
    assert (soon.status, soon.words) == ("expiring", "expires in 1 day")
    assert explain(passed, NOW + timedelta(hours=3), NOW).words == "expires today"
    gone = explain(passed, NOW - timedelta(days=5), NOW)
    assert (gone.status, gone.words) == ("expired", "expired 5 days ago")
    assert explain(passed, NOW, NOW).status == "expired"
    assert explain(passed, NOW - timedelta(hours=1), NOW).words == "expired today"
