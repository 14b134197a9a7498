"""Question import and export in our YAML, Moodle's GIFT and Moodle XML (no Flask, no SQL).

from quizapp.interchange import parse, write
result = parse(text, "gift")        # ParseResult(questions, skipped)
text = write(result.questions, "moodle-xml")
"""

from quizapp.interchange.model import (
    FORMATS,
    InterchangeSyntaxError,
    ParseResult,
    PortableQuestion,
    Skipped,
    parse,
    topic_from_category,
    write,
)

__all__ = [
    "FORMATS",
    "InterchangeSyntaxError",
    "ParseResult",
    "PortableQuestion",
    "Skipped",
    "parse",
    "topic_from_category",
    "write",
]
