"""Issuing a certificate: one unit of work that stores the content exactly as it will print.

The content is assembled first (``casework.printing.certificate_content``: the household record
and the rules engine for the policy year), then a unit of work locks the household, answers a
repeated submission key with the first result, numbers the certificate, stores it with its hash
and records the key. The unit of work audits the new row. A numbering collision with a
concurrent issue (PostgreSQL) is retried.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError

from casework.db import read_session
from .codes import KEY_PATTERN
from casework.models import Household, Submission, utcnow
from casework.models.certificates import Certificate
from casework.queries import Scoped
from casework.uow import UnitOfWork

from .codes import content_hash, format_serial
from .records import CertificateRecord, record_by_serial
from .scope import household_visible, may_issue

__all__ = [
    "Issuer", "Issued", "CertificateRefused", "NotAllowed", "HouseholdNotFound",
    "POLICY_YEARS", "DEFAULT_YEAR", "issue_certificate", "check_year", "build_content",
    "ISSUE_ACTION",
]

POLICY_YEARS = (2016, 2017, 2018, 2019, 2020)
"""Years the policy packs cover (巴中 2018 plans; 开州 13th five-year plan 2016–2020)."""
DEFAULT_YEAR = 2018
ISSUE_ACTION = "issue_certificate"
_ATTEMPTS = 5


class CertificateRefused(ValueError):
    """Bad input or a household that cannot get a certificate; says why in Chinese."""

    def __init__(self, field: str, message_zh: str) -> None:
        self.field, self.message_zh = field, message_zh
        super().__init__(f"{field}: {message_zh}")


class NotAllowed(PermissionError):
    """The user's role may not issue certificates."""


class HouseholdNotFound(LookupError):
    """No such household, or not in the user's area (answered the same way)."""


@dataclass(frozen=True)
class Issuer:
    """Who issues: the audit actor, the name printed on the certificate, and the area limit
    (``user`` None: the command line's system actor, no area limit)."""

    username: str
    display_name: str
    user: Scoped | None


@dataclass(frozen=True)
class Issued:
    certificate: CertificateRecord
    repeated: bool
    """The submission key had been used: nothing new was issued."""


def check_year(year: int | str | None) -> int:
    text = str(year if year is not None else "").strip()
    if not text.isdigit() or int(text) not in POLICY_YEARS:
        raise CertificateRefused("year", f"政策年度须为{POLICY_YEARS[0]}至{POLICY_YEARS[-1]}年之一")
    return int(text)


def build_content(engine: Engine, household_id: int, year: int) -> Any:
    """The certificate's content for the year (``CertificateContent``)."""
    from casework.printing.certificate import certificate_content

    try:
        return certificate_content(engine, household_id, year)
    except LookupError as problem:  # unknown household, county without a policy pack
        raise CertificateRefused("household", f"无法为该户生成证明：{problem}") from problem
    except ValueError as problem:  # a year the pack does not cover
        raise CertificateRefused("year", f"无法为该户生成{year}年度的证明：{problem}") from problem


def issue_certificate(
    engine: Engine, issuer: Issuer, household_id: int, year: int | str, *,
    key: str | None = None, batch_id: int | None = None, content: Any = None,
) -> Issued:
    """Issue a certificate (raises HouseholdNotFound, NotAllowed or CertificateRefused)."""
    policy_year = check_year(year)
    if key is not None and not KEY_PATTERN.fullmatch(key):
        raise CertificateRefused("key", "提交编号无效，请刷新页面后重试")
    with read_session(engine) as s:
        if not household_visible(s, issuer.user, household_id):
            raise HouseholdNotFound(household_id)
    if not may_issue(issuer.user):
        raise NotAllowed("role may not issue certificates")
    content = content if content is not None else build_content(engine, household_id, policy_year)
    for attempt in range(_ATTEMPTS):
        try:
            return _store(engine, issuer, household_id, policy_year, content, key, batch_id)
        except IntegrityError:
            if attempt == _ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _store(engine: Engine, issuer: Issuer, household_id: int, year: int, content: Any,
           key: str | None, batch_id: int | None) -> Issued:
    with UnitOfWork(issuer.username, engine) as uow:
        household = uow.get(Household, household_id)
        if key is not None and (first := uow.session.get(Submission, key)) is not None:
            return _repeat(engine, first, household_id)
        if not household.active:
            raise CertificateRefused("household", "本户已注销，不能签发证明")
        issued_at = utcnow()
        serial = _next_serial(uow, household.county_code, year)
        data = content.to_json()
        name = issuer.display_name[:64]
        row = Certificate(
            serial=serial, household_id=household_id, county_code=household.county_code,
            household_number=household.number, policy_year=year, pack=content.pack,
            pack_version=content.pack_version, content=data, issued_by=issuer.username,
            issued_by_name=name, issued_at=issued_at, batch_id=batch_id,
            content_hash=content_hash(
                serial=serial, household_id=household_id, household_number=household.number,
                policy_year=year, pack=content.pack, pack_version=content.pack_version,
                issued_by=issuer.username, issued_by_name=name, issued_at=issued_at,
                content=data))
        uow.add(row)
        if key is not None:
            uow.add(Submission(key=key, username=issuer.username, household_id=household_id,
                               action=ISSUE_ACTION, result_id=serial, at=issued_at))
        uow.commit()
    with read_session(engine) as s:
        record = record_by_serial(s, serial)
    assert record is not None
    return Issued(record, False)


def _next_serial(uow: UnitOfWork, county: str, year: int) -> str:
    prefix = format_serial(county, year, 0)[:-6]
    last = uow.session.scalar(select(func.max(Certificate.serial)).where(
        Certificate.serial.like(prefix + "%")))
    sequence = int(last[-6:]) + 1 if last else 1
    return format_serial(county, year, sequence)


def _repeat(engine: Engine, first: Submission, household_id: int) -> Issued:
    if first.action != ISSUE_ACTION or first.household_id != household_id or not first.result_id:
        raise CertificateRefused("key", "提交编号已用于其他操作，请刷新页面后重试")
    with read_session(engine) as s:
        record = record_by_serial(s, first.result_id)
    assert record is not None
    return Issued(record, True)

