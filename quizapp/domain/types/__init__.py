"""Question types as plug-ins: importing this package registers every built-in type.

`base.py` holds the contract and the registry, `checks.py` the shared checks, and each type is
one module (its authoring form mapping sits in `quizapp/instructor/type_forms.py`, its template
partials under `templates/types/<name>/`). Adding a type means one module here, imported below.
"""

# Each module registers its type; this order is the registry's (and the form's).
# isort: off
from quizapp.domain.types import single, multiple, true_false  # noqa: F401
from quizapp.domain.types import matching, numeric, short_answer  # noqa: F401
from quizapp.domain.types import matrix, cloze, ordering  # noqa: F401
from quizapp.domain.types import bowtie, highlight  # noqa: F401
# isort: on

from quizapp.domain.types.base import (
    REGISTRY as REGISTRY,
    Described as Described,
    NotExpressible as NotExpressible,
    QuestionType as QuestionType,
    Review as Review,
    UnknownQuestionType as UnknownQuestionType,
    all_types as all_types,
    get_type as get_type,
    register as register,
)
from quizapp.domain.types.checks import (
    AnswerDataProblem as AnswerDataProblem,
    fold as fold,
    parse_number as parse_number,
)
