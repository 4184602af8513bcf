"""What a household (or one of its members) actually receives: one row per measure paid or
provided, with the amount, the period and the paying department.

The measure is a rule ID of the county's policy pack (``EDU-BZ-05``, ``EDU-KZ-04.bursary`` …), so
a record lines up with the engine's stored decisions (same ``rule_id``, same member) when the
inspector's lists compare what is owed with what is paid. ``until`` is empty while the measure
is still received; ending a measure sets it.
"""

import datetime as dt
from decimal import Decimal

from sqlalchemy import CheckConstraint, Index
from sqlmodel import Field

from .base import Money, UtcDateTime, Versioned, utcnow

__all__ = ["ReceivedMeasure"]


class ReceivedMeasure(Versioned, table=True):
    __tablename__ = "received_measures"
    __table_args__ = (
        CheckConstraint("amount_yuan >= 0", name="ck_received_amount"),
        CheckConstraint("until IS NULL OR until >= since", name="ck_received_period"),
        # the gap lists ask "is this (household, rule, member) received on the run date?":
        # a covering index answers from the index alone
        Index("ix_received_household_rule", "household_id", "rule_id", "member_id", "since",
              "until"),
    )

    id: int | None = Field(default=None, primary_key=True)
    household_id: int = Field(foreign_key="households.id")
    county_code: str = Field(max_length=6)
    """The household's county (partition key, like every household-owned table)."""
    member_id: int | None = Field(default=None, foreign_key="members.id", index=True)
    """The member who receives it; empty for a household-level measure."""
    rule_id: str = Field(max_length=40)
    """The measure: a rule ID of the county's policy pack."""
    amount_yuan: Decimal | None = Field(default=None, sa_type=Money)
    """Amount per period as paid (yuan); empty for a service without money (e.g. 家庭医生签约)."""
    since: dt.date
    """First day the measure is received."""
    until: dt.date | None = None
    """Last day it was received; empty while it continues."""
    payer: str = Field(max_length=64)
    """发放部门 (paying department), e.g. 县教育局."""
    note: str | None = Field(default=None, max_length=200)
    created_by: str = Field(max_length=64)
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=UtcDateTime())


