"""Frontmatter as Obsidian sees it, loaded with PyYAML's C loader and checked for what it hides.

Obsidian only reads frontmatter when the very first line (after a BOM) is `---`; it ends at the
next `---` line. python-frontmatter strips the text first and so disagrees with Obsidian; this
module does its own split. YAML is read by the YAML 1.2 core schema, as Obsidian reads it
(`yaml12`): `NO` and `yes` are text, `010` is 10, dates are text. CSafeLoader silently accepts
anchors, aliases and repeated keys: they are detected on the composed node graph, which also
gives every key its line. The node graph costs ~100 bytes a character (a frontmatter of 100,000
entries took 342 MB), so a pass over the parser's events, proven to read the same, stands in
for it wherever it can.

Two readings are Obsidian's rather than YAML's: an alias is text as written (`aliases: [0x1F]`
is the alias `0x1F`, not 31), and a template placeholder left in a note (`since: {{date}}`)
is read as text and its property set aside, reported (`Frontmatter.placeholders`).
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
from entraide.parse.yaml12 import CoreLoader

MAX_DEPTH = 32
_STR_TAG = "tag:yaml.org,2002:str"
_FENCE = re.compile(r"---[ \t]*\r?\n?\Z")


class BadDate(str):
    """An explicit `!!timestamp` that names no day (2026-02-30); remembers its line."""

    line: int

    def __new__(cls, text: str, line: int) -> BadDate:
        obj = super().__new__(cls, text)
        obj.line = line
        return obj

    def __reduce__(self) -> tuple[type[BadDate], tuple[str, int]]:
        return (BadDate, (str(self), self.line))


class _Loader(CoreLoader):
    pass


def _timestamp(loader: SafeConstructor, node: ScalarNode) -> date | datetime | BadDate:
    """Only a scalar tagged `!!timestamp` is one: the core schema reads dates as text."""
    try:
        value: date | datetime = SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:
        return BadDate(str(node.value), node.start_mark.line)
    return value


_LOADER: Any = _Loader  # (the stubs know only PyYAML's own loaders)
_LOADER.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
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
    # `template-placeholder` problems: properties holding `{{date}}` or `<% … %>`, left out
    # of `data` (and of `lines`); the rest of the frontmatter stands.
    placeholders: tuple[YamlError, ...] = ()


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
    if "{{" in yaml_text or "<%" in yaml_text:
        fm.data, fm.error, fm.placeholders = load_unfilled(yaml_text, fm.lines)
    else:
        fm.data, fm.error = load_yaml(yaml_text, fm.lines)
    return fm


def load_yaml(
    yaml_text: str, lines: dict[tuple[str | int, ...], int], first_line: int = 2
) -> tuple[dict[str, Any] | None, YamlError | None]:
    """Load a frontmatter mapping as Obsidian reads it, or say precisely why it cannot be.

    YAML's reading (`load_mapping`), and an alias YAML reads as a number, true or false is the
    text written: `aliases: [0x1DA9430]` is the name `0x1DA9430` (Obsidian's aliases are text).
    """
    data, error = load_mapping(yaml_text, lines, first_line)
    if data is not None and "aliases" in data:
        _aliases_as_written(yaml_text, data)
    return data, error


def load_mapping(
    yaml_text: str, lines: dict[tuple[str | int, ...], int], first_line: int = 2
) -> tuple[dict[str, Any] | None, YamlError | None]:
    """Load a frontmatter mapping, or say precisely why it cannot be loaded.

    Three readers, each proven to give the next one's result where it reads at all: the line
    reader of the simple frontmatter most notes have (`fast_load`), one pass over the C
    parser's events that never holds a node graph (`_stream_load`: a big frontmatter costs
    little more than its values), and the reference, the node graph (`_load_nodes`), which
    only the rare features the second declines (tags, keys that are collections, several
    documents) reach; it is given at most `MAX_NODE_GRAPH` characters.
    """
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
    streamed = _stream_load(yaml_text, lines, first_line)
    if streamed is not None:
        return streamed
    if len(yaml_text) > MAX_NODE_GRAPH:
        return None, YamlError(
            "too-large",
            first_line,
            f"the frontmatter is {len(yaml_text):,} characters long and uses YAML tags (!!), "
            "lists or maps as keys, or several documents, which entraide "
            f"reads only in a frontmatter of at most {MAX_NODE_GRAPH:,}: write it plainly",
        )
    return _load_nodes(yaml_text, lines, first_line)


def _load_nodes(
    yaml_text: str, lines: dict[tuple[str | int, ...], int], first_line: int
) -> tuple[dict[str, Any] | None, YamlError | None]:
    """The reference: PyYAML's node graph, checked (`_check_nodes`), then constructed."""
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
    except yaml.YAMLError as exc:
        return None, _syntax_error(exc, yaml_text, first_line)
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
        return None, _keys_not_names(where)
    return data, None


