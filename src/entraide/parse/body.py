"""The body of a note: its links, the context each one stands in, and its dated log items.

Contexts are told apart on markdown-it-py tokens, never with regular expressions on raw text:
a link counts unless it stands in code, an embed, a comment, a blockquote that is not a
callout, or a task that is not checked (and everything nested under one). A fast path reads
the common forms without markdown-it, and pulldown-cmark (`fastbody.py`, compiled) most real
notes; differential tests prove both give the same result wherever they answer.

A note may be up to 5 MB, and written to hurt: markdown-it reads a body a chunk of whole
top-level blocks at a time, skips what can hold nothing, and parses an inline only where a link
or a log may stand, which keeps time and memory linear and bounded; where markdown-it itself
gives up (nesting past its limit) or would hold too much at once, the line is reported.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from datetime import date
from functools import cache, partial
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import unquote

if TYPE_CHECKING:  # markdown-it-py is imported when a body needs it, not at start-up
    from markdown_it import MarkdownIt
    from markdown_it.rules_block import StateBlock
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token
from entraide.parse.values import ImpossibleDate, to_date

# A `#` at the start or after whitespace (the lookbehind comes after the `#` so that the
# search jumps from `#` to `#` instead of trying every position: ten times quicker). The French
# tags too (DESIGN §11), accents optional, composed (NFC) or not (NFD: `e` then U+0301); a
# combining mark after the tag makes it another word (`#donne\u0301e`). Groups: gave, asked,
# news.
_COMBINING = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_FLAG_TAG = re.compile(
    r"#(?<!\S#)(?:(gave|donn(?:e\u0301?|é))|(asked|demand(?:e\u0301?|é))|(news|nouvelles))"
    rf"(?![\w/\-{_COMBINING}])",
    re.IGNORECASE,
)
# What a flag tag reads after its `#`: the longest, `nouvelles`, and the character that ends it.
_FLAG_TAG_REACH = 10
_FIELD = re.compile(r"[\[(]\s*(kind|minutes|gave|asked|news)\s*::\s*([^\])]*?)\s*[\])]", re.I)
_TASK = re.compile(r"\[(.)\](?:[ \t]|$)")
_CALLOUT = re.compile(r"\[!(\w[^\]]*)\][+-]?(?:\s|$)")  # (group 1: its type)
# (Group 3: the first word after the date, as `split()` finds it.)
_LOG_DATE = re.compile(
    r"(\[\[)?(\d{4}-\d{2}-\d{2})(?(1)\]\])(?:[ \t]+\d{1,2}:\d{2}(?::\d{2})?)?(?=[\s,.;:]|$)\s*(\S*)"
)
# A date that may open a list item's text: only container marks before it on its line
# (`-`, `1.`, `>`, and any whitespace but "\n", which `strip` removes from an inline's content;
# the text of an item whose marker line is empty starts a line). Searched in "\n" + text with
# "\r" read as "\n" (a literal first is much quicker than `^`).
_DATE_LINE = re.compile(
    r"\n[-*+>.)\d\t\x0b\x0c\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*"
    r"\d{4}-\d\d-\d\d"
)
# A checked task's date, as `_TASK` and `strip` find it (`_may_hold_anything`).
_CHECKED_DATE = re.compile(r"\[[xX]\][ \t]\s*\d{4}-\d\d-\d\d")
# Where markdown-it need not read the text (`_skip_to`): up to a line holding one of these.
# Anything but a link (`[[`, `](`; with reference definitions, any `]`) or a dated item,
# except where a block could be open at the start of a line (a fence, HTML, a tab's column)
# or nesting could reach markdown-it's limit: 20 levels take 20 characters before a line's
# text (a list's two levels, its mark and a space or more; a quote's one, its `>`).
_SKIP_COMMON = r"[`~<\t]|\n[ >*+\-.)0-9]{19}"
_SKIP_DATES = _CHECKED_DATE.pattern + "|" + _DATE_LINE.pattern
_STOP = re.compile(r"\[\[|\]\(|" + _SKIP_DATES + "|" + _SKIP_COMMON)
_STOP_WITH_REFERENCES = re.compile(r"\[\[|\]|" + _SKIP_DATES + "|" + _SKIP_COMMON)
_STOP_FOR_DEFINITIONS = re.compile(r"\]:|" + _SKIP_COMMON)
# A line that surely starts a top-level block or item, when no fence or HTML block is open
# and no item may hold it: a line at the left margin after a blank one, or a bullet with text
# (it ends a paragraph, a table, a quote's lazy lines, and any item indented further).
_TOP_START = re.compile(r"\n[ ]*\n(?=[^ \n])|\n(?=[-*+][ ]+[^ \n])")
_SKIP_WINDOW = 1 << 18
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_LINES = re.compile(r"[^\n]*\n|[^\n]+$")


class Marks(NamedTuple):
    """Flags and fields written in one block (or one log item)."""

    gave: bool = False
    asked: bool = False
    news: bool = False
    gave_text: str | None = None
    asked_text: str | None = None
    minutes: float | None = None
    kind: str | None = None


NO_MARKS = Marks()


class LinkRef(NamedTuple):
    target: str  # as written: wikilink inner text, or a decoded Markdown href
    line: int  # 1-based line of the file
    counts: bool  # stands in a context that counts as an interaction
    marks: Marks  # flags and fields of its block
    markdown: bool = False
    # The types of the callouts it stands in, lowercased, outermost first: what a plan
    # callout holds is a plan (settings decide which: the body is read without them).
    callouts: tuple[str, ...] = ()


class LogItem(NamedTuple):
    """A list item that starts with a date: `- 2026-10-20 lunch: text #asked`."""

    date: date | None  # None: an impossible date
    line: int
    marks: Marks
    callouts: tuple[str, ...] = ()  # as `LinkRef.callouts`
    # What the user wrote after the date and kind, tags and fields left out ("talked about
    # her move"): what to ask them about next time (DESIGN 5.1). None when nothing is left.
    text: str | None = None


class Body(NamedTuple):
    links: tuple[LinkRef, ...] = ()
    logs: tuple[LogItem, ...] = ()
    conflict_lines: tuple[int, ...] = ()  # 1-based lines of git conflict markers
    # (line, code, message): where markdown-it gave up, so what follows was not all read
    problems: tuple[tuple[int, str, str], ...] = ()


def _wikilink(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if src.startswith("![[", pos):
        start, embed = pos + 3, True
    elif src.startswith("[[", pos):
        start, embed = pos + 2, False
    else:
        return False
    closes, newlines = _marks_of(state)
    k = bisect_left(closes, start)
    if k == len(closes):
        return False
    end = closes[k]
    if end == start or bisect_left(newlines, start) != bisect_left(newlines, end):
        return False  # empty, or the next `]]` is on another line
    if not silent:
        token = state.push("wikilink", "", 0)
        token.content = src[start:end]
        token.meta = {"embed": embed}
    state.pos = end + 2
    return True


def _marks_of(state: StateInline) -> tuple[list[int], list[int]]:
    """Positions of every `]]` and newline of the inline text, found once: looking ahead from
    every `[[` would make a note full of unclosed `[[` quadratic."""
    cache = state.env.setdefault("entraide_positions", {})
    key = id(state.src)
    found = cache.get(key)
    if found is None or found[0] is not state.src:
        src = state.src
        closes, i = [], src.find("]]")
        while i >= 0:
            closes.append(i)
            i = src.find("]]", i + 1)
        newlines = [m.start() for m in re.finditer("\n", src)]
        found = (src, closes, newlines)
        cache[key] = found
    return found[1], found[2]


# markdown-it's limit on nested blocks (its `maxNesting`, the CommonMark preset's): a list
# counts two levels (the list and its item), a quote one. Past it, markdown-it skips the rest
# of the text.
_MAX_NESTING = 20


@cache
def _markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True, "maxNesting": _MAX_NESTING})
    md.enable("table").enable("strikethrough")
    md.inline.ruler.before("link", "wikilink", _wikilink)
    # Where markdown-it gives up on nesting, it says nothing: the line is noted for a report.
    setattr(md.block, "tokenize", partial(_tokenize_noting_depth, md.block.tokenize))  # noqa: B010
    return md


def _tokenize_noting_depth(
    tokenize: Callable[[StateBlock, int, int], None], state: StateBlock, start: int, end: int
) -> None:
    """markdown-it's block tokenizer, which skips to `end` when nested too deep (at the first
    line that is neither blank nor less indented than the block): that line is noted in the
    environment as `entraide_too_deep`."""
    if state.level >= _MAX_NESTING:
        line = state.skipEmptyLines(start)
        if line < end and state.sCount[line] >= state.blkIndent:
            state.env.setdefault("entraide_too_deep", line)
    tokenize(state, start, end)


def strip_comments(text: str) -> str:
    """Remove Obsidian comments (`%% … %%`, across blocks too) outside code, keeping lines.

    Only the line endings of a comment stay, so line numbers hold and no text left behind
    turns into an indented code block. Linear in the text: each search starts where the last
    one stopped (a line of `%` alone made every `%%` look for a backtick to the line's end).
    """
    if "%%" not in text:
        return text
    out: list[str] = []
    in_comment = False
    fence: str | None = None
    for line in _LINES.findall(text):  # "\n" only: U+2028 and friends are not line ends here
        if not in_comment:
            m = _FENCE.match(line)
            if fence is not None:
                closes = m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence)
                if closes and m and not line[m.end() :].strip():
                    fence = None
                out.append(line)
                continue
            if m:
                fence = m.group(1)
                out.append(line)
                continue
        if "%%" not in line and not in_comment:
            out.append(line)
            continue
        kept, in_comment = _strip_line(line, in_comment)
        out.append(kept)
    return "".join(out)


_BACKTICKS = re.compile(r"`+")


def _strip_line(line: str, in_comment: bool) -> tuple[str, bool]:
    """One line of `strip_comments`: what is kept of it, and whether a comment is still open
    at its end. A code span (a run of backticks, closed by a run at least as long) keeps the
    `%%` it holds. The next `%%` and the next backtick are looked for again only once passed,
    and a run of backticks that nothing closes is told so by `_Runs` without a search."""
    res: list[str] = []
    i = 0
    n = len(line)
    marks = line.find("%%")  # the next `%%` at or after `i`, or -1
    tick = -2  # the next backtick at or after `i` (-1: none), once looked for
    runs: _Runs | None = None
    while i < n:
        if 0 <= marks < i:
            marks = line.find("%%", i)
        if in_comment:
            if marks < 0:
                res.append(_newlines(line[i:]))
                break
            i, in_comment = marks + 2, False
            continue
        if marks < 0:
            res.append(line[i:])
            break
        if tick == -2 or 0 <= tick < i:
            tick = line.find("`", i)
        if 0 <= tick < marks:
            m = _BACKTICKS.match(line, tick)
            start = m.end() if m else tick + 1
            run = start - tick
            if runs is None:
                runs = _Runs(line)
            close = line.find("`" * run, start) if runs.has_run(start, run) else -1
            stop = start if close < 0 else close + run
            res.append(line[i:stop])
            i = stop
            continue
        res.append(line[i:marks])
        i, in_comment = marks + 2, True
    return "".join(res), in_comment


class _Runs:
    """The runs of backticks of one line, to tell at once whether `run` backticks in a row
    stand anywhere from a position on (`str.find` would search to the line's end)."""

    def __init__(self, line: str) -> None:
        self.ends: list[int] = []
        lengths: list[int] = []
        for m in _BACKTICKS.finditer(line):
            self.ends.append(m.end())
            lengths.append(m.end() - m.start())
        # The longest run from each run on.
        self.longest = lengths + [0]
        for k in range(len(lengths) - 1, -1, -1):
            self.longest[k] = max(lengths[k], self.longest[k + 1])
        self.lengths = lengths

    def has_run(self, pos: int, run: int) -> bool:
        k = bisect_right(self.ends, pos)  # the first run ending after `pos`
        if k == len(self.ends):
            return False
        inside = min(self.lengths[k], self.ends[k] - pos)  # (of that run, from `pos` on)
        return inside >= run or self.longest[k + 1] >= run


def _newlines(text: str) -> str:
    """What is left of commented-out text: its line ending, so lines keep their numbers."""
    return text[len(text.rstrip("\r\n")) :]


def conflict_marker_lines(text: str, first_line: int = 1) -> tuple[int, ...]:
    """Lines (1-based) of `<<<<<<< ` that open a complete git conflict (=======, >>>>>>> )."""
    if "<" not in text or "<<<<<<< " not in text:  # (one character is found much quicker)
        return ()
    found: list[int] = []
    start: int | None = None
    middle = False
    for n, line in enumerate(text.split("\n")):
        line = line.removesuffix("\r")
        if line.startswith("<<<<<<< ") and start is None:
            start, middle = n, False
        elif start is not None and not middle and line == "=======":
            middle = True
        elif start is not None and middle and line.startswith(">>>>>>> "):
            found.append(start + first_line)
            start = None
    return tuple(found)


def parse_body(text: str, first_line: int = 1) -> Body:
    """Links and log items of a body whose first line is line `first_line` of the file.

    Text that can hold neither a link nor a dated list item is not parsed at all; text made
    only of the common forms (paragraphs, headings, lists and tasks, emphasis, simple quotes
    and callouts, fenced code, simple tables) goes through `_simple`, the quickest; most other
    text through pulldown-cmark (`fastbody.read_body`, compiled); markdown-it-py reads the
    rest. The tests prove that each gives markdown-it's result wherever it answers.
    """
    conflicts = conflict_marker_lines(text, first_line)
    # (markdown-it reads this; one character is found much quicker than two)
    plain = strip_comments(text) if "%" in text and "%%" in text else text
    if not _may_hold_anything(plain):
        return Body(conflict_lines=conflicts)
    quick = _simple(plain, first_line)
    if quick is None:
        quick = _accelerated(plain, first_line)
    if quick is not None:
        return Body(quick.links, quick.logs, conflicts) if conflicts else quick
    return _read_tokens(plain, first_line, conflicts)


def _accelerated(text: str, first_line: int) -> Body | None:
    """`fastbody.read_body`, or None where pyromark cannot be imported (the reference then
    reads every body: slower, the same result)."""
    try:
        from entraide.parse.fastbody import read_body
    except ImportError:
        return None
    return read_body(text, first_line)


def _may_hold_anything(text: str) -> bool:
    """Whether comment-free `text` may hold a link or a dated list item, as markdown-it reads
    it: a wikilink needs `[[` and `]]`, a Markdown link `](` or a reference definition (`]:`;
    an autolink's target always has a scheme), a log a date that may open an item's text, or
    a checked task's."""
    if "[" in text and (
        ("[[" in text and "]]" in text)
        or "](" in text
        or "]:" in text
        or _CHECKED_DATE.search(text) is not None
    ):
        return True
    return _has_date_line(text)


def _has_date_line(text: str) -> bool:
    """Whether a line of `text` may open a dated list item (see `_DATE_LINE`)."""
    if "\r" in text:  # (a line end for markdown-it)
        text = text.replace("\r", "\n")
    return _DATE_LINE.search("\n" + text) is not None


def parse_body_tokens(text: str, first_line: int = 1, conflicts: tuple[int, ...] = ()) -> Body:
    """Links and log items found on markdown-it-py's tokens (the reference)."""
    return _read_tokens(strip_comments(text) if "%%" in text else text, first_line, conflicts)


# markdown-it holds every token of what it parses at once (a few hundred bytes each, several a
# list item): it reads a body this many lines at a time, whole top-level blocks (see `_chunks`).
_CHUNK_LINES = 2000
# The lines after a block that decide where it ends (a table's delimiter row under the line
# that ends a paragraph is the furthest markdown-it looks), with room to spare.
_LOOKAHEAD = 4
# What markdown-it is given at most: a top-level block of more lines or tokens than this (its
# tokens, a few hundred bytes each and several a line, are all held at once), and a paragraph
# whose line breaks and markup characters (`[`, `*`, `` ` ``…: each may make a token, and each
# `[` a search for a link, ~20 µs and ~100 bytes) are more than this. No real note comes near;
# what is past them is reported, not read.
MAX_BLOCK_LINES = 50_000
MAX_BLOCK_TOKENS = 100_000
_MAX_PIPES = MAX_BLOCK_TOKENS // 2
MAX_INLINE_MARKS = 100_000
_INLINE_MARKS = "\n[]*_~`<&\\!"


def _read_tokens(
    text: str,
    first_line: int,
    conflicts: tuple[int, ...],
    chunk_lines: int = _CHUNK_LINES,
    max_block_lines: int = MAX_BLOCK_LINES,
) -> Body:
    """`parse_body_tokens` on comment-free text.

    markdown-it reads the text in chunks of whole top-level blocks, exactly as it reads the
    whole (`_chunks`), so that its tokens never fill the memory; an inline token's children
    are parsed only where a link or a log can be, and a reference definition anywhere applies
    everywhere (they are all gathered first). Where markdown-it gives up (lists or quotes
    nested deeper than its limit) or would take too long (`MAX_BLOCK_LINES`,
    `MAX_INLINE_MARKS`), the line is reported in `problems` instead of being silently misread.
    """
    if "\r" in text or "\x00" in text:  # markdown-it's own normalisation, once
        text = _NEWLINE.sub("\n", text).replace("\x00", "\ufffd")
    refs: dict[str, Any] = {}
    if "]:" in text:  # (a reference definition has one)
        for _, _, env in _chunks(text, chunk_lines, max_block_lines, _STOP_FOR_DEFINITIONS):
            for label, ref in env.get("references", {}).items():
                refs.setdefault(label, ref)
    reader = _TokenReader(first_line, refs)
    stop = _STOP_WITH_REFERENCES if refs else _STOP
    for tokens, offset, env in _chunks(text, chunk_lines, max_block_lines, stop):
        reader.read(tokens, offset)
        long = env.get("entraide_too_long")
        if long is not None:
            reader.problems.append(
                (
                    long + offset + first_line,
                    "too-large",
                    "a block (list, quote, paragraph, table…) too long to read starts here (over "
                    f"{max_block_lines:,} lines or {MAX_BLOCK_TOKENS:,} Markdown elements): "
                    "nothing is read from this line to the end of the note; break it up with "
                    "blank lines or headings",
                )
            )
        deep = env.get("entraide_too_deep")
        if deep is not None:
            reader.problems.append(
                (
                    deep + offset + first_line,
                    "too-large",
                    "lists or quotes are nested too deep here (markdown-it, which entraide "
                    f"reads notes with, stops at {_MAX_NESTING} levels: a list counts two, a "
                    "quote one): nothing is read from this line to the end of the note; "
                    "indent less",
                )
            )
    return Body(tuple(reader.links), tuple(reader.logs), conflicts, tuple(reader.problems))


def _chunks(
    text: str, chunk_lines: int, max_lines: int, stop: re.Pattern[str]
) -> Iterator[tuple[list[Token], int, dict[str, Any]]]:
    """markdown-it's block tokens of normalised `text`, a run of whole top-level blocks at a
    time: (tokens, their first line in `text`, the environment of their parse, references
    defined in them only).

    A chunk of lines is parsed; the last start or end of a top-level block (or start of a
    top-level list's item) at least `_LOOKAHEAD` lines before its end is where the next chunk
    starts (`_cut`), and what comes before is what the whole text gives: a block's end is
    decided by its own lines and the next one or two, and a list item is read the same
    whether its list starts with it or not. With no such place in the chunk (one block
    longer than it), the chunk grows, up to
    `max_lines` or `MAX_BLOCK_TOKENS` (then the block is not read: `entraide_too_long`),
    unless markdown-it gave up on nesting in it (it then skips the rest, however long).

    Lines before the next `stop` are not parsed at all when a top-level block surely starts
    after them (`_skip_to`): they hold nothing to read.
    """
    md = _markdown()
    start = 0  # offset in `text` of the chunk's first line
    first = 0  # its line number
    size = chunk_lines
    while start < len(text):
        if start:
            skipped = _skip_to(text, start, stop)
            if skipped > start:
                first += text.count("\n", start, skipped)
                start = skipped
                continue
        end = start
        lines = 0
        while lines < size and end < len(text):
            k = text.find("\n", end)
            end = len(text) if k < 0 else k + 1
            lines += 1
        # A table makes three tokens a cell: the chunk ends before its pipes pass the budget.
        wide = text.count("|", start, end) > _MAX_PIPES
        if wide:
            k = start
            for _ in range(_MAX_PIPES):
                k = text.index("|", k) + 1
            end = text.rfind("\n", start, k) + 1
            if end <= start:  # (one line holds them)
                yield [], first, {"entraide_too_long": 0}
                return
            lines = text.count("\n", start, end)
        env: dict[str, Any] = {}
        tokens: list[Token] = []
        md.block.parse(text[start:end], md, env, tokens)
        if end >= len(text):
            yield tokens, first, env
            return
        cut = _cut(tokens, env, lines - _LOOKAHEAD)
        if cut is None:
            if env.get("entraide_too_deep", lines) < lines - _LOOKAHEAD:
                yield tokens, first, env
                return
            if wide or size >= max_lines or len(tokens) > MAX_BLOCK_TOKENS:
                yield [], first, {"entraide_too_long": 0}
                return
            size = min(2 * size, max_lines)
            continue
        index, line = cut
        refs = env.get("references")
        if refs:
            env["references"] = {k: r for k, r in refs.items() if r["map"][0] < line}
        if env.get("entraide_too_deep", line) >= line:
            env.pop("entraide_too_deep", None)
        yield tokens[:index], first, env
        for _ in range(line):
            start = text.index("\n", start) + 1
        first += line
        size = chunk_lines


def _skip_to(text: str, start: int, stop: re.Pattern[str]) -> int:
    """Where a top-level block or item surely starts, after the line at `start` (which starts
    one) and before the first line that holds a `stop` (within `_SKIP_WINDOW` characters);
    `start` if nowhere. The lines before it hold nothing to read: markdown-it need not see
    them (as no fence nor HTML block opens there, none is open where it starts)."""
    end = min(len(text), start + _SKIP_WINDOW)
    found = stop.search(text, start - 1, end)  # (from the "\n" that ends the line before)
    limit = end if found is None else max(start, text.rfind("\n", start, found.start() + 1))
    last = start
    for m in _TOP_START.finditer(text, start, limit):
        last = m.end()
    return last if last < limit else start


def _inline_marks(content: str) -> int:
    """The line breaks and characters of `content` that may make markdown-it tokens."""
    return sum(content.count(c) for c in _INLINE_MARKS)


def _cut(tokens: list[Token], env: dict[str, Any], limit: int) -> tuple[int, int] | None:
    """Where a chunk's tokens may be cut, (index, line), at the latest line after the first
    and not after `limit`: where a top-level block, or an item of a top-level list, starts or
    ends (the top level goes on at the end of a block, blank lines skipped); anywhere in a
    chunk of blank lines."""
    line = 0
    for token in tokens:
        if token.map is None or token.nesting < 0:
            continue
        if token.level == 0:
            start, end = token.map
            for candidate in (start, end):
                if line < candidate <= limit:
                    line = candidate
        elif token.level == 1 and token.type == "list_item_open" and line < token.map[0] <= limit:
            line = token.map[0]
    if not tokens and not env.get("references"):
        line = limit  # (only blank lines: a reference definition, even in a list, makes none)
    if line <= 0:
        return None
    for index, token in enumerate(tokens):
        if (
            token.map is not None
            and token.nesting >= 0
            and token.map[0] >= line
            and (token.level == 0 or (token.level == 1 and token.type == "list_item_open"))
        ):
            return index, line
    return len(tokens), line


class _TokenReader:
    """Links and logs read on markdown-it's block tokens, chunk after chunk."""

    def __init__(self, first_line: int, refs: dict[str, Any]) -> None:
        self.first_line = first_line
        self.refs = refs  # the reference definitions of the whole text
        self.env: dict[str, Any] = {}  # what the inline parses of a chunk share
        self.links: list[LinkRef] = []
        self.logs: list[LogItem] = []
        self.problems: list[tuple[int, str, str]] = []
        self.callouts: tuple[str, ...] = ()  # the callouts the current token stands in

    def read(self, tokens: list[Token], offset: int) -> None:
        """The tokens of whole top-level blocks whose first line is `offset` of the text.

        Each open container: a quote or an item, and whether it excludes what it holds; a
        context counts when no open container excludes it."""
        first_line = self.first_line + offset
        self.env = {"references": self.refs} if self.refs else {}
        stack: list[tuple[bool, bool]] = []  # (excludes, is a callout)
        excluded = 0
        self.callouts = ()
        row_tokens: list[Token] | None = None
        for i, token in enumerate(tokens):
            kind = token.type
            if kind == "blockquote_open":
                callout = _callout_type(tokens, i)
                stack.append((callout is None, callout is not None))
                excluded += callout is None
                if callout is not None:
                    self.callouts += (callout,)
            elif kind == "list_item_open":
                status, inline = _task_status(tokens, i)
                bad = status is not None and status not in "xX"
                stack.append((bad, False))
                excluded += bad
                if not excluded and inline is not None:
                    item = self._log_item(inline, status is not None, first_line)
                    if item is not None:
                        self.logs.append(item)
            elif kind in ("blockquote_close", "list_item_close"):
                bad, in_callout = stack.pop()
                excluded -= bad
                if in_callout:
                    self.callouts = self.callouts[:-1]
            elif kind == "tr_open":
                row_tokens = []
            elif kind == "tr_close":
                if row_tokens:
                    self._block_links(row_tokens, not excluded, first_line)
                row_tokens = None
            elif kind == "inline":
                if row_tokens is not None:
                    row_tokens.append(token)
                else:
                    self._block_links([token], not excluded, first_line)

    def _children(self, inline: Token, first_line: int) -> list[Token]:
        """The inline token's children, parsed now (the block parse leaves them empty), as
        markdown-it's core rules `inline` and `text_join` would."""
        if inline.meta.get("entraide_parsed"):
            return inline.children or []
        inline.meta["entraide_parsed"] = True
        content = inline.content
        if len(content) > MAX_INLINE_MARKS and _inline_marks(content) > MAX_INLINE_MARKS:
            self.problems.append(
                (
                    (inline.map[0] if inline.map else 0) + first_line,
                    "too-large",
                    f"this paragraph holds over {MAX_INLINE_MARKS:,} line breaks and markup "
                    "characters ([, *, _, `, <…), more than entraide reads in one paragraph: "
                    "its links and tags are not read; split it with blank lines",
                )
            )
            inline.children = []
            return []
        from markdown_it.rules_core import StateCore, text_join

        md = _markdown()
        children: list[Token] = []
        md.inline.parse(content, md, self.env, children)
        inline.children = children
        state = StateCore("", md, self.env)
        state.tokens = [inline]
        text_join(state)
        return inline.children or []

    def _log_item(self, inline: Token, is_task: bool, first_line: int) -> LogItem | None:
        content = inline.content
        if is_task:
            content = content[3:].lstrip()
        if not _LOG_DATE.match(content):
            return None
        line = (inline.map[0] if inline.map else 0) + first_line
        item = _dated_item(content, _clean_text(self._children(inline, first_line)), line)
        return item._replace(callouts=self.callouts) if item and self.callouts else item

    def _block_links(self, inlines: list[Token], counts: bool, first_line: int) -> None:
        found: list[tuple[str, int, bool]] = []
        text_parts: list[str] = []
        refs = bool(self.refs)
        for inline in inlines:
            content = inline.content
            if not found and not (
                "[" in content
                and (
                    ("[[" in content and "]]" in content)
                    or "](" in content
                    or (refs and "]" in content)
                )
            ):
                continue  # no link can stand here, and no text is wanted yet
            children = self._children(inline, first_line)
            line = (inline.map[0] if inline.map else 0) + first_line
            for child in children:
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
                text_parts.append(_clean_text(children))
        if not found:
            return
        marks = _block_marks("\n".join(text_parts)) if counts else NO_MARKS
        for target, line, markdown in found:
            self.links.append(LinkRef(target, line, counts, marks, markdown, self.callouts))


# What the fast path leaves to markdown-it (in its text once fenced code is masked): HTML,
# escapes (but `\|` in a table row), strikethrough, entities, whitespace other than " " and
# "\n" (tabs, NBSP…: markdown-it and Python's `strip` disagree on them)…
_NOT_SIMPLE_CHAR = re.compile(
    r"[<~\t\x0b\x0c\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    r"|&[#A-Za-z0-9]|\\(?!\|)"
)
_MAYBE_NOT_SIMPLE_CHAR = re.compile(  # the same, quicker to rule out
    r"[<~\t\x0b\x0c\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000&\\]"
)
_MAYBE_NOT_SIMPLE_BYTES = b"<~\t\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0&\\"  # (its Latin-1 characters)
# … and lines that open indented code, an indented quote, a setext heading, an empty item, a
# thematic break (any line of `-`, `*`, `_` and spaces: mixed ones are left too), an item
# holding code or another block on its first line, a quote holding another block than
# paragraphs (searched in "\n" + text: quicker than `^`).
_NOT_SIMPLE_LINE_FORM = (
    r"(?=[ \d=+*_>-])(?: {4}| {1,3}>"
    r"| {0,3}(?:=+|\+|\d{1,9}[.)])[ ]*$| {0,3}[-*_][-*_ ]*$"
    r"| {0,3}(?:[-+*]|\d{1,9}[.)])(?: {5}| +(?:[-+*](?: |$)|>|#{1,6}(?: |$)|\d{1,9}[.)](?: |$)"
    r"|[-*_][-*_ ]*$))"
    r"|>[ ]?(?: {4}| {0,3}(?:[-+*](?: |$)|[>=]|#{1,6}(?: |$)|\d{1,9}[.)](?: |$)|[-*_][-*_ ]*$)))"
)
_NOT_SIMPLE_LINE = re.compile(r"\n" + _NOT_SIMPLE_LINE_FORM, re.MULTILINE)
# A line that may be a table's delimiter row (in a container too): the fast path takes it only
# under a header row that opens a block at the left margin.
_DELIMITER_LIKE_FORM = r"(?=[ >+\-|:]*[|:])[ >+\-|:]*$"
# Either, in one pass over the lines: the first line that leaves the text to markdown-it (its
# empty group matched) or may be a delimiter row (then the lines after it are searched again).
# Both start with one of the first characters looked at, and neither can be a bullet followed
# by a space and another character than these (`- word`, the common line): ruled out at once.
_NOT_SIMPLE_OR_DELIMITER_LINE = re.compile(
    rf"\n(?=[ \d=+*_>|:-])(?![-+*] [^ \d=+*_>#|:\n-])"
    rf"(?:{_NOT_SIMPLE_LINE_FORM}()|{_DELIMITER_LIKE_FORM})",
    re.MULTILINE,
)
_DELIMITER_ROW = re.compile(_DELIMITER_LIKE_FORM)  # (linear: no nested stars)
_DELIMITER_CELL = re.compile(r":?-+:?")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")  # an unescaped pipe (every backslash is one of `\|`)
_MAX_AUTOCOMPLETED_CELLS = 0x10000  # markdown-it's limit on a table's missing cells
# The inline forms the fast path reads, each within one line: a wikilink or embed (as the inline
# rule finds it), an inline Markdown link with a plain target, a bracketed text that is no link
# (no reference definition can exist: `]:` is never taken), a code span between single
# backticks. Any other `[`, `]` or backtick (a link with a title or spaces, nested brackets,
# longer backtick runs…: groups 4 to 6, found where no form starts) and any `![` but an embed's
# (an image) send the body to markdown-it. No form spans lines, so reading each line of each
# block (and each table row whole) sees every one of them. (Each alternative starts with a
# character, not a group: the search then jumps from one of these characters to the next.)
_INLINE = re.compile(
    r"\[\[(?!\]\])([^\n]*?)\]\]"
    r"|!\[\[(?!\]\])[^\n]*?\]\]"
    r"|!\["
    r"|\[([^\[\]`\n]*)\]\(([^ ()<>\[\]\\`\x00-\x1f\x7f\ud800-\udfff]*)\)"
    r"|\[[^\[\]`\n]*\](?![(:])"
    r"|`[^`\n]+`(?!`)"
    r"|\[()|\]()|`()"
)
# At the left margin only: "```" not after another character than "\n" (a literal first and a
# look behind are much quicker than `^`).
_FENCE_OPEN = re.compile(r"(```(?<![^\n]```)`*)[^`\n]*$", re.MULTILINE)
# What markdown-it's table rule may take for a delimiter row (`---` too: one column).
_TABLE_DELIMITER_LINE = re.compile(r"[ \t]*[-|:][-|: \t]*$", re.MULTILINE)
_HEADING = re.compile(r" {0,3}#{1,6}(?:[ ]+|$)")
# A list item's marker (an ordered one's number in group 1: ASCII digits only, as markdown-it
# reads it) and the spaces after it.
_ITEM_MARKER = re.compile(r" {0,3}(?:[-+*]|([0-9]{1,9})[.)])[ ]+")
_ITEM_START = "-+* 0123456789"  # what a line opening an item may start with
_CLOSING_HASHES = re.compile(r"(?:^|[ ]+)#+[ ]*$")
_BAD_PROTOCOL = ("javascript:", "vbscript:", "file:", "data:")  # markdown-it's validateLink
_NEWLINE = re.compile(r"\r\n?")
_MASK = "\x00"  # a line of fenced code (markdown-it has turned every NUL into U+FFFD)

# What emphasis could change in the flags and fields of a block (see `_marks_ignore_emphasis`).
_EMPHASIS = re.compile(r"[*_]")
_EMPHASIS_BY_TAG = re.compile(  # (literals first: quicker)
    rf"\*#|_#|#[\w{_COMBINING}]{{0,{_FLAG_TAG_REACH - 1}}}[*_]"
)
_COLON_THEN_MARK = re.compile(r":[:*_]")  # (quicker than three searches for two characters)
_FIELD_START = re.compile(r"[\[(]")
_FIELD_END = re.compile(r"[\])]")

_PARAGRAPH, _ITEM, _QUOTE, _ROW = 0, 1, 2, 3


def _simple_body(text: str, first_line: int) -> Body | None:
    """`_simple` on the text markdown-it reads: comments stripped."""
    return _simple(strip_comments(text) if "%%" in text else text, first_line)


def _simple(text: str, first_line: int) -> Body | None:
    """Paragraphs, ATX headings, bullet and ordered lists (tasks too), blockquotes made of
    paragraphs (callouts too), fenced code and tables at the left margin, with wikilinks, plain
    Markdown links, code spans, emphasis and Dataview fields: the common note, read without
    markdown-it; None for anything else or anything doubtful. `text` has its comments stripped.

    Each form is taken only where markdown-it's reading is known: a task's status is read on
    its item's text as `_TASK` reads the inline content (`- [ ]` then a line break is no task);
    nothing may be indented under a task that may be excluded; an ordered list from another
    number than 1 stands in a paragraph whose indent is known; a quote's lines start at the
    left margin and hold paragraphs only (lazy lines continue its paragraph); a table's header
    row opens a block at the left margin; emphasis stands where it cannot change a flag or a
    field (`_marks_ignore_emphasis`).
    """
    if text.count("[") > 400 and text.count("[[") > 200:  # (counting `[` is much quicker)
        return None  # (many `[[`: the regular expressions below would take quadratic time)
    if "\r" in text:  # markdown-it's own normalisation
        text = _NEWLINE.sub("\n", text)
    if "\x00" in text:
        text = text.replace("\x00", "\ufffd")
    if "`" in text and "```" in text:
        masked = _mask_fences(text)
        if masked is None:
            return None
        text = masked
    if _maybe_not_simple_char(text) and _NOT_SIMPLE_CHAR.search(text):
        return None
    lined = "\n" + text  # (line starts searched as "\n": much quicker than `^`)
    m = _NOT_SIMPLE_OR_DELIMITER_LINE.search(lined)
    if m is not None and (m.lastindex or _NOT_SIMPLE_LINE.search(lined, m.end())):
        return None
    delimiters = m is not None
    # Blocks: (kind, [(line, text without its marker, stripped)], an item's first line after
    # its marker with its trailing spaces, the number of the quote it stands in or a table's
    # number of columns).
    blocks: list[tuple[int, list[tuple[int, str]], str, int]] = []
    block: list[tuple[int, str]] = []
    columns = 0  # in a table of that many columns
    autocompleted = 0
    previous = ""
    quotes = 0  # blockquotes opened so far
    quote = False  # in a blockquote…
    quote_blank = False  # … whose last line was a blank `>`
    scope = False  # under a task that may be excluded: nothing may be nested there
    blank = False  # the previous line was blank
    # Where the open paragraph's text starts: its item's content column, 0 at the left margin;
    # -1 when unknown (a paragraph opened by an indented line: in an item or not).
    paragraph_indent = 0
    for number, line in enumerate(text.split("\n"), first_line):
        stripped = line.strip()
        if not stripped:
            block = []
            quote, blank, columns = False, True, 0
            continue
        c = line[0]
        if columns:  # a row, unless a block starts here
            if not (
                c == ">"
                or c == _MASK
                or ((c == "#" or c == " ") and _HEADING.match(line))
                or (c in _ITEM_START and _ITEM_MARKER.match(line))  # (any list ends a table)
            ):
                autocompleted += columns - len(_cells(stripped))
                if autocompleted > _MAX_AUTOCOMPLETED_CELLS:
                    return None
                blocks.append((_ROW, [(number, stripped)], "", columns))
                continue
            columns = 0
        elif delimiters and _DELIMITER_ROW.match(line):
            # A table when the line above is a header row opening a block at the left margin.
            if not (
                len(block) == 1
                and blocks[-1][1] is block
                and blocks[-1][0] == _PARAGRAPH
                and previous[:1] == "|"
            ):
                return None
            columns = _table_columns(previous, line)
            if not columns:
                return None
            blocks[-1] = (_ROW, block, "", columns)
            block = []
            autocompleted = 0
            continue
        previous = line
        if scope:
            if c == " ":
                return None  # nested under the task, or maybe: leave it to markdown-it
            if blank:
                scope = False
        blank = False
        # (The forms below start differently: they are tried in the order of their frequency.)
        if c in _ITEM_START and (m := _ITEM_MARKER.match(line)):
            if block and not quote and c not in "-+*" and m.group(1) and int(m.group(1)) != 1:
                # An ordered list that does not start at 1 interrupts no paragraph whose text
                # its line stands level with or under (markdown-it's list rule; any list ends a
                # quote): there it is a line of that paragraph.
                if paragraph_indent < 0:
                    return None
                if m.start(1) >= paragraph_indent:
                    block.append((number, stripped))
                    continue
            quote = False
            paragraph_indent = m.end()
            first = line[paragraph_indent:]
            scope = first[:1] == "[" and first[2:3] == "]" and first[1:2] not in "xX"
            block = [(number, first.strip())]
            blocks.append((_ITEM, block, first, 0))
        elif c == ">":
            if not quote:
                quote, quotes, block = True, quotes + 1, []
            scope = False
            content = line[2:] if line[1:2] == " " else line[1:]
            quote_blank = not content.strip()
            if quote_blank:
                block = []
            else:
                if not block:
                    blocks.append((_QUOTE, block, "", quotes))
                block.append((number, content.strip()))
        elif c == _MASK:
            block = []
            quote = scope = False
        elif (c == "#" or c == " ") and (m := _HEADING.match(line)):
            quote = scope = False
            part = line[m.end() :].rstrip()
            if part[-1:] == "#":
                part = _CLOSING_HASHES.sub("", part)
            if "[" in part or "]" in part or "`" in part or "\\" in part:
                blocks.append((_PARAGRAPH, [(number, part)], "", 0))  # (else it holds nothing)
            block = []
        else:
            if quote and quote_blank:  # after a blank `>`: no lazy continuation
                quote = False
            if not block:
                blocks.append((_QUOTE, block, "", quotes) if quote else (_PARAGRAPH, block, "", 0))
                paragraph_indent = 0 if c != " " else -1
            block.append((number, stripped))
    return _read_blocks(blocks, "*" in text or "_" in text)


def _maybe_not_simple_char(text: str) -> bool:
    """Whether `text` may hold a character `_NOT_SIMPLE_CHAR` looks for: a text of Latin-1
    characters (most) is searched as bytes, where deleting them is twice as quick as a regular
    expression's search."""
    try:
        raw = text.encode("latin-1")
    except UnicodeEncodeError:
        return _MAYBE_NOT_SIMPLE_CHAR.search(text) is not None
    return len(raw.translate(None, _MAYBE_NOT_SIMPLE_BYTES)) != len(raw)


def _cells(row: str) -> list[str]:
    """A table row's cells as markdown-it splits them (`row` is stripped)."""
    cells = _CELL_SPLIT.split(row)
    if cells and not cells[0]:
        cells.pop(0)
    if cells and not cells[-1]:
        cells.pop()
    return cells


def _table_columns(header: str, delimiter: str) -> int:
    """The number of columns of a table with these header and delimiter rows, as markdown-it's
    table rule finds it; 0 when they make no table."""
    row = delimiter.lstrip(" ")
    if len(row) < 2 or row[0] not in "|-:" or row[1] not in "|-: " or row[:2] == "- ":
        return 0
    if row.strip("|-: "):
        return 0
    parts = row.split("|")
    aligns = 0
    for i, part in enumerate(parts):
        part = part.strip(" ")
        if not part:
            if i == 0 or i == len(parts) - 1:
                continue
            return 0
        if not _DELIMITER_CELL.fullmatch(part):
            return 0
        aligns += 1
    header = header.strip(" ")
    if "|" not in header:
        return 0
    count = len(_cells(header))
    return count if count == aligns else 0


def _mask_fences(text: str) -> str | None:
    """`text` with every line of fenced code opened at the left margin made `_MASK`, as
    markdown-it's fence rule reads it (closed by a run at least as long, or by the end); None
    when an opening line may be a table's header row (a `|` in it, a delimiter row under it):
    markdown-it tries a table before a fence."""
    out: list[str] = []
    pos = 0
    while m := _FENCE_OPEN.search(text, pos):
        if "|" in m.group() and _TABLE_DELIMITER_LINE.match(text, m.end() + 1):
            return None
        run = len(m.group(1))
        close = re.compile(rf"\n {{0,3}}`{{{run},}}[ \t]*$", re.MULTILINE).search(text, m.end())
        end = close.end() if close else len(text)
        out += (text[pos : m.start()], "\n".join([_MASK] * (text.count("\n", m.start(), end) + 1)))
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _read_blocks(
    blocks: list[tuple[int, list[tuple[int, str]], str, int]], emphasis: bool
) -> Body | None:
    """The links and logs of the blocks `_simple` found; None when one is to leave to
    markdown-it. `emphasis`: the text holds a `*` or `_`."""
    links: list[LinkRef] = []
    logs: list[LogItem] = []
    # A quote is a callout when its first paragraph says so: its type, or None.
    callouts: dict[int, str | None] = {}
    for kind, lines, first, quote in blocks:
        if kind == _ROW:
            if not _read_row(lines[0][1], lines[0][0], quote, links, emphasis):
                return None
            continue
        if len(lines) == 1:
            line, content = lines[0]
        else:
            line, content = lines[0][0], "\n".join(part for _, part in lines)
        if "\\" in content:
            return None  # `\|` out of a table row
        if "[" not in content and "]" not in content and "`" not in content:
            # No link, task, code span nor stray bracket (the common block): at most a dated
            # item, whose text then starts with a digit.
            if kind == _ITEM and content[:1].isdigit():  # (whatever `\d` matches, `isdigit` takes)
                logged = _dated_item(content, content, line)
                if logged is not None:
                    if emphasis and not _marks_ignore_emphasis(content):
                        return None
                    logs.append(logged)
            elif kind == _QUOTE:
                callouts.setdefault(quote, None)
            continue
        counts = True
        task = False
        within: tuple[str, ...] = ()
        if kind == _QUOTE:
            if quote in callouts:
                callout = callouts[quote]
            else:
                m = _CALLOUT.match(content) if "[" in content else None
                callout = callouts[quote] = _callout_name(m.group(1)) if m else None
            counts = callout is not None
            if callout is not None:
                within = (callout,)
        elif (
            kind == _ITEM
            and first[:1] == "["
            and (m := _TASK.match(first))
            and (m.end() > 3 or len(lines) == 1)
        ):
            task = True  # (`[ ]` then a line break: no task)
            counts = m.group(1) in "xX"
        found: list[tuple[str, int, bool]] = []
        if len(lines) == 1:
            clean = _inline(content, line, found)
            if clean is None:
                return None
        else:
            clean_parts: list[str] = []
            for number, part in lines:
                if "[" not in part and "]" not in part and "`" not in part:
                    clean_parts.append(part)
                    continue
                cleaned = _inline(part, number, found)
                if cleaned is None:
                    return None
                clean_parts.append(cleaned)
            clean = "\n".join(clean_parts)
        if kind == _ITEM and counts:
            dated = content[3:].lstrip() if task else content
            if dated[:1] == "[" or dated[:1].isdigit():  # (`[[2026-10-20]]` or a digit)
                logged = _dated_item(dated, clean, line)
                if logged is not None:
                    if emphasis and not _marks_ignore_emphasis(clean):
                        return None
                    logs.append(logged)
        if found:
            if counts and emphasis and not _marks_ignore_emphasis(clean):
                return None
            marks = _block_marks(clean) if counts else NO_MARKS
            for target, number, markdown in found:
                links.append(LinkRef(target, number, counts, marks, markdown, within))
    return Body(links=tuple(links), logs=tuple(logs))


def _read_row(row: str, line: int, columns: int, links: list[LinkRef], emphasis: bool) -> bool:
    """The links of a table row (one block, as `_block_links` reads it); False: leave it."""
    if ("[" in row or "]" in row or "`" in row) and any(
        (m.lastindex or 0) >= 4 for m in _INLINE.finditer(row)
    ):
        return False  # a stray bracket, maybe in a cell past the last column
    found: list[tuple[str, int, bool]] = []
    texts: list[str] = []
    cells = _cells(row)
    for k in range(columns):
        cell = cells[k].replace("\\|", "|").strip(" ") if k < len(cells) else ""
        if "[" in cell or "]" in cell or "`" in cell:
            cleaned = _inline(cell, line, found)
            if cleaned is None:
                return False
            cell = cleaned
        if found:
            texts.append(cell)
    if found:
        text = "\n".join(texts)
        if emphasis and not _marks_ignore_emphasis(text):
            return False
        marks = _block_marks(text)
        links.extend(LinkRef(t, line, True, marks, md) for t, line, md in found)
    return True


def _marks_ignore_emphasis(clean: str) -> bool:
    """Whether `_marks` reads the same flags and fields in `clean` whichever of its `*` and `_`
    markdown-it pairs as emphasis, and so removes from the text it reads (the fast path pairs
    none: it leaves every block where that may matter to markdown-it).

    A flag tag is read on the character before its `#` and at most `_FLAG_TAG_REACH` after
    it (`#nouvelles` and the character that ends it), up to the first that can be in no tag
    (no letter, digit, `_` nor combining mark): with no `*` or `_` among them, removing
    others moves it but changes none of them. A field runs from a `[` or `(` to the next `]`
    or `)`, and emphasis never removes those: with no `*` or `_` inside any such stretch, or
    no `::` that removing them could make there, the fields are the same.
    """
    if "*" not in clean and "_" not in clean:
        return True
    if "#" in clean and _EMPHASIS_BY_TAG.search(clean):
        return False
    if ":" in clean and _COLON_THEN_MARK.search(clean):  # (`::`, `:*` or `:_`)
        for part in _FIELD_END.split(clean):
            start = _FIELD_START.search(part)
            if start is not None:
                stretch = part[start.start() :]
                if ("*" in stretch or "_" in stretch) and "::" in _EMPHASIS.sub("", stretch):
                    return False
    return True


def _inline(part: str, line: int, found: list[tuple[str, int, bool]]) -> str | None:
    """The clean text of one line of a block (see `_clean_text`), its links added to `found`;
    None when a link's target is one to leave to markdown-it, or when a `[`, `]` or backtick
    stands outside the forms the fast path reads. `part` holds one of them."""
    pieces: list[str] = []
    pos = 0
    for m in _INLINE.finditer(part):
        group = m.lastindex
        if group is None:
            text = m.group()
            if text[0] == "[":
                continue  # a bracketed text that is no link
            if text == "![":
                return None  # an image
            pieces += (part[pos : m.start()], " ")  # an embed or a code span
        elif group == 1:  # a wikilink
            found.append((m.group(1), line, False))
            pieces += (part[pos : m.start()], " ")
        elif group == 3:  # a Markdown link
            href = m.group(3)
            if _SCHEME.match(href):
                if href.lower().startswith(_BAD_PROTOCOL):
                    return None  # no link for markdown-it
            elif ":" in href or href.startswith("//"):
                return None  # markdown-it's URL normalisation might read a host
            elif href and href[0] != "#":
                found.append((unquote(href), line, True))
            pieces += (part[pos : m.start()], m.group(2))
        else:
            return None  # a stray bracket or backtick
        pos = m.end()
    pieces.append(part[pos:])
    return "".join(pieces)


def _dated_item(content: str, clean: str, line: int) -> LogItem | None:
    """A list item's log record when its text starts with a date: the kind is the first word
    after it (none when that is a tag, a link or a field)."""
    m = _LOG_DATE.match(content)
    if not m:
        return None
    try:
        day = to_date(m.group(2))
    except ImpossibleDate:
        day = None
    word = m.group(3)
    kind = None
    rest = content[m.end() :]
    if word and word[0] not in "#[(!":
        kind = word.rstrip(".,;:!?)—–-").lower() or None
    elif word:
        rest = word + rest  # (`m.end()` is past the first word: a tag or a field stays text)
    return LogItem(day, line, _marks(clean, kind), text=log_text(rest))


# What is not text in a log line: inline fields (`[minutes:: 40]`, `(gave:: …)`) and tags.
_NOT_TEXT = re.compile(r"[\[(][^\[\]()\n]*::[^\[\]()\n]*[\])]|(?<!\S)#[^\s#]+")


def log_text(rest: str) -> str | None:
    """A log line's text after its kind, without its fields and tags: its first line only
    (what follows on other lines may belong to another block)."""
    rest = rest.split("\n", 1)[0].split("\r", 1)[0]
    if "::" in rest or "#" in rest:
        rest = _NOT_TEXT.sub(" ", rest)
    text = " ".join(rest.split()).lstrip(":;,.—–- ").strip()
    return text or None


def _callout_type(tokens: list[Token], i: int) -> str | None:
    """The type of the callout the blockquote opening at `i` is, lowercased; None when it is
    no callout (its first block is no paragraph opening with `[!type]`)."""
    if i + 2 < len(tokens) and tokens[i + 1].type == "paragraph_open":
        m = _CALLOUT.match(tokens[i + 2].content)
        if m:
            return _callout_name(m.group(1))
    return None


def _callout_name(written: str) -> str:
    """A callout's type as settings name it: `[!TODO]` is `todo`."""
    return written.strip().lower()


def _task_status(tokens: list[Token], i: int) -> tuple[str | None, Token | None]:
    """The task status character of the list item opening at `i`, and its first inline."""
    if i + 2 < len(tokens) and tokens[i + 1].type == "paragraph_open":
        inline = tokens[i + 2]
        m = _TASK.match(inline.content)
        return (m.group(1) if m else None), inline
    return None, None


def _clean_text(children: list[Token]) -> str:
    """The text of an inline token's children without code, links' targets, HTML or embeds."""
    parts: list[str] = []
    for child in children:
        if child.type == "text":
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type in ("wikilink", "code_inline", "image", "html_inline"):
            parts.append(" ")
    return "".join(parts)


def _marks(text: str, default_kind: str | None = None) -> Marks:
    gave = asked = news = False
    gave_text = asked_text = None
    minutes: float | None = None
    kind = default_kind
    if "#" in text:
        for gave_tag, asked_tag, news_tag in _FLAG_TAG.findall(text):
            gave = gave or bool(gave_tag)
            asked = asked or bool(asked_tag)
            news = news or bool(news_tag)
    if ":" in text and "::" in text:  # (one character is found much quicker than two)
        for key, value in _FIELD.findall(text):
            key, value = key.lower(), value.strip()
            if key == "minutes":
                try:
                    minutes = float(value)
                except ValueError:
                    continue
                if not math.isfinite(minutes) or minutes < 0:
                    minutes = None
            elif key == "kind":
                kind = value.lower() or kind
            elif value and value.lower() not in ("false", "no", "null"):
                if key == "gave":
                    gave, gave_text = True, gave_text or _text_value(value)
                elif key == "asked":
                    asked, asked_text = True, asked_text or _text_value(value)
                else:
                    news = True
    if not (gave or asked or news or minutes is not None or kind):
        return NO_MARKS
    return Marks(gave, asked, news, gave_text, asked_text, minutes, kind)


def _block_marks(text: str) -> Marks:
    """Flags and fields of a block of links: a `kind` there names no mention's kind."""
    marks = _marks(text)
    return marks._replace(kind=None) if marks.kind is not None else marks


def _text_value(value: str) -> str | None:
    return None if value.lower() == "true" else value


def _internal_href(href: Any) -> str | None:
    if not isinstance(href, str) or not href or href.startswith("#") or _SCHEME.match(href):
        return None
    return unquote(href)
