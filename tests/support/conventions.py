"""Static checks behind tests/unit/test_conventions.py: which modules a source file imports
(absolute, relative and literal dynamic imports, resolved to dotted names), and which calls
print or log a resident ID number."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Import", "imports_of", "id_number_leaks", "module_name", "python_files"]

_LOG_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical",
                          "log", "fatal"})
_ID_NAMES = frozenset({"id_number", "id_numbers", "resident_id", "raw_id_number"})


@dataclass(frozen=True)
class Import:
    module: str
    """Dotted name as resolved, e.g. ``casework.models`` or ``litestar.response``."""
    line: int

    @property
    def top(self) -> str:
        return self.module.split(".")[0]


def python_files(root: Path, *packages: str) -> Iterator[Path]:
    for package in packages:
        yield from sorted((root / package).rglob("*.py"))


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(source: str, module: str, *, is_package: bool = False) -> list[Import]:
    """Every import in ``source`` (the text of ``module``), relative ones resolved."""
    found: list[Import] = []
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [Import(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(package, node.level, node.module)
            found.append(Import(base, node.lineno))
            found += [Import(f"{base}.{a.name}", node.lineno) for a in node.names if a.name != "*"]
        elif isinstance(node, ast.Call) and _is_dynamic_import(node):
            found.append(Import(node.args[0].value, node.lineno))  # type: ignore[attr-defined]
    return found


def _resolve(package: str, level: int, name: str | None) -> str:
    if level == 0:
        return name or ""
    parts = package.split(".") if package else []
    parts = parts[: len(parts) - (level - 1)] if level > 1 else parts
    return ".".join([*parts, *([name] if name else [])])


def _is_dynamic_import(call: ast.Call) -> bool:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return (
        name in ("import_module", "__import__")
        and bool(call.args)
        and isinstance(call.args[0], ast.Constant)
        and isinstance(call.args[0].value, str)
    )


def id_number_leaks(source: str) -> list[int]:
    """Lines where ``print(…)`` or a logging call is given an ID number that was not passed
    through a masking function first (``mask_list(m.id_number)`` is fine)."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and _prints_or_logs(node):
            arguments = [*node.args, *(k.value for k in node.keywords)]
            if any(_mentions_id_number(arg) for arg in arguments):
                lines.append(node.lineno)
    return sorted(lines)


def _prints_or_logs(call: ast.Call) -> bool:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id == "print"
    if isinstance(func, ast.Attribute) and func.attr in _LOG_METHODS:
        owner = func.value
        name = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", "")
        return "log" in name.lower()
    return False


def _mentions_id_number(node: ast.AST) -> bool:
    if isinstance(node, ast.Call) and _is_masking(node):
        return False
    if isinstance(node, ast.Name) and node.id in _ID_NAMES:
        return True
    if isinstance(node, ast.Attribute) and node.attr in _ID_NAMES:
        return True
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return "%(id_number)" in node.value or "{id_number}" in node.value
    return any(_mentions_id_number(child) for child in ast.iter_child_nodes(node))


def _is_masking(call: ast.Call) -> bool:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name.startswith("mask")
