"""Benchmark of the rules engine: households per second

* in process, single-household path with reasons (evaluate + contract JSON),
* in process, column path (numpy over all members/stays of all households), with and without the
  one-off conversion of snapshots to columns,
* through ``casework calc --batch`` (a subprocess reading a generated JSON Lines file),
* ``casework recompute`` over a temp SQLite database loaded by ``casework demo-data`` (wall time,
  per-county phases, peak memory of the process tree; ``--one-county`` puts every household in
  one county; ``--recompute 0`` skips it, ``--recompute-only`` skips the rest).

Households come from a small deterministic generator in this file (seeded ``random``), so runs are
comparable. Usage::

    .venv/bin/python scripts/bench_rules.py [--single 20000] [--columns 200000] [--cli 5000]
        [--recompute 100000] [--one-county] [--recompute-only]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from _bench_util import ON as RECOMPUTE_ON
from _bench_util import (
    ONE_COUNTY, CliRun, children_maxrss_kib, fresh_registry, load_average, mib, run_casework,
)
from casework.contract import parse_household
from rules.columns import Columns
from rules.engine import evaluate, evaluate_columns
from rules.output import result_json
from rules.pack import load_pack
from rules.snapshot import Household

ON = dt.date(2018, 9, 1)
PACK = "bazhong-2018"
OVERRIDES = [("poverty_line_yuan", "3750"), ("medical_premium_lowest_tier_yuan", "180")]
STAGES = ["preschool", "primary", "junior", "senior", "vocational", "college"]


def _member(rng: random.Random, index: int) -> dict[str, object]:
    m: dict[str, object] = {"member_id": f"m{index}", "medical_insurance": rng.random() < 0.95,
                            "critical_illness_insurance": rng.random() < 0.9,
                            "pension_insured": rng.random() < 0.6,
                            "labor": rng.choice(["normal", "skilled", "weak", "lost", "none"]),
                            "employment": rng.choice(["stable", "temporary", "none"])}
    if rng.random() < 0.35:
        m["school"] = {"stage": rng.choice(STAGES), "boarding": rng.random() < 0.5,
                       "public": rng.random() < 0.8, "enrolled_year": rng.randint(2014, 2018),
                       "fee_yuan": rng.choice([600, 700, 1200, 1800])}
    if rng.random() < 0.08:
        m["disability_grade"] = rng.randint(1, 4)
        m["annual_income_yuan"] = rng.randint(0, 6000)
    if rng.random() < 0.15:
        total = rng.randint(500, 40000)
        m["hospital_stays"] = [{
            "kind": rng.choice(["inpatient", "chronic_outpatient"]), "in_county": rng.random() < 0.8,
            "hospital_level": rng.choice(["township", "county", "city"]), "public": rng.random() < 0.9,
            "total_cost_yuan": total, "out_of_catalog_yuan": rng.randint(0, total // 8),
            "reimbursed_yuan": rng.randint(total // 2, total * 9 // 10)}]
    return m


def generate(n: int, seed: int = 20180901) -> list[dict[str, object]]:
    """``n`` synthetic households as contract JSON (deterministic for a seed)."""
    rng = random.Random(seed)
    households = []
    for i in range(n):
        poor = rng.random() < 0.7
        households.append({
            "household_id": f"511922-{i:07d}", "registered_poor": poor,
            "dibao": rng.random() < 0.2, "tekun": rng.random() < 0.03,
            "per_capita_net_income_yuan": rng.randint(2000, 9000),
            "housing": {"safety_grade": rng.choice("AABBCD")}, "water_safe": rng.random() < 0.95,
            "members": [_member(rng, k + 1) for k in range(rng.randint(1, 6))]})
    return households


def rate(label: str, count: int, seconds: float) -> None:
    print(f"{label:<58} {count:>8} households  {seconds:8.3f} s  {count / seconds:>12,.0f} /s")


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def bench_single(snapshots: list[Household]) -> None:
    pack = load_pack(PACK, overrides=OVERRIDES)
    rate("single path: evaluate (decisions + reasons)", len(snapshots),
         timed(lambda: [evaluate(h, pack, ON) for h in snapshots]))
    rate("single path: evaluate + contract JSON dict", len(snapshots),
         timed(lambda: [result_json(evaluate(h, pack, ON)) for h in snapshots]))


def bench_columns(snapshots: list[Household]) -> None:
    pack = load_pack(PACK, overrides=OVERRIDES)
    holder: dict[str, Columns] = {}

    def build() -> None:
        columns = Columns(snapshots)
        for rule_field in ("school.stage", "registered_poor"):  # warm the lazily built cache
            columns.raw(rule_field)
        holder["c"] = columns

    build_s = timed(build)
    first = timed(lambda: evaluate_columns(holder["c"], pack, ON).household_totals())
    again = timed(lambda: evaluate_columns(holder["c"], pack, ON).household_totals())
    rate("column path: snapshots -> columns -> all rules (cold)", len(snapshots), build_s + first)
    rate("column path: all rules on ready columns (warm)", len(snapshots), again)


def bench_cli(households: list[dict[str, object]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "households.jsonl"
        path.write_text("".join(json.dumps(h, ensure_ascii=False) + "\n" for h in households),
                        encoding="utf-8")
        casework = str(Path(sys.executable).parent / "casework")
        args = [casework, "calc", "--pack", PACK, "--on", ON.isoformat(), "--batch", str(path)]
        for name, value in OVERRIDES:
            args += ["--set", f"{name}={value}"]
        start = time.perf_counter()
        done = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
        seconds = time.perf_counter() - start
        lines = done.stdout.count(b"\n")
        if done.returncode != 0 or lines != len(households):
            raise SystemExit(f"calc --batch failed ({done.returncode}): {done.stderr[-500:]!r}")
        rate("casework calc --batch (subprocess, JSONL in/out)", len(households), seconds)


COUNTY_LINE = re.compile(r"^(\d{6}) (\S+) \S+: (\d+) households, (\d+) decisions stored .*?; "
                         r"(.*)$", re.MULTILINE)
PHASES = ("evaluate", "store", "switch", "cleanup")
GIB_KIB = 1024 * 1024


def bench_recompute(households: int, one_county: bool) -> None:
    """``casework recompute`` over a fresh demo registry: twice with the default workers (the
    second run also deletes the first run's rows), then once with ``--workers 1``; wall time,
    per-county phases and the peak memory of the whole process tree (workers included)."""
    with tempfile.TemporaryDirectory(prefix="bench-recompute-") as tmp:
        registry = fresh_registry(Path(tmp), households, seed=1, one_county=one_county)
        where = f"all in {ONE_COUNTY}" if one_county else "spread over the demo counties"
        print(f"\ncasework demo-data --households {households} --seed 1 ({where}): "
              f"{registry.load.seconds:.1f} s, peak tree RSS "
              f"{mib(registry.load.peak_tree_rss_kib)}")
        county = ["--county", ONE_COUNTY] if one_county else []
        runs = (("run 1, default workers", []), ("run 2, default workers, + cleanup of run 1", []),
                ("run 3, --workers 1, + cleanup of run 2", ["--workers", "1"]))
        for label, extra in runs:
            run = run_casework(["recompute", "--on", RECOMPUTE_ON, *county, *extra], registry.env,
                               sample_memory=True)
            report_recompute(label, run)
    print(f"getrusage(RUSAGE_CHILDREN).ru_maxrss over the whole benchmark: "
          f"{mib(children_maxrss_kib())} (largest single process reaped, demo-data included)")


def report_recompute(label: str, run: CliRun) -> None:
    counties = [(code, pack, int(n), int(d), _phases(phases))
                for code, pack, n, d, phases in COUNTY_LINE.findall(run.stdout)]
    if not counties:
        raise SystemExit(f"recompute printed no county lines:\n{run.stdout[-1000:]}")
    print(f"{label}: wall {run.seconds:.1f} s, CPU {run.cpu_seconds:.1f} s (user+sys: main process "
          f"{run.main_cpu_seconds:.1f} s, workers {run.cpu_seconds - run.main_cpu_seconds:.1f} s); "
          f"peak tree RSS {mib(run.peak_tree_rss_kib)} "
          f"(sum of VmRSS, {run.samples} samples / 50 ms), peak tree PSS "
          f"{mib(run.peak_tree_pss_kib)}")
    print(f"  largest single process: VmHWM {mib(run.largest_process_hwm_kib)} (sampled), "
          f"ru_maxrss {mib(run.largest_process_maxrss_kib)} (wait4; includes this script's own "
          f"peak {mib(run.launcher_hwm_kib)}, inherited at exec)")
    print(f"  {'county':<7} {'pack':<18} {'households':>10} {'decisions':>10} "
          + " ".join(f"{p:>8}" for p in PHASES) + f" {'hh/s':>8}  (hh/s: evaluate+store+switch)")
    for code, pack, n, decisions, seconds in counties:
        busy = sum(seconds.get(p, 0.0) for p in PHASES[:3])
        print(f"  {code:<7} {pack:<18} {n:>10} {decisions:>10} "
              + " ".join(f"{seconds.get(p, 0.0):>8.1f}" for p in PHASES)
              + (f" {n / busy:>8,.0f}" if busy else f" {'-':>8}"))
    code, _, n, _, seconds = max(counties, key=lambda c: c[2])
    stored_in = sum(seconds.get(p, 0.0) for p in ("evaluate", "store", "switch"))
    within = stored_in < 60 and run.peak_tree_rss_kib < GIB_KIB
    print(f"  largest county {code}: {n} households recomputed and stored in {stored_in:.1f} s "
          f"(evaluate+store+switch); target < 60 s and < 1 GiB: {'met' if within else 'NOT met'}")


def _phases(text: str) -> dict[str, float]:
    return {name: float(value) for name, value in re.findall(r"(\w+) ([\d.]+) s", text)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--single", type=int, default=20000)
    parser.add_argument("--columns", type=int, default=200000)
    parser.add_argument("--cli", type=int, default=5000)
    parser.add_argument("--recompute", type=int, default=100000, metavar="HOUSEHOLDS",
                        help="demo households for the recompute benchmark (0: skip it)")
    parser.add_argument("--one-county", action="store_true",
                        help=f"put every demo household in one county ({ONE_COUNTY})")
    parser.add_argument("--recompute-only", action="store_true")
    args = parser.parse_args()
    print(load_average())
    if args.recompute > 0:  # first, while this process is small (see CliRun.launcher_hwm_kib)
        bench_recompute(args.recompute, args.one_county)
    if not args.recompute_only:
        bench_engine(args)
    print(load_average())


def bench_engine(args: argparse.Namespace) -> None:
    households = generate(max(args.single, args.columns, args.cli))
    start = time.perf_counter()
    snapshots = [parse_household(h) for h in households]
    rate("parse contract JSON -> snapshots (for reference)", len(snapshots),
         time.perf_counter() - start)
    bench_single(snapshots[: args.single])
    bench_columns(snapshots[: args.columns])
    bench_cli(households[: args.cli])


if __name__ == "__main__":
    main()
