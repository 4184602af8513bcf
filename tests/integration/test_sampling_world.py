"""The web tests' small world (tests/integration/test_web_world.py) with a current stored
assessment for every household of 南江县 (511922), in a known pattern, so samples, weighting and
discrepancies can be checked exactly. Fixtures and helpers for the sampling and visit tests; the
tests at the bottom check the world itself."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import Engine, func, select

from casework.db import read_session
from casework.models import Area, DecisionRun, Household, StoredAssessment
from casework.models.inspection import SampleHousehold
from casework.sampling import draw_sample, parse_request, save_draw
from casework.sampling.design import MAX_PER_STRATUM
from casework.uow import UnitOfWork
from rules.assessment import DIMENSIONS
from tests.integration.test_web_world import Sessions, World, build_world, csrf_token

COUNTY = "511922"


def status_of(serial: int) -> str:
    """Household ``serial`` (1-based in number order within the county): every third fails on
    housing, the next unknown on drinking water, the rest meet."""
    return ("fails", "unknown", "meets")[serial % 3]


def dimensions_of(serial: int) -> dict[str, str]:
    dims = dict.fromkeys(DIMENSIONS, "pass")
    status = status_of(serial)
    if status == "fails":
        dims["housing"] = "fail"
    elif status == "unknown":
        dims["drinking_water"] = "unknown"
    return dims


def add_assessments(world: World, county: str = COUNTY) -> dict[str, str]:
    """A current run for ``county`` with one assessment per active household; number → status."""
    statuses: dict[str, str] = {}
    with UnitOfWork("test:assess", world.engine) as uow:
        run = uow.add(DecisionRun(county_code=county, pack="bazhong-2018", pack_version="test",
                                  on_date=dt.date(2018, 9, 1), actor="test", status="current"))
        uow.flush()
        households = uow.session.scalars(select(Household).where(
            Household.county_code == county).order_by(Household.number)).all()
        for serial, h in enumerate(households, start=1):
            statuses[h.number] = status_of(serial)
            uow.add(StoredAssessment(run_id=run.id, household_id=h.id, county_code=county,
                                     status=status_of(serial), dimensions=dimensions_of(serial)))
        uow.commit()
    return statuses


def sampling_world(url: str) -> tuple[World, dict[str, str]]:
    world = build_world(url)
    return world, add_assessments(world)


@pytest.fixture(scope="module")
def sworld(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[World, dict[str, str]]]:
    built = sampling_world(f"sqlite:///{tmp_path_factory.mktemp('sampling') / 'casework.db'}")
    yield built
    built[0].engine.dispose()


@pytest.fixture(scope="module")
def ssessions(sworld: tuple[World, dict[str, str]]) -> Iterator[Sessions]:
    kept = Sessions(sworld[0])
    yield kept
    kept.close()


def draw_on_web(client: TestClient[Litestar], **fields: str) -> int:
    """Draw a sample through the form; the new sample's id."""
    form = {"_csrf_token": csrf_token(client), "area": COUNTY, "stratify": "village",
            "per_stratum": "3", "fraction": "", "overweight": "1", "seed": "web-seed", **fields}
    answer = client.post("/inspect/samples", data=form, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    found = re.fullmatch(r"/inspect/samples/(\d+)", answer.headers["location"])
    assert found is not None
    return int(found.group(1))


def visit_form(client: TestClient[Litestar], sample_id: int, household_id: int,
               found: dict[str, str], notes: dict[str, str] | None = None,
               visited_on: dt.date | None = None, visitor: str = "王督查",
               version: str | None = None, key: str | None = None) -> dict[str, str]:
    """The form a browser would send: key and version as the form page rendered them."""
    page = client.get(f"/inspect/samples/{sample_id}/visits/{household_id}")
    assert page.status_code == 200
    rendered_key = re.search(r'name="key" value="([^"]+)"', page.text)
    rendered_version = re.search(r'name="version" value="([^"]*)"', page.text)
    assert rendered_key and rendered_version
    data = {"_csrf_token": csrf_token(client), "key": key or rendered_key.group(1),
            "version": rendered_version.group(1) if version is None else version,
            "visited_on": (visited_on or dt.date.today()).isoformat(), "visitor": visitor}
    for dim in DIMENSIONS:
        data[f"found_{dim}"] = found.get(dim, "pass")
        data[f"note_{dim}"] = (notes or {}).get(dim, "核实情况说明")
    return data


def sample_covering(engine: Engine, household_id: int, actor: str = "test:sample") -> int:
    """A stored sample that holds ``household_id``: its whole township, drawn now (for tests
    that need a valid ``sample_id`` with a given household in it, e.g. the route matrix)."""
    with read_session(engine) as s:
        village_id = s.get(Household, household_id).village_id  # type: ignore[union-attr]
        township_id = s.get(Area, village_id).parent_id  # type: ignore[union-attr]
        township = s.get(Area, township_id).code  # type: ignore[union-attr]
    request = parse_request(township, "village", str(MAX_PER_STRATUM), None, None, "covering")
    return save_draw(engine, actor, draw_sample(engine, request))


# --- the world is what the tests believe it is ---------------------------------------------


def test_every_county_household_has_a_current_assessment(
        sworld: tuple[World, dict[str, str]]) -> None:
    world, statuses = sworld
    with read_session(world.engine) as s:
        stored = s.scalar(select(func.count()).select_from(StoredAssessment))
        failing = s.scalar(select(func.count()).where(StoredAssessment.status == "fails"))
    assert stored == len(statuses) == 39
    assert failing == sum(1 for v in statuses.values() if v == "fails") == 13


def test_sample_covering_holds_the_household(sworld: tuple[World, dict[str, str]]) -> None:
    world, _ = sworld
    household_id = world.households[max(world.households)]
    sample_id = sample_covering(world.engine, household_id)
    with read_session(world.engine) as s:
        held = s.scalars(select(SampleHousehold.household_id).where(
            SampleHousehold.sample_id == sample_id)).all()
    assert household_id in held
