"""Casework: household-level case management for targeted poverty relief (精准扶贫)."""

__version__ = "0.1.0"
__all__ = ["__version__"]
