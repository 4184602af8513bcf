"""What a rule looks at: one household, optionally one member and one hospital stay of it."""

from __future__ import annotations

from dataclasses import dataclass

from rules.fields import field
from rules.params import ParamView
from rules.snapshot import HospitalStay, Household, Member

__all__ = ["Subject"]


@dataclass(frozen=True, slots=True)
class Subject:
    household: Household
    params: ParamView
    member: Member | None = None
    member_index: int | None = None
    stay: HospitalStay | None = None
    stay_index: int | None = None

    def value(self, name: str) -> object:
        return field(name).get(self.household, self.member, self.stay)

    def path(self, name: str) -> str:
        """The JSON path of a field of this subject, e.g. ``members[1].school.boarding``."""
        f = field(name)
        if f.level == "household":
            return f.json_path
        if f.level == "member":
            return f"members[{self.member_index}].{f.json_path}"
        return f"members[{self.member_index}].hospital_stays[{self.stay_index}].{f.json_path}"

    def for_member(self, index: int, member: Member) -> Subject:
        return Subject(self.household, self.params, member, index)

    def for_stay(self, index: int, stay: HospitalStay) -> Subject:
        return Subject(self.household, self.params, self.member, self.member_index, stay, index)
