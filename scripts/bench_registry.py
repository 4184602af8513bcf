"""Registry benchmark: demo-data load time, then household-list and household-page latency through
the real server (``python -m web``, uvicorn) on loopback, as a village cadre, a township staff
member and a county inspector.

Steps: a temp SQLite file is migrated (``casework db upgrade``) and filled with ``casework
demo-data --households N --seed 1`` (timed); ``casework recompute`` stores decisions so each
household page shows what a cadre sees (``--no-recompute`` skips it); the server starts on a free
loopback port; each user logs in over HTTP (CSRF token from the login form) and, one request at a
time, fetches N of each kind in turn: list page 1, search by a head's name, search by the last 4
ID characters, a deep list page (page 50, or the last page when there are fewer), the last list
page, a household page and the htmx fragment of list page 1 (``HX-Request: true``). Households
and search terms are sampled from list pages of the user's own scope with a fixed seed. Latency
is measured by the client (request sent to body read); req/s is sequential, one client; server
CPU ms is the server process's user+system CPU time per request (``/proc``), a figure that
other load on the machine disturbs far less than latency.

Usage::

    .venv/bin/python scripts/bench_registry.py [--households 100000] [--requests 200] [--json]
        [--no-recompute] [--one-county] [--max-seconds 120]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

from _bench_util import (
    ON, ONE_COUNTY, CliRun, Server, fresh_registry, load_average, process_cpu_seconds,
    run_casework, summarise,
)

USERS = ("cadre1", "township1", "inspector1")
PASSWORD = "demo1234"
KINDS = ("list", "search_name", "search_last4", "list_deep", "list_last", "household",
         "list_fragment")
DEEP_PAGE = 50
_ROW = re.compile(r'href="/households/(\d+)">([^<]+)</a></td>\s*<td><a class="row-link" '
                  r'href="/households/\d+">([^<]*)</a></td>\s*<td class="id">([^<]*)</td>')
_PAGES = re.compile(r"户共 <strong>(\d+)</strong> 户(?:，第 \d+ / (\d+) 页)?")
Request = tuple[str, dict[str, str]]
"""(path and query, headers)."""


@dataclass(frozen=True)
class Row:
    id: int
    number: str
    head_name: str
    last4: str


@dataclass(frozen=True)
class Scope:
    total: int
    pages: int
    rows: tuple[Row, ...]


def login(base_url: str, username: str) -> httpx.Client:
    """A client signed in as ``username``: the form's CSRF token goes back with the password."""
    client = httpx.Client(base_url=base_url, timeout=60.0)
    form = client.get("/login")
    token = re.search(r'name="_csrf_token" value="([^"]+)"', form.text)
    if form.status_code != 200 or token is None:
        raise SystemExit(f"login form for {username}: HTTP {form.status_code}, no CSRF token")
    done = client.post("/login", data={"username": username, "password": PASSWORD,
                                       "_csrf_token": token.group(1)})
    if done.status_code != 303 or done.headers.get("location") != "/households":
        raise SystemExit(f"login as {username} refused: HTTP {done.status_code}")
    return client


def fetch(client: httpx.Client, path: str, headers: dict[str, str] | None = None) -> str:
    response = client.get(path, headers=headers or {})
    if response.status_code != 200:
        raise SystemExit(f"GET {path}: HTTP {response.status_code}")
    return response.text


def sample_scope(client: httpx.Client, rng: random.Random, list_pages: int = 12) -> Scope:
    """Rows from list page 1 and random other pages of the user's scope (not timed)."""
    first = fetch(client, "/households")
    found = _PAGES.search(first)
    if found is None:
        raise SystemExit("household list: no result summary found")
    total, pages = int(found.group(1)), int(found.group(2) or 1)
    others = rng.sample(range(2, pages + 1), min(pages - 1, list_pages - 1)) if pages > 1 else []
    rows: dict[int, Row] = {}
    for html in [first, *(fetch(client, f"/households?page={p}") for p in others)]:
        for ident, number, name, masked in _ROW.findall(html):
            rows[int(ident)] = Row(int(ident), number, name, masked[-4:])
    if not rows:
        raise SystemExit("household list: no rows in the user's scope")
    return Scope(total, pages, tuple(rows.values()))


def plan(scope: Scope, rng: random.Random, per_kind: int) -> tuple[dict[str, list[Request]], int]:
    """``per_kind`` requests of every kind, and the deep page used."""
    deep = min(DEEP_PAGE, scope.pages)
    named = [r for r in scope.rows if r.head_name != "未登记"] or list(scope.rows)
    with_id = [r for r in scope.rows if r.last4.isalnum() and len(r.last4) == 4] or named
    make = {
        "list": lambda: "/households",
        "search_name": lambda: "/households?" + urlencode({"q": rng.choice(named).head_name}),
        "search_last4": lambda: f"/households?q={rng.choice(with_id).last4}",
        "list_deep": lambda: f"/households?page={deep}",
        "list_last": lambda: f"/households?page={scope.pages}",
        "household": lambda: f"/households/{rng.choice(scope.rows).id}",
        "list_fragment": lambda: "/households",
    }
    fragment = {"HX-Request": "true"}
    return {kind: [(make[kind](), fragment if kind == "list_fragment" else {})
                   for _ in range(per_kind)] for kind in KINDS}, deep


