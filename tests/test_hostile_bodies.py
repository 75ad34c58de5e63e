"""Notes built to hurt (issue 23, "Nothing explodes"): each is read in time and memory linear in
its size, and read exactly as before — the plain reading of the whole text with markdown-it-py,
the reference — or, where markdown-it-py itself gives up, with the line reported.

The same notes at full size (5 MB) are measured by `scripts/bench.py` ("hostile notes").
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from entraide.parse import body as body_module
from entraide.parse import frontmatter, props
from entraide.parse.body import (
    NO_MARKS,
    Body,
    LinkRef,
    LogItem,
    _block_marks,
    _callout_type,
    _dated_item,
    _internal_href,
    _markdown,
    _read_tokens,
    _task_status,
    parse_body,
    parse_body_tokens,
    strip_comments,
)
from entraide.parse.note import parse_note
from test_fastyaml import document, typed

# -- the reference as first written: markdown-it-py over the whole text, every inline parsed --


def read_whole(text: str, first_line: int = 1) -> Body:
    """The links and logs markdown-it-py's tokens of the whole text give (the reading before
    chunks and lazy inlines), without the reports."""
    if "%%" in text:
        text = strip_comments(text)
    tokens = _markdown().parse(text)
    links: list[LinkRef] = []
    logs: list[LogItem] = []
    stack: list[bool] = []
    excluded = 0
    callouts: list[str | None] = []  # per open container: the callout it is
    row: list[Any] | None = None
    for i, token in enumerate(tokens):
        within = tuple(c for c in callouts if c is not None)
        if token.type == "blockquote_open":
            callout = _callout_type(tokens, i)
            bad = callout is None
            stack.append(bad)
            callouts.append(callout)
            excluded += bad
        elif token.type == "list_item_open":
            status, inline = _task_status(tokens, i)
            bad = status is not None and status not in "xX"
            stack.append(bad)
            callouts.append(None)
            excluded += bad
            if not excluded and inline is not None:
                content = inline.content[3:].lstrip() if status is not None else inline.content
                if body_module._LOG_DATE.match(content):
                    line = inline.map[0] + first_line
                    item = _dated_item(content, clean_text(inline.children), line)
                    if item is not None:
                        logs.append(item._replace(callouts=within))
        elif token.type in ("blockquote_close", "list_item_close"):
            excluded -= stack.pop()
            callouts.pop()
        elif token.type == "tr_open":
            row = []
        elif token.type == "tr_close":
            if row:
                block_links(row, not excluded, first_line, links, within)
            row = None
        elif token.type == "inline":
            if row is not None:
                row.append(token)
            else:
                block_links([token], not excluded, first_line, links, within)
    return Body(tuple(links), tuple(logs))


def clean_text(children: list[Any]) -> str:
    parts = []
    for child in children:
        if child.type == "text":
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type in ("wikilink", "code_inline", "image", "html_inline"):
            parts.append(" ")
    return "".join(parts)


def block_links(
    inlines: list[Any],
    counts: bool,
    first_line: int,
    out: list[LinkRef],
    callouts: tuple[str, ...] = (),
) -> None:
    found: list[tuple[str, int, bool]] = []
    texts = []
    for inline in inlines:
        line = inline.map[0] + first_line
        for child in inline.children:
            if child.type == "wikilink":
                if not child.meta.get("embed"):
                    found.append((child.content, line, False))
            elif child.type == "link_open":
                href = _internal_href(child.attrs.get("href"))
                if href:
                    found.append((href, line, True))
            elif child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "html_inline":
                line += child.content.count("\n")
        if found:
            texts.append(clean_text(inline.children))
    marks = _block_marks("\n".join(texts)) if found and counts else NO_MARKS
    out.extend(LinkRef(target, line, counts, marks, md, callouts) for target, line, md in found)


def read(text: str, first_line: int = 1, chunk_lines: int = 2000, most: int = 50_000) -> Body:
    return _read_tokens(strip_comments(text), first_line, (), chunk_lines, most)


def links_and_logs(found: Body) -> tuple[Any, Any]:
    return found.links, found.logs


# -- small versions of the hostile notes read as the whole text reads ---------------------------


def nested_tasks(depth: int, size: int, tail: str = "") -> str:
    block = "".join("  " * k + "- [ ] x\n" for k in range(depth))
    return block * (size // len(block)) + tail


HOSTILE = {
    "unclosed-wikilinks": "[[" * 3000,
    "unclosed-wikilinks-then-one": "[[" * 3000 + " [[X]]\n",
    "percent": "%" * 20_000,
    "percent-lines": "%\n" * 1000 + "[[X]]\n",
    "percent-and-backticks": "`%%" * 5_000 + "\n[[X]]\n",
    "nested-tasks": nested_tasks(2, 5000),
    "nested-tasks-and-a-link": nested_tasks(2, 5000, "- [[X]] 2026-11-20\n"),
    "deeper-and-deeper": "".join("  " * k + "- [ ] x [[X]]\n" for k in range(60)),
    "sawtooth": nested_tasks(9, 5000, "\n- 2026-11-20 call [[X]]\n"),
    "quotes": "> [[X]] a\n" * 500,
    "references": "[a]: People/A.md\n\n" + "[x][a] [y] [[B]]\n" * 500 + "[y]: Y.md\n",
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_small_hostile_bodies_read_as_the_whole_text_reads(text: str) -> None:
    whole = read_whole(text, 3)
    assert links_and_logs(parse_body(text, 3)) == links_and_logs(whole)
    assert links_and_logs(parse_body_tokens(text, 3)) == links_and_logs(whole)
    assert links_and_logs(read(text, 3, chunk_lines=7)) == links_and_logs(whole)


def test_a_body_that_can_hold_nothing_is_not_parsed() -> None:
    """No `[[` with a `]]`, no `](` nor `]:`, no date that may open an item: markdown-it is not
    asked (it took a minute on 5 MB of `[[`, and 1 GB on 5 MB of nested tasks)."""
    for text in ("[[" * 100_000, nested_tasks(3, 500_000), "[" * 100_000 + "]"):
        start = time.perf_counter()
        assert parse_body(text) == Body()
        assert time.perf_counter() - start < 1
    assert parse_body("- [x] 2026-11-20 call\n").logs  # a checked task's date is one
    assert parse_body("[a]: A.md\n\n[a]\n").links  # so is a reference


# -- chunks and lazy inlines: exactly the whole text's reading ----------------------------------

INDENTS = ["", "", "  ", "    ", "   ", " ", "      ", "\t", "        "]
MARKERS = ["- ", "- ", "* ", "+ ", "1. ", "2. ", "1) ", "> ", "> - ", "- > ", "", "", "-", "- - "]
TASKS = ["", "", "[ ] ", "[x] ", "[-] ", "[X] "]
WORDS = [
    "[[A]]",
    "2026-11-20 call",
    "[[2026-11-20]] x",
    "text",
    "[b](B.md)",
    "[c][r]",
    "[r]",
    "#gave",
    "[kind:: visit]",
    "```",
    "~~~",
    "<div>",
    "</div>",
    "<!--",
    "-->",
    "| a | b |",
    "|---|---|",
    "---",
    "===",
    "[r]: /R.md",
    "[s]:\n/S.md",
    "# h [[H]]",
    "`[[code]]`",
    "*em [[E]]*",
    "[!note] x",
    "[!todo] y",
    "\\[[N]]",
    "![[Emb]]",
    "&amp;",
    "[",
    "]",
    "%%",
]
LINE = st.builds(
    lambda indent, marker, task, words: indent + marker + task + " ".join(words),
    st.sampled_from(INDENTS),
    st.sampled_from(MARKERS),
    st.sampled_from(TASKS),
    st.lists(st.sampled_from(WORDS), max_size=3),
)
# Nested deeper and deeper: past markdown-it's nesting limit the rest is not read.
DEEP = st.builds(
    lambda depth, mark, text: "".join("  " * k + mark + text + "\n" for k in range(depth)),
    st.integers(0, 14),
    st.sampled_from(["- ", "> ", "- > ", "1. ", "-   "]),
    st.sampled_from(["a [[D]]", "a", "[ ] a", ""]),
)
BODY = st.lists(st.one_of(LINE, LINE, LINE, st.just(""), DEEP), max_size=30).map("\n".join)


@settings(max_examples=150, deadline=None)
@given(BODY, st.sampled_from([1, 3, 5, 6, 9]))
def test_chunks_read_as_the_whole_text_reads(text: str, chunk_lines: int) -> None:
    """markdown-it reads a chunk of whole top-level blocks at a time and parses an inline only
    where a link or a log may stand: the result is the whole text's."""
    whole = read_whole(text, 2)
    assert links_and_logs(read(text, 2, chunk_lines)) == links_and_logs(whole)
    assert links_and_logs(parse_body(text, 2)) == links_and_logs(whole)


