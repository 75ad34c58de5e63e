"""The accelerator (pulldown-cmark's events, `parse/fastbody.py`) reads every body it takes as
the reference (markdown-it-py's tokens) reads it: on every note of the shared real vaults, on
notes built from their lines and bodies, and on generated ones; it declines what it may read
differently, and stays quick on hostile bodies."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from entraide.parse import fastbody
from entraide.parse.body import Body, parse_body, parse_body_tokens, strip_comments
from entraide.parse.frontmatter import parse as parse_frontmatter

VAULTS = Path("/work/shared/vaults")
NOTES = sorted(VAULTS.rglob("*.md")) if VAULTS.is_dir() else []
needs_vaults = pytest.mark.skipif(not NOTES, reason="the shared real vaults are not here")


def body_of(path: Path) -> tuple[str, int]:
    fm = parse_frontmatter(path.read_text(encoding="utf-8", errors="replace"))
    return fm.body, fm.body_line + 1


def agrees(text: str, first_line: int = 1) -> bool:
    """Whether the accelerator takes `text`; where it does, it must read what the reference
    reads (and `parse_body` too)."""
    plain = strip_comments(text) if "%%" in text else text
    fast = fastbody.read_body(plain, first_line)
    expected = parse_body_tokens(text, first_line)
    if fast is not None:
        assert (fast.links, fast.logs) == (expected.links, expected.logs), text
        assert not expected.problems
    body = parse_body(text, first_line)
    assert (body.links, body.logs) == (expected.links, expected.logs)
    return fast is not None


@needs_vaults
def test_every_real_note_reads_as_the_reference_reads_it() -> None:
    taken = 0
    for path in NOTES:
        text, first_line = body_of(path)
        taken += agrees(text, first_line)
    assert taken >= 0.9 * len(NOTES)  # (it declines only what it may read differently)


def _real_lines() -> list[str]:
    lines: list[str] = []
    for path in NOTES:
        lines += body_of(path)[0].split("\n")
    return sorted(set(lines)) or ["[[A]] text"]


REAL_LINES = _real_lines()
PREFIXES = ["", "", "", "", "> ", "> [!tip] ", "- ", "  - ", "- [ ] ", "- [x] ", "1. ", ">", "    "]
LOGS = ["", "", "", "2026-11-02 ", "[[2026-11-03]] lunch ", "2026-11-04 10:30 call "]


@st.composite
def real_bodies(draw: st.DrawFn) -> str:
    """Lines of the real notes, shuffled, under container marks, some of them dated."""
    lines = []
    for _ in range(draw(st.integers(1, 12))):
        line = draw(st.sampled_from(REAL_LINES))
        lines.append(draw(st.sampled_from(PREFIXES)) + draw(st.sampled_from(LOGS)) + line)
    return "\n".join(lines) + "\n"


@needs_vaults
@settings(max_examples=200, deadline=None)
@given(real_bodies())
def test_real_lines_read_as_the_reference_reads_them(text: str) -> None:
    event("taken" if agrees(text) else "declined")


@needs_vaults
@pytest.mark.parametrize("wrap", ["quote", "callout", "item", "task", "log"])
def test_real_bodies_nested_read_as_the_reference_reads_them(wrap: str) -> None:
    """Each real body inside a container, as a daily note built from real notes holds it."""
    for path in NOTES[::7]:
        text, _ = body_of(path)
        lines = text.split("\n")
        if wrap == "quote":
            nested = "\n".join("> " + line for line in lines)
        elif wrap == "callout":
            nested = "> [!todo] Plan\n" + "\n".join("> " + line for line in lines)
        elif wrap == "item":
            nested = "- [[Someone]] said\n" + "\n".join("  " + line for line in lines)
        elif wrap == "task":
            nested = "- [x] 2026-11-02 call\n" + "\n".join("    " + line for line in lines)
        else:
            nested = "- 2026-11-02 lunch " + text
        agrees(nested, 5)


# Forms the two parsers may read apart, and their neighbours, piece by piece.
PIECES = [
    *["[[A]]", "[[B|b]]", "![[E]]", "[[", "]]", "[", "]", "!", "(", ")", "[a](P/A.md)"],
    *["[c](<P/C D.md>)", "[d](javascript:x)", "[e](//h/x)", "[f](P%20F.md)", "[g](#h)"],
    *["![i](p.png)", "![[[A]]](p.png)", "<https://x.org>", "<a@b.org>", "<b>", "</b>", "<br/>"],
    *["`", "``", "`c`", "*", "**", "_", "~~", "~", "\\", "\\|", "\\[", "\\!", "&amp;", "&#91;"],
    *["&nbsp;", "\xa0", " ", " ", "  ", "\n", "\n", "\n\n", "#gave", "#donné", "[gave:: x]"],
    *["(minutes:: 5)", "x", "word", "2026-11-02", "- ", "* ", "1. ", "> ", "> [!tip] ", "#"],
    *["# ", "| ", " | ", "|---|---|", "---", "===", "```", "<!-- ", " -->", "<div>", "[x] "],
    *["[ ] ", "[-] ", "[^1]", "%%", "€", "😀", "é", ".", ":", "#gave_", "*#news*", "a_b"],
]


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=24).map("".join))
def test_doubtful_forms_read_as_the_reference_reads_them(text: str) -> None:
    event("taken" if agrees(text) else "declined")


LINE_STARTS = ["", "", "- ", "- [x] ", "- [ ] ", "> ", "> [!note] ", "| ", "  ", "1. ", "# "]
INLINE = ["[[A]]", "[[B|b]]", "[l](L.md)", "`[[C]]`", "*[[D]]*", "_x_", "**y**", "#gave"]
INLINE += ["#news", "[minutes:: 5]", "2026-11-02", "text", "<i>[[E]]</i>", "\\[[F]]", "~~s~~"]
INLINE += ["![[G]]", "| [[H]] |", "[[I\\|i]]", "&amp;", "[[J`K`]]", "[[*L*]]", "x*[[M]]*y"]


@st.composite
def lines(draw: st.DrawFn) -> str:
    out = []
    for _ in range(draw(st.integers(1, 10))):
        words = draw(st.lists(st.sampled_from(INLINE), max_size=5))
        out.append(draw(st.sampled_from(LINE_STARTS)) + " ".join(words))
        if draw(st.booleans()):
            out.append(draw(st.sampled_from(["", "|---|---|", "> ", "  more", "---"])))
    return "\n".join(out) + "\n"


@settings(max_examples=400, deadline=None)
@given(lines())
def test_generated_notes_read_as_the_reference_reads_them(text: str) -> None:
    event("taken" if agrees(text) else "declined")


# Block structure: container marks, indentation and block openers before a few inline forms
# (what found markdown-it reading lazy lines indented 4 or more apart from CommonMark).
MARKS = [" ", "  ", "   ", "    ", ">", "> ", "- ", "* ", "1. ", "2) ", "[ ] ", "[x] ", "[-] "]
MARKS += ["# ", "| ", "```", "<div>", "-", "***", "---", "==="]
WORDS = ["[[A]]", "[[B]]", "word", "2026-11-02", "call", "#gave", "[n](N.md)", "`c`", "*e*"]
WORDS += ["|", "x |", "[!tip]", "<b>", "~~", "&amp;", "\\", "_", "[[", "]]", "!"]
ROW = st.tuples(
    st.lists(st.sampled_from(MARKS), max_size=4).map("".join),
    st.lists(st.sampled_from(WORDS), max_size=4).map(" ".join),
    st.sampled_from(["", "", " ", "  "]),
)


@settings(max_examples=500, deadline=None)
@given(st.lists(ROW, min_size=1, max_size=8))
def test_block_structures_read_as_the_reference_reads_them(rows: list[tuple[str, ...]]) -> None:
    event("taken" if agrees("\n".join("".join(row) for row in rows) + "\n") else "declined")


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("> > word \n    - [[A]] \n", id="lazy-indented-list-line"),
        pytest.param(">>[[A]]\n[[A]]\n    - [[A]]\n", id="after-a-lazy-line"),
        pytest.param(">\n    >[[A]]\n", id="indented-quote-mark"),
        pytest.param("   - [ ] \n    >[[A]]\n", id="lazy-under-an-item"),
        pytest.param("    - a [[A]]\n    - b [[B]]\n", id="indented-items"),
        pytest.param("a \\[[N]] b\n- \\[[M]]\n- \\[x] 2026-11-02 call\n", id="escaped-brackets"),
        pytest.param("\\![[E]] and [[A\\|b]] \\\\[[C]]\n", id="escaped-embed"),
        pytest.param("| a | b |\n|---|---|\n| [[T\\|x]] | y |\n", id="escaped-pipe-in-a-cell"),
        pytest.param("[[Overview of `code`]] and [[a *b* c]]\n", id="forms-in-a-wikilink"),
        pytest.param("`[[A]]` <span title='[[B]]'>x</span> [[C]]\n", id="wikilinks-in-code"),
        pytest.param("![alt [[A]]](p.png) [see [[B]]](B.md)\n", id="wikilinks-in-links"),
        pytest.param("*a [[b*]] c* [[d]]\n", id="emphasis-across-a-wikilink"),
        pytest.param("- 2026-11-02\n  ![x](y) lunch\n", id="image-opens-the-second-line"),
        pytest.param("> [!TODO]\n> [[A]]\n\n> [!tip\n> x] [[B]]\n", id="callout-types"),
        pytest.param("[[A]] ~~struck #gave~~\n", id="strikethrough"),
        pytest.param("[a]: A.md\n\n[[A]] [a]\n", id="reference-definition"),
        pytest.param("- [ ] a\n\tb [[A]]\n", id="tab"),
        pytest.param("text\n| a | b |\n|---|---|\n| [[A]] | x |\n", id="table-after-text"),
        pytest.param("- x\n  | a |\n  |---|\n  | [[A]] |\n", id="table-in-an-item"),
        pytest.param("a [[A]]\r\n- 2026-11-02 x\r\n\r\n| a |\r\n|---|\r\n| [[C]] |\r\n", id="crlf"),
        pytest.param("x\r[[A]] <i>\x00</i>\n", id="cr-and-nul"),
    ],
)
def test_corner_cases(text: str) -> None:
    agrees(text)


def test_it_takes_the_common_real_forms() -> None:
    text = (
        "# Notes [[Project]]\n\n"
        "Met [[Jane Doe|Jane]] about <b>x</b> `code` and ![[img.png]] #gave\n\n"
        "- 2026-11-02 lunch with [[Ann]] [minutes:: 60]\n"
        "- [x] 2026-11-03 call [[Bob]]\n"
        "- [ ] plan [[Cy]]\n\n"
        "> [!tip] Try [[Dee]]\n\n"
        "| who | what |\n|---|---|\n| [[Eve]] | [site](People/Eve%20E.md) |\n\n"
        "```\n[[Code]]\n```\n<div>\n[[Html]]\n</div>\n"
    )
    assert agrees(text)
    body = parse_body(text)
    assert [link.target for link in body.links if link.counts] == [
        "Project",
        "Jane Doe|Jane",
        "Ann",
        "Bob",
        "Dee",
        "Eve",
        "People/Eve E.md",
    ]


HOSTILE = {
    "brackets": "[[a]] " + "[[" * 100_000,
    "links": "[[a]] " + "[a](" * 50_000,
    "emphasis": "[[a]] " + "*a _b " * 40_000,
    "nested": "".join("  " * (k % 8) + "- [x] [[a]]\n" for k in range(15_000)),
    "quotes": "> [[X]] a\n" * 20_000,
    "table": "| a | b |\n|---|---|\n" + "| [[x]] | y |\n" * 15_000,
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_bodies_stay_quick(text: str) -> None:
    """What the accelerator takes is read in linear time; larger bodies go to the reference,
    which reads them a chunk at a time (tests/test_hostile_bodies.py)."""
    start = time.process_time()
    fast = fastbody.read_body(text)
    assert time.process_time() - start < 3
    if fast is not None:
        assert fast == Body(parse_body_tokens(text).links, parse_body_tokens(text).logs)
