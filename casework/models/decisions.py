"""Stored decisions: what the rules engine decided for each household at a recompute.

A stored decision is compact — rule, member, status, amounts, payer — because a county holds
millions of them; the rule's title and citation come from the pack (``run.pack``,
``run.pack_version``), and the plain-Chinese reasons from evaluating that one household again
(the single path, which a test holds equal to the column path that computed the stored amounts).

A recompute writes a new :class:`DecisionRun` per county with its decisions and assessments, then
makes it the county's current run in one short transaction (the previous run's rows are removed in
the same transaction), so readers always see one complete set. Rows are never edited, only
replaced by a newer run, so they carry no ``version``.
"""

import datetime as dt
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, Index
from sqlmodel import Field, SQLModel

from .base import Money, UtcDateTime, utcnow

__all__ = ["DecisionRun", "StoredDecision", "StoredAssessment", "RUN_STATUSES"]

RUN_STATUSES = ("running", "current", "superseded", "failed")


class DecisionRun(SQLModel, table=True):
    __tablename__ = "decision_runs"
    __table_args__ = (
        CheckConstraint(
            "status IN ('running','current','superseded','failed')", name="ck_runs_status"
        ),
        Index("ix_decision_runs_county_status", "county_code", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    county_code: str = Field(max_length=6)
    pack: str = Field(max_length=40)
    pack_version: str = Field(max_length=20)
    on_date: dt.date
    """The date the households were judged at."""
    actor: str = Field(max_length=64)
    status: str = Field(default="running", max_length=12)
    started_at: dt.datetime = Field(default_factory=utcnow, sa_type=UtcDateTime())
    finished_at: dt.datetime | None = Field(default=None, sa_type=UtcDateTime())
    households: int = 0
    decisions: int = 0


class StoredDecision(SQLModel, table=True):
    __tablename__ = "decisions"
    __table_args__ = (Index("ix_decisions_run_rule_status", "run_id", "rule_id", "status"),)

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="decision_runs.id")
    household_id: int = Field(foreign_key="households.id")
    county_code: str = Field(max_length=6)
    rule_id: str = Field(max_length=40)
    """Catalog ID, optionally ``.component`` (contract calc-v1)."""
    measure: str = Field(max_length=20)
    member_key: str | None = Field(default=None, max_length=32)
    episode: int | None = None
    """For per-stay rules: the index of the hospital stay in the member's stays."""
    status: str = Field(max_length=12)
    amount_yuan: Decimal | None = Field(default=None, sa_type=Money)
    per: str | None = Field(default=None, max_length=8)
    annual_yuan: Decimal | None = Field(default=None, sa_type=Money)
    payer: str = Field(max_length=12)
    missing: list[str] | None = Field(default=None, sa_type=JSON(none_as_null=True))
    """For ``missing_data``: the JSON paths and ``param:`` names that are missing."""


class StoredAssessment(SQLModel, table=True):
    """The 两不愁三保障 assessment of one household at a run."""

    __tablename__ = "assessments"
    __table_args__ = (
        # the inspector's lists of households meeting / failing / unknown: covering, so
        # counting a county's failing households never reads the rows
        Index("ix_assessments_run_status", "run_id", "status", "household_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="decision_runs.id", index=True)
    household_id: int = Field(foreign_key="households.id", index=True)
    county_code: str = Field(max_length=6, index=True)
    status: str = Field(max_length=8)
    """meets / unknown / fails."""
    dimensions: dict[str, str] = Field(default_factory=dict, sa_type=JSON)
    reasons: list[str] = Field(default_factory=list, sa_type=JSON)
    total_annual_yuan: Decimal | None = Field(default=None, sa_type=Money)
    """What the household receives from government in the policy year (eligible decisions)."""
    computed_at: dt.datetime | None = Field(default=None, sa_type=UtcDateTime())
    """When the household's record was read for this result; the figures are stale when the
    household was updated after it."""
    # The dimensions again, one column each (``pass`` / ``fail`` / ``unknown``), so the
    # inspector's dashboards and lists group and filter without reading JSON.
    food_clothing: str | None = Field(default=None, max_length=8)
    compulsory_education: str | None = Field(default=None, max_length=8)
    basic_medical: str | None = Field(default=None, max_length=8)
    housing: str | None = Field(default=None, max_length=8)
    drinking_water: str | None = Field(default=None, max_length=8)
    income: str | None = Field(default=None, max_length=8)


Index("ix_decisions_household_rule", StoredDecision.household_id, StoredDecision.rule_id,
      StoredDecision.run_id, StoredDecision.status, StoredDecision.member_key)
"""A household's decisions (the household page, a save's refresh) and, for 不应享而享, "is there
an eligible (or undecided) decision of this rule for this household and member in the run?",
answered from the index alone (county-wide list on SQLite at 100,000 households: 10.4 s → 2.2 s).
Created by migration 0008; the plain household index it replaced is dropped by 0011."""


Index("ix_assessments_household_run", StoredAssessment.household_id, StoredAssessment.run_id,
      unique=True)
"""A household's assessment of a run: without it SQLite answers ``run_id = ? AND household_id
= ?`` through the run index and reads the whole county's run (~40 ms at 100,000 households), on
every household page and, worse, inside every save's write transaction."""
