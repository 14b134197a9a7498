"""The question bank as data files: parse, validate (with file and line), lint.

Nothing here touches the database; `quizapp.services.bank_sync` writes what this reads.
"""