def test_a_reference_defined_further_down_applies_in_an_earlier_chunk() -> None:
    text = "[x][far]\n\n" + "para\n\n" * 50 + "[far]: People/Far.md\n"
    assert [link.target for link in read(text, chunk_lines=6).links] == ["People/Far.md"]


# -- where markdown-it gives up, the line is reported -------------------------------------------


def test_nesting_past_markdown_its_limit_is_reported_where_it_starts() -> None:
    nested = "".join("  " * k + "- a\n" for k in range(12))
    text = "- 2026-11-01 call [[A]]\n\n" + nested + "\n- 2026-11-20 call [[B]]\n"
    found = parse_body(text, 5)
    assert links_and_logs(found) == links_and_logs(read_whole(text, 5))
    assert [link.target for link in found.links] == ["A"]  # markdown-it skips the rest…
    ((line, code, message),) = found.problems  # … and says so
    assert (line, code) == (5 + 2 + 9, "too-large") and "nested too deep" in message


def test_a_block_too_long_to_hold_is_reported_not_read() -> None:
    """One top-level block of more lines than markdown-it is given at once (its tokens are
    all held): reported at its first line, nothing read from there."""
    text = "[[A]]\n\n" + "line\n" * 1010 + "[[B]]\n"
    found = read(text, 1, chunk_lines=50, most=1000)
    assert [link.target for link in found.links] == ["A"]
    ((line, code, message),) = found.problems
    assert (line, code) == (3, "too-large") and "too long to read" in message


