"""WTForms' `SelectChoice`, imported in one place so that its one type ignore lives here.

Why: WTForms 3.3 added `SelectChoice`, and the types-WTForms stubs (3.2) do not have it yet;
when they do, mypy's warn_unused_ignores flags the comment below and it can go.
"""

from wtforms.fields.choices import SelectChoice as SelectChoice  # type: ignore[attr-defined]
