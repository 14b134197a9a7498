"""The question-type contract and the registry (stdlib only).

A question type is one plug-in: it validates and normalises its answer data, parses a submitted
response, grades it to [0, 1], gives the correct response and what the review shows, picks the
choice ids the statistics count, and owns the per-type part of the GIFT and Moodle XML codecs.
The rest of the code looks a type up by name (`get_type`) and never switches on the name, so
adding a type means adding one module here and registering it (plus its form mapping and its
template partials, found by the same name). docs/question-format.md describes the fields.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol, TypeVar

from quizapp.domain.answer_fields import Fields

# fold and parse_number are re-exported: `quizapp.domain.question_types` is this module under
# its old name, and older code imports them from there.
from quizapp.domain.types.checks import (
    AnswerDataProblem,
    Check,
    fold as fold,
    parse_number as parse_number,
)

Data = Mapping[str, Any]


class UnknownQuestionType(ValueError):
    """Raised by `get_type` for a name that is not registered."""


class NotExpressible(ValueError):
    """A question (or a part of it) that a format cannot hold."""


@dataclass
class ChoiceView:
    id: str
    text: str
    correct: bool
    feedback: str | None
    chosen: bool = False


@dataclass
class PairView:
    id: str
    prompt: str
    answer: str
    feedback: str | None
    chosen: str = ""


@dataclass
class PartView:
    """One scored part of a response (a grid row, a drop-down, a pair of steps): what the
    trainee gave and what is right, in words, so the review can say right or wrong per part.
    `options`, `lead` and `trail` serve widgets that place parts in a text (cloze)."""

    id: str
    label: str
    chosen: list[str] = field(default_factory=list)
    correct: list[str] = field(default_factory=list)
    right: bool = False
    feedback: str | None = None
    options: list[str] = field(default_factory=list)
    many: bool = False  # the part takes any number of its options (else one)
    lead: str = ""  # the text before this part
    trail: str = ""  # the text after this part, when no part follows


@dataclass
class Review:
    """What the answer widget and the review show of one response (plain data)."""

    choices: list[ChoiceView] = field(default_factory=list)
    pairs: list[PairView] = field(default_factory=list)
    options: list[str] = field(default_factory=list)
    my_answer: str = ""
    correct_answer: str = ""
    feedback: list[str] = field(default_factory=list)
    unit: str = ""
    parts: list[PartView] = field(default_factory=list)  # per-part results (NGN types)
    # A type's own plain data for its partials, beyond choices and pairs (e.g. the bow-tie's
    # three groups, a highlight passage's segments); empty for most types.
    layout: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Described:
    """One authored field in plain words, for the question page's key and the version diff.

    `key` is stable across versions (a choice's id, not its position), `label` is what a
    reader sees ("Choice C", "Correct answer"), `text` the field's value as words.
    """

    key: str
    label: str
    text: str
    is_key: bool = False  # part of the answer key (the correct answer, a grade)


class Shown(Protocol):
    """A view the page shows (the trainee's ItemView): what `keep_given` refills."""

    choices: list[ChoiceView]
    pairs: list[PairView]
    prefill: dict[str, Any]
    layout: dict[str, Any]


class Codec(Protocol):
    """The format helpers a type's Moodle XML writer uses (they escape and wrap text)."""

    def add(self, parent: Any, tag: str, text: object = None) -> Any: ...

    def rich(self, parent: Any, tag: str, text: str, **attrs: str) -> Any: ...

    def answer(self, parent: Any, fraction: float, text: str, feedback: str | None) -> Any: ...


class QuestionType:
    """Base class; one instance of each type lives in REGISTRY."""

    name: ClassVar[str]
    label: ClassVar[str]
    fields: ClassVar[frozenset[str]]  # the authored fields that make up this type's answer data
    hint: ClassVar[str] = ""  # shown beside the stem ("Select all that apply.")
    moodle_type: ClassVar[str]  # the Moodle XML question type that carries it
    has_choices: ClassVar[bool] = False  # the answer data holds a list of `choices`
    one_key: ClassVar[bool] = False  # exactly one of those choices is the key (bank lint)
    calculator: ClassVar[bool] = False  # the answer page offers the on-screen calculator
    # Why GIFT / Moodle XML cannot hold this type, for the types they cannot (the export
    # report names each question left out with this reason)
    not_in_gift: ClassVar[str] = ""
    not_in_moodle_xml: ClassVar[str] = ""

    def normalize(self, data: Data) -> dict[str, Any]:
        """A new plain dict in canonical form; unknown keys are left out."""
        raise NotImplementedError

    def validate(self, data: object) -> list[AnswerDataProblem]:
        """Problems with raw or normalised answer data; empty when valid. Never raises."""
        check = Check()
        if isinstance(data, Mapping):
            self._check(self.normalize(data), data, check)
        else:
            check.add("data", "The answer data must be a mapping of fields.")
        return check.problems

    def _check(self, data: dict[str, Any], raw: Data, check: Check) -> None:
        raise NotImplementedError

    def grade(self, data: Data, response: object) -> float:
        """A mark in [0, 1] for `response` against normalised, valid `data`. Never raises."""
        raise NotImplementedError

    def correct_response(self, data: Data) -> object:
        """The canonical correct response, for showing the correct answer."""
        raise NotImplementedError

    def parse_response(self, data: Data, fields: Fields) -> object:
        """The response in form `fields`, checked against this version's `data` (its ids and
        options), so nothing a client invents is stored; EmptyAnswer or InvalidAnswer."""
        raise NotImplementedError

    def response_fields(self, response: object) -> dict[str, Any]:
        """Form fields that pre-fill a saved response (the inverse of parse_response)."""
        return {"answer": str(response)}

    def choice_keys(self, data: Data, response: object) -> list[str]:
        """The version's own choice ids a response picked (the item analysis counts them)."""
        return []

    def counted_choices(self, data: Data) -> list[Mapping[str, Any]]:
        """The choices whose picks the item analysis shows (none for most types)."""
        return []

    def shuffled_ids(self, data: Data) -> list[str]:
        """The ids whose order each attempt freezes, shuffled (choices, pairs); else none."""
        return []

    def option_texts(self, data: Data) -> list[tuple[str, str]]:
        """(field path, text) of each answer option a reader weighs, for the bank's wording
        lint ("all of the above"); the choices of a type that has them."""
        if not self.has_choices:
            return []
        return [(f"choices[{i}]", c["text"]) for i, c in enumerate(data.get("choices") or [])]

    def strike_ids(self, data: Data) -> list[str]:
        """The answer ids a trainee may strike out while answering (none: no strike-out)."""
        return []

    def review(self, data: Data, response: object, order: Sequence[str]) -> Review:
        """What the page shows: the widget's rows in the attempt's `order`, the trainee's and
        the correct answer as text, and the feedback the response earns."""
        return Review(
            my_answer="" if response is None else str(response),
            correct_answer=str(self.correct_response(data)),
        )

    def describe(self, data: Data) -> list[Described]:
        """The answer data field by field in plain words (choices, which is correct, grades,
        feedback, pairs, values): what the question page lists and the version diff compares."""
        return [
            Described(key, key.replace("_", " ").capitalize(), str(value))
            for key, value in self.file_fields(data).items()
        ]

    def keep_given(self, view: Shown, fields: Mapping[str, list[str]]) -> None:
        """Refill `view` with an answer that was posted but not saved."""
        given = fields.get("answer", [])
        view.prefill = {"answer": given[0] if given else ""}

    def file_fields(self, data: Data) -> dict[str, Any]:
        """The answer data as our YAML files write it (normalised `data`, without defaults)."""
        return {key: value for key, value in data.items() if value is not None}

    def hash_form(self, data: Data) -> dict[str, Any]:
        """What a version hash is made of: the data as it was before Moodle grades wherever
        that form can hold it, so that the bank's versions keep their hashes."""
        return dict(data)

    def gift_answers(self, data: Data, text: Any) -> list[str]:
        """The lines inside a GIFT question's braces; `text(value, arrow=False)` escapes."""
        raise NotExpressible(self._not_expressible("GIFT", self.not_in_gift))

    def gift_comments(self, data: Data) -> tuple[list[tuple[str, object]], list[tuple[int, str]]]:
        """Our own fields a GIFT comment carries for this type, and per-entry feedback texts."""
        return [], []

    def write_moodle_xml(self, element: Any, data: Data, codec: Codec) -> None:
        """Fill a Moodle XML <question> element with this type's answer data."""
        raise NotExpressible(self._not_expressible("Moodle XML", self.not_in_moodle_xml))

    def _not_expressible(self, fmt: str, reason: str) -> str:
        label = self.label.lower()
        article = "An" if label[:1] in "aeiou" else "A"
        return f"{article} {label} question is not expressible in {fmt}: {reason}".rstrip(": ")


QT = TypeVar("QT", bound=type[QuestionType])
REGISTRY: dict[str, QuestionType] = {}


def register(cls: QT) -> QT:
    """Class decorator: puts an instance of `cls` in REGISTRY under `cls.name`."""
    name = getattr(cls, "name", None)
    if not isinstance(name, str) or not name:
        raise ValueError(f"{cls.__name__} needs a non-empty `name`.")
    if name in REGISTRY and type(REGISTRY[name]) is not cls:
        raise ValueError(f"The question type {name!r} is already registered.")
    REGISTRY[name] = cls()
    return cls


def get_type(name: str) -> QuestionType:
    try:
        return REGISTRY[name]
    except (KeyError, TypeError):
        known = ", ".join(REGISTRY)
        raise UnknownQuestionType(f"Unknown question type {name!r}; known: {known}.") from None


def all_types() -> list[QuestionType]:
    """Every registered type, in registration order (the authoring form lists them so)."""
    return list(REGISTRY.values())


def refill_choices(view: Shown, fields: Mapping[str, list[str]]) -> None:
    given = fields.get("answer", [])
    for choice in view.choices:
        choice.chosen = choice.id in given
