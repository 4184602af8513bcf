"""Kaizhou pack (kaizhou-2016-2020): its parameters' provenance, the rule list against the catalog
IDs, the open parameters and the demo file, and the pack through ``casework calc``."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from casework.commands.calc import command
from casework.contract import parse_household
from casework.ids import check_character
from rules.engine import evaluate
from rules.introspect import parameters_of
from rules.output import result_json
from rules.pack import Pack, load_pack

PACK = "kaizhou-2016-2020"
ROOT = Path(__file__).resolve().parents[3]
DEMO_LOCAL = ROOT / "casework" / "demo" / "local-params.yaml"
DOCUMENT = "开州区“十三五”脱贫攻坚规划"
SEED = "003_1b241415224f956a.txt"
SEED_LINES = 350
IMPLEMENTED = {
    "EDU-KZ-01.fee", "EDU-KZ-01.living", "EDU-KZ-02", "EDU-KZ-03", "EDU-KZ-04.tuition",
    "EDU-KZ-04.textbooks", "EDU-KZ-04.bursary", "EDU-KZ-05.tuition", "EDU-KZ-05.lodging",
    "EDU-KZ-05.textbooks", "EDU-KZ-05.bursary", "EDU-KZ-06.new_entrant", "EDU-KZ-06.loan",
    "EDU-KZ-06.living", "EDU-KZ-07", "MED-KZ-01", "MED-KZ-02", "MED-KZ-03", "MED-KZ-04",
    "MED-KZ-09", "SOC-KZ-07", "SOC-KZ-08", "REL-KZ-01", "REL-KZ-05", "REL-KZ-06", "HOU-KZ-01",
    "FIN-KZ-01"}
# The plan's figures (seed L191, L209, L159, L260) as the pack must carry them.
WORKED = {
    "preschool_fee_aid_yuan": "1500", "preschool_living_aid_yuan": "660",
    "boarding_allowance_primary_yuan": "1000", "boarding_allowance_junior_yuan": "1250",
    "day_allowance_primary_yuan": "6", "day_allowance_junior_yuan": "7",
    "senior_tuition_key_yuan": "1600", "senior_tuition_ordinary_yuan": "800",
    "senior_textbook_yuan": "400", "senior_bursary_yuan": "3000", "vocational_tuition_yuan": "2000",
    "vocational_lodging_yuan": "500", "vocational_bursary_yuan": "3000",
    "college_new_entrant_grant_yuan": "5000", "college_loan_cap_low_yuan": "16000",
    "college_loan_cap_yuan": "20000", "college_living_allowance_yuan": "6000",
    "nutrition_daily_yuan": "4.6", "inpatient_rate_uplift": "0.1",
    "inpatient_deductible_cut_rate": "0.5", "critical_illness_rate_uplift": "0.1",
    "critical_illness_rate_poor": "0.5", "critical_illness_deductible_cut_rate": "0.5",
    "critical_illness_band_top_yuan": "100000", "startup_loan_cap_yuan": "100000",
    "startup_loan_term_years_max": "3", "startup_loan_interest_subsidy_rate": "1",
    "resident_pension_age": "60"}


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack(PACK)


def test_rules_are_exactly_the_implemented_catalog_ids(pack: Pack) -> None:
    assert {r.id for r in pack.rules} == IMPLEMENTED
    for rule in pack.rules:
        assert re.fullmatch(r"(EDU|MED|SOC|REL|HOU|FIN)-KZ-\d\d(\.[a-z_]+)?", rule.id)
        assert (rule.citation.document, rule.citation.seed) == (DOCUMENT, SEED)


def test_every_citation_points_into_the_seed(pack: Pack) -> None:
    citations = [r.citation for r in pack.rules] + [p.citation for p in pack.parameters.values()]
    for c in citations:
        assert (c.document, c.seed) == (DOCUMENT, SEED), c
        numbers = [int(n) for n in re.findall(r"\d+", c.lines)]
        assert numbers and all(1 <= n <= SEED_LINES for n in numbers), c


def test_the_plans_figures_are_the_parameter_values(pack: Pack) -> None:
    view = pack.view(dt.date(2018, 9, 1))
    for name, figure in WORKED.items():
        assert view.number(name).normalize() == type(view.number(name))(figure).normalize(), name


def test_open_parameters_are_the_ones_the_plan_leaves_open(pack: Pack) -> None:
    open_names = {p.name for p in pack.parameters.values() if p.open}
    assert open_names == {
        "poverty_line_yuan", "vocational_textbook_yuan", "critical_illness_deductible_yuan",
        "emergency_fund_rate", "pension_contribution_min_age", "pension_premium_paid_for_poor_yuan",
        *(f"inpatient_base_rate_{lv}" for lv in ("township", "county", "city", "provincial")),
        *(f"inpatient_deductible_{lv}_yuan" for lv in ("township", "county", "city", "provincial"))}
    pension = pack.parameters["resident_pension_min_monthly_yuan"]
    assert pension.at(dt.date(2019, 12, 31)) is None  # the 95 元 floor is the 2020 target
    assert str(pension.at(dt.date(2020, 1, 1))) == "95"


def test_every_parameter_is_read_by_a_rule_or_the_assessment(pack: Pack) -> None:
    used = {n for r in pack.rules for n in parameters_of(r)} | {"poverty_line_yuan"}
    assert set(pack.parameters) == used


def test_every_ambiguous_reading_is_documented(pack: Pack) -> None:
    for p in pack.parameters.values():
        if p.type == "choice" or p.open:
            assert p.note and len(p.note) > 20, p.name


def test_demo_values_for_kaizhou_are_labelled_as_demonstration() -> None:
    local = load_pack(PACK, local_params=DEMO_LOCAL)
    base = load_pack(PACK)
    supplied = [n for n, p in local.parameters.items() if p.source == "local"]
    assert {n for n, p in base.parameters.items() if p.open} <= set(supplied)
    for name in supplied:
        assert (local.parameters[name].reference or "").startswith("演示数值（非政策）"), name


# -- through the contract parser and the CLI -------------------------------------------------

def resident_id(first17: str) -> str:
    return first17 + check_character(first17)


def family() -> dict:
    """A Kaizhou (500234) registered-poor family: grandfather 68, three grandchildren."""
    return {"household_id": "500234-0001", "registered_poor": True, "dibao": False,
            "tekun": False, "members": [
                {"member_id": "m1", "id_number": resident_id("50023419500302123"),
                 "relation": "head", "pension_insured": True, "labor": "weak",
                 "employment": "self_employed"},
                {"member_id": "m2", "id_number": resident_id("50023420100302124"),
                 "relation": "grandchild", "labor": "none", "employment": "none",
                 "school": {"stage": "primary", "boarding": False, "school_days": 180}},
                {"member_id": "m3", "id_number": resident_id("50023420050302125"),
                 "relation": "grandchild", "labor": "none", "employment": "none",
                 "school": {"stage": "junior", "boarding": True, "school_days": 190}}]}


def calc(args: list[str], doc: object, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(command, args, input=json.dumps(doc).encode("utf-8"),
                              env={"CASEWORK_LOCAL_PARAMS": "", **(env or {})})


def annual(out: dict, rule_id: str, member_id: str | None) -> object:
    found = [d for d in out["decisions"]
             if d["rule_id"] == rule_id and d["member_id"] == member_id]
    assert len(found) == 1, (rule_id, member_id)
    return found[0]["status"], found[0]["annual_yuan"]


def test_calc_gives_the_worked_education_figures() -> None:
    result = calc(["--pack", PACK, "--on", "2018-09-01", "-"], family())
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert (out["pack"], out["pack_version"]) == (PACK, "2016.1")
    assert annual(out, "EDU-KZ-03", "m2") == ("eligible", 1080.0)  # 6 元 × 180 天
    assert annual(out, "EDU-KZ-02", "m3") == ("eligible", 1250.0)
    assert annual(out, "EDU-KZ-07", "m2") == ("eligible", 828.0)  # 4.6 元 × 180 天
    assert annual(out, "SOC-KZ-07", "m1") == ("missing_data", None)  # 95 元 is the 2020 figure
    assert annual(out, "FIN-KZ-01", "m1") == ("eligible", 100000.0)
    assert out["totals"]["annual_yuan"] == 1080.0 + 1250.0 + 828.0 + 874.0


def test_calc_set_supplies_an_open_parameter_and_refuses_an_unknown_one() -> None:
    args = ["--pack", PACK, "--on", "2018-09-01"]
    result = calc([*args, "--set", "resident_pension_min_monthly_yuan=90", "-"], family())
    assert annual(json.loads(result.stdout), "SOC-KZ-07", "m1") == ("eligible", 1080.0)
    bad = calc([*args, "--set", "boarding_allowance_senior_yuan=1", "-"], family())
    assert bad.exit_code == 3 and bad.stdout == ""


def test_calc_with_the_demo_file_completes_the_pension_decisions() -> None:
    result = calc(["--pack", PACK, "--on", "2018-09-01", "-"], family(),
                  env={"CASEWORK_LOCAL_PARAMS": str(DEMO_LOCAL)})
    out = json.loads(result.stdout)
    assert annual(out, "SOC-KZ-07", "m1") == ("eligible", 1080.0)  # demo 90 元 × 12
    assert annual(out, "SOC-KZ-08", "m2") == ("ineligible", 0.0)  # 8 岁，未到缴费年龄
    assert out["assessment"]["dimensions"]["income"] == "unknown"  # income not recorded


def test_list_params_shows_open_parameters_as_null() -> None:
    result = CliRunner().invoke(command, ["--pack", PACK, "--list-params"],
                                env={"CASEWORK_LOCAL_PARAMS": ""})
    params = {p["name"]: p for p in json.loads(result.stdout)}
    assert params["emergency_fund_rate"]["open"] is True
    assert params["boarding_allowance_junior_yuan"]["values"] == {"2016-01-01": 1250.0}


def test_same_household_same_decisions() -> None:
    pack = load_pack(PACK)
    household = parse_household(family())
    first = result_json(evaluate(household, pack, dt.date(2018, 9, 1)))
    assert first == result_json(evaluate(household, pack, dt.date(2018, 9, 1)))
