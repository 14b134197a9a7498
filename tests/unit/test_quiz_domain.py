"""Pure quiz rules: practice selection, mastery, attempt results, form parsing."""

from __future__ import annotations

import random

import pytest

from quizapp.domain.mastery import EMPTY, MINIMUM_ANSWERS, WINDOW, TopicRecord, add_marks
from quizapp.domain.responses import EmptyAnswer, parse_response, response_fields
from quizapp.domain.results import ItemMark, attempt_result
from quizapp.domain.selection import Candidate, choose_per_topic, choose_practice, priority


def cand(n: int, seen: bool = False, mark: float | None = None, topic: int = 1) -> Candidate:
    return Candidate(entry_id=n, topic_id=topic, seen=seen, last_mark=mark)


class TestSelection:
    def test_unseen_first_then_wrong_then_the_rest(self) -> None:
        pool = [cand(1, True, 1.0), cand(2, True, 0.0), cand(3), cand(4, True, 0.5), cand(5)]
        chosen = choose_practice(pool, 3, random.Random(1))
        assert {3, 5} <= {c.entry_id for c in chosen}  # both unseen ones
        assert all(priority(c) <= 1 for c in chosen)

    def test_seen_but_never_answered_counts_as_seen_right_after_wrong(self) -> None:
        assert priority(cand(1)) == 0
        assert priority(cand(1, True, 0.0)) == 1
        assert priority(cand(1, True, None)) == 2
        assert priority(cand(1, True, 1.0)) == 2

    def test_never_more_than_asked_and_never_repeats(self) -> None:
        pool = [cand(n) for n in range(10)]
        chosen = choose_practice(pool, 4, random.Random(3))
        assert len(chosen) == 4 and len({c.entry_id for c in chosen}) == 4
        assert len(choose_practice(pool, 50, random.Random(3))) == 10

    def test_questions_kept_for_quizzes_are_never_drawn_into_practice(self) -> None:
        kept = {1, 4, 7}
        pool = [Candidate(n, 1, False, None, exam_only=n in kept) for n in range(10)]
        for seed in range(50):
            chosen = {c.entry_id for c in choose_practice(pool, 10, random.Random(seed))}
            assert chosen == set(range(10)) - kept

    def test_per_topic_counts(self) -> None:
        by_topic = {
            1: [cand(n, topic=1) for n in range(5)],
            2: [cand(n, topic=2) for n in range(5, 7)],
        }
        chosen = choose_per_topic(by_topic, {1: 3, 2: 5}, random.Random(0))
        assert sum(c.topic_id == 1 for c in chosen) == 3
        assert sum(c.topic_id == 2 for c in chosen) == 2  # only two exist


class TestMastery:
    def test_window_keeps_the_last_marks(self) -> None:
        record = add_marks(EMPTY, [1.0] * 15)
        record = add_marks(record, [0.0] * 10)
        assert record.answered == 25 and record.marks == 15
        assert len(record.recent) == WINDOW and record.recent[-10:] == (0.0,) * 10
        assert record.recent_score == pytest.approx(50.0)

    def test_mastery_needs_enough_answers_and_eighty_percent(self) -> None:
        assert not add_marks(EMPTY, [1.0] * (MINIMUM_ANSWERS - 1)).mastered
        assert add_marks(EMPTY, [1.0] * MINIMUM_ANSWERS).mastered
        eight_of_ten = add_marks(EMPTY, [1.0] * 8 + [0.0] * 2)
        assert eight_of_ten.recent_score == pytest.approx(80.0) and eight_of_ten.mastered
        assert not add_marks(EMPTY, [1.0] * 7 + [0.0] * 3).mastered

    def test_score_over_everything(self) -> None:
        assert TopicRecord(4, 3.0, (1.0,)).score == 75.0
        assert EMPTY.score == 0.0 and EMPTY.recent_score == 0.0


class TestResults:
    def test_total_percent_pass_and_topic_breakdown(self) -> None:
        items = [ItemMark(1, 1.0), ItemMark(1, 0.5), ItemMark(2, None), ItemMark(2, 1.0)]
        result = attempt_result(items, pass_mark=62.5)
        assert (result.score, result.max_score) == (2.5, 4.0)
        assert result.percent == 62.5 and result.passed is True
        by_topic = {t.topic_id: t for t in result.topics}
        assert by_topic[1].percent == 75.0 and by_topic[2].percent == 50.0
        assert attempt_result(items, pass_mark=63).passed is False
        assert attempt_result(items, pass_mark=None).passed is None

    def test_empty_attempt(self) -> None:
        result = attempt_result([], 80)
        assert result.percent == 0.0 and result.passed is False


# Answer data for every type at once: responses are checked against the version's own choice
# ids, pair ids and match options, so the data must have them.
MATCHING = {
    "choices": [{"id": cid, "text": cid.upper(), "correct": cid == "a"} for cid in "abcd"],
    "pairs": [
        {"id": "1", "prompt": "Insulin", "answer": "Subcutaneous"},
        {"id": "2", "prompt": "Vaccine", "answer": "Intramuscular"},
    ],
    "distractors": [],
}


class TestResponses:
    @pytest.mark.parametrize(
        ("kind", "fields", "expected"),
        [
            ("single", {"answer": ["b"]}, "b"),
            ("multiple", {"answer": ["c", "a", "c"]}, ["a", "c"]),
            ("true_false", {"answer": ["false"]}, False),
            ("true_false", {"answer": ["TRUE"]}, True),
            ("matching", {"pair-1": ["Subcutaneous"], "pair-2": [""]}, {"1": "Subcutaneous"}),
            ("numeric", {"answer": [" 125 mL/h "]}, "125 mL/h"),
            ("short_answer", {"answer": ["air embolism"]}, "air embolism"),
        ],
    )
    def test_parse(self, kind: str, fields: dict, expected: object) -> None:
        assert parse_response(kind, MATCHING, fields) == expected

    @pytest.mark.parametrize(
        "kind", ["single", "multiple", "true_false", "matching", "numeric", "short_answer"]
    )
    def test_nothing_answered_is_refused_with_a_message(self, kind: str) -> None:
        with pytest.raises(EmptyAnswer) as caught:
            parse_response(kind, MATCHING, {"answer": [""], "pair-1": [""]})
        assert str(caught.value)

    def test_round_trip_to_form_fields(self) -> None:
        for kind, fields in [
            ("single", {"answer": ["b"]}),
            ("multiple", {"answer": ["a", "c"]}),
            ("true_false", {"answer": ["false"]}),
            ("matching", {"pair-1": ["Subcutaneous"]}),
            ("short_answer", {"answer": ["x"]}),
        ]:
            value = parse_response(kind, MATCHING, fields)
            back = response_fields(kind, value)
            assert (
                parse_response(
                    kind, MATCHING, {k: v if isinstance(v, list) else [v] for k, v in back.items()}
                )
                == value
            )
