"""Certificate benchmark: one household's certificate, and one PDF for a 200-household village.

Steps: a temp SQLite file is migrated and filled with ``casework demo-data`` (every household in
南江县, a Bazhong county: ``--one-county`` of scripts/_bench_util.py), ``casework recompute --on
2018-09-01`` stores the county's decisions (so certificates are judged at the run's date, as in
the app); then, in this process:

* **one household** — a household of 4–6 members whose measure count is the county's median:
  certificate content (registry + rules engine) and the PDF (HTML + WeasyPrint), timed N times
  after one warm-up, median and max reported;
* **village** — the largest village's households, topped up to ``--village`` with the rest of
  its township when the demo's villages are smaller (said in the output): all contents, then
  ONE PDF (``certificate_pdf``: one HTML document per worker, workers on the machine's cores,
  joined). The first batch includes starting the workers ("cold"), the second reuses them.

Wall seconds, this process's CPU seconds, pages and bytes are printed; the load average is
printed too, since other work on the machine slows every figure.

Usage::

    .venv/bin/python scripts/bench_certificates.py [--households 3000] [--repeat 15]
        [--village 200] [--workers N] [--json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from _bench_util import LOCAL_PARAMS, ON, ONE_COUNTY, fresh_registry, load_average, run_casework

YEAR = 2018


def main() -> None:
    args = _arguments()
    with tempfile.TemporaryDirectory(prefix="bench-certificates-") as tmp:
        registry = fresh_registry(Path(tmp), args.households, seed=1, one_county=True)
        recompute = _recompute(registry.env)
        os.environ.update(CASEWORK_LOCAL_PARAMS=str(LOCAL_PARAMS),
                          CASEWORK_DATABASE_URL=f"sqlite:///{registry.db_path}")
        if args.workers:
            os.environ["CASEWORK_PRINT_WORKERS"] = str(args.workers)
        figures: dict[str, Any] = {
            "households_loaded": args.households, "demo_data_s": round(registry.load.seconds, 2),
            "recompute": recompute, "load_before": load_average(),
        }
        figures["one_household"] = _one_household(args.repeat)
        figures["village"] = _village(args.village)
        figures["load_after"] = load_average()
    _report(figures, args.json)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--village", type=int, default=200)
    parser.add_argument("--workers", type=int, default=0, help="print workers (default: cores)")
    parser.add_argument("--json", action="store_true")
    return parser.parse_args()


def _recompute(env: dict[str, str]) -> str:
    try:
        run = run_casework(["recompute", "--on", ON], env)
    except Exception as problem:  # the figures stay meaningful: judged at the year's end
        return f"failed ({str(problem).splitlines()[0][:120]}); certificates judged at {YEAR}-12-31"
    return f"{run.seconds:.1f} s"


def _timed(work: Any) -> tuple[Any, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def _one_household(repeat: int) -> dict[str, Any]:
    from casework.db import get_engine
    from casework.printing import certificate_content, certificate_pdf, pdf_page_count

    engine = get_engine()
    household_id, measures = _typical_household(engine)
    stamp = _stamp(1)
    certificate_pdf([(certificate_content(engine, household_id, YEAR), stamp)])  # warm-up
    content_s, pdf_s, cpu_s = [], [], []
    for _ in range(repeat):
        content, seconds, _cpu = _timed(lambda: certificate_content(engine, household_id, YEAR))
        content_s.append(seconds)
        pdf, seconds, cpu = _timed(lambda: certificate_pdf([(content, stamp)]))
        pdf_s.append(seconds)
        cpu_s.append(cpu)
    return {"household_id": household_id, "measures": measures, "members": len(content.members),
            "repeat": repeat, "content_median_s": _r(statistics.median(content_s)),
            "pdf_median_s": _r(statistics.median(pdf_s)), "pdf_max_s": _r(max(pdf_s)),
            "pdf_cpu_median_s": _r(statistics.median(cpu_s)),
            "total_median_s": _r(statistics.median(c + p for c, p in zip(content_s, pdf_s))),
            "pages": pdf_page_count(pdf), "bytes": len(pdf)}


def _typical_household(engine: Any) -> tuple[int, int]:
    from sqlalchemy import func, select

    from casework.db import read_session
    from casework.models import Household, Member
    from casework.printing import certificate_content

    with read_session(engine) as s:
        ids = s.scalars(select(Household.id).join(Member).where(Member.active.is_(True))
                        .group_by(Household.id).having(func.count(Member.id).between(4, 6))
                        .order_by(Household.number).limit(60)).all()
    counted = sorted((len(certificate_content(engine, i, YEAR).measures), i) for i in ids)
    measures, household_id = counted[len(counted) // 2]
    return household_id, measures


def _village(size: int) -> dict[str, Any]:
    from casework.db import get_engine
    from casework.printing import certificate_content, certificate_pdf, pdf_page_count
    from casework.printing.parallel import workers_available

    engine = get_engine()
    ids, origin = _village_households(engine, size)
    contents, content_s, content_cpu = _timed(
        lambda: [certificate_content(engine, i, YEAR) for i in ids])
    items = [(content, _stamp(n + 1)) for n, content in enumerate(contents)]
    runs = []
    for label in ("cold", "warm"):
        before = _workers_cpu()
        pdf, seconds, cpu = _timed(lambda: certificate_pdf(items))
        runs.append({"run": label, "pdf_s": _r(seconds), "main_process_cpu_s": _r(cpu),
                     "workers_cpu_s": _r(_workers_cpu() - before)})
    workers, warm = workers_available(), runs[-1]
    idle = content_cpu + warm["main_process_cpu_s"] + warm["workers_cpu_s"] / workers
    return {"households": len(ids), "from": origin, "workers": workers,
            "content_s": _r(content_s), "content_cpu_s": _r(content_cpu), "runs": runs,
            "pages": pdf_page_count(pdf), "bytes": len(pdf),
            "total_warm_s": _r(content_s + warm["pdf_s"]),
            "idle_estimate_s": _r(idle), "cpu_per_page_s": _r(
                warm["workers_cpu_s"] / max(1, pdf_page_count(pdf)))}


def _workers_cpu() -> float:
    """User + system CPU seconds of the print workers so far (``/proc``; 0 without workers)."""
    from casework.printing import parallel

    pool = parallel._pool  # the benchmark looks inside on purpose
    total = 0.0
    for pid in list(getattr(pool, "_processes", {}) or {}):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _village_households(engine: Any, size: int) -> tuple[list[int], str]:
    from sqlalchemy import func, select

    from casework.db import read_session
    from casework.models import Area, Household

    with read_session(engine) as s:
        village_id, count = s.execute(
            select(Household.village_id, func.count()).where(Household.county_code == ONE_COUNTY)
            .group_by(Household.village_id).order_by(func.count().desc()).limit(1)).one()
        village = s.get(Area, village_id)
        township = s.get(Area, village.parent_id)
        own = s.scalars(select(Household.id).where(Household.village_id == village_id)
                        .order_by(Household.number)).all()
        siblings = select(Area.id).where(Area.parent_id == township.id, Area.id != village_id)
        more = s.scalars(select(Household.id).where(Household.village_id.in_(siblings))
                         .order_by(Household.number).limit(max(0, size - len(own)))).all()
    ids = list(own[:size]) + list(more)
    origin = f"{township.name}{village.name} ({min(count, size)} households)"
    if more:
        origin += f" + {len(more)} more of {township.name} (demo villages are smaller)"
    return ids, origin


def _stamp(sequence: int) -> Any:
    from casework.printing import Stamp

    serial = f"{ONE_COUNTY}-{YEAR}-{sequence:06d}"
    return Stamp(serial=serial, check_code="ABCDEFGH", issued_on=dt.date(YEAR, 11, 20),
                 issued_by_zh="测试经办人", verify_url=f"http://127.0.0.1:8000/verify/{serial}"
                 "?code=ABCDEFGH", preview=False)


def _r(seconds: float) -> float:
    return round(seconds, 3)


def _report(figures: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
        return
    one, village = figures["one_household"], figures["village"]
    print(f"demo registry: {figures['households_loaded']} households in {ONE_COUNTY} "
          f"(demo-data {figures['demo_data_s']} s; recompute {figures['recompute']})")
    print(f"one household ({one['members']} members, {one['measures']} measures, "
          f"{one['pages']} page, {one['bytes']:,} bytes), median of {one['repeat']}: "
          f"content {one['content_median_s']} s + PDF {one['pdf_median_s']} s "
          f"(CPU {one['pdf_cpu_median_s']} s, max {one['pdf_max_s']} s) = "
          f"{one['total_median_s']} s")
    print(f"village: {village['households']} households from {village['from']}, "
          f"{village['workers']} print workers")
    print(f"  contents {village['content_s']} s; one PDF: " + "; ".join(
        f"{r['run']} {r['pdf_s']} s (workers' CPU {r['workers_cpu_s']} s)"
        for r in village["runs"])
        + f"; {village['pages']} pages, {village['bytes']:,} bytes; "
          f"total (warm) {village['total_warm_s']} s")
    print(f"  CPU per page {village['cpu_per_page_s']} s; on an idle machine (CPU of contents + "
          f"main process + workers' CPU / {village['workers']}) about "
          f"{village['idle_estimate_s']} s")
    print(f"{figures['load_before']} before, {figures['load_after']} after")


if __name__ == "__main__":
    main()
