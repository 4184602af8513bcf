"""Dashboard totals equal direct counts over the registry and the stored assessments, on
generated data, on SQLite and PostgreSQL. Each example builds its own county (so examples never
see each other's rows), recomputes it and compares the county, every township and every village."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select

from casework.dashboards.counting import month_of, refresh_villages
from casework.dashboards.figures import Figures, months_back
from casework.dashboards.households import list_households, parse_filter
from casework.dashboards.reading import dashboard
from casework.db import get_engine, read_session, write_engine
from casework.editing.commands import UpdateFacts
from casework.editing.service import save
from casework.models import Area, DecisionRun, Household, Member, StoredAssessment, User
from casework.models.tallies import DIMENSION_COLUMNS, AssessmentTally
from casework.recompute import recompute
from casework.uow import UnitOfWork

ON = dt.date(2018, 9, 1)
_counties = itertools.count(1)
TRI = st.sampled_from([None, True, False])


@dataclass(frozen=True)
class MemberData:
    active: bool
    medical: bool | None
    critical: bool | None
    doctor: bool | None
    stage: str | None
    out: bool | None
    labor: str | None
    employment: str | None


@dataclass(frozen=True)
class HouseholdData:
    village: int
    active: bool
    grade: str | None
    renovated: bool | None
    relocation: str | None
    pairing: str | None
    water: bool | None
    food: bool | None
    members: tuple[MemberData, ...]


members = st.builds(
    MemberData, active=st.booleans() | st.just(True), medical=TRI, critical=TRI, doctor=TRI,
    stage=st.sampled_from([None, "primary", "junior", "senior"]), out=TRI,
    labor=st.sampled_from([None, "normal", "weak", "lost"]),
    employment=st.sampled_from([None, "stable", "public_post", "none"]))
households = st.builds(
    HouseholdData, village=st.integers(0, 2), active=st.booleans() | st.just(True),
    grade=st.sampled_from([None, "A", "B", "C", "D"]), renovated=TRI,
    relocation=st.sampled_from([None, "none", "planned", "moved_in"]),
    pairing=st.sampled_from([None, "", "  ", "县农业局 刘明"]), water=TRI, food=TRI,
    members=st.lists(members, min_size=1, max_size=4).map(tuple))


def _county(engine: Engine) -> tuple[str, list[Area], User]:
    """A new county (code 5199nn) with townships 1 and 2, villages 1-1, 1-2, 2-1, an inspector."""
    code = f"5199{next(_counties):02d}"
    with UnitOfWork("test:dash", engine) as uow:
        county = uow.add(Area(code=code, name=f"测试县{code}", level="county", pack="bazhong-2018"))
        uow.flush()
        towns = [uow.add(Area(code=f"{code}10{t}", name=f"镇{t}", level="township",
                              parent_id=county.id)) for t in (1, 2)]
        uow.flush()
        villages = [uow.add(Area(code=f"{town.code}00{v}", name=f"村{town.code[-1]}{v}",
                                 level="village", parent_id=town.id))
                    for town, v in ((towns[0], 1), (towns[0], 2), (towns[1], 1))]
        uow.flush()
        user = uow.add(User(username=f"insp{code}", display_name="督查", password_hash="x",
                            role="inspector", area_id=county.id))
        uow.commit()
    return code, villages, user


def _store(engine: Engine, code: str, villages: list[Area], data: Sequence[HouseholdData]) -> None:
    with UnitOfWork("test:dash", engine) as uow:
        for index, h in enumerate(data):
            row = uow.add(Household(
                number=f"{villages[h.village].code}{index:04d}", county_code=code,
                village_id=villages[h.village].id, active=h.active, registered_poor=True,
                housing_safety_grade=h.grade, housing_renovated=h.renovated,
                relocation_status=h.relocation, pairing_cadre=h.pairing, water_safe=h.water,
                food_secure=h.food, clothing_secure=h.food))
            uow.flush()
            for key, m in enumerate(h.members):
                uow.add(Member(household_id=row.id, county_code=code, member_key=f"m{key}",
                               active=m.active, medical_insurance=m.medical,
                               critical_illness_insurance=m.critical, family_doctor=m.doctor,
                               school_stage=m.stage, out_of_school=m.out, labor=m.labor,
                               employment=m.employment))
        uow.commit()


def _expected(data: Sequence[HouseholdData], villages: set[int]) -> dict[str, int]:
    hs = [h for h in data if h.active and h.village in villages]
    ms = [m for h in hs for m in h.members if m.active]
    dangerous = [h for h in hs if h.grade in ("C", "D")]
    labour = [h for h in hs if any(m.active and m.labor in ("normal", "weak") for m in h.members)]
    return {
        "households": len(hs), "people": len(ms),
        "people_insured_both": sum(m.medical is True and m.critical is True for m in ms),
        "people_uninsured": sum(m.medical is False or m.critical is False for m in ms),
        "people_family_doctor": sum(m.doctor is True for m in ms),
        "people_family_doctor_unknown": sum(m.doctor is None for m in ms),
        "pupils_compulsory": sum(m.stage in ("primary", "junior") and m.out is not True for m in ms),
        "pupils_out_of_school": sum(m.out is True for m in ms),
        "hh_dangerous": len(dangerous),
        "hh_dangerous_fixed": sum(h.renovated is True or h.relocation == "moved_in" for h in dangerous),
        "hh_paired": sum(bool((h.pairing or "").strip()) for h in hs),
        "hh_labour": len(labour),
        "hh_labour_stable": sum(any(m.active and m.employment == "stable" for m in h.members)
                                for h in labour),
    }


def _stored(engine: Engine, code: str, village_codes: Sequence[str]) -> dict[str, int]:
    """Direct counts over the stored assessments of the current run."""
    a = StoredAssessment
    with read_session(engine) as s:
        base = (select(func.count()).select_from(a)
                .join(DecisionRun, DecisionRun.id == a.run_id)
                .join(Household, Household.id == a.household_id)
                .join(Area, Area.id == Household.village_id)
                .where(DecisionRun.county_code == code, DecisionRun.status == "current",
                       Household.active, Area.code.in_(village_codes)))
        out = {f"status_{v}": s.scalar(base.where(a.status == v)) or 0
               for v in ("meets", "fails", "unknown")}
        for dim in DIMENSION_COLUMNS:
            for status in ("pass", "fail", "unknown"):
                out[f"{dim}_{status}"] = s.scalar(base.where(getattr(a, dim) == status)) or 0
        out["assessed"] = s.scalar(base) or 0
    return out


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.lists(households, min_size=0, max_size=10))
def test_dashboard_totals_equal_direct_counts(db_url: str, data: list[HouseholdData]) -> None:
    engine = get_engine(db_url)
    code, villages, user = _county(engine)
    _store(engine, code, villages, data)
    recompute(on=ON, county_code=code, engine=engine, workers=1, local_params=None)
    scopes = {code: {0, 1, 2}, villages[0].code[:9]: {0, 1}, villages[2].code[:9]: {2},
              **{v.code: {i} for i, v in enumerate(villages)}}
    for area_code, chosen in scopes.items():
        board = dashboard(engine, user, area_code)
        assert board is not None
        figures = board.figures
        for name, value in _expected(data, chosen).items():
            assert figures[name] == value, (area_code, name)
        stored = _stored(engine, code, [villages[i].code for i in chosen])
        for name, value in stored.items():
            assert figures[name] == value, (area_code, name)
        assert figures["assessed"] == figures["households"]
        _lists_agree(engine, user, area_code, figures)


def _lists_agree(engine: Engine, user: User, area_code: str, figures: Figures) -> None:
    """The household lists behind the numbers hold exactly as many households."""
    def total(dimension: str | None, status: str | None, gap: str | None = None) -> int:
        found = list_households(engine, user, area_code, parse_filter(dimension, status, gap),
                                1, 5)
        assert found is not None
        return found.total
    assert total(None, None) == figures["households"]
    assert total("overall", "fails") == figures["status_fails"]
    assert total("housing", "unknown") == figures["housing_unknown"]
    assert total(None, None, "unpaired") == figures["households"] - figures["hh_paired"]
    assert total(None, None, "dangerous_house") == (figures["hh_dangerous"]
                                                    - figures["hh_dangerous_fixed"])


def test_the_first_save_in_a_county_never_recomputed_counts_the_whole_county(db_url: str) -> None:
    engine = get_engine(db_url)
    code, villages, inspector = _county(engine)
    data = [HouseholdData(v, True, "C", None, None, None, True, True,
                          (MemberData(True, True, True, True, None, None, None, None),))
            for v in (0, 0, 1, 2)]
    _store(engine, code, villages, data)
    assert dashboard(engine, inspector, code).figures["households"] == 0  # nothing counted yet
    with UnitOfWork("test:dash", engine) as uow:
        admin = uow.add(User(username=f"admin{code}", display_name="管理员", password_hash="x",
                             role="county_admin", area_id=inspector.area_id))
        uow.commit()
    with read_session(engine) as s:
        household = s.scalars(select(Household).where(Household.county_code == code)
                              .order_by(Household.number)).first()
    facts = {f.name: getattr(household, f.name) for f in dataclasses.fields(UpdateFacts)
             if f.name not in ("household_id", "household_version", "key")}
    save(engine, admin, "admin", UpdateFacts(household_id=household.id,
                                             household_version=household.version,
                                             key=f"first-save-{code}-0001", **facts))
    figures = dashboard(engine, inspector, code).figures
    assert (figures["households"], figures["people"], figures["assessed"]) == (4, 4, 1)
    assert figures.unassessed == 3 and figures["housing_fail"] == 1


def test_a_save_in_a_new_month_starts_the_months_row_from_a_direct_count(db_url: str) -> None:
    engine = get_engine(db_url)
    code, villages, inspector = _county(engine)
    data = [HouseholdData(0, True, "D", None, None, "刘明", True, True,
                          (MemberData(True, True, None, False, "primary", None, "normal", "stable"),))
            for _ in range(3)]
    _store(engine, code, villages, data)
    recompute(on=ON, county_code=code, engine=engine, workers=1, local_params=None)
    this_month = month_of()
    later = months_back(dt.date(this_month.year + 1, this_month.month, 1), 1)[0]
    with write_engine(engine).begin() as conn:
        run_id = conn.scalar(select(DecisionRun.id).where(DecisionRun.county_code == code,
                                                          DecisionRun.status == "current"))
        refresh_villages(conn, code, run_id, [villages[0].id], month=later)
    with read_session(engine) as s:
        rows = {t.month: t for t in s.scalars(select(AssessmentTally).where(
            AssessmentTally.village_id == villages[0].id))}
    assert set(rows) == {this_month, later}
    assert rows[later].origin == "save" and rows[this_month].origin == "run"
    for name in ("households", "people", "housing_fail", "people_insured_unknown",
                 "people_no_family_doctor", "pupils_compulsory", "hh_labour_stable", "hh_paired"):
        assert getattr(rows[later], name) == getattr(rows[this_month], name) == 3, name
