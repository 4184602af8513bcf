"""Acceptance tests of ``casework calc`` against ``shared/contracts/calc-v1.md``, written the way an
outside tester would: only the command line, JSON in, JSON out, exit codes. A representative
subset runs the real installed command in a child process; the bulk runs in-process through
click's CliRunner. The local parameter file (``CASEWORK_LOCAL_PARAMS``) is always unset unless a
test sets it.

Readings chosen where the contract is silent (also in ``casework/commands/calc.py``):
malformed ``--set`` → 2, unknown ``--set`` name or pack → 3 (an unknown pack wins over every
other problem); ``--on`` must be exactly ``YYYY-MM-DD``; a UTF-8 BOM is accepted; in ``--batch``
blank lines are skipped, ``line`` is the physical line number, lines split at ``\\n`` only; the
policy year is the calendar year of ``--on`` (a stay admitted in another year is ineligible; a
stay without ``admitted_on`` is taken as one of the policy year, as the contract lists
``hospital_stays`` as "episodes in the policy year").
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from _calc_support import (BAZHONG, HEAD_ID, KAIZHOU, ON, OPEN_BZ, OPEN_KZ, calc, check_result,
                           decisions, household, json_households, leaf_and_branch_paths, one,
                           output, process, resident_id, run, sets, without)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rules.pack import load_pack

# -- invocation, as a real process --------------------------------------------------------------


def test_real_process_file_path_and_stdin_give_the_same_utf8_json(tmp_path: Path) -> None:
    path = tmp_path / "household.json"
    text = json.dumps(BAZHONG, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    by_path = process(["--pack", "bazhong-2018", "--on", ON, str(path)])
    by_stdin = process(["--pack", "bazhong-2018", "--on", ON, "-"], text.encode("utf-8"))
    assert by_path.returncode == 0 and by_stdin.returncode == 0, by_path.stderr
    assert by_path.stdout == by_stdin.stdout
    assert "义务教育寄宿生生活补助".encode() in by_path.stdout  # Chinese not escaped
    assert b"\\u" not in by_path.stdout
    check_result(json.loads(by_path.stdout.decode("utf-8")), "bazhong-2018")


def test_real_process_exit_codes_and_nothing_on_stdout_for_bad_input() -> None:
    bad_id = process(["--pack", "bazhong-2018", "--on", ON, "-"], json.dumps(
        {"household_id": "h", "members": [{"member_id": "m1"}, {
            "member_id": "m2", "id_number": HEAD_ID[:-1] + ("0" if HEAD_ID[-1] != "0" else "1")}]}
    ).encode())
    assert bad_id.returncode == 2 and bad_id.stdout == b""
    assert re.match(r"members\[1\]\.id_number: check digit is [0-9X], expected [0-9X]\n",
                    bad_id.stderr.decode("utf-8"))
    unknown_pack = process(["--pack", "shanghai-2020", "--on", ON, "-"], b"{}")
    assert unknown_pack.returncode == 3 and unknown_pack.stdout == b""
    unknown_param = process(["--pack", "kaizhou-2016-2020", "--on", ON, "--set",
                             "poverty_line=1", "-"], b"{}")
    assert unknown_param.returncode == 3 and b"poverty_line" in unknown_param.stderr


def test_real_process_batch_and_list_params(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    good = json.dumps(KAIZHOU, ensure_ascii=False)
    path.write_text(f"{good}\n[]\n\n{good}\n", encoding="utf-8")
    done = process(["--pack", "kaizhou-2016-2020", "--on", ON, "--batch", str(path)])
    assert done.returncode == 2
    lines = [json.loads(x) for x in done.stdout.decode("utf-8").splitlines()]
    assert [x.get("household_id", x.get("line")) for x in lines] == ["500234-0001", 2,
                                                                     "500234-0001"]
    assert lines[1] == {"line": 2, "error": "$: must be a JSON object"}
    listed = process(["--pack", "kaizhou-2016-2020", "--list-params"])
    assert listed.returncode == 0
    assert {p["name"] for p in json.loads(listed.stdout)} >= {"poverty_line_yuan"}


# -- invocation forms, in-process -------------------------------------------------------------

BAD_DATES = ["2018-13-01", "2018-9-1", "20180901", "2017-02-29", "", "2018-09-01T00:00",
             "2018-09-01 ", "２０１８-09-01", "18-09-01"]


@pytest.mark.parametrize("on", BAD_DATES)
def test_bad_on_date_exits_2_with_a_message(on: str) -> None:
    result = calc(["--pack", "bazhong-2018", "--on", on, "-"], json.dumps(BAZHONG))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("--on ") and "YYYY-MM-DD" in result.stderr


@pytest.mark.parametrize("args", [
    ["--pack", "bazhong-2018", "-"],                       # no --on
    ["--pack", "bazhong-2018", "--on", ON],                # no FILE
    ["--pack", "bazhong-2018", "--on", ON, "/nonexistent/household.json"],
    ["--pack", "bazhong-2018", "--on", ON, "-", "extra"],
    ["--on", ON, "-"],                                     # no --pack
])
def test_incomplete_invocations_exit_2(args: list[str]) -> None:
    result = calc(args, json.dumps(BAZHONG))
    assert result.exit_code == 2 and result.stdout == ""


@pytest.mark.parametrize("value", ["poverty_line_yuan", "=3750", "poverty_line_yuan=",
                                   "poverty_line_yuan=abc", "poverty_line_yuan=-1",
                                   "poverty_line_yuan=nan", "poverty_line_yuan=Infinity",
                                   "poverty_line_yuan=1e400", "poverty_line_yuan=3,750",
                                   "hospital_absorbs_outpatient=maybe",
                                   "preschool_aid_stacking=sometimes"])
def test_malformed_set_exits_2(value: str) -> None:
    result = run(BAZHONG, "bazhong-2018", "--set", value)
    assert result.exit_code == 2 and result.stdout == "" and result.stderr.startswith("--set")


def test_unknown_names_exit_3_before_anything_else() -> None:
    assert run(BAZHONG, "bazhong-2018", "--set", "POVERTY_LINE_YUAN=1").exit_code == 3
    assert run(BAZHONG, "kaizhou-2016-2020", "--set", "dibao_standard_yuan=1").exit_code == 3
    for extra in (["--set", "x"], ["--on", "not-a-date"], ["--set", "poverty_line_yuan=abc"]):
        result = calc(["--pack", "bazhong", *extra, "-"], "{")
        assert result.exit_code == 3 and result.stdout == "", extra
    assert calc(["--pack", "../packs/bazhong-2018", "--list-params"]).exit_code == 3


def test_set_is_repeatable_and_the_last_value_wins() -> None:
    doc = household(BAZHONG)
    out = output(doc, "bazhong-2018", *sets(("poverty_line_yuan=9999", "poverty_line_yuan=3750",
                                               "medical_premium_lowest_tier_yuan=180.5")))
    assert one(out, "SOC-BZ-08", "m1")["annual_yuan"] == 2750.0  # 3750 − 1000
    assert {d["annual_yuan"] for d in decisions(out, "MED-BZ-01")} == {180.5}
    assert out["assessment"]["dimensions"]["income"] == "fail"  # 3200 < 3750
    booleans = output(doc, "bazhong-2018", "--set", "hospital_absorbs_outpatient=FALSE")
    assert one(booleans, "MED-BZ-18", "m1", episode=1)["status"] == "ineligible"


@pytest.mark.parametrize("pack", ["bazhong-2018", "kaizhou-2016-2020"])
def test_list_params_is_json_with_values_by_date_or_null_when_open(pack: str) -> None:
    result = calc(["--pack", pack, "--list-params"])
    assert result.exit_code == 0
    params = json.loads(result.stdout)
    assert [p["name"] for p in params] == sorted(p["name"] for p in params)
    for p in params:
        assert {"name", "description", "unit", "values", "citation"} <= set(p)
        assert p["description"] and p["unit"]
        assert set(p["citation"]) == {"document", "section", "seed", "lines"}
        if p["open"]:
            assert p["values"] is None
        else:
            assert p["values"] and all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", k) for k in p["values"])
    assert {p["name"]: p for p in params}["poverty_line_yuan"]["values"] is None
    assert all(p["value"] == p["values"] for p in params)
    with_set = calc(["--pack", pack, "--list-params", "--set", "poverty_line_yuan=3750"])
    line = {p["name"]: p for p in json.loads(with_set.stdout)}["poverty_line_yuan"]
    assert (line["values"], line["source"]) == ({"*": 3750.0}, "set")


def test_local_parameter_file_fills_open_parameters_and_set_wins(tmp_path: Path) -> None:
    local = tmp_path / "local.yaml"
    local.write_text("packs:\n  bazhong-2018:\n    poverty_line_yuan:\n"
                     "      values: {2018-01-01: 3535}\n      reference: 测试县文件\n",
                     encoding="utf-8")
    args = ["--pack", "bazhong-2018", "--on", ON, "-"]
    text = json.dumps(BAZHONG)
    out = json.loads(calc(args, text, env={"CASEWORK_LOCAL_PARAMS": str(local)}).stdout)
    assert one(out, "SOC-BZ-08", "m1")["annual_yuan"] == 2535.0
    both = json.loads(calc(["--set", "poverty_line_yuan=3750", *args], text,
                           env={"CASEWORK_LOCAL_PARAMS": str(local)}).stdout)
    assert one(both, "SOC-BZ-08", "m1")["annual_yuan"] == 2750.0
    for empty in ("", "  "):
        unset = json.loads(calc(args, text, env={"CASEWORK_LOCAL_PARAMS": empty}).stdout)
        assert one(unset, "SOC-BZ-08", "m1")["missing"] == ["param:poverty_line_yuan"]
    listed = json.loads(calc(["--pack", "bazhong-2018", "--list-params"],
                             env={"CASEWORK_LOCAL_PARAMS": str(local)}).stdout)
    line = {p["name"]: p for p in listed}["poverty_line_yuan"]
    assert (line["values"], line["source"], line["reference"]) == (
        {"2018-01-01": 3535.0}, "local", "测试县文件")
    bad = tmp_path / "bad.yaml"
    bad.write_text("packs:\n  bazhong-2018:\n    no_such_parameter:\n"
                   "      values: {2018-01-01: 1}\n      reference: x\n", encoding="utf-8")
    refused = calc(args, text, env={"CASEWORK_LOCAL_PARAMS": str(bad)})
    assert refused.exit_code == 3 and refused.stdout == ""


# -- output shape ---------------------------------------------------------------------------------

def _school_days(doc: dict[str, Any], member_id: str) -> int:
    member = next(m for m in doc["members"] if m["member_id"] == member_id)
    return int(member["school"]["school_days"])


def check_annual(out: dict[str, Any], doc: dict[str, Any]) -> None:
    """annual = monthly × 12, per-day × school_days, else the amount (eligible decisions)."""
    for d in out["decisions"]:
        if d["status"] != "eligible":
            continue
        amount, annual = Decimal(repr(d["amount_yuan"])), Decimal(repr(d["annual_yuan"]))
        if d["per"] == "month":
            assert annual == amount * 12, d
        elif d["per"] == "day":
            assert annual == amount * _school_days(doc, d["member_id"]), d
        else:
            assert annual == amount, d
        if d["per"] == "episode":
            assert isinstance(d.get("episode"), int), d


@pytest.mark.parametrize("pack,doc,open_values", [("bazhong-2018", BAZHONG, OPEN_BZ),
                                                  ("kaizhou-2016-2020", KAIZHOU, OPEN_KZ)])
def test_rich_households_give_contract_shaped_output(pack: str, doc: dict[str, Any],
                                                     open_values: tuple[str, ...]) -> None:
    for extra in ((), tuple(sets(open_values))):
        out = output(doc, pack, *extra)
        assert (out["household_id"], out["on"]) == (doc["household_id"], ON)
        check_annual(out, doc)
        member_ids = {m["member_id"] for m in doc["members"]}
        assert {d["member_id"] for d in out["decisions"]} <= member_ids | {None}
    statuses = {d["status"] for d in out["decisions"]}
    assert statuses == {"eligible", "ineligible", "missing_data"}


def test_example_of_the_contract() -> None:
    """The contract's example decision, reproduced exactly."""
    doc = {"household_id": "511922-0001", "registered_poor": True, "members": [
        {"member_id": "m1", "medical_insurance": True},
        {"member_id": "m2", "medical_insurance": False},
        {"member_id": "m3", "school": {"stage": "junior", "boarding": True},
         "medical_insurance": True}]}
    out = output(doc)
    d = one(out, "EDU-BZ-05", "m3")
    assert {k: d[k] for k in ("rule_id", "measure", "title", "member_id", "status", "amount_yuan",
                              "per", "annual_yuan", "payer", "missing", "citation")} == {
        "rule_id": "EDU-BZ-05", "measure": "education", "title": "义务教育寄宿生生活补助",
        "member_id": "m3", "status": "eligible", "amount_yuan": 1250.0, "per": "year",
        "annual_yuan": 1250.0, "payer": "government", "missing": [],
        "citation": {"document": "巴委办〔2018〕11号", "section": "教育扶贫专项 二(三)2",
                     "seed": "000_99b381a438ae79d6.txt", "lines": "1196"}}
    assert d["reasons"][:2] == ["初中在校寄宿生", "家庭经济困难（建档立卡户）"] or (
        "家庭经济困难（建档立卡户）" in d["reasons"])
    assert out["totals"] == {"annual_yuan": 1250.0, "by_measure": {"education": 1250.0}}
    assert out["assessment"]["dimensions"]["basic_medical"] == "fail"
    assert out["assessment"]["status"] == "fails"
    assert "成员 m2 未参加城乡居民医保" in out["assessment"]["reasons"]


