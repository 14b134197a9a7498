"""Instructor pages for case studies: the list, and one case with its exhibits and items.
Cases are written in `question_bank/cases/` and versioned by `bank load` (read-only here)."""

from __future__ import annotations

from flask import abort, render_template

from quizapp.instructor.blueprint import bp
from quizapp.queries.case_lists import case_detail, case_list


@bp.get("/cases")
def cases() -> str:
    return render_template("cases/author_list.html", rows=case_list())


@bp.get("/cases/<string:case_key>")
def case(case_key: str) -> str:
    detail = case_detail(case_key[:64])
    if detail is None:
        abort(404)
    return render_template("cases/author_case.html", case=detail)
