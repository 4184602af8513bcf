"""Inspector benchmark (issue 6): county, township and village dashboard latency through the real
server over 100,000 households in one county, on SQLite and on PostgreSQL, plus the time of
``casework sample`` (a stratified draw) when that command exists.

Steps per database: migrate (``casework db upgrade``), load ``demo-data --households N --seed 1``
with every household in 南江县 (511922; the one-county loader of ``_bench_util``), recompute the
county (``--on 2018-09-01``; the switch to the new run also writes the dashboards' tallies),
start ``python -m web`` on a free loopback port, log in as ``inspector1`` and time GET requests of
the county dashboard, the largest township's and the largest village's (each full page, measured
by the client from request to body read, after one warm-up request each), and one page of the
county's failing-household list; then what a save adds to keep the tallies exact (counting the
largest village again, in its own transaction). PostgreSQL is a throw-away cluster (``tests/support/postgres.py``:
Debian's binaries, fsync off, loopback). The load average is printed (other jobs inflate figures).

Usage::

    .venv/bin/python scripts/bench_inspector.py [--households 100000] [--requests 40]
                                               [--databases sqlite,postgresql] [--json]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from _bench_util import (
    ON, ONE_COUNTY, ROOT, Server, casework_env, load_average, run_casework,
    summarise, _ONE_COUNTY_LOADER,
)

USER, PASSWORD = "inspector1", "demo1234"
CSRF_COOKIE = "casework_csrf"
_CHILD = re.compile(r'<a class="row-link" href="/inspect/areas/(\d+)">[^<]+</a></th>\s*'
                    r'<td class="num"><a class="num-link" href="[^"]+">(\d+)</a>')


@contextmanager
def database(kind: str, tmp: Path) -> Iterator[dict[str, str]]:
    """The environment of a fresh database of ``kind`` (sqlite or postgresql)."""
    if kind == "sqlite":
        yield casework_env(tmp / "casework.db")
        return
    sys.path.insert(0, str(ROOT))
    from tests.support.postgres import PostgresServer
    server = PostgresServer().start()
    try:
        env = casework_env(tmp / "unused.db")
        env["CASEWORK_DATABASE_URL"] = server.create_database()
        yield env
    finally:
        server.stop()


def prepare(env: dict[str, str], households: int) -> dict[str, float]:
    seconds = {"upgrade": run_casework(["db", "upgrade"], env).seconds}
    args = ["demo-data", "--households", str(households), "--seed", "1"]
    seconds["load"] = run_casework([ONE_COUNTY, *args], env,
                                   python_code=_ONE_COUNTY_LOADER).seconds
    recompute = run_casework(["recompute", "--county", ONE_COUNTY, "--on", ON], env)
    seconds["recompute"] = recompute.seconds
    switch = re.search(r"switch ([\d.]+) s", recompute.stdout)
    seconds["switch_with_tallies"] = float(switch.group(1)) if switch else float("nan")
    return seconds


def login(base_url: str) -> httpx.Client:
    client = httpx.Client(base_url=base_url, timeout=60.0)
    client.get("/login")
    token = client.cookies.get(CSRF_COOKIE) or ""
    answer = client.post("/login", data={"username": USER, "password": PASSWORD,
                                         "_csrf_token": token})
    if answer.status_code != 303 or answer.headers.get("location", "").startswith("/login"):
        raise SystemExit(f"login as {USER} failed ({answer.status_code})")
    return client


def largest_child(client: httpx.Client, code: str) -> str:
    """The code of the child area (township or village) with the most households."""
    html = client.get(f"/inspect/areas/{code}").text
    children = [(int(n), c) for c, n in _CHILD.findall(html)]
    if not children:
        raise SystemExit(f"no child areas found on /inspect/areas/{code}")
    return max(children)[1]


def timed(client: httpx.Client, path: str, requests: int) -> dict[str, float]:
    if client.get(path).status_code != 200:
        raise SystemExit(f"GET {path} failed")
    latencies = []
    started = time.perf_counter()
    for _ in range(requests):
        begin = time.perf_counter()
        response = client.get(path)
        latencies.append(time.perf_counter() - begin)
        assert response.status_code == 200, path
    return summarise(latencies, time.perf_counter() - started)


_REFRESH = """
import statistics, sys, time
from sqlalchemy import select
from casework.dashboards.counting import refresh_villages
from casework.db import get_engine, write_engine
from casework.models import Area, DecisionRun
engine = get_engine()
with engine.connect() as conn:
    village = conn.scalar(select(Area.id).where(Area.code == sys.argv[1]))
    run = conn.scalar(select(DecisionRun.id).where(DecisionRun.county_code == sys.argv[2],
                                                   DecisionRun.status == "current"))
