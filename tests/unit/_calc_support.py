"""Support for the ``casework calc`` acceptance tests: running the command (in-process and as a
real process), rich households of both packs, and a checker of the output shape of contract
calc-v1 (``shared/contracts/calc-v1.md``)."""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result
from hypothesis import strategies as st

from casework.commands.calc import command
from casework.ids import check_character

ROOT = Path(__file__).resolve().parents[2]
CASEWORK = str(Path(sys.executable).parent / "casework")
ON = "2018-09-01"

TOP_KEYS = ["household_id", "pack", "pack_version", "on", "decisions", "totals", "assessment"]
DECISION_KEYS = {"rule_id", "measure", "title", "member_id", "status", "amount_yuan", "per",
                 "annual_yuan", "payer", "reasons", "missing", "citation"}
CITATION_KEYS = {"document", "section", "seed", "lines"}
STATUSES = {"eligible", "ineligible", "missing_data"}
PERIODS = {"year", "month", "day", "once", "episode"}
PAYERS = {"government", "hospital", "bank"}
DIMENSIONS = {"food_clothing", "compulsory_education", "basic_medical", "housing",
              "drinking_water", "income"}
SEEDS = {"bazhong-2018": ("巴委办〔2018〕11号", "000_99b381a438ae79d6.txt"),
         "kaizhou-2016-2020": ("开州区“十三五”脱贫攻坚规划", "003_1b241415224f956a.txt")}
RULE_ID = re.compile(r"^[A-Z]+-(BZ|KZ)-[0-9]{2}(\.[a-z_]+)?$")

# Values for every open parameter, so that decisions can be computed (what-if numbers, not policy).
OPEN_BZ = ("poverty_line_yuan=3750", "medical_premium_lowest_tier_yuan=180",
           "dibao_standard_yuan=3500", "home_area_student_loan_cap_yuan=8000",
           "private_kindergarten_reference_fee_yuan=1200")
OPEN_KZ = ("poverty_line_yuan=3750", "vocational_textbook_yuan=300", "emergency_fund_rate=0.5",
           "inpatient_base_rate_county=0.8", "inpatient_deductible_county_yuan=300",
           "inpatient_base_rate_township=0.9", "inpatient_deductible_township_yuan=100",
           "inpatient_base_rate_city=0.7", "inpatient_deductible_city_yuan=600",
           "inpatient_base_rate_provincial=0.6", "inpatient_deductible_provincial_yuan=1000",
           "critical_illness_deductible_yuan=10000", "pension_contribution_min_age=16",
           "pension_premium_paid_for_poor_yuan=100")


def resident_id(first17: str) -> str:
    return first17 + check_character(first17)


def sets(values: tuple[str, ...]) -> list[str]:
    return [arg for value in values for arg in ("--set", value)]


def calc(args: list[str], stdin: str | bytes = b"", env: dict[str, str | None] | None = None
         ) -> Result:
    """``casework calc ARGS`` in-process; the local parameter file is unset unless ``env`` sets
    it (the developer's environment never leaks in)."""
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    return CliRunner().invoke(command, args, input=data,
                              env={"CASEWORK_LOCAL_PARAMS": None, **(env or {})})


def run(doc: object, pack: str = "bazhong-2018", *extra: str, on: str = ON) -> Result:
    text = doc if isinstance(doc, str | bytes) else json.dumps(doc, ensure_ascii=False)
    return calc(["--pack", pack, "--on", on, *extra, "-"], text)


def output(doc: object, pack: str = "bazhong-2018", *extra: str, on: str = ON) -> dict[str, Any]:
    result = run(doc, pack, *extra, on=on)
    assert result.exit_code == 0, (result.exit_code, result.stderr, result.exception)
    out: dict[str, Any] = json.loads(result.stdout)
    check_result(out, pack)
    return out


