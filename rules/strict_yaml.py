"""Strict YAML reading with line numbers: duplicate keys, unknown keys, wrong types and malformed
dates are errors that name the file and the line. Used for parameter files, local parameter files,
pack descriptions and situation tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

__all__ = ["LoaderError", "Doc", "compose_file", "compose_text"]

_TAG = "tag:yaml.org,2002:"
_SCALARS = yaml.SafeLoader("")


class LoaderError(ValueError):
    """A file the engine refuses, with ``file``, 1-based ``line`` and an English ``message``."""

    def __init__(self, file: str, line: int, message: str) -> None:
        super().__init__(f"{file}:{line}: {message}")
        self.file = file
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Doc:
    """A node of a strictly read YAML file: ``Doc.value`` is built on demand, with checks."""

    file: str
    node: Node
    where: str = ""

    @property
    def line(self) -> int:
        return self.node.start_mark.line + 1

    def fail(self, message: str, line: int | None = None) -> LoaderError:
        prefix = f"{self.where}: " if self.where else ""
        return LoaderError(self.file, line or self.line, prefix + message)

    # -- mappings -------------------------------------------------------------------------
    def items(self) -> Iterator[tuple[str, Doc]]:
        """Key/value pairs of a mapping whose keys are strings; duplicates are refused."""
        for key, value in self._pairs():
            if not isinstance(key, str):
                raise self.fail(f"key {key!r} must be a string", _line(value.node))
            yield key, value

    def dated_items(self) -> Iterator[tuple[dt.date, Doc]]:
        """Pairs of a mapping keyed by dates (``YYYY-MM-DD``)."""
        for key, value in self._pairs():
            if not isinstance(key, dt.date) or isinstance(key, dt.datetime):
                raise self.fail(f"malformed date {str(key)!r} (expected YYYY-MM-DD)",
                                _line(value.node))
            yield key, value

    def mapping(self, required: Iterable[str], optional: Iterable[str] = ()) -> dict[str, Doc]:
        """The mapping as a dict, refusing unknown and missing keys."""
        required, optional = tuple(required), tuple(optional)
        allowed = sorted(required + optional)
        found: dict[str, Doc] = {}
        for key, value in self.items():
            if key not in allowed:
                raise self.fail(f"unknown key {key!r} (allowed: {', '.join(allowed)})",
                                value.line_of_key)
            found[key] = value
        for key in required:
            if key not in found:
                raise self.fail(f"missing key {key!r}")
        return found

    def _pairs(self) -> Iterator[tuple[object, Doc]]:
        if not isinstance(self.node, MappingNode):
            raise self.fail(f"expected a mapping, got {self.kind()}")
        seen: dict[object, int] = {}
        for key_node, value_node in self.node.value:
            key_line = key_node.start_mark.line + 1
            if isinstance(key_node, ScalarNode) and key_node.tag == _TAG + "bool":
                key: object = key_node.value  # YAML 1.1 reads a key `on:` as true; keep the text
            else:
                key = self._scalar(key_node, allow_bad_date=True)
            hashable = key if not isinstance(key, list) else repr(key)
            if hashable in seen:
                raise self.fail(f"duplicate key {str(key)!r} (first at line {seen[hashable]})",
                                key_line)
            seen[hashable] = key_line
            where = f"{self.where}.{key}" if self.where else str(key)
            yield key, _KeyedDoc(self.file, value_node, where, key_line)

    # -- sequences and scalars ------------------------------------------------------------
    def sequence(self) -> list[Doc]:
        if not isinstance(self.node, SequenceNode):
            raise self.fail(f"expected a list, got {self.kind()}")
        return [Doc(self.file, n, f"{self.where}[{i}]") for i, n in enumerate(self.node.value)]

    def scalar(self) -> object:
        if not isinstance(self.node, ScalarNode):
            raise self.fail(f"expected a single value, got {self.kind()}")
        return self._scalar(self.node)

    def string(self) -> str:
        value = self.scalar()
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"must be a non-empty string, not {_type_name(value)}")
        return value

    def boolean(self) -> bool:
        value = self.scalar()
        if not isinstance(value, bool):
            raise self.fail(f"must be true or false, not {_type_name(value)}")
        return value

    def plain(self) -> object:
        """The subtree as plain Python data (dicts, lists, scalars), still refusing duplicates."""
        if isinstance(self.node, MappingNode):
            return {str(k): v.plain() for k, v in self._pairs()}
        if isinstance(self.node, SequenceNode):
            return [d.plain() for d in self.sequence()]
        value = self.scalar()
        return value.isoformat() if isinstance(value, dt.date) else value

    def kind(self) -> str:
        if isinstance(self.node, MappingNode):
            return "a mapping"
        if isinstance(self.node, SequenceNode):
            return "a list"
        return _type_name(self._scalar(self.node))

    @property
    def line_of_key(self) -> int:
        return self.line

    def _scalar(self, node: Node, allow_bad_date: bool = False) -> object:
        if not isinstance(node, ScalarNode):
            return [node]  # a complex key; refused by the caller's type check
        if node.tag == _TAG + "timestamp":
            try:
                return _SCALARS.construct_object(node)
            except ValueError:
                if allow_bad_date:
                    return node.value
                raise self.fail(f"malformed date {node.value!r} (expected YYYY-MM-DD)",
                                _line(node)) from None
        if node.tag.startswith("!"):
            raise self.fail(f"tag {node.tag} is not allowed", _line(node))
        return _SCALARS.construct_object(node)


@dataclass(frozen=True)
class _KeyedDoc(Doc):
    key_line: int = 0

    @property
    def line_of_key(self) -> int:
        return self.key_line


def _line(node: Node) -> int:
    return node.start_mark.line + 1


def _type_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, dt.date):
        return "a date"
    if isinstance(value, str):
        return "an empty string" if not value.strip() else "a string"
    return type(value).__name__


def compose_text(text: str, file: str) -> Doc:
    """Read YAML text into a :class:`Doc`; syntax errors become :class:`LoaderError`."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise LoaderError(file, line, f"YAML syntax error: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise LoaderError(file, 1, f"YAML error: {exc}") from None
    if node is None:
        raise LoaderError(file, 1, "empty file")
    return Doc(file, node)


def compose_file(path: Path) -> Doc:
    return compose_text(path.read_text(encoding="utf-8"), str(path))