def _syntax_error(exc: yaml.YAMLError, yaml_text: str, first_line: int) -> YamlError:
    """The problem for an error of PyYAML's parser (or its composer, or a constructor)."""
    if isinstance(exc, yaml.MarkedYAMLError):
        # Where it broke; but where the quote, bracket or key left open began, as what
        # follows it is only where the parser gave up (often the end of the frontmatter).
        mark = exc.problem_mark
        if exc.context in _OPENED_EARLIER and exc.context_mark is not None:
            mark = exc.context_mark
        line = mark.line + first_line if mark is not None else None
        problem = exc.problem or ""
        said = next((w for c, p, w in _SAID if c == exc.context and problem.startswith(p)), None)
        if said is not None:
            return YamlError("yaml-syntax", line, f"the frontmatter is not valid YAML: {said}")
        what = exc.problem or "invalid YAML"
        if exc.context:
            what = f"{exc.context}, {what}"
        return YamlError(
            "yaml-syntax", line, f"the frontmatter is not valid YAML ({what}): fix that line"
        )
    if isinstance(exc, yaml.reader.ReaderError):  # a character YAML does not allow
        line = yaml_text[: exc.position].count("\n") + first_line
        return YamlError(
            "yaml-syntax",
            line,
            f"the frontmatter holds a character YAML does not allow ({exc.reason}, "
            f"{exc.character!r}): delete it",
        )
    return YamlError("yaml-syntax", None, f"the frontmatter is not valid YAML ({exc}): fix it")


# The parser's commonest errors (by its context and the start of its problem, in libyaml's
# words and in PyYAML's), in the user's words.
_QUOTE = "a quote opened on this line is never closed: close it, or remove it"
_BRACKET = (
    "a '{0}' opened on this line is never closed: close it with '{1}', or quote the whole "
    "value (a value starting with '{0}' is a {2})"
)
_STRAY = (
    "this line does not fit the properties above it: check its indentation, and quote a "
    "value that starts with a quote or a bracket and goes on after it"
)
_SAID = (
    ("while scanning a quoted scalar", "found unexpected end of stream", _QUOTE),
    (
        "while parsing a flow sequence",
        "did not find expected ','",
        _BRACKET.format("[", "]", "list"),
    ),
    ("while parsing a flow sequence", "expected ','", _BRACKET.format("[", "]", "list")),
    ("while parsing a flow mapping", "did not find expected ','", _BRACKET.format("{", "}", "map")),
    ("while parsing a flow mapping", "expected ','", _BRACKET.format("{", "}", "map")),
    (
        "while scanning a simple key",
        "could not find expected ':'",
        "this line is not a property: write 'key: value' (with a space after the colon), or "
        "indent it under the property it continues",
    ),
    ("while parsing a block mapping", "did not find expected key", _STRAY),
    ("while parsing a block mapping", "expected <block end>", _STRAY),
    (
        None,
        "mapping values are not allowed",
        "this line holds ': ' where a value was expected: quote the value (\"…\"), or fix the "
        "indentation",
    ),
    (
        "while scanning a plain scalar",
        "found a tab character",
        "this line is indented with a tab, which YAML does not allow: indent with spaces",
    ),
    (
        "while scanning for the next token",
        "found character that cannot start any token",
        "a value on this line starts with a character YAML reserves (@, `, %, |, >…): quote "
        "the value",
    ),
    (
        "while constructing a mapping",
        "found unhashable key",
        "a property name on this line is a list or a map, which Obsidian cannot show: quote "
        "it, or write a plain name",
    ),
    (
        None,
        "could not determine a constructor for the tag",
        "a YAML tag on this line (a word after '!') is not one entraide reads: remove it, or "
        "quote the value",
    ),
    (
        None,
        "found undefined alias",
        "this line uses an alias (*name), which Obsidian does not support: write the value out",
    ),
    (
        "while parsing a quoted scalar",
        "found unknown escape character",
        "a double-quoted value on this line holds a backslash YAML does not know: write \\\\ "
        "for a backslash, or use single quotes",
    ),
)
# Errors whose context mark, not their problem mark, is the line to fix.
_OPENED_EARLIER = frozenset(
    {
        "while scanning a quoted scalar",  # a quote never closed
        "while parsing a flow sequence",  # a `[` never closed
        "while parsing a flow mapping",  # a `{` never closed
        "while scanning a simple key",  # a line with no `:` (the problem is the next line)
    }
)


