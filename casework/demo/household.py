"""One household: its people, status (poor / exited / returned, 低保, 特困), income records,
housing grade, relocation, utilities, causes of poverty, pairing cadre and address — plus a few
fields left "not recorded" in a few households."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from . import rates as R
from .draw import Draw, Table
from .identity import IdNumbers
from .income import assign_member_incomes, income_records
from .members import MemberDraft, draft_member
from .people import Names, compose
from .places import Place
from .situation import causes, relocation

__all__ = ["HouseholdDraft", "Registry"]

_SIZES = Table(zip(R.HOUSEHOLD_SIZES, R.HOUSEHOLD_SIZE_WEIGHTS, strict=True))
_EXIT_BZ = Table(R.EXIT_YEARS_BZ)
_EXIT_KZ = Table(R.EXIT_YEARS_KZ)
_GRADES = {status: Table(zip("ABCD", w, strict=True)) for status, w in R.GRADE_WEIGHTS.items()}
_UTC = dt.timezone.utc


@dataclass(slots=True)
class HouseholdDraft:
    row: dict[str, Any]
    members: list[MemberDraft]
    incomes: list[dict[str, Any]]


class Registry:
    """Drafts households one after another from one random source."""

    def __init__(self, draw: Draw, names: Names, ids: IdNumbers) -> None:
        self.draw, self.names, self.ids = draw, names, ids

    def household(self, place: Place, number: str) -> HouseholdDraft:
        d = self.draw
        people = compose(d, self.names, _SIZES.pick(d.rng))
        members = [
            draft_member(d, self.ids, p, i, place.county_code, place.birthplaces)
            for i, p in enumerate(people, 1)
        ]
        active = [m for m in members if m.row["active"]]
        for m in members:
            if not m.row["active"]:
                m.stays = []
        row: dict[str, Any] = {"version": 1, "number": number, "county_code": place.county_code,
               "village_id": place.village_id, "active": True}
        row.update(self._status(place, active))
        incomes = self._incomes(place, row, members, len(active))
        row.update(relocation(d, place, row["poverty_status"], len(active)))
        row["housing_safety_grade"] = self._grade(row)
        row.update(self._utilities(row["poverty_status"]))
        row["poverty_causes"] = causes(d, active)
        unit = place.county_name + d.choice(R.PAIRING_UNITS)
        row["pairing_cadre"] = f"{self.names.full()}（{unit}）"
        row["address"] = f"{place.address}{d.between(1, 12)}组{d.between(1, 60)}号"
        row["updated_at"] = self._updated_at()
        _leave_gaps(d, row, members, incomes)
        return HouseholdDraft(row, members, incomes)

    def _status(self, place: Place, active: list[MemberDraft]) -> dict[str, Any]:
        d = self.draw
        registered = d.chance(R.REGISTERED_POOR)
        status, exit_year = None, None
        if registered:
            r = d.rng.random()
            status = "poor" if r < R.STILL_POOR[place.county_code] else (
                "returned" if r < R.STILL_POOR[place.county_code] + R.RETURNED else "exited")
            if status != "poor":
                exit_year = (_EXIT_KZ if place.kaizhou else _EXIT_BZ).pick(d.rng)
        head = active[0]
        alone = len(active) == 1 and (head.age >= 60 or head.row["labor"] == "lost")
        tekun = alone and d.chance(R.TEKUN_SINGLE if registered else R.TEKUN_OFF_REGISTER)
        elderly = all(m.age >= 60 for m in active)
        dibao = not tekun and (not registered or d.chance(
            R.DIBAO[status or "poor"] + (R.DIBAO_ELDERLY_BONUS if elderly else 0.0)))
        difficulty = True if d.chance(R.ECONOMIC_DIFFICULTY_RECORDED) else None
        if status == "exited" and difficulty and d.chance(R.EXITED_NOT_DIFFICULT):
            difficulty = False
        return {
            "registered_poor": registered, "poverty_status": status, "exit_year": exit_year,
            "dibao": dibao, "tekun": tekun,
            "tekun_mode": ("centralized" if d.chance(R.TEKUN_CENTRALIZED) else "dispersed")
            if tekun else None,
            "economic_difficulty": difficulty,
        }

    def _incomes(
        self, place: Place, row: dict[str, Any], members: list[MemberDraft], people: int
    ) -> list[dict[str, Any]]:
        d = self.draw
        key = (row["poverty_status"] or "poor", "KZ" if place.kaizhou else "BZ")
        per_capita = d.lognormal(R.INCOME_MEDIAN[key], R.INCOME_SIGMA)
        working = any(m.row["employment"] in R.WAGE_WEIGHT for m in members if m.row["active"])
        assisted = bool(row["dibao"] or row["tekun"])
        records = income_records(d, per_capita, people, working, assisted, place.county_code)
        assign_member_incomes(d, members, records[-1]["wage_income_yuan"])
        row["per_capita_net_income_yuan"] = records[-1]["per_capita_net_income_yuan"]
        return records

    def _grade(self, row: dict[str, Any]) -> str:
        if row["relocation_status"] == "moved_in":
            return "A" if self.draw.chance(R.NEW_HOUSE_GRADE_A) else "B"
        return _GRADES[row["poverty_status"]].pick(self.draw.rng)

    def _utilities(self, status: str | None) -> dict[str, bool]:
        column = 1 if status == "exited" else 0
        return {name: self.draw.chance(p[column]) for name, p in R.UTILITIES.items()}

    def _updated_at(self) -> dt.datetime:
        day = self.draw.day_in(dt.date(R.POLICY_YEAR, 1, 2), R.REFERENCE_DATE - dt.timedelta(1))
        minute = self.draw.between(8 * 60, 18 * 60)
        return dt.datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=_UTC)


def _leave_gaps(
    d: Draw, row: dict[str, Any], members: list[MemberDraft], incomes: list[dict[str, Any]]
) -> None:
    """Leave a few fields "not recorded" (None), in a few households and members."""
    if d.chance(R.HOUSEHOLD_GAPS):
        for name in d.rng.sample(R.HOUSEHOLD_GAP_FIELDS, d.between(1, 3)):
            row[name] = None
            if name == "per_capita_net_income_yuan":
                incomes.pop()  # last year's income not yet collected
    for m in members:
        if d.chance(R.MEMBER_GAPS):
            fields: tuple[str, ...] = R.MEMBER_GAP_FIELDS
            if m.row["school_stage"] not in ("none", None):
                fields = fields + R.STUDENT_GAP_FIELDS
            name = d.choice(fields)
            m.row[name] = None
            if name == "id_number":
                m.row["id_last4"] = None

