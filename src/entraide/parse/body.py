"""The body of a note: its links, the context each one stands in, and its dated log items.

Contexts are told apart on markdown-it-py tokens, never with regular expressions on raw text:
a link counts unless it stands in code, an embed, a comment, a blockquote that is not a
callout, or a task that is not checked (and everything nested under one). A fast path reads
the common forms without markdown-it, proven by differential tests to give the same result.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import unquote

if TYPE_CHECKING:  # markdown-it-py is imported when a body needs it, not at start-up
    from markdown_it import MarkdownIt
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token
from entraide.parse.values import ImpossibleDate, to_date

# A `#` at the start or after whitespace (the lookbehind comes after the `#` so that the
# search jumps from `#` to `#` instead of trying every position: ten times quicker).
_FLAG_TAG = re.compile(r"#(?<!\S#)(gave|asked|news)(?![\w/\-])", re.IGNORECASE)
_FIELD = re.compile(r"[\[(]\s*(kind|minutes|gave|asked|news)\s*::\s*([^\])]*?)\s*[\])]", re.I)
_TASK = re.compile(r"\[(.)\](?:[ \t]|$)")
_CALLOUT = re.compile(r"\[!\w[^\]]*\][+-]?(?:\s|$)")
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


class LogItem(NamedTuple):
    """A list item that starts with a date: `- 2026-10-20 lunch: text #asked`."""

    date: date | None  # None: an impossible date
    line: int
    marks: Marks


class Body(NamedTuple):
    links: tuple[LinkRef, ...] = ()
    logs: tuple[LogItem, ...] = ()
    conflict_lines: tuple[int, ...] = ()  # 1-based lines of git conflict markers


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


@cache
def _markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")
    md.inline.ruler.before("link", "wikilink", _wikilink)
    return md


def strip_comments(text: str) -> str:
    """Remove Obsidian comments (`%% … %%`, across blocks too) outside code, keeping lines.

    Only the line endings of a comment stay, so line numbers hold and no text left behind
    turns into an indented code block.
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
        res: list[str] = []
        i = 0
        while i < len(line):
            if in_comment:
                j = line.find("%%", i)
                if j < 0:
                    res.append(_newlines(line[i:]))
                    break
                i, in_comment = j + 2, False
                continue
            j = line.find("%%", i)
            if j < 0:
                res.append(line[i:])
                break
            b = line.find("`", i)
            if 0 <= b < j:
                run = len(line) - len(line[b:].lstrip("`"))
                run = run - b
                close = line.find("`" * run, b + run)
                stop = b + run if close < 0 else close + run
                res.append(line[i:stop])
                i = stop
                continue
            res.append(line[i:j])
            i, in_comment = j + 2, True
        out.append("".join(res))
    return "".join(out)


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

    Text that can hold neither a link nor a dated list item is not parsed at all, and text
    made only of the common forms (paragraphs, headings, lists and tasks, emphasis, simple
    quotes and callouts, fenced code, simple tables) goes through `_simple`; both are proven
    to give markdown-it's result by the tests.
    """
    conflicts = conflict_marker_lines(text, first_line)
    # (markdown-it reads this; one character is found much quicker than two)
    plain = strip_comments(text) if "%" in text and "%%" in text else text
    if "[" not in text and not _has_date_line(plain):
        return Body(conflict_lines=conflicts)
    simple = _simple(plain, first_line)
    if simple is not None:
        return Body(simple.links, simple.logs, conflicts) if conflicts else simple
    return parse_body_tokens(text, first_line, conflicts)


def _has_date_line(text: str) -> bool:
    """Whether a line of `text` may open a dated list item (see `_DATE_LINE`)."""
    if "\r" in text:  # (a line end for markdown-it)
        text = text.replace("\r", "\n")
    return _DATE_LINE.search("\n" + text) is not None


def parse_body_tokens(text: str, first_line: int = 1, conflicts: tuple[int, ...] = ()) -> Body:
    """Links and log items found on markdown-it-py's tokens (the reference)."""
    if "%%" in text:
        text = strip_comments(text)
    tokens = _markdown().parse(text)
    links: list[LinkRef] = []
    logs: list[LogItem] = []
    # Each open container: ("quote", excluded) or ("item", excluded); a context counts when
    # no open container excludes it.
    stack: list[bool] = []
    excluded = 0
    row_tokens: list[Token] | None = None
    for i, token in enumerate(tokens):
        kind = token.type
        if kind == "blockquote_open":
            bad = not _is_callout(tokens, i)
            stack.append(bad)
            excluded += bad
        elif kind == "list_item_open":
            status, inline = _task_status(tokens, i)
            bad = status is not None and status not in "xX"
            stack.append(bad)
            excluded += bad
            if not excluded and inline is not None:
                item = _log_item(inline, status is not None, first_line)
                if item is not None:
                    logs.append(item)
        elif kind in ("blockquote_close", "list_item_close"):
            excluded -= stack.pop()
        elif kind == "tr_open":
            row_tokens = []
        elif kind == "tr_close":
            if row_tokens:
                _block_links(row_tokens, not excluded, first_line, links)
            row_tokens = None
        elif kind == "inline":
            if row_tokens is not None:
                row_tokens.append(token)
            else:
                _block_links([token], not excluded, first_line, links)
    return Body(links=tuple(links), logs=tuple(logs), conflict_lines=conflicts)


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
_EMPHASIS_BY_TAG = re.compile(r"\*#|_#|#.{0,5}[*_]", re.DOTALL)  # (literals first: quicker)
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
    callouts: dict[int, bool] = {}  # a quote is a callout when its first paragraph says so
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
                callouts.setdefault(quote, False)
            continue
        counts = True
        task = False
        if kind == _QUOTE:
            known = callouts.get(quote)
            if known is None:
                known = callouts[quote] = "[" in content and bool(_CALLOUT.match(content))
            counts = known
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
                links.append(LinkRef(target, number, counts, marks, markdown))
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

    A flag tag is read on the character before its `#` and the six after it (`#asked` and
    the character that ends it): with no `*` or `_` among them, removing others moves it but
    changes none of them. A field runs from a `[` or `(` to the next `]` or `)`, and emphasis
    never removes those: with no `*` or `_` inside any such stretch, or no `::` that removing
    them could make there, the fields are the same.
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
    if word and word[0] not in "#[(!":
        kind = word.rstrip(".,;:!?)—–-").lower() or None
    return LogItem(day, line, _marks(clean, kind))


