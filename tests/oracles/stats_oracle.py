"""Test oracle: item analysis from the whole marks matrix, with Moodle's definitions
(mod/quiz/report/statistics, question statistics), written straight from the formulas.

Why here and not in quizapp: production computes the same figures from running sums
(`quizapp.domain.stats_sums`); this slow, obvious version is what the sums are checked against.

`item_statistics(marks, max_marks)`: `marks` is a list of attempts, each a list of the marks
earned per question slot; `max_marks` the maximum mark per slot. Sample statistics use n - 1
denominators, as Moodle does.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from quizapp.domain.stats_model import QuestionStats, QuizStats


def _mean(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values)


def _covariance(xs: Sequence[float], ys: Sequence[float]) -> float:
    mx, my = _mean(xs), _mean(ys)
    return math.fsum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / (len(xs) - 1)


def item_statistics(marks: Sequence[Sequence[float]], max_marks: Sequence[float]) -> QuizStats:
    s = len(marks)
    slots = len(max_marks)
    if any(len(row) != slots for row in marks):
        raise ValueError("every attempt needs one mark per question slot")
    totals = [math.fsum(row) for row in marks]
    max_total = math.fsum(max_marks)
    columns = [[row[p] for row in marks] for p in range(slots)]

    questions = [_question(p, columns[p], totals, max_marks[p]) for p in range(slots)]
    questions = _effective_weights(questions)
    if s == 0:
        return QuizStats(0, None, None, None, None, None, None, None, questions)

    mean = _mean(totals)

    def pct(value: float) -> float | None:
        return 100.0 * value / max_total if max_total else None

    if s < 2:
        return QuizStats(s, pct(mean), None, None, None, None, None, None, questions)
    deviations = [t - mean for t in totals]
    m2 = math.fsum(d**2 for d in deviations) / s
    m3 = math.fsum(d**3 for d in deviations) / s
    m4 = math.fsum(d**4 for d in deviations) / s
    k2 = s * m2 / (s - 1)
    sd = math.sqrt(k2)
    skewness = kurtosis = None
    if k2 > 0 and s > 2:
        k3 = s * s * m3 / ((s - 1) * (s - 2))
        skewness = k3 / k2**1.5
    if k2 > 0 and s > 3:
        k4 = s * s * ((s + 1) * m4 - 3 * (s - 1) * m2 * m2) / ((s - 1) * (s - 2) * (s - 3))
        kurtosis = k4 / (k2 * k2)
    cic = error_ratio = standard_error = None
    if k2 > 0 and slots > 1:
        item_variance = math.fsum(_covariance(c, c) for c in columns)
        cic = 100.0 * slots / (slots - 1) * (1 - item_variance / k2)
        if cic <= 100:
            error_ratio = 100.0 * math.sqrt(max(0.0, 1 - cic / 100))
            sd_pct = pct(sd)
            standard_error = error_ratio * sd_pct / 100 if sd_pct is not None else None
    return QuizStats(
        attempts=s,
        mean=pct(mean),
        sd=pct(sd),
        skewness=skewness,
        kurtosis=kurtosis,
        cic=cic,
        error_ratio=error_ratio,
        standard_error=standard_error,
        questions=questions,
    )


def _question(slot: int, xs: list[float], totals: list[float], max_mark: float) -> QuestionStats:
    s = len(xs)
    if s == 0 or max_mark <= 0:
        return QuestionStats(slot, None, None, None, None, None, None)
    facility = 100.0 * _mean(xs) / max_mark
    if s < 2:
        return QuestionStats(slot, facility, None, None, None, None, None)
    variance = _covariance(xs, xs)
    rest = [t - x for t, x in zip(totals, xs, strict=True)]
    rest_variance = _covariance(rest, rest)
    covariance = _covariance(xs, rest)
    discrimination = None
    if variance > 0 and rest_variance > 0:
        discrimination = 100.0 * covariance / math.sqrt(variance * rest_variance)
    efficiency = None
    max_covariance = _covariance(sorted(xs), sorted(rest))
    if max_covariance > 0:
        efficiency = 100.0 * covariance / max_covariance
    return QuestionStats(
        slot=slot,
        facility=facility,
        sd=100.0 * math.sqrt(variance) / max_mark,
        discrimination_index=discrimination,
        discriminative_efficiency=efficiency,
        effective_weight=None,
        covariance_with_total=_covariance(xs, totals),
    )


def _effective_weights(questions: list[QuestionStats]) -> list[QuestionStats]:
    covariances = [q.covariance_with_total for q in questions]
    roots = [math.sqrt(c) for c in covariances if c is not None and c >= 0]
    total = math.fsum(roots)
    result = []
    for q in questions:
        c = q.covariance_with_total
        weight = 100.0 * math.sqrt(c) / total if c is not None and c >= 0 and total > 0 else None
        result.append(
            QuestionStats(
                q.slot,
                q.facility,
                q.sd,
                q.discrimination_index,
                q.discriminative_efficiency,
                weight,
                c,
            )
        )
    return result


def version_statistics(
    pairs: Sequence[tuple[float, float]], max_mark: float, slot: int = 0
) -> QuestionStats:
    """One question version's statistics from (its mark, the attempt's total) pairs.

    For a version drawn at random into some attempts only: the same definitions, computed
    over the attempts that included it.
    """
    xs = [float(x) for x, _ in pairs]
    totals = [float(t) for _, t in pairs]
    return _question(slot, xs, totals, max_mark)
