"""What item analysis reports, and the warnings it raises (Moodle's definitions).

The figures themselves come from running sums (`quizapp.domain.stats_sums`); the full-matrix
computation they are checked against lives in the tests (tests/oracles/stats_oracle.py).
Percentages are given as Moodle gives them (0-100); a value that the data cannot define (too
few attempts, no variance) is None.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class QuestionStats:
    slot: int
    facility: float | None  # mean mark as % of the maximum
    sd: float | None  # standard deviation as % of the maximum
    discrimination_index: float | None  # 100 x correlation with the rest of the test
    discriminative_efficiency: float | None  # 100 x covariance / its maximum for these marks
    effective_weight: float | None  # % share of the total's spread; None on negative covariance
    covariance_with_total: float | None


@dataclass(frozen=True)
class QuizStats:
    attempts: int
    mean: float | None  # % of the maximum total
    sd: float | None  # % of the maximum total
    skewness: float | None
    kurtosis: float | None
    cic: float | None  # coefficient of internal consistency (Cronbach's alpha), %
    error_ratio: float | None  # %
    standard_error: float | None  # % of the maximum total
    questions: list[QuestionStats]


@dataclass(frozen=True)
class Flag:
    kind: str
    message: str


MIN_DISCRIMINATIVE_EFFICIENCY = 15.0
RARE_DISTRACTOR_SHARE = 5.0
RARE_DISTRACTOR_MIN_RESPONSES = 30


def flags_for(
    stats: QuestionStats, distractor_shares: dict[str, float], responses: int
) -> list[Flag]:
    """Moodle-style warnings: weak or negative discrimination, distractors nobody picks."""
    flags = []
    de = stats.discriminative_efficiency
    if de is not None and de < MIN_DISCRIMINATIVE_EFFICIENCY:
        flags.append(Flag("low_efficiency", f"Discriminative efficiency {de:.0f}% is under 15%."))
    di = stats.discrimination_index
    if di is not None and di < 0:
        flags.append(Flag("negative_discrimination", f"Negative discrimination index ({di:.0f})."))
    if responses >= RARE_DISTRACTOR_MIN_RESPONSES:
        for text, share in distractor_shares.items():
            if share < RARE_DISTRACTOR_SHARE:
                flags.append(
                    Flag(
                        "rare_distractor",
                        f"Distractor “{text}” chosen by {share:.1f}% of {responses}.",
                    )
                )
    return flags
