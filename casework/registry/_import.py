"""Importing an exchange file: all of it in one unit of work, or none of it.

The file is read three times and never held in memory: once to validate every line (nothing is
written unless every line passes), once to free what the file takes from stored households
(departed members, ID numbers that move), and once to create or update each household. The file's
SHA-256 is checked again before committing, so a file changed during the import is refused.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import selectinload

from casework.db import read_session
from casework.models import Area, Household, Member
from casework.registry._apply import apply_snapshot, release_members
from casework.registry._bulk import Place, load_places
from casework.registry._jsonl import LineError
from casework.registry._mapping import to_snapshot
from casework.registry._validate import FileLine, Plan, batches, parsed_lines, validate_file
from casework.uow import UnitOfWork

__all__ = ["ImportRefused", "ImportResult", "import_file"]


@dataclass(frozen=True, slots=True)
class ImportResult:
    lines: int
    created: int
    updated: int
    unchanged: int


class ImportRefused(Exception):
    """The file has errors (all of them are listed); nothing was written."""

    def __init__(self, errors: list[LineError]) -> None:
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


def import_file(
    engine: Engine, path: Path, *, actor: str, scope: str | None = None, chunk: int = 500
) -> ImportResult:
    """Validate ``path`` and write it as ``actor``; ``scope`` limits the lines to one county.
    Raises :class:`ImportRefused` with every error when any line is bad."""
    digest = _digest(path)
    with read_session(engine) as session:
        places = {p.village_code: p for p in load_places(session).values()}
        plan = validate_file(session, path, places, scope, chunk)
    if plan.errors:
        raise ImportRefused(plan.errors)
    with UnitOfWork(actor, engine) as uow:
        released = _release(uow, path, places, scope, plan, chunk)
        counts = _write(uow, path, places, scope, plan, released, chunk)
        if _digest(path) != digest:
            raise ImportRefused([LineError(0, "$", "the file changed during the import",
                                           "导入过程中文件被修改，未导入任何数据，请重新导入")])
        result = ImportResult(len(plan.numbers), counts["created"], counts["updated"],
                              counts["unchanged"])
        uow.record("import", "households", county_code=_one(plan.counties),
                   detail=_detail(path, result))
        uow.commit()
    return result


def _release(
    uow: UnitOfWork, path: Path, places: dict[str, Place], scope: str | None, plan: Plan,
    chunk: int,
) -> set[str]:
    """First pass over stored households: deactivate departed members and clear ID numbers that
    move, so no statement of the second pass meets an ID number still held. Returns the
    numbers of the households it changed."""
    released: set[str] = set()
    if not plan.existing:
        return released
    errors: list[LineError] = []
    for batch in batches(parsed_lines(path, places, scope, errors, only=plan.existing), chunk):
        stored = _stored(uow, batch, with_stays=False)
        for line in batch:
            number = line.household.household_id
            household = stored.get(number)
            if household is not None and release_members(
                uow, household, line.household, plan.claimed_elsewhere(line.number)
            ):
                released.add(number)
    _refuse_if(errors)
    uow.flush()
    return released


def _write(
    uow: UnitOfWork, path: Path, places: dict[str, Place], scope: str | None, plan: Plan,
    released: set[str], chunk: int,
) -> Counter[str]:
    counts: Counter[str] = Counter()
    villages: dict[int, Area] = {}
    errors: list[LineError] = []
    for batch in batches(parsed_lines(path, places, scope, errors), chunk):
        stored = _stored(uow, batch, with_stays=True)
        for line in batch:
            village = villages.get(line.place.village_id)
            if village is None:
                village = villages[line.place.village_id] = uow.get(
                    Area, line.place.village_id, for_update=False)
            outcome = _apply(uow, line, stored.get(line.household.household_id), village, plan)
            if outcome == "unchanged" and line.household.household_id in released:
                outcome = "updated"
            counts[outcome] += 1
        uow.flush()
    _refuse_if(errors)
    return counts


def _apply(
    uow: UnitOfWork, line: FileLine, existing: Household | None, village: Area, plan: Plan
) -> str:
    if existing is None:
        apply_snapshot(uow, line.household, village=village, existing=None)
        return "created"
    before = (to_snapshot(existing), existing.village_id)
    apply_snapshot(uow, line.household, village=village, existing=existing,
                   claimed_elsewhere=plan.claimed_elsewhere(line.number))
    return "unchanged" if (to_snapshot(existing), existing.village_id) == before else "updated"


def _stored(uow: UnitOfWork, batch: list[FileLine], *, with_stays: bool) -> dict[str, Household]:
    members = selectinload(Household.members)  # type: ignore[arg-type]
    if with_stays:
        members = members.selectinload(Member.hospital_stays)  # type: ignore[arg-type]
    stmt = (select(Household).options(members)
            .where(Household.number.in_([line.household.household_id for line in batch])))
    if uow.engine.dialect.name == "postgresql":
        stmt = stmt.with_for_update(of=Household)
    return {row.number: row for row in uow.session.scalars(stmt)}


def _refuse_if(errors: list[LineError]) -> None:
    """A line that passed validation fails now: the file changed under us."""
    if errors:
        raise ImportRefused(errors)


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def _one(counties: set[str]) -> str | None:
    return next(iter(counties)) if len(counties) == 1 and "" not in counties else None


def _detail(path: Path, result: ImportResult) -> str:
    counts = {"lines": result.lines, "created": result.created, "updated": result.updated,
              "unchanged": result.unchanged}
    text = json.dumps({**counts, "file": str(path)}, ensure_ascii=False)
    if len(text) > 500:
        text = json.dumps({**counts, "file": "…" + str(path)[-200:]}, ensure_ascii=False)
    return text
