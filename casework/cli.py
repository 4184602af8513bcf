"""The ``casework`` command. Each subcommand lives in ``casework/commands/<name>.py`` as a click
command named ``command`` and is imported only when used, so ``casework calc`` starts fast."""

from __future__ import annotations

import importlib

import click

__all__ = ["main"]

COMMANDS = {
    "db": "casework.commands.db",
    "demo-data": "casework.commands.demo_data",
    "export": "casework.commands.export",
    "import": "casework.commands.import_",
    "calc": "casework.commands.calc",
    "recompute": "casework.commands.recompute",
    "certificate": "casework.commands.certificate",
    "sample": "casework.commands.sample",
    "received": "casework.commands.received",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        module = COMMANDS.get(name)
        if module is None:
            return None
        try:
            return importlib.import_module(module).command
        except ModuleNotFoundError as exc:
            if exc.name == module:
                return None
            raise


@click.group(cls=LazyGroup)
@click.version_option(package_name="casework")
def main() -> None:
    """Casework 精准扶贫 建档立卡 case management."""
