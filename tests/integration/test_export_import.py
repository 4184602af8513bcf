"""``casework export`` / ``casework import`` (JSON Lines), run through click's CliRunner against
real SQLite and PostgreSQL databases."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Engine, func, select

from casework import migrate
from casework.cli import main
from casework.db import get_engine, read_session
from casework.ids import check_character
from casework.models import Area, AuditEvent, Household, Member, User
from casework.registry import apply_snapshot
from casework.uow import UnitOfWork
from rules import snapshot as s

AREAS = [  # code, name, level, parent code, pack
    ("510000", "四川省", "province", None, None),
    ("511900", "巴中市", "city", "510000", None),
    ("511922", "南江县", "county", "511900", "bazhong-2018"),
    ("511922100", "关坝镇", "township", "511922", None),
    ("511922100201", "五郎沟村", "village", "511922100", None),
    ("511922100202", "新民村", "village", "511922100", None),
    ("500154", "开州区", "county", "510000", "kaizhou-2016-2020"),
    ("500154101", "大进镇", "township", "500154", None),
    ("500154101203", "红旗村", "village", "500154101", None),
]
WULANGGOU, XINMIN, HONGQI = "511922100201", "511922100202", "500154101203"


def resident_id(area: str, born: str, sequence: int) -> str:
    first17 = f"{area}{born}{sequence:03d}"
    return first17 + check_character(first17)


def person(key: str, id_number: str | None = None, **fields: Any) -> s.Member:
    if id_number:
        fields["birth_date"] = dt.date(int(id_number[6:10]), int(id_number[10:12]),
                                       int(id_number[12:14]))
        fields["sex"] = "M" if int(id_number[16]) % 2 else "F"
    return s.Member(member_id=key, id_number=id_number, **fields)


HOUSEHOLDS: list[tuple[str, s.Household]] = [
    (WULANGGOU, s.Household(
        household_id="511922-0003", registered_poor=True, poverty_status="poor", dibao=True,
        per_capita_net_income_yuan=Decimal("3120.50"), housing=s.Housing(safety_grade="C"),
        relocation=s.Relocation(status="moved_in", mode="centralized",
                                subsidy_yuan=Decimal("60000.25")),
        members=(
            person("m1", resident_id("511922", "19700305", 31), name="王建国", relation="head",
                   labor="weak", medical_insurance=True,
                   hospital_stays=(s.HospitalStay(kind="inpatient", admitted_on=dt.date(2018, 3, 2),
                                                  in_county=True, hospital_level="county",
                                                  public=True, total_cost_yuan=Decimal("12000"),
                                                  out_of_catalog_yuan=Decimal("900.5"),
                                                  reimbursed_yuan=Decimal("8000")),)),
            person("m2", resident_id("511922", "20050611", 42), name="王小燕", relation="child",
                   school=s.School(stage="junior", boarding=True, public=True, school_days=180)),
            person("m3", name="王奶奶", birth_date=dt.date(1940, 1, 1), sex="F",
                   relation="parent", disability_grade=2),
        ),
    )),
    (WULANGGOU, s.Household(household_id="511922-0001", tekun=True, tekun_mode="dispersed",
                            members=(person("m1", resident_id("511922", "19550101", 11),
                                            name="李光明"),))),
    (XINMIN, s.Household(household_id="511922-0002", poverty_status="exited", exit_year=2017,
                         water_safe=True, members=(person("a", name="张秀英"),))),
    (HONGQI, s.Household(household_id="500154-0001", registered_poor=True,
                         members=(person("m1", resident_id("500154", "19800909", 51),
                                         name="陈大军", employment="temporary"),))),
]


def build_registry(url: str, *, households: bool = True) -> Engine:
    """Areas, a county administrator for each county, and (optionally) the households; one
    member of 511922-0003 has left (inactive) and must not be exported."""
    engine = get_engine(url)
    with UnitOfWork("test:setup", engine) as uow:
        ids: dict[str, int] = {}
        for code, name, level, parent, pack in AREAS:
            area = uow.add(Area(code=code, name=name, level=level, pack=pack,
                                parent_id=ids.get(parent) if parent else None))
            uow.flush()
            ids[code] = area.id  # type: ignore[assignment]
        for username, county, role, active in [("admin_nj", "511922", "county_admin", True),
                                               ("admin_kz", "500154", "county_admin", True),
                                               ("retired", "511922", "county_admin", False),
                                               ("inspector", "511922", "inspector", True)]:
            uow.add(User(username=username, display_name=username, password_hash="x", role=role,
                         area_id=ids[county], active=active))
        if households:
            for village, snap in HOUSEHOLDS:
                area = uow.get(Area, ids[village], for_update=False)
                apply_snapshot(uow, snap, village=area, existing=None)
            uow.flush()
            leaver = uow.session.scalars(select(Household).where(Household.number == "511922-0003")).one()
            leaver.members.append(Member(county_code="511922", member_key="m0", name="已迁出",
                                         active=False))
        uow.commit()
    return engine


def run(url: str, *args: str) -> Result:
    return CliRunner().invoke(main, list(args), env={"CASEWORK_DATABASE_URL": url},
                              catch_exceptions=False)


def export(url: str, *args: str) -> bytes:
    result = run(url, "export", "--format", "jsonl", *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout_bytes


def counts(url: str) -> tuple[int, int, int]:
    with read_session(get_engine(url)) as session:
        return (session.scalar(select(func.count()).select_from(Household)) or 0,
                session.scalar(select(func.count()).select_from(Member)) or 0,
                session.scalar(select(func.count()).select_from(AuditEvent)) or 0)


def events(url: str, action: str) -> list[AuditEvent]:
    with read_session(get_engine(url)) as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


@pytest.fixture
def source(db_url: str) -> str:
    build_registry(db_url)
    return db_url


@pytest.fixture
def target(request: pytest.FixtureRequest, db_url: str, tmp_path: Path) -> Iterator[str]:
    """A second migrated database of the same kind, with the same areas and no households."""
    if db_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'target.db'}"
        migrate.upgrade(url)
        build_registry(url, households=False)
        yield url
        return
    server = request.getfixturevalue("pg_server")
    url = server.create_database()
    migrate.upgrade(url)
    build_registry(url, households=False)
    try:
        yield url
    finally:
        get_engine(url).dispose()
        server.drop_database(url)


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line if line.endswith("\n") else line + "\n" for line in lines),
                    encoding="utf-8")
    return path


# --- export --------------------------------------------------------------------------------


def test_export_writes_contract_lines_in_number_order(source: str) -> None:
    data = export(source)
    lines = data.decode("utf-8").splitlines()
    docs = [json.loads(line) for line in lines]
    assert [d["household_id"] for d in docs] == ["500154-0001", "511922-0001", "511922-0002",
                                                 "511922-0003"]
    assert list(docs[3])[:5] == ["household_id", "county_code", "township_code", "village_code",
                                 "pack"]
    assert (docs[3]["county_code"], docs[3]["township_code"], docs[3]["village_code"],
            docs[3]["pack"]) == ("511922", "511922100", WULANGGOU, "bazhong-2018")
    assert docs[0]["pack"] == "kaizhou-2016-2020"
    assert [m["member_id"] for m in docs[3]["members"]] == ["m1", "m2", "m3"]  # m0 left
    assert docs[3]["members"][0]["id_number"] == resident_id("511922", "19700305", 31)  # in full
    assert docs[3]["members"][0]["hospital_stays"][0]["out_of_catalog_yuan"] == 900.5
    assert "王建国".encode() in data and b"\\u" not in data  # UTF-8, Chinese not escaped
    assert "address" not in docs[3] and "version" not in docs[3]


def test_export_to_a_file_equals_stdout_and_is_audited(source: str, tmp_path: Path) -> None:
    out = tmp_path / "all.jsonl"
    result = run(source, "export", "--output", str(out))
    assert result.exit_code == 0 and result.stdout_bytes == b""
    assert out.read_bytes() == export(source)
    assert not list(tmp_path.glob(".*partial"))
    first = events(source, "export")[0]
    assert (first.actor, first.entity, first.county_code) == ("system:cli", "households", None)
    assert json.loads(first.detail or "") == {
        "count": 4, "filter": {"county": None, "village": None},
        "destination": str(out.resolve()), "complete": True,
    }


def test_village_filter(source: str) -> None:
    docs = [json.loads(x) for x in export(source, "--village", WULANGGOU).splitlines()]
    assert [d["household_id"] for d in docs] == ["511922-0001", "511922-0003"]
    assert {d["village_code"] for d in docs} == {WULANGGOU}
    (event,) = events(source, "export")
    assert event.county_code == "511922"
    assert json.loads(event.detail or "")["filter"] == {"county": None, "village": WULANGGOU}


def test_county_filter_and_administrator_scope(source: str) -> None:
    numbers = lambda data: [json.loads(x)["household_id"] for x in data.splitlines()]  # noqa: E731
    assert numbers(export(source, "--county", "511922")) == ["511922-0001", "511922-0002",
                                                             "511922-0003"]
    assert numbers(export(source, "--actor", "admin_kz")) == ["500154-0001"]  # their county
    refused = run(source, "export", "--actor", "admin_kz", "--county", "511922")
    assert refused.exit_code == 2 and "500154" in refused.stderr and refused.stdout_bytes == b""
    assert [e.actor for e in events(source, "export")] == ["system:cli", "admin_kz"]


@pytest.mark.parametrize("actor", ["inspector", "retired", "nobody"])
def test_export_refuses_an_actor_who_is_not_an_active_county_admin(source: str, actor: str) -> None:
    result = run(source, "export", "--actor", actor)
    assert result.exit_code == 2
    assert result.stdout_bytes == b"" and "区县管理员" in result.stderr
    assert events(source, "export") == []


def test_export_refuses_unknown_areas(source: str) -> None:
    for args, said in [(["--village", "511922100299"], "unknown village 511922100299"),
                       (["--county", "511999"], "unknown county 511999"),
                       (["--village", HONGQI, "--county", "511922"], "is not in county")]:
        result = run(source, "export", *args)
        assert result.exit_code == 2 and said in result.stderr and result.stdout_bytes == b""


# --- round trip ----------------------------------------------------------------------------


def test_export_import_round_trip_is_exact(source: str, target: str, tmp_path: Path) -> None:
    first = export(source)
    (tmp_path / "all.jsonl").write_bytes(first)
    result = run(target, "import", "--format", "jsonl", str(tmp_path / "all.jsonl"))
    assert result.exit_code == 0, result.stderr
    assert "4 created, 0 updated, 0 unchanged" in result.stdout
    assert export(target) == first
    (event,) = events(target, "import")
    assert event.actor == "system:import" and json.loads(event.detail or "")["created"] == 4
    with read_session(get_engine(target)) as session:
        created = session.scalars(select(AuditEvent.entity).where(AuditEvent.action == "create",
                                                                  AuditEvent.actor == "system:import"))
        assert set(created) == {"households", "members", "hospital_stays"}


def test_reimport_updates_instead_of_duplicating(source: str, tmp_path: Path) -> None:
    lines = export(source).decode().splitlines()
    doc = json.loads(lines[3])
    doc["members"][2]["name"] = "王老太"
    doc["members"] = [doc["members"][2], doc["members"][0]]  # m2 left; order as stored stays
    lines[3] = json.dumps(doc, ensure_ascii=False)
    households, members, _ = counts(source)
    result = run(source, "import", str(write_lines(tmp_path / "edit.jsonl", lines)))
    assert result.exit_code == 0, result.stderr
    assert "0 created, 1 updated, 3 unchanged" in result.stdout
    assert counts(source)[:2] == (households, members)
    after = [json.loads(x) for x in export(source).splitlines()]
    assert [(m["member_id"], m.get("name")) for m in after[3]["members"]] == [
        ("m1", "王建国"), ("m3", "王老太")]
    with read_session(get_engine(source)) as session:
        m2 = session.scalars(select(Member).where(Member.member_key == "m2")).one()
        assert m2.active is False


# --- refusals ------------------------------------------------------------------------------


def five_lines(source: str) -> list[str]:
    lines = export(source).decode().splitlines()
    extra = json.loads(lines[2])
    extra["household_id"], extra["members"] = "511922-0009", [{"member_id": "x", "name": "新户"}]
    return [*lines, json.dumps(extra, ensure_ascii=False)]


def test_bad_check_digit_on_line_3_refuses_the_whole_file(
    source: str, target: str, tmp_path: Path
) -> None:
    lines = five_lines(source)
    good = resident_id("511922", "19550101", 11)
    assert good in lines[1]
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    lines[2] = lines[2].replace('"members":[', f'"members":[{{"member_id":"z","id_number":"{wrong}"}},')
    before = counts(target)
    result = run(target, "import", str(write_lines(tmp_path / "bad.jsonl", lines)))
    assert result.exit_code == 2
    assert f"line 3: members[0].id_number: check digit is {wrong[17]}, expected {good[17]}" \
        in result.stderr
    assert "第3行：第1位成员的身份证号码校验位" in result.stderr
    assert "line 1:" not in result.stderr and "line 5:" not in result.stderr
    assert counts(target) == before  # nothing written, not even an audit event
    assert result.stdout == ""


def test_every_bad_line_is_reported_with_its_number(source: str, target: str, tmp_path: Path) -> None:
    lines = five_lines(source)
    doc = json.loads(lines[0])
    doc["village_code"] = "511922100299"
    lines[0] = json.dumps(doc, ensure_ascii=False)
    lines.insert(2, "")  # blank lines are ignored but counted
    lines.insert(3, "{not json")
    doc = json.loads(lines[4])
    doc["pack"], doc["surprise"] = "kaizhou-2016-2020", 1
    lines[4] = json.dumps(doc, ensure_ascii=False)
    result = run(target, "import", str(write_lines(tmp_path / "bad.jsonl", lines)))
    assert result.exit_code == 2
    reported = [x for x in result.stderr.splitlines() if x.startswith("line ")]
    assert reported == [
        "line 1: village_code: unknown village \"511922100299\"",
        "line 4: $: malformed JSON at column 2: Expecting property name enclosed in double quotes",
        "line 5: surprise: unknown field",
        "line 5: pack: is \"kaizhou-2016-2020\" but village 511922100202 has \"bazhong-2018\"",
    ]
    assert "第1行：村代码\"511922100299\"不是系统中已有的村" in result.stderr
    assert counts(target)[0] == 0


def test_duplicate_households_and_id_numbers_in_a_file(source: str, target: str, tmp_path: Path) -> None:
    lines = export(source).decode().splitlines()
    twin = json.loads(lines[1])
    twin["household_id"] = "511922-0008"  # same person as line 2's m1
    result = run(target, "import", str(write_lines(tmp_path / "dup.jsonl", [*lines, lines[2],
                                                                         json.dumps(twin)])))
    assert result.exit_code == 2
    assert "line 5: household_id: duplicate household_id, also on line 3" in result.stderr
    assert "line 6: members[0].id_number: duplicate ID number, also on line 2 members[0]" \
        in result.stderr
    assert resident_id("511922", "19550101", 11) not in result.stderr  # never echo ID numbers
    assert counts(target)[0] == 0


def test_id_number_active_in_another_stored_household(source: str, tmp_path: Path) -> None:
    moved = json.loads(export(source).decode().splitlines()[1])  # 511922-0001, m1
    moved["household_id"] = "511922-0010"
    result = run(source, "import", str(write_lines(tmp_path / "clash.jsonl", [json.dumps(moved)])))
    assert result.exit_code == 2
    assert ("line 1: members[0].id_number: ID number is active in household 511922-0001 "
            "(member m1), which this file does not update") in result.stderr


def test_a_person_may_move_between_households_of_the_same_file(source: str, tmp_path: Path) -> None:
    lines = export(source).decode().splitlines()
    old, new = json.loads(lines[1]), json.loads(lines[2])  # 511922-0001 m1 -> 511922-0002
    person_doc = old["members"][0]
    old["members"] = [{"member_id": "m9", "name": "留守者"}]
    new["members"].append({**person_doc, "member_id": "b"})
    file = write_lines(tmp_path / "move.jsonl",
                       [json.dumps(new, ensure_ascii=False), json.dumps(old, ensure_ascii=False)])
    result = run(source, "import", str(file))
    assert result.exit_code == 0, result.stderr
    assert "0 created, 2 updated" in result.stdout
    docs = {json.loads(x)["household_id"]: json.loads(x) for x in export(source).splitlines()}
    assert [m["member_id"] for m in docs["511922-0002"]["members"]] == ["a", "b"]
    assert docs["511922-0002"]["members"][1]["id_number"] == person_doc["id_number"]
    assert [m["member_id"] for m in docs["511922-0001"]["members"]] == ["m9"]


def test_import_as_administrator_is_limited_to_their_county(source: str, tmp_path: Path) -> None:
    file = tmp_path / "all.jsonl"
    file.write_bytes(export(source))
    result = run(source, "import", "--actor", "admin_kz", str(file))
    assert result.exit_code == 2
    assert "line 2: county_code: village 511922100201 is outside the actor's county 500154" \
        in result.stderr
    assert "line 1:" not in result.stderr
    ok = write_lines(tmp_path / "kz.jsonl", [file.read_text().splitlines()[0]])
    result = run(source, "import", "--actor", "admin_kz", str(ok))
    assert result.exit_code == 0 and "1 unchanged" in result.stdout
    (event,) = events(source, "import")
    assert (event.actor, event.county_code) == ("admin_kz", "500154")
