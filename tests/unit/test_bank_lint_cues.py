"""Each cue rule of `lint_cues`, broken by a tiny bank, reports the items that feed it."""

from __future__ import annotations

from quizapp.bank.lint_cues import key_terms, lint_cues
from quizapp.bank.specs import QuestionSpec, SectionSpec

SECTION = SectionSpec(
    key="complications/intravenous",
    heading="Complications",
    position=1,
    kind="content",
    key_points=("Infiltration causes swelling and coolness around the insertion site.",),
    erratum="",
    file="s.yaml",
    line=1,
    cautions=("Phlebitis needs the cannula removed.",),
)
SECTIONS = {SECTION.key: SECTION}
TEXTS = ["Raise the limb", "Stop the drip now", "Call the doctor", "Warm compress"]


def spec(n: int, type_: str = "single", *, correct: list[int], **overrides: object) -> QuestionSpec:
    texts = list(overrides.pop("texts", TEXTS))  # type: ignore[call-overload]
    fields: dict[str, object] = {
        "uid": f"q-{n}",
        "topic": "complications/intravenous",
        "status": "published",
        "type": type_,
        "difficulty": 2,
        "tags": (),
        "cites": (SECTION.key,),
        "stem": f"Case {n}: a cannula site shows swelling. What should the nurse do first?",
        "rationale": "Infiltration needs the infusion stopped.",
        "data": {"choices": [{"text": t, "correct": i in correct} for i, t in enumerate(texts)]},
        "file": "bank.yaml",
        "line": 10 * n,
        "lines": {"stem": 10 * n + 1, "cites": 10 * n + 2, "choices": 10 * n + 3},
    }
    fields.update(overrides)
    return QuestionSpec(**fields)  # type: ignore[arg-type]


def rotated(count: int = 10) -> list[QuestionSpec]:
    return [spec(n, correct=[n % 4]) for n in range(count)]


def messages(questions: list[QuestionSpec]) -> list[str]:
    return [str(p) for p in lint_cues(questions, SECTIONS)]


def test_a_bank_without_cues_passes() -> None:
    assert messages(rotated()) == []


def test_key_longest_in_over_30_percent_fails_at_each_such_item() -> None:
    # 4 of 10 keys at position 1 ("Stop the drip now", the longest): 40% > 30%
    bank = [spec(n, correct=[1 if n < 4 else (0, 2, 3)[n % 3]]) for n in range(10)]
    found = messages(bank)
    assert len(found) == 4 and all("is the longest here, as in 4/10" in m for m in found)
    # 3 of 10 is 30%: allowed
    bank = [spec(n, correct=[1 if n < 3 else (0, 2, 3)[n % 3]]) for n in range(10)]
    assert not [m for m in messages(bank) if "longest" in m]


def test_key_shortest_in_over_30_percent_fails() -> None:
    bank = [spec(n, correct=[3 if n < 4 else (0, 1, 2)[n % 3]]) for n in range(10)]
    found = [m for m in messages(bank) if "shortest" in m]
    assert len(found) == 4 and "bank.yaml:" in found[0] and "4/10 (40%)" in found[0]


def multiple(n: int, k: int) -> QuestionSpec:
    texts = ["Raise the limb", "Stop the drip", "Call the doctor", "Warm compress", "Ice pack"]
    return spec(100 + n, "multiple", correct=list(range(k)), texts=texts)


def test_select_all_with_one_count_over_40_percent_fails() -> None:
    bank = rotated() + [multiple(n, 3) for n in range(5)] + [multiple(5, 1), multiple(6, 4)]
    bank += [multiple(7, 2)]
    found = [m for m in messages(bank) if "select-all" in m]
    assert len(found) == 5 and "3 correct options here, as in 5/8 (62%)" in found[0]
    spread = rotated() + [multiple(n, 1 + n % 4) for n in range(8)]
    assert messages(spread) == []


def test_select_all_needs_some_with_one_and_some_with_all_but_one() -> None:
    two_three = rotated() + [multiple(n, 2 + n % 2) for n in range(8)]
    found = messages(two_three)
    assert any("exactly 1 correct" in m for m in found)
    assert any("all options but one correct" in m for m in found)


def test_according_to_the_source_stems_over_10_percent_fail() -> None:
    bank = rotated(20)
    for n in (0, 1, 2):  # 3 of 20 = 15%
        bank[n] = spec(n, correct=[n % 4], stem=f"According to the article, case {n} swelling?")
    found = [m for m in messages(bank) if "asks what the source says" in m]
    assert len(found) == 3 and "bank.yaml:1:" in found[0]
    bank[2] = rotated(3)[2]  # 2 of 20 = 10%: allowed
    assert not [m for m in messages(bank) if "source says" in m]


def test_a_citation_sharing_no_key_term_fails_unless_a_reason_is_given() -> None:
    unrelated = {"stem": "Which vaccine schedule suits a healthy adult?", "rationale": "Timing."}
    bank = [*rotated(), spec(50, correct=[0], texts=["Yearly", "Never", "Weekly"], **unrelated)]
    found = messages(bank)
    assert found == [
        "bank.yaml:502: the cited section 'complications/intravenous' shares no key term with "
        "this question: cite the section that supports it, or say why in 'cite_reason:'"
    ]
    bank[-1] = spec(
        50, correct=[0], texts=["Yearly", "Never", "Weekly"], cite_reason="x", **unrelated
    )
    assert messages(bank) == []


def test_key_terms_drop_short_words_stop_words_and_plurals() -> None:
    assert key_terms("The nurse checks the cannulas, patient swelling") == {
        "check",
        "cannula",
        "swelling",
    }
