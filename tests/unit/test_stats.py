"""Item statistics against values worked out by hand (Moodle's definitions).

The data: four attempts at three one-mark questions.
    attempt  q1 q2 q3  total
    A        1  1  1   3
    B        1  0  1   2
    C        0  1  0   1
    D        0  0  0   0
Totals: mean 1.5; deviations +-1.5, +-0.5; sum of squares 5.
    m2 = 5/4, k2 = 4 m2 / 3 = 5/3, SD = sqrt(5/3) = 1.290994 -> 43.0331% of 3.
    m3 = 0 -> skewness 0.  m4 = (2 x 5.0625 + 2 x 0.0625)/4 = 2.5625
    k4 = 16 ((5)(2.5625) - 3 (3)(1.5625)) / (3 x 2 x 1) = -10/3; kurtosis = k4 / k2^2 = -1.2
Item variances (n-1): 1/3 each, sum 1.  CIC = 100 x 3/2 x (1 - 1/(5/3)) = 60%.
    Error ratio = 100 sqrt(1 - 0.6) = 63.2456%; standard error = 63.2456 x 43.0331 / 100 = 27.2166%.
q1 (= q3): facility 50%, SD 100 sqrt(1/3) = 57.735%; rest of test [2,1,1,0] (variance 2/3);
    cov(q1, rest) = 1/3; discrimination = 100 (1/3) / sqrt(1/3 x 2/3) = 70.7107;
    sorted pairs give the same covariance -> discriminative efficiency 100%;
    cov(q1, total) = 2/3.
q2: rest [2,2,0,0]; cov(q2, rest) = 0 -> discrimination 0, efficiency 0; cov(q2, total) = 1/3.
Effective weights: sqrt(2/3), sqrt(1/3), sqrt(2/3) over their sum 2.210343
    -> 36.9398%, 26.1204%, 36.9398%.
"""

from __future__ import annotations

import pytest

from tests.oracles.stats_oracle import item_statistics

MARKS = [[1, 1, 1], [1, 0, 1], [0, 1, 0], [0, 0, 0]]


def approx(value: float) -> object:
    return pytest.approx(value, abs=1e-3)


def test_quiz_level_statistics() -> None:
    stats = item_statistics(MARKS, [1, 1, 1])
    assert stats.attempts == 4
    assert stats.mean == approx(50.0)
    assert stats.sd == approx(43.0331)
    assert stats.skewness == approx(0.0)
    assert stats.kurtosis == approx(-1.2)
    assert stats.cic == approx(60.0)
    assert stats.error_ratio == approx(63.2456)
    assert stats.standard_error == approx(27.2166)


def test_question_level_statistics() -> None:
    q1, q2, q3 = item_statistics(MARKS, [1, 1, 1]).questions
    assert q1.facility == approx(50.0) and q1.sd == approx(57.735)
    assert q1.discrimination_index == approx(70.7107)
    assert q1.discriminative_efficiency == approx(100.0)
    assert q1.effective_weight == approx(36.9398)
    assert q2.discrimination_index == approx(0.0)
    assert q2.discriminative_efficiency == approx(0.0)
    assert q2.effective_weight == approx(26.1204)
    assert q3.effective_weight == approx(36.9398)
    assert sum(q.effective_weight for q in (q1, q2, q3)) == approx(100.0)


def test_a_question_the_weaker_candidates_get_right_discriminates_negatively() -> None:
    # q3 right only for the attempt that got everything else wrong
    marks = [[1, 1, 0], [1, 1, 0], [1, 0, 0], [0, 0, 1]]
    q3 = item_statistics(marks, [1, 1, 1]).questions[2]
    assert q3.discrimination_index is not None and q3.discrimination_index < 0
    # rest [2,2,1,0] mean 1.25; q3 dev [-.25,-.25,-.25,.75]; cov = (-.1875-.1875+.0625-.9375)/3
    assert q3.discrimination_index == approx(100 * (-1.25 / 3) / ((0.75 / 3) * (2.75 / 3)) ** 0.5)


def test_max_marks_scale_facility_and_partial_marks() -> None:
    stats = item_statistics([[2, 0.5], [1, 1], [0, 0.5]], [2, 1])
    assert stats.questions[0].facility == approx(50.0)
    assert stats.questions[1].facility == approx(100 * (2 / 3) / 1)
    assert stats.mean == approx(100 * (5 / 3) / 3)


def test_undefined_values_are_none() -> None:
    single = item_statistics([[1, 0]], [1, 1])
    assert single.mean == approx(50.0) and single.sd is None and single.cic is None
    assert single.questions[0].discrimination_index is None
    same = item_statistics([[1, 1], [1, 1], [1, 1]], [1, 1])
    assert same.sd == approx(0.0) and same.cic is None and same.skewness is None
    assert same.questions[0].discrimination_index is None
    empty = item_statistics([], [1, 1])
    assert empty.attempts == 0 and empty.mean is None


def test_rows_must_match_the_slots() -> None:
    with pytest.raises(ValueError):
        item_statistics([[1, 0, 1]], [1, 1])


def test_flags_weak_negative_and_rare_distractors() -> None:
    from quizapp.domain.stats_model import QuestionStats, flags_for

    weak = QuestionStats(1, 50.0, 10.0, -5.0, 10.0, 20.0, 0.1)
    kinds = [f.kind for f in flags_for(weak, {"Wrong A": 4.0, "Wrong B": 30.0}, 30)]
    assert kinds == ["low_efficiency", "negative_discrimination", "rare_distractor"]
    assert [f.kind for f in flags_for(weak, {"Wrong A": 4.0}, 29)] == [
        "low_efficiency",
        "negative_discrimination",
    ]
    good = QuestionStats(1, 50.0, 10.0, 40.0, 60.0, 20.0, 0.1)
    assert flags_for(good, {"Wrong": 20.0}, 100) == []


def test_version_statistics_over_the_attempts_that_included_it() -> None:
    from tests.oracles.stats_oracle import version_statistics

    # q1 of the hand-worked data, as (mark, total) pairs
    stats = version_statistics([(1, 3), (1, 2), (0, 1), (0, 0)], 1)
    assert stats.facility == approx(50.0)
    assert stats.discrimination_index == approx(70.7107)
    assert stats.discriminative_efficiency == approx(100.0)
