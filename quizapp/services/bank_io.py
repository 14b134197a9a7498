"""Import and export of questions in YAML, GIFT and Moodle XML.

An import is all or nothing by default: a file that cannot be read, or any question that cannot
be stored, imports nothing and names the line; `skip_invalid` imports the valid questions and
lists the rest. Questions of types we do not hold are skipped with their line. Imported
questions arrive as drafts; without a topic or a cited section they cannot be published until
an instructor sets them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from flask import current_app
from sqlalchemy import select

from quizapp.database import unit_of_work
from quizapp.extensions import db
from quizapp.interchange._common import quoted
from quizapp.interchange.media import image_notes, referenced_digests
from quizapp.interchange.model import (
    FORMATS,
    InterchangeSyntaxError,
    ParseLimits,
    ParseResult,
    PortableQuestion,
    Skipped,
    category_topic,
    parse,
    write_report,
)
from quizapp.models import QuestionEntry, Topic
from quizapp.queries.question_list import QuestionFilters, filtered_query
from quizapp.services import audit
from quizapp.services.authoring import (
    DraftInvalid,
    QuestionDraft,
    add_question,
    with_current_and_citations,
)
from quizapp.services.errors import InvalidInput
from quizapp.services.images import missing_images, store_files, stored_images
from quizapp.services.import_report import (
    DRAFT,
    INVALID,
    SKIPPED,
    ImportOptions,
    ImportReport,
    ImportRow,
)
from quizapp.uploads import size_text

EXTENSIONS = {
    ".yaml": "yaml",
    ".yml": "yaml",
    ".gift": "gift",
    ".txt": "gift",
    ".xml": "moodle-xml",
}


class ImportFailed(InvalidInput):
    """Nothing was imported; `problems` say where and why, as "file:line: message"."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


MAX_NAME = 255  # as Moodle's question name
MAX_CATEGORY = 255  # a longer category path is listed in the report but not stored


def detect_format(filename: str, fmt: str | None) -> str:
    if fmt and fmt != "auto":
        if fmt not in FORMATS:
            raise InvalidInput(f"Unknown format {quoted(fmt)}; use one of {', '.join(FORMATS)}.")
        return fmt
    for ext, name in EXTENSIONS.items():
        if filename.lower().endswith(ext):
            return name
    raise InvalidInput(f"Cannot tell the format of {quoted(filename)}; choose one.")


def check_import_size(filename: str, size: int) -> None:
    """Refuse a file over IMPORT_MAX_BYTES before reading it, naming the file."""
    most = current_app.config["IMPORT_MAX_BYTES"]
    if size > most:
        raise ImportFailed(
            [f"{filename}: the file is {size_text(size)}; at most {size_text(most)} is imported"]
        )


def _parse(text: str, fmt: str, filename: str) -> ParseResult:
    check_import_size(filename, len(text.encode("utf-8", "surrogatepass")))
    config = current_app.config
    limits = ParseLimits(config["IMPORT_MAX_QUESTIONS"], config["IMPORT_MAX_SECONDS"])
    try:
        return parse(text, fmt, limits, keep_going=True)
    except InterchangeSyntaxError as exc:
        raise ImportFailed([f"{filename}:{exc.line}: {exc.message}"]) from exc


def _label(question: PortableQuestion) -> str:
    return question.uid or question.name or " ".join(question.stem.split())[:60]


def _topic(
    question: PortableQuestion, options: ImportOptions, known: set[str], report: ImportReport
) -> str | None:
    """The question's own topic, else its category's (matched, else mapped), else the default.

    A category that is none of our topics is counted in `report.unmatched` (mapped or not),
    so the preview keeps offering its topic choice.
    """
    if question.topic:
        return question.topic
    category = question.category
    if category and (matched := category_topic(category, known)):
        return matched
    if category:
        report.unmatched[category] = report.unmatched.get(category, 0) + 1
        return options.category_topics.get(category) or options.topic
    return options.topic


@dataclass(frozen=True)
class _Batch:
    filename: str
    actor_id: int | None
    existing: set[str]  # ids of the file already in the bank
    options: ImportOptions


def _add(
    question: PortableQuestion, topic: str | None, category: str | None, batch: _Batch
) -> ImportRow:
    """Add one question to the session; its row says whether it was added or why not.

    `category` is the Moodle category to keep (None when it only named the topic)."""
    options = batch.options
    row = ImportRow(
        question.line,
        question.type,
        _label(question),
        DRAFT,
        topic=topic,
        category=question.category,
        name=question.name,
    )
    if question.uid and question.uid in batch.existing:
        reason = "a question with this id is already in the bank; left as it is"
        return replace(row, status=SKIPPED, reason=reason)
    if len(question.name) > MAX_NAME:
        return replace(row, status=INVALID, reason=f"name: at most {MAX_NAME} characters.")
    draft = QuestionDraft(
        type=question.type,
        stem=question.stem,
        data=question.data,
        rationale=question.rationale,
        difficulty=question.difficulty or 2,
        tags=list(question.tags),
        cites=list(question.cites) or ([options.section] if options.section else []),
        topic=topic,
    )
    try:
        note = f"Imported from {batch.filename}"
        entry = add_question(draft, batch.actor_id, uid=question.uid, note=note)
    except DraftInvalid as exc:
        return replace(row, status=INVALID, reason="; ".join(f"{f}: {m}" for f, m in exc.problems))
    entry.name = question.name if question.name and question.name != entry.uid else None
    entry.source_category = category if category and len(category) <= MAX_CATEGORY else None
    return replace(row, label=entry.uid)