def _keys_not_names(line: int) -> YamlError:
    return YamlError(
        "yaml-not-mapping",
        line,
        "the frontmatter's keys must be names (YAML reads this one as a number, true, false "
        "or null): quote it or rename it",
    )


# -- one pass over the parser's events ------------------------------------------------------

# The node graph costs ~100 bytes a character of frontmatter (a node and two marks for each
# value); past this, only the event pass reads a frontmatter.
MAX_NODE_GRAPH = 500_000


class _Decline(Exception):
    """The event pass leaves this frontmatter to the node graph."""


class _Open:
    """A mapping or sequence being read: what `_check_nodes` would know of its node."""

    __slots__ = ("value", "path", "depth", "order", "keys", "key", "count", "checked")

    def __init__(
        self, value: Any, path: tuple[str | int, ...], depth: int, order: tuple[int, ...]
    ) -> None:
        self.value = value  # the dict or list being filled
        self.path = path  # its path in `lines`
        self.depth = depth
        self.order = order  # where `_check_nodes` visits it (see `_stream_load`)
        self.keys: set[tuple[str, str]] | None = set() if type(value) is dict else None
        self.key: Any = _NO_KEY  # a mapping's key waiting for its value
        self.count = 0  # pairs or items so far
        self.checked = False  # a problem of its own is known (`_check_nodes` finds one)


_NO_KEY: Any = object()
_NODE_EVENTS = (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)


def _stream_load(
    yaml_text: str, lines: dict[tuple[str | int, ...], int], first_line: int
) -> tuple[dict[str, Any] | None, YamlError | None] | None:
    """`_load_nodes`'s result, read in one pass over the C parser's events; None when the
    text uses what this pass leaves to the node graph.

    Problems come in the reference's order: an anchor or alias first (`_anchor` looks for one
    in every event before anything else), or the parser's error if it comes before; then
    what `_check_nodes` finds first. That walk pops nodes from a stack, children pushed in
    order: it visits a node before what it holds and the later of two siblings first, so the
    node it reports is the one whose path of child positions, negated, is the smallest.
    """
    # Lines go straight into `lines` when it starts empty (as it does for every note), and are
    # taken out again if the pass declines; otherwise they are added once all is read.
    found: dict[tuple[str | int, ...], int] = lines if not lines else {}
    loader = _Loader(yaml_text)
    try:
        read = _stream_events(loader, found, first_line)
    except _Decline:
        read = None
    except yaml.YAMLError as exc:
        read = None, _syntax_error(exc, yaml_text, first_line)
    finally:
        loader.dispose()
    if read is None or read[1] is not None:
        if found is lines:
            lines.clear()
    elif found is not lines:
        lines.update(found)
    return read


