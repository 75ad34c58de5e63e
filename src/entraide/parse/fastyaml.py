"""A fast, exact path for the simple frontmatter most notes have.

PyYAML's C loader scans in C but builds every node and value in Python; on 10,000 notes that
is most of a cold index. Frontmatter made only of `key: scalar` lines, one-line flow lists of
scalars, and block lists of scalars or of one-level `key: scalar` maps is read here line by
line; every scalar is still resolved and constructed by PyYAML's own resolver and
constructors, so values are identical. Anything else (comments, anchors, tags, multi-line
scalars, escapes, nested maps, duplicate keys…) returns None and goes to the C loader, which
also reports errors. A differential property test holds the two to the same result.

Vaults repeat the same lines (`  - person`, `circle: close`, `    kind: call`) thousands of
times, so what a line says is worked out once and memoised by its text (`_read_row`). That is
sound because a line means the same wherever it stands: one that cannot be read here makes
the whole frontmatter fall back in any context it could be consumed in (see `_read_row`).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import yaml
from yaml.nodes import ScalarNode

_STR = "tag:yaml.org,2002:str"
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_\-]*):(?: +(.*))?")
_ITEM = re.compile(r"( *)- +(.*)")
_RESOLVER: Any = yaml.resolver.Resolver()
_BAD_START = frozenset("?:,[]{}#&*!|>'\"%@`")
# Characters YAML does not allow in a document (the C loader rejects them, so must we), and
# the line breaks YAML knows besides "\n" (NEL, LS, PS), which this line reader does not.
_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")

# What a line is (`_read_row`): (_BLANK,); (_TOP, name, value) for a top-level `key: value`;
# (_FIELD, indent, name, value) for an indented one; (_ITEM_ROW, indent, content column,
# name, value) for a list item `- name: value`, or with name None for a scalar item `- value`.
_BLANK, _TOP, _FIELD, _ITEM_ROW = 0, 1, 2, 3
_BLANK_ROW = (_BLANK,)
_EMPTY: Any = object()  # a top-level `key:` with nothing after it: null or a block list
_MEMO_SIZE = 1 << 14
# Value types that are immutable and do not depend on the line: safe to share between notes.
# (BadDate remembers its line; NaN is never equal to itself, so sharing one would show.)
_SHAREABLE = frozenset({str, int, bool, type(None), date, datetime})


class _Fallback(Exception):
    pass


# Lines already read and key names already resolved, for one constructor; the lines are
# forgotten when there are too many, so the memo stays small in a long-running daemon.
_memo_owner: Any = None
_memo_rows: dict[str, tuple[Any, ...]] = {}
_memo_names: dict[str, bool] = {}


def fast_load(
    text: str, lines: dict[tuple[str | int, ...], int], first_line: int, constructor: Any
) -> dict[str, Any] | None:
    """The mapping, with key lines added to `lines`, or None when the text is not simple."""
    if "\t" in text or "#" in text or "\\" in text or "\r" in text or _REFUSED.search(text):
        return None
    global _memo_owner, _memo_rows, _memo_names
    if _memo_owner is not constructor:
        _memo_owner, _memo_rows, _memo_names = constructor, {}, {}
    elif len(_memo_rows) > _MEMO_SIZE:
        _memo_rows = {}
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
    memo = _memo_rows
    data: dict[str, Any] = {}
    count = len(rows)
    i = 0
    while i < count:
        kind = memo.get(rows[i]) or _read_row(rows[i], i + first_line, constructor)
        if kind[0] != _TOP:
            if kind[0] != _BLANK:
                raise _Fallback
            i += 1
            continue
        _, key, value = kind
        if key in data:
            raise _Fallback
        line = i + first_line
        found[(key,)] = line
        i += 1
        if value is _EMPTY:
            # Null, or a block list on the following lines.
            j = i
            ahead = _BLANK_ROW
            while j < count:
                ahead = memo.get(rows[j]) or _read_row(rows[j], j + first_line, constructor)
                if ahead[0] != _BLANK:
                    break
                j += 1
            if ahead[0] == _ITEM_ROW:
                data[key], i = _block_list(rows, j, key, found, first_line, constructor)
            else:
                data[key] = None
        elif type(value) is tuple:  # a flow list
            data[key] = list(value)
            for n in range(len(value)):
                found[(key, n)] = line
        else:
            data[key] = value
    return data


def _block_list(
    rows: list[str],
    start: int,
    key: str,
    found: dict[tuple[str | int, ...], int],
    first_line: int,
    constructor: Any,
) -> tuple[list[Any], int]:
    memo = _memo_rows
    items: list[Any] = []
    count = len(rows)
    dash = -1
    i = start
    while i < count:
        kind = memo.get(rows[i]) or _read_row(rows[i], i + first_line, constructor)
        if kind[0] != _ITEM_ROW:
            if kind[0] == _BLANK:
                i += 1
                continue
            if kind[0] == _TOP:
                break  # the next top-level key
            raise _Fallback
        _, indent, column, name, value = kind
        if dash < 0:
            dash = indent
        elif indent != dash:
            raise _Fallback
        index = len(items)
        line = i + first_line
        found[(key, index)] = line
        i += 1
        if name is None:
            items.append(value)
            continue
        # A map item: `- k: v` then `k: v` lines at the item's content column.
        found[(key, index, name)] = line
        item = {name: value}
        while i < count:
            entry = memo.get(rows[i]) or _read_row(rows[i], i + first_line, constructor)
            if entry[0] == _FIELD and entry[1] == column:
                name = entry[2]
                if name in item:
                    raise _Fallback
                found[(key, index, name)] = i + first_line
                item[name] = entry[3]
                i += 1
            elif entry[0] == _BLANK:
                i += 1
            elif entry[0] == _ITEM_ROW and entry[1] == column:
                raise _Fallback  # a list nested in the item
            else:
                break  # the item ends
        items.append(item)
    return items, i


def _read_row(row: str, line: int, constructor: Any) -> tuple[Any, ...]:
    """What one line says, independent of where it stands; memoised when that is exact.

    A line that cannot be read here raises _Fallback at once. That is what the line-by-line
    reading would come to: every line is consumed by the top level, a block list or a map
    item, and in each of them a line that is neither blank nor a readable `key: value` or
    `- item` (of its indentation) ends in _Fallback, directly or once the list or item ends.
    A top-level line (no indentation) is a `key: value` whose value may be a flow list; an
    indented one is a map item's `key: value` or a list item, whose values may not be.
    """
    text = row.rstrip(" ")
    if not text:
        _memo_rows[row] = _BLANK_ROW
        return _BLANK_ROW
    m = _KEY.fullmatch(text)
    if m is not None:
        name, value = m.group(1, 2)
        _check_name(name)
        kind: tuple[Any, ...] = (
            _TOP,
            name,
            _top_value(value, line, constructor) if value else _EMPTY,
        )
    else:
        m = _ITEM.fullmatch(text)
        if m is not None:
            body = m.group(2)
            column = len(text) - len(body)
            entry = _KEY.fullmatch(body)
            if entry is None:
                kind = (_ITEM_ROW, len(m.group(1)), column, None, _value(body, line, constructor))
            else:
                name, value = entry.group(1, 2)
                _check_name(name)
                kind = (_ITEM_ROW, len(m.group(1)), column, name, _value(value, line, constructor))
        else:
            indent = len(text) - len(text.lstrip(" "))
            m = _KEY.fullmatch(text, indent) if indent else None
            if m is None:
                raise _Fallback
            name, value = m.group(1, 2)
            _check_name(name)
            kind = (_FIELD, indent, name, _value(value, line, constructor))
    if _shareable(kind[-1]):
        _memo_rows[row] = kind
    return kind


def _shareable(value: Any) -> bool:
    if type(value) is tuple:
        return all(_shareable(v) for v in value)
    if type(value) is float:
        return value == value
    return value is _EMPTY or type(value) in _SHAREABLE


def _check_name(name: str) -> None:
    """A key must load as a string (not `yes`, `null`…)."""
    ok = _memo_names.get(name)
    if ok is None:
        ok = _RESOLVER.resolve(ScalarNode, name, (True, False)) == _STR
        if len(_memo_names) < _MEMO_SIZE:
            _memo_names[name] = ok
    if not ok:
        raise _Fallback


def _top_value(text: str, line: int, constructor: Any) -> Any:
    """A top-level value: a scalar, or a one-line flow list of scalars (as a tuple)."""
    if not text.startswith("["):
        return _scalar(text, constructor, line)
    if not text.endswith("]"):
        raise _Fallback
    inner = text[1:-1].strip(" ")
    if not inner:
        return ()
    values = []
    for part in inner.split(","):
        part = part.strip(" ")
        if not part:
            raise _Fallback
        if part[0] not in "\"'" and (":" in part or "[" in part or "]" in part):
            raise _Fallback
        values.append(_scalar(part, constructor, line))
    return tuple(values)


def _value(text: str | None, line: int, constructor: Any) -> Any:
    """A nested value: a scalar, null when empty; no flow list."""
    if not text:
        return None
    if text[0] == "[":
        raise _Fallback
    return _scalar(text, constructor, line)


def _scalar(text: str, constructor: Any, line: int) -> Any:
    """A non-empty scalar as the C loader builds it (flow items have no `,`, `[` or `]`)."""
    first = text[0]
    if first in "\"'":
        if len(text) < 2 or text[-1] != first or first in text[1:-1]:
            raise _Fallback
        return text[1:-1]
    if first in _BAD_START or (first == "-" and (len(text) == 1 or text[1] == " ")):
        raise _Fallback
    if ": " in text or text.endswith(":") or " #" in text or "{" in text or "}" in text:
        raise _Fallback
    tag = _RESOLVER.resolve(ScalarNode, text, (True, False))
    if tag == _STR:
        return text
    build = constructor.yaml_constructors.get(tag)
    if build is None or tag.endswith((":value", ":merge")):
        raise _Fallback
    mark = yaml.Mark("<frontmatter>", 0, line, 0, "", 0)
    return build(constructor, ScalarNode(tag, text, mark, mark))
