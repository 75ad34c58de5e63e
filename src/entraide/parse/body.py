"""The body of a note: its links, the context each one stands in, and its dated log items.

Contexts are told apart on markdown-it-py tokens, never with regular expressions on raw text:
a link counts unless it stands in code, an embed, a comment, a blockquote that is not a
callout, or a task that is not checked (and everything nested under one).
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from entraide.model import fast_reduce

if TYPE_CHECKING:  # markdown-it-py is imported when a body needs it, not at start-up
    from markdown_it import MarkdownIt
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token
from entraide.parse.values import ImpossibleDate, to_date

_FLAG_TAG = re.compile(r"(?:^|(?<=\s))#(gave|asked|news)(?![\w/\-])", re.IGNORECASE)
_FIELD = re.compile(r"[\[(]\s*(kind|minutes|gave|asked|news)\s*::\s*([^\])]*?)\s*[\])]", re.I)
_TASK = re.compile(r"\[(.)\](?:[ \t]|$)")
_CALLOUT = re.compile(r"\[!\w[^\]]*\][+-]?(?:\s|$)")
_LOG_DATE = re.compile(
    r"(\[\[)?(\d{4}-\d{2}-\d{2})(?(1)\]\])(?:[ \t]+\d{1,2}:\d{2}(?::\d{2})?)?(?=[\s,.;:]|$)"
)
_DATE_ITEM = re.compile(
    r"^[ \t>]*(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[.\][ \t]+)?(?:\[\[)?\d{4}-\d{2}-\d{2}", re.MULTILINE
)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_LINES = re.compile(r"[^\n]*\n|[^\n]+$")


@dataclass(frozen=True, slots=True)
class Marks:
    """Flags and fields written in one block (or one log item)."""

    __reduce__ = fast_reduce

    gave: bool = False
    asked: bool = False
    news: bool = False
    gave_text: str | None = None
    asked_text: str | None = None
    minutes: float | None = None
    kind: str | None = None


NO_MARKS = Marks()


@dataclass(frozen=True, slots=True)
class LinkRef:
    __reduce__ = fast_reduce

    target: str  # as written: wikilink inner text, or a decoded Markdown href
    line: int  # 1-based line of the file
    counts: bool  # stands in a context that counts as an interaction
    marks: Marks  # flags and fields of its block
    markdown: bool = False


@dataclass(frozen=True, slots=True)
class LogItem:
    """A list item that starts with a date: `- 2026-10-20 lunch: text #asked`."""

    __reduce__ = fast_reduce

    date: date | None  # None: an impossible date
    line: int
    marks: Marks


@dataclass(frozen=True, slots=True)
class Body:
    __reduce__ = fast_reduce

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
    if "<<<<<<< " not in text:
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
    made only of paragraphs, headings and plain bullet lists goes through `_simple_body`;
    both are proven to give markdown-it's result by the tests.
    """
    conflicts = conflict_marker_lines(text, first_line)
    if "[" not in text and "](" not in text and not _DATE_ITEM.search(text):
        return Body(conflict_lines=conflicts)
    simple = _simple_body(text, first_line)
    if simple is not None:
        return simple
    return parse_body_tokens(text, first_line, conflicts)


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


_NOT_SIMPLE = re.compile(
    r"[`<|\t\\&*_~%]"  # code, HTML, tables, tabs, escapes, entities, emphasis, comments
    r"|\]\(|^ {0,3}>|^ {4}|^ {0,3}\d{1,9}[.)](?: |$)"  # links, quotes, code, ordered lists
    r"|^ {0,3}(?:=+|-+|[-+])[ ]*$|^ {0,3}(?:-[ ]*){3,}$",  # setext, empty items, breaks
    re.MULTILINE,
)
_WIKI_OR_FIELD = re.compile(
    r"!?\[\[[^\n]*?\]\]|\[\s*(?:kind|minutes|gave|asked|news)\s*::[^\]\n]*\]", re.IGNORECASE
)
_WIKI = re.compile(r"(!?)\[\[([^\n]*?)\]\]")
_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ ]+|$)")
_BULLET = re.compile(r"^ {0,3}[-+][ ]+")
_CLOSING_HASHES = re.compile(r"(?:^|[ ]+)#+[ ]*$")


def _simple_body(text: str, first_line: int) -> Body | None:
    """Paragraphs, ATX headings and `-`/`+` bullet lists, with wikilinks and Dataview fields:
    the common contact note, read without markdown-it; None for anything else."""
    if text.count("[[") > 200 or _NOT_SIMPLE.search(text):
        return None  # (many `[[`: the regular expressions below would take quadratic time)
    if "[" in _WIKI_OR_FIELD.sub("", text).replace("]", "["):
        return None
    links: list[LinkRef] = []
    logs: list[LogItem] = []
    block: list[tuple[int, str]] = []  # (line, text) of the current block
    item = False

    def close() -> None:
        if not block:
            return
        found = [
            (m.group(2), line)
            for line, part in block
            for m in _WIKI.finditer(part)
            if not m.group(1) and m.group(2)
        ]
        clean = "\n".join(_WIKI.sub(" ", part).strip() for _, part in block)
        if item:
            content = "\n".join(part.strip() for _, part in block)
            logged = _dated_item(content, clean, block[0][0])
            if logged is not None:
                logs.append(logged)
        if found:
            marks = _block_marks(clean)
            links.extend(LinkRef(target, line, True, marks) for target, line in found)
        block.clear()

    for n, line in enumerate(text.split("\n")):
        number = n + first_line
        if not line.strip():
            close()
            item = False
        elif m := _HEADING.match(line):
            close()
            block.append((number, _CLOSING_HASHES.sub("", line[m.end() :].rstrip())))
            item = False
            close()
        elif m := _BULLET.match(line):
            close()
            block.append((number, line[m.end() :]))
            item = True
        else:
            block.append((number, line))
    close()
    return Body(links=tuple(links), logs=tuple(logs))


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
    rest = content[m.end() :].lstrip()
    word = rest.split(None, 1)[0] if rest else ""
    kind = None
    if word and word[0] not in "#[(!" and not word.startswith("[["):
        kind = word.rstrip(".,;:!?)—–-").lower() or None
    return LogItem(day, line, _marks(clean, default_kind=kind))


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
        for m in _FLAG_TAG.finditer(text):
            tag = m.group(1).lower()
            gave = gave or tag == "gave"
            asked = asked or tag == "asked"
            news = news or tag == "news"
    if "::" in text:
        for m in _FIELD.finditer(text):
            key, value = m.group(1).lower(), m.group(2).strip()
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
    return replace(marks, kind=None) if marks.kind is not None else marks


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
