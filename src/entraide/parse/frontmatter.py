"""Frontmatter as Obsidian sees it, loaded with PyYAML's C loader and checked for what it hides.

Obsidian only reads frontmatter when the very first line (after a BOM) is `---`; it ends at the
next `---` line. python-frontmatter strips the text first and so disagrees with Obsidian; this
module does its own split. CSafeLoader silently accepts anchors, aliases and repeated keys:
they are detected on the composed node graph, which also gives every key its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from entraide.model import fast_reduce
from entraide.parse.fastyaml import fast_load

WITH_LIBYAML: bool = getattr(yaml, "__with_libyaml__", False)
_BaseLoader: Any = yaml.CSafeLoader if WITH_LIBYAML else yaml.SafeLoader

MAX_DEPTH = 32
_STR_TAG = "tag:yaml.org,2002:str"
_FENCE = re.compile(r"---[ \t]*\r?\n?\Z")


class BadDate(str):
    """A value that looks like a YAML date but is impossible (2026-02-30); remembers its line."""

    line: int

    def __new__(cls, text: str, line: int) -> BadDate:
        obj = super().__new__(cls, text)
        obj.line = line
        return obj

    def __reduce__(self) -> tuple[type[BadDate], tuple[str, int]]:
        return (BadDate, (str(self), self.line))


class _Loader(_BaseLoader):  # type: ignore[misc]
    pass


def _timestamp(loader: SafeConstructor, node: ScalarNode) -> date | datetime | BadDate:
    try:
        value: date | datetime = SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:
        return BadDate(str(node.value), node.start_mark.line)
    return value


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
_CONSTRUCTOR = _Loader("")  # its constructors build the fast path's values


@dataclass(frozen=True, slots=True)
class YamlError:
    __reduce__ = fast_reduce

    code: str
    line: int | None  # 1-based, in the file
    message: str


@dataclass(slots=True)
class Frontmatter:
    """The split of a note's text and its loaded properties.

    `data` is None when there is no frontmatter or it could not be loaded (see `error`).
    `lines` maps a JSON-like path (("interactions", 2, "date")) to its 1-based file line.
    `body_line` is the 0-based file line where the body starts.
    """

    data: dict[str, Any] | None = None
    error: YamlError | None = None
    lines: dict[tuple[str | int, ...], int] = field(default_factory=dict)
    body: str = ""
    body_line: int = 0
    present: bool = False


def split(text: str) -> tuple[str | None, str, int]:
    """(YAML text or None, body, 0-based line of the body). Raises ValueError when unclosed."""
    if not text.startswith("---"):
        return None, text, 0
    first_end = text.find("\n")
    first = text if first_end < 0 else text[: first_end + 1]
    if not _FENCE.match(first):
        return None, text, 0
    start = len(first)
    # Only lines starting with `---` can close it: jump from one to the next in C.
    pos = start - 1  # where the first line ends
    while True:
        pos = text.find("\n---", pos)
        if pos < 0:
            break
        pos += 1
        end = text.find("\n", pos)
        nxt = len(text) if end < 0 else end + 1
        if _FENCE.match(text, pos, nxt):
            return text[start:pos], text[nxt:], text.count("\n", 0, pos) + 1
    raise ValueError("unclosed")


def parse(text: str) -> Frontmatter:
    """Split `text` (BOM already removed) and load its frontmatter."""
    try:
        yaml_text, body, body_line = split(text)
    except ValueError:
        # Obsidian then shows no properties: the whole note is text. It stays a note (and,
        # in a people folder, a contact), reported so the user can close it.
        return Frontmatter(
            error=YamlError(
                "frontmatter-unclosed",
                1,
                "the frontmatter opened on line 1 is never closed, so Obsidian shows no "
                "properties: add a line '---' after the last property",
            ),
            body=text,
        )
    if yaml_text is None:
        return Frontmatter(body=body, body_line=body_line)
    fm = Frontmatter(body=body, body_line=body_line, present=True)
    data, error = load_yaml(yaml_text, fm.lines)
    fm.data, fm.error = data, error
    return fm


def load_yaml(
    yaml_text: str, lines: dict[tuple[str | int, ...], int], first_line: int = 2
) -> tuple[dict[str, Any] | None, YamlError | None]:
    """Load a frontmatter mapping, or say precisely why it cannot be loaded."""
    if not yaml_text or yaml_text.isspace():
        return {}, None
    deep = _too_deep_line(yaml_text)
    if deep is not None:
        return None, YamlError(
            "yaml-too-deep",
            deep + first_line,
            f"the frontmatter is nested deeper than {MAX_DEPTH} levels: flatten it",
        )
    fast = fast_load(yaml_text, lines, first_line, _CONSTRUCTOR)
    if fast is not None:
        return fast, None
    if ("&" in yaml_text or "*" in yaml_text) and (found := _anchor(yaml_text, first_line)):
        return None, found
    loader = _Loader(yaml_text)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, None
        if not isinstance(node, MappingNode):
            kind = "a list" if isinstance(node, SequenceNode) else "a single value"
            return None, YamlError(
                "yaml-not-mapping",
                node.start_mark.line + first_line,
                f"the frontmatter is {kind}, not properties: write one 'key: value' per line",
            )
        problem = _check_nodes(node, lines, first_line)
        if problem:
            return None, problem
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        # Where the unclosed bracket or quote opened, when the error has one; else where it broke.
        mark = exc.context_mark or exc.problem_mark
        line = mark.line + first_line if mark is not None else None
        what = exc.problem or "invalid YAML"
        if exc.context:
            what = f"{exc.context}, {what}"
        return None, YamlError(
            "yaml-syntax", line, f"the frontmatter is not valid YAML ({what}): fix that line"
        )
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow
        line = yaml_text[: exc.position].count("\n") + first_line
        return None, YamlError(
            "yaml-syntax",
            line,
            f"the frontmatter holds a character YAML does not allow ({exc.reason}, "
            f"{exc.character!r}): delete it",
        )
    except yaml.YAMLError as exc:
        return None, YamlError(
            "yaml-syntax", None, f"the frontmatter is not valid YAML ({exc}): fix it"
        )
    except (RecursionError, MemoryError):
        return None, YamlError(
            "yaml-too-deep", None, f"the frontmatter is nested deeper than {MAX_DEPTH} levels"
        )
    except (TypeError, ValueError) as exc:  # e.g. an unhashable key
        return None, YamlError(
            "yaml-syntax", None, f"the frontmatter cannot be read as properties ({exc})"
        )
    finally:
        loader.dispose()
    if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
        where = next(
            (k.start_mark.line + first_line for k, _ in node.value if k.tag != _STR_TAG),
            first_line,
        )
        return None, YamlError(
            "yaml-not-mapping",
            where,
            "the frontmatter's keys must be names (YAML reads this one as a number, a date or "
            "a yes/no): quote it or rename it",
        )
    return data, None


def _too_deep_line(text: str) -> int | None:
    """The 0-based line where flow collections (`[`, `{`) nest deeper than allowed, if any.

    Checked before parsing so that a pathological note never reaches the C composer's recursion.
    Brackets inside quotes are counted too: an overestimate only sends a note to the error path
    when it holds more than MAX_DEPTH unbalanced brackets on end, which no real note does.
    """
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return None
    depth = line = 0
    for ch in text:
        if ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return line
        elif ch in "]}":
            depth = max(0, depth - 1)
        elif ch == "\n":
            line += 1
    return None


def _anchor(yaml_text: str, first_line: int) -> YamlError | None:
    try:
        for event in yaml.parse(yaml_text, Loader=_Loader):
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                word = "an alias" if isinstance(event, yaml.AliasEvent) else "an anchor"
                return YamlError(
                    "yaml-anchor",
                    event.start_mark.line + first_line if event.start_mark else None,
                    f"the frontmatter uses {word} (&{anchor} / *{anchor}), which Obsidian does "
                    "not support: write the value out",
                )
    except yaml.YAMLError:
        return None  # the loader reports it with its line
    return None


def _scalar_key(node: Node) -> object:
    return (node.tag, node.value) if isinstance(node, ScalarNode) else id(node)


def _check_nodes(
    root: MappingNode, lines: dict[tuple[str | int, ...], int], first_line: int
) -> YamlError | None:
    """Repeated keys, aliases (a node reached twice) and depth; records key lines on the way."""
    seen: set[int] = set()
    stack: list[tuple[Node, tuple[str | int, ...], int]] = [(root, (), 1)]
    while stack:
        node, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            return YamlError(
                "yaml-too-deep",
                node.start_mark.line + first_line,
                f"the frontmatter is nested deeper than {MAX_DEPTH} levels",
            )
        if isinstance(node, ScalarNode):
            continue
        if id(node) in seen:
            return YamlError(
                "yaml-anchor",
                node.start_mark.line + first_line,
                "the frontmatter uses an alias, which Obsidian does not support",
            )
        seen.add(id(node))
        if isinstance(node, MappingNode):
            keys: set[object] = set()
            for key_node, value_node in node.value:
                key = _scalar_key(key_node)
                if key in keys:
                    return YamlError(
                        "yaml-repeated-key",
                        key_node.start_mark.line + first_line,
                        f"the key '{key_node.value}' appears twice: keep one",
                    )
                keys.add(key)
                if len(path) < 3 and isinstance(key_node, ScalarNode):
                    sub = (*path, str(key_node.value))
                    lines[sub] = key_node.start_mark.line + first_line
                    stack.append((value_node, sub, depth + 1))
                else:
                    stack.append((value_node, path, depth + 1))
        elif isinstance(node, SequenceNode):
            for i, item in enumerate(node.value):
                if len(path) < 3:
                    sub = (*path, i)
                    lines[sub] = item.start_mark.line + first_line
                    stack.append((item, sub, depth + 1))
                else:
                    stack.append((item, path, depth + 1))
    return None
