"""Use cases on a household's own facts and its yearly income record."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from casework.models import Household, IncomeRecord

from .checks import check_values
from .commands import Command, RecordIncome, UpdateFacts
from .errors import FORM
from casework.uow import UnitOfWork

__all__ = ["update_facts", "record_income", "command_fields"]

_SOURCES = ("wage_income_yuan", "production_income_yuan", "transfer_income_yuan",
            "property_income_yuan")


def command_fields(command: Command) -> dict[str, object]:
    """The command's own fields (not the household, version and key every command carries)."""
    base = {f.name for f in dataclasses.fields(Command)}
    return {f.name: getattr(command, f.name) for f in dataclasses.fields(command)
            if f.name not in base}


def update_facts(uow: UnitOfWork, household: Household, cmd: UpdateFacts, today: dt.date) -> str:
    problems = check_values(cmd, today)
    if cmd.poverty_status == "exited" and cmd.exit_year is None:
        problems.add("exit_year", "必须填写（已脱贫户）")
    if cmd.poverty_status == "poor" and cmd.exit_year is not None:
        problems.add("exit_year", "不应填写：未脱贫户没有脱贫年度")
    if cmd.tekun_mode is not None and cmd.tekun is not True:
        problems.add("tekun_mode", "只在特困供养户填写")
    if cmd.relocation_mode is not None and cmd.relocation_status in (None, "none"):
        problems.add("relocation_mode", "只在搬迁户填写")
    problems.raise_if_any()
    uow.update(household, expected_version=household.version, **command_fields(cmd))
    return str(household.id)


def record_income(uow: UnitOfWork, household: Household, cmd: RecordIncome,
                  today: dt.date) -> str:
    """Store the year's income by source; the total is their sum and the per-capita figure the
    total over the household's active members now. The latest year's per-capita figure is also
    the household's 年人均纯收入, which the rules read."""
    problems = check_values(cmd, today)
    sources = {name: getattr(cmd, name) for name in _SOURCES}
    persons = sum(1 for m in household.members if m.active)
    if all(v is None for v in sources.values()):
        problems.add(FORM, "请至少填写一项收入（没有的填0）")
    if persons == 0:
        problems.add(FORM, "本户没有在册成员，无法计算人均收入")
    problems.raise_if_any()
    total = sum((v for v in sources.values() if v is not None), Decimal(0))
    per_capita = (total / persons).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    record = next((r for r in household.income_records if r.year == cmd.year), None)
    figures = dict(sources, total_net_income_yuan=total, per_capita_net_income_yuan=per_capita)
    if record is None:
        record = uow.add(IncomeRecord(household_id=household.id,
                                      county_code=household.county_code, year=cmd.year, **figures))
        uow.flush()
    else:
        uow.update(record, expected_version=record.version, **figures)
    if cmd.year >= max((r.year for r in household.income_records), default=cmd.year):
        uow.update(household, expected_version=household.version,
                   per_capita_net_income_yuan=per_capita)
    return str(record.id)
