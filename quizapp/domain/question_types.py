"""Kept for existing imports: the question types now live in `quizapp.domain.types`.

This name is an alias of `quizapp.domain.types.base` (the same module object, not a copy), so
that code patching `question_types.REGISTRY` patches the registry `register` and `get_type` use.
"""

import sys

import quizapp.domain.types  # noqa: F401  (registers the built-in types)
from quizapp.domain.types import base

sys.modules[__name__] = base
