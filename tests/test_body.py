"""Which links count, found on markdown-it-py tokens; body logs; comments; conflict markers."""

import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from entraide.parse.body import (
    Body,
    _has_date_line,
    _marks,
    _marks_ignore_emphasis,
    _mask_fences,
    _simple_body,
    conflict_marker_lines,
    parse_body,
    parse_body_tokens,
    strip_comments,
)
from entraide.parse.frontmatter import parse as parse_frontmatter

GEN_VAULT = Path(__file__).resolve().parent.parent / "scripts" / "gen_vault.py"

TEXT = """\
# Heading [[H1]] #gave
Para [[A]] and [[B|bee]] #news [asked:: help]
second line [[C#Head]] ![[Embed]] `[[Code]]`

- [ ] plan [[Plan]]
  - nested [[Nested]]
- [x] done [[Done]]
- [-] cancelled [[Cancel]]
> quote [[Quote]]

> [!note] Callout
> with [[InCallout]]

```
[[Fenced]]
```
%% comment [[Comment]]

still [[Comment2]] %% after [[After]]
<!-- [[Html]] -->
| a | b |
|---|---|
| [[T1\\|x]] | [[T2]] #asked |
[md](People/Jane%20Doe.md) [ext](https://x.com/a.md) ![img](Pic.md)
"""


def test_link_contexts() -> None:
    body = parse_body(TEXT, first_line=10)
    found = {link.target: (link.line, link.counts) for link in body.links}
    assert found == {
        "H1": (10, True),
        "A": (11, True),
        "B|bee": (11, True),
        "C#Head": (12, True),
        "Plan": (14, False),
        "Nested": (15, False),
        "Done": (16, True),
        "Cancel": (17, False),
        "Quote": (18, False),
        "InCallout": (21, True),
        "After": (28, True),
        "T1|x": (32, True),
        "T2": (32, True),
        "People/Jane Doe.md": (33, True),
    }


def test_flags_apply_to_every_link_of_their_block_only() -> None:
    body = parse_body(TEXT)
    marks = {link.target: link.marks for link in body.links}
    assert marks["H1"].gave and not marks["A"].gave
    assert marks["A"].news and marks["A"].asked and marks["A"].asked_text == "help"
    assert marks["C#Head"].news  # same paragraph, next line
    assert marks["T1|x"].asked and marks["T2"].asked  # one table row is one block
    assert not marks["Done"].news


def test_body_logs() -> None:
    text = """\
## Log
- 2026-10-20 lunch: text #asked
- [[2026-10-21]] call [minutes:: 30] [gave:: intro]
- [x] 2026-10-22 14:30 coffee #news
  - 2026-10-23, (asked:: x) #gave/nested
- [ ] 2026-10-24 unchecked
  - 2026-10-25 under an unchecked task
- 2026-10-26 #gave
- 2026-02-30 impossible
> - 2026-10-27 quoted
"""
    logs = parse_body(text).logs
    got = [
        (
            log.date,
            log.marks.kind,
            log.marks.gave,
            log.marks.asked,
            log.marks.news,
            log.marks.minutes,
        )
        for log in logs
    ]
    assert got == [
        (date(2026, 10, 20), "lunch", False, True, False, None),
        (date(2026, 10, 21), "call", True, False, False, 30.0),
        (date(2026, 10, 22), "coffee", False, False, True, None),
        (date(2026, 10, 23), None, False, True, False, None),
        (date(2026, 10, 26), None, True, False, False, None),
        (None, "impossible", False, False, False, None),
    ]
    assert [log.line for log in logs] == [2, 3, 4, 5, 8, 9]


def test_comments_keep_lines_and_never_make_code() -> None:
    text = "a %% x\n\n    y %% b\n```\n%% kept\n```\n`%%` c\n"
    assert strip_comments(text) == "a \n\n b\n```\n%% kept\n```\n`%%` c\n"


def test_conflict_markers() -> None:
    text = "x\n<<<<<<< HEAD\na\n=======\nb\n>>>>>>> theirs\nTitle\n=======\n"
    assert conflict_marker_lines(text) == (2,)
    assert conflict_marker_lines("Title\n=======\n") == ()
    assert conflict_marker_lines("<<<<<<< HEAD\nno end\n=======\n") == ()


def test_precheck_gives_the_same_result_as_parsing() -> None:
    # Text without '[' nor a dated list item has no links and no logs.
    assert parse_body("plain text\n- item\n") == parse_body("plain text\n- item\n", 1)
    assert parse_body("- 2026-01-01 call\n").logs


