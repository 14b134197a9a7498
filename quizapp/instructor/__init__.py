"""Instructor area: questions, sources, quizzes, import and export, audit log."""

from quizapp.instructor import (  # noqa: F401  (each module adds its views to the blueprint)
    case_routes,
    image_routes,
    io_routes,
    pool_routes,
    question_bulk_routes,
    question_routes,
    quiz_edit_routes,
    quiz_routes,
    source_routes,
)
from quizapp.instructor.blueprint import bp as bp
