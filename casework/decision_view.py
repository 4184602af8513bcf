"""What the household page shows of the rules: the stored decisions and assessment of the
county's current recompute run, with each decision's title, citation and plain-Chinese reasons.

Stored rows are compact (rule, member, status, amounts); the words come from evaluating the same
household again with the run's pack at the run's date (the single path, which a test holds equal
to the column path that computed the stored amounts). The "why not" list — ineligible decisions,
which recompute does not store — comes from that evaluation too. When the household was edited
after the run, or the pack changed since, the page says the figures await recomputation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from sqlalchemy import Engine, and_, select

from rules.decision import INELIGIBLE, Citation, Decision
from rules.engine import evaluate
from rules.pack import Pack, load_pack, local_params_from_env

from .contract import subject_zh
from .db import read_session
from .models import DecisionRun, Household, StoredAssessment, StoredDecision
from .registry import to_snapshot

__all__ = ["DecisionLine", "HouseholdDecisions", "household_decisions", "pack_named"]


@dataclass(frozen=True)
class DecisionLine:
    rule_id: str
    title: str
    member_key: str | None
    member_name: str | None
    status: str
    amount_yuan: Decimal | None
    per: str | None
    annual_yuan: Decimal | None
    payer: str
    reasons: tuple[str, ...]
    missing: tuple[str, ...]
    """Missing inputs named for people (``第2位成员的就读学段``, ``参数 poverty_line_yuan``)."""
    citation: Citation | None


@dataclass(frozen=True)
class HouseholdDecisions:
    pack: str
    pack_version: str
    on: dt.date
    computed_at: dt.datetime | None
    stale: bool
    """The household changed after its figures were computed (or the pack did): they await
    recomputation."""
    eligible: tuple[DecisionLine, ...]
    missing: tuple[DecisionLine, ...]
    ineligible: tuple[DecisionLine, ...]
    total_annual_yuan: Decimal | None
    assessment_status: str | None
    dimensions: dict[str, str]
    assessment_reasons: tuple[str, ...]


@lru_cache(maxsize=8)
def pack_named(name: str) -> Pack:
    """A pack with the deployment's local parameters, loaded once per process."""
    return load_pack(name, local_params=local_params_from_env())


def household_decisions(engine: Engine, household: Household) -> HouseholdDecisions | None:
    """The current run's decisions for ``household`` (loaded with members and stays), or None
    when its county has not been computed yet."""
    with read_session(engine) as s:
        found = s.execute(
            select(DecisionRun, StoredAssessment)
            .outerjoin(StoredAssessment, and_(StoredAssessment.run_id == DecisionRun.id,
                                              StoredAssessment.household_id == household.id))
            .where(DecisionRun.county_code == household.county_code,
                   DecisionRun.status == "current")).first()
        if found is None:
            return None
        run, assessment = found
        stored = s.scalars(select(StoredDecision).where(
            StoredDecision.run_id == run.id, StoredDecision.household_id == household.id)
            .order_by(StoredDecision.id)).all()
    pack = pack_named(run.pack)
    live = _live_decisions(pack, household, run.on_date)
    names = {m.member_key: m.name for m in household.members}
    lines = [_line(d, live.get(_key(d.rule_id, d.member_key, d.episode)), names, pack)
             for d in stored]
    why_not = [_live_line(d, names) for d in live.values() if d.status == INELIGIBLE]
    computed_at = assessment.computed_at if assessment else None
    stale = (pack.version != run.pack_version or computed_at is None
             or household.updated_at > computed_at)
    return HouseholdDecisions(
        pack=run.pack, pack_version=run.pack_version, on=run.on_date,
        computed_at=computed_at, stale=stale,
        eligible=tuple(x for x in lines if x.status == "eligible"),
        missing=tuple(x for x in lines if x.status == "missing_data"),
        ineligible=tuple(why_not),
        total_annual_yuan=assessment.total_annual_yuan if assessment else None,
        assessment_status=assessment.status if assessment else None,
        dimensions=dict(assessment.dimensions) if assessment else {},
        assessment_reasons=tuple(assessment.reasons) if assessment else (),
    )


Key = tuple[str, str | None, int | None]


def _key(rule_id: str, member_key: str | None, episode: int | None) -> Key:
    return rule_id, member_key, episode


def _live_decisions(pack: Pack, household: Household, on: dt.date) -> dict[Key, Decision]:
    result = evaluate(to_snapshot(household), pack, on)
    return {_key(d.rule_id, d.member_id, d.episode): d for d in result.decisions}


def _line(stored: StoredDecision, live: Decision | None, names: dict[str, str | None],
          pack: Pack) -> DecisionLine:
    """A stored decision in words; the live reasons are used only when live and stored agree."""
    agrees = live is not None and live.status == stored.status and _same_money(
        live.annual_yuan, stored.annual_yuan)
    rule = next((r for r in pack.rules if r.id == stored.rule_id), None)
    return DecisionLine(
        rule_id=stored.rule_id,
        title=live.title if live else (rule.title if rule else stored.rule_id),
        member_key=stored.member_key, member_name=names.get(stored.member_key or ""),
        status=stored.status, amount_yuan=stored.amount_yuan, per=stored.per,
        annual_yuan=stored.annual_yuan, payer=stored.payer,
        reasons=live.reasons if agrees and live else (),
        missing=tuple(_missing_zh(m) for m in (stored.missing or ())),
        citation=live.citation if live else (rule.citation if rule else None),
    )


def _live_line(d: Decision, names: dict[str, str | None]) -> DecisionLine:
    return DecisionLine(
        rule_id=d.rule_id, title=d.title, member_key=d.member_id,
        member_name=names.get(d.member_id or ""), status=d.status, amount_yuan=d.amount_yuan,
        per=d.per, annual_yuan=d.annual_yuan, payer=d.payer, reasons=d.reasons,
        missing=tuple(_missing_zh(m) for m in d.missing), citation=d.citation,
    )


def _same_money(live: Decimal | None, stored: Decimal | None) -> bool:
    if live is None or stored is None:
        return live is None and stored is None
    return abs(live - stored) < Decimal("0.005")


def _missing_zh(name: str) -> str:
    if name.startswith("param:"):
        return f"未设定的政策参数 {name[len('param:'):]}"
    return subject_zh(name)
