"""The gap lists through the real app: who may open them, scoping, filters, paging and the
Excel/CSV downloads (Chinese headers, masked IDs, audited)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import func, select

from casework.db import read_session
from casework.models import Area, AuditEvent, DecisionRun, StoredDecision
from casework.uow import UnitOfWork
from tests.integration.test_web_world import Sessions, World, build_world
from tests.integration.test_web_world import sessions  # noqa: F401  (fixture, on this module's world)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    built = build_world(f"sqlite:///{tmp_path_factory.mktemp('gapsweb') / 'casework.db'}")
    with UnitOfWork("test:gaps", built.engine) as uow:
        run = uow.add(DecisionRun(county_code="511922", pack="bazhong-2018", pack_version="t",
                                  on_date=dt.date(2018, 9, 1), actor="t", status="current"))
        uow.flush()
        for number, hid in built.households.items():
            if number.startswith("511922"):
                uow.add(StoredDecision(run_id=run.id, household_id=hid, county_code="511922",
                                       rule_id="EDU-BZ-05", measure="education", member_key="m2",
                                       status="eligible", amount_yuan=Decimal("1000.00"),
                                       per="year", annual_yuan=Decimal("1000.00"),
                                       payer="government"))
        uow.commit()
    yield built
    built.engine.dispose()



def _in_county(world: World) -> set[str]:
    return {n for n in world.households if n.startswith("511922")}


def test_who_may_open_the_lists(world: World, sessions: Sessions) -> None:
    for user in ("inspector", "admin", "township"):
        assert sessions(user).get("/inspect/gaps").status_code == 200
        assert sessions(user).get("/inspect/gaps/missed").status_code == 200
    assert sessions("cadre").get("/inspect/gaps/missed").status_code == 403
    assert sessions("inspector").get("/inspect/gaps/nonsense").status_code == 404
    assert sessions("inspector").get("/inspect/gaps/missed?format=pdf").status_code == 404
    assert sessions("inspector").get("/inspect/gaps/missed?page=abc").status_code == 200


def test_missed_list_is_scoped_filtered_and_paged(world: World, sessions: Sessions) -> None:
    inspector = sessions("inspector")
    page = inspector.get("/inspect/gaps/missed")
    assert f"<strong data-total>{len(_in_county(world))}</strong>" in page.text
    assert not any(full in page.text for full in world.full_ids)
    township = sessions("township").get("/inspect/gaps/missed").text
    mine = world.numbers_in("511922100001", "511922100002")
    assert f"<strong data-total>{len(mine)}</strong>" in township
    with read_session(world.engine) as s:
        village = s.scalar(select(Area.id).where(Area.code == "511922100002"))
    filtered = inspector.get(f"/inspect/gaps/missed?village={village}").text
    assert f"<strong data-total>{len(world.numbers_in('511922100002'))}</strong>" in filtered
    assert sessions("inspector_tj").get("/inspect/gaps/missed").text.count("<tr>") == 0


def test_downloads(world: World, sessions: Sessions) -> None:
    inspector = sessions("inspector")
    with read_session(world.engine) as s:
        before = s.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "export")) or 0
    csv_file = inspector.get("/inspect/gaps/missed?format=csv")
    assert csv_file.status_code == 200 and csv_file.content.startswith(b"\xef\xbb\xbf")
    assert "attachment" in csv_file.headers["content-disposition"]
    lines = csv_file.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("户编号,乡镇,村,政策编号,政策项目,享受成员,身份证号")
    assert len(lines) == 1 + len(_in_county(world))
    assert not any(full in csv_file.text for full in world.full_ids)
    xlsx = inspector.get("/inspect/gaps/missed?format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet["A1"].value == "户编号" and sheet.max_row == 1 + len(_in_county(world))
    masked = {sheet.cell(row=r, column=7).value for r in range(2, sheet.max_row + 1)}
    assert all(m.startswith("*" * 14) for m in masked)
    with read_session(world.engine) as s:
        after = s.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "export")) or 0
    assert after == before + 2
