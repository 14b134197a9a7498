"""Item analysis from running sums, so the figures stay live and cost the same at any size.

Each submitted attempt adds its marks to a few running sums (per quiz, per slot and per
question version); the statistics of `quizapp.domain.stats_model` then come from the sums alone.
The maximum covariance behind the discriminative efficiency needs the two sorted mark lists,
which the histograms of marks and of rest-of-test scores give exactly (sorting both lists and
pairing them is pairing the two distributions quantile by quantile).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from quizapp.domain.stats_model import QuestionStats, QuizStats


def _key(value: float) -> str:
    return f"{value:.4f}"


@dataclass
class ItemSums:
    n: int = 0
    sx: float = 0.0
    sxx: float = 0.0
    sxt: float = 0.0
    st: float = 0.0
    stt: float = 0.0
    max_mark: float = 1.0
    x_hist: dict[str, int] = field(default_factory=dict)
    rest_hist: dict[str, int] = field(default_factory=dict)

    def add(self, x: float, total: float) -> None:
        self.n += 1
        self.sx += x
        self.sxx += x * x
        self.sxt += x * total
        self.st += total
        self.stt += total * total
        self.x_hist[_key(x)] = self.x_hist.get(_key(x), 0) + 1
        rest = total - x
        self.rest_hist[_key(rest)] = self.rest_hist.get(_key(rest), 0) + 1


@dataclass
class QuizSums:
    n: int = 0
    st: float = 0.0
    stt: float = 0.0
    st3: float = 0.0
    st4: float = 0.0

    def add(self, total: float) -> None:
        self.n += 1
        self.st += total
        self.stt += total**2
        self.st3 += total**3
        self.st4 += total**4


def _sorted_product(a: Mapping[str, int], b: Mapping[str, int]) -> float:
    """Sum of x_(i) * y_(i) over both multisets sorted ascending, from their histograms."""
    xs = sorted((float(k), c) for k, c in a.items())
    ys = sorted((float(k), c) for k, c in b.items())
    i = j = 0
    left_x = xs[0][1] if xs else 0
    left_y = ys[0][1] if ys else 0
    total = 0.0
    while i < len(xs) and j < len(ys):
        take = min(left_x, left_y)
        total += take * xs[i][0] * ys[j][0]
        left_x -= take
        left_y -= take
        if left_x == 0:
            i += 1
            left_x = xs[i][1] if i < len(xs) else 0
        if left_y == 0:
            j += 1
            left_y = ys[j][1] if j < len(ys) else 0
    return total


def question_from_sums(slot: int, s: ItemSums) -> QuestionStats:
    if s.n == 0 or s.max_mark <= 0:
        return QuestionStats(slot, None, None, None, None, None, None)
    facility = 100.0 * s.sx / s.n / s.max_mark
    if s.n < 2:
        return QuestionStats(slot, facility, None, None, None, None, None)
    d = s.n - 1
    var_x = max(0.0, (s.sxx - s.sx * s.sx / s.n) / d)
    var_t = max(0.0, (s.stt - s.st * s.st / s.n) / d)
    cov_xt = (s.sxt - s.sx * s.st / s.n) / d
    var_rest = max(0.0, var_t + var_x - 2 * cov_xt)
    cov_x_rest = cov_xt - var_x
    discrimination = None
    if var_x > 1e-12 and var_rest > 1e-12:
        discrimination = 100.0 * cov_x_rest / math.sqrt(var_x * var_rest)
    s_rest = s.st - s.sx
    max_cov = (_sorted_product(s.x_hist, s.rest_hist) - s.sx * s_rest / s.n) / d
    efficiency = 100.0 * cov_x_rest / max_cov if max_cov > 1e-12 else None
    return QuestionStats(
        slot,
        facility,
        100.0 * math.sqrt(var_x) / s.max_mark,
        discrimination,
        efficiency,
        None,
        cov_xt,
    )


def quiz_from_sums(q: QuizSums, slots: Sequence[ItemSums]) -> QuizStats:
    questions = [question_from_sums(p, s) for p, s in enumerate(slots)]
    roots = [
        math.sqrt(x.covariance_with_total)
        for x in questions
        if x.covariance_with_total is not None and x.covariance_with_total >= 0
    ]
    denominator = math.fsum(roots)
    questions = [
        QuestionStats(
            x.slot,
            x.facility,
            x.sd,
            x.discrimination_index,
            x.discriminative_efficiency,
            100.0 * math.sqrt(x.covariance_with_total) / denominator
            if x.covariance_with_total is not None
            and x.covariance_with_total >= 0
            and denominator > 0
            else None,
            x.covariance_with_total,
        )
        for x in questions
    ]
    n = q.n
    max_total = math.fsum(s.max_mark for s in slots)
    if n == 0:
        return QuizStats(0, None, None, None, None, None, None, None, questions)

    def pct(value: float) -> float | None:
        return 100.0 * value / max_total if max_total else None

    mean = q.st / n
    if n < 2:
        return QuizStats(n, pct(mean), None, None, None, None, None, None, questions)
    m2 = max(0.0, q.stt / n - mean**2)
    m3 = q.st3 / n - 3 * mean * q.stt / n + 2 * mean**3
    m4 = q.st4 / n - 4 * mean * q.st3 / n + 6 * mean**2 * q.stt / n - 3 * mean**4
    k2 = n * m2 / (n - 1)
    sd = math.sqrt(k2)
    skewness = kurtosis = cic = error_ratio = standard_error = None
    if k2 > 1e-12 and n > 2:
        skewness = (n * n * m3 / ((n - 1) * (n - 2))) / k2**1.5
    if k2 > 1e-12 and n > 3:
        k4 = n * n * ((n + 1) * m4 - 3 * (n - 1) * m2 * m2) / ((n - 1) * (n - 2) * (n - 3))
        kurtosis = k4 / (k2 * k2)
    if k2 > 1e-12 and len(slots) > 1:
        item_variance = math.fsum(
            max(0.0, (s.sxx - s.sx * s.sx / s.n) / (s.n - 1)) for s in slots if s.n > 1
        )
        cic = 100.0 * len(slots) / (len(slots) - 1) * (1 - item_variance / k2)
        if cic <= 100:
            error_ratio = 100.0 * math.sqrt(max(0.0, 1 - cic / 100))
            sd_pct = pct(sd)
            standard_error = error_ratio * sd_pct / 100 if sd_pct is not None else None
    return QuizStats(
        n, pct(mean), pct(sd), skewness, kurtosis, cic, error_ratio, standard_error, questions
    )


def accumulate(
    marks: Iterable[Sequence[float]], max_marks: Sequence[float]
) -> tuple[QuizSums, list[ItemSums]]:
    """The running sums that these attempts would leave (for tests and back-filling)."""
    quiz = QuizSums()
    slots = [ItemSums(max_mark=m) for m in max_marks]
    for row in marks:
        total = math.fsum(row)
        quiz.add(total)
        for slot, x in zip(slots, row, strict=True):
            slot.add(x, total)
    return quiz, slots


@dataclass
class QuizAccumulator:
    """The sums a set of submitted attempts leaves, built in memory, so that a rebuild can read
    in short batches and write each quiz's rows in one short transaction."""

    quiz: QuizSums = field(default_factory=QuizSums)
    slots: dict[int, ItemSums] = field(default_factory=dict)
    versions: dict[int, ItemSums] = field(default_factory=dict)
    choices: dict[int, dict[str, int]] = field(default_factory=dict)

    def add(self, items: Sequence[tuple[int, int, float, float, Sequence[str]]]) -> None:
        """One attempt: (position, version id, mark 0..1, max mark, counted choice ids) per
        item, summed exactly as `item_sums.record_submission` sums a live submission."""
        total = sum(mark * max_mark for _, _, mark, max_mark, _ in items)
        self.quiz.add(total)
        for position, version_id, mark, max_mark, keys in items:
            x = mark * max_mark
            for sums in (
                self.slots.setdefault(position, ItemSums()),
                self.versions.setdefault(version_id, ItemSums()),
            ):
                sums.max_mark = max_mark
                sums.add(x, total)
            counts = self.choices.setdefault(version_id, {})
            for key in keys:
                counts[key] = counts.get(key, 0) + 1
