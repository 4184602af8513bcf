"""``casework calc`` — the rules engine's command-line face (contract ``calc-v1``).

    casework calc --pack PACK --on YYYY-MM-DD [--set NAME=VALUE ...] [--batch] FILE|-
    casework calc --pack PACK --list-params

Exit status: 0 success; 2 invalid input (stderr names the JSON path; nothing on stdout; in batch
mode the bad line's result is ``{"line": N, "error": "..."}`` and exit 2 comes at the end);
3 unknown pack or parameter name (also a local parameter file the engine refuses).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO, NoReturn

import click

from casework.contract import ContractError, parse_household_json
from rules.engine import evaluate
from rules.output import result_json
from rules.pack import Pack, UnknownPack, available_packs, load_pack, local_params_from_env
from rules.params import BadOverride, Parameter, UnknownParameter
from rules.strict_yaml import LoaderError

__all__ = ["command"]

EXIT_INPUT = 2
EXIT_UNKNOWN = 3


def _fail(code: int, message: str) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(code)


def _write(text: str) -> None:
    stream: BinaryIO = sys.stdout.buffer
    stream.write(text.encode("utf-8"))
    stream.flush()


def _dumps(obj: object, *, indent: int | None = None) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=indent)


def _parse_sets(values: Sequence[str]) -> list[tuple[str, str]]:
    pairs = []
    for text in values:
        name, sep, value = text.partition("=")
        if not sep or not name.strip():
            _fail(EXIT_INPUT, f"--set {text!r}: expected NAME=VALUE（参数设置格式应为 名称=数值）")
        pairs.append((name.strip(), value.strip()))
    return pairs


def _load(pack_name: str, sets: Sequence[str]) -> Pack:
    overrides = _parse_sets(sets)
    try:
        return load_pack(pack_name, local_params=local_params_from_env(), overrides=overrides)
    except UnknownPack:
        known = ", ".join(available_packs())
        _fail(EXIT_UNKNOWN, f"unknown pack {pack_name!r} (installed: {known})（未知的政策包）")
    except UnknownParameter as exc:
        _fail(EXIT_UNKNOWN, f"unknown parameter {exc.name!r} for pack {pack_name}（未知参数，"
                            f"可用 --list-params 查看）")
    except BadOverride as exc:
        _fail(EXIT_INPUT, f"--set {exc}（参数值无效）")
    except (LoaderError, OSError) as exc:
        _fail(EXIT_UNKNOWN, f"local parameters refused: {exc}（本地参数文件有误）")


def _parameter_json(p: Parameter) -> dict[str, object]:
    values = None if p.values is None else {
        ("*" if start == dt.date.min else start.isoformat()):
            float(v) if isinstance(v, Decimal) else v for start, v in p.values}
    out: dict[str, object] = {"name": p.name, "description": p.description, "unit": p.unit,
                              "type": p.type, "values": values, "open": p.values is None,
                              "citation": p.citation.as_json(), "source": p.source}
    if p.choices:
        out["choices"] = list(p.choices)
    if p.note:
        out["note"] = p.note
    if p.reference:
        out["reference"] = p.reference
    return out


def _read_input(source: str) -> bytes:
    if source == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(source).read_bytes()
    except OSError as exc:
        _fail(EXIT_INPUT, f"{source}: cannot read input: {exc.strerror}（无法读取输入文件）")


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        _fail(EXIT_INPUT, "$: input is not valid UTF-8（输入不是 UTF-8 编码）")


def _one(text: str, pack: Pack, on: dt.date) -> dict[str, object]:
    """Raises ContractError for invalid input."""
    return result_json(evaluate(parse_household_json(text), pack, on))


def _batch(lines: Iterable[str], pack: Pack, on: dt.date) -> bool:
    """Writes one JSON line per non-blank input line; returns whether every line was valid."""
    all_valid = True
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            out: dict[str, object] = _one(line, pack, on)
        except ContractError as err:
            all_valid = False
            out = {"line": number, "error": str(err)}
            click.echo(f"line {number}: {err}（{err.message_zh}）", err=True)
        _write(_dumps(out) + "\n")
    return all_valid


@click.command(name="calc")
@click.option("--pack", "pack_name", required=True, metavar="PACK",
              help="Policy pack: bazhong-2018 or kaizhou-2016-2020.")
@click.option("--on", "on", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="Date the household is judged at.")
@click.option("--set", "sets", multiple=True, metavar="NAME=VALUE",
              help="Override or supply a pack parameter (repeatable).")
@click.option("--batch", is_flag=True, help="JSON Lines in, JSON Lines out.")
@click.option("--list-params", is_flag=True, help="Print the pack's parameters as JSON and exit.")
@click.argument("source", required=False, metavar="FILE|-")
def command(pack_name: str, on: dt.datetime | None, sets: tuple[str, ...], batch: bool,
            list_params: bool, source: str | None) -> None:
    """Compute one household's entitlements (or a batch) under a policy pack."""
    pack = _load(pack_name, sets)
    if list_params:
        _write(_dumps([_parameter_json(p) for p in sorted(pack.parameters.values(),
                                                           key=lambda p: p.name)], indent=2) + "\n")
        return
    if on is None:
        _fail(EXIT_INPUT, "--on YYYY-MM-DD is required（请给出判定日期）")
    if source is None:
        _fail(EXIT_INPUT, "FILE or - is required（请给出输入文件，或用 - 表示标准输入）")
    text = _decode(_read_input(source))
    if batch:
        if not _batch(text.splitlines(), pack, on.date()):
            sys.exit(EXIT_INPUT)
        return
    try:
        out = _one(text, pack, on.date())
    except ContractError as err:
        _fail(EXIT_INPUT, f"{err}\n{err.message_zh}")
    _write(_dumps(out, indent=2) + "\n")
