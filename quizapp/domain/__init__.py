"""Pure domain code: no Flask, no SQLAlchemy."""
