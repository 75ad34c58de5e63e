"""YAML as Obsidian reads it: the YAML 1.2 core schema, at the speed of PyYAML's C loader.

PyYAML resolves plain scalars by YAML 1.1's rules: `NO` (Norway), `yes`, `on` are booleans,
`010` is 8, `1:30` is 90, `2026-11-22` a date. Obsidian reads YAML 1.2's core schema (YAML
1.2.2, section 10.3.2), where only `true`/`false` (`True`, `TRUE`…) are booleans, `010` is 10,
`0o10` 8, `0x1F` 31, and everything else that is not a number or a null is text: dates too
(entraide reads a text as a date where it expects one, `values.to_date`). PyYAML's resolver
API swaps the rules and keeps its C parser (the PyPI package `yamlcore` does the same).

Explicit tags (`!!int 010`, `!!timestamp …`) are still built by PyYAML's safe constructors,
with the core schema's reading of ints, floats and booleans.
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import ScalarNode
from yaml.resolver import BaseResolver

WITH_LIBYAML: bool = getattr(yaml, "__with_libyaml__", False)

_TAG = "tag:yaml.org,2002:"
# The core schema's tag resolution (YAML 1.2.2, 10.3.2), in the order PyYAML tries them: an
# int before a float, as `10` matches both and is an int.
_NULL = re.compile(r"(?:null|Null|NULL|~|)\Z")
_BOOL = re.compile(r"(?:true|True|TRUE|false|False|FALSE)\Z")
_INT = re.compile(r"(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)\Z")
_FLOAT = re.compile(
    r"(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))\Z"
)


class CoreResolver(BaseResolver):
    """Plain scalars typed by the YAML 1.2 core schema: no yes/no, no sexagesimal, no date."""


CoreResolver.add_implicit_resolver(_TAG + "bool", _BOOL, list("tTfF"))
CoreResolver.add_implicit_resolver(_TAG + "int", _INT, list("-+0123456789"))
CoreResolver.add_implicit_resolver(_TAG + "float", _FLOAT, list("-+0123456789."))
CoreResolver.add_implicit_resolver(_TAG + "null", _NULL, ["~", "n", "N", ""])


class CoreConstructor(SafeConstructor):
    """PyYAML's safe constructors, with ints, floats and booleans read as the core schema
    writes them (PyYAML's own read `010` as octal, `1_000` as 1000, `yes` as true)."""

    def construct_core_bool(self, node: ScalarNode) -> bool:
        text = self.construct_scalar(node)
        if not isinstance(text, str) or not _BOOL.match(text):
            raise ConstructorError(None, None, f"'{text}' is not true or false", node.start_mark)
        return text.lower() == "true"

    def construct_core_int(self, node: ScalarNode) -> int | str:
        text = self.construct_scalar(node)
        if not isinstance(text, str) or not _INT.match(text):
            raise ConstructorError(None, None, f"'{text}' is not a whole number", node.start_mark)
        if text.startswith("0o"):
            return int(text[2:], 8)
        if text.startswith("0x"):
            return int(text[2:], 16)
        try:
            return int(text)
        except ValueError:  # more digits than Python converts (4,300): keep what was written
            return text

    def construct_core_float(self, node: ScalarNode) -> float:
        text = self.construct_scalar(node)
        if not isinstance(text, str) or not _FLOAT.match(text):
            raise ConstructorError(None, None, f"'{text}' is not a number", node.start_mark)
        lower = text.lower()
        if lower.endswith(".inf"):
            return -math.inf if lower[0] == "-" else math.inf
        if lower.endswith(".nan"):
            return math.nan
        return float(text)


_constructors: Any = CoreConstructor  # (the stubs type add_constructor for PyYAML's loaders)
_constructors.add_constructor(_TAG + "bool", CoreConstructor.construct_core_bool)
_constructors.add_constructor(_TAG + "int", CoreConstructor.construct_core_int)
_constructors.add_constructor(_TAG + "float", CoreConstructor.construct_core_float)


if WITH_LIBYAML:
    from yaml.cyaml import CParser  # type: ignore[attr-defined]

    class CoreLoader(CParser, CoreConstructor, CoreResolver):
        """PyYAML's C parser, typed by the core schema."""

        def __init__(self, stream: Any) -> None:
            CParser.__init__(self, stream)
            CoreConstructor.__init__(self)
            CoreResolver.__init__(self)

else:  # pragma: no cover - PyYAML without libyaml

    class CoreLoader(  # type: ignore[no-redef]
        yaml.reader.Reader,
        yaml.scanner.Scanner,
        yaml.parser.Parser,
        yaml.composer.Composer,
        CoreConstructor,
        CoreResolver,
    ):
        """PyYAML's pure-Python parser, typed by the core schema."""

        def __init__(self, stream: Any) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            CoreConstructor.__init__(self)
            CoreResolver.__init__(self)
