"""``casework calc`` per contract calc-v1: output shape, UTF-8, exit codes 0/2/3, --set,
--list-params, --batch and the local parameter file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from casework.commands.calc import command
from casework.ids import check_character

ROOT = Path(__file__).resolve().parents[3]
DEMO_LOCAL = ROOT / "casework" / "demo" / "local-params.yaml"
DECISION_KEYS = {"rule_id", "measure", "title", "member_id", "status", "amount_yuan", "per",
                 "annual_yuan", "payer", "reasons", "missing", "citation"}


def resident_id(first17: str) -> str:
    return first17 + check_character(first17)


CHILD_ID = resident_id("51192220080305123")  # born 2008-03-05, male


def household(**extra: object) -> dict:
    base = {"household_id": "511922-0001", "registered_poor": True, "members": [
        {"member_id": "m1", "relation": "head", "medical_insurance": True},
        {"member_id": "m2", "id_number": CHILD_ID, "medical_insurance": False,
         "school": {"stage": "junior", "boarding": True}}]}
    base.update(extra)
    return base


def calc(args: list[str], stdin: str = "", env: dict[str, str] | None = None) -> Result:
    runner = CliRunner()
    return runner.invoke(command, args, input=stdin.encode("utf-8"),
                         env={"CASEWORK_LOCAL_PARAMS": "", **(env or {})})


def run_one(doc: object, *extra: str) -> Result:
    return calc(["--pack", "bazhong-2018", "--on", "2018-09-01", *extra, "-"], json.dumps(doc))


def test_single_household_matches_the_contract() -> None:
    result = run_one(household())
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert (out["household_id"], out["pack"], out["pack_version"], out["on"]) == (
        "511922-0001", "bazhong-2018", "2018.1", "2018-09-01")
    boarding = [d for d in out["decisions"] if d["rule_id"] == "EDU-BZ-05"]
    assert len(boarding) == 1 and DECISION_KEYS <= set(boarding[0])
    d = boarding[0]
    assert (d["member_id"], d["status"], d["amount_yuan"], d["per"], d["annual_yuan"], d["payer"]) \
        == ("m2", "eligible", 1250.0, "year", 1250.0, "government")
    assert d["citation"] == {"document": "巴委办〔2018〕11号", "section": "教育扶贫专项 二(三)2",
                             "seed": "000_99b381a438ae79d6.txt", "lines": "1196"}
    assert out["totals"] == {"annual_yuan": 1250.0, "by_measure": {"education": 1250.0}}
    assert out["assessment"]["dimensions"]["basic_medical"] == "fail"
    assert out["assessment"]["status"] == "fails"
    assert "成员 m2 未参加城乡居民医保" in out["assessment"]["reasons"]
    assert "义务教育寄宿生生活补助" in result.stdout  # Chinese not escaped


def test_open_parameter_makes_missing_data_until_set() -> None:
    out = json.loads(run_one(household()).stdout)
    premium = [d for d in out["decisions"] if d["rule_id"] == "MED-BZ-01"]
    assert premium and all(d["status"] == "missing_data" and
                           d["missing"] == ["param:medical_premium_lowest_tier_yuan"] for d in premium)
    assert out["assessment"]["dimensions"]["income"] == "unknown"
    out = json.loads(run_one(household(per_capita_net_income_yuan=3000), "--set",
                             "poverty_line_yuan=3750", "--set",
                             "medical_premium_lowest_tier_yuan=180").stdout)
    assert out["assessment"]["dimensions"]["income"] == "fail"
    assert {d["annual_yuan"] for d in out["decisions"] if d["rule_id"] == "MED-BZ-01"} == {180.0}


def test_local_parameter_file_from_the_environment_and_set_on_top(tmp_path: Path) -> None:
    args = ["--pack", "bazhong-2018", "--on", "2018-09-01", "-"]
    doc = json.dumps(household(per_capita_net_income_yuan=3600))
    local = calc(args, doc, env={"CASEWORK_LOCAL_PARAMS": str(DEMO_LOCAL)})
    assert json.loads(local.stdout)["assessment"]["dimensions"]["income"] == "pass"  # 3535
    both = calc(["--set", "poverty_line_yuan=3750", *args], doc,
                env={"CASEWORK_LOCAL_PARAMS": str(DEMO_LOCAL)})
    assert json.loads(both.stdout)["assessment"]["dimensions"]["income"] == "fail"


BAD_INPUTS = [
    ("{not json", "$"),
    (json.dumps(household(members=[{"member_id": "m1", "id_number": CHILD_ID[:-1] + (
        "0" if CHILD_ID[-1] != "0" else "1")}])), "members[0].id_number"),
    (json.dumps(household(members=[{"member_id": "m1", "id_number": CHILD_ID,
                                    "birth_date": "2008-03-06"}])), "members[0].birth_date"),
    (json.dumps(household(members=[{"member_id": "m1", "school": {"stage": "kindergarten"}}])),
     "members[0].school.stage"),
    (json.dumps(household(members=[{"member_id": "m1", "hospital_stays": [
        {"kind": "inpatient", "total_cost_yuan": -5}]}])), "members[0].hospital_stays[0].total_cost_yuan"),
    (json.dumps({"members": [{"member_id": "m1"}]}), "household_id"),
]


@pytest.mark.parametrize("text,path", BAD_INPUTS, ids=[p for _, p in BAD_INPUTS])
def test_bad_input_exits_2_naming_the_path_with_nothing_on_stdout(text: str, path: str) -> None:
    result = calc(["--pack", "bazhong-2018", "--on", "2018-09-01", "-"], text)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"{path}: ")


def test_unknown_pack_and_unknown_parameter_exit_3() -> None:
    assert calc(["--pack", "nowhere-2018", "--on", "2018-09-01", "-"], "{}").exit_code == 3
    result = run_one(household(), "--set", "poverty_line=3750")
    assert result.exit_code == 3 and result.stdout == "" and "poverty_line" in result.stderr


def test_bad_set_values_exit_2() -> None:
    assert run_one(household(), "--set", "poverty_line_yuan=abc").exit_code == 2
    assert run_one(household(), "--set", "poverty_line_yuan").exit_code == 2
    assert calc(["--pack", "bazhong-2018", "-"], "{}").exit_code == 2  # no --on


def test_list_params() -> None:
    result = calc(["--pack", "bazhong-2018", "--list-params"])
    assert result.exit_code == 0
    params = {p["name"]: p for p in json.loads(result.stdout)}
    assert params["poverty_line_yuan"]["values"] is None
    assert params["boarding_allowance_junior_yuan"]["values"] == {"2018-01-01": 1250.0}
    assert params["boarding_allowance_junior_yuan"]["citation"]["lines"] == "1196"
    assert all({"name", "description", "unit", "values", "citation"} <= set(p)
               for p in params.values())
    with_set = calc(["--pack", "bazhong-2018", "--list-params", "--set", "poverty_line_yuan=3750"])
    assert {p["name"]: p for p in json.loads(with_set.stdout)}["poverty_line_yuan"]["values"] \
        == {"*": 3750.0}


def test_batch_keeps_order_reports_bad_lines_and_exits_2() -> None:
    good = json.dumps(household())
    other = json.dumps(household(household_id="511922-0002"))
    result = calc(["--pack", "bazhong-2018", "--on", "2018-09-01", "--batch", "-"],
                  "\n".join([good, '{"household_id": 7, "members": []}', other]) + "\n")
    assert result.exit_code == 2
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [x.get("household_id") for x in lines] == ["511922-0001", None, "511922-0002"]
    assert lines[1] == {"line": 2, "error": "household_id: must be a string"}


def test_batch_of_valid_lines_exits_0() -> None:
    text = "\n".join(json.dumps(household(household_id=f"h{i}")) for i in range(3))
    result = calc(["--pack", "bazhong-2018", "--on", "2018-09-01", "--batch", "-"], text)
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 3


def test_real_process_writes_utf8_whatever_the_locale(tmp_path: Path) -> None:
    path = tmp_path / "h.json"
    path.write_text(json.dumps(household()), encoding="utf-8")
    env = {**os.environ, "LANG": "C", "LC_ALL": "C", "PYTHONIOENCODING": "ascii",
           "CASEWORK_LOCAL_PARAMS": ""}
    casework = str(Path(sys.executable).parent / "casework")
    done = subprocess.run([casework, "calc", "--pack", "bazhong-2018",
                           "--on", "2018-09-01", str(path)], capture_output=True, env=env,
                          cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert "义务教育寄宿生生活补助".encode("utf-8") in done.stdout
    assert json.loads(done.stdout.decode("utf-8"))["pack"] == "bazhong-2018"
