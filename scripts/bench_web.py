"""Web benchmark (issue 4): latency of what a village cadre does most, through the real server
(``python -m web``, uvicorn) on loopback, at 1 and 32 concurrent clients.

Steps: a SQLite database is prepared (``casework db upgrade``, ``demo-data --households N --seed
1``, ``recompute --on 2018-09-01``), or reused with ``--db FILE`` when that file exists; the
server starts on a free loopback port; the cadre ``cadre1`` logs in over HTTP (CSRF cookie and
the form's hidden token, password ``demo1234``); then, for each concurrency level, three
scenarios run with a bounded number of requests:

* ``household``: the household page of a random household of the cadre's village (full page);
* ``village list``: a random page of the village's household list (full page);
* ``save``: the household facts form (``/households/{id}/facts``) is fetched (not timed) and
  posted back as htmx does (``HX-Request``) with 饮水安全 flipped, its CSRF token, version and
  one-time key: the save, the household's recompute and the answer showing the new decisions are
  timed. Each client saves its own households, so no save meets a version conflict. When the
  server has no such form (the editing routes are missing), the save scenario is skipped with a
  message.

Latency is measured by the client (request sent to body read); req/s is throughput (timed
requests / wall time of the level, after a warm-up request per client; for saves the wall time
also holds the untimed form fetches). The client threads share the machine's cores with the server: with 32
clients on 2 cores the figures include the client's own CPU. The load average is printed before
and after (other jobs on the machine inflate the figures). The page weight of the list and the
household page (HTML, CSS, JS; raw and gzip) is reported too.

Usage::

    .venv/bin/python scripts/bench_web.py [--households 100000] [--db FILE] [--requests 200]
                                          [--saves 96] [--clients 1,32] [--json]
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import random
import re
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx

from _bench_util import ON, Server, casework_env, load_average, run_casework, summarise

USER, PASSWORD = "cadre1", "demo1234"
CSRF_COOKIE = "casework_csrf"
SAVE_FORM = "/households/{id}/facts"
FLIPPED = "water_safe"
_IDS = re.compile(r'href="/households/(\d+)"')
_PAGES = re.compile(r"户共 <strong>(\d+)</strong> 户(?:，第 \d+ / (\d+) 页)?")
_ASSET = re.compile(r'<(?:script[^>]*\ssrc|link[^>]*rel="stylesheet"[^>]*\shref)="([^"]+)"')
Task = Callable[[httpx.Client, random.Random, int], float]
"""One timed request by client number ``i``: returns seconds."""


class FormFields(HTMLParser):
    """The values a browser would submit from the page's first form."""

    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None
        self.values: dict[str, str] = {}
        self._select: str | None = None
        self._done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if self._done:
            return
        if tag == "form" and self.action is None:
            self.action = a.get("action", "")
        elif tag == "input" and a.get("name") and (
                a.get("type") not in ("radio", "checkbox") or "checked" in a):
            self.values[a["name"]] = a.get("value", "")
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self.values.setdefault(self._select, "")
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "form" and self.action is not None:
            self._done = True


def prepare_db(args: argparse.Namespace, tmp: Path) -> tuple[Path, list[str]]:
    path = Path(args.db) if args.db else tmp / "casework.db"
    env = casework_env(path)
    existed = path.exists()
    run_casework(["db", "upgrade"], env)  # a reused file may predate the newest migration
    if existed:
        return path, [f"reused {path} (migrated to head)"]
    load = run_casework(["demo-data", "--households", str(args.households), "--seed", "1"], env)
    recompute = run_casework(["recompute", "--on", ON], env)
    return path, [f"built {path}: demo-data {args.households} households {load.seconds:.0f} s, "
                  f"recompute {recompute.seconds:.0f} s"]


def login(base_url: str) -> httpx.Client:
    client = httpx.Client(base_url=base_url, timeout=120.0)
    page = client.get("/login")
    token = re.search(r'name="_csrf_token" value="([^"]+)"', page.text)
    if token is None or not client.cookies.get(CSRF_COOKIE):
        raise SystemExit(f"login form: HTTP {page.status_code}, no CSRF cookie or token")
    done = client.post("/login", data={"username": USER, "password": PASSWORD,
                                       "_csrf_token": token.group(1)})
    if done.status_code != 303:
        raise SystemExit(f"login as {USER} refused: HTTP {done.status_code}")
    return client


def clone(client: httpx.Client) -> httpx.Client:
    return httpx.Client(base_url=client.base_url, timeout=120.0, cookies=client.cookies)


def village(client: httpx.Client) -> tuple[list[int], int]:
    """Every household id of the cadre's village (list pages, not timed), and the page count."""
    first = client.get("/households").text
    found = _PAGES.search(first)
    if found is None:
        raise SystemExit("household list: no summary")
    pages = int(found.group(2) or 1)
    ids = {int(i) for i in _IDS.findall(first)}
    for page in range(2, pages + 1):
        ids |= {int(i) for i in _IDS.findall(client.get(f"/households?page={page}").text)}
    return sorted(ids), pages


def timed_get(client: httpx.Client, path: str, headers: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    response = client.get(path, headers=headers or {})
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"GET {path}: HTTP {response.status_code}")
    return elapsed