def _rows(parsed: ParseResult, report: ImportReport, batch: _Batch) -> None:
    known = set(db.session.scalars(select(Topic.key)))
    for question in parsed.questions:
        topic = _topic(question, batch.options, known, report)
        kept = None if category_topic(question.category, known) else question.category
        row = _add(question, topic, kept, batch)
        report.rows.append(row)
        if row.status == DRAFT:
            report.created.append(row.label)
    for status, items in ((SKIPPED, parsed.skipped), (INVALID, parsed.invalid)):
        report.rows += [ImportRow(s.line, s.kind, s.name, status, s.reason) for s in items]
    report.rows.sort(key=lambda row: row.line)


class _DryRun(Exception):
    """Leaves the import's unit of work by rollback: a dry run keeps nothing it wrote."""


def import_text(
    text: str,
    fmt: str,
    *,
    filename: str,
    options: ImportOptions | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    actor_id: int | None = None,
    files: Mapping[str, bytes] | None = None,
) -> ImportReport:
    """Import the questions of `text` as drafts in one transaction.

    All or nothing by default: any invalid question imports nothing (ImportFailed lists them
    by line). With `skip_invalid` the valid ones are imported and the rest listed. A dry run
    writes nothing and reports every question with its status, invalid ones included.
    `files` are images that came beside the file (by hash), stored when questions show them;
    an image that cannot be stored imports nothing.
    """
    parsed = _parse(text, fmt, filename)
    report = ImportReport(dry_run=dry_run, skip_invalid=skip_invalid)
    wanted = referenced_digests(parsed.questions)
    parsed.files.update({d: data for d, data in (files or {}).items() if d in wanted})
    report.notes = parsed.notes + image_notes(parsed.questions, carries_files=fmt == "moodle-xml")
    report.notes += missing_images(parsed.questions, parsed.files)
    try:
        with unit_of_work():
            if image_problems := store_files(parsed.files, actor_id):
                raise ImportFailed([f"{filename}: {p}" for p in image_problems])
            existing = set(
                db.session.scalars(
                    select(QuestionEntry.uid).where(
                        QuestionEntry.uid.in_([q.uid for q in parsed.questions if q.uid])
                    )
                )
            )
            _rows(parsed, report, _Batch(filename, actor_id, existing, options or ImportOptions()))
            if dry_run:
                raise _DryRun
            if report.blocked:
                raise ImportFailed(
                    [f"{filename}:{r.line}: {r.reason}" for r in report.having(INVALID)]
                )
            audit.record(
                "bank.imported",
                actor_id=actor_id,
                object_type="file",
                object_key=filename,
                format=fmt,
                created=len(report.created),
                skipped=len(report.having(SKIPPED)),
                invalid=len(report.having(INVALID)),
            )
    except _DryRun:
        report.created = []
    return report


def portable(entry: QuestionEntry) -> PortableQuestion:
    version = entry.current
    return PortableQuestion(
        type=version.type,
        stem=version.stem,
        data=dict(version.data),
        rationale=version.rationale,
        uid=entry.uid,
        name=entry.name or entry.uid,
        topic=entry.topic.key if entry.topic else None,
        cites=[c.section.key for c in version.citations],
        tags=list(version.tags),
        difficulty=version.difficulty,
        category=entry.source_category,
    )


@dataclass(frozen=True)
class ExportResult:
    text: str
    count: int  # questions written
    left_out: list[Skipped]  # questions the format cannot hold, with the reason (the report)


def export_questions(filters: QuestionFilters, fmt: str) -> ExportResult:
    """The questions the filter selects, written in `fmt` (fixed query count); those the
    format cannot express are left out, listed at the top of the text and in `left_out`."""
    ids = [row[0].id for row in db.session.execute(filtered_query(filters))]
    entries = db.session.scalars(
        select(QuestionEntry)
        .where(QuestionEntry.id.in_(ids))
        .options(*with_current_and_citations())
        .order_by(QuestionEntry.uid)
    ).all()
    questions: Sequence[PortableQuestion] = [portable(e) for e in entries]
    images = stored_images(referenced_digests(questions))
    text, left_out = write_report(questions, fmt, images)
    return ExportResult(text, len(questions) - len(left_out), left_out)
