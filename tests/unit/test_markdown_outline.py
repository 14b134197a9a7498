import pytest

from quizapp.domain.markdown_outline import parse_outline, slugify


def test_headings_become_sections_with_key_points() -> None:
    outline = parse_outline(
        "# Title\n\nIntro text.\n\n## `a/b` \u00b7 First\n- one\n- two\n\nA paragraph\nwrapped.\n"
        "## Second part\n1. numbered\n### Second part\n"
    )
    assert outline.title == "Title"
    assert [(s.key, s.heading) for s in outline.sections] == [
        ("a/b", "First"),
        ("second-part", "Second part"),
        ("second-part-2", "Second part"),
    ]
    assert outline.sections[0].key_points == ["one", "two", "A paragraph wrapped."]
    assert outline.sections[1].key_points == ["numbered"]
    assert outline.sections[0].line == 5


def test_the_shared_source_splits_into_its_keys() -> None:
    from pathlib import Path

    path = Path(__file__).resolve().parents[3] / "shared" / "source" / "infusion-therapy-2023.md"
    if not path.exists():
        pytest.skip(f"the shared source is not beside this checkout ({path})")
    keys = [s.key for s in parse_outline(path.read_text()).sections]
    assert {"overview", "types/epidural", "complications/subcutaneous", "faq/duration"} <= set(keys)


def test_slugify() -> None:
    assert slugify("  Hello, World! ") == "hello-world"
    assert slugify("!!!") == "section"
