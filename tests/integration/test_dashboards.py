"""The inspector's status dashboards over the small known world: totals equal direct counts,
drill-down and scoping, targets with their gaps, charts, the household lists and their exports,
tallies kept exact by a save, and the trend by month."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select, update

from casework.dashboards.counting import month_of, record_county
from casework.dashboards.figures import months_back
from casework.db import read_session, write_engine
from casework.editing.commands import UpdateFacts
from casework.editing.service import save
from casework.models import Area, DecisionRun, Household, Member, StoredAssessment, User
from casework.models.tallies import AssessmentTally
from casework.recompute import recompute
from tests.integration.test_web_world import HOUSEHOLDS_PER_VILLAGE, Sessions, World, build_world
from tests.integration.test_web_world import sessions  # noqa: F401  (fixture, on this module's world)

ON = dt.date(2018, 9, 1)
NANJIANG, TONGJIANG = "511922", "511921"
GUANBA, QIAOTING = "511922100", "511922101"
XIAOTIAN = "511922100001"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    built = build_world(f"sqlite:///{tmp_path_factory.mktemp('dash') / 'casework.db'}")
    with write_engine(built.engine).begin() as conn:
        conn.execute(update(Area.__table__).where(Area.level == "county").values(pack="bazhong-2018"))
    recompute(on=ON, engine=built.engine, workers=1, local_params=None)
    yield built
    built.engine.dispose()



def _numbers(html: str, label: str) -> int:
    match = re.search(r'tile-num">(\d+)</span><span class="tile-label">' + label, html)
    assert match, label
    return int(match.group(1))


def _direct(world: World, county: str, *where: object) -> tuple[int, int]:
    with read_session(world.engine) as s:
        households = s.scalar(select(func.count()).select_from(Household).where(
            Household.county_code == county, Household.active, *where))
        people = s.scalar(select(func.count()).select_from(Member).join(
            Household, Household.id == Member.household_id).where(
            Household.county_code == county, Household.active, Member.active, *where))
    return households or 0, people or 0


def test_inspect_opens_at_the_users_county(sessions: Sessions) -> None:
    response = sessions("inspector").get("/inspect", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/inspect/areas/{NANJIANG}"


def test_county_totals_equal_direct_counts(world: World, sessions: Sessions) -> None:
    html = sessions("inspector").get(f"/inspect/areas/{NANJIANG}").text
    households, people = _direct(world, NANJIANG)
    assert households == 39 and people == 78
    assert _numbers(html, "登记户") == households
    assert _numbers(html, "登记人口") == people
    with read_session(world.engine) as s:
        fails = s.scalar(select(func.count()).select_from(StoredAssessment).join(
            DecisionRun, DecisionRun.id == StoredAssessment.run_id).where(
            DecisionRun.county_code == NANJIANG, DecisionRun.status == "current",
            StoredAssessment.status == "fails"))
    assert _numbers(html, "有不达标户") == fails


def test_county_lists_townships_with_links_and_township_lists_villages(sessions: Sessions) -> None:
    client = sessions("inspector")
    county = client.get(f"/inspect/areas/{NANJIANG}").text
    assert f'href="/inspect/areas/{GUANBA}"' in county and f'href="/inspect/areas/{QIAOTING}"' in county
    assert "各乡镇情况" in county
    township = client.get(f"/inspect/areas/{GUANBA}").text
    assert f'href="/inspect/areas/{XIAOTIAN}"' in township and "各村情况" in township
    assert f'href="/inspect/areas/{NANJIANG}"' in township  # the breadcrumb back up
    village = client.get(f"/inspect/areas/{XIAOTIAN}")
    assert village.status_code == 200
    assert _numbers(village.text, "登记户") == HOUSEHOLDS_PER_VILLAGE[XIAOTIAN]


@pytest.mark.parametrize("path", [f"/inspect/areas/{NANJIANG}", f"/inspect/areas/{GUANBA}",
                                  f"/inspect/areas/{XIAOTIAN}",
                                  f"/inspect/areas/{XIAOTIAN}/households",
                                  f"/inspect/areas/{NANJIANG}/households?format=csv",
                                  "/inspect/areas/51", "/inspect/areas/5119221000019999",
                                  "/inspect/areas/abc"])
def test_an_inspector_sees_nothing_of_another_county(sessions: Sessions, path: str) -> None:
    assert sessions("inspector_tj").get(path).status_code == 404


def test_township_staff_see_their_township_only(sessions: Sessions) -> None:
    client = sessions("township")
    assert client.get("/inspect", follow_redirects=False).headers["location"] == f"/inspect/areas/{GUANBA}"
    assert client.get(f"/inspect/areas/{GUANBA}").status_code == 200
    assert client.get(f"/inspect/areas/{XIAOTIAN}").status_code == 200
    for other in (NANJIANG, QIAOTING, "511922101001"):
        assert client.get(f"/inspect/areas/{other}").status_code == 404


def test_cadres_may_not_open_dashboards(sessions: Sessions) -> None:
    assert sessions("cadre").get(f"/inspect/areas/{XIAOTIAN}").status_code == 403
    assert sessions("cadre").get("/inspect", follow_redirects=False).status_code == 403


def test_targets_are_shown_with_their_gap_and_citation(world: World, sessions: Sessions) -> None:
    html = sessions("inspector").get(f"/inspect/areas/{NANJIANG}").text
    _households, people = _direct(world, NANJIANG)
    section = html[html.index("政策目标与差距"):html.index("各乡镇情况")]
    for target in ("T-BZ-01", "T-BZ-02", "T-BZ-19", "T-BZ-24"):
        assert target in section
    # nobody in the world has a family doctor recorded: 0 %, the whole population is the gap
    doctor = section[section.index("T-BZ-02"):section.index("T-BZ-19")]
    assert f"实际 <strong>0.0%</strong>（0 / {people} 人）" in doctor
    assert "差距 <strong>100.0</strong> 个百分点" in doctor
    assert f'gap=family_doctor">{people} 人</a>' in doctor
    assert "巴委办〔2018〕11号" in doctor and "第 1321 行" in doctor
    # every child is at junior school and none is out of school: the target is met
    school = section[section.index("T-BZ-19"):section.index("T-BZ-24")]
    assert "已达到" in school and f"（{people // 2} / {people // 2} 人）" in school


def test_charts_render_with_the_numbers(world: World, sessions: Sessions) -> None:
    html = sessions("inspector").get(f"/inspect/areas/{NANJIANG}").text
    assert html.count('<svg class="bars"') == 6
    with read_session(world.engine) as s:
        guanba_housing_fail = s.scalar(select(func.count()).select_from(StoredAssessment).join(
            Household, Household.id == StoredAssessment.household_id).join(
            Area, Area.id == Household.village_id).where(
            Area.code.like(f"{GUANBA}%"), StoredAssessment.housing == "fail"))
    housing = html[html.index("住房安全有保障：各乡镇户数"):]
    housing = housing[:housing.index("</svg>")]
    assert "<desc>" in housing and f"关坝镇：达标" in housing
    assert f"不达标 {guanba_housing_fail}</text>" in housing
    assert guanba_housing_fail > 0


def test_the_failing_households_list_is_the_direct_list(world: World, sessions: Sessions) -> None:
    client = sessions("inspector")
    html = client.get(f"/inspect/areas/{GUANBA}/households?dimension=housing&status=fail").text
    with read_session(world.engine) as s:
        expected = set(s.scalars(select(Household.number).join(
            StoredAssessment, StoredAssessment.household_id == Household.id).join(
            Area, Area.id == Household.village_id).where(
            Area.code.like(f"{GUANBA}%"), StoredAssessment.housing == "fail")))
    shown = set(re.findall(r'class="row-link" href="/households/\d+">(\d{16})</a>', html))
    assert shown == expected and expected
    assert f"共 <strong>{len(expected)}</strong> 户" in html
    assert not any(full in html for full in world.full_ids)


def test_lists_page_and_refuse_unknown_filters(world: World, sessions: Sessions) -> None:
    client = sessions("inspector")
    answer = client.get(f"/inspect/areas/{NANJIANG}/households")
    assert answer.headers["content-type"].startswith("text/html")
    assert "共 <strong>39</strong> 户，第 1 / 1 页" in answer.text
    odd = client.get(f"/inspect/areas/{NANJIANG}/households?dimension=nonsense&status=fail").text
    assert "筛选条件无法识别" in odd and "共 <strong>39</strong> 户" in odd


def test_export_is_masked_and_complete(world: World, sessions: Sessions) -> None:
    response = sessions("inspector").get(
        f"/inspect/areas/{NANJIANG}/households?dimension=overall&status=fails&format=csv")
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("户编号,户主,户主身份证号（脱敏）")
    assert not any(full in text for full in world.full_ids)
    xlsx = sessions("inspector").get(f"/inspect/areas/{XIAOTIAN}/households?format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_a_save_keeps_the_tallies_exact(world: World, sessions: Sessions) -> None:
    with read_session(world.engine) as s:
        household = s.scalars(select(Household).join(StoredAssessment,
                              StoredAssessment.household_id == Household.id).where(
            Household.county_code == NANJIANG, StoredAssessment.housing == "fail")).first()
        cadre = s.scalars(select(User).where(User.username == "admin")).one()
    before = _tally_sum(world, "housing_fail")
    facts = {f.name: getattr(household, f.name) for f in dataclasses.fields(UpdateFacts)
             if f.name not in ("household_id", "household_version", "key")}
    facts["housing_renovated"] = True
    save(world.engine, cadre, "admin", UpdateFacts(
        household_id=household.id, household_version=household.version,
        key="dashboard-test-key-0001", **facts))
    assert _tally_sum(world, "housing_fail") == before  # the save only marked its village
    assert _stale_villages(world) == [household.village_id]
    html = sessions("inspector").get(f"/inspect/areas/{NANJIANG}").text
    row = html[html.index("住房安全有保障</th>"):]
    assert f">{before - 1}</a>" in row[:row.index("</tr>")]
    assert _tally_sum(world, "housing_fail") == before - 1  # counted again before it was shown
    assert _stale_villages(world) == []


def _stale_villages(world: World) -> list[int]:
    with read_session(world.engine) as s:
        return list(s.scalars(select(AssessmentTally.village_id).where(
            AssessmentTally.county_code == NANJIANG, AssessmentTally.stale.is_(True))))


def _tally_sum(world: World, column: str) -> int:
    with read_session(world.engine) as s:
        month = s.scalar(select(func.max(AssessmentTally.month)))
        return s.scalar(select(func.sum(getattr(AssessmentTally, column))).where(
            AssessmentTally.county_code == NANJIANG, AssessmentTally.month == month)) or 0


def test_the_trend_shows_past_months(world: World, sessions: Sessions) -> None:
    last = months_back(month_of(), 3)[0]
    with write_engine(world.engine).begin() as conn:
        run_id = conn.scalar(select(DecisionRun.id).where(
            DecisionRun.county_code == TONGJIANG, DecisionRun.status == "current"))
        record_county(conn, run_id, TONGJIANG, month=last, origin="demo")
    html = sessions("inspector_tj").get(f"/inspect/areas/{TONGJIANG}").text
    assert '<svg class="trend"' in html
    assert f"{last.month}月" in html and "演示用的模拟数据" in html
    assert html.count('class="col-total"') == 3  # the demo month, carried forward, and now
