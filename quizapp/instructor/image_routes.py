"""Uploading an image for question text: the page answers with the snippet to paste."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from quizapp.domain.rich_text import image_url
from quizapp.instructor.blueprint import bp
from quizapp.instructor.forms import ImageForm
from quizapp.services.errors import InvalidInput
from quizapp.services.images import upload_image


def snippet(alt: str, digest: str) -> str:
    """The Markdown that shows the image; alt text has no brackets or line breaks."""
    clean = " ".join(alt.replace("[", "(").replace("]", ")").split())
    return f"![{clean}]({image_url(digest)})"


@bp.route("/images", methods=["GET", "POST"])
def upload_image_page() -> str | tuple[str, int]:
    form = ImageForm()
    done, problem = None, None
    if form.validate_on_submit():
        try:
            digest, new = upload_image(form.image.data, current_user.id)
        except InvalidInput as exc:
            problem = str(exc)
        else:
            done = {"snippet": snippet(form.alt.data or "", digest), "new": new, "digest": digest}
    elif form.errors:
        problem = " ".join(e for errors in form.errors.values() for e in errors)
    page = render_template("instructor/images.html", form=form, done=done, problem=problem)
    return (page, 422) if problem else page
