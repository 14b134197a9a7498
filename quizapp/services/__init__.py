"""Units of work: load, call the domain, commit. Views and CLI commands call these."""
