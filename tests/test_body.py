"""Which links count, found on markdown-it-py tokens; body logs; comments; conflict markers."""

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from entraide.parse.body import (
    Body,
    _simple_body,
    conflict_marker_lines,
    parse_body,
    parse_body_tokens,
    strip_comments,
)

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
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=12), st.integers(1, 30))
def test_simple_bodies_parse_like_markdown_it(lines: list[str], first_line: int) -> None:
    text = "\n".join(lines) + "\n"
    fast = _simple_body(text, first_line)
    if fast is not None:
        assert fast == parse_body_tokens(text, first_line)
    assert parse_body(text, first_line) == parse_body_tokens(text, first_line)


def test_the_fast_path_takes_a_typical_contact_note() -> None:
    text = "# Jane\n\nMet at a conference.\n\n## Log\n- 2026-10-20 lunch: ok #asked\n"
    assert _simple_body(text, 5) == parse_body_tokens(text, 5) != Body()
