"""Pack parameters: description, unit, dated values (or none, when the documents leave the number
open) and a citation. Layering: pack file < deployment's local file < ``--set`` overrides."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path

from rules.decision import Citation, ParamValue
from rules.strict_yaml import Doc, LoaderError, compose_file

__all__ = [
    "BadOverride",
    "MissingParam",
    "Parameter",
    "ParamView",
    "UnknownParameter",
    "load_parameter",
    "load_parameters",
    "apply_local_file",
    "apply_overrides",
    "TYPES",
    "MAX_NUMBER",
    "DECIMAL_PRECISION",
]

TYPES = ("number", "bool", "choice")
NAME = re.compile(r"^[a-z][a-z0-9_]*$")
PARAM_KEYS = ("description", "unit", "citation")
PARAM_OPTIONAL = ("values", "open", "type", "choices", "note")
CITATION_KEYS = ("document", "section", "seed", "lines")
MAX_NUMBER = Decimal(10) ** 15
"""The largest number a parameter may hold (pack file, local file or ``--set``): far above any
policy amount, and small enough that the engine's arithmetic stays exact to the fen."""
DECIMAL_PRECISION = 60
"""Significant digits of the engine's Decimal arithmetic (Python's default is 28): a product of a
few numbers up to :data:`MAX_NUMBER` stays exact, and rounding it to the fen never overflows."""


class MissingParam(LookupError):
    """A parameter has no value at the date (open in the documents and not supplied locally)."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


class UnknownParameter(KeyError):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


class BadOverride(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str
    description: str
    unit: str
    type: str
    values: tuple[tuple[dt.date, ParamValue], ...] | None
    """Dated values, oldest first; ``None`` when the pack leaves the number open."""
    citation: Citation
    choices: tuple[str, ...] = ()
    note: str | None = None
    source: str = "pack"
    """Where the values in force come from: ``pack``, ``local`` or ``set``."""
    reference: str | None = None
    """The deployment's reference for a locally supplied value."""

    @property
    def open(self) -> bool:
        return self.values is None

    def at(self, on: dt.date) -> ParamValue | None:
        """The value in force on ``on``: the latest whose start date is not after it."""
        found: ParamValue | None = None
        for start, value in self.values or ():
            if start <= on:
                found = value
        return found

    def parse(self, text: str) -> ParamValue:
        """A ``--set`` value in this parameter's type."""
        if self.type == "bool":
            if text.lower() in ("true", "false"):
                return text.lower() == "true"
            raise BadOverride(f"{self.name}: expected true or false, got {text!r}")
        if self.type == "choice":
            if text in self.choices:
                return text
            raise BadOverride(f"{self.name}: expected one of {', '.join(self.choices)}, got {text!r}")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise BadOverride(f"{self.name}: expected a number, got {text!r}") from None
        if not number.is_finite() or number < 0:
            raise BadOverride(f"{self.name}: expected a non-negative number, got {text!r}")
        if number > MAX_NUMBER:
            raise BadOverride(f"{self.name}: expected a number not above {MAX_NUMBER:f}, "
                              f"got {text!r}")
        return abs(number) if number.is_zero() else number


@dataclass(frozen=True)
class ParamView:
    """Parameters as seen on one date (values looked up once and cached)."""

    parameters: Mapping[str, Parameter]
    on: dt.date
    _cache: dict[str, ParamValue | None] = field(default_factory=dict, compare=False, repr=False)
    _used: dict[tuple[str, ...], tuple[tuple[str, ParamValue], ...]] = field(
        default_factory=dict, compare=False, repr=False)

    def get(self, name: str) -> ParamValue:
        try:
            value = self._cache[name]
        except KeyError:
            if name not in self.parameters:
                raise UnknownParameter(name) from None
            value = self._cache[name] = self.parameters[name].at(self.on)
        if value is None:
            raise MissingParam(name)
        return value

    def values_of(self, names: tuple[str, ...]) -> tuple[tuple[str, ParamValue], ...]:
        """``(name, value)`` for the names that have a value on this date (memoised)."""
        try:
            return self._used[names]
        except KeyError:
            pass
        found: list[tuple[str, ParamValue]] = []
        for name in dict.fromkeys(names):
            try:
                found.append((name, self.get(name)))
            except MissingParam:
                continue
        self._used[names] = tuple(found)
        return self._used[names]

    def number(self, name: str) -> Decimal:
        value = self.get(name)
        if not isinstance(value, Decimal):
            raise TypeError(f"parameter {name} is not a number")
        return value

    def choice(self, name: str) -> str:
        value = self.get(name)
        if not isinstance(value, str):
            raise TypeError(f"parameter {name} is not a choice")
        return value

    def flag(self, name: str) -> bool:
        value = self.get(name)
        if not isinstance(value, bool):
            raise TypeError(f"parameter {name} is not a bool")
        return value


# -- reading parameter files ----------------------------------------------------------------