@pytest.mark.parametrize(
    "text",
    ["1. \xa02026-11-02\n", "- \u30002026-11-02 call\n", "-\t\u20092026-11-02\n"]
    + ["+ \x0c2026-11-02 x\n"],
)
def test_a_date_after_any_whitespace_opens_a_log(text: str) -> None:
    # markdown-it strips an inline's content with `str.strip`: the pre-check lets these through.
    assert parse_body(text).logs
    assert parse_body(text) == parse_body_tokens(text)


NO_LINK_PIECES = ["\n", "\n", "\r", "-", "- ", "* ", "> ", "1. ", "2) ", " ", "\t", "\xa0"]
NO_LINK_PIECES += ["\u2009", "\u3000", "\x0c", "x", "2026-11-02", "2026-02-30", " call", "#gave"]
NO_LINK_PIECES += ["%%", "```"]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(NO_LINK_PIECES), max_size=12).map("".join))
def test_the_precheck_of_texts_without_a_link(text: str) -> None:
    assert parse_body(text) == parse_body_tokens(text)


# The fast path for simple bodies must give exactly markdown-it's result.
FRAGMENTS = [
    "# Title",
    "## Log",
    "### H [[A]] #gave",
    "# C#",
    "# T ##",
    "- 2026-10-20 lunch: text #asked",
    "- [[2026-10-21]] call [minutes:: 30] [gave:: intro]",
    "- 2026-10-22 14:30 coffee #news",
    "  - 2026-10-23, (asked:: x) #gave/nested",
    "+ 2026-02-30 impossible",
    "- 2026-10-24 #gave",
    "-   2026-10-25 with [[B|bee]] #news",
    "Met [[A]] and [[B#Head]] #gave",
    "continuation with [[C]]",
    "  indented [[D]] line",
    "plain text",
    "text #news here",
    "![[Embed]] and [[E]]",
    "",
    "",
    "Title",
    "===",
    "---",
    "- ",
    "1. ordered [[F]]",
    "> quote [[G]]",
    "```",
    "`[[H]]`",
    "| a | [[I]] |",
    "a *b* [[J]]",
    "[x](People/K.md)",
    "- [ ] task [[L]]",
    "- [x] done [[M]]",
    "    code [[N]]",
    "%% c %%",
    "[[O]]#gave",
    "x [kind:: call] [[P]]",
    "- 2026-11-01 [[Q]] met",
    "[[R]] [[S]]",
    # tasks: checked ones count, others (and what is nested under them) do not
    "- [ ] 2026-12-10 call: plan #asked",
    "- [x] 2024-07-18 dinner: their startup [[T]]",
    "- [X] [[2024-07-19]] lunch #gave",
    "- [-] cancelled [[U]]",
    "+ [/] half [[V]] [gave:: x]",
    "- [ ]",
    "- [x]",
    "- [ ]   ",
    "- [x]text [[W]]",
    "- [[x]]",
    "- [ ] [[Link]]",
    "  - follow-up on [[Y]] #news",
    "  - [ ] nested plan [[Z]]",
    "[x] not an item [[A]]",
    # Markdown links
    "Coffee with [Elena](People/Elena%20Ortiz.md) about it. #news",
    "[Andrés](People/Andr%C3%A9s%20Nowak.md) and [Zoé](People/Zoé%20Kim.md)",
    "[web](https://example.com/x.md) [top](#Log) [empty]() [](People/B.md)",
    "![img](Pic.md)",
    "[a](b c) [t](x.md 'title') [x](javascript:alert) [h](//host/x.md) [c](x:y.md)",
    "[kind:: call](People/K.md) [!note] [x] [a]: b",
    # quotes and callouts
    "> [!note] Idea from [[Felipe Wang]]",
    "> funding, worth a try #gave",
    "> [Andrés](People/Andr%C3%A9s%20Nowak.md) once said: ask about hiring.",
    "> [!tip]- folded [[Callout]] [minutes:: 10]",
    ">",
    "> ",
    "> > nested [[G2]]",
    ">     code",
    "> - item [[G3]]",
    # code, comments, tables
    "See `[[B]]` later. `x` [[C2]]",
    "```text\nnotes for [[Fenced]]\n```",
    "```",
    "``[[D2]]``",
    "%% remember [[A2]] %% and ![[B2]]",
    "still %% open",
    "| who | what |\n|---|---|\n| [[T1\\|x]] | topic #gave |\n| [b](People/T2.md) | catch-up |",
    "| who | what |",
    "|---|---|",
    "| [[T3]] | x |",
    "a | b [[P2]]",
]


