"""A draw never holds two items of one family, nor an item with one it excludes."""

from __future__ import annotations

import random
from itertools import combinations

from quizapp.domain.selection import Candidate, choose_per_topic, choose_practice, clashes


def pool() -> dict[int, list[Candidate]]:
    """Two topics of 12: family "iv" (4 a topic) and "site" (3 a topic) span both topics,
    5 a topic are free, and a-8 excludes a-9 (declared one way only): at most 11 fit."""
    by_topic: dict[int, list[Candidate]] = {}
    for topic in (1, 2):
        for n in range(12):
            uid = f"{'ab'[topic - 1]}-{n}"
            family = "iv" if n < 4 else ("site" if n < 7 else None)
            excludes = frozenset({"a-9"}) if uid == "a-8" else frozenset()
            by_topic.setdefault(topic, []).append(
                Candidate(100 * topic + n, topic, n % 3 == 0, None, False, uid, family, excludes)
            )
    return by_topic


def assert_no_clash(chosen: list[Candidate]) -> None:
    for a, b in combinations(chosen, 2):
        assert not (a.family and a.family == b.family), (a.uid, b.uid)
        assert a.uid not in b.excludes and b.uid not in a.excludes, (a.uid, b.uid)


def test_two_hundred_seeded_topic_draws_never_pair_a_family_or_an_exclusion() -> None:
    by_topic = pool()
    for seed in range(200):
        chosen = choose_per_topic(by_topic, {1: 8, 2: 8}, random.Random(seed))
        assert_no_clash(chosen)
        assert len(chosen) == 11  # topic 1 gives 6 of its 8 (1 iv, 1 site, 4 free), topic 2 5


def test_two_hundred_seeded_practice_draws_never_pair_a_family_or_an_exclusion() -> None:
    candidates = [c for topic in pool().values() for c in topic]
    for seed in range(200):
        chosen = choose_practice(candidates, 20, random.Random(seed))
        assert_no_clash(chosen)
        assert len(chosen) == 11  # one of each family and the free items but one of a-8/a-9


def test_exclusion_is_symmetric_even_if_declared_one_way() -> None:
    a = Candidate(1, 1, False, None, uid="a-1", excludes=frozenset({"a-2"}))
    b = Candidate(2, 1, False, None, uid="a-2")
    assert clashes(a, b) and clashes(b, a)
    assert not clashes(b, Candidate(3, 1, False, None, uid="a-3"))
