"""Checks made before the app may serve: production refuses to start with a development secret
or while demo accounts can log in."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from casework.queries import active_demo_usernames
from casework.settings import WebSettings

__all__ = ["StartupRefused", "startup_problems"]


class StartupRefused(RuntimeError):
    """The configuration must not serve; ``problems`` lists every reason."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"refusing to start in production mode:\n{lines}")


def startup_problems(settings: WebSettings, engine: Engine) -> list[str]:
    """Everything that forbids serving with these settings and this database (empty outside
    production)."""
    if not settings.production:
        return []
    found = list(settings.problems())
    try:
        demo = active_demo_usernames(engine)
    except SQLAlchemyError as exc:
        found.append(f"cannot read users from the database ({type(exc).__name__}); "
                     "is it reachable and migrated (casework db upgrade)?")
    else:
        if demo:
            found.append("demo accounts are active (disable or delete them): " + ", ".join(demo))
    return found