@settings(max_examples=600, deadline=None)
@given(
    st.lists(st.sampled_from(FRAGMENTS), max_size=12),
    st.integers(1, 30),
    st.sampled_from(["\n", "\r\n"]),
)
def test_simple_bodies_parse_like_markdown_it(
    lines: list[str], first_line: int, newline: str
) -> None:
    text = ("\n".join(lines) + "\n").replace("\n", newline)
    fast = _simple_body(text, first_line)
    if fast is not None:
        assert fast == parse_body_tokens(text, first_line)
    assert parse_body(text, first_line) == parse_body_tokens(text, first_line)


def test_the_fast_path_takes_a_typical_contact_note() -> None:
    text = "# Jane\n\nMet at a conference.\n\n## Log\n- 2026-10-20 lunch: ok #asked\n"
    assert _simple_body(text, 5) == parse_body_tokens(text, 5) != Body()


def fast(text: str, first_line: int = 1) -> Body:
    """The fast path's reading of `text`, which must take it and agree with markdown-it."""
    body = _simple_body(text, first_line)
    assert body is not None, "the fast path should take this text"
    assert body == parse_body_tokens(text, first_line)
    return body


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        pytest.param("- [ ] plan [[A]]\n", False, id="unchecked"),
        pytest.param("- [x] done [[A]]\n", True, id="checked"),
        pytest.param("+ [X] done [[A]]\n", True, id="checked-upper"),
        pytest.param("- [-] cancelled [[A]]\n", False, id="other-status"),
        pytest.param("- [ ] [[A]]\n", False, id="link-right-after"),
        pytest.param("- [x]text [[A]]\n", True, id="no-space-no-task"),
        pytest.param("- [ ]\nlazy [[A]]\n", True, id="line-break-no-task"),
        pytest.param("- [ ]   \nlazy [[A]]\n", False, id="trailing-space-task"),
        pytest.param("- [[A]]\n", True, id="wikilink-no-task"),
        pytest.param("- [ ] plan\n\n[[A]] after the list\n", True, id="after-the-list"),
    ],
)
def test_tasks_on_the_fast_path(text: str, counts: bool) -> None:
    assert [link.counts for link in fast(text).links] == [counts]


def test_task_logs_on_the_fast_path() -> None:
    body = fast(
        "- [x] 2024-07-18 dinner: their startup #gave\n"
        "  - follow-up on [[A]]\n"
        "- [ ] 2026-12-10 call: plan #asked\n- [ ]\n- [x]\n"
    )
    assert [(log.date, log.marks.kind, log.marks.gave) for log in body.logs] == [
        (date(2024, 7, 18), "dinner", True)
    ]
    assert [(link.target, link.counts) for link in body.links] == [("A", True)]


@pytest.mark.parametrize(
    "text",
    [
        "- [ ] 2026-12-10 call\n  - follow-up on [[A]]\n",
        "- [ ] plan\n\n  more of the plan [[A]]\n",
        "- [/] half\n   still under it [[A]]\n",
    ],
)
def test_what_may_be_nested_under_an_unchecked_task_is_left_to_markdown_it(text: str) -> None:
    assert _simple_body(text, 1) is None
    body = parse_body(text)
    assert not body.logs and [link.counts for link in body.links] == [False]


def test_markdown_links_on_the_fast_path() -> None:
    body = fast(
        "Coffee with [Elena](People/Elena%20Ortiz.md) and [Andrés](People/Andr%C3%A9s.md)."
        " #news\n[web](https://example.com/a.md) [top](#Log) [none]() [kind:: call]\n",
        3,
    )
    assert [(link.target, link.line, link.markdown) for link in body.links] == [
        ("People/Elena Ortiz.md", 3, True),
        ("People/Andrés.md", 3, True),
    ]
    assert all(link.marks.news for link in body.links)


@pytest.mark.parametrize(
    "text",
    [
        "![img](Pic.md) [[A]]\n",
        "[a](People/B.md 'title')\n",
        "[a](<People/B C.md>)\n",
        "[a](People/B (1).md)\n",
        "[a](javascript:alert)\n",
        "[a](//host/People/B.md)\n",
        "[a [[B]]](People/C.md)\n",
        "[kind:: call]: People/X.md\n\n[[A]] [kind:: call]\n",
    ],
)
def test_doubtful_links_are_left_to_markdown_it(text: str) -> None:
    assert _simple_body(text, 1) is None
    assert parse_body(text) == parse_body_tokens(text)


