"""The audited reveal of a full ID: a reason is required, the audit event is written before the
ID is shown (and never holds it), the answer is not stored, scope and membership are checked."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import select

from casework.db import read_session
from casework.models import AuditEvent, Member
from casework.uow import UnitOfWork
from casework.reveal import REVEAL_REASONS, RevealRefused, reason_wording
from tests.integration.test_web_history import full_ids_in
from tests.integration.test_web_world import (
    Sessions,
    World,
    csrf_token,
    sessions,  # noqa: F401  (fixture)
    world,  # noqa: F401  (fixture)
)

XIAOTIAN = "511922100001"


def _target(world: World, serial: int = 0) -> tuple[int, int, str]:
    """(household id, head member id, head's full ID) of a 小田村 household."""
    number = sorted(world.numbers_in(XIAOTIAN))[serial]
    hid = world.households[number]
    with read_session(world.engine) as s:
        head = s.scalars(select(Member).where(Member.household_id == hid,
                                              Member.relation == "head")).one()
    return hid, head.id or 0, world.head_id_of[number]


def _reveals(world: World) -> list[AuditEvent]:
    with read_session(world.engine) as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == "reveal")
                              .order_by(AuditEvent.id)))


def _post(client: TestClient[Litestar], url: str, **form: str) -> object:
    return client.post(url, data={"_csrf_token": csrf_token(client), **form})


def test_the_form_asks_for_a_reason_and_shows_only_the_masked_id(
    sessions: Sessions, world: World
) -> None:
    hid, mid, full = _target(world)
    response = sessions("cadre").get(f"/households/{hid}/members/{mid}/reveal")
    assert response.status_code == 200
    html = response.text
    assert "查看原因" in html and all(text in html for text in REVEAL_REASONS.values())
    assert full not in html and full[:6] + "********" + full[-4:] in html
    assert response.headers["cache-control"].startswith("no-store")
    assert 'name="_csrf_token"' in html and f"/members/{mid}/reveal" in html


def test_reveal_with_a_reason_shows_the_id_once_and_audits_who_and_why(
    sessions: Sessions, world: World
) -> None:
    hid, mid, full = _target(world, 1)
    before = len(_reveals(world))
    client = sessions("cadre")
    response = _post(client, f"/households/{hid}/members/{mid}/reveal",  # type: ignore[assignment]
                     reason="business", note="核对户口簿")
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert full in response.text  # type: ignore[attr-defined]
    assert response.headers["cache-control"].startswith("no-store")  # type: ignore[attr-defined]
    assert full not in str(response.url)  # type: ignore[attr-defined]
    events = _reveals(world)
    assert len(events) == before + 1
    event = events[-1]
    assert (event.actor, event.entity, event.entity_id, event.county_code) == (
        "cadre", "members", str(mid), "511922")
    assert "办理业务需核对：核对户口簿" in (event.detail or "")
    assert "测试cadre" in (event.detail or "")
    assert full not in (event.detail or "") and full not in str(event.after or "")
    history = client.get(f"/households/{hid}/history").text
    assert "查看完整身份证号" in history and "办理业务需核对" in history
    assert full_ids_in(history) == []


@pytest.mark.parametrize(("form", "field", "message"), [
    ({}, "reason", "请选择查看原因"),
    ({"reason": "curious"}, "reason", "请选择查看原因"),
    ({"reason": "other"}, "note", "请写明查看原因"),
    ({"reason": "other", "note": " \t "}, "note", "请写明查看原因"),
    ({"reason": "data_check", "note": "很" * 101}, "note", "不能超过100个字"),
])
def test_a_reveal_without_an_acceptable_reason_is_refused_next_to_the_field(
    sessions: Sessions, world: World, form: dict[str, str], field: str, message: str
) -> None:
    hid, mid, full = _target(world, 2)
    before = len(_reveals(world))
    response = _post(sessions("township"), f"/households/{hid}/members/{mid}/reveal", **form)
    assert response.status_code == 422  # type: ignore[attr-defined]
    html = response.text  # type: ignore[attr-defined]
    assert message in html and f'id="{field}-error"' in html
    assert full not in html
    assert len(_reveals(world)) == before