def _stream_events(
    loader: Any, found: dict[tuple[str | int, ...], int], first_line: int
) -> tuple[dict[str, Any] | None, YamlError | None]:
    scalar_event, mapping_start = yaml.ScalarEvent, yaml.MappingStartEvent
    sequence_start, alias = yaml.SequenceStartEvent, yaml.AliasEvent
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    # Scalars already read, by text and style: a frontmatter of many entries repeats its keys
    # and values, and resolving a scalar's type is most of what reading one costs.
    scalars: dict[tuple[str, Any], tuple[str, Any]] = {}
    stack: list[_Open] = []
    root: Any = _NO_KEY
    documents = 0
    first: tuple[tuple[int, ...], YamlError] | None = None  # what `_check_nodes` reports
    not_mapping: YamlError | None = None
    not_name: int | None = None  # the line of the first top-level key that is not a name
    while loader.check_event():
        event = loader.get_event()
        kind = type(event)
        if kind is not scalar_event and kind is not mapping_start and kind is not sequence_start:
            if kind is alias:
                return None, _anchor_problem(event, event.anchor, first_line)
            if kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise _Decline  # (the composer's error, "expected a single document")
            elif kind in ends and root is not _NO_KEY and type(root) is dict:
                stack.pop()
            continue  # (and the stream's start and end, a document's end)
        if event.anchor is not None:
            return None, _anchor_problem(event, event.anchor, first_line)
        if root is not _NO_KEY and type(root) is not dict:
            continue  # (only an anchor or the parser's error would come before its problem)
        if event.tag is not None and event.tag != "!":
            raise _Decline  # a tag: the constructors may read it in many ways
        line = event.start_mark.line + first_line
        # Where the node stands: the root, a mapping's key or value, a sequence's item.
        parent = stack[-1] if stack else None
        if parent is not None and parent.keys is not None and parent.key is _NO_KEY:
            if kind is not scalar_event:
                raise _Decline  # a key that is a collection
            tag, key = _scalar(loader, event, scalars)
            raw = (tag, event.value)
            if raw in parent.keys and not parent.checked:
                parent.checked = True
                repeated = YamlError(
                    "yaml-repeated-key", line, f"the key '{event.value}' appears twice: keep one"
                )
                if first is None or parent.order < first[0]:
                    first = (parent.order, repeated)
            parent.keys.add(raw)
            if len(stack) == 1 and tag != _STR_TAG and not_name is None:
                not_name = line
            parent.key = (key, str(event.value), line)
            continue
        path: tuple[str | int, ...] = ()
        depth = 1
        if parent is not None:
            depth = parent.depth + 1
            if parent.keys is not None:
                key, name, key_line = parent.key
                if len(parent.path) < 3:
                    path = (*parent.path, name)
                    found[path] = key_line
                else:
                    path = parent.path
            else:
                if len(parent.path) < 3:
                    path = (*parent.path, parent.count)
                    found[path] = line
                else:
                    path = parent.path
        if kind is scalar_event:
            value = _scalar(loader, event, scalars)[1]
        else:
            value = {} if kind is mapping_start else []
        problem: YamlError | None = None
        if depth > MAX_DEPTH or kind is not scalar_event:
            order = () if parent is None else (*parent.order, -parent.count)
            if depth > MAX_DEPTH:
                problem = YamlError(
                    "yaml-too-deep",
                    line,
                    f"the frontmatter is nested deeper than {MAX_DEPTH} levels",
                )
                if first is None or order < first[0]:
                    first = (order, problem)
        if parent is None:
            root = value
            if type(value) is not dict:
                shape = "a list" if type(value) is list else "a single value"
                not_mapping = YamlError(
                    "yaml-not-mapping",
                    line,
                    f"the frontmatter is {shape}, not properties: write one 'key: value' per line",
                )
                continue
        elif parent.keys is not None:
            parent.value[parent.key[0]] = value
            parent.key = _NO_KEY
            parent.count += 1
        else:
            parent.value.append(value)
            parent.count += 1
        if kind is not scalar_event:
            opened = _Open(value, path, depth, order)
            opened.checked = problem is not None
            stack.append(opened)
    if root is _NO_KEY:
        return {}, None  # no document
    if type(root) is not dict:
        return None, not_mapping
    if first is not None:
        return None, first[1]
    if not all(isinstance(k, str) for k in root):
        return None, _keys_not_names(not_name if not_name is not None else first_line)
    return root, None


# Values that are immutable and do not depend on their line: one object may stand for all the
# equal ones. (NaN is never equal to itself.)
_SHARED_TYPES = frozenset({str, int, bool, type(None), date, datetime})
_UNSHARED: Any = object()


def _scalar(
    loader: Any, event: Any, scalars: dict[tuple[str, Any], tuple[str, Any]]
) -> tuple[str, Any]:
    """(tag, value) of a scalar as the composer resolves it and the SafeConstructor builds it."""
    text = event.value
    memo = (text, event.implicit)
    known = scalars.get(memo)
    if known is not None and known[1] is not _UNSHARED:
        return known
    tag = known[0] if known is not None else loader.resolve(ScalarNode, text, event.implicit)
    if tag == _STR_TAG:
        value: Any = text
    else:
        constructor = _Loader.yaml_constructors.get(tag)
        if constructor is None:
            raise _Decline
        node = ScalarNode(tag, text, event.start_mark, event.end_mark)
        try:
            value = constructor(_CONSTRUCTOR, node)
        except Exception as exc:  # the reference reports it, after its checks
            raise _Decline from exc
    if known is None and len(scalars) < _SHARED_MAX:
        scalars[memo] = (tag, value if type(value) in _SHARED_TYPES else _UNSHARED)
    return tag, value