def test_a_paragraph_with_too_many_marks_is_reported_not_read() -> None:
    text = "[" * (body_module.MAX_INLINE_MARKS + 1) + "](x.md) [[A]]\n"
    start = time.perf_counter()
    found = parse_body(text, 4)
    assert time.perf_counter() - start < 2
    assert found.links == ()
    ((line, code, message),) = found.problems
    assert (line, code) == (4, "too-large") and "split it" in message


def test_reports_reach_the_parsed_note() -> None:
    nested = "".join("  " * k + "- a\n" for k in range(12))
    note = parse_note(b"---\ncircle: close\n---\n- 2026-11-01 call\n\n" + nested.encode())
    assert [p[:2] for p in note.body.problems] == [(15, "too-large")]
    assert len(note.props.records) == 1


# -- linear time, bounded memory ----------------------------------------------------------------


def seconds(work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(2):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.parametrize(
    "unit",
    [
        pytest.param("%", id="percent"),
        pytest.param("`%%", id="backtick-then-comment"),
        pytest.param("%%`", id="comment-then-backtick"),
        pytest.param("`a` ", id="code-spans-before-one-comment"),
    ],
)
def test_comments_are_stripped_in_linear_time(unit: str) -> None:
    """Four times the text takes about four times as long (sixteen, when each `%%` looked for a
    backtick to the line's end: 5 MB of `%` took a minute)."""
    small, large = unit * 10_000 + "%%", unit * 40_000 + "%%"
    assert seconds(lambda: strip_comments(large)) < 8 * seconds(lambda: strip_comments(small))


def test_strip_comments_keeps_what_a_code_span_holds() -> None:
    assert strip_comments("a %% b %% c `%% d` %% e\n") == "a  c `%% d` \n"
    assert strip_comments("``x`%% y\n") == "``x`\n"  # an unclosed run is no code span
    assert strip_comments("a ```x``%%`` %% y\n") == "a ```x``%%`` \n"


def test_the_reference_holds_one_chunk_of_tokens_at_a_time() -> None:
    """Nested tasks with one link, read with markdown-it: twice the text, about the same peak
    (before chunks, the tokens of the whole text: a gigabyte for 5 MB)."""

    def peak(text: str) -> int:
        tracemalloc.start()
        found = read(text, 1, chunk_lines=50)
        tracemalloc_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert [link.target for link in found.links] == ["X"]
        return tracemalloc_peak

    small = peak(nested_tasks(2, 8000, "[[X]]\n"))
    large = peak(nested_tasks(2, 16_000, "[[X]]\n"))
    assert large < 1.3 * small


# -- the frontmatter: one pass over the parser's events, as the node graph reads it -------------


def assert_read_as_the_node_graph_reads(text: str) -> None:
    """When the event pass reads `text`, it gives the node graph's values and lines, or its
    problem."""
    lines: dict[tuple[str | int, ...], int] = {}
    streamed = frontmatter._stream_load(text, lines, 2)
    if streamed is None:
        return
    reference_lines: dict[tuple[str | int, ...], int] = {}
    data, error = frontmatter._load_nodes(text, reference_lines, 2)
    assert streamed[1] == error
    if error is None:
        assert typed(streamed[0]) == typed(data)
        assert lines == reference_lines


ODD = [
    "a: 1\na: 2",
    "a:\n  b:\n    c: 1\n    c: 2\n  b: 3",
    "a:\n  - x: 1\n    x: 2\n  - y: 1\n    y: 2",
    "b: &x 1\nc: *x",
    "a: [1\nb: 2",
    "a: !!str 1",
    "<<: {b: 1}",
    "? [a]\n: 1",
    "1: a\nb: 2",
    "2026-02-30: x",
    "a: 2026-02-30\nb: [2026-02-30, 1]",
    "- a",
    "- a\n- &x b",
    "- [a",
    "just text",
    "a: 1\n...\nb: 2",
    "a: 'x' # c\nb:\n  - {p: q, r: [s, t]}\n  - |\n    text\n",
    "a: 0x_",
    "k: \x07",
    "".join("  " * k + f"k{k}:\n" for k in range(34)) + "  " * 34 + "z: 1\nz: 2\nz: 3",
]


@pytest.mark.parametrize("text", ODD)
def test_odd_frontmatter_reads_as_the_node_graph_reads_it(text: str) -> None:
    assert_read_as_the_node_graph_reads(text + "\n")


@settings(max_examples=300, deadline=None)
@given(document, st.sampled_from(["", "# a comment\n", "x: 'a # b'\n", "y: {p: 1}\n"]))
def test_the_event_pass_reads_as_the_node_graph_reads(rows: list[str], extra: str) -> None:
    assert_read_as_the_node_graph_reads(extra + "\n".join(rows) + "\n")


def test_a_long_frontmatter_costs_little_more_than_its_values() -> None:
    """100,000 interactions entries cost 342 MB in the node graph (a node and two marks per
    value); the event pass holds only the values and their lines."""
    entry = "  - date: 2026-11-{:02}\n    kind: call\n"
    entries = "".join(entry.format(1 + i % 28) for i in range(2000))
    text = f"# (a comment: not the line reader's)\ninteractions:\n{entries}"

    def peak(load: Callable[[str, dict[Any, int], int], tuple[Any, Any] | None]) -> int:
        tracemalloc.start()
        data, error = load(text, {}, 2) or (None, None)
        found = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert error is None and data is not None and len(data["interactions"]) == 2000
        return found

    assert peak(frontmatter.load_yaml) < peak(frontmatter._load_nodes) / 3


def test_a_frontmatter_only_the_node_graph_reads_is_bounded() -> None:
    text = "a: !!str 1\n" + "b:\n" + "  - x\n" * (frontmatter.MAX_NODE_GRAPH // 6)
    data, error = frontmatter.load_yaml(text, {}, 2)
    assert data is None and error is not None
    assert (error.code, error.line) == ("too-large", 2) and "!!" in error.message
    assert frontmatter.load_yaml("a: !!str 1\n", {}, 2) == ({"a": "1"}, None)


def test_many_invalid_entries_are_validated_a_slice_at_a_time() -> None:
    entries = [{"date": "2026-11-02", "minutes": -1}] * 2500 + [{"kind": "call"}, 7]
    data = {"interactions": entries, "circle": 3, "aliases": "x"}
    jsonable = props._jsonable(data)
    from entraide import schemas

    assert props._schema_errors(data) == list(schemas.errors("contact", jsonable))
