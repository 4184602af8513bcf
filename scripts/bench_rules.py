"""Benchmark of the rules engine: households per second

* in process, single-household path with reasons (evaluate + contract JSON),
* in process, column path (numpy over all members/stays of all households), with and without the
  one-off conversion of snapshots to columns,
* through ``casework calc --batch`` (a subprocess reading a generated JSON Lines file).

Households come from a small deterministic generator in this file (seeded ``random``), so runs are
comparable. Usage::

    .venv/bin/python scripts/bench_rules.py [--single 20000] [--columns 200000] [--cli 5000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

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


def bench_recompute() -> None:
    # TODO(recompute): time `casework recompute` over a database filled with generate(N) once
    # the command exists (households/s read -> evaluated -> decisions stored).
    print("casework recompute: not benchmarked yet (TODO hook in bench_recompute)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--single", type=int, default=20000)
    parser.add_argument("--columns", type=int, default=200000)
    parser.add_argument("--cli", type=int, default=5000)
    args = parser.parse_args()
    households = generate(max(args.single, args.columns, args.cli))
    start = time.perf_counter()
    snapshots = [parse_household(h) for h in households]
    rate("parse contract JSON -> snapshots (for reference)", len(snapshots),
         time.perf_counter() - start)
    bench_single(snapshots[: args.single])
    bench_columns(snapshots[: args.columns])
    bench_cli(households[: args.cli])
    bench_recompute()


if __name__ == "__main__":
    main()