def test_money_is_rounded_half_up_to_the_fen_and_per_day_uses_school_days() -> None:
    doc = {"household_id": "k", "registered_poor": True, "members": [
        {"member_id": "c", "school": {"stage": "junior", "boarding": False, "school_days": 183}},
        {"member_id": "d", "school": {"stage": "primary", "boarding": False}}]}
    out = output(doc, "kaizhou-2016-2020")
    assert (one(out, "EDU-KZ-03", "c")["amount_yuan"], one(out, "EDU-KZ-03", "c")["per"],
            one(out, "EDU-KZ-03", "c")["annual_yuan"]) == (7.0, "day", 1281.0)
    assert one(out, "EDU-KZ-07", "c")["annual_yuan"] == 841.8  # 4.6 × 183
    assert one(out, "EDU-KZ-03", "d")["missing"] == ["members[1].school.school_days"]
    assert out["totals"]["annual_yuan"] == 2122.8


def test_bom_is_accepted_and_output_never_escapes_chinese() -> None:
    text = json.dumps(BAZHONG, ensure_ascii=False)
    plain, with_bom = run(text), run(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert with_bom.exit_code == 0 and with_bom.stdout == plain.stdout
    assert "张三" not in plain.stdout  # names are not echoed...
    assert "巴委办〔2018〕11号" in plain.stdout and "\\u" not in plain.stdout  # ...Chinese is raw
    batch = calc(["--pack", "bazhong-2018", "--on", ON, "--batch", "-"],
                 b"\xef\xbb\xbf" + json.dumps(BAZHONG).encode() + b"\n")
    assert batch.exit_code == 0 and len(batch.stdout.splitlines()) == 1


# -- invalid input: exit 2, the JSON path on stderr, nothing on stdout ---------------------------

CHILD_ID = resident_id("51192220080305123")  # 2008-03-05, male


def _member(**fields: Any) -> str:
    return json.dumps({"household_id": "h", "members": [{"member_id": "m1"},
                                                        {"member_id": "m2", **fields}]},
                      ensure_ascii=False)


BAD = [
    (_member(id_number=CHILD_ID[:-1] + ("0" if CHILD_ID[-1] != "0" else "1")),
     r"members\[1\]\.id_number: check digit is \d, expected [0-9X]"),
    (_member(id_number=CHILD_ID[:17]), r"members\[1\]\.id_number: must be 18 characters"),
    (_member(id_number="51192220080230123X"), r"members\[1\]\.id_number: .*not a real date"),
    (_member(id_number=CHILD_ID, birth_date="2008-03-06"),
     r"members\[1\]\.birth_date: birth date 2008-03-06 disagrees with id_number"),
    (_member(birth_date="2008-03-06", id_number=CHILD_ID),
     r"members\[1\]\.birth_date: birth date 2008-03-06 disagrees with id_number"),
    (_member(id_number=CHILD_ID, sex="F"), r"members\[1\]\.sex: sex F disagrees with id_number"),
    (_member(id_number="511922080305124", sex="M"),  # legacy 15 digits, even sequence: female
     r"members\[1\]\.sex: sex M disagrees with id_number"),
    (_member(birth_date="2008-02-30"), r"members\[1\]\.birth_date: 2008-02-30 is not a real date"),
    (_member(member_id="m1"), r"members\[1\]\.member_id: duplicate member_id 'm1'"),
    (json.dumps({"household_id": "h", "members": []}), r"members: must have at least one member"),
    (json.dumps({"household_id": "h"}), r"members: is required"),
    (json.dumps({"members": [{"member_id": "m1"}]}), r"household_id: is required"),
    (json.dumps({"household_id": None, "members": [{"member_id": "m1"}]}),
     r"household_id: is required"),
    (json.dumps({"household_id": " ", "members": [{"member_id": "m1"}]}),
     r"household_id: must not be empty"),
    ("[]", r"\$: must be a JSON object"),
    ('"h"', r"\$: must be a JSON object"),
    ("null", r"\$: must be a JSON object"),
    ("", r"\$: malformed JSON"),
    (json.dumps({"household_id": "h", "members": [{"member_id": "m1"}]}) + " {}",
     r"\$: malformed JSON at line 1 column \d+: Extra data"),
    ('{"household_id": "h", "household_id": "g", "members": [{"member_id": "m1"}]}',
     r"household_id: duplicate key"),
    ('{"household_id": "\\ud800", "members": [{"member_id": "m1"}]}',
     r"household_id: contains an unpaired surrogate"),
    (_member(annual_income_yuan=1e19), r"members\[1\]\.annual_income_yuan: must not exceed"),
    (_member(annual_income_yuan=float("nan")), r"members\[1\]\.annual_income_yuan: must be a finite"),
    (_member(disability_grade=5), r"members\[1\]\.disability_grade: must be between 1 and 4"),
    (_member(school={"stage": "primary", "school_days": 12.5}),
     r"members\[1\]\.school\.school_days: must be an integer"),
    (_member(hospital_stays=[{"total_cost_yuan": 100, "reimbursed_yuan": 101}]),
     r"members\[1\]\.hospital_stays\[0\]\.reimbursed_yuan: must not exceed total_cost_yuan"),
    (_member(sex="m"), r"members\[1\]\.sex: must be one of M, F"),
    (_member(medical_insurance="yes"), r"members\[1\]\.medical_insurance: must be true or false"),
]


@pytest.mark.parametrize("text,pattern", BAD, ids=[p for _, p in BAD])
def test_invalid_input_exits_2_naming_the_json_path(text: str, pattern: str) -> None:
    result = run(text)
    assert result.exit_code == 2, (result.exit_code, result.exception)
    assert result.stdout == ""
    assert re.match(pattern, result.stderr), result.stderr
    assert len(result.stderr.splitlines()) == 2  # the machine line, then the Chinese sentence


def test_invalid_utf8_and_resident_ids_never_reach_any_output() -> None:
    result = run(b'{"household_id": "\xff", "members": [{"member_id": "m1"}]}')
    assert result.exit_code == 2 and result.stderr.startswith("$: input is not valid UTF-8")
    wrong = CHILD_ID[:-1] + ("0" if CHILD_ID[-1] != "0" else "1")
    for text in (_member(id_number=wrong), _member(id_number=CHILD_ID)):
        result = run(text)
        assert CHILD_ID[:17] not in result.stdout + result.stderr


def test_legacy_15_digit_id_gives_birth_date_and_sex() -> None:
    legacy = "511922580901123"  # born 1958-09-01, odd sequence: male
    doc = {"household_id": "k", "members": [{"member_id": "x", "id_number": legacy,
                                             "birth_date": "1958-09-01", "sex": "M",
                                             "pension_insured": True}]}
    out = output(doc, "kaizhou-2016-2020", on="2020-09-01")
    assert one(out, "SOC-KZ-07", "x")["status"] == "eligible"  # 62: born 1958
    young = output(doc, "kaizhou-2016-2020", on="2018-08-31")
    assert "59 周岁" in one(young, "SOC-KZ-07", "x")["reasons"][0]


# -- batch ------------------------------------------------------------------------------------------

def _batch(data: bytes, pack: str = "bazhong-2018") -> tuple[int, list[dict[str, Any]]]:
    result = calc(["--pack", pack, "--on", ON, "--batch", "-"], data)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, [json.loads(line) for line in result.stdout.split("\n") if line]


def test_batch_reports_bad_lines_in_order_among_the_good_ones() -> None:
    good = [json.dumps(household(BAZHONG, household_id=f"h{i}"), ensure_ascii=False)
            for i in range(3)]
    bad_json, bad_id = "{oops", json.dumps({"household_id": 7, "members": [{"member_id": "a"}]})
    data = "\n".join([good[0], bad_json, good[1], "", "   ", bad_id, good[2]]) + "\n"
    code, lines = _batch(data.encode("utf-8"))
    assert code == 2
    assert [x.get("household_id") or x["line"] for x in lines] == ["h0", 2, "h1", 6, "h2"]
    assert lines[1]["error"].startswith("$: malformed JSON")
    assert lines[3] == {"line": 6, "error": "household_id: must be a string"}
    for x in (lines[0], lines[2], lines[4]):
        check_result(x, "bazhong-2018")
    assert lines[0]["decisions"] == lines[2]["decisions"]


def test_batch_of_good_lines_exits_0_and_crlf_is_accepted() -> None:
    data = b"\r\n".join(json.dumps(household(KAIZHOU, household_id=f"k{i}")).encode()
                        for i in range(4)) + b"\r\n"
    code, lines = _batch(data, "kaizhou-2016-2020")
    assert code == 0 and [x["household_id"] for x in lines] == ["k0", "k1", "k2", "k3"]


def test_batch_splits_lines_only_at_newline() -> None:
    """U+2028, U+0085 and form feeds may stand unescaped inside JSON strings."""
    names = ["甲\u2028乙", "丙\u0085丁", "戊\x0c己", "庚\x1e辛"]
    docs = [{"household_id": f"h{i}", "members": [{"member_id": "m1", "name": n}]}
            for i, n in enumerate(names)]
    data = "\n".join(json.dumps(d, ensure_ascii=False) for d in docs).encode("utf-8")
    code, lines = _batch(data)
    assert code == 0 and [x["household_id"] for x in lines] == ["h0", "h1", "h2", "h3"]


def test_batch_bad_utf8_line_spoils_only_itself_and_line_numbers_stay_physical() -> None:
    good = json.dumps(BAZHONG).encode()
    data = b"\n" * 99_998 + good + b"\n" + b'{"household_id": "\xff"}' + b"\n" + good
    code, lines = _batch(data)
    assert code == 2 and len(lines) == 3
    assert lines[1]["line"] == 100_000 and lines[1]["error"].startswith("$: input is not valid UTF-8")
    assert lines[2]["household_id"] == "511922-0001"


def test_batch_empty_input_gives_no_output_and_exit_0() -> None:
    assert _batch(b"") == (0, [])
    assert _batch(b"\n\n  \n") == (0, [])


# -- Bazhong medical settlement (contract's three steps), worked by hand ---------------------------

def _stay(kind: str = "inpatient", *, in_county: bool = True, level: str = "county",
          public: bool = True, total: float, ooc: float, reimbursed: float,
          admitted_on: str = "2018-05-10") -> dict[str, Any]:
    return {"kind": kind, "admitted_on": admitted_on, "in_county": in_county,
            "hospital_level": level, "public": public, "total_cost_yuan": total,
            "out_of_catalog_yuan": ooc, "reimbursed_yuan": reimbursed}


# (name, stay, hospital absorbs (None: no cap applies, ineligible), top-up (None: ineligible))
SETTLEMENTS = [
    # 5% cap 500, absorbs 300; due 10000 − 7000 − 300 = 2700; top-up 2700 − 1000 = 1700
    ("county public in county", _stay(total=10000, ooc=800, reimbursed=7000), 300.0, 1700.0),
    # 5% cap 250, absorbs 150; due 1850; top-up 1850 − 500 = 1350
    ("township public in county", _stay(level="township", total=5000, ooc=400, reimbursed=3000),
     150.0, 1350.0),
    # 10% cap 2000, absorbs 1000; due 7000; out of county: no top-up
    ("city public out of county", _stay(level="city", in_county=False, total=20000, ooc=3000,
                                        reimbursed=12000), 1000.0, None),
    # 10% cap 2000, absorbs 1000; due 4000; top-up 4000 − 2000 = 2000
    ("city public in county", _stay(level="city", total=20000, ooc=3000, reimbursed=15000),
     1000.0, 2000.0),
    # no cap out of county at county level; no top-up for an out-of-county stay
    ("county public out of county", _stay(in_county=False, total=8000, ooc=1000, reimbursed=5000),
     None, None),
    # non-public: no cap, absorbs 0; due 3000; top-up 2000
    ("non-public in county", _stay(public=False, total=10000, ooc=800, reimbursed=7000),
     None, 2000.0),
    ("non-public city", _stay(public=False, level="city", total=10000, ooc=2000,
                              reimbursed=7000), None, 2000.0),
    # chronic outpatient: 5% of 1234.56 = 61.728, absorbs 38.272; due 296.288; cap 123.456;
    # top-up 172.832
    ("chronic outpatient township", _stay("chronic_outpatient", level="township", total=1234.56,
                                          ooc=100, reimbursed=900), 38.27, 172.83),
    # chronic outpatient out of county: no cap; due 400; top-up 300 (chronic episodes anywhere)
    ("chronic outpatient out of county", _stay("chronic_outpatient", level="township",
                                               in_county=False, total=1000, ooc=50,
                                               reimbursed=600), None, 300.0),
    # provincial: no cap; in-county inpatient: due 20000, top-up 15000
    ("provincial", _stay(level="provincial", total=50000, ooc=5000, reimbursed=30000),
     None, 15000.0),
    # half up: cap 0.505, absorbs 0.495 → 0.50; due 9.605, cap 1.01, top-up 8.595 → 8.60
    ("rounding half up", _stay(total=10.1, ooc=1, reimbursed=0), 0.5, 8.6),
    # nothing above the caps: both eligible with 0
    ("under the caps", _stay(total=10000, ooc=0, reimbursed=9500), 0.0, 0.0),
    # absorbs 1500 makes the due negative: top-up 0
    ("due below zero", _stay(total=10000, ooc=2000, reimbursed=9000), 1500.0, 0.0),
]


@pytest.mark.parametrize("stay,absorbs,topup", [s[1:] for s in SETTLEMENTS],
                         ids=[s[0] for s in SETTLEMENTS])
def test_bazhong_settlement_matches_the_contract_to_the_fen(
        stay: dict[str, Any], absorbs: float | None, topup: float | None) -> None:
    doc = {"household_id": "med", "registered_poor": True,
           "members": [{"member_id": "p", "medical_insurance": True, "hospital_stays": [stay]}]}
    out = output(doc)
    hospital, top = one(out, "MED-BZ-18", "p", episode=0), one(out, "MED-BZ-13", "p", episode=0)
    assert hospital["payer"] == "hospital" and top["payer"] == "government"
    assert hospital["per"] == top["per"] == "episode"
    for d, expected in ((hospital, absorbs), (top, topup)):
        if expected is None:
            assert (d["status"], d["annual_yuan"]) == ("ineligible", 0.0), d
        else:
            assert (d["status"], d["amount_yuan"], d["annual_yuan"]) == (
                "eligible", expected, expected), d
    assert out["totals"]["by_measure"].get("medical", 0.0) == (topup or 0.0)


def test_episodes_of_the_policy_year_are_summed_and_others_are_not() -> None:
    stays = [_stay(total=10000, ooc=800, reimbursed=7000),                     # 1700
             _stay("chronic_outpatient", level="township", total=2000, ooc=0,   # 600
                   reimbursed=1200, admitted_on="2018-12-31"),
             _stay(total=10000, ooc=800, reimbursed=7000, admitted_on="2017-12-31"),
             _stay(total=10000, ooc=800, reimbursed=7000, admitted_on="2019-01-01")]
    doc = {"household_id": "med", "registered_poor": True,
           "members": [{"member_id": "p", "hospital_stays": stays[:2]},
                       {"member_id": "q", "hospital_stays": stays[2:]}]}
    out = output(doc)
    assert [d["annual_yuan"] for d in decisions(out, "MED-BZ-13")] == [1700.0, 600.0, 0.0, 0.0]
    assert [d["status"] for d in decisions(out, "MED-BZ-13", "q")] == ["ineligible"] * 2
    assert "2017" in one(out, "MED-BZ-13", "q", episode=0)["reasons"][0]
    assert out["totals"]["annual_yuan"] == 2300.0
    next_year = output(doc, on="2019-06-30")
    assert [d["status"] for d in decisions(next_year, "MED-BZ-13")] == [
        "ineligible", "ineligible", "ineligible", "eligible"]
    undated = {"household_id": "med", "registered_poor": True, "members": [
        {"member_id": "p", "hospital_stays": [{k: v for k, v in stays[0].items()
                                               if k != "admitted_on"}]}]}
    assert one(output(undated), "MED-BZ-13", "p")["annual_yuan"] == 1700.0


def test_stays_before_the_packs_first_date_are_missing_data_not_a_crash() -> None:
    """Bazhong's settlement rates are dated 2018-01-01: a 2017 stay judged in 2017 needs them."""
    stay = _stay(total=10000, ooc=800, reimbursed=7000, admitted_on="2017-05-10")
    doc = {"household_id": "med", "registered_poor": True,
           "members": [{"member_id": "p", "hospital_stays": [stay, {"kind": "inpatient"}]}]}
    out = output(doc, on="2017-06-30")
    for rule in ("MED-BZ-18", "MED-BZ-13", "MED-BZ-12"):
        for d in decisions(out, rule, "p"):
            assert d["status"] == "missing_data" and d["missing"], d
            assert any(m.startswith("param:") for m in d["missing"]) or d.get("episode") == 1, d
    junior = {"household_id": "h", "registered_poor": True,
              "members": [{"member_id": "s", "school": {"stage": "junior", "boarding": True}}]}
    d = one(output(junior, on="2017-09-01"), "EDU-BZ-05", "s")
    assert d["missing"] == ["param:boarding_allowance_junior_yuan"]
    assert "2018-01-01" in d["reasons"][0]  # not in force yet, rather than "left open"


def test_settlement_missing_inputs_name_the_stay_fields() -> None:
    stay = _stay(total=10000, ooc=800, reimbursed=7000)
    for field in ("total_cost_yuan", "out_of_catalog_yuan", "reimbursed_yuan", "public",
                  "hospital_level", "in_county", "kind"):
        doc = {"household_id": "med", "registered_poor": True, "members": [
            {"member_id": "p", "hospital_stays": [{k: v for k, v in stay.items() if k != field}]}]}
        top = one(output(doc), "MED-BZ-13", "p", episode=0)
        assert top["status"] == "missing_data", (field, top)
        assert f"members[0].hospital_stays[0].{field}" in top["missing"], (field, top)


# -- economic_difficulty default -------------------------------------------------------------------

BOARDER = {"member_id": "s", "school": {"stage": "junior", "boarding": True}}
DIFFICULTY = [
    ({"registered_poor": True}, "eligible", "家庭经济困难（建档立卡户）"),
    ({"dibao": True}, "eligible", "家庭经济困难（低保户）"),
    ({"tekun": True}, "eligible", "家庭经济困难（特困供养户）"),
    ({"registered_poor": False, "dibao": False, "tekun": False}, "missing_data", None),
    ({}, "missing_data", None),
    ({"registered_poor": False, "economic_difficulty": True}, "eligible", "家庭经济困难"),
    ({"registered_poor": True, "economic_difficulty": False}, "ineligible", None),
]


@pytest.mark.parametrize("fields,status,reason", DIFFICULTY)
def test_economic_difficulty_default(fields: dict[str, Any], status: str,
                                     reason: str | None) -> None:
    out = output({"household_id": "h", **fields, "members": [BOARDER]})
    d = one(out, "EDU-BZ-05", "s")
    assert d["status"] == status, d
    if status == "missing_data":
        assert d["missing"] == ["economic_difficulty"]
    if reason:
        assert reason in d["reasons"]


# -- open parameters ---------------------------------------------------------------------------------

@pytest.mark.parametrize("pack", ["bazhong-2018", "kaizhou-2016-2020"])
def test_poverty_line_is_open_until_supplied(pack: str) -> None:
    doc = {"household_id": "h", "per_capita_net_income_yuan": 3000, "food_secure": True,
           "clothing_secure": True, "members": [{"member_id": "m1"}]}
    out = output(doc, pack)
    assert out["assessment"]["dimensions"]["income"] == "unknown"
    assert out["assessment"]["dimensions"]["food_clothing"] == "pass"
    line = output(doc, pack, "--set", "poverty_line_yuan=3750")
    assert line["assessment"]["dimensions"]["income"] == "fail"


def test_decisions_needing_the_poverty_line_name_it() -> None:
    doc = {"household_id": "h", "registered_poor": True, "members": [
        {"member_id": "d", "disability_grade": 2, "annual_income_yuan": 1200.5}]}
    d = one(output(doc), "SOC-BZ-08", "d")
    assert (d["status"], d["missing"], d["amount_yuan"]) == (
        "missing_data", ["param:poverty_line_yuan"], None)
    d = one(output(doc, "bazhong-2018", "--set", "poverty_line_yuan=3750"), "SOC-BZ-08", "d")
    assert (d["status"], d["annual_yuan"]) == ("eligible", 2549.5)


# -- assessment -------------------------------------------------------------------------------------

FOOD_CLOTHING = [  # (food_secure, clothing_secure, income, line, expected)
    (True, True, 1000, "3750", "pass"),       # observations win over a low income
    (True, False, 9000, "3750", "fail"),
    (False, None, 9000, "3750", "fail"),
    (None, None, 3750, "3750", "pass"),       # at the line passes
    (None, None, 3749.99, "3750", "fail"),
    (None, None, None, "3750", "unknown"),
    (None, None, 9000, None, "unknown"),
    (True, None, 9000, "3750", "pass"),       # one observation missing: judged by income
    (None, True, 1000, "3750", "fail"),
]


@pytest.mark.parametrize("food,clothing,income,line,expected", FOOD_CLOTHING)
def test_food_clothing_follows_observations_then_income(food: bool | None, clothing: bool | None,
                                                        income: float | None, line: str | None,
                                                        expected: str) -> None:
    doc: dict[str, Any] = {"household_id": "h", "members": [{"member_id": "m1"}]}
    for key, value in (("food_secure", food), ("clothing_secure", clothing),
                       ("per_capita_net_income_yuan", income)):
        if value is not None:
            doc[key] = value
    extra = ("--set", f"poverty_line_yuan={line}") if line else ()
    for pack in ("bazhong-2018", "kaizhou-2016-2020"):
        assert output(doc, pack, *extra)["assessment"]["dimensions"]["food_clothing"] == expected


def test_assessment_dimensions_and_status() -> None:
    base = {"household_id": "h", "food_secure": True, "clothing_secure": True,
            "per_capita_net_income_yuan": 5000, "housing": {"safety_grade": "B"},
            "water_safe": True, "members": [
                {"member_id": "m1", "medical_insurance": True},
                {"member_id": "m2", "medical_insurance": True, "school": {"stage": "primary"}}]}
    line = ("--set", "poverty_line_yuan=3750")
    meets = output(base, "bazhong-2018", *line)["assessment"]
    assert (meets["status"], meets["reasons"], set(meets["dimensions"].values())) == (
        "meets", [], {"pass"})
    unknown = output(base)["assessment"]  # no poverty line
    assert unknown["status"] == "unknown" and unknown["dimensions"]["income"] == "unknown"
    cases = [
        (household(base, water_safe=False), "drinking_water", "fail"),
        (household(base, housing={"safety_grade": "D"}), "housing", "fail"),
        (household(base, housing={"safety_grade": "D"}, relocation={"status": "moved_in"}),
         "housing", "pass"),
        (household(base, housing={}), "housing", "unknown"),
        (household(base, members=[{"member_id": "m1", "medical_insurance": False}]),
         "basic_medical", "fail"),
        (household(base, members=[{"member_id": "m1"}]), "basic_medical", "unknown"),
        (household(base, members=[{"member_id": "m1", "medical_insurance": True,
                                   "out_of_school": True}]), "compulsory_education", "fail"),
        (household(base, per_capita_net_income_yuan=3749), "income", "fail"),
    ]
    for doc, dimension, expected in cases:
        a = output(doc, "bazhong-2018", *line)["assessment"]
        assert a["dimensions"][dimension] == expected, (dimension, a)
        assert a["status"] == {"fail": "fails", "unknown": "unknown", "pass": "meets"}[expected]


# -- ages at --on -----------------------------------------------------------------------------------

@pytest.mark.parametrize("born,on,status", [
    ("1960-03-01", "2020-03-01", "eligible"),     # 60th birthday on the date
    ("1960-03-02", "2020-03-01", "ineligible"),   # one day short
    ("1960-02-29", "2020-02-28", "ineligible"),
    ("1960-02-29", "2020-02-29", "eligible"),
    ("1956-02-29", "2016-02-28", "ineligible"),   # not yet 60 the day before...
    ("1956-02-29", "2016-02-29", "eligible"),     # ...60 on the day in a leap year
    ("1957-12-31", "2017-12-31", "eligible"),
])
def test_age_is_computed_at_the_date(born: str, on: str, status: str) -> None:
    doc = {"household_id": "h", "members": [{"member_id": "x", "birth_date": born,
                                             "pension_insured": True}]}
    d = one(output(doc, "kaizhou-2016-2020", "--set", "resident_pension_min_monthly_yuan=95",
                   on=on), "SOC-KZ-07", "x")
    assert d["status"] == status, d
    if status == "eligible":
        assert (d["amount_yuan"], d["per"], d["annual_yuan"]) == (95.0, "month", 1140.0)
    before_2020 = one(output(doc, "kaizhou-2016-2020", on="2019-12-31"), "SOC-KZ-07", "x")
    assert before_2020["status"] in ("missing_data", "ineligible")  # 95 yuan is dated 2020-01-01
    if before_2020["status"] == "missing_data":
        assert before_2020["missing"] == ["param:resident_pension_min_monthly_yuan"]


def test_age_from_the_resident_id_when_no_birth_date() -> None:
    doc = {"household_id": "h", "members": [{"member_id": "x", "id_number": HEAD_ID,
                                             "pension_insured": True}]}
    monthly = ("--set", "resident_pension_min_monthly_yuan=95")
    on_birthday = output(doc, "kaizhou-2016-2020", *monthly, on="2018-09-01")
    assert one(on_birthday, "SOC-KZ-07", "x")["reasons"][0].startswith("60 周岁")
    day_before = output(doc, "kaizhou-2016-2020", *monthly, on="2018-08-31")
    assert one(day_before, "SOC-KZ-07", "x")["reasons"][0].startswith("59 周岁")
    undated = output({"household_id": "h", "members": [{"member_id": "x"}]}, "kaizhou-2016-2020")
    assert "members[0].birth_date" in one(undated, "SOC-KZ-07", "x")["missing"]


# -- every rule, every candidate ------------------------------------------------------------------

EXTRA_MEMBERS = [
    {"member_id": "p1", "birth_date": "2010-05-05", "medical_insurance": True,
     "school": {"stage": "primary", "boarding": True, "school_days": 170}},
    {"member_id": "p2", "birth_date": "2011-05-05", "school": {"stage": "primary",
                                                              "boarding": False}},
    {"member_id": "k2", "birth_date": "2015-01-01", "school": {"stage": "preschool",
                                                              "public": False, "fee_yuan": 3000}},
    {"member_id": "j2", "birth_date": "2004-01-01", "disability_grade": 2,
     "school": {"stage": "junior", "boarding": False}},
    {"member_id": "mo", "birth_date": "1992-02-02", "sex": "F", "labor": "normal",
     "employment": "self_employed", "pension_insured": True, "critical_illness_insurance": True,
     "hospital_stays": [{"kind": "inpatient", "admitted_on": "2018-04-04", "in_county": True,
                         "hospital_level": "county", "public": True, "childbirth": True,
                         "total_cost_yuan": 3000, "out_of_catalog_yuan": 100,
                         "reimbursed_yuan": 2200}]},
    {"member_id": "n", "birth_date": "1950-01-01", "school": {"stage": "none"}},
]


@pytest.mark.parametrize("pack,base,open_values", [("bazhong-2018", BAZHONG, OPEN_BZ),
                                                   ("kaizhou-2016-2020", KAIZHOU, OPEN_KZ)])
def test_every_rule_is_reported_for_each_candidate(pack: str, base: dict[str, Any],
                                                   open_values: tuple[str, ...]) -> None:
    big = household(base, members=base["members"] + EXTRA_MEMBERS)
    extra = sets(open_values)
    out = output(big, pack, *extra)
    assert {d["rule_id"] for d in out["decisions"]} == {r.id for r in load_pack(pack).rules}
    seen = [(d["rule_id"], d["member_id"], d.get("episode")) for d in out["decisions"]]
    assert len(seen) == len(set(seen))  # one decision per rule, candidate and episode
    household_rules = {d["rule_id"] for d in out["decisions"] if d["member_id"] is None}
    assert all(len([s for s in seen if s[0] == rule]) == 1 for rule in household_rules)

    def member_decisions(result: dict[str, Any], member_id: str) -> list[tuple[Any, ...]]:
        return [(d["rule_id"], d.get("episode"), d["status"], d["annual_yuan"])
                for d in result["decisions"] if d["member_id"] == member_id]

    for member in big["members"]:
        alone = output(household(big, members=[member]), pack, *extra)
        assert member_decisions(out, member["member_id"]) == member_decisions(
            alone, member["member_id"]), member["member_id"]
    by_rule: dict[str, set[str]] = {}
    for rule, member_id, _ in seen:
        if member_id is not None:
            by_rule.setdefault(rule, set()).add(member_id)
    everyone = {m["member_id"] for m in big["members"]}
    always = {"bazhong-2018": ("MED-BZ-01", "MED-BZ-02", "MED-BZ-14", "MED-BZ-15", "SOC-BZ-09"),
              "kaizhou-2016-2020": ("SOC-KZ-07", "SOC-KZ-08", "FIN-KZ-01")}[pack]
    assert all(by_rule[rule] == everyone for rule in always)


# -- a missing field never crashes and never silently means "no" -------------------------------

REQUIRED = re.compile(r"^(household_id|members|members\[\d+\]\.member_id)$")
CANDIDATE_FIELDS = re.compile(r"^members\[\d+\]\.(school|disability_grade|hospital_stays)$")
"""Fields that decide whether a member is a candidate at all: without them the member's decisions
of those rules are not made (absent disability = none; no stays = no episodes; no school record =
not a student). A ``school`` record without ``stage`` still makes the member a candidate of every
school rule (``missing_data`` naming ``school.stage``; RULE_BUGS.md #2)."""
FALLBACKS = {("food_clothing", "food_secure"), ("food_clothing", "clothing_secure"),
             ("housing", "relocation"), ("housing", "relocation.status")}
"""Assessment dimensions that the contract judges another way when a field is absent."""


def _names(path: str) -> tuple[str, ...]:
    """The ``missing`` entries that name the field at ``path`` (or a field inside it)."""
    aliases = [path]
    if path in ("registered_poor", "dibao", "tekun"):
        aliases.append("economic_difficulty")  # its default is derived from these three
    if path.endswith(".id_number"):
        aliases.append(path.replace(".id_number", ".birth_date"))  # the birth date comes from it
    return tuple(aliases)


def _names_field(missing: list[str], path: str) -> bool:
    return any(m == a or m.startswith(a + ".") or m.startswith(a + "[")
               for m in missing for a in _names(path))


def _key(d: dict[str, Any]) -> tuple[Any, ...]:
    return d["rule_id"], d["member_id"], d.get("episode")


VARIANTS = [
    ("bazhong-2018", BAZHONG, OPEN_BZ),
    ("bazhong-2018", household(BAZHONG, registered_poor=False, dibao=False, tekun=False,
                               economic_difficulty=True), OPEN_BZ),
    ("bazhong-2018", household(BAZHONG, registered_poor=False, tekun=True), ()),
    ("kaizhou-2016-2020", KAIZHOU, OPEN_KZ),
    ("kaizhou-2016-2020", household(KAIZHOU, registered_poor=False, dibao=True), OPEN_KZ),
]


@pytest.mark.parametrize("pack,base,open_values", VARIANTS)
def test_removing_any_one_field_gives_missing_data_naming_it(
        pack: str, base: dict[str, Any], open_values: tuple[str, ...]) -> None:
    extra = sets(open_values)
    full = output(base, pack, *extra)
    before = {_key(d): d for d in full["decisions"]}
    for path in leaf_and_branch_paths(base):
        for null in (False, True):
            result = run(without(base, path, null=null), pack, *extra)
            if REQUIRED.match(path):
                assert result.exit_code == 2 and result.stderr.startswith(f"{path}: "), path
                continue
            assert result.exit_code == 0, (path, result.stderr, result.exception)
            out = json.loads(result.stdout)
            check_result(out, pack)
            after = {_key(d): d for d in out["decisions"]}
            for key in after.keys() - before.keys():  # a new candidate: unknown, or plainly not
                d = after[key]
                assert d["status"] == "ineligible" or (
                    d["status"] == "missing_data" and _names_field(d["missing"], path)), (path, d)
            if not CANDIDATE_FIELDS.match(path):
                assert before.keys() <= after.keys(), (path, before.keys() - after.keys())
            for key in after.keys() & before.keys():
                d, old = after[key], before[key]
                if (d["status"], d["annual_yuan"]) == (old["status"], old["annual_yuan"]):
                    continue
                assert d["status"] == "missing_data" and _names_field(d["missing"], path), (
                    path, null, old["status"], d)
            for dimension, verdict in out["assessment"]["dimensions"].items():
                if verdict != full["assessment"]["dimensions"][dimension]:
                    assert verdict == "unknown" or (dimension, path) in FALLBACKS, (
                        path, dimension, verdict)


# -- random partial households -------------------------------------------------------------------

def _resolve(doc: Any, path: str) -> Any:
    """The value at a JSON path of ``doc`` (None when absent)."""
    node = doc
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        if part.startswith("["):
            node = node[int(part[1:-1])] if isinstance(node, list) else None
        else:
            node = node.get(part) if isinstance(node, dict) else None
        if node is None:
            return None
    return node


PATH_LINE = re.compile(r"^(\$|[a-z0-9_]+(\[\d+\])?(\.[a-z0-9_]+(\[\d+\])?)*): \S")


DATES = ["2016-03-01", "2017-06-30", ON, "2020-12-31"]  # Bazhong's values start on 2018-01-01


@pytest.mark.parametrize("pack,open_values", [("bazhong-2018", OPEN_BZ),
                                              ("kaizhou-2016-2020", OPEN_KZ)])
def test_random_partial_households_never_crash(pack: str, open_values: tuple[str, ...]) -> None:
    names = {p.name for p in load_pack(pack).parameters.values()}

    @settings(max_examples=100, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow])
    @given(json_households(), st.booleans(), st.sampled_from(DATES))
    def check(drawn: tuple[dict[str, Any], bool], supplied: bool, on: str) -> None:
        doc, spoiled = drawn
        extra = sets(open_values) if supplied else []
        result = run(doc, pack, *extra, on=on)
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            result.exception)
        assert result.exit_code in (0, 2)
        if result.exit_code == 2:
            assert spoiled, result.stderr  # a well-formed household is always accepted
            assert result.stdout == "" and PATH_LINE.match(result.stderr), result.stderr
            return
        out = json.loads(result.stdout)
        check_result(out, pack)
        check_annual(out, doc)
        for d in out["decisions"]:
            for name in d["missing"]:
                if name.startswith("param:"):
                    assert name[len("param:"):] in names, d
                else:
                    assert _resolve(doc, name) is None, (name, d)  # names an absent field

    check()


