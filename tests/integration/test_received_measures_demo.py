"""Demo payment records made from a real recompute: the gap lists find exactly what the demo
left out or added; the CLI imports a file as a township account."""

from __future__ import annotations

import datetime as dt

from click.testing import CliRunner
from sqlalchemy import func, select, update

from casework.db import read_session
from casework.models import Area
from casework.models.received_measures import ReceivedMeasure
from casework.queries import Account
from casework.quality import LISTS, Filters, make_context, run_page
from casework.recompute import recompute
from casework.commands.received import command
from casework.received_measures.demo import load_demo_received
from tests.integration.test_web_world import build_world


def test_demo_records_show_up_in_the_gap_lists(db_url: str) -> None:
    world = build_world(db_url)
    with world.engine.begin() as conn:
        conn.execute(update(Area).where(Area.level == "county").values(pack="bazhong-2018"))
    recompute(on=dt.date(2018, 9, 1), engine=world.engine, workers=1)
    summary = load_demo_received(world.engine, seed=3, missing_share=0.2, wrong_share=0.5)
    assert summary.records > 0 and summary.left_out > 0 and summary.wrongly_paid > 0
    assert load_demo_received(world.engine, seed=3).skipped
    with read_session(world.engine) as s:
        counties = dict(s.execute(select(Area.code, Area.id).where(Area.level == "county")).all())
        stored = s.scalar(select(func.count()).select_from(ReceivedMeasure))
    assert stored == summary.records
    missed = wrongly = 0
    for code, area_id in counties.items():
        ctx = make_context(world.engine, Account(1, "i", "i", "inspector", area_id, ""), Filters())
        missed += run_page(world.engine, LISTS["missed"], ctx, 1).total
        wrongly += run_page(world.engine, LISTS["wrongly_paid"], ctx, 1).total
    assert missed == summary.left_out
    assert 0 < wrongly <= summary.wrongly_paid


def test_cli_import_as_township_account(sqlite_url: str, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    world = build_world(sqlite_url)
    with world.engine.begin() as conn:
        conn.execute(update(Area).where(Area.level == "county").values(pack="bazhong-2018"))
    monkeypatch.setenv("CASEWORK_DATABASE_URL", sqlite_url)
    number = sorted(world.numbers_in("511922100001"))[0]
    outside = sorted(world.numbers_in("511922101001"))[0]
    good = tmp_path / "good.csv"
    good.write_text(f"户编号,政策项目,起始日期,发放部门\n{number},SOC-BZ-02,2018-01-01,县民政局\n",
                    encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text(f"户编号,政策项目,起始日期,发放部门\n{outside},SOC-BZ-02,2018-01-01,县民政局\n",
                   encoding="utf-8")
    runner = CliRunner()
    refused = runner.invoke(command, ["import", str(bad), "--user", "township"])
    assert refused.exit_code == 1 and "第2行 户编号" in refused.output
    assert runner.invoke(command, ["import", str(good), "--user", "inspector"]).exit_code == 1
    done = runner.invoke(command, ["import", str(good), "--user", "township"])
    assert done.exit_code == 0, done.output
    with read_session(world.engine) as s:
        assert s.scalar(select(func.count()).select_from(ReceivedMeasure)) == 1
