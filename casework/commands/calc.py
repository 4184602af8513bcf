"""``casework calc`` — the rules engine's command-line face (contract ``calc-v1``).

    casework calc --pack PACK --on YYYY-MM-DD [--set NAME=VALUE ...] [--batch] FILE|-
    casework calc --pack PACK --list-params

Exit status: 0 success; 2 invalid input (stderr names the JSON path; nothing on stdout; in batch
mode the bad line's result is ``{"line": N, "error": "..."}`` and exit 2 comes at the end);
3 unknown pack or parameter name (also a local parameter file the engine refuses).

Readings of the contract where it is silent:

* ``--on`` must be exactly ``YYYY-MM-DD`` and a real date (``2018-9-1`` is refused, exit 2).
  The policy year is the calendar year of ``--on``.
* ``--set``: repeatable, the last value given for a name wins. A malformed ``--set`` (no ``=``,
  no name) or a value of the wrong type (``abc`` for a number, a negative or non-finite number,
  a choice not listed) is invalid input (exit 2); an unknown name is exit 3. An unknown pack is
  reported (exit 3) before anything else is looked at.
* ``--list-params``: a JSON list sorted by name; each parameter has ``name``, ``description``,
  ``unit``, ``type``, ``values`` (``{"YYYY-MM-DD": value}`` from each start date, ``"*"`` for a
  ``--set`` value that holds at every date, ``null`` when open), ``value`` (the same, for readers
  of the contract's wording), ``open``, ``citation``, ``source`` (``pack``/``local``/``set``) and,
  when present, ``choices``, ``note``, ``reference``. ``--on`` and FILE are ignored with it.
* Input is UTF-8; a UTF-8 byte-order mark at the start (Windows tools write one) is accepted.
  Numbers above 10^18 (amounts) or 10^15 (``--set``) are invalid input, not computed.
* ``--batch``: lines are split at ``\\n`` only (a ``\\r`` before it is dropped), so a JSON string
  holding U+2028 or U+0085 stays one line. Blank lines are skipped and produce no output line;
  ``N`` in ``{"line": N, ...}`` is the physical line number (blank lines counted). A line that is
  not valid UTF-8 is a bad line like any other; the others are still computed.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
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
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _printable(text: str) -> str:
    """``text`` with lone surrogates (from ``\\udXXX`` escapes in the input) written as JSON
    escapes, so that it can always be encoded as UTF-8."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _fail(code: int, message: str) -> NoReturn:
    click.echo(_printable(message), err=True)
    sys.exit(code)


def _write(text: str) -> None:
    stream: BinaryIO = sys.stdout.buffer
    stream.write(text.encode("utf-8", "backslashreplace"))
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
    if pack_name not in available_packs():
        known = ", ".join(available_packs())
        _fail(EXIT_UNKNOWN, f"unknown pack {pack_name!r} (installed: {known})（未知的政策包）")
    overrides = _parse_sets(sets)
    try:
        return load_pack(pack_name, local_params=local_params_from_env(), overrides=overrides)
    except UnknownPack:  # listed but unreadable (a folder without its pack module)
        _fail(EXIT_UNKNOWN, f"unknown pack {pack_name!r}（未知的政策包）")
    except UnknownParameter as exc:
        _fail(EXIT_UNKNOWN, f"unknown parameter {exc.name!r} for pack {pack_name}（未知参数，"
                            f"可用 --list-params 查看）")
    except BadOverride as exc:
        _fail(EXIT_INPUT, f"--set {exc}（参数值无效）")
    except (LoaderError, OSError) as exc:
        _fail(EXIT_UNKNOWN, f"local parameters refused: {exc}（本地参数文件有误）")


def _policy_date(text: str | None) -> dt.date:
    if text is None:
        _fail(EXIT_INPUT, "--on YYYY-MM-DD is required（请给出判定日期）")
    try:
        if not _DATE.fullmatch(text):
            raise ValueError(text)
        return dt.date(int(text[:4]), int(text[5:7]), int(text[8:]))
    except ValueError:
        _fail(EXIT_INPUT, f"--on {text!r}: not a date YYYY-MM-DD（判定日期应为 YYYY-MM-DD 格式的"
                          f"有效日期，例如 2018-09-01）")


