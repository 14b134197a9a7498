"""Write a read bank into the database: all or nothing, idempotent, versioning questions.

- Sources, sections, banks and topics are upserted by their keys.
- A question whose authored content changed gets a new version; an unchanged one is left alone.
- A section whose text changed gets its new hash, and the questions citing the old hash are
  flagged for review.
- Nothing is ever deleted: rows no longer in the files are reported and left as they are,
  because attempts may point at them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from quizapp.bank.families import exclusion_map
from quizapp.bank.specs import BankContent, QuestionSpec, SourceSpec, content_hash
from quizapp.extensions import db
from quizapp.models import (
    Bank,
    Citation,
    QuestionEntry,
    QuestionStatus,
    QuestionVersion,
    Source,
    SourceSection,
    Topic,
)
from quizapp.services.bank_lock import load_unit_of_work
from quizapp.services.case_sync import sync_cases


@dataclass
class SyncReport:
    added: dict[str, list[str]] = field(default_factory=dict)
    updated: dict[str, list[str]] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    flagged_for_review: list[str] = field(default_factory=list)
    not_in_files: dict[str, list[str]] = field(default_factory=dict)

    def add(self, kind: str, key: str) -> None:
        self.added.setdefault(kind, []).append(key)

    def update(self, kind: str, key: str) -> None:
        self.updated.setdefault(kind, []).append(key)

    def same(self, kind: str) -> None:
        self.unchanged[kind] = self.unchanged.get(kind, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.flagged_for_review)


def sync_bank(
    content: BankContent, wait_seconds: float = 120.0, on_wait: Callable[[], None] | None = None
) -> SyncReport:
    """Bring the database in line with `content` in one transaction; commit only on success.

    One load at a time (`bank_lock`): a concurrent one waits up to `wait_seconds`, calling
    `on_wait` first, then raises LoadBusy.
    """
    report = SyncReport()
    with load_unit_of_work(wait_seconds, on_wait):
        sections = _sync_sources(content, report)
        topics = _sync_taxonomy(content, report)
        _sync_questions(content, sections, topics, report)
        sync_cases(content, topics, report)
    return report


def _assign(obj: object, **values: object) -> bool:
    """Set only the attributes that differ, so an unchanged row is never written."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def _sync_sources(content: BankContent, report: SyncReport) -> dict[str, SourceSection]:
    existing = {
        s.slug: s for s in db.session.scalars(select(Source).options(selectinload(Source.sections)))
    }
    by_key: dict[str, SourceSection] = {}
    changed_hashes: dict[int, str] = {}
    for spec in content.sources:
        meta = dict(
            title=spec.title,
            publisher=spec.publisher,
            year=spec.year,
            url=spec.url,
            revision=spec.revision,
            notes=spec.notes,
            licence=spec.licence,
            attribution=spec.attribution,
            kind=spec.kind,
            coverage_minimums=spec.coverage_minimums,
        )
        source = existing.get(spec.slug)
        if source is None:
            source = Source(slug=spec.slug, **meta)
            db.session.add(source)
            report.add("source", spec.slug)
        elif _assign(source, **meta):
            report.update("source", spec.slug)
        else:
            report.same("source")
        by_key.update(_sync_sections(source, spec, report, changed_hashes))
    db.session.flush()
    _flag_stale_citations(changed_hashes, report)
    return by_key


def _sync_sections(
    source: Source, spec: SourceSpec, report: SyncReport, changed_hashes: dict[int, str]
) -> dict[str, SourceSection]:
    """Upsert one source's sections; note the ids whose content hash changed."""
    by_key: dict[str, SourceSection] = {}
    current = {s.key: s for s in source.sections}
    for sec in spec.sections:
        values = dict(
            heading=sec.heading,
            position=sec.position,
            kind=sec.kind,
            key_points=list(sec.key_points),
            erratum=sec.erratum,
            content_hash=sec.content_hash,
        )
        extras = dict(
            coverage=sec.coverage,
            coverage_note=sec.coverage_note,
            not_covered=sec.not_covered,
            cautions=list(sec.cautions),
            source_urls=list(sec.source_urls),
        )
        # Only the extras a file sets enter its hash, so sections loaded before they
        # existed still match their files and are not reported as updated.
        file_hash = content_hash(values | {k: v for k, v in extras.items() if v})
        values |= extras
        row = current.get(sec.key)
        if row is None:
            row = SourceSection(key=sec.key, loaded_hash=file_hash, **values)
            source.sections.append(row)
            report.add("section", sec.key)
        elif row.loaded_hash == file_hash:
            report.same("section")  # unchanged in the file: keep any edit made in the app
        else:
            values["loaded_hash"] = file_hash
            old_hash = row.content_hash
            if _assign(row, **values):
                report.update("section", sec.key)
                if old_hash != row.content_hash:
                    changed_hashes[row.id] = row.content_hash
            else:
                report.same("section")
        by_key[sec.key] = row
    gone = sorted(set(current) - {s.key for s in spec.sections})
    if gone:
        report.not_in_files.setdefault("section", []).extend(gone)
    return by_key