def time_kind(client: httpx.Client, server_pid: int, requests: list[Request],
              max_seconds: float) -> dict[str, float]:
    """One request at a time (after two untimed warm-up requests): latency figures, mean body
    size and the server's CPU time per request; stops early once ``max_seconds`` have passed."""
    for path, headers in requests[:2]:
        fetch(client, path, headers)
    latencies: list[float] = []
    size = 0
    cpu_before, started = process_cpu_seconds(server_pid), time.perf_counter()
    for path, headers in requests:
        if time.perf_counter() - started > max_seconds:
            break
        before = time.perf_counter()
        size += len(fetch(client, path, headers).encode())
        latencies.append(time.perf_counter() - before)
    wall = time.perf_counter() - started
    cpu = process_cpu_seconds(server_pid) - cpu_before
    return summarise(latencies, wall) | {"mean_kib": size / len(latencies) / 1024,
                                         "server_cpu_ms": cpu / len(latencies) * 1000}


def bench_user(server: Server, username: str, args: argparse.Namespace) -> dict[str, Any]:
    rng = random.Random(f"{args.seed}:{username}")
    client = login(server.base_url, username)
    try:
        scope = sample_scope(client, rng)
        requests, deep = plan(scope, rng, args.requests)
        kinds = {kind: time_kind(client, server.pid, batch, args.max_seconds)
                 for kind, batch in requests.items()}
    finally:
        client.close()
    return {"households_in_scope": scope.total, "list_pages": scope.pages, "deep_page": deep,
            "households_sampled": len(scope.rows), "kinds": kinds}


def print_report(report: dict[str, Any]) -> None:
    where = f"all in {ONE_COUNTY}" if report["one_county"] else "spread over the demo counties"
    print(f"\nregistry: {report['households']} households ({where}, seed {report['seed']}); "
          f"demo-data {report['demo_data_s']:.1f} s; recompute "
          + (f"{report['recompute_s']:.1f} s" if report["recompute_s"] else "skipped"))
    print(f"{'user':<11} {'request':<14} {'n':>4} {'median ms':>10} {'p95 ms':>8} "
          f"{'max ms':>8} {'req/s':>7} {'server CPU ms':>14} {'KiB':>6}")
    for user, result in report["users"].items():
        for kind, s in result["kinds"].items():
            print(f"{user:<11} {kind:<14} {s['n']:>4} {s['median_ms']:>10.1f} {s['p95_ms']:>8.1f} "
                  f"{s['max_ms']:>8.1f} {s['requests_per_s']:>7.1f} {s['server_cpu_ms']:>14.1f} "
                  f"{s['mean_kib']:>6.1f}")
        print(f"{user:<11} scope {result['households_in_scope']} households, "
              f"{result['list_pages']} list pages (list_deep = page {result['deep_page']}, "
              f"list_last = page {result['list_pages']})")
    print(f"{report['load_before']} before; {report['load_after']} after")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--households", type=int, default=100000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=200, help="per request kind and user")
    parser.add_argument("--max-seconds", type=float, default=120.0,
                        help="time cap per request kind and user (fewer samples after it)")
    parser.add_argument("--no-recompute", dest="recompute", action="store_false")
    parser.add_argument("--one-county", action="store_true",
                        help=f"every household in the demo accounts' county ({ONE_COUNTY})")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON only")
    args = parser.parse_args()
    report: dict[str, Any] = {"households": args.households, "seed": args.seed,
                              "one_county": args.one_county, "load_before": load_average()}
    with tempfile.TemporaryDirectory(prefix="bench-registry-") as tmp:
        say = (lambda _: None) if args.json else print
        say(f"loading {args.households} households into {tmp} ({report['load_before']})")
        registry = fresh_registry(Path(tmp), args.households, args.seed, args.one_county)
        report["demo_data_s"] = registry.load.seconds
        recompute: CliRun | None = None
        if args.recompute:
            say("recomputing decisions")
            recompute = run_casework(["recompute", "--on", ON], registry.env)
        report["recompute_s"] = recompute.seconds if recompute else None
        with Server(registry.env, Path(tmp) / "server.log") as server:
            report["users"] = {}
            for user in USERS:
                say(f"timing requests as {user}")
                report["users"][user] = bench_user(server, user, args)
    report["load_after"] = load_average()
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        print_report(report)


if __name__ == "__main__":
    main()