def _with_every_amount(doc: Any, value: float) -> Any:
    if isinstance(doc, dict):
        return {k: value if k.endswith(("_yuan", "_m2")) else _with_every_amount(v, value)
                for k, v in doc.items()}
    if isinstance(doc, list):
        return [_with_every_amount(v, value) for v in doc]
    return doc


@pytest.mark.parametrize("pack,base,open_values,rate", [
    ("bazhong-2018", BAZHONG, OPEN_BZ, "relocation_subsidy_min_rate"),
    ("kaizhou-2016-2020", KAIZHOU, OPEN_KZ, "inpatient_rate_uplift")])
def test_the_largest_accepted_numbers_still_compute(pack: str, base: dict[str, Any],
                                                    open_values: tuple[str, ...],
                                                    rate: str) -> None:
    """Amounts up to 10^18 yuan and parameters up to 10^15: products need more than Python's
    default 28 significant digits, and must still round to the fen without a crash."""
    doc = _with_every_amount(base, 1e18)
    huge = [f"{v.split('=')[0]}=1e15" for v in (*open_values, rate)]
    result = run(doc, pack, *sets(tuple(huge)))
    assert result.exit_code == 0, (result.stderr, result.exception)
    out = json.loads(result.stdout)
    amounts = [d["annual_yuan"] for d in out["decisions"] if d["annual_yuan"] is not None]
    assert amounts and all(0 <= a < float("inf") for a in amounts)
    assert 0 <= out["totals"]["annual_yuan"] < float("inf")
    too_big = run(_with_every_amount(base, 1e19), pack)
    assert too_big.exit_code == 2 and "must not exceed" in too_big.stderr


