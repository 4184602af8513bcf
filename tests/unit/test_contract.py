"""casework.contract: calc-v1 household JSON <-> rules.snapshot.Household."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import json
import pickle
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Literal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casework.contract import (
    ContractError,
    dump_household,
    parse_household,
    parse_household_json,
    subject_zh,
)
from casework.contract import _parse as shapes
from casework.contract._labels import FIELD_LABELS, VALUE_LABELS
from casework.ids import PROVINCE_CODES, check_character
from rules import snapshot as s

# Valid IDs: born 2010-01-03 (sequence 002: female); born 1949-12-31 with check character X.
ID_2010 = "511922201001030025"
ID_1949_X = "11010519491231002X"


def member(**fields: Any) -> dict[str, Any]:
    return {"member_id": "m1", **fields}


def household(*members: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {"household_id": "511922-0001", "members": list(members) or [member()], **fields}


def error(doc: object, **kw: Any) -> ContractError:
    with pytest.raises(ContractError) as caught:
        parse_household(doc, **kw)
    return caught.value


FULL = {
    "household_id": "511922-0001",
    "registered_poor": True,
    "poverty_status": "exited",
    "exit_year": 2017,
    "dibao": False,
    "tekun": True,
    "tekun_mode": "dispersed",
    "economic_difficulty": True,
    "per_capita_net_income_yuan": 3650.5,
    "housing": {"safety_grade": "C", "renovated": False},
    "relocation": {
        "status": "moved_in",
        "mode": "centralized",
        "house_area_m2": 75,
        "build_cost_yuan": 120000,
        "subsidy_yuan": 60000.25,
        "self_funded_yuan": 10000,
    },
    "water_safe": True,
    "power_ok": True,
    "tv_access": False,
    "food_secure": True,
    "clothing_secure": True,
    "members": [
        {
            "member_id": "m1",
            "name": "张三",
            "relation": "head",
            "birth_date": "1970-05-06",
            "sex": "M",
            "labor": "normal",
            "employment": "temporary",
            "annual_income_yuan": 8000,
            "medical_insurance": True,
            "critical_illness_insurance": True,
            "family_doctor": False,
            "pension_insured": True,
            "disability_grade": 3,
            "hospital_stays": [
                {
                    "kind": "inpatient",
                    "admitted_on": "2018-03-02",
                    "in_county": True,
                    "hospital_level": "county",
                    "public": True,
                    "total_cost_yuan": 10000,
                    "out_of_catalog_yuan": 800.5,
                    "reimbursed_yuan": 7000.1,
                    "childbirth": False,
                }
            ],
        },
        {
            "member_id": "m3",
            "name": "张小",
            "relation": "child",
            "id_number": ID_2010,
            "out_of_school": False,
            "school": {
                "stage": "junior",
                "boarding": True,
                "public": True,
                "key_school": False,
                "enrolled_year": 2022,
                "fee_yuan": 0,
                "school_days": 190,
            },
        },
    ],
}


# --- what a valid document becomes ---------------------------------------------------------


def test_full_document_is_typed() -> None:
    h = parse_household(FULL, strict=True)
    assert h.household_id == "511922-0001"
    assert h.per_capita_net_income_yuan == Decimal("3650.5")
    assert h.housing == s.Housing("C", renovated=False)
    assert h.relocation is not None and h.relocation.subsidy_yuan == Decimal("60000.25")
    head, child = h.members
    assert head.birth_date == dt.date(1970, 5, 6) and head.sex == "M"
    stay = head.hospital_stays[0]
    assert stay.admitted_on == dt.date(2018, 3, 2)
    assert stay.reimbursed_yuan == Decimal("7000.1")
    assert child.school == s.School("junior", True, True, False, 2022, Decimal(0), 190)
    assert child.hospital_stays == ()


def test_minimal_document_leaves_everything_unrecorded() -> None:
    h = parse_household(household())
    assert h == s.Household("511922-0001", (s.Member("m1"),))


def test_null_means_not_recorded() -> None:
    doc = household(member(school=None, sex=None, hospital_stays=None), dibao=None, housing=None)
    assert parse_household(doc, strict=True) == parse_household(household())


def test_numbers_are_kept_exact() -> None:
    h = parse_household(household(member(annual_income_yuan=0.1), per_capita_net_income_yuan=1e16))
    assert h.members[0].annual_income_yuan == Decimal("0.1")
    assert h.per_capita_net_income_yuan == Decimal(10**16)


def test_id_number_gives_birth_date_and_sex() -> None:
    m = parse_household(household(member(id_number=ID_2010))).members[0]
    assert (m.id_number, m.birth_date, m.sex) == (ID_2010, dt.date(2010, 1, 3), "F")


def test_id_number_is_normalised_and_legacy_15_digits_converted() -> None:
    legacy = ID_1949_X[:6] + ID_1949_X[8:17]
    for given_id in (ID_1949_X.lower(), legacy):
        m = parse_household(household(member(id_number=given_id))).members[0]
        assert m.id_number == ID_1949_X
        assert m.birth_date == dt.date(1949, 12, 31)


def test_agreeing_birth_date_and_sex_are_accepted() -> None:
    m = member(birth_date="2010-01-03", id_number=ID_2010, sex="F")
    assert parse_household(household(m)).members[0].sex == "F"


# --- required fields -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        ({"members": [member()]}, "household_id: is required"),
        ({"household_id": None, "members": [member()]}, "household_id: is required"),
        ({"household_id": "", "members": [member()]}, "household_id: must not be empty"),
        ({"household_id": "  ", "members": [member()]}, "household_id: must not be empty"),
        ({"household_id": 7, "members": [member()]}, "household_id: must be a string"),
        ({"household_id": "h"}, "members: is required"),
        ({"household_id": "h", "members": []}, "members: must have at least one member"),
        ({"household_id": "h", "members": {"m1": {}}}, "members: must be a list"),
        ({"household_id": "h", "members": ["m1"]}, "members[0]: must be a JSON object"),
        ({"household_id": "h", "members": [{"name": "x"}]}, "members[0].member_id: is required"),
        (
            {"household_id": "h", "members": [{"member_id": ""}]},
            "members[0].member_id: must not be empty",
        ),
        ({}, "household_id: is required"),
    ],
)
def test_required_fields(doc: dict[str, Any], expected: str) -> None:
    assert str(error(doc)) == expected


def test_member_ids_are_unique() -> None:
    err = error(household(member(), member(member_id="m2"), member()))
    assert err.path == "members[2].member_id"
    assert err.reason == "duplicate member_id 'm1', also used by members[0]"
    assert err.message_zh == "第3位成员的成员编号“m1”与第1位成员重复"


def test_top_level_must_be_an_object() -> None:
    assert str(error([household()])) == "$: must be a JSON object"


# --- types ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("doc", "path", "reason"),
    [
        (household(dibao=1), "dibao", "must be true or false"),
        (household(dibao="true"), "dibao", "must be true or false"),
        (
            household(member(school={"boarding": 0})),
            "members[0].school.boarding",
            "must be true or false",
        ),
        (household(exit_year=True), "exit_year", "must be an integer"),
        (household(exit_year=2017.0), "exit_year", "must be an integer"),
        (household(exit_year="2017"), "exit_year", "must be an integer"),
        (
            household(member(disability_grade=2.0)),
            "members[0].disability_grade",
            "must be an integer",
        ),
        (
            household(per_capita_net_income_yuan=True),
            "per_capita_net_income_yuan",
            "must be a number",
        ),
        (
            household(per_capita_net_income_yuan="3000"),
            "per_capita_net_income_yuan",
            "must be a number",
        ),
        (
            household(per_capita_net_income_yuan=float("nan")),
            "per_capita_net_income_yuan",
            "must be a finite number",
        ),
        (
            household(per_capita_net_income_yuan=float("inf")),
            "per_capita_net_income_yuan",
            "must be a finite number",
        ),
        (household(member(name=3)), "members[0].name", "must be a string"),
        (
            household(member(id_number=511922201001030025)),
            "members[0].id_number",
            "must be a string",
        ),
        (household(housing="C"), "housing", "must be a JSON object"),
        (household(member(school=[])), "members[0].school", "must be a JSON object"),
        (household(member(hospital_stays={})), "members[0].hospital_stays", "must be a list"),
        (
            household(member(hospital_stays=[1])),
            "members[0].hospital_stays[0]",
            "must be a JSON object",
        ),
    ],
)
def test_types(doc: dict[str, Any], path: str, reason: str) -> None:
    err = error(doc)
    assert (err.path, err.reason) == (path, reason)


# --- coded values --------------------------------------------------------------------------

ENUMS = [
    ("poverty_status", s.POVERTY_STATUSES, lambda v: household(poverty_status=v)),
    ("tekun_mode", s.TEKUN_MODES, lambda v: household(tekun_mode=v)),
    ("housing.safety_grade", s.SAFETY_GRADES, lambda v: household(housing={"safety_grade": v})),
    ("relocation.status", s.RELOCATION_STATUSES, lambda v: household(relocation={"status": v})),
    ("relocation.mode", s.RELOCATION_MODES, lambda v: household(relocation={"mode": v})),
    ("members[0].sex", s.SEXES, lambda v: household(member(sex=v))),
    ("members[0].relation", s.RELATIONS, lambda v: household(member(relation=v))),
    ("members[0].school.stage", s.SCHOOL_STAGES, lambda v: household(member(school={"stage": v}))),
    ("members[0].labor", s.LABOR_KINDS, lambda v: household(member(labor=v))),
    ("members[0].employment", s.EMPLOYMENT_KINDS, lambda v: household(member(employment=v))),
    (
        "members[0].hospital_stays[0].kind",
        s.STAY_KINDS,
        lambda v: household(member(hospital_stays=[{"kind": v}])),
    ),
    (
        "members[0].hospital_stays[0].hospital_level",
        s.HOSPITAL_LEVELS,
        lambda v: household(member(hospital_stays=[{"hospital_level": v}])),
    ),
]


@pytest.mark.parametrize(("path", "options", "build"), ENUMS, ids=[e[0] for e in ENUMS])
def test_coded_values(path: str, options: tuple[str, ...], build: Any) -> None:
    for option in options:
        parse_household(build(option), strict=True)
    for bad in (options[0].upper() if options[0].islower() else options[0].lower(), "", 1, True):
        err = error(build(bad))
        assert err.path == path
        assert err.reason == "must be one of " + ", ".join(options)
    zh_names = VALUE_LABELS[path.replace("[0]", "")]
    assert set(zh_names) == set(options)
    assert all(zh_names[o] in err.message_zh for o in options)


def test_coded_value_message_reads_in_chinese() -> None:
    err = error(household(member(), member(member_id="m2", school={"stage": "middle"})))
    assert str(err) == (
        "members[1].school.stage: must be one of preschool, primary, junior, senior, "
        "vocational, college, none"
    )
    assert err.message_zh.startswith(
        "第2位成员的就读学段应为以下之一：学前（preschool）、小学（primary）"
    )


# --- dates and resident IDs ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("2010/01/03", "must be a date YYYY-MM-DD"),
        ("20100103", "must be a date YYYY-MM-DD"),
        ("2010-1-3", "must be a date YYYY-MM-DD"),
        ("2010-01-03T00:00", "must be a date YYYY-MM-DD"),
        ("２０１０-01-03", "must be a date YYYY-MM-DD"),
        (20100103, "must be a date YYYY-MM-DD"),
        ("2023-02-30", "2023-02-30 is not a real date"),
        ("2023-13-01", "2023-13-01 is not a real date"),
        ("1999-02-29", "1999-02-29 is not a real date"),
        ("0000-01-01", "0000-01-01 is not a real date"),
    ],
)
def test_dates(value: object, reason: str) -> None:
    for doc, path in (
        (household(member(birth_date=value)), "members[0].birth_date"),
        (
            household(member(hospital_stays=[{}, {"admitted_on": value}])),
            "members[0].hospital_stays[1].admitted_on",
        ),
    ):
        assert str(error(doc)) == f"{path}: {reason}"


def test_id_number_errors_are_copied_with_the_members_position() -> None:
    err = error(household(member(), member(member_id="m2", id_number="110105194912310023")))
    assert str(err) == "members[1].id_number: check digit is 3, expected X"
    assert err.message_zh == "第2位成员的身份证号码校验位为3，应为X，请核对号码"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("51192220100103002", "must be 18 characters, got 17"),
        (
            "51192220100230002" + check_character("51192220100230002"),
            "birth date 20100230 is not a real date",
        ),
        ("51192249123100X", "a 15-digit ID has only digits"),
        ("001922" + ID_2010[6:], "unknown area code 001922"),
    ],
)
def test_invalid_id_numbers(raw: str, reason: str) -> None:
    err = error(household(member(id_number=raw)))
    assert (err.path, err.reason) == ("members[0].id_number", reason)
    assert err.message_zh.startswith("第1位成员的")


def test_birth_date_must_agree_with_id_number_in_either_order() -> None:
    expected = "members[0].birth_date: birth date 2010-01-02 disagrees with id_number (2010-01-03)"
    assert str(error(household(member(birth_date="2010-01-02", id_number=ID_2010)))) == expected
    err = error(household(member(id_number=ID_2010, birth_date="2010-01-02")))
    assert str(err) == expected
    assert err.message_zh == "第1位成员的出生日期2010-01-02与身份证号码中的出生日期2010-01-03不一致"


def test_sex_must_agree_with_id_number() -> None:
    err = error(household(member(sex="M", id_number=ID_2010)))
    assert str(err) == "members[0].sex: sex M disagrees with id_number (F)"
    assert err.message_zh == "第1位成员的性别“男”与身份证号码显示的性别（女）不一致"


# --- ranges and money ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "path", "low", "high"),
    [
        (lambda v: household(member(disability_grade=v)), "members[0].disability_grade", 1, 4),
        (lambda v: household(exit_year=v), "exit_year", 1949, 2100),
        (
            lambda v: household(member(school={"enrolled_year": v})),
            "members[0].school.enrolled_year",
            1949,
            2100,
        ),
        (
            lambda v: household(member(school={"school_days": v})),
            "members[0].school.school_days",
            0,
            366,
        ),
    ],
)
def test_integer_ranges(build: Any, path: str, low: int, high: int) -> None:
    parse_household(build(low))
    parse_household(build(high))
    for outside in (low - 1, high + 1):
        assert str(error(build(outside))) == f"{path}: must be between {low} and {high}"


MONEY: list[tuple[str, Callable[[object], dict[str, Any]]]] = [
    ("per_capita_net_income_yuan", lambda v: household(per_capita_net_income_yuan=v)),
    ("members[0].annual_income_yuan", lambda v: household(member(annual_income_yuan=v))),
    ("members[0].school.fee_yuan", lambda v: household(member(school={"fee_yuan": v}))),
    *[
        (f"relocation.{k}", lambda v, k=k: household(relocation={k: v}))
        for k in ("house_area_m2", "build_cost_yuan", "subsidy_yuan", "self_funded_yuan")
    ],
    *[
        (
            f"members[0].hospital_stays[0].{k}",
            lambda v, k=k: household(member(hospital_stays=[{k: v}])),
        )
        for k in ("total_cost_yuan", "out_of_catalog_yuan", "reimbursed_yuan")
    ],
]


@pytest.mark.parametrize(("path", "build"), MONEY, ids=[m[0] for m in MONEY])
def test_money_and_area_must_not_be_negative(path: str, build: Any) -> None:
    parse_household(build(0))
    parse_household(build(0.01))
    for negative in (-1, -0.01):
        err = error(build(negative))
        assert str(err) == f"{path}: must not be negative"
        assert err.message_zh.endswith("不能为负数")


@pytest.mark.parametrize("part", ["out_of_catalog_yuan", "reimbursed_yuan"])
def test_a_stay_part_cannot_exceed_its_total(part: str) -> None:
    ok = {"total_cost_yuan": 1000, part: 1000}
    parse_household(household(member(hospital_stays=[ok])))
    for stay in (
        {"total_cost_yuan": 1000, part: 1000.01},
        {part: 1000.01, "total_cost_yuan": 1000},
    ):
        err = error(household(member(hospital_stays=[stay])))
        assert (
            str(err)
            == f"members[0].hospital_stays[0].{part}: must not exceed total_cost_yuan (1000)"
        )
        assert "不能超过医疗总费用（1000元）" in err.message_zh


def test_both_parts_over_total_reports_the_one_written_first() -> None:
    stay = {"reimbursed_yuan": 5, "out_of_catalog_yuan": 5, "total_cost_yuan": 1}
    assert error(household(member(hospital_stays=[stay]))).path.endswith("reimbursed_yuan")


# --- unknown keys --------------------------------------------------------------------------


UNKNOWN = [
    ("village", lambda x: household(dibao=True, **x)),
    ("members[0].schol", lambda x: household(member(sex="F", **x))),
    ("members[0].school.grade", lambda x: household(member(school={"stage": "junior", **x}))),
    (
        "members[0].hospital_stays[0].cost",
        lambda x: household(member(hospital_stays=[{"public": True, **x}])),
    ),
    ("housing.area", lambda x: household(housing={"safety_grade": "A", **x})),
    ("relocation.town", lambda x: household(relocation={"mode": "dispersed", **x})),
]


@pytest.mark.parametrize(("path", "build"), UNKNOWN, ids=[u[0] for u in UNKNOWN])
def test_unknown_keys_ignored_unless_strict(path: str, build: Any) -> None:
    key = path.rsplit(".", 1)[-1]
    doc = build({key: {"anything": [1]}})
    assert parse_household(doc) == parse_household(build({}), strict=True)
    err = error(doc, strict=True)
    assert str(err) == f"{path}: unknown field"
    assert "不是本合同规定的字段" in err.message_zh


def test_allowed_extra_only_at_the_top_level() -> None:
    extra = frozenset({"source", "note"})
    parse_household(household(source="import", note="x"), strict=True, allowed_extra=extra)
    err = error(household(member(source="import")), strict=True, allowed_extra=extra)
    assert str(err) == "members[0].source: unknown field"


# --- which error comes first ---------------------------------------------------------------


def test_first_error_in_document_order() -> None:
    bad_member = member(school={"stage": "x"}, sex="X")
    doc = {"household_id": "h", "dibao": 1, "members": [bad_member]}
    assert error(doc).path == "dibao"
    doc = {"household_id": "h", "members": [bad_member], "dibao": 1}
    assert error(doc).path == "members[0].school.stage"
    doc = {"household_id": "h", "members": [member(sex="X", school={"stage": "x"})]}
    assert error(doc).path == "members[0].sex"


def test_missing_required_field_is_reported_after_the_fields_present() -> None:
    assert error({"dibao": 1}).path == "dibao"
    assert error({"dibao": True}).path == "household_id"
    assert error({"members": [{}]}).path == "members[0].member_id"


def test_same_document_same_error() -> None:
    doc = household(member(id_number="x", sex="Q"), exit_year=1, dibao=0)
    assert {str(error(copy.deepcopy(doc))) for _ in range(3)} == {
        "members[0].id_number: must be 18 characters, got 1"
    }


# --- JSON text -----------------------------------------------------------------------------


def test_json_text_parses() -> None:
    assert parse_household_json(json.dumps(FULL, ensure_ascii=False)) == parse_household(FULL)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            '{"household_id": "h", "members": }',
            "malformed JSON at line 1 column 34: Expecting value",
        ),
        ("", "malformed JSON at line 1 column 1: Expecting value"),
        ('{"household_id": "h"}\n{}', "malformed JSON at line 2 column 1: Extra data"),
        ("[]", "must be a JSON object"),
        ('"h"', "must be a JSON object"),
        ("1" * 5000, "malformed JSON: "),
    ],
)
def test_bad_json_text(text: str, reason: str) -> None:
    with pytest.raises(ContractError) as caught:
        parse_household_json(text)
    assert caught.value.path == "$"
    assert caught.value.reason.startswith(reason)
    assert caught.value.message_zh


def test_repeated_key_is_refused() -> None:
    text = '{"household_id": "h", "members": [{"member_id": "a", "sex": "M", "sex": "F"}]}'
    with pytest.raises(ContractError) as caught:
        parse_household_json(text)
    assert str(caught.value) == "members[0].sex: duplicate key"


def test_nan_in_json_text_is_refused_with_its_path() -> None:
    with pytest.raises(ContractError) as caught:
        parse_household_json(
            '{"household_id": "h", "members": [{"member_id": "a"}], "dibao": true,'
            ' "per_capita_net_income_yuan": NaN}'
        )
    assert str(caught.value) == "per_capita_net_income_yuan: must be a finite number"


def test_strict_is_passed_through() -> None:
    with pytest.raises(ContractError, match="^x: unknown field$"):
        parse_household_json(
            '{"household_id": "h", "members": [{"member_id": "a"}], "x": 1}', strict=True
        )


# --- the error itself ----------------------------------------------------------------------


def test_contract_error_shape() -> None:
    err = ContractError("members[0].sex", "must be one of M, F", "第1位成员的性别应为男或女")
    assert isinstance(err, ValueError)
    assert str(err) == "members[0].sex: must be one of M, F"
    restored = pickle.loads(pickle.dumps(err))
    assert (restored.path, restored.reason, restored.message_zh) == (
        err.path,
        err.reason,
        err.message_zh,
    )


SNAPSHOT_OBJECTS = [
    ("", s.Household, shapes.HOUSEHOLD),
    ("members.", s.Member, shapes.MEMBER),
    ("members.school.", s.School, shapes.SCHOOL),
    ("members.hospital_stays.", s.HospitalStay, shapes.STAY),
    ("housing.", s.Housing, shapes.HOUSING),
    ("relocation.", s.Relocation, shapes.RELOCATION),
]


@pytest.mark.parametrize(
    ("prefix", "cls", "shape"), SNAPSHOT_OBJECTS, ids=[o[1].__name__ for o in SNAPSHOT_OBJECTS]
)
def test_parser_reads_every_field_of_the_snapshot(prefix: str, cls: type, shape: Any) -> None:
    """Catches drift: a field added to rules.snapshot must be read (and labelled) here."""
    assert set(shape.fields) == {f.name for f in dataclasses.fields(cls)}
    assert {prefix + name for name in shape.fields} <= set(FIELD_LABELS)


def test_every_field_message_names_the_field_in_chinese() -> None:
    for path, build in MONEY:
        err = error(build("x"))
        assert err.path == path
        assert err.message_zh.endswith(FIELD_LABELS[path.replace("[0]", "")] + "应为数字")


@pytest.mark.parametrize(
    ("path", "subject"),
    [
        ("$", "户信息"),
        ("household_id", "户编号"),
        ("members[1].school.stage", "第2位成员的就读学段"),
        ("members[0].hospital_stays[2]", "第1位成员的第3条就医记录的信息"),
        ("members[0].schol", "第1位成员的字段“schol”"),
    ],
)
def test_subject_zh_names_the_field(path: str, subject: str) -> None:
    assert subject_zh(path) == subject


def test_chinese_message_names_member_and_stay() -> None:
    doc = household(
        member(), member(member_id="m2", hospital_stays=[{}, {}, {"total_cost_yuan": -3}])
    )
    err = error(doc)
    assert err.path == "members[1].hospital_stays[2].total_cost_yuan"
    assert err.message_zh == "第2位成员的第3条就医记录的医疗总费用不能为负数"


# --- writing a household back --------------------------------------------------------------


def test_dump_omits_unrecorded_fields_and_writes_dates_and_money() -> None:
    out = dump_household(parse_household(FULL))
    assert "disability_grade" not in out["members"][1] and "school" not in out["members"][0]
    minimal = dump_household(parse_household(household()))
    assert minimal == {
        "household_id": "511922-0001",
        "members": [{"member_id": "m1", "hospital_stays": []}],
    }
    assert out["members"][0]["hospital_stays"][0]["admitted_on"] == "2018-03-02"
    assert out["members"][1]["birth_date"] == "2010-01-03" and out["members"][1]["sex"] == "F"
    assert out["relocation"]["subsidy_yuan"] == 60000.25
    assert out["relocation"]["build_cost_yuan"] == 120000
    assert type(out["relocation"]["build_cost_yuan"]) is int


def test_dump_of_full_document_round_trips_strictly() -> None:
    h = parse_household(FULL)
    assert parse_household(dump_household(h), strict=True) == h


@pytest.mark.parametrize(
    "amount", [Decimal("0.12345678901234567890"), Decimal("NaN"), Decimal("Infinity")]
)
def test_dump_refuses_amounts_json_cannot_carry_exactly(amount: Decimal) -> None:
    h = s.Household("h", (s.Member("m1", annual_income_yuan=amount),))
    with pytest.raises(ValueError):
        dump_household(h)


# --- round trip property -------------------------------------------------------------------

TODAY = dt.date.today()
keys = st.text(min_size=1, max_size=12).filter(lambda t: t.strip() != "")
money = st.one_of(
    st.integers(0, 10**12).map(Decimal),
    st.decimals(min_value=0, max_value=10**9, places=2),
    st.floats(min_value=0, max_value=1e15, allow_nan=False, allow_infinity=False).map(
        lambda f: Decimal(str(f))
    ),
)
years = st.integers(1949, 2100)
dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


def codes(options: tuple[str, ...]) -> st.SearchStrategy[str | None]:
    return maybe(st.sampled_from(options))


flag = maybe(st.booleans())


@st.composite
def resident_ids(draw: st.DrawFn) -> str:
    area = draw(st.sampled_from(sorted(PROVINCE_CODES))) + f"{draw(st.integers(1, 9999)):04d}"
    born = draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY)).strftime("%Y%m%d")
    first17 = area + born + f"{draw(st.integers(0, 999)):03d}"
    return first17 + check_character(first17)


@st.composite
def stays(draw: st.DrawFn) -> s.HospitalStay:
    total = draw(maybe(money))

    def part() -> Decimal | None:
        amount: Decimal | None = draw(maybe(money))
        return amount if amount is None or total is None else min(amount, total)

    return s.HospitalStay(
        draw(codes(s.STAY_KINDS)),
        draw(maybe(dates)),
        draw(flag),
        draw(codes(s.HOSPITAL_LEVELS)),
        draw(flag),
        total,
        part(),
        part(),
        childbirth=draw(flag),
    )


schools = st.builds(
    s.School,
    codes(s.SCHOOL_STAGES),
    flag,
    flag,
    flag,
    maybe(years),
    maybe(money),
    maybe(st.integers(0, 366)),
)


@st.composite
def members(draw: st.DrawFn) -> s.Member:
    id_number = draw(maybe(resident_ids()))
    sex: Literal["M", "F"] | None
    if id_number is None:
        birth, sex = draw(maybe(dates)), draw(st.sampled_from([None, "M", "F"]))
    else:  # what the ID says (GB 11643-1999), worked out here independently of casework.ids
        birth = dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
        sex = "M" if int(id_number[16]) % 2 else "F"
    return s.Member(
        draw(keys),
        draw(maybe(st.text(max_size=8))),
        id_number,
        birth,
        sex,
        draw(codes(s.RELATIONS)),
        draw(maybe(schools)),
        draw(flag),
        draw(maybe(st.integers(1, 4))),
        draw(maybe(money)),
        draw(flag),
        draw(flag),
        draw(flag),
        draw(flag),
        draw(codes(s.LABOR_KINDS)),
        draw(codes(s.EMPLOYMENT_KINDS)),
        tuple(draw(st.lists(stays(), max_size=3))),
        draw(flag),
    )


households = st.builds(
    s.Household,
    household_id=keys,
    members=st.lists(members(), min_size=1, max_size=4, unique_by=lambda m: m.member_id).map(tuple),
    registered_poor=flag,
    poverty_status=codes(s.POVERTY_STATUSES),
    exit_year=maybe(years),
    dibao=flag,
    tekun=flag,
    tekun_mode=codes(s.TEKUN_MODES),
    economic_difficulty=flag,
    per_capita_net_income_yuan=maybe(money),
    housing=maybe(st.builds(s.Housing, codes(s.SAFETY_GRADES), flag)),
    relocation=maybe(
        st.builds(
            s.Relocation,
            codes(s.RELOCATION_STATUSES),
            codes(s.RELOCATION_MODES),
            maybe(money),
            maybe(money),
            maybe(money),
            maybe(money),
        )
    ),
    water_safe=flag,
    power_ok=flag,
    tv_access=flag,
    food_secure=flag,
    clothing_secure=flag,
)


@settings(max_examples=200, deadline=None)
@given(households)
def test_dump_then_parse_gives_the_same_household(h: s.Household) -> None:
    dumped = dump_household(h)
    assert parse_household(dumped, strict=True) == h
    text = json.dumps(dumped, ensure_ascii=False)
    assert parse_household_json(text, strict=True) == h
    assert dump_household(parse_household_json(text)) == dumped
