"""Placeholder: tables are being added."""

__all__: list[str] = []