# -- one-off amounts and payers ---------------------------------------------------------------------

@pytest.mark.parametrize("enrolled,status", [(2018, "eligible"), (2017, "ineligible"),
                                             (2019, "ineligible")])
def test_one_off_amounts_count_in_the_year_they_fall_due(enrolled: int, status: str) -> None:
    doc = {"household_id": "k", "registered_poor": True, "members": [
        {"member_id": "u", "school": {"stage": "college", "enrolled_year": enrolled}}]}
    new = one(output(doc, "kaizhou-2016-2020"), "EDU-KZ-06.new_entrant", "u")
    assert (new["status"], new["per"], new["annual_yuan"]) == (
        status, "once", 5000.0 if status == "eligible" else 0.0)
    vocational = {"household_id": "b", "registered_poor": True, "members": [
        {"member_id": "v", "school": {"stage": "vocational", "enrolled_year": enrolled}}]}
    once = one(output(vocational, "bazhong-2018", "--set", "vocational_living_allowance_period=once"),
               "EDU-BZ-11", "v")
    assert (once["status"], once["per"], once["annual_yuan"]) == (
        status, "once", 1000.0 if status == "eligible" else 0.0)
    yearly = one(output(vocational), "EDU-BZ-11", "v")
    assert (yearly["status"], yearly["per"], yearly["annual_yuan"]) == ("eligible", "year", 1000.0)


def test_loans_and_hospital_shares_are_shown_but_not_totalled() -> None:
    out = output(KAIZHOU, "kaizhou-2016-2020")
    bank = [d for d in out["decisions"] if d["payer"] == "bank" and d["status"] == "eligible"]
    assert {d["rule_id"] for d in bank} == {"EDU-KZ-06.loan", "FIN-KZ-01"}
    assert one(out, "EDU-KZ-06.loan", "h")["annual_yuan"] == 20000.0
    government = sum(d["annual_yuan"] for d in out["decisions"]
                     if d["status"] == "eligible" and d["payer"] == "government")
    assert out["totals"]["annual_yuan"] == pytest.approx(government)
    bazhong = output(BAZHONG, "bazhong-2018", *sets(OPEN_BZ))
    assert one(bazhong, "EDU-BZ-09", "m6")["payer"] == "bank"
    assert one(bazhong, "MED-BZ-18", "m1", episode=0)["payer"] == "hospital"
    assert "bank" not in bazhong["totals"]["by_measure"]
