"""The fast frontmatter path gives exactly PyYAML's C loader result, or steps aside."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from entraide.parse import frontmatter
from entraide.parse.fastyaml import fast_load

SCALARS = [
    "x",
    "Jane Doe",
    "yes",
    "No",
    "off",
    "ON",
    "true",
    "null",
    "~",
    "1",
    "-5",
    "0x1f",
    "1:20",
    "1_000",
    "3.0",
    ".inf",
    "1e3",
    # YAML 1.2's core schema and where YAML 1.1 differs from it.
    "010",
    "0o10",
    "0o9",
    "0x1F",
    "-0x1F",
    "0b11",
    "+12",
    "-0",
    ".5",
    "1.",
    ".5e3",
    "+.inf",
    "-.INF",
    ".NaN",
    "+.nan",
    "TRUE",
    "tRue",
    "FALSE",
    "Null",
    "NULL",
    "nULL",
    "y",
    "n",
    "1:30",
    "2026-11-22 10:30:00+01:00",
    "2026-11-22",
    "2026-02-30",
    "2026-11-22 10:30:00",
    "2026-11-22T10:30",
    "2026-1-5",
    "--11-27",
    "-",
    "R&D",
    "a: b",
    "a:b",
    "x #c",
    "#c",
    "*x",
    "&a x",
    "!tag x",
    '"quoted"',
    "'single'",
    '"a \\" b"',
    "'it''s'",
    '"[[Jane Doe]]"',
    "[a, b]",
    "[]",
    "[ ]",
    '["[[X]]", "[[Y|y]]"]',
    "[[X]]",
    "[a, [b]]",
    "{a: 1}",
    "|",
    ">",
    "@x",
    "`x`",
    "é",
    "a,b",
    "[a,]",
    "=",
    "<<",
    "? x",
    ": x",
    "%x",
    # Characters Python's str methods treat as spaces or line breaks, and YAML does not (or
    # does: NEL, LS and PS are YAML line breaks).
    "\xa0",
    "x\xa0",
    "[\xa0x]",
    "[x\xa0, y]",
    "[\u3000]",
    "x\u2028y",
    "x\x85y",
    "a\u2029",
    "\ufeffx",
]
SIMPLE = [
    "x",
    "Jane Doe",
    "yes",
    "No",
    "1",
    "-5",
    "1:20",
    "3.0",
    "1e3",
    "2026-11-22",
    "2026-02-30",
    "2026-11-22 10:30:00",
    "--11-27",
    "R&D",
    '"quoted"',
    "'single'",
    '"[[Jane Doe]]"',
    "[a, b]",
    "[]",
    '["[[X]]", "[[Y|y]]"]',
    "é",
    "~",
    "",
    "0x1f",
    ".nan",
]
KEYS = [f"key{n}" for n in range(12)] + ["tags", "snake_case", "with-dash", "yes", "null", "é"]


def load_slow(text: str) -> tuple[Any, dict[tuple[str | int, ...], int]]:
    lines: dict[tuple[str | int, ...], int] = {}
    loader = frontmatter._Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        frontmatter._check_nodes(node, lines, 2)
        return loader.construct_document(node), lines
    finally:
        loader.dispose()


def typed(value: Any) -> Any:
    """Values with their types (and a bad date's line), so equal means identical."""
    if isinstance(value, dict):
        return {k: typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [typed(v) for v in value]
    return (type(value).__name__, value)


entry = st.tuples(st.sampled_from(KEYS), st.sampled_from(SCALARS))
block_item = st.one_of(
    st.sampled_from(SCALARS),
    st.lists(
        st.tuples(st.sampled_from(["date", "kind", "gave", "yes"]), st.sampled_from(SCALARS)),
        min_size=1,
        max_size=3,
    ),
)
document = st.lists(
    st.one_of(
        entry.map(lambda kv: f"{kv[0]}: {kv[1]}"),
        st.tuples(
            st.sampled_from(KEYS),
            st.lists(block_item, min_size=1, max_size=3),
            st.sampled_from(["", "  "]),
        ).map(
            lambda t: (
                f"{t[0]}:\n"
                + "\n".join(
                    f"{t[2]}- {item}"
                    if isinstance(item, str)
                    else "\n".join(
                        (f"{t[2]}- " if n == 0 else f"{t[2]}  ") + f"{k}: {v}"
                        for n, (k, v) in enumerate(item)
                    )
                    for item in t[1]
                )
            )
        ),
        st.sampled_from(
            ["", "key:", "  indented: 1", "- top", "...", "key: a\n  continued", "\xa0", "\u3000"]
        ),
        entry.map(lambda kv: f"{kv[0]}: {kv[1]}"),
    ),
    max_size=6,
)


@settings(max_examples=600, deadline=None)
@given(document)
def test_fast_path_equals_the_c_loader(rows: list[str]) -> None:
    assert_read_as_the_c_loader_reads("\n".join(rows) + "\n")


def assert_read_as_the_c_loader_reads(text: str) -> None:
    """When the fast path reads `text`, it reads what the C loader does, lines too."""
    lines: dict[tuple[str | int, ...], int] = {}
    fast = fast_load(text, lines, 2, frontmatter._CONSTRUCTOR)
    if fast is None:
        return
    try:
        slow, slow_lines = load_slow(text)
    except (yaml.YAMLError, ValueError, TypeError) as exc:  # pragma: no cover - a bug
        raise AssertionError(f"fast path read invalid YAML: {text!r}") from exc
    assert typed(fast) == typed(slow or {})
    assert lines == slow_lines


def test_the_fast_path_takes_a_typical_contact() -> None:
    text = (
        "tags: [person]\ncircle: close\nsector: Finance\nsince: 2019-03-15\nbirthday: --11-27\n"
        'aliases: [Bru, "B. S."]\nknows: ["[[Chloé Martin]]"]\npaused: false\ninteractions:\n'
        "  - date: 2026-11-02\n    kind: dinner\n    news: true\n  - date: 2026-02-30\n"
    )
    lines: dict[tuple[str | int, ...], int] = {}
    fast = fast_load(text, lines, 2, frontmatter._CONSTRUCTOR)
    assert fast is not None
    slow, slow_lines = load_slow(text)
    assert typed(fast) == typed(slow) and lines == slow_lines


# Pieces of frontmatter lines, to build odd ones character by character.
PIECES = list("ab: -[],'\"\xa0\u3000\u2028\u2029\x851.~y") + [
    "- ",
    "  ",
    "k: ",
    "\n  - ",
    "\n    k: ",
    "2026-02-30",
    "2026-11-22",
    "\n",
    "\nk:\n",
]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=25).map("".join))
def test_odd_lines_are_read_as_the_c_loader_reads_them(body: str) -> None:
    assert_read_as_the_c_loader_reads("k: " + body + "\n")


