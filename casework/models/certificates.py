"""Benefit certificates (享受扶贫政策证明 / 政策明白卡) and the background batches that print them.

A :class:`Certificate` is immutable once issued: it holds the document's content exactly as
printed (``casework.printing.CertificateContent.to_json()``) and a SHA-256 over it, so a reprint
shows the same thing and any later change to the row is detectable. Reissuing adds a newer
certificate for the same household and policy year; the older one stays and counts as
superseded from the newer one's issue time (derived, never written back), so the table is
append-only and carries no ``version``.

A :class:`CertificateBatch` is a print job for many households of one village, run in the
background; its state lives here so it survives the page being closed and a server restart (a
batch whose worker stops reporting is marked failed and can be restarted). The finished PDF is
kept in :class:`CertificateBatchPdf` (written once, never changed).
"""

import datetime as dt
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Index, LargeBinary
from sqlmodel import Field, SQLModel

from .base import UtcDateTime, Versioned, utcnow

__all__ = [
    "Certificate", "CertificateBatch", "CertificateBatchPdf", "BATCH_STATUSES", "BATCH_MODES",
]

BATCH_STATUSES = ("queued", "running", "done", "failed")
BATCH_MODES = ("issue", "reprint")


class Certificate(SQLModel, table=True):
    __tablename__ = "certificates"
    __table_args__ = (
        Index("ix_certificates_household_year", "household_id", "policy_year", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    serial: str = Field(max_length=24, unique=True, index=True)
    """证明编号, e.g. ``511922-2018-000042`` (county, policy year, sequence)."""
    household_id: int = Field(foreign_key="households.id")
    county_code: str = Field(max_length=6, index=True)
    """County of the household (partition key, like every household-owned table)."""
    household_number: str = Field(max_length=32)
    """户编号 at issue time."""
    policy_year: int
    """The policy year whose measures the certificate lists."""
    pack: str = Field(max_length=40)
    pack_version: str = Field(max_length=20)
    content: dict[str, Any] = Field(sa_type=JSON)
    """The document's content as issued (canonical JSON of ``CertificateContent``)."""
    content_hash: str = Field(max_length=64)
    """SHA-256 (hex) of the canonical JSON of serial, household, year, pack, issuer, issue time
    and content (``casework.certificates.codes.content_hash``)."""
    issued_by: str = Field(max_length=64)
    """Username of the issuer (``system:cli`` for an unnamed command-line issue)."""
    issued_by_name: str = Field(max_length=64)
    """The issuer's display name, printed on the certificate."""
    issued_at: dt.datetime = Field(default_factory=utcnow, sa_type=UtcDateTime())
    batch_id: int | None = Field(default=None, foreign_key="certificate_batches.id", index=True)
    """The batch that issued it, if any."""


class CertificateBatch(Versioned, table=True):
    __tablename__ = "certificate_batches"
    __table_args__ = (
        CheckConstraint("status IN ('queued','running','done','failed')",
                        name="ck_certificate_batches_status"),
        CheckConstraint("mode IN ('issue','reprint')", name="ck_certificate_batches_mode"),
        Index("ix_certificate_batches_village", "village_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    county_code: str = Field(max_length=6, index=True)
    village_id: int = Field(foreign_key="areas.id")
    policy_year: int
    mode: str = Field(max_length=8)
    """``issue`` (issue a new certificate for every household) or ``reprint`` (print the current
    ones; households without one are skipped)."""
    household_ids: list[int] = Field(sa_type=JSON)
    """The households to print, in print order."""
    requested_by: str = Field(max_length=64)
    requested_by_name: str = Field(max_length=64)
    status: str = Field(default="queued", max_length=8)
    total: int = 0
    """Steps of work: one per household, plus the rendering of the PDF."""
    done: int = 0
    """Steps finished so far."""
    phase: str = Field(default="", max_length=40)
    """What the worker is doing now, in Chinese (shown under the progress bar)."""
    message: str | None = Field(default=None, max_length=400)
    """Why it failed (Chinese), or a note on households skipped."""
    resume_of: int | None = Field(default=None, foreign_key="certificate_batches.id")
    """A restarted batch names the failed one; certificates the failed one already issued are
    printed again instead of being issued a second time."""
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UtcDateTime())
    worker: str = Field(default="", max_length=80)
    """The process running it (``host:pid:boot``), to tell a batch lost by a restart."""
    heartbeat_at: dt.datetime = Field(default_factory=utcnow, sa_type=UtcDateTime())
    """Last sign of life of the worker; a queued or running batch silent for long is lost."""
    finished_at: dt.datetime | None = Field(default=None, sa_type=UtcDateTime())
    pages: int | None = None
    certificates: int | None = None
    """How many certificates the PDF holds."""


class CertificateBatchPdf(SQLModel, table=True):
    """The finished PDF of a batch, stored in the database (so every app server can serve it)."""

    __tablename__ = "certificate_batch_pdfs"

    batch_id: int = Field(primary_key=True, foreign_key="certificate_batches.id")
    pdf: bytes = Field(sa_type=LargeBinary)
    size: int
    sha256: str = Field(max_length=64)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UtcDateTime())
