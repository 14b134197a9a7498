"""Import and export of questions in YAML, GIFT and Moodle XML.

An import is all or nothing: a syntax error, or any question that cannot be stored, imports
nothing and names the line. Imported questions arrive as drafts; without a topic or a cited
section they cannot be published until an instructor sets them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select

from quizapp.database import begin_write
from quizapp.extensions import db
from quizapp.interchange._common import quoted
from quizapp.interchange.media import image_notes, referenced_digests
from quizapp.interchange.model import (
    FORMATS,
    InterchangeSyntaxError,
    ParseLimits,
    PortableQuestion,
    Skipped,
    parse,
    write,
)
from quizapp.models import QuestionEntry
from quizapp.services import audit
from quizapp.services.authoring import (
    DraftInvalid,
    QuestionDraft,
    add_question,
    with_current_and_citations,
)
from quizapp.services.errors import InvalidInput
from quizapp.services.images import missing_images, store_files, stored_images
from quizapp.services.question_query import QuestionFilters, filtered_query
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


@dataclass
class ImportReport:
    dry_run: bool
    questions: list[PortableQuestion] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was kept only in part (images)


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


def import_text(
    text: str,
    fmt: str,
    *,
    filename: str,
    topic: str | None = None,
    section: str | None = None,
    dry_run: bool = False,
    actor_id: int | None = None,
    files: Mapping[str, bytes] | None = None,
) -> ImportReport:
    """Import `text`; `files` are images that came beside it (by hash), stored when the
    questions refer to them."""
    check_import_size(filename, len(text.encode("utf-8", "surrogatepass")))
    config = current_app.config
    limits = ParseLimits(config["IMPORT_MAX_QUESTIONS"], config["IMPORT_MAX_SECONDS"])
    try:
        parsed = parse(text, fmt, limits)
    except InterchangeSyntaxError as exc:
        raise ImportFailed([f"{filename}:{exc.line}: {exc.message}"]) from exc
    report = ImportReport(dry_run=dry_run, questions=parsed.questions, skipped=list(parsed.skipped))
    wanted = referenced_digests(parsed.questions)
    parsed.files.update({d: data for d, data in (files or {}).items() if d in wanted})
    report.notes = parsed.notes + image_notes(parsed.questions, carries_files=fmt == "moodle-xml")
    report.notes += missing_images(parsed.questions, parsed.files)
    begin_write()
    try:
        problems = [f"{filename}: {p}" for p in store_files(parsed.files, actor_id)]
        existing = set(
            db.session.scalars(
                select(QuestionEntry.uid).where(
                    QuestionEntry.uid.in_([q.uid for q in parsed.questions if q.uid])
                )
            )
        )
        for question in parsed.questions:
            if question.uid and question.uid in existing:
                report.skipped.append(
                    Skipped(
                        question.line,
                        question.type,
                        question.uid,
                        "a question with this id is already in the bank; left as it is",
                    )
                )
                continue
            draft = QuestionDraft(
                type=question.type,
                stem=question.stem,
                data=question.data,
                rationale=question.rationale,
                difficulty=question.difficulty or 2,
                tags=list(question.tags),
                cites=list(question.cites) or ([section] if section else []),
                topic=question.topic or topic,
            )
            try:
                entry = add_question(
                    draft, actor_id, uid=question.uid, note=f"Imported from {filename}"
                )
            except DraftInvalid as exc:
                problems += [f"{filename}:{question.line}: {f}: {m}" for f, m in exc.problems]
                continue
            report.created.append(entry.uid)
        if problems:
            raise ImportFailed(problems)
        report.questions = [q for q in parsed.questions if not (q.uid and q.uid in existing)]
        if dry_run:
            db.session.rollback()
            report.created = []
            return report
        audit.record(
            "bank.imported",
            actor_id=actor_id,
            object_type="file",
            object_key=filename,
            format=fmt,
            created=len(report.created),
            skipped=len(report.skipped),
        )
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return report


def portable(entry: QuestionEntry) -> PortableQuestion:
    version = entry.current
    return PortableQuestion(
        type=version.type,
        stem=version.stem,
        data=dict(version.data),
        rationale=version.rationale,
        uid=entry.uid,
        name=entry.uid,
        topic=entry.topic.key if entry.topic else None,
        cites=[c.section.key for c in version.citations],
        tags=list(version.tags),
        difficulty=version.difficulty,
    )


def export_questions(filters: QuestionFilters, fmt: str) -> tuple[str, int]:
    """The questions the filter selects, written in `fmt`, and how many (fixed query count)."""
    ids = [row[0].id for row in db.session.execute(filtered_query(filters))]
    entries = db.session.scalars(
        select(QuestionEntry)
        .where(QuestionEntry.id.in_(ids))
        .options(*with_current_and_citations())
        .order_by(QuestionEntry.uid)
    ).all()
    questions: Sequence[PortableQuestion] = [portable(e) for e in entries]
    return write(questions, fmt, stored_images(referenced_digests(questions))), len(questions)
