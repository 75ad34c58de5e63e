"""The fast frontmatter path's single pass, its remembered scalars and its CRLF reading give
exactly the C loader's result, or step aside."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from entraide.parse import fastyaml, frontmatter
from entraide.parse.fastyaml import fast_load
from test_fastyaml import (
    KEYS,
    SCALARS,
    assert_read_as_the_c_loader_reads,
    document,
    load_slow,
    typed,
)

# Lines of every kind the single pass tells apart, at the indentations where they continue a
# list or a map item and where they do not; few keys, so that some repeat.
SHAPES = [
    "",
    "  ",
    "k: v",
    "j: 2026-11-02",
    "k:",
    "j:",
    "k: [a, 1]",
    "k: []",
    "- a",
    "- k: v",
    "- j: 2026-02-30",
    "  - a",
    "  - k: v",
    "  - j: ~",
    "  k: v",
    "  j: yes",
    "    k: v",
    "    j: 3",
    "    - a",
    "    - k: v",
    "      k: v",
    "   - a",
    "   k: v",
    "k: a\n  b",
    "x: 1",
]


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(SHAPES), max_size=10))
def test_any_sequence_of_line_shapes_is_read_as_the_c_loader_reads_it(rows: list[str]) -> None:
    assert_read_as_the_c_loader_reads("\n".join(rows) + "\n")


def test_the_single_pass_takes_lists_maps_and_blank_lines() -> None:
    """Else the property test above would pass by always stepping aside."""
    for text in (
        "k:\n\n  - a\n\n  - b\nj: 1\n",
        "k:\n- a\n- b\n",
        "k:\n  - d: 1\n\n    e: 2\n  - f\n  - d: 3\nj:\n",
        "k:\nj: [a, b]\nx:\n",
        "k:\n  - d: 1\n    e:\nj: x\n",
    ):
        lines: dict[tuple[str | int, ...], int] = {}
        fast = fast_load(text, lines, 2, frontmatter._CONSTRUCTOR)
        assert fast is not None, text
        slow, slow_lines = load_slow(text)
        assert typed(fast) == typed(slow) and lines == slow_lines, text


def test_the_single_pass_steps_aside_where_the_line_reader_did() -> None:
    for text in (
        "k: 1\nk: 2\n",  # a repeated key
        "k:\n  - a\nk: 1\n",  # … after a list
        "k:\n  - d: 1\n    d: 2\n",  # … in a map item
        "- a\n",  # an item with no key
        "k: 1\n  - a\n",  # … after a value
        "k:\n  - a\n - b\n",  # items at two indentations
        "k:\n  - d: 1\n    - a\n",  # a list nested in a map item
        "k:\n  - d: 1\n      e: 2\n",  # a field off the item's column
        "k:\n  - a\n    e: 2\n",  # a field after a scalar item
        "  j: 1\n",  # a field at the top level
        "k:\n  j: 1\n",  # a nested map
    ):
        assert fast_load(text, {}, 2, frontmatter._CONSTRUCTOR) is None, text


@settings(max_examples=600, deadline=None)
@given(document)
def test_crlf_lines_are_read_as_the_c_loader_reads_them(rows: list[str]) -> None:
    assert_read_as_the_c_loader_reads("\r\n".join(rows) + "\r\n")


def test_crlf_frontmatter_takes_the_fast_path_and_a_lone_cr_does_not() -> None:
    text = "tags: [person]\r\nsince: 2026-02-30\r\ninteractions:\r\n  - date: 2026-11-02\r\n"
    lines: dict[tuple[str | int, ...], int] = {}
    fast = fast_load(text, lines, 2, frontmatter._CONSTRUCTOR)
    assert fast is not None
    slow, slow_lines = load_slow(text)
    assert typed(fast) == typed(slow) and lines == slow_lines
    assert fast["since"] == "2026-02-30"
    for text in ("a: 1\rb: 2\n", "a: 1\r\r\nb: 2\r\n", "a: x\ry\n", "a: 1\n\r"):
        assert fast_load(text, {}, 2, frontmatter._CONSTRUCTOR) is None, repr(text)


# Scalars of any characters, so that every first character meets the resolver's shortcut.
ANY_SCALAR = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r"),
    min_size=1,
    max_size=8,
)


@settings(max_examples=1500, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(KEYS),
            st.one_of(ANY_SCALAR, st.sampled_from(SCALARS)),
            st.sampled_from(["{}: {}", "{}:\n  - {}", "{}:\n  - date: {}", "{}: [{}]"]),
        ),
        max_size=5,
    )
)
def test_scalars_of_any_characters_are_read_as_the_c_loader_reads_them(
    entries: list[tuple[str, str, str]],
) -> None:
    assert_read_as_the_c_loader_reads("".join(f.format(k, v) + "\n" for k, v, f in entries))


def test_every_first_character_resolves_as_the_resolver_says() -> None:
    """A plain scalar starting with no typed character is a string: resolve() agrees."""
    resolver = frontmatter._CONSTRUCTOR
    fast_load("a: 1\n", {}, 2, resolver)  # (the fast path learns the loader's typed starts)
    assert fastyaml._typed_starts == frozenset(resolver.yaml_implicit_resolvers)
    for code in [*range(0x20, 0x7F), 0xA0, 0xE9, 0x3000, 0x1F600]:
        for text in (chr(code), chr(code) + "x", chr(code) + "1"):
            if chr(code) in fastyaml._typed_starts:
                continue
            assert resolver.resolve(yaml.ScalarNode, text, (True, False)) == fastyaml._STR


def load_fast(text: str) -> Any:
    return fast_load(text, {}, 2, frontmatter._CONSTRUCTOR)


def test_a_remembered_scalar_is_the_same_under_another_key_and_line() -> None:
    first = fast_load("a: 010\nb: 0x1f\n", {}, 2, frontmatter._CONSTRUCTOR)
    again = fast_load("x: 1\ncreated: 010\nitems: [0x1f, 010]\n", {}, 7, frontmatter._CONSTRUCTOR)
    assert first == {"a": 10, "b": 31}
    assert again == {"x": 1, "created": 10, "items": [31, 10]}


def test_another_constructor_does_not_reuse_remembered_scalars() -> None:
    assert fast_load("a: 0o10\n", {}, 2, frontmatter._CONSTRUCTOR) == {"a": 8}
    assert fast_load("a: 010\n", {}, 2, frontmatter._CONSTRUCTOR) == {"a": 10}

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: "a date")
    assert fast_load("b: 2026-11-03\nc: 010\n", {}, 2, Loader("")) == {"b": "a date", "c": 8}
    assert fast_load("c: 2026-11-03\nd: 010\n", {}, 2, frontmatter._CONSTRUCTOR) == {
        "c": "2026-11-03",
        "d": 10,
    }


def test_a_refused_character_is_refused_on_every_reading() -> None:
    """Lines are checked for characters YAML does not allow as they are read: never remembered."""
    for bad in ("\x85", "\u2028", "\x00", "\x7f", "\ufffe"):
        text = f"a: 1\nb: x{bad}y\n"
        for _ in range(2):
            assert fast_load(text, {}, 2, frontmatter._CONSTRUCTOR) is None
            assert fast_load(f"c: 2\nb: x{bad}y\n", {}, 2, frontmatter._CONSTRUCTOR) is None
        assert f"b: x{bad}y" not in fastyaml._memo_rows


def test_lines_are_added_to_and_left_alone_on_a_fall_back() -> None:
    lines: dict[tuple[str | int, ...], int] = {("before",): 1}
    assert fast_load("a: 1\nb:\n  - x\n", lines, 2, frontmatter._CONSTRUCTOR) is not None
    assert lines == {("before",): 1, ("a",): 2, ("b",): 3, ("b", 0): 4}
    for start in ({}, {("before",): 1}):
        lines = dict(start)
        assert fast_load("a: 1\nb:\n  - x\n  c: {}\n", lines, 2, frontmatter._CONSTRUCTOR) is None
        assert lines == start
