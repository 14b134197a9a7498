"""Which questions a practice quiz asks: ones I have not seen first, then ones I got wrong,
then the rest; random within each group, spread across the chosen topics. Questions kept for
quizzes (exam-only, or in an attempt the trainee has open) are never drawn into practice.
Items that give each other away (one family, or one excluding the other) never share a draw."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

MIN_LENGTH = 1  # a practice of a single question is allowed
MAX_LENGTH = 50


@dataclass(frozen=True)
class Candidate:
    entry_id: int
    topic_id: int | None
    seen: bool
    last_mark: float | None  # my mark the last time I answered it, if ever
    # Kept out of practice: exam-only (itself or its topic), or in a quiz attempt I have open,
    # where tutor feedback or a practice review would reveal its answer.
    exam_only: bool = False
    uid: str = ""
    family: str | None = None
    excludes: frozenset[str] = frozenset()  # uids, symmetric (the loader pairs both ways)


def clashes(a: Candidate, b: Candidate) -> bool:
    """True when the two would give each other away in one quiz."""
    if a.family and a.family == b.family:
        return True
    return (bool(b.uid) and b.uid in a.excludes) or (bool(a.uid) and a.uid in b.excludes)


def _take(ordered: Sequence[Candidate], count: int, chosen: list[Candidate]) -> list[Candidate]:
    """The first `count` of `ordered` that clash with nothing chosen (nor with each other)."""
    taken: list[Candidate] = []
    for candidate in ordered:
        if len(taken) >= count:
            break
        if not any(clashes(candidate, other) for other in (*chosen, *taken)):
            taken.append(candidate)
    return taken


def priority(candidate: Candidate) -> int:
    if not candidate.seen:
        return 0
    if candidate.last_mark is not None and candidate.last_mark < 1.0:
        return 1
    return 2


def choose_practice(
    candidates: Sequence[Candidate], length: int, rng: random.Random
) -> list[Candidate]:
    """Up to `length` candidates, best priority first, shuffled for presentation; never one
    that is kept for quizzes."""
    shuffled = [c for c in candidates if not c.exam_only]
    rng.shuffle(shuffled)
    chosen = _take(sorted(shuffled, key=priority), length, [])
    rng.shuffle(chosen)
    return chosen


def choose_per_topic(
    by_topic: Mapping[int, Sequence[Candidate]], counts: dict[int, int], rng: random.Random
) -> list[Candidate]:
    """For an assigned quiz: `counts[topic]` questions from each topic, priority first; a topic
    gives fewer when its remaining items all clash with ones already drawn."""
    chosen: list[Candidate] = []
    for topic_id, count in counts.items():
        pool = list(by_topic.get(topic_id, ()))
        rng.shuffle(pool)
        chosen.extend(_take(sorted(pool, key=priority), count, chosen))
    rng.shuffle(chosen)
    return chosen


def shuffled_ids(ids: Sequence[str], rng: random.Random) -> list[str]:
    order = list(ids)
    rng.shuffle(order)
    return order


@dataclass(frozen=True)
class RetryPick:
    """A retry of given questions: the ones it asks, and how many of the wanted it leaves out."""

    chosen: list[Candidate]
    gone: int = 0  # no longer published (retired, or back in draft)
    kept: int = 0  # kept for quizzes (exam-only, or in a quiz attempt open now)
    over: int = 0  # past MAX_LENGTH, or giving away one already asked


def choose_retry(wanted: Sequence[int], candidates: Sequence[Candidate]) -> RetryPick:
    """Exactly the `wanted` entries, in that order, that are still published (`candidates`)
    and not kept for quizzes; at most MAX_LENGTH, none giving another away."""
    by_id = {c.entry_id: c for c in candidates}
    unique = list(dict.fromkeys(wanted))
    present = [by_id[entry_id] for entry_id in unique if entry_id in by_id]
    usable = [c for c in present if not c.exam_only]
    chosen = _take(usable, MAX_LENGTH, [])
    return RetryPick(
        chosen,
        gone=len(unique) - len(present),
        kept=len(present) - len(usable),
        over=len(usable) - len(chosen),
    )
