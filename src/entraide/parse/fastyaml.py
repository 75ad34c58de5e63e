"""A fast, exact path for the simple frontmatter most notes have.

PyYAML's C loader scans in C but builds every node and value in Python; on 10,000 notes that
is most of a cold index. Frontmatter made only of `key: scalar` lines, one-line flow lists of
scalars, and block lists of scalars or of one-level `key: scalar` maps is read here line by
line; every scalar is still resolved and constructed by PyYAML's own resolver and
constructors, so values are identical. Anything else (comments, anchors, tags, multi-line
scalars, escapes, nested maps, duplicate keys…) returns None and goes to the C loader, which
also reports errors. A differential property test holds the two to the same result.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.nodes import ScalarNode

_STR = "tag:yaml.org,2002:str"
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_\-]*):(?: +(.*))?")
_ITEM = re.compile(r"( *)- +(.*)")
_RESOLVER: Any = yaml.resolver.Resolver()
_BAD_START = set("?:,[]{}#&*!|>'\"%@`")
# Characters YAML does not allow in a document: the C loader rejects them, so must we.
_NOT_PRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")


class _Fallback(Exception):
    pass


def fast_load(
    text: str, lines: dict[tuple[str | int, ...], int], first_line: int, constructor: Any
) -> dict[str, Any] | None:
    """The mapping, with key lines added to `lines`, or None when the text is not simple."""
    if "\t" in text or "#" in text or "\\" in text or "\r" in text or _NOT_PRINTABLE.search(text):
        return None
    found: dict[tuple[str | int, ...], int] = {}
    try:
        data = _parse(text.split("\n"), found, first_line, constructor)
    except _Fallback:
        return None
    lines.update(found)
    return data


def _parse(
    rows: list[str], found: dict[tuple[str | int, ...], int], first_line: int, constructor: Any
) -> dict[str, Any]:
    data: dict[str, Any] = {}
    i = 0
    while i < len(rows):
        row = rows[i].rstrip(" ")
        if not row:
            i += 1
            continue
        m = _KEY.fullmatch(row)
        if m is None:
            raise _Fallback
        key, value = m.group(1), m.group(2)
        if key in data or _RESOLVER.resolve(ScalarNode, key, (True, False)) != _STR:
            raise _Fallback
        found[(key,)] = i + first_line
        if value:
            data[key] = _value(value, (key,), i + first_line, found, constructor)
            i += 1
            continue
        # An empty value: null, or a block list on the following lines.
        j = i + 1
        while j < len(rows) and not rows[j].strip():
            j += 1
        if j < len(rows) and _ITEM.fullmatch(rows[j].rstrip(" ")):
            data[key], i = _block_list(rows, j, key, found, first_line, constructor)
        else:
            data[key] = None
            i += 1
    return data


def _block_list(
    rows: list[str],
    start: int,
    key: str,
    found: dict[tuple[str | int, ...], int],
    first_line: int,
    constructor: Any,
) -> tuple[list[Any], int]:
    items: list[Any] = []
    dash: int | None = None
    i = start
    while i < len(rows):
        row = rows[i].rstrip(" ")
        if not row:
            i += 1
            continue
        m = _ITEM.fullmatch(row)
        if m is None:
            if not row.startswith(" "):
                break  # the next top-level key
            raise _Fallback
        indent = len(m.group(1))
        if dash is None:
            dash = indent
        elif indent != dash:
            raise _Fallback
        index = len(items)
        line = i + first_line
        found[(key, index)] = line
        body = m.group(2)
        entry = _KEY.fullmatch(body)
        if entry is None:
            items.append(_value(body, (key, index), line, found, constructor, nested=True))
            i += 1
            continue
        # A map item: `- k: v` then `k: v` lines at the item's content column.
        column = len(row) - len(body)
        item: dict[str, Any] = {}
        _map_line(item, entry, (key, index), line, found, constructor)
        i += 1
        while i < len(rows):
            row = rows[i].rstrip(" ")
            if not row:
                i += 1
                continue
            if len(row) - len(row.lstrip(" ")) != column:
                break
            entry = _KEY.fullmatch(row[column:])
            if entry is None:
                raise _Fallback
            _map_line(item, entry, (key, index), i + first_line, found, constructor)
            i += 1
        items.append(item)
    return items, i


def _map_line(
    item: dict[str, Any],
    entry: re.Match[str],
    path: tuple[str | int, ...],
    line: int,
    found: dict[tuple[str | int, ...], int],
    constructor: Any,
) -> None:
    name, value = entry.group(1), entry.group(2)
    if name in item or _RESOLVER.resolve(ScalarNode, name, (True, False)) != _STR:
        raise _Fallback
    found[(*path, name)] = line
    item[name] = _value(value or "", (*path, name), line, found, constructor, nested=True)


def _value(
    text: str,
    path: tuple[str | int, ...],
    line: int,
    found: dict[tuple[str | int, ...], int],
    constructor: Any,
    nested: bool = False,
) -> Any:
    if text.startswith("["):
        if nested or not text.endswith("]"):
            raise _Fallback
        inner = text[1:-1].strip()
        if not inner:
            return []
        values = []
        for n, part in enumerate(inner.split(",")):
            part = part.strip()
            if not part:
                raise _Fallback
            if part[0] not in "\"'" and (":" in part or "[" in part or "]" in part):
                raise _Fallback
            if len(path) < 3:
                found[(*path, n)] = line
            values.append(_scalar(part, constructor, line, flow=True))
        return values
    return _scalar(text, constructor, line)


def _scalar(text: str, constructor: Any, line: int, flow: bool = False) -> Any:
    if not text:
        if flow:
            raise _Fallback
        return None
    first = text[0]
    if first in "\"'":
        if len(text) < 2 or text[-1] != first or first in text[1:-1]:
            raise _Fallback
        return text[1:-1]
    if first in _BAD_START or (first == "-" and (len(text) == 1 or text[1] == " ")):
        raise _Fallback
    if ": " in text or text.endswith(":") or " #" in text or "{" in text or "}" in text:
        raise _Fallback
    if flow and ("," in text or "[" in text or "]" in text):
        raise _Fallback
    tag = _RESOLVER.resolve(ScalarNode, text, (True, False))
    if tag == _STR:
        return text
    build = constructor.yaml_constructors.get(tag)
    if build is None or tag.endswith((":value", ":merge")):
        raise _Fallback
    mark = yaml.Mark("<frontmatter>", 0, line, 0, "", 0)
    return build(constructor, ScalarNode(tag, text, mark, mark))
