"""The read side of the received-measure record: a household's entries, for people to read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Engine, select

from ..db import read_session
from ..models import DecisionRun, Household, Member, StoredDecision
from ..models.received_measures import ReceivedMeasure
from .catalog import Catalog
from .validation import MemberChoice

__all__ = ["ReceivedLine", "received_lines", "member_choices", "received_entry", "Owed",
           "Comparison", "compare_with_decisions"]


@dataclass(frozen=True)
class ReceivedLine:
    id: int
    version: int
    rule_id: str
    title: str
    member_id: int | None
    member_name: str | None
    amount_yuan: Decimal | None
    since: dt.date
    until: dt.date | None
    payer: str
    note: str | None
    current: bool
    """Received on ``today`` (started and not ended)."""


def received_lines(engine: Engine, household: Household, catalog: Catalog | None,
                   today: dt.date) -> tuple[ReceivedLine, ...]:
    """The household's entries, current ones first, then by measure and start."""
    with read_session(engine) as s:
        rows = s.execute(
            select(ReceivedMeasure, Member.name)
            .outerjoin(Member, Member.id == ReceivedMeasure.member_id)
            .where(ReceivedMeasure.household_id == household.id)
            .order_by(ReceivedMeasure.rule_id, ReceivedMeasure.since, ReceivedMeasure.id)
        ).all()
    lines = [_line(r, name, catalog, today) for r, name in rows]
    return tuple(sorted(lines, key=lambda x: not x.current))


def received_entry(engine: Engine, household_id: int, measure_id: int,
                   catalog: Catalog | None, today: dt.date) -> ReceivedLine | None:
    with read_session(engine) as s:
        found = s.execute(
            select(ReceivedMeasure, Member.name)
            .outerjoin(Member, Member.id == ReceivedMeasure.member_id)
            .where(ReceivedMeasure.id == measure_id,
                   ReceivedMeasure.household_id == household_id)
        ).first()
    return _line(found[0], found[1], catalog, today) if found else None


def member_choices(household: Household) -> tuple[MemberChoice, ...]:
    """The household's members (loaded with it), active ones first."""
    members = sorted(household.members, key=lambda m: (not m.active, m.id or 0))
    return tuple(MemberChoice(int(m.id), m.name or m.member_key, m.active)  # type: ignore[arg-type]
                 for m in members)


def _line(row: ReceivedMeasure, member_name: str | None, catalog: Catalog | None,
          today: dt.date) -> ReceivedLine:
    return ReceivedLine(
        id=int(row.id), version=row.version, rule_id=row.rule_id,  # type: ignore[arg-type]
        title=catalog.title(row.rule_id) if catalog else row.rule_id,
        member_id=row.member_id, member_name=member_name, amount_yuan=row.amount_yuan,
        since=row.since, until=row.until, payer=row.payer, note=row.note,
        current=row.since <= today and (row.until is None or row.until >= today),
    )


@dataclass(frozen=True)
class Owed:
    """An eligible decision of the current run with no record received on the run's date."""

    rule_id: str
    title: str
    member_id: int | None
    member_name: str | None
    amount_yuan: Decimal | None
    payer: str


@dataclass(frozen=True)
class Comparison:
    on: dt.date | None
    """The run's date (None: the county has no current run; nothing is compared)."""
    owed_unrecorded: tuple[Owed, ...]
    not_owed: frozenset[int]
    """Ids of entries received on the run's date that the run does not decide as owed."""


def compare_with_decisions(engine: Engine, household: Household, catalog: Catalog,
                           lines: tuple[ReceivedLine, ...]) -> Comparison:
    """The household's side of the inspector's 应享未享 / 不应享而享 lists (same rules as
    :mod:`casework.quality.gaps`), for the staff who can fix them."""
    with read_session(engine) as s:
        run = s.execute(select(DecisionRun.id, DecisionRun.on_date).where(
            DecisionRun.county_code == household.county_code,
            DecisionRun.status == "current")).first()
        if run is None:
            return Comparison(None, (), frozenset())
        decisions = s.execute(select(StoredDecision).where(
            StoredDecision.run_id == run.id, StoredDecision.household_id == household.id,
            StoredDecision.episode.is_(None))  # type: ignore[union-attr]
            .order_by(StoredDecision.id)).scalars().all()
    member_of = {m.member_key: m for m in household.members}
    received = {(x.rule_id, x.member_id): x for x in lines
                if x.since <= run.on_date and (x.until is None or x.until >= run.on_date)}
    decided = set()
    owed: list[Owed] = []
    for d in decisions:
        member = member_of.get(d.member_key) if d.member_key else None
        key = (d.rule_id, member.id if member else None)
        decided.add(key)
        measure = catalog.get(d.rule_id)
        if (d.status != "eligible" or measure is None or measure.payer_kind == "bank"
                or key in received):
            continue
        owed.append(Owed(d.rule_id, measure.title, key[1], member.name if member else None,
                         d.amount_yuan or None, measure.default_payer))
    not_owed = frozenset(x.id for k, x in received.items() if k not in decided)
    return Comparison(run.on_date, tuple(owed), not_owed)
