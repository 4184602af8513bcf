"""The contract's output JSON (calc-v1) for a :class:`rules.engine.Result`."""

from __future__ import annotations

from decimal import Decimal, localcontext

from rules.decision import Decision, ParamValue, to_fen
from rules.engine import Result
from rules.params import DECIMAL_PRECISION

__all__ = ["result_json", "decision_json", "money"]


def money(amount: Decimal | None) -> float | None:
    """Rounded to the fen (half up) as a JSON number; never ``-0.0``."""
    if amount is None:
        return None
    with localcontext() as ctx:
        ctx.prec = DECIMAL_PRECISION
        return float(to_fen(amount)) + 0.0


def _param_json(value: ParamValue) -> object:
    return float(value) if isinstance(value, Decimal) else value


def decision_json(d: Decision) -> dict[str, object]:
    out: dict[str, object] = {
        "rule_id": d.rule_id, "measure": d.measure, "title": d.title, "member_id": d.member_id,
        "status": d.status, "amount_yuan": money(d.amount_yuan), "per": d.per,
        "annual_yuan": money(d.annual_yuan), "payer": d.payer, "reasons": list(d.reasons),
        "missing": list(d.missing), "citation": d.citation.as_json(),
        "parameters": {name: _param_json(v) for name, v in d.parameters},
    }
    if d.episode is not None:
        out["episode"] = d.episode
    return out


def result_json(result: Result) -> dict[str, object]:
    with localcontext() as ctx:
        ctx.prec = DECIMAL_PRECISION
        return _result_json(result)


def _result_json(result: Result) -> dict[str, object]:
    return {
        "household_id": result.household_id,
        "pack": result.pack,
        "pack_version": result.pack_version,
        "on": result.on.isoformat(),
        "decisions": [decision_json(d) for d in result.decisions],
        "totals": {"annual_yuan": money(result.total),
                   "by_measure": {k: money(v) for k, v in result.by_measure().items()}},
        "assessment": result.assessment.as_json(),
    }
