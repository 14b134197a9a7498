"""Request body limits per route, applied before anything reads the body.

Why: without a limit an anonymous 1 GB multipart `POST /login` was spooled to disk before the
CSRF check refused it, and any form field could carry half a megabyte. Upload routes accept
MAX_CONTENT_LENGTH (a file up to IMPORT_MAX_BYTES plus the form); every other route accepts
MAX_FORM_BYTES. Werkzeug refuses a larger declared Content-Length with 413 without reading
it, and stops reading a body without one once it passes the limit.
"""

from __future__ import annotations

from flask import Flask, current_app, request

UPLOAD_ENDPOINTS = frozenset(
    {
        "instructor.import_questions",
        "instructor.new_source",
        "instructor.upload_image_page",
        "admin.roster",
    }
)


def _limit_body() -> None:
    if request.endpoint not in UPLOAD_ENDPOINTS:
        request.max_content_length = current_app.config["MAX_FORM_BYTES"]


def register(app: Flask) -> None:
    """Run first among the before-request hooks, ahead of CSRFProtect, which reads the form."""
    app.before_request_funcs.setdefault(None, []).insert(0, _limit_body)
