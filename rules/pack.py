"""Policy packs: a folder ``rules/packs/<name>/`` with ``pack.yaml`` (name, version, document,
seed, the Python module holding the rules), ``parameters/**/*.yaml`` and ``tests/*.yaml``."""

from __future__ import annotations

import datetime as dt
import importlib
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from rules.params import Parameter, ParamView, apply_local_file, apply_overrides, load_parameters
from rules.rule import Rule
from rules.strict_yaml import LoaderError, compose_file

__all__ = ["Pack", "UnknownPack", "KNOWN_PACKS", "PACKS_DIR", "LOCAL_PARAMS_ENV", "load_pack",
           "available_packs", "local_params_from_env"]

PACKS_DIR = Path(__file__).resolve().parent / "packs"
KNOWN_PACKS = ("bazhong-2018", "kaizhou-2016-2020")
"""Packs named by contract calc-v1; a pack works once its folder exists."""
LOCAL_PARAMS_ENV = "CASEWORK_LOCAL_PARAMS"
PACK_KEYS = ("name", "version", "title", "document", "seed", "module")


class UnknownPack(LookupError):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


@dataclass(frozen=True)
class Pack:
    name: str
    version: str
    title: str
    document: str
    seed: str
    folder: Path
    parameters: Mapping[str, Parameter]
    rules: tuple[Rule, ...]

    def view(self, on: dt.date) -> ParamView:
        return ParamView(self.parameters, on)

    def with_overrides(self, overrides: Iterable[tuple[str, str]]) -> Pack:
        """``--set`` values on top (raises ``UnknownParameter`` / ``BadOverride``)."""
        return replace(self, parameters=apply_overrides(self.parameters, overrides))

    def with_local_file(self, path: Path) -> Pack:
        return replace(self, parameters=apply_local_file(self.parameters, self.name, path,
                                                         KNOWN_PACKS))

    @property
    def tests_folder(self) -> Path:
        return self.folder / "tests"


def available_packs() -> list[str]:
    return sorted(p.parent.name for p in PACKS_DIR.glob("*/pack.yaml"))


def local_params_from_env() -> Path | None:
    value = os.environ.get(LOCAL_PARAMS_ENV, "").strip()
    return Path(value) if value else None


def load_pack(name: str, *, local_params: Path | None = None,
              overrides: Iterable[tuple[str, str]] = ()) -> Pack:
    """The pack with a deployment's local parameter file and ``--set`` overrides layered on."""
    pack = _load_base(name)
    if local_params is not None:
        pack = pack.with_local_file(local_params)
    return pack.with_overrides(overrides)


@lru_cache(maxsize=8)
def _load_base(name: str) -> Pack:
    folder = PACKS_DIR / name
    if "/" in name or name.startswith(".") or not (folder / "pack.yaml").is_file():
        raise UnknownPack(name)
    doc = compose_file(folder / "pack.yaml")
    keys = {k: v.string() if k != "version" else str(v.scalar())
            for k, v in doc.mapping(PACK_KEYS).items()}
    if keys["name"] != name:
        raise LoaderError(str(folder / "pack.yaml"), doc.line, f"name {keys['name']!r} does not "
                          f"match the folder {name!r}")
    module = importlib.import_module(keys["module"])
    rules: tuple[Rule, ...] = tuple(module.RULES)
    parameters = load_parameters(folder / "parameters")
    _check_rule_parameters(rules, parameters, folder)
    return Pack(name=name, version=keys["version"], title=keys["title"],
                document=keys["document"], seed=keys["seed"], folder=folder,
                parameters=parameters, rules=rules)


def _check_rule_parameters(rules: tuple[Rule, ...], parameters: Mapping[str, Parameter],
                           folder: Path) -> None:
    """Every parameter a rule names must be declared by the pack (caught at load, not at use)."""
    from rules.introspect import parameters_of

    for rule in rules:
        for name in parameters_of(rule):
            if name not in parameters:
                raise LoaderError(str(folder / "parameters"), 1,
                                  f"rule {rule.id} uses undeclared parameter {name!r}")
    ids = [r.id for r in rules]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise LoaderError(str(folder / "pack.yaml"), 1, f"duplicate rule IDs: {duplicates}")
