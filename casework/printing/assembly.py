"""Assembling a household's certificate content from the registry and the rules engine.

**Which date the policy year is judged at** (:func:`evaluation_date`): when the county's current
recompute run was computed at a date inside the policy year, that date — the certificate then
shows exactly the figures the household page and the county's stored decisions show. Otherwise
the last day of the policy year (or today, when the year is still running): the whole year's
hospital stays count, ages are those reached in the year. A year before the pack's first dated
figures is refused (``ValueError``): the documents did not apply yet.

**Which decisions are shown**: every ``eligible`` decision of the household's pack (money,
entitlements such as the family-doctor contract, measures due such as a house renovation), one
line each, in the pack's rule order. Not shown: ``ineligible`` and ``missing_data`` decisions
(what the household does not, or not yet, get), and the two relocation *checks* whose status
means "the household is within a limit" (:data:`CHECKS`), which are conditions, not measures.
The yearly total is what the engine counts (``Result.total``): eligible, paid by government.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, selectinload

from rules.assessment import DIMENSIONS, Assessment
from rules.decision import ELIGIBLE, Decision, to_fen, yuan_text
from rules.engine import evaluate
from rules.pack import Pack
from rules.snapshot import Household as Snapshot

from casework.db import read_session
from casework.decision_view import pack_named
from casework.ids import mask_list
from casework.models import Area, DecisionRun, Household, Member
from casework.registry import to_snapshot

from .content import AssessmentLine, CertificateContent, CertificateMeasure, CertificateMember
from .vocabulary import (ASSESSMENT_ZH, CATEGORY_ZH, DIMENSION_ZH, PAYER_ZH, PER_ZH, RELATION_ZH,
                         SEX_ZH, UNRECORDED, VERDICT_ZH, word)

__all__ = ["certificate_content", "evaluation_date", "pack_start", "CHECKS"]

CHECKS = frozenset({"REL-BZ-01", "REL-BZ-02.self_funding"})
"""Rules whose ``eligible`` means "within the limit" (area per person, self-funding): not measures."""
_PER_MEMBER_DIMENSIONS = {"compulsory_education": "辍学", "basic_medical": "医保"}
"""Dimensions that give one reason per member (the word every such reason contains)."""


def evaluation_date(run_on: dt.date | None, year: int, today: dt.date) -> dt.date:
    """The date the policy ``year`` is judged at (see the module's docstring)."""
    if run_on is not None and run_on.year == year:
        return run_on
    return max(dt.date(year, 1, 1), min(dt.date(year, 12, 31), today))


def pack_start(pack: Pack) -> dt.date:
    """The first date any of the pack's parameters has a figure."""
    starts = [p.values[0][0] for p in pack.parameters.values() if p.values]
    return min(starts)


def certificate_content(engine: Engine, household_id: int, year: int, *,
                        today: dt.date | None = None) -> CertificateContent:
    """The certificate of ``household_id`` for policy ``year`` (raises LookupError for an unknown
    household or a county without a pack, ValueError for a year the pack does not cover)."""
    with read_session(engine) as s:
        household = s.scalars(select(Household).where(Household.id == household_id).options(
            selectinload(Household.members).selectinload(Member.hospital_stays))).first()
        if household is None:
            raise LookupError(f"没有编号为 {household_id} 的农户")
        village, township, county = _places(s, household.village_id)
        if not county.pack:
            raise LookupError(f"{county.name}未设定政策包")
        run_on = s.scalar(select(DecisionRun.on_date).where(
            DecisionRun.county_code == household.county_code, DecisionRun.status == "current"))
        pack = pack_named(county.pack)
        if dt.date(year, 12, 31) < pack_start(pack):
            raise ValueError(f"{pack.title}自{pack_start(pack):%Y年%m月%d日}起施行，"
                             f"不适用于{year}年度")
        on = evaluation_date(run_on, year, today or dt.date.today())
        snapshot = to_snapshot(household)
        number, cadre = household.number, household.pairing_cadre
    result = evaluate(snapshot, pack, on)
    members = _members(snapshot, on)
    names = {m.member_id: m.name or UNRECORDED for m in snapshot.members}
    measures = tuple(_measure(d, snapshot, names, year) for d in result.decisions
                     if d.status == ELIGIBLE and d.rule_id not in CHECKS)
    return CertificateContent(
        county_zh=county.name, township_zh=township.name, village_zh=village.name,
        household_number=number, head_name=_head_name(snapshot), members=members,
        measures=measures, total_annual_yuan=result.total,
        assessment=_assessment_lines(result.assessment, names),
        assessment_zh=word(ASSESSMENT_ZH, result.assessment.status),
        pairing_cadre=cadre or UNRECORDED, policy_year=year, pack=pack.name,
        pack_version=pack.version, pack_title_zh=pack.title, computed_on=on,
    )


def _places(session: Session, village_id: int) -> tuple[Area, Area, Area]:
    """The village, its township and its county."""
    village = session.get(Area, village_id)
    township = session.get(Area, village.parent_id) if village else None
    county = session.get(Area, township.parent_id) if township else None
    if village is None or township is None or county is None:
        raise LookupError("农户所在的村、乡镇或县未登记")
    return village, township, county


def _head_name(snapshot: Snapshot) -> str:
    heads = [m for m in snapshot.members if m.relation == "head"] or list(snapshot.members)
    return (heads[0].name or UNRECORDED) if heads else UNRECORDED


def _members(snapshot: Snapshot, on: dt.date) -> tuple[CertificateMember, ...]:
    return tuple(
        CertificateMember(
            name=m.name or UNRECORDED, relation_zh=word(RELATION_ZH, m.relation),
            id_masked=mask_list(m.id_number) or UNRECORDED, sex_zh=word(SEX_ZH, m.sex),
            age=m.age_on(on),
        )
        for m in snapshot.members
    )


def _measure(d: Decision, snapshot: Snapshot, names: dict[str, str],
             year: int) -> CertificateMeasure:
    return CertificateMeasure(
        rule_id=d.rule_id, measure_zh=d.title,
        member_name=names.get(d.member_id) if d.member_id else None,
        amount_yuan=None if d.amount_yuan is None else to_fen(d.amount_yuan),
        per_zh=word(PER_ZH, d.per),
        annual_yuan=None if d.annual_yuan is None else to_fen(d.annual_yuan),
        period_zh=_period_zh(d, snapshot, year), payer_zh=word(PAYER_ZH, d.payer),
        document_zh=d.citation.document, section_zh=d.citation.section,
        category_zh=word(CATEGORY_ZH, d.measure), in_total=d.payer == "government",
    )


def _period_zh(d: Decision, snapshot: Snapshot, year: int) -> str:
    """How the yearly figure arises, in words (no diagnosis, no hospital name)."""
    amount = d.amount_yuan or Decimal(0)
    if d.per == "month" and amount:
        return f"每月 {yuan_text(amount)} 元 × 12 个月"
    if d.per == "day" and amount:
        days = (d.annual_yuan or Decimal(0)) / amount
        return f"每天 {yuan_text(amount)} 元 × {days.normalize():f} 天"
    if d.per == "episode":
        admitted = _admitted_on(d, snapshot)
        return f"{admitted:%Y年%-m月}就医" if admitted else f"{year}年度就医"
    if d.per == "once":
        return f"{year}年度一次性"
    return f"{year}年度"


def _admitted_on(d: Decision, snapshot: Snapshot) -> dt.date | None:
    member = next((m for m in snapshot.members if m.member_id == d.member_id), None)
    if member is None or d.episode is None or d.episode >= len(member.hospital_stays):
        return None
    return member.hospital_stays[d.episode].admitted_on


def _assessment_lines(assessment: Assessment,
                      names: dict[str, str]) -> tuple[AssessmentLine, ...]:
    """One line per dimension with its own reasons. The engine lists reasons in dimension order,
    one for each failing or unknown dimension, except education and medical, which give one per
    member (each containing a known word); members are named instead of keyed."""
    reasons = [_named(r, names) for r in assessment.reasons]
    lines = []
    for dimension in DIMENSIONS:
        verdict = assessment.dimensions.get(dimension, "unknown")
        own: list[str] = []
        if verdict != "pass" and reasons:
            keyword = _PER_MEMBER_DIMENSIONS.get(dimension)
            own.append(reasons.pop(0))
            while keyword and reasons and keyword in reasons[0]:
                own.append(reasons.pop(0))
        lines.append(AssessmentLine(word(DIMENSION_ZH, dimension), word(VERDICT_ZH, verdict),
                                    "；".join(own)))
    return tuple(lines)


_MEMBER_REF = re.compile(r"成员 (\S+) ")


def _named(reason: str, names: dict[str, str]) -> str:
    return _MEMBER_REF.sub(lambda m: f"成员{names.get(m.group(1), m.group(1))}", reason)
