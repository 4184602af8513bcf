"""Reading certificates back: plain records with their standing (current or superseded).

Superseded is derived, never stored: a certificate is superseded from the moment a newer one
was issued for the same household and policy year (newer = larger id)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from casework.models.certificates import Certificate

from .codes import content_hash

__all__ = ["CertificateRecord", "records_of", "record_by_serial", "CHINA"]

CHINA = dt.timezone(dt.timedelta(hours=8), "CST")
"""Issue dates are printed in China Standard Time."""


@dataclass(frozen=True)
class CertificateRecord:
    id: int
    serial: str
    household_id: int
    county_code: str
    household_number: str
    policy_year: int
    pack: str
    pack_version: str
    content: dict[str, Any]
    content_hash: str
    issued_by: str
    issued_by_name: str
    issued_at: dt.datetime
    batch_id: int | None
    superseded_at: dt.datetime | None = None
    superseded_by: str | None = None

    @property
    def current(self) -> bool:
        return self.superseded_at is None

    @property
    def issued_on(self) -> dt.date:
        return self.issued_at.astimezone(CHINA).date()

    @property
    def superseded_on(self) -> dt.date | None:
        return self.superseded_at.astimezone(CHINA).date() if self.superseded_at else None

    @property
    def intact(self) -> bool:
        """The stored hash still matches the stored fields (nobody changed the row)."""
        return self.content_hash == content_hash(
            serial=self.serial, household_id=self.household_id,
            household_number=self.household_number, policy_year=self.policy_year,
            pack=self.pack, pack_version=self.pack_version, issued_by=self.issued_by,
            issued_by_name=self.issued_by_name, issued_at=self.issued_at, content=self.content)

    @property
    def total_annual_yuan(self) -> str:
        return str(self.content.get("total_annual_yuan", ""))


def _record(row: Certificate, newer: Certificate | None) -> CertificateRecord:
    return CertificateRecord(
        id=row.id or 0, serial=row.serial, household_id=row.household_id,
        county_code=row.county_code, household_number=row.household_number,
        policy_year=row.policy_year, pack=row.pack, pack_version=row.pack_version,
        content=dict(row.content), content_hash=row.content_hash, issued_by=row.issued_by,
        issued_by_name=row.issued_by_name, issued_at=row.issued_at, batch_id=row.batch_id,
        superseded_at=newer.issued_at if newer else None,
        superseded_by=newer.serial if newer else None,
    )


def _with_successor(session: Session, where: Any) -> list[CertificateRecord]:
    """Certificates matching ``where``, each with the next newer one of its household and year."""
    newer = aliased(Certificate)
    successor = (
        select(newer.id).where(
            newer.household_id == Certificate.household_id,
            newer.policy_year == Certificate.policy_year, newer.id > Certificate.id)
        .order_by(newer.id).limit(1).correlate(Certificate).scalar_subquery()
    )
    rows = session.execute(
        select(Certificate, successor).where(where).order_by(Certificate.id.desc())).all()
    later = {c.id: c for c in session.scalars(
        select(Certificate).where(Certificate.id.in_([s for _, s in rows if s])))}
    return [_record(row, later.get(next_id) if next_id else None) for row, next_id in rows]


def records_of(session: Session, household_id: int) -> list[CertificateRecord]:
    """A household's certificates, newest first."""
    return _with_successor(session, Certificate.household_id == household_id)


def record_by_serial(session: Session, serial: str) -> CertificateRecord | None:
    found = _with_successor(session, Certificate.serial == serial)
    return found[0] if found else None
