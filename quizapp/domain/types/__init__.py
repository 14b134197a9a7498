"""Question types as plug-ins: importing this package registers every built-in type.

`base.py` holds the contract and the registry, `checks.py` the shared checks, and each type is
one module (its authoring form mapping sits in `quizapp/instructor/type_forms.py`, its template
partials under `templates/types/<name>/`). Adding a type means one module here, imported below.
"""

# Each module registers its type; this order is the registry's (and the form's).
# isort: off
from quizapp.domain.types import single, multiple, true_false  # noqa: F401
from quizapp.domain.types import matching, numeric, short_answer  # noqa: F401
# isort: on

from quizapp.domain.types.base import (
    REGISTRY,
    NotExpressible,
    QuestionType,
    Review,
    UnknownQuestionType,
    all_types,
    get_type,
    register,
)
from quizapp.domain.types.checks import AnswerDataProblem, fold, parse_number

__all__ = [
    "REGISTRY",
    "AnswerDataProblem",
    "NotExpressible",
    "QuestionType",
    "Review",
    "UnknownQuestionType",
    "all_types",
    "fold",
    "get_type",
    "parse_number",
    "register",
]
