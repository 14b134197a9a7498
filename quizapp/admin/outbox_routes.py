"""Admin pages of the e-mail outbox (pending, sending, sent, failed; retry a failed one) and of
the periodic jobs (the last run of each). Registered on the admin blueprint (admin/routes.py
imports this module), so the admin role check applies."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from quizapp.admin.forms import ActionForm
from quizapp.admin.routes import bp
from quizapp.queries import outbox as queries
from quizapp.services import outbox as service
from quizapp.services.jobs import JOBS


@bp.get("/outbox")
def outbox() -> str:
    status = request.args.get("status", "pending")
    if status not in queries.STATUSES:
        abort(404)
    page = queries.messages(status, request.args.get("page", 1, type=int) or 1)
    return render_template(
        "admin/outbox.html",
        status=status,
        counts=queries.status_counts(),
        page=page,
        action_form=ActionForm(),
    )


@bp.post("/outbox/<int:message_id>/retry")
def retry_message(message_id: int) -> Response:
    if not ActionForm().validate_on_submit():
        abort(400)
    service.retry(message_id, current_user.id)  # NotFound 404, Conflict 409
    flash("The message is back in the queue; it is sent on the next run.", "info")
    return redirect(url_for("admin.outbox", status="failed"))


@bp.get("/jobs")
def jobs() -> str:
    runs = queries.last_runs([job.name for job in JOBS])
    helps = {job.name: job for job in JOBS}
    return render_template("admin/jobs.html", runs=runs, jobs=helps)
