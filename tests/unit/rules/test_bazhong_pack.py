"""Bazhong pack (bazhong-2018): the seed's figures are the parameter values, the open parameters
are exactly the ones the document leaves open, every reading is documented, and every citation
points into the seed (policy review against 000_99b381a438ae79d6.txt)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest

from rules.introspect import parameters_of
from rules.pack import Pack, load_pack

PACK = "bazhong-2018"
DOCUMENT = "巴委办〔2018〕11号"
SEED = "000_99b381a438ae79d6.txt"
SEED_LINES = 2152
ROOT = Path(__file__).resolve().parents[3]
DEMO_LOCAL = ROOT / "casework" / "demo" / "local-params.yaml"
# The document's figures (seed lines in comments) as the pack must carry them.
WORKED = {
    "preschool_fee_reduction_yuan": "1000",           # L1192
    "boarding_allowance_primary_yuan": "1000",        # L1196
    "boarding_allowance_junior_yuan": "1250",         # L1196
    "senior_bursary_yuan": "2000",                    # L1200
    "vocational_bursary_yuan": "2000",                # L1206
    "special_aid_tuition_yuan": "2000",               # L1214
    "special_aid_living_yuan": "2000",                # L1214
    "special_aid_first_cohort_year": "2016",          # L1214
    "vocational_living_allowance_yuan": "1000",       # L1214
    "in_policy_reimbursement_rate": "1",              # L1330-1331 全额报销
    "patient_share_cap_rate": "0.1",                  # L1331-1332
    "critical_illness_payment_ratio_min": "0.5",      # L1336
    "ooc_cap_rate_county": "0.05",                    # L1352
    "ooc_cap_rate_city": "0.1",                       # L1352
    "care_allowance_grade1_monthly_yuan": "80",       # L978
    "care_allowance_grade2_monthly_yuan": "50",       # L978
    "hardship_disability_allowance_monthly_yuan": "80",  # L980
    "pension_premium_yuan": "100",                    # L986
    "relocation_area_cap_m2_per_person": "25",        # L1112
    "relocation_subsidy_min_rate": "0.7",             # L1128
    "relocation_self_funding_cap_yuan": "10000",      # L1128 1万元
}
OPEN = {"poverty_line_yuan", "dibao_standard_yuan", "medical_premium_lowest_tier_yuan",
        "private_kindergarten_reference_fee_yuan", "home_area_student_loan_cap_yuan",
        "pension_contribution_min_age", "resident_pension_age"}


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack(PACK)


def test_the_documents_figures_are_the_parameter_values(pack: Pack) -> None:
    view = pack.view(dt.date(2018, 9, 1))
    for name, figure in WORKED.items():
        assert view.number(name).normalize() == Decimal(figure).normalize(), name


def test_every_numeric_value_of_the_pack_is_one_of_the_documents_figures(pack: Pack) -> None:
    numeric = {n for n, p in pack.parameters.items() if p.type == "number" and not p.open}
    assert numeric == set(WORKED)


def test_open_parameters_are_the_ones_the_document_leaves_open(pack: Pack) -> None:
    assert {p.name for p in pack.parameters.values() if p.open} == OPEN


def test_every_reading_and_open_parameter_is_documented(pack: Pack) -> None:
    for p in pack.parameters.values():
        if p.type in ("choice", "bool") or p.open:
            assert p.note and len(p.note) > 20, p.name


def test_every_citation_points_into_the_seed(pack: Pack) -> None:
    citations = [r.citation for r in pack.rules] + [p.citation for p in pack.parameters.values()]
    for c in citations:
        assert (c.document, c.seed) == (DOCUMENT, SEED), c
        numbers = [int(n) for n in re.findall(r"\d+", c.lines)]
        assert numbers and all(1 <= n <= SEED_LINES for n in numbers), c


def test_every_parameter_is_read_by_a_rule_or_the_assessment(pack: Pack) -> None:
    used = {n for r in pack.rules for n in parameters_of(r)} | {"poverty_line_yuan"}
    assert set(pack.parameters) == used


def test_demo_values_for_bazhong_are_labelled_as_demonstration() -> None:
    local = load_pack(PACK, local_params=DEMO_LOCAL)
    supplied = [n for n, p in local.parameters.items() if p.source == "local"]
    assert OPEN <= set(supplied)
    for name in supplied:
        assert (local.parameters[name].reference or "").startswith("演示数值（非政策）"), name
