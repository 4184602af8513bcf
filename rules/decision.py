"""Decisions: what one rule says about one candidate (a member, a hospital stay or the household).

Money is ``Decimal`` in yuan inside the engine and is rounded to the fen only when written out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal, Union

__all__ = [
    "Citation",
    "Decision",
    "ParamValue",
    "Status",
    "ELIGIBLE",
    "STATUS_CODES",
    "NOT_CANDIDATE",
    "UNDECIDED",
    "INELIGIBLE",
    "MISSING",
    "PERIODS",
    "PAYERS",
    "MONTHS_PER_YEAR",
    "FEN",
    "to_fen",
    "percent_text",
    "yuan_text",
]

Status = Literal["eligible", "ineligible", "missing_data"]
ELIGIBLE: Status = "eligible"
INELIGIBLE: Status = "ineligible"
MISSING: Status = "missing_data"

STATUS_CODES: dict[Status, int] = {ELIGIBLE: 0, INELIGIBLE: 1, MISSING: 2}
"""Status codes of the column path."""
NOT_CANDIDATE = -1
"""Column-path code for a row the rule did not consider."""
UNDECIDED = -2
"""Column-path code for a row no check has decided yet (internal)."""

PERIODS = ("year", "month", "day", "once", "episode")
PAYERS = ("government", "hospital", "bank")
MONTHS_PER_YEAR = 12
"""Calendar constant (not a policy number): a monthly amount counts twelve times in a policy year."""

FEN = Decimal("0.01")

ParamValue = Union[Decimal, bool, str]


def to_fen(amount: Decimal) -> Decimal:
    """Round to the fen, half up (the way cashiers round)."""
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def percent_text(rate: Decimal) -> str:
    """``0.05`` -> ``"5%"``."""
    return f"{(rate * 100).normalize():f}%"


def yuan_text(amount: Decimal) -> str:
    """``1250`` -> ``"1250"``, ``12.5`` -> ``"12.50"``: money in reasons read aloud."""
    q = to_fen(amount)
    return str(q.quantize(Decimal(1))) if q == q.to_integral_value() else f"{q:.2f}"


@dataclass(frozen=True, slots=True)
class Citation:
    """Where a rule or parameter comes from: document, section path, seed file and line(s)."""

    document: str
    section: str
    seed: str
    lines: str

    def as_json(self) -> dict[str, str]:
        return {"document": self.document, "section": self.section, "seed": self.seed,
                "lines": self.lines}


@dataclass(frozen=True, slots=True)
class Decision:
    """One rule's verdict on one candidate, with everything needed to explain it."""

    rule_id: str
    measure: str
    title: str
    member_id: str | None
    status: Status
    amount_yuan: Decimal | None
    per: str
    annual_yuan: Decimal | None
    payer: str
    reasons: tuple[str, ...]
    missing: tuple[str, ...]
    citation: Citation
    parameters: tuple[tuple[str, ParamValue], ...] = field(default=())
    """The parameters the decision used, with the values in force."""
    episode: int | None = None
    """Index of the hospital stay in ``members[i].hospital_stays`` for per-episode rules."""

    @property
    def catalog_id(self) -> str:
        """The catalog ID without a component suffix (``EDU-KZ-04.tuition`` -> ``EDU-KZ-04``)."""
        return self.rule_id.split(".", 1)[0]

    def pays(self) -> Decimal:
        """What this decision adds to the household's government totals for the policy year."""
        if self.status != ELIGIBLE or self.payer != "government" or self.annual_yuan is None:
            return Decimal(0)
        return to_fen(self.annual_yuan)
