"""Spot checks (抽查): frozen sampling frames, drawn samples and the inspectors' visit results.

A **frame** is the list of a county's (or township's) active households as it stood when a sample
was drawn: household number, village, township and the stored 两不愁三保障 status. It is named by
``frame_key``, the SHA-256 of its canonical text (:mod:`casework.sampling.frame`), so the same
households in the same state always give the same key and the row is reused. A **sample** records
the seed and the design it was drawn with and the households drawn, in rank order per stratum, so
anyone can redraw it from the frame and the seed (:mod:`casework.sampling.draw`).

Frames, their members, samples and sample households are written once and never changed (no
``version``); a **visit** (the findings at one sampled household) is edited in place, so it is
versioned.
"""

import datetime as dt

from sqlalchemy import JSON, CheckConstraint, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from .base import UtcDateTime, Versioned, utcnow

__all__ = ["SampleFrame", "FrameMember", "Sample", "SampleHousehold", "Visit"]


class SampleFrame(SQLModel, table=True):
    """A frozen list of households (append-only)."""

    __tablename__ = "inspection_frames"

    id: int | None = Field(default=None, primary_key=True)
    frame_key: str = Field(max_length=64, unique=True, index=True)
    """SHA-256 (hex) of the frame's canonical text: its public identifier."""
    county_code: str = Field(max_length=6, index=True)
    area_code: str = Field(max_length=12)
    """The county or township whose households make up the frame."""
    households: int
    failing: int
    """Households whose stored assessment was ``fails`` when the frame was frozen."""
    created_by: str = Field(max_length=64)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UtcDateTime())


class FrameMember(SQLModel, table=True):
    """One household of a frame, as it stood (append-only)."""

    __tablename__ = "inspection_frame_members"
    __table_args__ = (
        UniqueConstraint("frame_id", "household_number", name="uq_frame_members_number"),
        CheckConstraint("status IN ('meets','unknown','fails','none')",
                        name="ck_frame_members_status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    frame_id: int = Field(foreign_key="inspection_frames.id", index=True)
    county_code: str = Field(max_length=6)
    household_id: int = Field(foreign_key="households.id", index=True)
    household_number: str = Field(max_length=32)
    village_code: str = Field(max_length=12)
    township_code: str = Field(max_length=12)
    status: str = Field(max_length=8)
    """Stored assessment status at freezing: meets / unknown / fails, or none (not assessed)."""


class Sample(SQLModel, table=True):
    """One draw from a frame (append-only): the seed and the design, so it can be redrawn."""

    __tablename__ = "inspection_samples"
    __table_args__ = (
        CheckConstraint("stratify IN ('village','township')", name="ck_samples_stratify"),
        Index("ix_inspection_samples_county_drawn", "county_code", "drawn_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    frame_id: int = Field(foreign_key="inspection_frames.id", index=True)
    county_code: str = Field(max_length=6)
    area_code: str = Field(max_length=12)
    seed: str = Field(max_length=64)
    stratify: str = Field(max_length=10)
    per_stratum: int | None = None
    """At least this many households per stratum (all of a smaller stratum)."""
    fraction: str | None = Field(default=None, max_length=12)
    """At least this fraction of each stratum, rounded up (decimal text, e.g. ``0.1``)."""
    overweight: str = Field(default="1", max_length=12)
    """Weight of a failing household in the draw (decimal text; 1 = equal chances)."""
    algorithm: str = Field(max_length=40)
    households: int
    """Households drawn."""
    drawn_by: str = Field(max_length=64)
    drawn_at: dt.datetime = Field(default_factory=utcnow, sa_type=UtcDateTime())


class SampleHousehold(SQLModel, table=True):
    """A household drawn into a sample (append-only), with the record it was drawn on."""

    __tablename__ = "inspection_sample_households"
    __table_args__ = (
        UniqueConstraint("sample_id", "household_id", name="uq_sample_households_household"),
    )

    id: int | None = Field(default=None, primary_key=True)
    sample_id: int = Field(foreign_key="inspection_samples.id", index=True)
    county_code: str = Field(max_length=6)
    household_id: int = Field(foreign_key="households.id", index=True)
    household_number: str = Field(max_length=32)
    stratum_code: str = Field(max_length=12)
    rank: int
    """1 for the stratum's first household in draw order."""
    recorded_status: str = Field(max_length=8)
    """Stored assessment status at the draw: meets / unknown / fails / none."""
    recorded: dict[str, str] = Field(default_factory=dict, sa_type=JSON)
    """Stored assessment per dimension at the draw (pass / fail / unknown): what a visit checks."""


class Visit(Versioned, table=True):
    """What an inspector found at a sampled household (one per sample and household)."""

    __tablename__ = "inspection_visits"
    __table_args__ = (
        UniqueConstraint("sample_id", "household_id", name="uq_visits_sample_household"),
    )

    id: int | None = Field(default=None, primary_key=True)
    sample_id: int = Field(foreign_key="inspection_samples.id", index=True)
    household_id: int = Field(foreign_key="households.id", index=True)
    county_code: str = Field(max_length=6, index=True)
    visited_on: dt.date
    visitor: str = Field(max_length=64)
    """Who visited (name, unit), as written on the form."""
    findings: dict[str, dict[str, str]] = Field(default_factory=dict, sa_type=JSON)
    """Per dimension: ``recorded`` (pass/fail/unknown/none), ``found`` (pass/fail/unverifiable)
    and ``note``."""
    recorded_by: str = Field(max_length=64)
    """The username that saved the visit last."""
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=UtcDateTime())
