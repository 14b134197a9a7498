"""Long addresses on source pages wrap between their parts on a phone (the word-break test in
tests/browser/test_word_breaks.py found them broken mid-word), and stay escaped."""

from quizapp.templating import breakable_url


def test_a_url_gets_a_break_chance_after_each_separator() -> None:
    url = "https://openwa.pressbooks.pub/nursingskills/chapter/23-1-iv"
    shown = str(breakable_url(url))
    assert shown.replace("<wbr>", "") == url
    assert "nursingskills/<wbr>chapter/<wbr>23-<wbr>1-<wbr>iv" in shown
    assert "nursing<wbr>" not in shown  # never inside a word


def test_the_text_is_escaped() -> None:
    assert str(breakable_url('x"<y>')) == "x&#34;&lt;y&gt;"
    assert str(breakable_url(None)) == ""