def test_quotes_and_callouts_on_the_fast_path() -> None:
    body = fast(
        "> [!note] Idea from [[Felipe Wang]]\n> funding, worth a try #gave\n>\n> more [[D]]\n\n"
        "> [Andrés](People/Andr%C3%A9s.md) once said: ask about hiring.\nlazy [[B]]\n\n"
        "> plain\n>\n> [!note] too late [[C]]\n"
    )
    found = {link.target: (link.counts, link.marks.gave) for link in body.links}
    assert found == {
        "Felipe Wang": (True, True),
        "D": (True, False),
        "People/Andrés.md": (False, False),
        "B": (False, False),
        "C": (False, False),
    }


def test_code_comments_and_tables_on_the_fast_path() -> None:
    body = fast(
        "```text\nnotes for [[A]]\n```\nSee `[[B]]` later with [[C]].\n\n"
        "%% remember [[D]] %% and ![[E]] [[F]]\n\n"
        "| who | what |\n|---|---|\n| [[G\\|g]] | topic #gave |\n| [h](People/H.md) | catch-up |\n"
    )
    assert [(link.target, link.line, link.marks.gave) for link in body.links] == [
        ("C", 4, False),
        ("F", 6, False),
        ("G|g", 10, True),
        ("People/H.md", 11, False),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "x [[X]] (gave:: a\n[[A]] b)\n",  # the clean text keeps a line's inner spaces
        "- - 2024-01-01 call\n",  # a nested item's date (the pre-check missed it)
        "-\n  2024-01-01 call\n",  # an item whose text starts on the next line
        "x\r- 2024-01-01 call\n",  # a lone CR ends a line for markdown-it
        "[[A]]\r[[B]]\n",
        "[[A\x00]]\n",  # markdown-it reads NUL as U+FFFD
        "-     [[A]]\n",  # an item holding indented code
        "- > [[A]]\n",  # an item holding a quote
        "a [[A]]\n\xa0\nb #gave\n",  # NBSP: no blank line for markdown-it
        "[[A]] [[]]#gave\n",  # an empty wikilink is text
        "- 2024%%x%%-01-01 call\n",  # a date joined by a stripped comment
        "- 2026-01-01 a\n\n| a |\n|---|\n| [[A]] |\n",
        "```\n<<<<<<< HEAD\na\n=======\nb\n>>>>>>> theirs\n```\n[[A]]\n",
    ],
)
def test_corner_cases_read_as_markdown_it_reads_them(text: str) -> None:
    expected = parse_body_tokens(text, 2, conflict_marker_lines(text, 2))
    assert parse_body(text, 2) == expected
    simple = _simple_body(text, 2)
    if simple is not None:
        assert simple == parse_body_tokens(text, 2)


@pytest.mark.parametrize(
    "line",
    ["|" * 100_000 + "x", ">" * 100_000, "[a" * 50_000 + "]", "`a" * 50_000, "- [ ]" * 20_000],
)
def test_the_fast_path_takes_linear_time(line: str) -> None:
    start = time.perf_counter()
    for text in (line, "| a |\n|---|\n" + line, "[[A]] " + line):
        _simple_body(text, 1)
    assert time.perf_counter() - start < 2  # quadratic: minutes


@pytest.mark.parametrize(
    "text",
    ["1-" * 50_000, "\n- 1" * 30_000, "`" * 100_000 + "x`", "x" + "`" * 100_000, "```\n" * 30_000]
    + ["#" * 100_000, ":*" * 50_000, "#gave*" * 20_000, "\n- |" * 30_000, "\r- 1" * 30_000],
)
def test_the_quicker_searches_take_linear_time(text: str) -> None:
    start = time.perf_counter()
    _has_date_line(text)
    _mask_fences(text)
    _simple_body(text, 1)
    _marks(text)
    _marks_ignore_emphasis(text)
    assert time.perf_counter() - start < 2  # quadratic: minutes


def test_every_body_of_the_generated_vault_reads_as_markdown_it_reads_it(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    subprocess.run(
        [sys.executable, str(GEN_VAULT), str(root), "--contacts", "300"],
        check=True,
        capture_output=True,
    )
    notes = sorted(root.rglob("*.md"))
    assert len(notes) > 1000
    taken = 0
    for note in notes:
        fm = parse_frontmatter(note.read_bytes().decode("utf-8"))
        text, first_line = fm.body, fm.body_line + 1
        conflicts = conflict_marker_lines(text, first_line)
        assert parse_body(text, first_line) == parse_body_tokens(text, first_line, conflicts), note
        taken += _simple_body(text, first_line) is not None
    # The forms the generator writes are ones the fast path reads (what the benchmark measures).
    assert taken >= 0.95 * len(notes), f"the fast path read only {taken} of {len(notes)} bodies"