def load_parameters(folder: Path) -> dict[str, Parameter]:
    """Every ``*.yaml`` under ``folder`` (recursively); the file stem is the parameter name."""
    found: dict[str, Parameter] = {}
    where: dict[str, Path] = {}
    for path in sorted(folder.rglob("*.yaml")):
        parameter = load_parameter(path)
        if parameter.name in found:
            raise LoaderError(str(path), 1, f"parameter {parameter.name!r} is already declared "
                                            f"in {where[parameter.name]}")
        found[parameter.name] = parameter
        where[parameter.name] = path
    return found


def load_parameter(path: Path) -> Parameter:
    name = path.stem
    doc = compose_file(path)
    if not NAME.match(name):
        raise LoaderError(str(path), 1, f"file name {name!r} is not a parameter name "
                                        "(lower-case letters, digits and _)")
    keys = doc.mapping(PARAM_KEYS, PARAM_OPTIONAL)
    kind = keys["type"].string() if "type" in keys else "number"
    if kind not in TYPES:
        raise keys["type"].fail(f"unknown type {kind!r} (allowed: {', '.join(TYPES)})")
    choices = _choices(keys, kind)
    is_open = keys["open"].boolean() if "open" in keys else False
    if is_open and "values" in keys:
        raise keys["values"].fail("an open parameter must not have values", keys["values"].line_of_key)
    if not is_open and "values" not in keys:
        raise doc.fail("missing key 'values' (or 'open: true' for a number the documents leave open)")
    values = None if is_open else _values(keys["values"], kind, choices)
    return Parameter(
        name=name, description=keys["description"].string(), unit=keys["unit"].string(),
        type=kind, values=values, citation=read_citation(keys["citation"]), choices=choices,
        note=keys["note"].string() if "note" in keys else None,
    )


def _choices(keys: Mapping[str, Doc], kind: str) -> tuple[str, ...]:
    if kind != "choice":
        if "choices" in keys:
            raise keys["choices"].fail("'choices' is only for type: choice", keys["choices"].line_of_key)
        return ()
    if "choices" not in keys:
        raise keys["type"].fail("a choice parameter needs a 'choices' list")
    return tuple(item.string() for item in keys["choices"].sequence())


def _values(doc: Doc, kind: str, choices: tuple[str, ...]) -> tuple[tuple[dt.date, ParamValue], ...]:
    values = [(start, typed_value(value, kind, choices)) for start, value in doc.dated_items()]
    if not values:
        raise doc.fail("needs at least one dated value")
    return tuple(sorted(values))


def typed_value(doc: Doc, kind: str, choices: tuple[str, ...]) -> ParamValue:
    raw = doc.scalar()
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        raise doc.fail(f"must be true or false, not {doc.kind()}")
    if kind == "choice":
        if isinstance(raw, str) and raw in choices:
            return raw
        raise doc.fail(f"must be one of {', '.join(choices)}, not {raw!r}")
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        raise doc.fail(f"must be a number, not {doc.kind()}")
    if raw < 0:
        raise doc.fail("must not be negative")
    number = Decimal(str(raw))
    if not number.is_finite() or number > MAX_NUMBER:
        raise doc.fail(f"must be a finite number not above {MAX_NUMBER:f}")
    return abs(number) if number.is_zero() else number


def read_citation(doc: Doc) -> Citation:
    keys = doc.mapping(CITATION_KEYS)
    lines = keys["lines"].scalar()
    if isinstance(lines, bool) or not isinstance(lines, (int, str)) or not str(lines).strip():
        raise keys["lines"].fail("must be a line number or a range such as \"1200-1202\"")
    return Citation(document=keys["document"].string(), section=keys["section"].string(),
                    seed=keys["seed"].string(), lines=str(lines))


# -- layering ---------------------------------------------------------------------------------

def apply_local_file(parameters: Mapping[str, Parameter], pack: str, path: Path,
                     known_packs: Iterable[str]) -> dict[str, Parameter]:
    """Layer a deployment's local parameter file over the pack's values.

    The file names packs; only the section for ``pack`` is applied (others are still checked for
    shape). Every value carries its own ``reference``."""
    doc = compose_file(path)
    top = doc.mapping(("packs",), ("description",))
    result = dict(parameters)
    known = set(known_packs)
    for pack_name, section in top["packs"].items():
        if pack_name not in known:
            raise section.fail(f"unknown pack {pack_name!r}", section.line_of_key)
        for name, entry in section.items():
            keys = entry.mapping(("values", "reference"))
            reference = keys["reference"].string()
            if pack_name != pack:
                continue
            if name not in parameters:
                raise entry.fail(f"unknown parameter {name!r} for pack {pack}", entry.line_of_key)
            base = parameters[name]
            values = _values(keys["values"], base.type, base.choices)
            result[name] = replace(base, values=values, source="local", reference=reference)
    return result


def apply_overrides(parameters: Mapping[str, Parameter],
                    overrides: Iterable[tuple[str, str]]) -> dict[str, Parameter]:
    """``--set NAME=VALUE``: the value holds at every date. Unknown names raise
    :class:`UnknownParameter`, values of the wrong type :class:`BadOverride`."""
    result = dict(parameters)
    for name, text in overrides:
        if name not in result:
            raise UnknownParameter(name)
        value = result[name].parse(text)
        result[name] = replace(result[name], values=((dt.date.min, value),), source="set",
                               reference="--set")
    return result
