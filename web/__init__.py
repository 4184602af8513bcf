"""Casework's web app (Litestar, Jinja templates, htmx)."""

from .app import StartupRefused, create_app

__all__ = ["create_app", "StartupRefused"]
