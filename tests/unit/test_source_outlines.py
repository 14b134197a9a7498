"""The second source's outline: faithful to the shared document, and checked like the first."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from quizapp.bank.reader import read_bank
from quizapp.bank.specs import SectionSpec, content_hash

ROOT = Path(__file__).resolve().parents[2]
OUTLINE_MD = ROOT.parent / "shared" / "source" / "openrn-infusion.md"
OPENRN = "openrn-infusion.yaml"


def _bank(tmp_path: Path, edit: tuple[str, str] | None = None) -> Path:
    root = tmp_path / "bank"
    shutil.copytree(ROOT / "question_bank" / "sources", root / "sources")
    shutil.copy(ROOT / "question_bank" / "taxonomy.yaml", root / "taxonomy.yaml")
    if edit:
        path = root / "sources" / OPENRN
        text = path.read_text()
        assert edit[0] in text
        path.write_text(text.replace(edit[0], edit[1], 1))
    return root


def _messages(tmp_path: Path, edit: tuple[str, str]) -> list[str]:
    _, problems = read_bank(_bank(tmp_path, edit))
    return [f"{Path(p.file).name}:{p.line}: {p.message}" for p in problems]


def _line_of(text: str) -> int:
    lines = (ROOT / "question_bank" / "sources" / OPENRN).read_text().splitlines()
    return next(n for n, line in enumerate(lines, start=1) if text in line)


def test_the_new_sources_read_with_their_marks_cautions_and_attribution(tmp_path: Path) -> None:
    content, problems = read_bank(_bank(tmp_path))
    assert problems == []
    sources = {s.slug: s for s in content.sources}
    openrn = sources["openrn-infusion"]
    assert openrn.licence == "CC BY 4.0"
    assert openrn.attribution.startswith("Facts are adapted from Open RN")
    assert "Changes: the text has been condensed" in openrn.attribution
    assert sources["bedside-calculations"].kind == "own"
    sections = {s.key: s for s in openrn.sections}
    assert {s.coverage for s in openrn.sections} == {"good", "partial", "thin", "not-covered"}
    assert sections["openrn/central/removal"].coverage == "not-covered"
    ports = sections["openrn/central/accessing-ports"]
    assert ports.coverage == "partial"
    assert any("power-rated port" in c for c in ports.cautions)
    assert ports.source_urls == (
        "https://wtcs.pressbooks.pub/nursingadvancedskills/chapter/4-6-checklist-access-an-implantable-port/",
    )


def test_an_unknown_coverage_mark_is_refused_with_its_line(tmp_path: Path) -> None:
    line = _line_of("    coverage: thin")
    assert _messages(tmp_path, ("    coverage: thin", "    coverage: sparse")) == [
        f"{OPENRN}:{line}: 'coverage' must be one of good, partial, thin, not-covered"
    ]


def test_a_cc_by_source_needs_its_attribution(tmp_path: Path) -> None:
    start = "  attribution: >-\n"
    text = (ROOT / "question_bank" / "sources" / OPENRN).read_text()
    block = text[text.index(start) : text.index("  notes: >-")]
    line = _line_of("  licence: CC BY 4.0")
    assert _messages(tmp_path, (block, "")) == [
        f"{OPENRN}:{line}: a CC BY 4.0 source needs its 'attribution' text"
    ]


def test_a_source_address_must_be_a_web_address(tmp_path: Path) -> None:
    url = "      - https://wtcs.pressbooks.pub/nursingadvancedskills/?p=71\n"
    messages = _messages(tmp_path, (url, "      - javascript:alert(1)\n"))
    assert len(messages) == 1
    assert "is not a web address" in messages[0]


def test_a_section_without_cautions_keeps_the_hash_it_had() -> None:
    # Sections loaded before cautions existed must not look changed (no questions flagged).
    section = SectionSpec("k", "Heading", 1, "content", ("a point",), "an erratum", "f", 1)
    old = content_hash({"heading": "Heading", "key_points": ["a point"], "erratum": "an erratum"})
    assert section.content_hash == old
    with_caution = SectionSpec(
        "k", "Heading", 1, "content", ("a point",), "an erratum", "f", 1, cautions=("new",)
    )
    assert with_caution.content_hash != old


@pytest.mark.skipif(not OUTLINE_MD.exists(), reason="the shared outline is not beside this tree")
def test_the_outline_restates_the_shared_document_and_adds_nothing(tmp_path: Path) -> None:
    content, _ = read_bank(_bank(tmp_path))
    openrn = next(s for s in content.sources if s.slug == "openrn-infusion")
    document = OUTLINE_MD.read_text()
    assert [s.key for s in openrn.sections] == re.findall(r"^## `(openrn/[^`]+)`", document, re.M)
    plain = re.sub(r"[*`]", "", document)
    for section in openrn.sections:
        for point in section.key_points + section.cautions:
            point = point.removeprefix("Agency policy: ")
            assert point in plain or point[0].lower() + point[1:] in plain, (section.key, point)