def save_form(client: httpx.Client, household_id: int) -> dict[str, str] | None:
    response = client.get(SAVE_FORM.format(id=household_id), headers={"HX-Request": "true"})
    if response.status_code != 200:
        return None
    form = FormFields()
    form.feed(response.text)
    needed = {"_csrf_token", "household_version", "key", FLIPPED}
    return form.values if needed <= form.values.keys() else None


def save(client: httpx.Client, household_id: int) -> float:
    values = save_form(client, household_id)
    if values is None:
        raise SystemExit(f"facts form of household {household_id} is not there any more")
    values[FLIPPED] = "0" if values[FLIPPED] == "1" else "1"
    path = SAVE_FORM.format(id=household_id)
    started = time.perf_counter()
    response = client.post(path, data=values, headers={"HX-Request": "true"})
    elapsed = time.perf_counter() - started
    if response.status_code != 200 or "没有保存" in response.text:
        raise SystemExit(f"save of household {household_id}: HTTP {response.status_code}\n"
                         f"{response.text[:800]}")
    return elapsed


def measure(base: httpx.Client, clients: int, total: int, task: Task) -> dict[str, float]:
    """``total`` requests spread over ``clients`` threads, each with its own connection."""
    per_client = max(1, math.ceil(total / clients))
    sessions = [clone(base) for _ in range(clients)]

    rngs = [random.Random(i) for i in range(clients)]

    def run(i: int, count: int) -> list[float]:
        return [task(sessions[i], rngs[i], i) for _ in range(count)]

    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(run, range(clients), [1] * clients))  # warm-up: connect, first request
        started = time.perf_counter()
        latencies = [t for part in pool.map(run, range(clients), [per_client] * clients)
                     for t in part]
        wall = time.perf_counter() - started
    for session in sessions:
        session.close()
    return summarise(latencies, wall)


def page_weight(client: httpx.Client, path: str) -> dict[str, int]:
    html = client.get(path).content
    bodies = [html] + [client.get(src).content
                       for src in _ASSET.findall(html.decode()) if src.startswith("/")]
    return {"html_raw": len(html), "html_gzip": len(gzip.compress(html, 6)),
            "total_raw": sum(len(b) for b in bodies),
            "total_gzip": sum(len(gzip.compress(b, 6)) for b in bodies),
            "files": len(bodies)}


def scenarios(ids: list[int], pages: int, clients: int) -> dict[str, Task]:
    own = [ids[i::clients] for i in range(clients)]
    return {
        "household": lambda c, rng, i: timed_get(c, f"/households/{rng.choice(ids)}"),
        "village list": lambda c, rng, i: timed_get(c, f"/households?page={rng.randint(1, pages)}"),
        "save": lambda c, rng, i: save(c, rng.choice(own[i])),
    }


def bench(base_url: str, args: argparse.Namespace) -> dict[str, Any]:
    client = login(base_url)
    ids, pages = village(client)
    has_save = save_form(client, ids[0]) is not None
    report: dict[str, Any] = {"village_households": len(ids), "list_pages": pages,
                              "save_available": has_save, "levels": {}, "page_weight": {
                                  "household list": page_weight(client, "/households"),
                                  "household page": page_weight(client, f"/households/{ids[0]}"),
                              }}
    if not has_save:
        print(f"save: SKIPPED - the server has no facts form at {SAVE_FORM} "
              "(web/editing routes missing)", flush=True)
    for clients in args.clients:
        level: dict[str, Any] = {}
        for name, task in scenarios(ids, pages, clients).items():
            if name == "save" and not has_save:
                continue
            total = args.saves if name == "save" else args.requests
            level[name] = measure(client, clients, max(total, clients), task)
            print(f"  {clients:>2} client(s)  {name:<13} {_line(level[name])}", flush=True)
        report["levels"][str(clients)] = level
    client.close()
    return report


def _line(s: dict[str, float]) -> str:
    return (f"n={s['n']:<4} median {s['median_ms']:7.1f} ms  p95 {s['p95_ms']:7.1f} ms  "
            f"max {s['max_ms']:7.1f} ms  {s['requests_per_s']:6.1f} req/s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--db", help="SQLite file to reuse (built there when missing)")
    parser.add_argument("--requests", type=int, default=200, help="per read scenario and level")
    parser.add_argument("--saves", type=int, default=96, help="saves per level")
    parser.add_argument("--clients", default="1,32", help="concurrency levels, e.g. 1,32")
    parser.add_argument("--json", action="store_true", help="print the report as JSON too")
    args = parser.parse_args(argv)
    args.clients = [int(c) for c in args.clients.split(",")]
    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
        db, notes = prepare_db(args, Path(tmp))
        print("\n".join(notes), flush=True)
        print(f"before: {load_average()}", flush=True)
        with Server(casework_env(db), Path(tmp) / "server.log") as server:
            report = bench(server.base_url, args)
        print(f"after:  {load_average()}", flush=True)
    for name, weight in report["page_weight"].items():
        print(f"page weight, {name}: HTML {weight['html_raw']:,} B ({weight['html_gzip']:,} gzip); "
              f"with CSS+JS {weight['total_raw']:,} B ({weight['total_gzip']:,} gzip), "
              f"{weight['files']} files")
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