def test_a_typed_id_in_the_note_is_masked_in_the_audit_and_not_echoed(
    sessions: Sessions, world: World
) -> None:
    hid, mid, full = _target(world, 3)
    other_id = world.full_ids[-1]
    client = sessions("admin")
    refused = _post(client, f"/households/{hid}/members/{mid}/reveal", note=other_id)
    assert other_id not in refused.text  # type: ignore[attr-defined]
    _post(client, f"/households/{hid}/members/{mid}/reveal", reason="other",
          note=f"与 {other_id} 核对")
    detail = _reveals(world)[-1].detail or ""
    assert other_id not in detail and other_id[-4:] in detail


def test_inspectors_may_reveal_in_their_county(sessions: Sessions, world: World) -> None:
    hid, mid, full = _target(world, 4)
    response = _post(sessions("inspector"), f"/households/{hid}/members/{mid}/reveal",
                     reason="data_check")
    assert response.status_code == 200 and full in response.text  # type: ignore[attr-defined]
    assert _reveals(world)[-1].actor == "inspector"


@pytest.mark.parametrize("username", ["cadre_fh", "inspector_tj"])
def test_out_of_area_reveal_is_404_and_not_audited(
    sessions: Sessions, world: World, username: str
) -> None:
    hid, mid, full = _target(world, 5)
    before = len(_reveals(world))
    client = sessions(username)
    url = f"/households/{hid}/members/{mid}/reveal"
    assert client.get(url).status_code == 404
    response = _post(client, url, reason="business")
    assert response.status_code == 404 and full not in response.text  # type: ignore[attr-defined]
    assert len(_reveals(world)) == before


def test_a_member_of_another_household_is_404(sessions: Sessions, world: World) -> None:
    hid, _mid, _full = _target(world, 6)
    _other, other_member, other_full = _target(world, 7)
    client = sessions("cadre")
    url = f"/households/{hid}/members/{other_member}/reveal"
    assert client.get(url).status_code == 404
    response = _post(client, url, reason="business")
    assert response.status_code == 404 and other_full not in response.text  # type: ignore[attr-defined]
    for member in (0, 999_999, 2**63):
        assert client.get(f"/households/{hid}/members/{member}/reveal").status_code == 404


def test_a_reveal_without_the_csrf_token_is_refused(sessions: Sessions, world: World) -> None:
    hid, mid, full = _target(world, 8)
    before = len(_reveals(world))
    response = sessions("cadre").post(f"/households/{hid}/members/{mid}/reveal",
                                      data={"reason": "business"})
    assert response.status_code == 403 and full not in response.text
    assert len(_reveals(world)) == before


def test_anonymous_reveal_goes_to_login(world: World) -> None:
    from tests.integration.test_web_world import make_app

    hid, mid, _full = _target(world, 9)
    with TestClient(make_app(world)) as client:
        response = client.get(f"/households/{hid}/members/{mid}/reveal", follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == f"/login?next=/households/{hid}/members/{mid}/reveal"


def test_reason_wording() -> None:
    assert reason_wording("data_check", "") == "数据核查"
    assert reason_wording("business", " 户口\n本 ") == "办理业务需核对：户口 本"
    assert reason_wording("other", "年度复核") == "其他：年度复核"
    with pytest.raises(RevealRefused) as refused:
        reason_wording("", "")
    assert refused.value.field == "reason"


def test_a_member_without_an_id_has_nothing_to_reveal(sessions: Sessions, world: World) -> None:
    hid, _mid, _full = _target(world, 10)
    with UnitOfWork("cadre", world.engine) as uow:
        baby = uow.add(Member(household_id=hid, county_code="511922", member_key="m7",
                              name="新生儿", relation="child"))
        uow.flush()
        baby_id = baby.id
        uow.commit()
    before = len(_reveals(world))
    response = _post(sessions("cadre"), f"/households/{hid}/members/{baby_id}/reveal",
                     reason="business")
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert "没有登记身份证号码" in response.text  # type: ignore[attr-defined]
    assert len(_reveals(world)) == before