def _is_callout(tokens: list[Token], i: int) -> bool:
    if i + 2 < len(tokens) and tokens[i + 1].type == "paragraph_open":
        return bool(_CALLOUT.match(tokens[i + 2].content))
    return False


def _task_status(tokens: list[Token], i: int) -> tuple[str | None, Token | None]:
    """The task status character of the list item opening at `i`, and its first inline."""
    if i + 2 < len(tokens) and tokens[i + 1].type == "paragraph_open":
        inline = tokens[i + 2]
        m = _TASK.match(inline.content)
        return (m.group(1) if m else None), inline
    return None, None


def _log_item(inline: Token, is_task: bool, first_line: int) -> LogItem | None:
    content = inline.content
    if is_task:
        content = content[3:].lstrip()
    if not _LOG_DATE.match(content):
        return None
    line = (inline.map[0] if inline.map else 0) + first_line
    return _dated_item(content, _clean_text(inline), line)


def _clean_text(inline: Token) -> str:
    """The text of an inline token without code, links' targets, HTML or embeds."""
    parts: list[str] = []
    for child in inline.children or ():
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
        for tag in _FLAG_TAG.findall(text):
            tag = tag.lower()
            gave = gave or tag == "gave"
            asked = asked or tag == "asked"
            news = news or tag == "news"
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


def _block_links(inlines: list[Token], counts: bool, first_line: int, out: list[LinkRef]) -> None:
    found: list[tuple[str, int, bool]] = []
    text_parts: list[str] = []
    for inline in inlines:
        line = (inline.map[0] if inline.map else 0) + first_line
        for child in inline.children or ():
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
            text_parts.append(_clean_text(inline))
    if not found:
        return
    marks = _block_marks("\n".join(text_parts)) if counts else NO_MARKS
    for target, line, markdown in found:
        out.append(LinkRef(target, line, counts, marks, markdown))


def _internal_href(href: Any) -> str | None:
    if not isinstance(href, str) or not href or href.startswith("#") or _SCHEME.match(href):
        return None
    return unquote(href)
