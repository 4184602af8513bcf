"""Conventions from DESIGN.md that drift unless checked: dependencies point inward (rules/ ←
casework/ ← web/), only web/ touches Litestar and Jinja, every mutable table carries a
``version`` that the mapper compare-and-swaps, modules stay small, and no ID number is printed
or logged. Each checker is also shown catching a violation, so a pass means something."""

from __future__ import annotations

import ast

import pytest

from casework.settings import PROJECT_ROOT
from tests.support.conventions import id_number_leaks, imports_of, module_name, python_files

ROOT = PROJECT_ROOT
LAYERS = ("rules", "casework", "web")
OUTSIDE_WEB = ("rules", "casework", "scripts", "migrations")
"""Project code that must not import Litestar or Jinja (tests may drive the app's client)."""
NOT_FOR_RULES = frozenset({
    "casework", "web", "scripts", "tests", "migrations",
    "litestar", "jinja2", "sqlmodel", "sqlalchemy", "alembic", "psycopg", "uvicorn", "weasyprint",
})
"""The engine is pure: nothing of the project, no web, no storage."""
WEB_ONLY = frozenset({"litestar", "jinja2"})
PAPER = "casework/printing"
"""Paper documents (certificates, visit lists) are printed by the CLI as well as the web, so this
one package of casework/ may use Jinja templates and WeasyPrint; it still never imports Litestar."""
UNVERSIONED = frozenset({"audit_events", "areas", "decision_runs", "decisions", "assessments",
                         "submissions", "web_sessions",
                         "inspection_frames", "inspection_frame_members", "inspection_samples",
                         "inspection_sample_households", "certificates",
                         "certificate_batch_pdfs", "assessment_tallies"})
"""Append-only audit trail; reference data loaded by migrations and administrators; computed
decisions, never edited, only replaced whole by a newer recompute run; one-time submission keys;
login sessions; spot-check frames and samples, frozen as drawn (triggers refuse UPDATE and
DELETE) so anyone can redraw them; issued certificates (triggers refuse UPDATE and DELETE: a
reissue supersedes, never edits) and the stored PDFs of print batches; the dashboards' tallies,
counted from the registry and rewritten whole."""
MAX_LINES = 400


def _violations(packages: tuple[str, ...], forbidden: frozenset[str]) -> list[str]:
    found = []
    for path in python_files(ROOT, *packages):
        module = module_name(ROOT, path)
        for imp in imports_of(path.read_text(encoding="utf-8"), module,
                              is_package=path.name == "__init__.py"):
            if imp.top in forbidden:
                found.append(f"{path.relative_to(ROOT)}:{imp.line} imports {imp.module}")
    return sorted(set(found))


def test_the_layers_exist() -> None:
    assert list(python_files(ROOT, "rules")) and list(python_files(ROOT, "casework"))


def test_rules_import_nothing_of_the_project_nor_web_or_storage() -> None:
    assert _violations(("rules",), NOT_FOR_RULES) == []


def test_casework_never_imports_web() -> None:
    assert _violations(("casework",), frozenset({"web"})) == []


def test_only_web_imports_litestar_or_jinja() -> None:
    present = tuple(p for p in OUTSIDE_WEB if (ROOT / p).is_dir())
    found = _violations(present, WEB_ONLY)
    paper_jinja = [v for v in found if v.startswith(PAPER + "/") and " imports jinja2" in v]
    assert sorted(set(found) - set(paper_jinja)) == []


def test_only_the_paper_package_prints_pdfs() -> None:
    found = _violations(("casework", "web", "scripts"), frozenset({"weasyprint"}))
    assert [v for v in found if not v.startswith(PAPER + "/")] == []


def test_every_mutable_table_has_a_version_the_mapper_checks() -> None:
    from sqlmodel import SQLModel

    import casework.models  # noqa: F401 - registers every table Alembic sees

    mappers = SQLModel._sa_registry.mappers  # type: ignore[attr-defined]
    missing = []
    for mapper in mappers:
        table = mapper.local_table
        if table.name in UNVERSIONED:
            continue
        if "version" not in table.c or mapper.version_id_col is not table.c.version:
            missing.append(table.name)
    assert missing == []
    assert {"households", "members", "users"} <= {m.local_table.name for m in mappers}


def test_every_table_class_is_registered_where_alembic_looks() -> None:
    """A ``table=True`` class that ``casework.models`` does not import is invisible to the
    migrations (env.py uses its metadata), so its table would never be created."""
    from casework.models import metadata

    declared = set()
    for path in python_files(ROOT, "casework"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and _is_table(node):
                declared.add(_table_name(node) or f"{path.name}:{node.name}")
    assert declared
    assert declared - set(metadata.tables) == set()


def _is_table(node: ast.ClassDef) -> bool:
    return any(k.arg == "table" and isinstance(k.value, ast.Constant) and k.value.value is True
               for k in node.keywords)


def _table_name(node: ast.ClassDef) -> str | None:
    for stmt in node.body:
        if isinstance(stmt, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__tablename__" for t in stmt.targets
        ) and isinstance(stmt.value, ast.Constant):
            return str(stmt.value.value)
    return None


def test_no_module_exceeds_the_size_limit() -> None:
    too_long = {
        str(path.relative_to(ROOT)): n
        for path in python_files(ROOT, *LAYERS)
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert too_long == {}, f"modules over {MAX_LINES} lines: {too_long}"


def test_no_id_number_is_printed_or_logged() -> None:
    leaks = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in python_files(ROOT, *(p for p in (*LAYERS, "scripts") if (ROOT / p).is_dir()))
        for line in id_number_leaks(path.read_text(encoding="utf-8"))
    ]
    assert leaks == []


# --- the checkers catch what they are meant to catch ----------------------------------------

@pytest.mark.parametrize(("source", "module", "is_package", "expected"), [
    ("import casework.models", "rules.engine", False, "casework.models"),
    ("from sqlalchemy import select", "rules.engine", False, "sqlalchemy"),
    ("from ..web import app", "casework.registry._mapping", False, "casework.web"),
    ("from .. import models", "casework.contract", True, "casework.models"),
    ("from . import models", "casework.uow", False, "casework.models"),
    ("from .rule import Rule", "rules", True, "rules.rule"),
    ("import importlib\nimportlib.import_module('web.app')", "casework.cli", False, "web.app"),
    ("def f():\n    from litestar import get", "scripts.demo", False, "litestar"),
])
def test_import_scanner_resolves_every_kind_of_import(
    source: str, module: str, is_package: bool, expected: str
) -> None:
    assert expected in {i.module for i in imports_of(source, module, is_package=is_package)}


@pytest.mark.parametrize("source", [
    "print(member.id_number)",
    "print(f'身份证 {id_number}')",
    "logger.info('member %s', m.id_number)",
    "log.warning('bad id: %(id_number)s', row)",
    "logging.error('x', extra={'id': resident_id})",
    "self.logger.exception(str(member.id_number))",
])
def test_leak_checker_finds_printed_or_logged_id_numbers(source: str) -> None:
    assert id_number_leaks(source) == [1]


@pytest.mark.parametrize("source", [
    "logger.info('member %s', mask_list(m.id_number))",
    "print(ids.masked_detail(id_number))",
    "logger.info('member %s saved', m.member_key)",
    "member.id_number = value",
])
def test_leak_checker_allows_masked_or_unrelated_output(source: str) -> None:
    assert id_number_leaks(source) == []
