"""The received-measure pages through the real app: who may read and write, out-of-area 404s,
refused forms keep the input with messages beside the fields, conflicts, upload, and a Hypothesis
fuzz of the add form (never a 500; a refusal writes nothing)."""

from __future__ import annotations

import datetime as dt
import io
import secrets
import string
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from casework.db import read_session
from casework.models import Area, DecisionRun, Member, StoredDecision
from casework.models.received_measures import ReceivedMeasure
from casework.uow import UnitOfWork
from tests.integration.test_web_world import Sessions, World, build_world, csrf_token
from tests.integration.test_web_world import sessions  # noqa: F401  (fixture, on this module's world)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    built = build_world(f"sqlite:///{tmp_path_factory.mktemp('rmweb') / 'casework.db'}")
    with built.engine.begin() as conn:
        conn.execute(update(Area).where(Area.level == "county").values(pack="bazhong-2018"))
    yield built
    built.engine.dispose()



def _rows(world: World, hid: int) -> list[tuple]:
    with read_session(world.engine) as s:
        return [(r.id, r.version, r.rule_id, r.member_id, r.amount_yuan, r.since, r.until, r.payer)
                for r in s.scalars(select(ReceivedMeasure).where(ReceivedMeasure.household_id == hid)
                                   .order_by(ReceivedMeasure.id))]


def _child(world: World, hid: int) -> int:
    with read_session(world.engine) as s:
        return s.scalar(select(Member.id).where(Member.household_id == hid, Member.member_key == "m2"))


def _form(client, **values: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"_csrf_token": csrf_token(client), "key": secrets.token_urlsafe(18), **values}


def test_roles_and_scope(world: World, sessions: Sessions) -> None:
    hid = world.households[sorted(world.numbers_in("511922100001"))[0]]
    outside = world.households[sorted(world.numbers_in("511922101001"))[0]]
    for user in ("inspector", "cadre", "township", "admin"):
        assert sessions(user).get(f"/households/{hid}/measures").status_code == 200
    inspector = sessions("inspector")
    body = _form(inspector, rule_id="SOC-BZ-02", since="2018-01-01", payer="县民政局")
    assert inspector.post(f"/households/{hid}/measures", data=body).status_code == 403
    cadre = sessions("cadre")
    assert cadre.post(f"/households/{hid}/measures", data=_form(cadre)).status_code == 403
    township = sessions("township")
    assert township.get(f"/households/{outside}/measures").status_code == 404
    body = _form(township, rule_id="SOC-BZ-02", since="2018-01-01", payer="县民政局")
    assert township.post(f"/households/{outside}/measures", data=body).status_code == 404
    assert _rows(world, hid) == [] and _rows(world, outside) == []
    assert inspector.get("/measures/import").status_code == 403
    with UnitOfWork("test", world.engine) as uow:  # an entry of another household in the area
        other = uow.add(ReceivedMeasure(
            household_id=world.households[sorted(world.numbers_in("511922100001"))[9]],
            county_code="511922", rule_id="SOC-BZ-02", since=dt.date(2018, 1, 1), payer="x",
            created_by="t"))
        uow.commit()
    assert township.get(f"/households/{hid}/measures/{other.id}/edit").status_code == 404
    body = _form(township, version="1")
    assert township.post(f"/households/{hid}/measures/{other.id}/delete", data=body).status_code == 404
    assert township.get(f"/households/{hid}/measures/{2**70}/edit").status_code == 404


def test_add_refuse_edit_conflict_end(world: World, sessions: Sessions) -> None:
    hid = world.households[sorted(world.numbers_in("511922100001"))[1]]
    client = sessions("township")
    refused = client.post(f"/households/{hid}/measures", data=_form(
        client, rule_id="EDU-BZ-05", amount_yuan="12abc", since="2018-03-01", payer="县教育局"))
    assert refused.status_code == 422
    assert "金额应为数字" in refused.text
    assert "此项政策按人享受" in refused.text and 'value="12abc"' in refused.text
    assert _rows(world, hid) == []
    child = _child(world, hid)
    ok = client.post(f"/households/{hid}/measures", data=_form(
        client, rule_id="EDU-BZ-05", member_id=str(child), amount_yuan="1000", since="2018-03-01",
        payer="县教育局"), follow_redirects=False)
    assert ok.status_code == 303
    (mid, version, *_rest), = _rows(world, hid)
    page = client.get(f"/households/{hid}/measures")
    assert "义务教育寄宿生生活补助" in page.text and "县教育局" in page.text
    edit = dict(rule_id="EDU-BZ-05", member_id=str(child), amount_yuan="1100", since="2018-03-01",
                payer="县教育局", version=str(version))
    first = client.post(f"/households/{hid}/measures/{mid}/edit", data=_form(client, **edit),
                        follow_redirects=False)
    assert first.status_code == 303
    stale = client.post(f"/households/{hid}/measures/{mid}/edit",
                        data=_form(client, **(edit | {"amount_yuan": "900"})))
    assert stale.status_code == 409 and "已被他人修改" in stale.text
    assert _rows(world, hid)[0][4] == 1100
    assert 'value="900"' in stale.text  # the user's input is kept …
    assert f'name="version" value="{version + 1}"' in stale.text  # … to resubmit over the new one
    resubmit = client.post(f"/households/{hid}/measures/{mid}/edit", data=_form(
        client, **(edit | {"amount_yuan": "900", "version": str(version + 1)})),
        follow_redirects=False)
    assert resubmit.status_code == 303 and _rows(world, hid)[0][4] == 900
    version += 1
    early = client.post(f"/households/{hid}/measures/{mid}/end", data=_form(
        client, end_until="2017-01-01", version=str(version + 1)))
    assert early.status_code == 422 and "终止日期不能早于起始日期" in early.text
    assert 'value="2017-01-01"' in early.text
    ended = client.post(f"/households/{hid}/measures/{mid}/end", data=_form(
        client, end_until="2018-12-31", version=str(version + 1)), follow_redirects=False)
    assert ended.status_code == 303 and str(_rows(world, hid)[0][6]) == "2018-12-31"


