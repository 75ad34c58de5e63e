"""A fast, exact path for the simple frontmatter most notes have.

PyYAML's C loader scans in C but builds every node and value in Python; on 10,000 notes that
is most of a cold index. Frontmatter made only of `key: scalar` lines, one-line flow lists of
scalars, and block lists of scalars or of one-level `key: scalar` maps is read here line by
line; every scalar is still resolved and constructed by the resolver and constructors of the
loader it is given (YAML 1.2's core schema, `yaml12`), so values are identical. Anything else
(comments, anchors, tags, multi-line scalars, escapes, nested maps, duplicate keys…) returns
None and goes to the C loader, which also reports errors. A differential property test
holds the two to the same result.

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
_BAD_START = frozenset("?:,[]{}#&*!|>'\"%@`")
# Characters YAML does not allow in a document (the C loader rejects them, so must we), and
# the line breaks YAML knows besides "\n" (NEL, LS, PS), which this line reader does not.
_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")

# What a line is (`_read_row`): (_BLANK,); (_TOP, name, value, (name,)) for a top-level
# `key: value`, with its path in `lines` ready made; (_FIELD, indent, name, value) for an
# indented one; (_ITEM_ROW, indent, content column, name, value) for a list item
# `- name: value`, or with name None for a scalar item `- value`.
_BLANK, _TOP, _FIELD, _ITEM_ROW = 0, 1, 2, 3
_BLANK_ROW = (_BLANK,)
_EMPTY: Any = object()  # a top-level `key:` with nothing after it: null or a block list
_MEMO_SIZE = 1 << 14
# Value types that are immutable and do not depend on the line: safe to share between notes.
# (NaN is never equal to itself, so sharing one would show.)
_SHAREABLE = frozenset({str, int, bool, type(None), date, datetime})
_MISSING: Any = object()


class _Fallback(Exception):
    pass


# Lines already read, key names already resolved and typed scalars already built (a number is
# written under several keys), for one loader; lines and scalars are forgotten when there are
# too many, so the memo stays small in a long-running daemon.
_memo_owner: Any = None
# The first characters the loader's resolver has implicit types (int, bool, null…) for:
# resolve() tries only the types of a scalar's first character, and those registered under
# None for any. When there are none, the scalar is a string without asking it (emails, URLs,
# most names).
_typed_starts: frozenset[str | None] = frozenset()
_memo_rows: dict[str, tuple[Any, ...]] = {}
_memo_names: dict[str, bool] = {}
_memo_values: dict[str, Any] = {}


def fast_load(
    text: str, lines: dict[tuple[str | int, ...], int], first_line: int, constructor: Any
) -> dict[str, Any] | None:
    """The mapping, with key lines added to `lines`, or None when the text is not simple.

    `constructor` is a loader (a resolver and constructors, as `frontmatter._CONSTRUCTOR`):
    scalars are typed and built as it types and builds them."""
    if "\r" in text:
        # YAML reads "\r\n" as one line break, as it reads "\n" (values and line numbers alike);
        # a lone "\r" is a line break of its own, which this line reader does not know.
        if text.count("\r") != text.count("\r\n"):
            return None
        text = text.replace("\r\n", "\n")
    # Characters YAML does not allow are looked for line by line, in `_read_row`: a line read
    # once has none, and most lines were.
    if "\t" in text or "#" in text or "\\" in text:
        return None
    global _memo_owner, _memo_rows, _memo_names, _memo_values, _typed_starts
    if _memo_owner is not constructor:
        _memo_owner, _memo_rows, _memo_names, _memo_values = constructor, {}, {}, {}
        _typed_starts = frozenset(constructor.yaml_implicit_resolvers)
    else:
        if len(_memo_rows) > _MEMO_SIZE:
            _memo_rows = {}
        if len(_memo_values) > _MEMO_SIZE:
            _memo_values = {}
    # Lines go straight into `lines` when it starts empty (as it does for every note), and are
    # taken out again if the text falls back; otherwise they are added once all is read.
    found = lines if not lines else {}
    try:
        data = _parse(text.split("\n"), found, first_line, constructor)
    except _Fallback:
        if found is lines:
            lines.clear()
        return None
    if found is not lines:
        lines.update(found)
    return data


def _parse(
    rows: list[str], found: dict[tuple[str | int, ...], int], first_line: int, constructor: Any
) -> dict[str, Any]:
    """Every line in one pass, remembering which block list (and which map item) it may extend.

    A top-level `key:` with nothing after it is null until a list item follows it (blank lines
    between are allowed); the items of a list all start at the first one's indentation, and a
    map item's further `k: v` lines at its content column. Anything else falls back: a list
    item or an indented `k: v` where no list or map item is open, a list item at another
    indentation (a nested list, which starts at a map item's content column, deeper than its
    dash), a repeated key.
    """
    memo = _memo_rows
    data: dict[str, Any] = {}
    key: str | None = None  # the top-level key a block list may follow or is under way for
    items: list[Any] | None = None  # that list, once its first item is read
    item: dict[str, Any] | None = None  # the map item being read, if the last item is one
    item_key, index, dash, column = "", 0, 0, 0
    line = first_line - 1
    for row in rows:
        line += 1
        kind = memo.get(row) or _read_row(row, line, constructor)
        what = kind[0]
        if what == _TOP:
            _, name, value, path = kind
            if name in data:
                raise _Fallback
            found[path] = line
            if value is _EMPTY:
                # Null, unless a block list follows: it then replaces the null in place.
                data[name] = None
                key, items, item = name, None, None
            else:
                key = item = None
                if type(value) is tuple:  # a flow list
                    data[name] = list(value)
                    for n in range(len(value)):
                        found[(name, n)] = line
                else:
                    data[name] = value
        elif what == _ITEM_ROW:
            if key is None:
                raise _Fallback  # no `key:` for it to belong to
            if items is None:
                data[key] = items = []
                dash = kind[1]
            elif kind[1] != dash:
                raise _Fallback
            index = len(items)
            found[(key, index)] = line
            name = kind[3]
            if name is None:
                items.append(kind[4])
                item = None
            else:
                # A map item: `- k: v` then `k: v` lines at the item's content column.
                found[(key, index, name)] = line
                item = {name: kind[4]}
                items.append(item)
                item_key, column = key, kind[2]
        elif what == _FIELD:
            if item is None or kind[1] != column:
                raise _Fallback
            name = kind[2]
            if name in item:
                raise _Fallback
            found[(item_key, index, name)] = line
            item[name] = kind[3]
    return data


def _read_row(row: str, line: int, constructor: Any) -> tuple[Any, ...]:
    """What one line says, independent of where it stands; memoised when that is exact.

    A line that cannot be read here raises _Fallback at once. That is what the line-by-line
    reading would come to: `_parse` visits every line until it falls back, and whether at the
    top level, in a block list or in a map item, a line that is neither blank nor a readable
    `key: value` or `- item` (of its indentation) falls back. So does a line holding a
    character YAML does not allow: the whole text then does, as the C loader refuses it.
    A top-level line (no indentation) is a `key: value` whose value may be a flow list; an
    indented one is a map item's `key: value` or a list item, whose values may not be.
    """
    if _REFUSED.search(row):
        raise _Fallback
    text = row.rstrip(" ")
    if not text:
        _memo_rows[row] = _BLANK_ROW
        return _BLANK_ROW
    m = _KEY.fullmatch(text)
    if m is not None:
        name, written = m.group(1, 2)
        _check_name(name, constructor)
        if not written:
            value = _EMPTY
        elif written[0] == "[":
            value = _flow_list(written, line, constructor)
        else:
            value = _scalar(written, constructor, line)
        kind: tuple[Any, ...] = (_TOP, name, value, (name,))
    else:
        m = _ITEM.fullmatch(text)
        if m is not None:
            body = m.group(2)
            column = len(text) - len(body)
            entry = _KEY.fullmatch(body)
            if entry is None:
                value = _value(body, line, constructor)
                kind = (_ITEM_ROW, len(m.group(1)), column, None, value)
            else:
                name, written = entry.group(1, 2)
                _check_name(name, constructor)
                value = _value(written, line, constructor)
                kind = (_ITEM_ROW, len(m.group(1)), column, name, value)
        else:
            indent = len(text) - len(text.lstrip(" "))
            m = _KEY.fullmatch(text, indent) if indent else None
            if m is None:
                raise _Fallback
            name, written = m.group(1, 2)
            _check_name(name, constructor)
            value = _value(written, line, constructor)
            kind = (_FIELD, indent, name, value)
    if type(value) in _SHAREABLE or _shareable(value):  # most values are of those types
        _memo_rows[row] = kind
    return kind


def _shareable(value: Any) -> bool:
    if type(value) is tuple:
        return all(_shareable(v) for v in value)
    if type(value) is float:
        return value == value
    return value is _EMPTY or type(value) in _SHAREABLE


def _check_name(name: str, constructor: Any) -> None:
    """A key must load as a string (not `true`, `null`…)."""
    ok = _memo_names.get(name)
    if ok is None:
        ok = constructor.resolve(ScalarNode, name, (True, False)) == _STR
        if len(_memo_names) < _MEMO_SIZE:
            _memo_names[name] = ok
    if not ok:
        raise _Fallback


def _flow_list(text: str, line: int, constructor: Any) -> tuple[Any, ...]:
    """A top-level value starting with `[`: a one-line flow list of scalars (as a tuple)."""
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
    if first not in _typed_starts and None not in _typed_starts:
        return text  # what resolve() would say: it has no implicit type to try
    value = _memo_values.get(text, _MISSING)
    if value is not _MISSING:
        return value
    tag = constructor.resolve(ScalarNode, text, (True, False))
    if tag == _STR:
        value = text
    else:
        build = constructor.yaml_constructors.get(tag)
        if build is None:
            raise _Fallback
        mark = yaml.Mark("<frontmatter>", 0, line, 0, "", 0)
        value = build(constructor, ScalarNode(tag, text, mark, mark))
    if _shareable(value):
        _memo_values[text] = value
    return value
