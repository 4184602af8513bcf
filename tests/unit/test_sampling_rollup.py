"""The discrepancy roll-up (casework.sampling.rollup) and its display (rate text)."""

from __future__ import annotations

from fractions import Fraction

from casework.sampling.rollup import VisitResult, is_discrepancy, roll_up
from rules.assessment import DIMENSIONS


def _visit(township: str, **found: tuple[str, str]) -> VisitResult:
    findings = {d: {"recorded": "pass", "found": "pass"} for d in DIMENSIONS}
    for dim, (recorded, seen) in found.items():
        findings[dim] = {"recorded": recorded, "found": seen}
    return VisitResult(township, findings)


def test_discrepancy_definition() -> None:
    assert is_discrepancy({"recorded": "pass", "found": "fail"})
    assert is_discrepancy({"recorded": "unknown", "found": "pass"})
    assert is_discrepancy({"recorded": "none", "found": "fail"})
    assert not is_discrepancy({"recorded": "fail", "found": "fail"})
    assert not is_discrepancy({"recorded": "pass", "found": "unverifiable"})


def test_rates_per_dimension_and_township() -> None:
    result = roll_up([
        _visit("T1"),
        _visit("T1", housing=("pass", "fail"), income=("fail", "unverifiable")),
        _visit("T2", housing=("fail", "fail"), drinking_water=("unknown", "pass")),
        _visit("T2", housing=("pass", "unverifiable")),
    ])
    by_dim = {d.dimension: d for d in result.dimensions}
    assert (by_dim["housing"].checked, by_dim["housing"].discrepancies,
            by_dim["housing"].unverifiable) == (3, 1, 1)
    assert by_dim["housing"].rate == Fraction(1, 3)
    assert by_dim["income"].rate == Fraction(0, 3) and by_dim["income"].unverifiable == 1
    assert by_dim["drinking_water"].rate == Fraction(1, 4)
    assert [(t.code, t.visited, t.discrepant) for t in result.townships] == [
        ("T1", 2, 1), ("T2", 2, 1)]
    assert (result.total.visited, result.total.discrepant) == (4, 2)
    assert result.total.rate == Fraction(1, 2)


def test_no_visits_no_rates() -> None:
    result = roll_up([])
    assert all(d.rate is None for d in result.dimensions)
    assert result.townships == () and result.total.rate is None


def test_rate_text_rounds_to_a_tenth_of_a_percent() -> None:
    from web.inspector.sampling_view import rate_text

    assert rate_text(None) == "—"
    assert rate_text(Fraction(1, 3)) == "33.3%"
    assert rate_text(Fraction(2, 3)) == "66.7%"
    assert rate_text(Fraction(1, 8)) == "12.5%"
    assert rate_text(Fraction(1, 16)) == "6.3%"  # 6.25: half up, not to even
    assert rate_text(Fraction(0)) == "0.0%" and rate_text(Fraction(1)) == "100.0%"
