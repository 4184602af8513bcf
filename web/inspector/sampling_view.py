"""What the sample templates are given: the page's rows and the roll-up in plain words."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from casework.queries import Account
from casework.sampling.queries import SamplePage
from casework.sampling.tables import FOUND_ZH, STATUS_ZH, VERDICT_ZH
from casework.sampling.visits import DIMENSION_ZH

__all__ = ["sample_context", "design_text", "rate_text", "STRATIFY_ZH"]

STRATIFY_ZH = {"village": "按村分层", "township": "按乡镇分层"}


def rate_text(rate: Fraction | None) -> str:
    """``Fraction(1, 8)`` → ``12.5%``; no denominator → ``—``."""
    if rate is None:
        return "—"
    tenths = math.floor(rate * 1000 + Fraction(1, 2))  # half up
    return f"{tenths // 10}.{tenths % 10}%"


def design_text(stratify: str, per_stratum: int | None, fraction: str | None,
                overweight: str) -> str:
    parts = [STRATIFY_ZH.get(stratify, stratify)]
    if per_stratum is not None:
        parts.append(f"每层至少{per_stratum}户")
    if fraction is not None:
        parts.append(f"每层至少{rate_text(Fraction(fraction))}（向上取整）")
    parts.append("不加权" if overweight == "1" else f"未达标户权重 {overweight}")
    return "，".join(parts)


def sample_context(account: Account, page: SamplePage) -> dict[str, Any]:
    sample, rollup = page.sample, page.rollup
    dimensions = [{"code": d.dimension, "label": DIMENSION_ZH[d.dimension],
                   "checked": d.checked, "discrepancies": d.discrepancies,
                   "unverifiable": d.unverifiable, "rate": rate_text(d.rate)}
                  for d in rollup.dimensions]
    townships = [{"code": t.code, "name": page.names.get(t.code, t.code), "visited": t.visited,
                  "discrepant": t.discrepant, "rate": rate_text(t.rate)}
                 for t in rollup.townships]
    households = page.households
    return {
        "account": account, "page": page, "sample": sample, "frame": page.frame,
        "design": design_text(sample.stratify, sample.per_stratum, sample.fraction,
                              sample.overweight),
        "dimensions": dimensions, "townships": townships,
        "total": {"visited": rollup.total.visited, "discrepant": rollup.total.discrepant,
                  "rate": rate_text(rollup.total.rate)},
        "sampled": len(households),
        "dimension_names": DIMENSION_ZH, "status_zh": STATUS_ZH, "verdict_zh": VERDICT_ZH,
        "found_zh": FOUND_ZH,
    }
