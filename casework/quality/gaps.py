"""Payment gaps: the engine's stored decisions (the county's current run) against the record of
what is received (:class:`casework.models.received_measures.ReceivedMeasure`).

* 应享未享 (``missed``): an eligible decision — household-level, or for a member — with no entry
  of the same measure for the same member received on the run's date. Left out: decisions per
  hospital stay (settled at discharge, not recorded as received) and loans paid by banks (a
  household may choose not to borrow; an unused loan is not a missed payment).
* 不应享而享 (``wrongly_paid``): an entry received on the run's date with no eligible (or
  still undecided ``missing_data``) decision of that measure for that member in the run — the
  record says it is paid, the household's record says it is not owed. Undecided ones are in the
  ``missing_data`` list instead.

Both are one set-based statement (NOT EXISTS over indexed columns) on SQLite and PostgreSQL.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import Select, and_, case, exists, func, or_, select
from sqlalchemy.orm import aliased

from ..exports import Column
from ..ids import mask_list
from ..models import DecisionRun, Household, Member, StoredDecision
from ..models.received_measures import ReceivedMeasure
from .base import Context, ListSpec, area_columns, in_area

__all__ = ["MISSED", "WRONGLY_PAID"]

_D = StoredDecision
_R = ReceivedMeasure


def _received_on_run_date(run_date: Any) -> Any:
    return and_(_R.since <= run_date, or_(_R.until.is_(None), _R.until >= run_date))  # type: ignore[union-attr]


def _missed(ctx: Context) -> Select[Any]:
    received = exists().where(
        _R.household_id == _D.household_id, _R.rule_id == _D.rule_id,
        or_(and_(_D.member_key.is_(None), _R.member_id.is_(None)),  # type: ignore[union-attr]
            _R.member_id == Member.id),
        _received_on_run_date(DecisionRun.on_date))
    stmt = (
        select(Household.id.label("household_id"), Household.number, _D.rule_id,
               _D.member_key.label("member_ref"), Member.name.label("member_name"), Member.id_number,
               _D.amount_yuan, _D.per,
               _D.annual_yuan, DecisionRun.on_date)
        .select_from(_D)
        .join(DecisionRun, DecisionRun.id == _D.run_id)
        .join(Household, Household.id == _D.household_id)
        .outerjoin(Member, and_(Member.household_id == _D.household_id,
                                Member.member_key == _D.member_key))
        # "+ 0": drive from the area's households (decisions by household) rather than the
        # whole run's index, which SQLite would otherwise pick (5x slower, random reads)
        .where((_D.run_id + 0).in_(ctx.run_ids), _D.status == "eligible",
               _D.episode.is_(None),  # type: ignore[union-attr]
               _D.payer != "bank",
               func.coalesce(_D.per, "") != "episode", Household.active, in_area(ctx),
               ~received)
    )
    return area_columns(stmt).order_by(Household.number, _D.rule_id, _D.member_key)


def _wrongly_paid(ctx: Context) -> Select[Any]:
    decided = aliased(StoredDecision)
    owed = exists().where(
        decided.household_id == _R.household_id, decided.run_id == DecisionRun.id,
        decided.rule_id == _R.rule_id, decided.status.in_(("eligible", "missing_data")),
        or_(and_(decided.member_key.is_(None), _R.member_id.is_(None)),  # type: ignore[union-attr]
            decided.member_key == Member.member_key))
    reason = case(
        (~Household.active, "该户已注销"),
        (and_(_R.member_id.is_not(None), ~func.coalesce(Member.active, True)), "享受成员已减少"),  # type: ignore[union-attr]
        else_="按现有档案不符合享受条件",
    )
    stmt = (
        select(Household.id.label("household_id"), Household.number, _R.rule_id,
               _R.member_id.label("member_ref"), Member.name.label("member_name"), Member.id_number,
               _R.amount_yuan, _R.since,
               _R.until, _R.payer, reason.label("reason"), DecisionRun.on_date)
        .select_from(_R)
        .join(Household, Household.id == _R.household_id)
        .join(DecisionRun, and_(DecisionRun.county_code == Household.county_code,
                                DecisionRun.id.in_(ctx.run_ids)))
        .outerjoin(Member, Member.id == _R.member_id)
        .where(in_area(ctx), _received_on_run_date(DecisionRun.on_date), ~owed)
    )
    return area_columns(stmt).order_by(Household.number, _R.rule_id, _R.id)


def _common(row: Any, ctx: Context) -> dict[str, object]:
    return {
        "household_id": row.household_id, "number": row.number,
        "township": row.township_name or "", "village": row.village_name,
        "rule_id": row.rule_id, "measure": ctx.title(row.rule_id),
        "member": (row.member_name or "（未登记姓名）") if row.member_ref is not None else "（全户）",
        "id_masked": mask_list(row.id_number), "on": row.on_date,
    }


def _missed_row(row: Any, ctx: Context) -> dict[str, object]:
    return {**_common(row, ctx), "amount": _money(row.amount_yuan),
            "annual": _money(row.annual_yuan)}


def _money(value: Decimal | None) -> Decimal | None:
    """A service without money (家庭医生签约 …) is stored as 0: shown empty, not as 0.00 元."""
    return value if value else None


def _wrong_row(row: Any, ctx: Context) -> dict[str, object]:
    return {**_common(row, ctx), "amount": row.amount_yuan, "since": row.since,
            "until": row.until, "payer": row.payer, "reason": row.reason}


_HEAD = (Column("number", "户编号"), Column("township", "乡镇"), Column("village", "村"),
         Column("rule_id", "政策编号"), Column("measure", "政策项目"), Column("member", "享受成员"),
         Column("id_masked", "身份证号"))

MISSED = ListSpec(
    "missed", "应享未享清单",
    "按当前测算应享受、但发放记录中没有的政策（不含按次结算的住院报销和银行贷款）。",
    (*_HEAD, Column("amount", "应享金额（元）"), Column("annual", "折合全年（元）"),
     Column("on", "测算基准日")),
    _missed, _missed_row,
)
WRONGLY_PAID = ListSpec(
    "wrongly_paid", "不应享而享清单",
    "发放记录显示正在享受、但按当前档案测算不符合条件的政策。",
    (*_HEAD, Column("amount", "发放金额（元）"), Column("since", "起始日期"),
     Column("until", "终止日期"), Column("payer", "发放部门"), Column("reason", "问题"),
     Column("on", "测算基准日")),
    _wrongly_paid, _wrong_row,
)