def _parameter_json(p: Parameter) -> dict[str, object]:
    values = None if p.values is None else {
        ("*" if start == dt.date.min else start.isoformat()):
            float(v) if isinstance(v, Decimal) else v for start, v in p.values}
    out: dict[str, object] = {"name": p.name, "description": p.description, "unit": p.unit,
                              "type": p.type, "values": values, "value": values,
                              "open": p.values is None, "citation": p.citation.as_json(),
                              "source": p.source}
    if p.choices:
        out["choices"] = list(p.choices)
    if p.note:
        out["note"] = p.note
    if p.reference:
        out["reference"] = p.reference
    return out


@contextmanager
def _opened(source: str) -> Iterator[BinaryIO]:
    if source == "-":
        yield sys.stdin.buffer
        return
    try:
        stream = Path(source).open("rb")
    except OSError as exc:
        _fail(EXIT_INPUT, f"{source}: cannot read input: {exc.strerror}（无法读取输入文件）")
    with stream:
        yield stream


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ContractError("$", f"input is not valid UTF-8 (byte {err.start})",
                            "输入不是 UTF-8 编码") from None


def _one(text: str, pack: Pack, on: dt.date) -> dict[str, object]:
    """Raises ContractError for invalid input."""
    return result_json(evaluate(parse_household_json(text), pack, on))


def _lines(stream: BinaryIO) -> Iterator[tuple[int, bytes]]:
    """``(line number, line)`` split at ``\\n`` only, without the line end; a BOM is dropped."""
    for number, raw in enumerate(stream, start=1):
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8):]
        yield number, raw.rstrip(b"\n").rstrip(b"\r")


def _batch(lines: Iterable[tuple[int, bytes]], pack: Pack, on: dt.date) -> bool:
    """Writes one JSON line per non-blank input line; returns whether every line was valid."""
    all_valid = True
    for number, raw in lines:
        if not raw.strip():
            continue
        try:
            out: dict[str, object] = _one(_decode(raw), pack, on)
        except ContractError as err:
            all_valid = False
            out = {"line": number, "error": str(err)}
            click.echo(_printable(f"line {number}: {err}（{err.message_zh}）"), err=True)
        _write(_dumps(out) + "\n")
    return all_valid


@click.command(name="calc")
@click.option("--pack", "pack_name", required=True, metavar="PACK",
              help="Policy pack: bazhong-2018 or kaizhou-2016-2020.")
@click.option("--on", "on_text", metavar="YYYY-MM-DD",
              help="Date the household is judged at (ages; the policy year is its calendar year).")
@click.option("--set", "sets", multiple=True, metavar="NAME=VALUE",
              help="Override or supply a pack parameter (repeatable; the last one wins).")
@click.option("--batch", is_flag=True, help="JSON Lines in, JSON Lines out (blank lines skipped).")
@click.option("--list-params", is_flag=True, help="Print the pack's parameters as JSON and exit.")
@click.argument("source", required=False, metavar="FILE|-")
def command(pack_name: str, on_text: str | None, sets: tuple[str, ...], batch: bool,
            list_params: bool, source: str | None) -> None:
    """Compute one household's entitlements (or a batch) under a policy pack."""
    pack = _load(pack_name, sets)
    if list_params:
        _write(_dumps([_parameter_json(p) for p in sorted(pack.parameters.values(),
                                                           key=lambda p: p.name)], indent=2) + "\n")
        return
    on = _policy_date(on_text)
    if source is None:
        _fail(EXIT_INPUT, "FILE or - is required（请给出输入文件，或用 - 表示标准输入）")
    with _opened(source) as stream:
        if batch:
            if not _batch(_lines(stream), pack, on):
                sys.exit(EXIT_INPUT)
            return
        data = stream.read()
    try:
        out = _one(_decode(data), pack, on)
    except ContractError as err:
        _fail(EXIT_INPUT, f"{err}\n{err.message_zh}")
    _write(_dumps(out, indent=2) + "\n")
