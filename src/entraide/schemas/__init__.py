"""The JSON Schemas shipped with entraide, and validation that returns problems, not exceptions.

The hot path asks a compiled validator (fastjsonschema) whether a value is valid; only the
few values that fail go through jsonschema, whose messages and paths are clearer.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any


@cache
def load(name: str) -> dict[str, Any]:
    """The schema `name` (e.g. "contact") as a dict (the package is installed as files)."""
    text = (Path(__file__).parent / f"{name}.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def _fast(name: str) -> Callable[[Any], Any]:
    import fastjsonschema

    validate: Callable[[Any], Any] = fastjsonschema.compile(load(name))
    return validate


@cache
def _full(name: str) -> Any:
    import jsonschema

    cls = jsonschema.validators.validator_for(load(name))
    return cls(load(name))


def is_valid(name: str, value: Any) -> bool:
    """Fast check with the compiled validator."""
    import fastjsonschema

    try:
        _fast(name)(value)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def errors(name: str, value: Any) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """(JSON path, message) for every violation, shallowest first; nothing when valid."""
    if is_valid(name, value):
        return
    found = sorted(
        _full(name).iter_errors(value), key=lambda e: (len(e.absolute_path), str(e.absolute_path))
    )
    for error in found:
        yield tuple(error.absolute_path), _message(error)


def _message(error: Any) -> str:
    if error.validator == "anyOf" and error.context:
        # The most specific alternative tells the user most.
        best = max(error.context, key=lambda e: len(e.absolute_path))
        if len(best.absolute_path) > len(error.absolute_path):
            return str(best.message)
    return str(error.message)


_OBSIDIAN_KEYS = frozenset({"aliases", "tags", "cssclasses", "cssclass", "publish", "permalink"})


def validate_settings(data: Mapping[str, Any]) -> Iterator[tuple[str, str, bool]]:
    """(key, message, fatal) for every invalid value (fatal) and unknown key (not fatal)."""
    known = load("settings")["properties"]
    for key in data:
        if key not in known and key not in _OBSIDIAN_KEYS:
            yield key, f"unknown setting '{key}' is ignored (check its spelling)", False
    seen: set[str] = set()
    for path, message in errors("settings", dict(data)):
        key = str(path[0]) if path else ""
        if key in seen:
            continue
        seen.add(key)
        where = "/".join(str(p) for p in path)
        yield key, f"setting '{where}' is invalid: {message}", True
