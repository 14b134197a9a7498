"""Serving stored question images (`/media/<sha256>`)."""