_SHARED_MAX = 1 << 16


def _too_deep_line(text: str) -> int | None:
    """The 0-based line where flow collections (`[`, `{`) nest deeper than allowed, if any.

    Checked before parsing so that a pathological note never reaches the C composer's recursion.
    Brackets inside quotes are counted too: an overestimate only sends a note to the error path
    when it holds more than MAX_DEPTH unbalanced brackets on end, which no real note does.
    """
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return None
    depth = 0
    for m in _BRACKETS.finditer(text):  # (from bracket to bracket: most characters are not)
        if m.group() in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return text.count("\n", 0, m.start())
        else:
            depth = max(0, depth - 1)
    return None


_BRACKETS = re.compile(r"[\[\]{}]")


def _anchor(yaml_text: str, first_line: int) -> YamlError | None:
    try:
        for event in yaml.parse(yaml_text, Loader=_LOADER):
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                return _anchor_problem(event, anchor, first_line)
    except yaml.YAMLError:
        return None  # the loader reports it with its line
    return None


def _anchor_problem(event: Any, anchor: str, first_line: int) -> YamlError:
    word = "an alias" if isinstance(event, yaml.AliasEvent) else "an anchor"
    return YamlError(
        "yaml-anchor",
        event.start_mark.line + first_line if event.start_mark else None,
        f"the frontmatter uses {word} (&{anchor} / *{anchor}), which Obsidian does "
        "not support: write the value out",
    )


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


# -- what YAML reads that Obsidian reads otherwise ------------------------------------------


def _aliases_as_written(yaml_text: str, data: dict[str, Any]) -> None:
    """Aliases YAML read as numbers, true or false, replaced by the text written."""
    value = data["aliases"]
    if isinstance(value, list):
        if all(type(v) is str or v is None or type(v) in _CONTAINERS for v in value):
            return
    elif type(value) is str or value is None or type(value) in _CONTAINERS:
        return
    written = _alias_texts(yaml_text)
    if written is None:
        return
    if not isinstance(value, list):
        if written and written[0] is not None:
            data["aliases"] = written[0]
        return
    data["aliases"] = [
        written[i]
        if type(v) not in _CONTAINERS and v is not None and i < len(written) and written[i]
        else v
        for i, v in enumerate(value)
    ]


_CONTAINERS = (str, list, dict)


def _alias_texts(yaml_text: str) -> list[str | None] | None:
    """The texts written for the top-level `aliases`: its scalar's, or each item's (None for an
    item that is a list or a map); None when the frontmatter is not a mapping."""
    depth = 0  # collections open
    at_key = True  # at depth 1: the next node is a key
    is_aliases = False  # the key just read is `aliases`
    items: list[str | None] | None = None  # the items of `aliases`, while they are read
    events: Any = yaml.parse(yaml_text, Loader=_LOADER)
    for event in events:
        kind = type(event)
        if kind is yaml.ScalarEvent:
            if depth == 1:
                if at_key:
                    is_aliases = event.value == "aliases"
                elif is_aliases:
                    return [event.value]
                at_key = not at_key
            elif depth == 2 and items is not None:
                items.append(event.value)
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            depth += 1
            if depth == 1 and kind is not yaml.MappingStartEvent:
                return None
            if depth == 2 and is_aliases and not at_key:
                if kind is not yaml.SequenceStartEvent:
                    return None
                items = []
            elif depth == 3 and items is not None:
                items.append(None)
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            depth -= 1
            if depth == 1:
                if items is not None:
                    return items
                at_key = not at_key
    return None