seconds = []
for _ in range(21):
    with write_engine(engine).begin() as conn:
        started = time.perf_counter()
        refresh_villages(conn, sys.argv[2], run, [village])
        seconds.append(time.perf_counter() - started)  # the commit is the save's own
print(statistics.median(seconds) * 1000, sorted(seconds)[19] * 1000)
"""
"""What a save adds: counting one village again and writing its tally (timed inside the
transaction, without the commit, which the save pays anyway)."""


def tally_refresh(env: dict[str, str], village: str) -> dict[str, float]:
    out = run_casework([village, ONE_COUNTY], env, python_code=_REFRESH).stdout.split()
    return {"median_ms": float(out[0]), "p95_ms": float(out[1])}


def sample_draw(env: dict[str, str]) -> dict[str, float] | str:
    if not (ROOT / "casework" / "commands" / "sample.py").exists():
        return "casework sample does not exist"
    args = ["sample", "--area", ONE_COUNTY, "--stratify", "village", "--per-stratum", "5",
            "--seed", "bench-1"]
    try:
        runs = [run_casework(args, env).seconds for _ in range(3)]
    except SystemExit as failed:  # the command exists but failed: report it, keep the figures
        return f"casework sample failed: {str(failed).strip().splitlines()[-1]}"
    return {"runs": len(runs), "best_s": min(runs), "median_s": sorted(runs)[1]}


def bench_one(kind: str, households: int, requests: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix=f"bench-inspector-{kind}-") as tmp, \
            database(kind, Path(tmp)) as env:
        result: dict[str, Any] = {"database": kind, "prepare_s": prepare(env, households)}
        with Server(env, Path(tmp) / "server.log") as server:
            client = login(server.base_url)
            township = largest_child(client, ONE_COUNTY)
            village = largest_child(client, township)
            paths = {"county": f"/inspect/areas/{ONE_COUNTY}",
                     "township": f"/inspect/areas/{township}",
                     "village": f"/inspect/areas/{village}",
                     "county failing list": f"/inspect/areas/{ONE_COUNTY}/households"
                                            "?dimension=overall&status=fails"}
            result["areas"] = {"township": township, "village": village}
            result["latency"] = {name: timed(client, path, requests) for name, path in paths.items()}
            print(f"{kind}: {json.dumps(result, ensure_ascii=False)}", file=sys.stderr)
        result["village_tally_refresh"] = tally_refresh(env, result["areas"]["village"])
        result["sample"] = sample_draw(env)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    print(f"before: {load_average()}", file=sys.stderr)
    results = [bench_one(kind, args.households, args.requests)
               for kind in args.databases.split(",")]
    print(f"after: {load_average()}", file=sys.stderr)
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
        return 0
    for r in results:
        prep = ", ".join(f"{k} {v:.1f} s" for k, v in r["prepare_s"].items())
        print(f"{r['database']}: {args.households} households in {ONE_COUNTY} ({prep}); "
              f"township {r['areas']['township']}, village {r['areas']['village']}")
        for name, s in r["latency"].items():
            print(f"  {name:20s} median {s['median_ms']:7.1f} ms  p95 {s['p95_ms']:7.1f} ms  "
                  f"max {s['max_ms']:7.1f} ms  (n={s['n']})")
        refresh = r["village_tally_refresh"]
        print(f"  village tally refresh (added to a save): median {refresh['median_ms']:.1f} ms, "
              f"p95 {refresh['p95_ms']:.1f} ms")
        sample = r["sample"]
        print(f"  sample draw: {sample}" if isinstance(sample, str) else
              f"  sample draw (casework sample, per village 5): best {sample['best_s']:.2f} s, "
              f"median {sample['median_s']:.2f} s (whole command incl. start-up)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
