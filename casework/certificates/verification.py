"""Public verification of a printed certificate (``/verify/<serial>?c=<code>``).

The answer is one of three and shows only the township, the head's masked name, the policy
year and the yearly total. An unknown serial, a wrong check code and a row whose hash no longer
matches its content all get the same "not genuine" answer, so the page is no oracle for which
serials exist.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine

from casework.db import read_session

from .codes import check_code_matches, is_serial
from .records import record_by_serial

__all__ = ["Verdict", "verify", "mask_name"]


@dataclass(frozen=True)
class Verdict:
    genuine: bool
    current: bool = False
    superseded_on: dt.date | None = None
    township_zh: str = ""
    head_name_masked: str = ""
    policy_year: int | None = None
    total_annual_yuan: str = ""
    issued_on: dt.date | None = None

    @property
    def state(self) -> str:
        if not self.genuine:
            return "not_genuine"
        return "current" if self.current else "superseded"


NOT_GENUINE = Verdict(genuine=False)


def mask_name(name: str) -> str:
    """张三 → 张*, 张小明 → 张*明, 欧阳小明 → 欧**明."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def verify(engine: Engine, secret: str, serial: str, typed_code: str) -> Verdict:
    serial = (serial or "").strip().upper()
    if not is_serial(serial):
        return NOT_GENUINE
    with read_session(engine) as s:
        record = record_by_serial(s, serial)
    if record is None or not check_code_matches(secret, serial, record.content_hash, typed_code):
        return NOT_GENUINE
    if not record.intact:
        return NOT_GENUINE
    content = record.content
    return Verdict(
        genuine=True, current=record.current, superseded_on=record.superseded_on,
        township_zh=str(content.get("township_zh", "")),
        head_name_masked=mask_name(str(content.get("head_name", ""))),
        policy_year=record.policy_year, total_annual_yuan=record.total_annual_yuan,
        issued_on=record.issued_on,
    )
