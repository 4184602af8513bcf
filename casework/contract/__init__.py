"""The household JSON of ``shared/contracts/calc-v1.md`` <-> :class:`rules.snapshot.Household`.

``parse_household`` validates a decoded document and reports the first problem in document order
as a :class:`ContractError` (JSON path, English reason, Chinese sentence); ``dump_household``
writes a household back so that parsing the dump gives the same household. ``subject_zh`` names
the field at a JSON path for people (``members[1].school.stage`` -> ``第2位成员的就读学段``), for
other validators that raise ``ContractError`` with the same wording.
"""

from casework.contract._dump import dump_household
from casework.contract._errors import ContractError
from casework.contract._labels import subject_zh
from casework.contract._parse import parse_household, parse_household_json

__all__ = [
    "ContractError",
    "dump_household",
    "parse_household",
    "parse_household_json",
    "subject_zh",
]
