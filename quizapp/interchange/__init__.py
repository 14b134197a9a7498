"""Question import and export in our YAML, Moodle's GIFT and Moodle XML (no Flask, no SQL).

from quizapp.interchange import parse, write
result = parse(text, "gift")        # ParseResult(questions, skipped)
text = write(result.questions, "moodle-xml")
"""

from quizapp.interchange.model import (
    FORMATS as FORMATS,
    InterchangeSyntaxError as InterchangeSyntaxError,
    ParseResult as ParseResult,
    PortableQuestion as PortableQuestion,
    Skipped as Skipped,
    parse as parse,
    topic_from_category as topic_from_category,
    write as write,
)