def process(args: list[str], stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    """The real ``casework calc`` in a child process, with a C locale and no local params."""
    env = {k: v for k, v in os.environ.items() if k != "CASEWORK_LOCAL_PARAMS"}
    env.update(LANG="C", LC_ALL="C")
    return subprocess.run([CASEWORK, "calc", *args], input=stdin, capture_output=True, env=env,
                          cwd=ROOT, timeout=60, check=False)


def decisions(out: dict[str, Any], rule_id: str, member_id: str | None = None
              ) -> list[dict[str, Any]]:
    return [d for d in out["decisions"]
            if d["rule_id"] == rule_id and (member_id is None or d["member_id"] == member_id)]


def one(out: dict[str, Any], rule_id: str, member_id: str | None = None,
        episode: int | None = None) -> dict[str, Any]:
    found = [d for d in decisions(out, rule_id, member_id)
             if episode is None or d.get("episode") == episode]
    assert len(found) == 1, (rule_id, member_id, episode, found)
    return found[0]


def _is_fen(value: float) -> bool:
    return Decimal(repr(value)) == Decimal(repr(value)).quantize(Decimal("0.01"))


def check_decision(d: dict[str, Any], pack: str) -> None:
    assert DECISION_KEYS <= set(d), d
    assert RULE_ID.match(d["rule_id"]), d["rule_id"]
    assert d["status"] in STATUSES and d["per"] in PERIODS and d["payer"] in PAYERS, d
    assert isinstance(d["title"], str) and d["title"] and isinstance(d["measure"], str)
    assert d["member_id"] is None or isinstance(d["member_id"], str)
    assert d["reasons"] and all(isinstance(r, str) and r for r in d["reasons"]), d
    assert bool(d["missing"]) == (d["status"] == "missing_data"), d
    assert all(isinstance(m, str) and m for m in d["missing"])
    for key in ("amount_yuan", "annual_yuan"):
        value = d[key]
        if d["status"] == "missing_data":
            assert value is None, d
        else:
            assert isinstance(value, float) and value >= 0 and _is_fen(value), d
    if d["status"] == "ineligible":
        assert d["annual_yuan"] == 0.0, d
    assert set(d["citation"]) >= CITATION_KEYS
    document, seed = SEEDS[pack]
    assert (d["citation"]["document"], d["citation"]["seed"]) == (document, seed), d
    assert d["citation"]["section"] and d["citation"]["lines"]


def check_result(out: dict[str, Any], pack: str) -> None:
    """Everything the contract promises about one result, whatever the household."""
    assert list(out)[:len(TOP_KEYS)] == TOP_KEYS and set(out) == set(TOP_KEYS), list(out)
    assert out["pack"] == pack and isinstance(out["pack_version"], str)
    for d in out["decisions"]:
        check_decision(d, pack)
    paying = [d for d in out["decisions"]
              if d["status"] == "eligible" and d["payer"] == "government"]
    total = sum((Decimal(repr(d["annual_yuan"])) for d in paying), Decimal(0))
    assert set(out["totals"]) == {"annual_yuan", "by_measure"}
    assert Decimal(repr(out["totals"]["annual_yuan"])) == total
    by_measure: dict[str, Decimal] = {}
    for d in paying:
        by_measure[d["measure"]] = by_measure.get(d["measure"], Decimal(0)) + Decimal(
            repr(d["annual_yuan"]))
    assert {k: Decimal(repr(v)) for k, v in out["totals"]["by_measure"].items()} == {
        k: v for k, v in by_measure.items() if v}
    check_assessment(out["assessment"])


def check_assessment(a: dict[str, Any]) -> None:
    assert set(a) == {"dimensions", "status", "reasons"}
    assert set(a["dimensions"]) == DIMENSIONS
    values = set(a["dimensions"].values())
    assert values <= {"pass", "fail", "unknown"}
    assert a["status"] == ("fails" if "fail" in values else "unknown" if "unknown" in values
                           else "meets")
    assert bool(a["reasons"]) == (a["status"] != "meets")


# -- households ----------------------------------------------------------------------------------

HEAD_ID = resident_id("51192219580901123")  # 1958-09-01, male: 60 on 2018-09-01

MORE_STAYS: list[dict[str, Any]] = [
    {"kind": "chronic_outpatient", "admitted_on": "2018-02-02", "in_county": True,
     "hospital_level": "township", "public": True, "total_cost_yuan": 3000,
     "out_of_catalog_yuan": 100, "reimbursed_yuan": 1500},
    {"kind": "inpatient", "admitted_on": "2018-07-02", "in_county": False,
     "hospital_level": "city", "public": True, "total_cost_yuan": 30000,
     "out_of_catalog_yuan": 4000, "reimbursed_yuan": 15000},
    {"kind": "inpatient", "admitted_on": "2018-08-02", "in_county": True,
     "hospital_level": "township", "public": False, "total_cost_yuan": 3000,
     "out_of_catalog_yuan": 100, "reimbursed_yuan": 1500}]

BAZHONG: dict[str, Any] = {
    "household_id": "511922-0001", "registered_poor": True, "poverty_status": "poor",
    "dibao": True, "tekun": False, "per_capita_net_income_yuan": 3200,
    "housing": {"safety_grade": "C"},
    "relocation": {"status": "building", "mode": "centralized", "house_area_m2": 75,
                   "build_cost_yuan": 150000, "subsidy_yuan": 100000, "self_funded_yuan": 8000},
    "water_safe": True, "power_ok": True, "tv_access": True,
    "members": [
        {"member_id": "m1", "name": "张三", "id_number": HEAD_ID, "relation": "head",
         "disability_grade": 1, "annual_income_yuan": 1000, "medical_insurance": True,
         "critical_illness_insurance": True, "family_doctor": True, "pension_insured": True,
         "labor": "weak", "employment": "none",
         "hospital_stays": [
             {"kind": "inpatient", "admitted_on": "2018-03-02", "in_county": True,
              "hospital_level": "county", "public": True, "total_cost_yuan": 10000,
              "out_of_catalog_yuan": 800, "reimbursed_yuan": 7000},
             {"kind": "chronic_outpatient", "admitted_on": "2018-06-02", "in_county": True,
              "hospital_level": "township", "public": True, "total_cost_yuan": 2000,
              "out_of_catalog_yuan": 0, "reimbursed_yuan": 1200}]},
        {"member_id": "m2", "birth_date": "1962-01-01", "sex": "F", "relation": "spouse",
         "medical_insurance": True, "pension_insured": False, "labor": "normal",
         "employment": "temporary", "annual_income_yuan": 6000,
         "critical_illness_insurance": False, "hospital_stays": MORE_STAYS},
        {"member_id": "m3", "birth_date": "2005-03-01", "relation": "child",
         "medical_insurance": True,
         "school": {"stage": "junior", "boarding": True, "public": True, "enrolled_year": 2017,
                    "fee_yuan": 0, "school_days": 180}},
        {"member_id": "m4", "birth_date": "2002-03-01", "relation": "child",
         "medical_insurance": True,
         "school": {"stage": "senior", "boarding": True, "public": True, "key_school": True,
                    "enrolled_year": 2017, "fee_yuan": 1600, "school_days": 190}},
        {"member_id": "m5", "birth_date": "2014-03-01", "relation": "grandchild",
         "medical_insurance": True, "school": {"stage": "preschool", "public": True,
                                               "fee_yuan": 1800}},
        {"member_id": "m6", "birth_date": "1999-03-01", "relation": "child",
         "medical_insurance": True,
         "school": {"stage": "college", "enrolled_year": 2018, "fee_yuan": 5000}},
        {"member_id": "m7", "birth_date": "2001-03-01", "relation": "child",
         "medical_insurance": True,
         "school": {"stage": "vocational", "boarding": True, "enrolled_year": 2018,
                    "fee_yuan": 2000}},
    ]}

KAIZHOU: dict[str, Any] = {
    "household_id": "500234-0001", "registered_poor": True, "poverty_status": "poor",
    "dibao": False, "tekun": False, "per_capita_net_income_yuan": 2900,
    "housing": {"safety_grade": "D"}, "relocation": {"status": "planned", "mode": "dispersed"},
    "water_safe": False, "food_secure": True, "clothing_secure": True,
    "members": [
        {"member_id": "a", "id_number": HEAD_ID, "relation": "head", "disability_grade": 2,
         "medical_insurance": True, "critical_illness_insurance": True, "pension_insured": True,
         "labor": "weak", "employment": "self_employed",
         "hospital_stays": [
             {"kind": "inpatient", "admitted_on": "2018-03-02", "in_county": True,
              "hospital_level": "county", "public": True, "total_cost_yuan": 10000,
              "out_of_catalog_yuan": 800, "reimbursed_yuan": 7000}]},
        {"member_id": "b", "birth_date": "1990-01-01", "sex": "F", "relation": "spouse",
         "medical_insurance": True, "pension_insured": True, "labor": "normal",
         "employment": "stable", "critical_illness_insurance": True,
         "hospital_stays": MORE_STAYS},
        {"member_id": "c", "birth_date": "2008-03-01", "relation": "child",
         "medical_insurance": True, "pension_insured": False, "labor": "none",
         "employment": "none",
         "school": {"stage": "primary", "boarding": False, "school_days": 180}},
        {"member_id": "d", "birth_date": "2006-03-01", "relation": "child",
         "medical_insurance": True,
         "school": {"stage": "junior", "boarding": True, "school_days": 190}},
        {"member_id": "e", "birth_date": "2013-03-01", "relation": "child",
         "medical_insurance": True, "school": {"stage": "preschool"}},
        {"member_id": "f", "birth_date": "2001-03-01", "relation": "child",
         "medical_insurance": True, "school": {"stage": "senior", "key_school": False}},
        {"member_id": "g", "birth_date": "2000-03-01", "relation": "child",
         "medical_insurance": True, "school": {"stage": "vocational", "boarding": True}},
        {"member_id": "h", "birth_date": "1999-03-01", "relation": "child",
         "medical_insurance": True, "school": {"stage": "college", "enrolled_year": 2018}},
    ]}


def household(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    doc = copy.deepcopy(base)
    doc.update(changes)
    return doc


# -- JSON paths of a document, and removing one --------------------------------------------------

_PART = re.compile(r"[^.\[\]]+|\[\d+\]")


def leaf_and_branch_paths(doc: object, prefix: str = "") -> list[str]:
    """Every field path of ``doc`` (objects' keys and list items' fields, not list items)."""
    found: list[str] = []
    if isinstance(doc, dict):
        for key, value in doc.items():
            path = f"{prefix}.{key}" if prefix else key
            found.append(path)
            found += leaf_and_branch_paths(value, path)
    elif isinstance(doc, list):
        for i, value in enumerate(doc):
            found += leaf_and_branch_paths(value, f"{prefix}[{i}]")
    return found


def without(doc: dict[str, Any], path: str, *, null: bool) -> dict[str, Any]:
    """``doc`` with the field at ``path`` removed (or set to null)."""
    out = copy.deepcopy(doc)
    parts = _PART.findall(path)
    node: Any = out
    for part in parts[:-1]:
        node = node[int(part[1:-1])] if part.startswith("[") else node[part]
    if null:
        node[parts[-1]] = None
    else:
        del node[parts[-1]]
    return out


# -- random partial households (JSON) for Hypothesis ---------------------------------------------


FLAG = st.booleans()
YUAN = st.one_of(st.integers(0, 60000), st.integers(0, 6_000_000).map(lambda f: f / 100))


def _partial(fields: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    """An object holding any subset of ``fields`` (sometimes explicitly null)."""
    return st.fixed_dictionaries({}, optional={
        k: st.one_of(v, st.none()) if k != "member_id" else v for k, v in fields.items()})


@st.composite
def _stay(draw: st.DrawFn) -> dict[str, Any]:
    stay = draw(_partial({
        "kind": st.sampled_from(["inpatient", "chronic_outpatient"]),
        "admitted_on": st.dates(dt.date(2015, 1, 1), dt.date(2021, 12, 31)).map(str),
        "in_county": FLAG, "public": FLAG, "childbirth": FLAG,
        "hospital_level": st.sampled_from(["township", "county", "city", "provincial"]),
    }))
    total = draw(st.none() | YUAN)
    if total is not None:
        stay["total_cost_yuan"] = total
    for key in ("out_of_catalog_yuan", "reimbursed_yuan"):
        if draw(st.booleans()):
            stay[key] = draw(st.integers(0, 100).map(lambda p: round((total or 0) * p / 100, 2))
                             if total is not None else YUAN)
    return stay


SCHOOL = _partial({
    "stage": st.sampled_from(["preschool", "primary", "junior", "senior", "vocational", "college",
                              "none"]),
    "boarding": FLAG, "public": FLAG, "key_school": FLAG,
    "enrolled_year": st.integers(2010, 2021), "fee_yuan": YUAN,
    "school_days": st.integers(0, 366)})


@st.composite
def _member(draw: st.DrawFn, member_id: str) -> dict[str, Any]:
    member = draw(_partial({
        "relation": st.sampled_from(["head", "spouse", "child", "parent", "grandchild", "sibling",
                                     "other"]),
        "school": SCHOOL, "out_of_school": FLAG, "orphan": FLAG,
        "disability_grade": st.integers(1, 4), "annual_income_yuan": YUAN,
        "medical_insurance": FLAG, "critical_illness_insurance": FLAG, "family_doctor": FLAG,
        "pension_insured": FLAG,
        "labor": st.sampled_from(["normal", "skilled", "weak", "lost", "none"]),
        "employment": st.sampled_from(["stable", "temporary", "public_post", "self_employed",
                                       "none"]),
        "hospital_stays": st.lists(_stay(), max_size=3)}))
    member["member_id"] = member_id
    born = draw(st.none() | st.dates(dt.date(1920, 1, 1), dt.date(2018, 12, 31)))
    if born is not None:
        how = draw(st.sampled_from(["birth_date", "id", "both"]))
        sequence = draw(st.integers(0, 999))
        if how in ("id", "both"):
            member["id_number"] = resident_id(f"511922{born:%Y%m%d}{sequence:03d}")
        if how in ("birth_date", "both"):
            member["birth_date"] = str(born)
            member["sex"] = "M" if sequence % 2 else "F"
    return member


JUNK = st.one_of(st.text(max_size=3), st.integers(-3, 3), st.floats(allow_nan=False),
                 st.just([]), st.just({}), st.just(True), st.just(10 ** 20))


@st.composite
def json_households(draw: st.DrawFn) -> tuple[dict[str, Any], bool]:
    """(a household document, whether it was spoiled with one wrong value)."""
    doc = draw(_partial({
        "registered_poor": FLAG, "poverty_status": st.sampled_from(["poor", "exited",
                                                                    "returned"]),
        "exit_year": st.integers(2014, 2020), "dibao": FLAG, "tekun": FLAG,
        "tekun_mode": st.sampled_from(["centralized", "dispersed"]),
        "economic_difficulty": FLAG, "per_capita_net_income_yuan": YUAN,
        "housing": _partial({"safety_grade": st.sampled_from(list("ABCD")),
                             "renovated": FLAG}),
        "relocation": _partial({
            "status": st.sampled_from(["none", "planned", "building", "moved_in"]),
            "mode": st.sampled_from(["centralized", "dispersed"]),
            "house_area_m2": st.integers(10, 300), "build_cost_yuan": YUAN,
            "subsidy_yuan": YUAN, "self_funded_yuan": YUAN}),
        "water_safe": FLAG, "power_ok": FLAG, "tv_access": FLAG, "food_secure": FLAG,
        "clothing_secure": FLAG}))
    doc["household_id"] = "h-1"
    size = draw(st.integers(1, 4))
    doc["members"] = [draw(_member(f"m{i + 1}")) for i in range(size)]
    spoiled = draw(st.integers(0, 4)) == 0
    if spoiled:
        path = draw(st.sampled_from(leaf_and_branch_paths(doc)))
        parts = _PART.findall(path)
        node: Any = doc
        for part in parts[:-1]:
            node = node[int(part[1:-1])] if part.startswith("[") else node[part]
        node[parts[-1]] = draw(JUNK)
    return doc, spoiled