def test_page_compares_with_the_current_run(world: World, sessions: Sessions) -> None:
    number = sorted(world.numbers_in("511922100002"))[1]
    hid = world.households[number]
    child = _child(world, hid)
    with read_session(world.engine) as s:
        head = s.scalar(select(Member.id).where(Member.household_id == hid, Member.member_key == "m1"))
    with UnitOfWork("test", world.engine) as uow:
        run = uow.add(DecisionRun(county_code="511922", pack="bazhong-2018", pack_version="t",
                                  on_date=dt.date(2018, 9, 1), actor="t", status="current"))
        uow.flush()
        uow.add(StoredDecision(run_id=run.id, household_id=hid, county_code="511922",
                               rule_id="EDU-BZ-05", measure="education", member_key="m2",
                               status="eligible", amount_yuan=Decimal("1250.00"), per="year",
                               annual_yuan=Decimal("1250.00"), payer="government"))
        uow.add(ReceivedMeasure(household_id=hid, county_code="511922", member_id=head,
                                rule_id="SOC-BZ-06", since=dt.date(2018, 1, 1), payer="县民政局",
                                created_by="t"))
        uow.commit()
    client = sessions("township")
    page = client.get(f"/households/{hid}/measures").text
    assert 'data-owed="EDU-BZ-05"' in page and "data-not-owed" in page
    assert f"member_id={child}" in page and "amount_yuan=1250.00" in page
    form = client.get(f"/households/{hid}/measures?rule_id=EDU-BZ-05&member_id={child}"
                      "&amount_yuan=1250.00&payer=县教育局").text
    assert 'value="1250.00"' in form and f'<option value="{child}" selected>' in form
    assert "登记</a>" not in sessions("inspector").get(f"/households/{hid}/measures").text


def test_upload_refusal_lists_rows(world: World, sessions: Sessions) -> None:
    client = sessions("township")
    a = sorted(world.numbers_in("511922100002"))[0]
    csv_body = f"户编号,政策项目,起始日期,发放部门\r\n{a},SOC-BZ-02,2018-01-01,县民政局\r\n9999,SOC-BZ-02,,\r\n"
    answer = client.post("/measures/import", data={"_csrf_token": csrf_token(client), "key": "u" * 20},
                         files={"file": ("m.csv", io.BytesIO(csv_body.encode()), "text/csv")})
    assert answer.status_code == 422 and "第3行 户编号" in answer.text
    assert _rows(world, world.households[a]) == []


garbage = st.one_of(st.text(max_size=30), st.sampled_from(
    ["", "0", "-1", "1e9", "NaN", "inf", "2018-02-30", "2999-01-01", "1800-01-01", "2018-03-01",
     "EDU-BZ-05", "SOC-BZ-02", "MED-BZ-12", "县教育局", "\x00", "<script>", "99999999999"]),
    st.text(alphabet=string.digits + "-./", max_size=12))
FIELDS = ("rule_id", "member_id", "amount_yuan", "since", "until", "payer", "note", "version",
          "household_id", "county_code", "created_by", "id")


def test_fuzzed_add_form_never_fails_and_refusals_write_nothing(
        world: World, sessions: Sessions) -> None:
    client = sessions("township")
    hid = world.households[sorted(world.numbers_in("511922100001"))[5]]
    valid = {"rule_id": "SOC-BZ-02", "since": "2018-01-01", "payer": "县民政局"}
    statuses: Counter[int] = Counter()

    @settings(max_examples=40, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(start=st.booleans(), values=st.dictionaries(st.sampled_from(FIELDS), garbage, max_size=4),
           bad_key=st.integers(0, 4).map(lambda n: n == 0))
    def run(start: bool, values: dict[str, str], bad_key: bool) -> None:
        form = (valid if start else {}) | values
        form |= {"_csrf_token": csrf_token(client), "key": "x" if bad_key else secrets.token_urlsafe(18)}
        before = _rows(world, hid)
        answer = client.post(f"/households/{hid}/measures", data=form, follow_redirects=False)
        assert answer.status_code in (303, 422), (answer.status_code, form)
        statuses[answer.status_code] += 1
        after = _rows(world, hid)
        if answer.status_code == 422:
            assert after == before
        else:
            assert len(after) == len(before) + 1 and not bad_key
            with world.engine.begin() as conn:  # keep the next example free of overlaps
                conn.execute(ReceivedMeasure.__table__.delete().where(
                    ReceivedMeasure.household_id == hid))

    run()
    assert statuses[303] > 0 and statuses[422] > 0
