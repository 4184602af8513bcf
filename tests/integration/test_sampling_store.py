"""Frames and samples in the database, on SQLite and PostgreSQL: frozen, reused, redrawable,
append-only; and the ``casework sample`` command (stable JSON, Chinese refusals, exit 2)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import func, select, text

from casework.cli import main
from casework.db import get_engine, read_session
from casework.models import AuditEvent, Household
from casework.models.inspection import FrameMember, Sample, SampleFrame, SampleHousehold
from casework.sampling import (
    DrawRequest, draw_sample, parse_request, save_draw, verify_sample,
)
from casework.sampling.frame import canonical_text
from casework.uow import UnitOfWork
from tests.integration.test_sampling_world import COUNTY, sampling_world
from tests.integration.test_web_world import World


SampledWorld = tuple[World, dict[str, str]]


@pytest.fixture
def world_statuses(db_url: str) -> SampledWorld:
    return sampling_world(db_url)


def _request(seed: str = "s1", **kw: str | None) -> DrawRequest:
    args = {"area": COUNTY, "stratify": "village", "per_stratum": "3", "fraction": None,
            "overweight": None, "seed": seed, **kw}
    return parse_request(**args)


def test_frame_is_frozen_reused_and_the_sample_redraws(world_statuses: SampledWorld) -> None:
    world, statuses = world_statuses
    drawn = draw_sample(world.engine, _request())
    assert len(drawn.frame.entries) == 39 and drawn.frame.failing == 13
    assert {e.number: e.status for e in drawn.frame.entries} == statuses
    first = save_draw(world.engine, "inspector", drawn)
    second = save_draw(world.engine, "inspector", draw_sample(world.engine, _request("s2")))
    with read_session(world.engine) as s:
        assert s.scalar(select(func.count()).select_from(SampleFrame)) == 1  # same content, reused
        assert s.scalar(select(func.count()).select_from(FrameMember)) == 39
        rows = s.scalars(select(SampleHousehold).where(SampleHousehold.sample_id == first)
                         .order_by(SampleHousehold.stratum_code, SampleHousehold.rank)).all()
        assert {(r.stratum_code, r.household_number) for r in rows} == {
            (code, n) for code, ns in drawn.strata.items() for n in ns}
        assert {len(ns) for ns in drawn.strata.values()} == {3}  # 30, 5 and 4 households
        failing = [r for r in rows if r.recorded_status == "fails"]
        assert all(r.recorded["housing"] == "fail" for r in failing)
        for sample_id in (first, second):
            result = verify_sample(s, s.get(Sample, sample_id))
            assert result.ok, result
        frame = s.scalars(select(SampleFrame)).one()
        assert frame.frame_key == drawn.frame.key
        assert canonical_text(COUNTY, drawn.frame.entries).startswith(
            "casework-frame-v1\narea 511922\n")
        audited = s.scalar(select(func.count()).where(AuditEvent.action == "freeze"))
    assert audited == 1
    assert draw_sample(world.engine, _request("s2")).strata != drawn.strata


def test_a_changed_household_makes_a_new_frame(world_statuses: SampledWorld) -> None:
    world, _ = world_statuses
    before = draw_sample(world.engine, _request())
    with UnitOfWork("test", world.engine) as uow:
        household = uow.session.scalars(select(Household).where(
            Household.county_code == COUNTY).order_by(Household.number)).first()
        uow.update(household, expected_version=household.version, active=False)
        uow.commit()
    after = draw_sample(world.engine, _request())
    assert after.frame.key != before.frame.key
    assert len(after.frame.entries) == len(before.frame.entries) - 1


def test_frames_and_samples_are_append_only(world_statuses: SampledWorld) -> None:
    world, _ = world_statuses
    save_draw(world.engine, "inspector", draw_sample(world.engine, _request()))
    for statement in ("UPDATE inspection_samples SET seed = 'x'",
                      "DELETE FROM inspection_sample_households",
                      "UPDATE inspection_frame_members SET status = 'meets'",
                      "DELETE FROM inspection_frames"):
        with pytest.raises(Exception, match="append-only"):
            with world.engine.begin() as conn:
                conn.execute(text(statement))


def _cli(url: str, *args: str) -> Result:
    return CliRunner().invoke(main, ["sample", *args], env={"CASEWORK_DATABASE_URL": url})


def test_cli_prints_stable_json_that_matches_the_web_draw(sqlite_url: str) -> None:
    from tests.integration.test_sampling_world import draw_on_web
    from tests.integration.test_web_world import signed_in

    world, _ = sampling_world(sqlite_url)
    args = ["--area", COUNTY, "--stratify", "township", "--per-stratum", "2", "--fraction",
            "0.25", "--overweight-failing", "3", "--seed", "审计-2018"]
    first, again = _cli(sqlite_url, *args), _cli(sqlite_url, *args)
    assert first.exit_code == 0, first.output
    assert first.stdout == again.stdout
    document = json.loads(first.stdout)
    assert document["seed"] == "审计-2018"
    assert document["parameters"] == {"stratify": "township", "per_stratum": 2,
                                      "fraction": "0.25", "overweight_failing": "3"}
    assert {k: len(v["households"]) for k, v in document["strata"].items()} == {
        "511922100": 9, "511922101": 2}  # 35 → ceil(8.75); 4 → max(2, 1)
    assert list(document) == sorted(document)
    with signed_in(world, "inspector") as client:
        sample_id = draw_on_web(client, stratify="township", per_stratum="2", fraction="0.25",
                                overweight="3", seed="审计-2018")
        web = client.get(f"/inspect/samples/{sample_id}/json").json()
    assert web.pop("sample_id") == sample_id
    assert web == document
    saved = _cli(sqlite_url, *args, "--save", "--actor", "admin")
    assert saved.exit_code == 0, saved.output
    assert json.loads(saved.stdout)["strata"] == document["strata"]


@pytest.mark.parametrize(("args", "needle"), [
    (["--area", "511922", "--stratify", "village", "--seed", "1"], "--per-stratum"),
    (["--area", "511922", "--stratify", "parish", "--per-stratum", "2", "--seed", "1"], "分层方式"),
    (["--area", "511999", "--stratify", "village", "--per-stratum", "2", "--seed", "1"], "没有代码为"),
    (["--area", "511922", "--stratify", "village", "--per-stratum", "x", "--seed", "1"], "每层户数"),
    (["--area", "511922", "--stratify", "village", "--per-stratum", "2"], "随机种子"),
    (["--area", "511922", "--stratify", "village", "--per-stratum", "2", "--seed", "1",
      "--save"], "--actor"),
    (["--area", "511922", "--stratify", "village", "--per-stratum", "2", "--seed", "1",
      "--save", "--actor", "inspector_tj"], "不是本区县"),
])
def test_cli_refuses_bad_input_in_chinese(cli_url: str, args: list[str], needle: str) -> None:
    result = _cli(cli_url, *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert needle in result.stderr and "Traceback" not in result.stderr
    assert _samples(cli_url) == 0


@pytest.fixture(scope="module")
def cli_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'casework.db'}"
    sampling_world(url)
    return url


def _samples(url: str) -> int:
    with read_session(get_engine(url)) as s:
        return int(s.scalar(select(func.count()).select_from(Sample)) or 0)