def _flag_stale_citations(changed_hashes: dict[int, str], report: SyncReport) -> None:
    """Flag questions whose current version cites a changed section by its old hash."""
    if not changed_hashes:
        return
    rows = db.session.execute(
        select(QuestionEntry, Citation)
        .join(
            QuestionVersion,
            (QuestionVersion.entry_id == QuestionEntry.id)
            & (QuestionVersion.number == QuestionEntry.current_version),
        )
        .join(Citation, Citation.version_id == QuestionVersion.id)
        .where(Citation.section_id.in_(changed_hashes))
    )
    for entry, citation in rows:
        if citation.section_hash != changed_hashes[citation.section_id] and not entry.needs_review:
            entry.needs_review = True
            report.flagged_for_review.append(entry.uid)


def _sync_taxonomy(content: BankContent, report: SyncReport) -> dict[str, Topic]:
    banks = {b.key: b for b in db.session.scalars(select(Bank).options(selectinload(Bank.topics)))}
    topics = {t.key: t for b in banks.values() for t in b.topics}
    for spec in content.banks:
        values = dict(title=spec.title, description=spec.description, position=spec.position)
        bank = banks.get(spec.key)
        if bank is None:
            bank = Bank(key=spec.key, **values)
            db.session.add(bank)
            banks[spec.key] = bank
            report.add("bank", spec.key)
        elif _assign(bank, **values):
            report.update("bank", spec.key)
        else:
            report.same("bank")
        for tspec in spec.topics:
            topic = topics.get(tspec.key)
            if topic is None:
                topic = Topic(key=tspec.key, title=tspec.title, position=tspec.position)
                bank.topics.append(topic)
                topics[tspec.key] = topic
                report.add("topic", tspec.key)
            elif _assign(topic, title=tspec.title, position=tspec.position, bank=bank):
                report.update("topic", tspec.key)
            else:
                report.same("topic")
    db.session.flush()
    return topics


def _sync_questions(
    content: BankContent,
    sections: dict[str, SourceSection],
    topics: dict[str, Topic],
    report: SyncReport,
) -> None:
    entries = {
        e.uid: e
        for e in db.session.scalars(
            select(QuestionEntry).options(selectinload(QuestionEntry.current))
        )
    }
    excludes, families = exclusion_map(content)
    for spec in content.questions:
        topic = topics[spec.topic] if spec.topic else None
        family = families.get(spec.uid) or None
        excluded = sorted(excludes.get(spec.uid, ())) or None
        status = QuestionStatus(spec.status)
        entry = entries.get(spec.uid)
        entry_fields: dict[str, Any] = {
            "content": spec.content_hash,
            "status": spec.status,
            "topic": spec.topic,
        }
        if spec.exam_only:  # only when set, so that files without it keep their hash
            entry_fields["exam_only"] = True
        if family or excluded:  # likewise: a hash changes only for items in a group
            entry_fields["groups"] = {"family": family, "excludes": excluded}
        file_hash = content_hash(entry_fields)
        if entry is None:
            entry = QuestionEntry(
                uid=spec.uid,
                topic=topic,
                status=status,
                current_version=1,
                loaded_hash=file_hash,
                exam_only=spec.exam_only,
                family=family,
                excludes=excluded,
            )
            entry.versions.append(_new_version(spec, 1, sections))
            db.session.add(entry)
            report.add("question", spec.uid)
            continue
        if entry.loaded_hash == file_hash:
            report.same("question")  # unchanged in the file: keep any edit made in the app
            continue
        if (
            entry.current.created_by_id is not None
            and entry.current.content_hash != spec.content_hash
        ):
            # Someone edited it in the app since; the file changed too, and the file wins.
            report.update("question edited in the app and replaced from the file", spec.uid)
        entry.loaded_hash = file_hash
        changed = _assign(
            entry,
            topic=topic,
            status=status,
            exam_only=spec.exam_only,
            family=family,
            excludes=excluded,
        )
        if entry.current.content_hash != spec.content_hash:
            number = entry.current_version + 1
            entry.versions.append(_new_version(spec, number, sections))
            entry.current_version = number
            entry.needs_review = False  # the author has rewritten it against today's sections
            changed = True
        if changed:
            report.update("question", spec.uid)
        else:
            report.same("question")
    gone = sorted(set(entries) - {q.uid for q in content.questions})
    if gone:
        report.not_in_files["question"] = gone


def _new_version(
    spec: QuestionSpec, number: int, sections: dict[str, SourceSection]
) -> QuestionVersion:
    version = QuestionVersion(
        number=number,
        type=spec.type,
        stem=spec.stem,
        data=spec.data,
        rationale=spec.rationale,
        difficulty=spec.difficulty,
        tags=list(spec.tags),
        content_hash=spec.content_hash,
    )
    for key in dict.fromkeys(spec.cites):
        section = sections[key]
        version.citations.append(Citation(section=section, section_hash=section.content_hash))
    return version
