"""Read a `question_bank/` folder into specs, collecting every problem with file and line."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from quizapp.bank.case_bank import read_cases
from quizapp.bank.families import check_exclusions, read_families
from quizapp.bank.fields import FieldReader
from quizapp.bank.lint import lint_bank
from quizapp.bank.lint_cues import lint_cues
from quizapp.bank.question_reader import read_question_file
from quizapp.bank.specs import BankContent, BankSpec, Problem, SectionSpec, SourceSpec, TopicSpec
from quizapp.bank.yaml_lines import LineDict, YamlSyntaxError, load_yaml_file

SECTION_KINDS = ("content", "framing")
# How well a source's stored pages covered a section (optional; a source may mark none).
COVERAGE_MARKS = ("good", "partial", "thin", "not-covered")
SOURCE_KINDS = ("external", "own")
MINIMUM_MODES = ("enforced", "warning")
SOURCE_FIELDS = frozenset(
    {"slug", "title", "publisher", "year", "url", "revision", "notes", "licence", "attribution"}
    | {"kind", "coverage_minimums"}
)
SECTION_FIELDS = frozenset(
    {"key", "heading", "kind", "key_points", "erratum", "coverage", "coverage_note"}
    | {"not_covered", "cautions", "sources"}
)
URL_PATTERN = re.compile(r"^https?://[^\s]+$")
# The database's column sizes, checked here so a long field is refused with its line.
SOURCE_LIMITS = {"slug": 100, "title": 300, "publisher": 200, "url": 500, "revision": 100}
SOURCE_LIMITS |= {"licence": 100}
SECTION_LIMITS = {"key": 100, "heading": 300}
URL_LIMIT = 500


def display_path(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def read_bank(root: Path) -> tuple[BankContent, list[Problem]]:
    """Read sources, taxonomy and question files under `root`. Problems come sorted."""
    problems: list[Problem] = []
    content = BankContent()
    root = Path(root)
    if not root.is_dir():
        return content, [Problem(display_path(root), 0, "no such bank folder")]

    source_files = sorted((root / "sources").glob("*.yaml"))
    if not source_files:
        problems.append(Problem(display_path(root / "sources"), 0, "no source outline (*.yaml)"))
    for path in source_files:
        source = _read_source(path, problems)
        if source is not None:
            content.sources.append(source)
    _check_unique_sections(content.sources, problems)

    taxonomy = root / "taxonomy.yaml"
    if taxonomy.exists():
        content.banks = _read_taxonomy(taxonomy, problems)
    else:
        problems.append(Problem(display_path(taxonomy), 0, "missing the bank and topic taxonomy"))

    section_keys = content.section_keys()
    topic_keys = content.topic_keys()
    for path in sorted((root / "questions").rglob("*.yaml")):
        content.questions.extend(
            read_question_file(path, display_path(path), section_keys, topic_keys, problems)
        )
    read_cases(root, content, section_keys, topic_keys, problems, display_path)
    _check_unique_ids(content, problems)
    families = root / "families.yaml"
    if families.exists():
        doc = load_document(families, problems)
        if doc is not None:
            read_families(display_path(families), doc, content, problems)
    check_exclusions(content, problems)
    problems.extend(lint_bank(content.questions))
    sections = {s.key: s for src in content.sources for s in src.sections}
    problems.extend(lint_cues(content.questions, sections))
    return content, sorted(set(problems))


def load_document(path: Path, problems: list[Problem]) -> Any:
    try:
        return load_yaml_file(path)
    except YamlSyntaxError as exc:
        problems.append(Problem(display_path(path), exc.line, exc.message))
    except OSError as exc:
        problems.append(Problem(display_path(path), 0, f"cannot read: {exc.strerror}"))
    return None


def _read_source(path: Path, problems: list[Problem]) -> SourceSpec | None:
    doc = load_document(path, problems)
    if doc is None:
        return None
    r = FieldReader(display_path(path), problems)
    top = r.mapping(doc, 1, "a source outline")
    if top is None:
        return None
    r.unknown(top, {"source", "sections"}, "a source outline")
    meta = r.mapping(top.get("source"), top.line_of("source"), "'source'")
    raw_sections = top.get("sections")
    if meta is None:
        return None
    r.unknown(meta, SOURCE_FIELDS, "'source'")
    _check_lengths(meta, SOURCE_LIMITS, r)
    year = r.integer(meta, "year", low=1800, high=2200, required=False)
    licence = r.text(meta, "licence", required=False)
    attribution = r.text(meta, "attribution", required=False)
    if licence.upper().startswith("CC BY") and not attribution:
        r.problem(meta.line_of("licence"), f"a {licence} source needs its 'attribution' text")
    if not isinstance(raw_sections, list) or not raw_sections:
        r.problem(top.line_of("sections"), "'sections' must be a non-empty list")
        raw_sections = []
    sections: list[SectionSpec] = []
    for position, raw in enumerate(raw_sections, start=1):
        node = r.mapping(raw, top.line_of("sections"), "a section")
        if node is not None:
            sections.append(_read_section(node, position, r))
    return SourceSpec(
        slug=r.key(meta, "slug"),
        title=r.text(meta, "title"),
        publisher=r.text(meta, "publisher", required=False),
        year=year,
        url=r.text(meta, "url", required=False),
        revision=r.text(meta, "revision", required=False),
        notes=r.text(meta, "notes", required=False),
        sections=tuple(sections),
        file=r.file,
        line=meta.line,
        licence=licence,
        attribution=attribution,
        kind=r.choice(meta, "kind", SOURCE_KINDS, "external"),
        coverage_minimums=r.choice(meta, "coverage_minimums", MINIMUM_MODES, "enforced"),
    )


def _read_section(node: LineDict, position: int, r: FieldReader) -> SectionSpec:
    r.unknown(node, SECTION_FIELDS, "a section")
    _check_lengths(node, SECTION_LIMITS, r)
    coverage = r.choice(node, "coverage", COVERAGE_MARKS, "") if "coverage" in node else ""
    return SectionSpec(
        key=r.key(node, "key"),
        heading=r.text(node, "heading"),
        position=position,
        kind=r.choice(node, "kind", SECTION_KINDS, "content"),
        key_points=r.text_list(node, "key_points", required=True),
        erratum=r.text(node, "erratum", required=False),
        file=r.file,
        line=node.line,
        coverage=coverage,
        coverage_note=r.text(node, "coverage_note", required=False),
        not_covered=r.text(node, "not_covered", required=False),
        cautions=r.text_list(node, "cautions", required=False),
        source_urls=r.text_list(node, "sources", required=False, check=_check_url),
    )


def _check_lengths(node: LineDict, limits: dict[str, int], r: FieldReader) -> None:
    for key, limit in limits.items():
        value = node.get(key)
        if isinstance(value, str) and len(value.strip()) > limit:
            r.problem(node.line_of(key), f"{key!r} is longer than {limit} characters")


def _check_url(text: str) -> str | None:
    if len(text) > URL_LIMIT:
        return f"a web address is longer than {URL_LIMIT} characters"
    if URL_PATTERN.match(text):
        return None
    return f"{text[:80]!r} is not a web address (http:// or https://, no spaces)"


def _check_unique_sections(sources: list[SourceSpec], problems: list[Problem]) -> None:
    seen: dict[str, SectionSpec] = {}
    for source in sources:
        for section in source.sections:
            first = seen.setdefault(section.key, section)
            if first is not section:
                problems.append(
                    Problem(
                        section.file,
                        section.line,
                        f"section key {section.key!r} already used at {first.file}:{first.line}",
                    )
                )


def _read_taxonomy(path: Path, problems: list[Problem]) -> list[BankSpec]:
    doc = load_document(path, problems)
    if doc is None:
        return []
    r = FieldReader(display_path(path), problems)
    top = r.mapping(doc, 1, "the taxonomy")
    if top is None:
        return []
    r.unknown(top, {"banks"}, "the taxonomy")
    raw_banks = top.get("banks")
    if not isinstance(raw_banks, list) or not raw_banks:
        r.problem(top.line_of("banks"), "'banks' must be a non-empty list")
        return []
    banks: list[BankSpec] = []
    seen_topics: set[str] = set()
    for bank_pos, raw in enumerate(raw_banks, start=1):
        node = r.mapping(raw, top.line_of("banks"), "a bank")
        if node is None:
            continue
        r.unknown(node, {"key", "title", "description", "topics"}, "a bank")
        key = r.key(node, "key")
        topics: list[TopicSpec] = []
        raw_topics = node.get("topics")
        if not isinstance(raw_topics, list) or not raw_topics:
            r.problem(node.line_of("topics"), f"bank {key!r} needs a non-empty list of 'topics'")
            raw_topics = []
        for topic_pos, raw_topic in enumerate(raw_topics, start=1):
            tnode = r.mapping(raw_topic, node.line_of("topics"), "a topic")
            if tnode is None:
                continue
            r.unknown(tnode, {"key", "title"}, "a topic")
            tkey = r.key(tnode, "key")
            if tkey and not tkey.startswith(f"{key}/"):
                r.problem(tnode.line_of("key"), f"topic {tkey!r} must start with '{key}/'")
            if tkey in seen_topics:
                r.problem(tnode.line_of("key"), f"topic {tkey!r} is listed twice")
            seen_topics.add(tkey)
            topics.append(TopicSpec(tkey, r.text(tnode, "title"), topic_pos))
        banks.append(
            BankSpec(
                key=key,
                title=r.text(node, "title"),
                description=r.text(node, "description", required=False),
                position=bank_pos,
                topics=tuple(topics),
            )
        )
    return banks


def _check_unique_ids(content: BankContent, problems: list[Problem]) -> None:
    seen: dict[str, Any] = {}
    for question in content.questions:
        first = seen.setdefault(question.uid, question)
        if first is not question:
            problems.append(
                Problem(
                    question.file,
                    question.line,
                    f"question id {question.uid!r} already used at {first.file}:{first.line}",
                )
            )