# Template syntax left in a note made from a template: the core Templates plugin's (and
# Periodic Notes', QuickAdd's) `{{date}}`, `{{title}}`, `{{date:YYYY-MM-DD}}`; Templater's
# `<% tp.date.now() %>` (`<%*`, `<%_`, `-%>`…). Tokens stand for them while YAML reads the
# rest: letters of Unicode's private use area, which YAML reads as text wherever they stand.
# (Not the Tasks plugin's query placeholders, `{{query.file.folder}}`: a Tasks query in the
# frontmatter, `TQ_extra_instructions`, holds them on purpose.)
_PLACEHOLDER = re.compile(r"\{\{(?!\s*query\.)[^{}\n]+\}\}|<%[^\n]*?%>")
_PLACEHOLDER_ANYWHERE = re.compile(r"\{\{(?!\s*query\.)[^{}]+\}\}|<%.*?%>", re.DOTALL)
_TOKEN_CHARS = range(0xE000, 0xF900)


def load_unfilled(
    yaml_text: str, lines: dict[tuple[str | int, ...], int], first_line: int = 2
) -> tuple[dict[str, Any] | None, YamlError | None, tuple[YamlError, ...]]:
    """`load_yaml` of a frontmatter that may hold template placeholders, and their problems.

    Each placeholder is read as text (as if quoted), so `since: {{date}}` is no YAML error
    (PyYAML reads a map there, "found unhashable key") and the rest of the frontmatter
    stands; a property holding one (in its key or anywhere in its value) is left out, and
    reported on each line where it holds one. A YAML error on a line holding a placeholder is
    reported as the placeholder, which most likely caused it.
    """
    spans = list(_PLACEHOLDER.finditer(yaml_text))
    blocks = [m for m in _PLACEHOLDER_ANYWHERE.finditer(yaml_text) if "\n" in m.group()]
    mark = next((chr(c) for c in _TOKEN_CHARS if chr(c) not in yaml_text), None)
    if not spans and not blocks or mark is None:
        return (*load_yaml(yaml_text, lines, first_line), ())
    pieces: list[str] = []
    pos = 0
    for i, m in enumerate(spans):
        pieces += (yaml_text[pos : m.start()], f"{mark}{i}{mark}")
        pos = m.end()
    pieces.append(yaml_text[pos:])
    data, error = load_yaml("".join(pieces), lines, first_line)

    def line_of(offset: int) -> int:
        return yaml_text.count("\n", 0, offset) + first_line

    if data is None:
        on_line: dict[int, list[str]] = {}
        for m in (*spans, *blocks):
            on_line.setdefault(line_of(m.start()), []).append(m.group())
        if error is not None and error.line in on_line:
            found = on_line[error.line]
            return None, YamlError("template-placeholder", error.line, _unfilled(found)), ()
        return None, error, ()
    token = re.compile(f"{mark}([0-9]+){mark}")
    problems: list[YamlError] = []
    for key in list(data):
        held: set[int] = set()
        raw: list[str] = []
        for text in _texts(key, data[key]):
            if mark in text:
                held.update(int(i) for i in token.findall(text))
            if "{{" in text or "<%" in text:
                raw += _PLACEHOLDER_ANYWHERE.findall(text)
        if not held and not raw:
            continue
        name = token.sub(lambda t: spans[int(t.group(1))].group(), str(key))
        del data[key]
        key_line = lines.get((str(key),))
        for path in [p for p in lines if p[0] == str(key)]:
            del lines[path]
        by_line: dict[int | None, list[str]] = {}
        for i in sorted(held):
            by_line.setdefault(line_of(spans[i].start()), []).append(spans[i].group())
        if raw:
            by_line.setdefault(key_line, []).extend(raw)
        for where, found in by_line.items():
            problems.append(YamlError("template-placeholder", where, _unfilled(found, name)))
    problems.sort(key=lambda p: (p.line is not None, p.line or 0))
    return data, None, tuple(problems)


def _texts(key: Any, value: Any) -> list[str]:
    """Every text in a property: its key, and the keys and texts of its value."""
    found: list[str] = []
    stack = [key, value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _unfilled(placeholders: list[str], key: str | None = None) -> str:
    shown = ", ".join(dict.fromkeys(_short(p) for p in placeholders))
    if key is None:
        then = "the frontmatter cannot be read until you write what it stands for"
    elif key in placeholders:
        then = f"the property '{key}' is ignored until you name it"
    else:
        then = f"'{key}' is ignored until you write its value in place of it"
    return (
        f"this note was made from a template that was not filled in: {shown} was never "
        f"replaced, so {then} (or delete the line)"
    )


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:37] + "..."
