"""`bank check` and `bank load`: validate the bank files, then write them in one transaction."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from quizapp.bank.reader import read_bank
from quizapp.bank.specs import BankContent, Problem
from quizapp.cli.bank_media import media_folder, read_media, write_media
from quizapp.interchange.model import FORMATS, left_out_note
from quizapp.queries.coverage import source_coverage
from quizapp.queries.question_list import QuestionFilters
from quizapp.services.bank_io import (
    ImportFailed,
    check_import_size,
    detect_format,
    export_questions,
    import_text,
)
from quizapp.services.bank_lock import LoadBusy
from quizapp.services.bank_sync import SyncReport, sync_bank
from quizapp.services.errors import InvalidInput
from quizapp.services.import_report import DRAFT, INVALID, ImportOptions, ImportReport, ImportRow


@click.group(cls=AppGroup, help="Check, load and inspect the question bank files.")
def bank() -> None:
    pass


def _path_argument(path: str | None) -> Path:
    return Path(path) if path else Path(current_app.config["BANK_PATH"])


def _read_or_fail(root: Path) -> BankContent:
    content, problems = read_bank(root)
    if problems:
        _print_problems(problems)
        raise SystemExit(1)
    return content


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)
    noun = "problem" if len(problems) == 1 else "problems"
    click.echo(f"{len(problems)} {noun} found; nothing was loaded.", err=True)


def _summary(content: BankContent) -> str:
    sections = sum(len(s.sections) for s in content.sources)
    topics = sum(len(b.topics) for b in content.banks)
    published = sum(1 for q in content.questions if q.status == "published")
    return (
        f"{len(content.sources)} source(s) with {sections} sections, {len(content.banks)} banks, "
        f"{topics} topics, {len(content.questions)} questions ({published} published), "
        f"{len(content.cases)} case studies"
    )


@bank.command("check")
@click.argument("path", required=False, type=click.Path(file_okay=False))
def check_command(path: str | None) -> None:
    """Validate the bank at PATH (default: the configured bank folder). Exit 1 on any problem."""
    root = _path_argument(path)
    content = _read_or_fail(root)
    click.echo(f"{root}: OK: {_summary(content)}")


@bank.command("load")
@click.argument("path", required=False, type=click.Path(file_okay=False))
@click.option(
    "--wait",
    "wait_seconds",
    type=click.FloatRange(min=0),
    default=120.0,
    show_default=True,
    help="How long to wait for another bank load to finish (PostgreSQL; SQLite waits for "
    "its busy timeout).",
)
def load_command(path: str | None, wait_seconds: float) -> None:
    """Validate, then load the bank at PATH in one transaction (all or nothing)."""
    root = _path_argument(path)
    content = _read_or_fail(root)
    try:
        report = sync_bank(content, wait_seconds, on_wait=_say_waiting)
    except LoadBusy as exc:
        click.echo(str(exc), err=True)
        raise SystemExit(1) from exc
    except IntegrityError as exc:
        # not expected with the lock; a web edit of the same keys at the same moment could
        click.echo(
            "Another change to the same questions or sections was saved while this load ran, "
            "so nothing was written. Run the load again.",
            err=True,
        )
        raise SystemExit(1) from exc
    except (OperationalError, ProgrammingError) as exc:
        click.echo(f"The database refused the load, nothing was written: {exc.orig}", err=True)
        click.echo("Has the schema been created? Run: flask --app wsgi db upgrade", err=True)
        raise SystemExit(1) from exc
    _print_report(report)


def _say_waiting() -> None:
    click.echo("Another bank load is running; waiting for it to finish...", err=True)


def _print_report(report: SyncReport) -> None:
    for kind, keys in report.added.items():
        click.echo(f"added {len(keys)} {kind}(s): {_short(keys)}")
    for kind, keys in report.updated.items():
        click.echo(f"updated {len(keys)} {kind}(s): {_short(keys)}")
    if report.flagged_for_review:
        click.echo(
            f"flagged {len(report.flagged_for_review)} question(s) for review (a cited section "
            f"changed): {_short(report.flagged_for_review)}"
        )
    for kind, keys in report.not_in_files.items():
        click.echo(
            f"left as they are, no longer in the files: {len(keys)} {kind}(s): {_short(keys)}"
        )
    unchanged = ", ".join(f"{n} {kind}(s)" for kind, n in report.unchanged.items())
    if unchanged:
        click.echo(f"unchanged: {unchanged}")
    if not report.changed:
        click.echo("No change: the database already matches the bank files.")


def _short(keys: list[str], limit: int = 8) -> str:
    shown = ", ".join(keys[:limit])
    return shown + (f", ... (+{len(keys) - limit} more)" if len(keys) > limit else "")


@bank.command("coverage")
@click.option(
    "--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option("--source", "source_slug", help="Only this source (by slug).")
def coverage_command(output: str, source_slug: str | None) -> None:
    """Published questions per source section, by type, from the database.

    Exit 1 when any section has fewer than its minimum (4 for content sections, 1 for the
    overview, summary and closing; 3 for a section marked good or partial, none for thin or
    not-covered; 1 for the project's own outline). A source with `coverage_minimums: warning`
    only warns.
    """
    coverage = source_coverage(source_slug)
    if output == "json":
        click.echo(json.dumps(coverage.as_dict(), indent=2))
    else:
        types = sorted(coverage.by_type)
        click.echo(f"{'section':<48} {'pub':>4} {'min':>4}  " + " ".join(types))
        for row in coverage.sections:
            counts = " ".join(f"{row.by_type.get(t, 0):>{len(t)}}" for t in types)
            flag = (
                "  << under minimum"
                if row.under_minimum
                else ("  << under minimum (warning only)" if row.warning else "")
            )
            click.echo(f"{row.key:<48} {row.published:>4} {row.minimum:>4}  {counts}{flag}")
        totals = ", ".join(f"{t} {n}" for t, n in sorted(coverage.by_type.items()))
        click.echo(f"published questions: {coverage.published} ({totals})")
        click.echo(f"published case studies: {coverage.cases}")
    if coverage.warnings:
        keys = ", ".join(row.key for row in coverage.warnings)
        click.echo(f"warning, under minimum (not enforced yet): {keys}", err=True)
    if coverage.under_minimum:
        keys = ", ".join(row.key for row in coverage.under_minimum)
        click.echo(f"under minimum: {keys}", err=True)
        raise SystemExit(1)


def _category_topics(mappings: tuple[str, ...]) -> dict[str, str]:
    topics = {}
    for mapping in mappings:
        category, equals, topic = mapping.rpartition("=")
        if not equals or not category.strip() or not topic.strip():
            raise click.BadParameter(f"{mapping!r} is not CATEGORY=TOPIC", param_hint="--map")
        topics[category.strip()] = topic.strip()
    return topics


def _row_text(row: ImportRow, dry_run: bool) -> str:
    if row.status == DRAFT:
        status = "would import as draft" if dry_run else "imported as draft"
        where = f" (topic {row.topic})" if row.topic else " (no topic)"
        name = f" {row.name!r}" if row.name and row.name != row.label else ""
        return f"  line {row.line}: {status}: {row.kind} {row.label}{name}{where}"
    return f"  line {row.line}: {row.status}: {row.kind} {row.label!r}: {row.reason}"


def _print_import_report(report: ImportReport) -> None:
    dry_run = report.dry_run
    verb = "Would import" if dry_run else "Imported"
    click.echo(f"{verb} {len(report.having(DRAFT))} question(s) as drafts:")
    for row in report.rows:
        click.echo(_row_text(row, dry_run))
    if report.unmatched:
        click.echo("Categories that name none of our topics (use --topic or --map CATEGORY=TOPIC):")
        for category, count in report.unmatched.items():
            click.echo(f"  {category} ({count} question(s))")
    if not dry_run:
        click.echo(f"Created: {', '.join(report.created) or 'nothing'}")


@bank.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["auto", *FORMATS]), default="auto")
@click.option("--topic", help="Topic key for questions that carry none (nor a known category).")
@click.option("--section", help="Section key to cite for questions that cite none.")
@click.option(
    "--map",
    "mappings",
    multiple=True,
    metavar="CATEGORY=TOPIC",
    help="The topic for the questions of a category that names none of ours (repeatable).",
)
@click.option("--dry-run", is_flag=True, help="List each question with its status; import nothing.")
@click.option(
    "--skip-invalid", is_flag=True, help="Import the valid questions; list the rest by line."
)
def import_command(
    file: str,
    fmt: str,
    topic: str | None,
    section: str | None,
    mappings: tuple[str, ...],
    dry_run: bool,
    skip_invalid: bool,
) -> None:
    """Import questions as drafts from YAML, GIFT or Moodle XML (all or nothing by default)."""
    path = Path(file)
    options = ImportOptions(topic, section, _category_topics(mappings))
    try:
        check_import_size(str(path), path.stat().st_size)
        report = import_text(
            path.read_text(encoding="utf-8-sig"),
            detect_format(path.name, fmt),
            filename=str(path),
            options=options,
            dry_run=dry_run,
            skip_invalid=skip_invalid,
            files=read_media(path, current_app.config["IMAGE_MAX_BYTES"]),
        )
    except ImportFailed as exc:
        for problem in exc.problems:
            click.echo(problem, err=True)
        click.echo("Nothing was imported (--skip-invalid imports the valid ones).", err=True)
        raise SystemExit(1) from exc
    except (InvalidInput, UnicodeDecodeError) as exc:
        raise click.ClickException(str(exc)) from exc
    _print_import_report(report)
    for note in report.notes:
        click.echo(f"  kept in part: {note}")
    if report.blocked:
        count = len(report.having(INVALID))
        click.echo(
            f"{count} question(s) are invalid: the import would write nothing; "
            "fix them or use --skip-invalid.",
            err=True,
        )
        raise SystemExit(1)


@bank.command("export")
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="yaml")
@click.option("--topic", help="Only this topic (key).")
@click.option("--status", help="Only this status (draft, published, retired).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True))
def export_command(fmt: str, topic: str | None, status: str | None, output: str) -> None:
    """Export questions (the whole bank, or a topic) to FILE."""
    exported = export_questions(QuestionFilters(topic=topic or "", status=status or ""), fmt)
    text = exported.text
    Path(output).write_text(text, encoding="utf-8")
    click.echo(f"Exported {exported.count} question(s) to {output} ({fmt}).")
    for line in left_out_note(exported.left_out, {"gift": "GIFT"}.get(fmt, "Moodle XML")):
        click.echo(line)
    if fmt != "moodle-xml" and (images := write_media(text, Path(output))):
        click.echo(f"Wrote {images} image(s) to {media_folder(Path(output))}.")
