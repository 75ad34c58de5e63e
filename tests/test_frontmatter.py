"""Frontmatter split and load: Obsidian's rules, and what the C loader would hide."""

import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from entraide.parse.frontmatter import BadDate, parse, split
from entraide.parse.values import to_date


def test_properties_and_key_lines() -> None:
    fm = parse("---\nname: x\ninteractions:\n  - date: 2026-01-02\n    kind: call\n---\nbody\n")
    assert fm.error is None
    # YAML 1.2's core schema: a date is text, read as a date where one is expected.
    assert fm.data == {"name": "x", "interactions": [{"date": "2026-01-02", "kind": "call"}]}
    assert fm.lines[("name",)] == 2
    assert fm.lines[("interactions", 0, "kind")] == 5
    assert fm.body == "body\n"
    assert fm.body_line == 6


def test_no_frontmatter_unless_first_line() -> None:
    fm = parse("\n---\na: 1\n---\n")
    assert not fm.present and fm.data is None and fm.error is None


def test_trailing_spaces_and_crlf() -> None:
    fm = parse("---  \r\nk: v\r\n---\t\r\nbody\r\n")
    assert fm.data == {"k": "v"}
    assert fm.body == "body\r\n"


def test_datetimes_are_text_that_keeps_the_written_date() -> None:
    fm = parse("---\na: 2026-11-22T23:30:00-08:00\nb: 2026-11-22T10:30\n---\n")
    assert fm.data == {"a": "2026-11-22T23:30:00-08:00", "b": "2026-11-22T10:30"}
    assert to_date(fm.data["a"]) == to_date(fm.data["b"]) == date(2026, 11, 22)


def test_impossible_date_is_text() -> None:
    fm = parse("---\nsince: 2026-02-30\nother: 1\n---\n")
    assert fm.error is None
    assert fm.data == {"since": "2026-02-30", "other": 1}


def test_an_explicit_timestamp_is_a_date_and_an_impossible_one_a_bad_date() -> None:
    fm = parse("---\na: !!timestamp 2026-11-22\nb: !!timestamp 2026-02-30\n---\n")
    assert fm.error is None and fm.data is not None
    assert fm.data["a"] == date(2026, 11, 22)
    assert isinstance(fm.data["b"], BadDate) and fm.data["b"].line == 1


@pytest.mark.parametrize(
    ("text", "code", "line"),
    [
        ("---\na: 1\n", "frontmatter-unclosed", 1),
        ("---\na: [1\n---\n", "yaml-syntax", 2),  # where the bracket opened
        ("---\na:\n\t- b\n---\n", "yaml-syntax", 3),
        ("---\na: &x 1\nb: *x\n---\n", "yaml-anchor", 2),
        ("---\na: 1\nb: 2\na: 3\n---\n", "yaml-repeated-key", 4),
        ("---\nm:\n  k: 1\n  k: 2\n---\n", "yaml-repeated-key", 4),
        ("---\n- a\n- b\n---\n", "yaml-not-mapping", 2),
        ("---\njust text\n---\n", "yaml-not-mapping", 2),
        ("---\na: " + "[" * 40 + "]" * 40 + "\n---\n", "yaml-too-deep", 2),
        ("---\na: !!python/object/apply:os.system [ls]\n---\n", "yaml-syntax", 2),
    ],
)
def test_unloadable_frontmatter(text: str, code: str, line: int) -> None:
    fm = parse(text)
    assert fm.data is None
    assert fm.error is not None
    assert (fm.error.code, fm.error.line) == (code, line)


def test_block_nesting_too_deep() -> None:
    text = "---\n" + "".join(" " * i + f"k{i}:\n" for i in range(40)) + "---\n"
    fm = parse(text)
    assert fm.error is not None and fm.error.code == "yaml-too-deep"


def test_alias_bomb_is_refused_before_expansion() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]")
    fm = parse("---\n" + "\n".join(lines) + "\n---\n")
    assert fm.error is not None and fm.error.code == "yaml-anchor"


def test_empty_frontmatter_is_an_empty_mapping() -> None:
    fm = parse("---\n---\ntext")
    assert fm.data == {} and fm.error is None and fm.body == "text"


_FENCE = re.compile(r"---[ \t]*\r?\n?\Z")


def split_line_by_line(text: str) -> tuple[str | None, str, int]:
    """The split as first written, one line at a time: what `split` must still return."""
    if not text.startswith("---"):
        return None, text, 0
    first_end = text.find("\n")
    first = text if first_end < 0 else text[: first_end + 1]
    if not _FENCE.match(first):
        return None, text, 0
    pos = len(first)
    line = 1
    while pos < len(text):
        end = text.find("\n", pos)
        nxt = len(text) if end < 0 else end + 1
        if text.startswith("---", pos) and _FENCE.match(text, pos, nxt):
            return text[len(first) : pos], text[nxt:], line + 1
        pos = nxt
        line += 1
    raise ValueError("unclosed")


@settings(max_examples=1500, deadline=None)
@given(
    st.lists(
        st.sampled_from(["---", "--- ", "---\t", "----", " ---", "---\r", "a: 1", "", "\r", "-"]),
        max_size=8,
    ).map("\n".join)
)
def test_split_finds_the_fence_obsidian_finds(text: str) -> None:
    for candidate in (text, text + "\n", "---\n" + text):
        try:
            expected: object = split_line_by_line(candidate)
        except ValueError as exc:
            expected = exc.args
        try:
            got: object = split(candidate)
        except ValueError as exc:
            got = exc.args
        assert got == expected, candidate