def test_unicode_spaces_and_line_breaks_are_not_read_as_python_sees_them() -> None:
    """str.strip() and str.split() know spaces and line breaks YAML does not, and miss some."""
    for text in ("k:\n\xa0\n  - a\n", "a: x\u2028y\n", "a: x\u2029\nb: 1\n", "a: x\x85y\n"):
        assert fast_load(text, {}, 2, frontmatter._CONSTRUCTOR) is None, text
    lines: dict[tuple[str | int, ...], int] = {}
    assert fast_load("a: [\xa0x, y\u3000]\n", lines, 2, frontmatter._CONSTRUCTOR) == {
        "a": ["\xa0x", "y\u3000"]
    }


def test_remembered_lines_give_fresh_values_and_their_own_lines() -> None:
    """A line read before gives the same values, new lists and maps, and its new line."""
    text = "tags: [person]\nsince: 2026-02-30\ninteractions:\n  - date: 2026-11-02\n"
    first = fast_load(text, {}, 2, frontmatter._CONSTRUCTOR)
    lines: dict[tuple[str | int, ...], int] = {}
    again = fast_load("x: 1\n" + text, lines, 10, frontmatter._CONSTRUCTOR)
    assert first is not None and again is not None
    assert typed(again) == {"x": ("int", 1), **typed(first)}
    assert again["tags"] is not first["tags"]
    assert again["interactions"][0] is not first["interactions"][0]
    assert again["since"] == "2026-02-30"  # (text: the core schema has no dates)
    assert lines[("since",)] == 12 and lines[("interactions", 0, "date")] == 14


def test_another_constructor_does_not_reuse_remembered_lines() -> None:
    """The fast path types scalars with the loader it is given: YAML 1.1's SafeLoader reads
    dates, yes/no and octal 010; frontmatter's core-schema loader does not."""
    text = "a: 2026-11-02\nb: yes\nc: 010\n"
    core = {"a": "2026-11-02", "b": "yes", "c": 10}
    assert fast_load(text, {}, 2, frontmatter._CONSTRUCTOR) == core

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: "a date")
    assert fast_load(text, {}, 2, Loader("")) == {"a": "a date", "b": True, "c": 8}
    assert fast_load(text, {}, 2, frontmatter._CONSTRUCTOR) == core
