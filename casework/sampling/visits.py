"""Recording what an inspector found at a sampled household.

One visit per sample and household; saving it again edits it (compare-and-swap on its version,
a stale edit is refused with both versions). A save carries a one-time key (the ``submissions``
table, shared with the household edit forms), so a double tap or a retry after a dropped
connection saves once. The "as recorded" side of each finding is taken from the sample's
snapshot of the stored assessment, never from the form. Every row change is audited by the unit
of work.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError

from casework.models import Submission, utcnow
from casework.models.inspection import Sample, SampleHousehold, Visit
from casework.queries import Scoped
from casework.uow import NotFound, StaleVersion, UnitOfWork
from rules.assessment import DIMENSIONS

from .errors import FORM, InputRefused
from .scope import county_of

__all__ = ["FOUND", "VisitCommand", "SavedVisit", "parse_visit", "record_visit", "KEY_PATTERN",
           "MAX_NOTE", "ACTION"]

FOUND = ("pass", "fail", "unverifiable")
"""达标 / 不达标 / 无法核实."""
MAX_NOTE = 200
MAX_VISITOR = 64
ACTION = "record_visit"
KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")
DIMENSION_ZH = {
    "food_clothing": "不愁吃、不愁穿", "compulsory_education": "义务教育有保障",
    "basic_medical": "基本医疗有保障", "housing": "住房安全有保障",
    "drinking_water": "饮水安全", "income": "收入达标",
}


@dataclass(frozen=True)
class VisitCommand:
    sample_id: int
    household_id: int
    visited_on: dt.date
    visitor: str
    found: Mapping[str, str]
    notes: Mapping[str, str]
    expected_version: int | None
    """The visit's version the form was opened at; None for a first visit."""
    key: str


@dataclass(frozen=True)
class SavedVisit:
    visit_id: int
    repeated: bool


def _clean(text: str | None) -> str:
    return unicodedata.normalize("NFC", (text or "").strip())


def _control(text: str) -> bool:
    return any(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in text)


def parse_visit(raw: Mapping[str, str], recorded: Mapping[str, str], today: dt.date,
                drawn_on: dt.date) -> tuple[dt.date, str, dict[str, str], dict[str, str]]:
    """Visit date, visitor, found and notes per dimension; or :class:`InputRefused`."""
    errors: dict[str, str] = {}
    visited_on = _visit_date(raw.get("visited_on"), today, drawn_on, errors)
    visitor = _clean(raw.get("visitor"))
    if not visitor:
        errors["visitor"] = "走访人：请填写走访人姓名（及单位）"
    elif len(visitor) > MAX_VISITOR or _control(visitor) or "\n" in visitor:
        errors["visitor"] = f"走访人：不超过{MAX_VISITOR}个字，不能换行"
    found: dict[str, str] = {}
    notes: dict[str, str] = {}
    for dim in DIMENSIONS:
        label = DIMENSION_ZH[dim]
        value = _clean(raw.get(f"found_{dim}"))
        note = _clean(raw.get(f"note_{dim}"))
        if value not in FOUND:
            errors[f"found_{dim}"] = f"{label}：请选择实际核实结果（达标、不达标或无法核实）"
        elif not note and (value == "unverifiable" or value != recorded.get(dim)):
            errors[f"note_{dim}"] = (f"{label}：实际情况与档案记录不一致或无法核实，请在说明中写明"
                                     "看到的情况或原因")
        if len(note) > MAX_NOTE or _control(note):
            errors[f"note_{dim}"] = f"{label}：说明不超过{MAX_NOTE}个字"
        found[dim], notes[dim] = value, note
    if errors:
        raise InputRefused(errors)
    assert visited_on is not None
    return visited_on, visitor, found, notes


def _visit_date(text: str | None, today: dt.date, drawn_on: dt.date,
                errors: dict[str, str]) -> dt.date | None:
    value = (text or "").strip()
    try:
        day = dt.date.fromisoformat(value) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else None
    except ValueError:
        day = None
    if day is None:
        errors["visited_on"] = "走访日期：请填写日期（年-月-日）"
    elif day > today:
        errors["visited_on"] = "走访日期：不能晚于今天"
    elif day < drawn_on:
        errors["visited_on"] = f"走访日期：不能早于抽样日期 {drawn_on.isoformat()}"
    return day


def record_visit(engine: Engine, user: Scoped, actor: str, command: VisitCommand) -> SavedVisit:
    """Save the visit for ``user`` (the sample must lie in their county) as ``actor``.

    Raises :class:`InputRefused`, :class:`StaleVersion` or :class:`NotFound`; on any of them
    nothing is written."""
    if not KEY_PATTERN.fullmatch(command.key):
        raise InputRefused({FORM: "提交编号无效，请刷新页面后重新填写"})
    with UnitOfWork(actor, engine) as uow:
        member = _sampled(uow, user, command.sample_id, command.household_id)
        first = uow.session.get(Submission, command.key)
        if first is not None:
            if first.action != ACTION or first.household_id != command.household_id:
                raise InputRefused({FORM: "提交编号已用于其他操作，请刷新页面后重新填写"})
            return SavedVisit(int(first.result_id or 0), True)
        visit = _save(uow, member, actor, command)
        uow.add(Submission(key=command.key, username=actor, household_id=command.household_id,
                           action=ACTION, result_id=str(visit.id), at=utcnow()))
        try:
            uow.commit()
        except IntegrityError:
            raise StaleVersion("inspection_visits", None, 0, 1) from None
    return SavedVisit(int(visit.id), False)  # type: ignore[arg-type]


def _sampled(uow: UnitOfWork, user: Scoped, sample_id: int, household_id: int) -> SampleHousehold:
    county = county_of(uow.session, user)
    sample = uow.session.get(Sample, sample_id) if 0 < sample_id < 2**62 else None
    if sample is None or county is None or sample.county_code != county:
        raise NotFound(f"sample {sample_id}")
    member = uow.session.scalars(select(SampleHousehold).where(
        SampleHousehold.sample_id == sample_id, SampleHousehold.household_id == household_id,
    )).first() if 0 < household_id < 2**62 else None
    if member is None:
        raise NotFound(f"household {household_id} in sample {sample_id}")
    return member


def _save(uow: UnitOfWork, member: SampleHousehold, actor: str, command: VisitCommand) -> Visit:
    findings = {
        dim: {"recorded": member.recorded.get(dim, "none"), "found": command.found[dim],
              "note": command.notes.get(dim, "")}
        for dim in DIMENSIONS
    }
    visit = uow.session.scalars(select(Visit).where(
        Visit.sample_id == member.sample_id, Visit.household_id == member.household_id)).first()
    now = utcnow()
    values = {"visited_on": command.visited_on, "visitor": command.visitor,
              "findings": findings, "recorded_by": actor, "updated_at": now}
    if visit is not None:
        uow.update(visit, expected_version=command.expected_version or 0, **values)
    elif command.expected_version is not None:
        raise StaleVersion("inspection_visits", None, command.expected_version, None)
    else:
        visit = uow.add(Visit(sample_id=member.sample_id, household_id=member.household_id,
                              county_code=member.county_code, **values))
    uow.flush()
    return visit
