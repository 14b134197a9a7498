"""Question images by content hash, for signed-in users only.

Why these headers: the stored content type (proved by the bytes at upload) with `nosniff`
means a browser never treats an image as a page; the URL names the bytes, so the response can
be cached for a year as immutable, but `private`, since only signed-in users may see it.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort
from flask_login import login_required

from quizapp.domain.images import file_name
from quizapp.services.images import find_image

bp = Blueprint("media", __name__, url_prefix="/media")
CACHE = "private, max-age=31536000, immutable"


@bp.before_request
@login_required
def _signed_in() -> None:
    return None


@bp.get("/<string:digest>")
def image(digest: str) -> Response:
    found = find_image(digest)
    if found is None:
        abort(404)
    response = Response(found.data, mimetype=found.content_type)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = CACHE
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    name = file_name(found.sha256, found.content_type)
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    return response
