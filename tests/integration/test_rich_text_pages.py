"""Question text is rendered as the safe Markdown subset on the pages that show it."""

from __future__ import annotations

import re

from tests.integration.test_instructor import _create, instructor, single_form

__all__ = ["instructor"]  # the fixture, imported for these tests

STEM = "Check **both** sites:\n\n- the cannula\n- the dressing\n\n<script>alert(1)</script>"


def test_preview_and_question_page_render_markdown_and_keep_html_inert(
    app, client, instructor
) -> None:
    form = single_form(stem=STEM, rationale="Because *redness* spreads.")
    form["choices-0-text"] = "**Intravenous**"
    entry_id = _create(client, form)
    preview = client.get(f"/author/questions/{entry_id}/preview").data.decode()
    assert "<strong>both</strong>" in preview
    assert "<li>the cannula</li>" in preview
    assert "<script>alert(1)</script>" not in preview
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in preview
    assert '<label for="choice-' in preview and "<strong>Intravenous</strong></label>" in preview
    page = client.get(f"/author/questions/{entry_id}").data.decode()
    assert "<strong>both</strong>" in page and "<em>redness</em>" in page
    right = re.search(
        r'value="([^"]+)" id="choice-[^"]+"[^>]*>\s*<label[^>]*><strong>Intra', preview
    )
    assert right, preview
    checked = client.post(f"/author/questions/{entry_id}/preview", data={"answer": right[1]})
    review = checked.data.decode()
    assert "Correct." in review and "<p>Because <em>redness</em> spreads.</p>" in review
