"""The strict parameter loader: every bad fixture pins its message (file, line, text); the real
packs load; local files and --set layer over the pack."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from rules.pack import KNOWN_PACKS, UnknownPack, available_packs, load_pack
from rules.params import (BadOverride, MissingParam, UnknownParameter, apply_local_file,
                          load_parameter)
from rules.strict_yaml import LoaderError

FIXTURES = Path(__file__).parent / "fixtures"
BAD_PARAMETERS = sorted((FIXTURES / "bad_parameters").glob("*.yaml"))
BAD_LOCAL = sorted((FIXTURES / "bad_local").glob("*.yaml"))
DEMO_LOCAL = Path(__file__).resolve().parents[3] / "casework" / "demo" / "local-params.yaml"


def expected_message(path: Path) -> str:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# expect: "), f"{path.name} must start with '# expect: LINE: MESSAGE'"
    return first.removeprefix("# expect: ")


def test_there_are_bad_fixtures() -> None:
    assert len(BAD_PARAMETERS) >= 15 and len(BAD_LOCAL) >= 5


@pytest.mark.parametrize("path", BAD_PARAMETERS, ids=lambda p: p.stem)
def test_bad_parameter_file_is_refused_with_its_message(path: Path) -> None:
    with pytest.raises(LoaderError) as err:
        load_parameter(path)
    assert f"{err.value.line}: {err.value.message}" == expected_message(path)
    assert str(err.value).startswith(f"{path}:{err.value.line}: ")


@pytest.mark.parametrize("path", BAD_LOCAL, ids=lambda p: p.stem)
def test_bad_local_file_is_refused_with_its_message(path: Path) -> None:
    pack = load_pack("bazhong-2018")
    with pytest.raises(LoaderError) as err:
        apply_local_file(pack.parameters, pack.name, path, KNOWN_PACKS)
    assert f"{err.value.line}: {err.value.message}" == expected_message(path)


def test_bazhong_pack_loads_with_citations() -> None:
    pack = load_pack("bazhong-2018")
    assert pack.version == "2018.1"
    assert pack.parameters["boarding_allowance_junior_yuan"].at(dt.date(2018, 9, 1)) == 1250
    for p in pack.parameters.values():
        assert p.citation.seed == "000_99b381a438ae79d6.txt" and p.citation.lines


def test_open_parameter_has_no_value_until_supplied(tmp_path: Path) -> None:
    pack = load_pack("bazhong-2018")
    assert pack.parameters["poverty_line_yuan"].open
    with pytest.raises(MissingParam):
        pack.view(dt.date(2018, 9, 1)).get("poverty_line_yuan")
    local = tmp_path / "local.yaml"
    local.write_text("packs:\n  bazhong-2018:\n    poverty_line_yuan:\n"
                     "      values: {2018-01-01: 3535}\n      reference: 县扶贫局文件\n", "utf-8")
    layered = load_pack("bazhong-2018", local_params=local)
    assert layered.view(dt.date(2018, 9, 1)).number("poverty_line_yuan") == Decimal(3535)
    assert layered.parameters["poverty_line_yuan"].reference == "县扶贫局文件"
    both = load_pack("bazhong-2018", local_params=local, overrides=[("poverty_line_yuan", "3750")])
    assert both.view(dt.date(2018, 9, 1)).number("poverty_line_yuan") == Decimal(3750)


def test_local_values_start_at_their_dates(tmp_path: Path) -> None:
    local = tmp_path / "local.yaml"
    local.write_text("packs:\n  bazhong-2018:\n    care_allowance_grade1_monthly_yuan:\n"
                     "      values: {2018-01-01: 80, 2018-07-01: 100}\n      reference: 县文件\n",
                     "utf-8")
    pack = load_pack("bazhong-2018", local_params=local)
    assert pack.view(dt.date(2018, 6, 30)).number("care_allowance_grade1_monthly_yuan") == 80
    assert pack.view(dt.date(2018, 7, 1)).number("care_allowance_grade1_monthly_yuan") == 100


def test_unknown_override_and_bad_values_are_refused() -> None:
    with pytest.raises(UnknownParameter):
        load_pack("bazhong-2018", overrides=[("poverty_line", "3750")])
    with pytest.raises(BadOverride):
        load_pack("bazhong-2018", overrides=[("poverty_line_yuan", "-1")])
    with pytest.raises(BadOverride):
        load_pack("bazhong-2018", overrides=[("preschool_aid_stacking", "both")])
    with pytest.raises(BadOverride):
        load_pack("bazhong-2018", overrides=[("hospital_absorbs_outpatient", "yes")])


def test_unknown_pack() -> None:
    with pytest.raises(UnknownPack):
        load_pack("chengdu-2018")
    with pytest.raises(UnknownPack):
        load_pack("../bazhong-2018")
    assert "bazhong-2018" in available_packs()


def test_demo_local_file_supplies_every_open_parameter_of_every_installed_pack() -> None:
    for name in available_packs():
        pack = load_pack(name, local_params=DEMO_LOCAL)
        still_open = [p.name for p in pack.parameters.values() if p.open]
        assert still_open == [], f"{name}: demo file leaves {still_open} open"
        base = load_pack(name)
        supplied = [p for p in base.parameters.values() if p.open]
        assert supplied, f"{name} declares no open parameter"
        for p in supplied:
            assert pack.parameters[p.name].reference, p.name
