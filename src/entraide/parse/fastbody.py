"""Bodies read with pulldown-cmark (pyromark): the accelerator of `body.parse_body_tokens`.

markdown-it-py, the reference, decides what counts; this reads the same links, logs and
contexts from pulldown-cmark's events (a compiled CommonMark parser: about ten times quicker
on real notes) and declines, returning None, wherever the two could read a body differently:
escapes and tabs, reference definitions, nesting near markdown-it's limit, bodies larger than
what markdown-it reads in one piece, and, block by block, every form the two may not share
(strikethrough, a wikilink that overlaps another inline form, a table whose edges are not
plain...). Wikilinks are no CommonMark: they are found as the reference's inline rule finds
them, on the source of each inline, where pulldown-cmark sees plain text. The differential
tests hold it equal to the reference on every note of the shared real vaults, on notes built
from them, and on generated ones.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

import pyromark

from entraide.parse.body import (
    _BAD_PROTOCOL,
    _CALLOUT,
    _LOG_DATE,
    _NEWLINE,
    _SCHEME,
    _TASK,
    NO_MARKS,
    Body,
    LinkRef,
    LogItem,
    _block_marks,
    _callout_name,
    _dated_item,
)

_OPTIONS = pyromark.Options.ENABLE_TABLES
# Bodies left to the reference whole (`_declines`): tabs and other control whitespace (columns,
# and Python's `strip` takes them), an escaped backslash before a pipe (table cells may split
# differently), what may be a reference definition, lines whose container marks may reach
# markdown-it's nesting limit (see body._SKIP_COMMON), an indented lazy line, Unicode
# whitespace where a line or an inline may start or end (markdown-it strips it there,
# pulldown-cmark does not).
_CONTROL_SPACE = re.compile(r"[\t\x0b\x0c\x1c-\x1f]")
_DEEP = re.compile(r"\n[ >*+\-.)0-9]{19}")
_INDENTED = re.compile(r"(?:^|\n) {4}", re.MULTILINE)
_ITEM = re.compile(r" *(?:[-*+]|[0-9]{1,9}[.)])( +|$)")
_QUOTE_MARKS = re.compile(r"^[ *+\-.)0-9]*(?:>[ ]?)+")
_FENCE_OPENING = re.compile(r" {0,3}(`{3,}(?!.*`)|~{3,})")
_DEFINITION = re.compile(r"\n[ >*+\-.)0-9]*\[(?:[^\[\]\\]|\\[\s\S])*\]:")
_UNICODE_SPACE = "\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_ODD_SPACE = re.compile(f"[{_UNICODE_SPACE}]")
_EDGE_BEFORE = "\n >*+-.)[]"  # (what may stand before the start of a line's or item's text)
_EDGE_AFTER = "\n ]"

# What markdown-it reads in one piece at most (body.MAX_BLOCK_TOKENS and friends), with room:
# a larger body goes to the reference, which reads it in chunks and reports what it cannot.
MAX_CHARS = 300_000
MAX_LINES = 20_000
MAX_PIPES = 20_000
MAX_BLOCK_EVENTS = 25_000  # (markdown-it makes fewer than two block tokens an event)
MAX_INLINE_BYTES = 50_000
# A wikilink or an embed as the reference's inline rule finds it (the next `]]` on its line).
_WIKILINK = re.compile(rb"(!?)\[\[(?!\]\])([^\n]*?)\]\]")
# A line markdown-it's table rule may take for a delimiter row (after container marks).
_DELIMITER_LINE = re.compile(rb"\n[ >]*[-|:][-|: ]*(?=\n)")  # (in b"\n" + source + b"\n")
_BLANKISH = re.compile(rb"[ >]*")
_MAY_HOLD = re.compile(rb"\[\[|\]\(|\d{4}-\d\d-\d\d")
_INLINE_BLOCKS = ("Paragraph", "Heading", "TableCell")


def _declines(text: str) -> bool:
    """Whether `text` holds a form left to the reference whole (see `_CONTROL_SPACE`...)."""
    if _CONTROL_SPACE.search(text) or "\\\\|" in text:
        return True
    lined = "\n" + text
    if _DEEP.search(lined) or ("]:" in text and _DEFINITION.search(lined)):
        return True
    if _lazy_indented(text):
        return True
    if text.isascii():
        return False
    for m in _ODD_SPACE.finditer(text):
        k = m.start()
        if k == 0 or text[k - 1] in _EDGE_BEFORE or text[k + 1 : k + 2] in ("", *_EDGE_AFTER):
            return True
    return False


def _lazy_indented(text: str) -> bool:
    """Whether a line indented 4 or more past the list item it may stand in (or any, under a
    quote's line) follows a line of text, out of fenced and indented code: a lazy continuation
    of a paragraph (CommonMark), which markdown-it sometimes reads as code. Items are followed by
    their text's column; a fence ends where its closing line, or its container, does."""
    if _INDENTED.search(text) is None:
        return False
    quoted = False
    blank = True
    code = False  # in indented code
    columns: list[int] = []  # of the items that may be open
    fence: tuple[str, int, bool] | None = None  # (its run, its column, in a quote)
    for line in text.split("\n"):
        if not line.strip(" "):
            quoted, blank = False, True
            continue
        indent = len(line) - len(line.lstrip(" "))
        if fence is not None:
            run, column, in_quote = fence
            inner = _QUOTE_MARKS.sub("", line) if in_quote else line[column:]
            if in_quote and not (indent < 4 and line.lstrip(" ").startswith(">")):
                fence = None  # (the quote, and its code, end)
            elif not in_quote and indent < column:
                fence = None  # (the item, and its code, end)
            else:
                closing = inner.lstrip(" ")
                if closing.startswith(run) and not closing.strip(run[0] + " "):
                    fence = None
                blank = False
                continue
        while columns and columns[-1] > indent:
            columns.pop()
        code_line = indent - (columns or [0])[-1] >= 4
        if indent >= 4 and not blank and not code and (quoted or code_line):
            return True
        code = code_line and (blank or code)  # (indented code: after a blank line)
        blank = False
        if code:
            continue
        in_quote = line.lstrip(" *+-.)0123456789").startswith(">")
        quoted = quoted or in_quote
        m = _ITEM.match(line)
        if m is not None:
            columns.append(m.end() if len(m.group(1)) <= 4 else m.start(1) + 1)
        inner = _QUOTE_MARKS.sub("", line) if in_quote else line[m.end() if m else 0 :]
        opening = _FENCE_OPENING.match(inner)
        if opening is not None and (in_quote or indent - (columns or [0])[-1] < 4):
            fence = (opening.group(1), (columns or [0])[-1], in_quote)
    return False


class _Decline(Exception):
    """The body may read differently in markdown-it: the reference decides."""


def read_body(text: str, first_line: int = 1) -> Body | None:
    """The links and logs of comment-free `text`, as `body.parse_body_tokens` reads them (its
    conflict lines left empty); None where the two could differ."""
    if "\r" in text or "\x00" in text:  # markdown-it's own normalisation
        text = _NEWLINE.sub("\n", text).replace("\x00", "\ufffd")
    if (
        len(text) > MAX_CHARS
        or text.count("\n") > MAX_LINES
        or text.count("|") > MAX_PIPES
        or _declines(text)
    ):
        return None
    try:
        raw = text.encode()
        return _Reader(raw, first_line).run()
    except (_Decline, UnicodeEncodeError):  # (a lone surrogate: no UTF-8 offsets)
        return None


class _Unit:
    """One inline (a paragraph, a heading, a table cell): its events, and once read
    (`_Reader.read`) its links, clean text and first line."""

    __slots__ = ("events", "cell", "start", "end", "found", "clean", "line", "done")

    def __init__(self, events: list[tuple[Any, dict[str, int]]], cell: bool) -> None:
        self.events = events
        self.cell = cell
        self.start = events[0][1]["start"] if events else 0
        self.end = max(span["end"] for _, span in events) if events else 0
        self.found: list[tuple[str, int, bool]] = []
        self.clean = ""
        self.line = 0
        self.done = not events


class _Reader:
    def __init__(self, raw: bytes, first_line: int) -> None:
        self.raw = raw
        self.first_line = first_line
        self.newlines = [m.start() for m in re.finditer(b"\n", raw)]
        self.events: Iterator[tuple[Any, Any]] = iter(
            pyromark.events_with_range(raw.decode(), options=_OPTIONS)
        )
        self.pending: tuple[Any, Any] | None = None
        self.links: list[LinkRef] = []
        self.logs: list[LogItem] = []
        self.tables: list[tuple[int, int]] = []
        self.columns = 0  # of the table being read
        self.top_events = 0  # events read since the last top-level block started
        self.depth = 0  # blocks open

    def line_of(self, offset: int) -> int:
        return bisect_right(self.newlines, offset - 1) + self.first_line

    def next(self) -> tuple[Any, Any] | None:
        if self.pending is not None:
            event, self.pending = self.pending, None
            return event
        self.top_events += 1
        if self.top_events > MAX_BLOCK_EVENTS:
            raise _Decline
        return next(self.events, None)

    def run(self) -> Body:
        stack: list[tuple[bool, bool]] = []  # per open container: (excludes, is a callout)
        excluded = 0
        callouts: tuple[str, ...] = ()
        row: list[_Unit] | None = None
        while (item := self.next()) is not None:
            event, span = item
            if self.depth == 0:
                self.top_events = 0
            if isinstance(event, dict) and "Start" in event:
                tag = event["Start"]
                name = _name(tag)
                if self.depth == 0 and name != "Table" and not self.may_hold(span):
                    self.skip_block()
                    continue
                self.depth += 1
                if name == "Item":
                    unit = self.first_unit()
                    status: str | None = None
                    content = ""
                    if unit is not None and unit.events:
                        content = self.content(unit)
                        m = _TASK.match(content)
                        status = m.group(1) if m else None
                    bad = status is not None and status not in "xX"
                    stack.append((bad, False))
                    excluded += bad
                    if unit is not None:
                        if not excluded:
                            if status is not None:
                                content = content[3:].lstrip()
                            if _LOG_DATE.match(content):
                                self.log(content, unit, callouts)
                        self.block([unit], not excluded, callouts)
                elif name == "BlockQuote":
                    unit = self.first_unit()
                    content = self.content(unit) if unit is not None and unit.events else ""
                    m = _CALLOUT.match(content)
                    if content.startswith("[!"):
                        head = content.split("\n", 1)[0]
                        if "\n" in (m.group(1) if m else "") or (m is None and "]" not in head):
                            raise _Decline  # (across lines: markdown-it keeps indentation)
                    callout = _callout_name(m.group(1)) if m else None
                    stack.append((callout is None, callout is not None))
                    excluded += callout is None
                    if callout is not None:
                        callouts += (callout,)
                    if unit is not None:
                        self.block([unit], not excluded, callouts)
                elif name in _INLINE_BLOCKS:
                    unit = self.unit(None, name == "TableCell")
                    if row is not None:
                        row.append(unit)
                    else:
                        self.block([unit], not excluded, callouts)
                elif name in ("TableHead", "TableRow"):
                    row = []
                elif name == "Table":
                    self.table(span, len(tag["Table"]))
                elif name in ("CodeBlock", "HtmlBlock"):
                    self.skip(name)
                    self.depth -= 1
                elif name != "List":
                    raise _Decline
            elif isinstance(event, dict) and "End" in event:
                name = _name(event["End"])
                self.depth -= 1
                if name in ("Item", "BlockQuote"):
                    bad, in_callout = stack.pop()
                    excluded -= bad
                    if in_callout:
                        callouts = callouts[:-1]
                elif name in ("TableHead", "TableRow"):
                    if row is None or len(row) != self.columns:
                        raise _Decline  # (a row of another width: markdown-it's may differ)
                    self.block(row, not excluded, callouts)
                    row = None
            elif event == "Rule":
                continue
            else:
                raise _Decline  # an inline outside an inline block: unexpected
        self.check_tables()
        return Body(tuple(self.links), tuple(self.logs))

    def may_hold(self, span: dict[str, int]) -> bool:
        """Whether the source of a block may hold a link or a dated item (a superset)."""
        return _MAY_HOLD.search(self.raw, span["start"], span["end"]) is not None

    def skip_block(self) -> None:
        """Past the end of the top-level block just started: it holds nothing to read."""
        depth = 1
        for event, _ in self.events:
            self.top_events += 1
            if isinstance(event, dict):
                if "Start" in event:
                    depth += 1
                elif "End" in event:
                    depth -= 1
                    if not depth:
                        return
        if self.top_events > MAX_BLOCK_EVENTS:
            raise _Decline

    def skip(self, name: str) -> None:
        while (item := self.next()) is not None:
            event = item[0]
            if isinstance(event, dict) and "End" in event:
                tag = event["End"]
                if (tag if isinstance(tag, str) else next(iter(tag))) == name:
                    return

    def first_unit(self) -> _Unit | None:
        """The inline of the paragraph a container opens with (markdown-it's `tokens[i + 2]`),
        read now; None when it opens with another block."""
        item = self.next()
        if item is None:
            return None
        event = item[0]
        if isinstance(event, dict) and event.get("Start") == "Paragraph":
            self.depth += 1
            return self.unit(None)
        if _is_inline(event):
            return self.unit(item)
        self.pending = item
        return None

    def log(self, content: str, unit: _Unit, callouts: tuple[str, ...]) -> None:
        self.read(unit)
        if "~~" in unit.clean:
            raise _Decline
        logged = _dated_item(content, unit.clean, unit.line)
        if logged is not None:
            self.logs.append(logged._replace(callouts=callouts) if callouts else logged)

    def block(self, units: list[_Unit], counts: bool, callouts: tuple[str, ...]) -> None:
        """`body._TokenReader._block_links` on the inlines of one block."""
        found: list[tuple[str, int, bool]] = []
        texts: list[str] = []
        for unit in units:
            if not found and not self.may_link(unit):
                continue
            self.read(unit)
            found += unit.found
            if found:
                texts.append(unit.clean)
        if not found:
            return
        text = "\n".join(texts)
        if counts and "~~" in text:
            raise _Decline  # (strikethrough: markdown-it removes its marks)
        marks = _block_marks(text) if counts else NO_MARKS
        for target, line, markdown in found:
            self.links.append(LinkRef(target, line, counts, marks, markdown, callouts))

    def table(self, span: dict[str, int], columns: int) -> None:
        start, end = span["start"], span["end"]
        raw = self.raw
        self.columns = columns
        # A table markdown-it surely reads as one: after a blank line (or a heading) or at
        # the start, every line of it holding a `|`, and a blank line (or the end) after it.
        before = raw.rfind(b"\n", 0, max(start - 1, 0)) + 1 if start else 0
        if start and raw[start - 1 : start] != b"\n":
            raise _Decline
        previous = raw[before : max(start - 1, before)]
        if start and not (_BLANKISH.fullmatch(previous) or previous.lstrip(b" >").startswith(b"#")):
            raise _Decline
        body = raw[start:end].rstrip(b"\n")
        if any(b"|" not in line for line in body.split(b"\n")):
            raise _Decline
        after = raw.find(b"\n", end)
        rest = raw[end : len(raw) if after < 0 else after]
        if not _BLANKISH.fullmatch(rest):
            raise _Decline
        self.tables.append((start, end))

    def check_tables(self) -> None:
        """Every line markdown-it may take for a table's delimiter row under a row with a `|`
        stands in a table pulldown-cmark found."""
        raw = self.raw
        if b"|" not in raw or b"-" not in raw:
            return
        starts = [s for s, _ in self.tables]
        lined = b"\n" + raw + b"\n"
        for m in _DELIMITER_LINE.finditer(lined):
            line = m.group()
            if b"-" not in line:
                continue
            start = m.start()  # (the line's offset in `raw`)
            above = raw.rfind(b"\n", 0, max(start - 1, 0))
            if b"|" not in line and b"|" not in raw[above + 1 : start]:
                continue
            k = bisect_right(starts, start) - 1
            if k < 0 or not (self.tables[k][0] <= start < self.tables[k][1]):
                raise _Decline

    def unit(self, first: tuple[Any, Any] | None, cell: bool = False) -> _Unit:
        """The inline events up to the end of their block (read later, where it matters)."""
        events: list[tuple[Any, dict[str, int]]] = []
        item = first if first is not None else self.next()
        while item is not None and _is_inline(item[0]):
            events.append(item)
            item = self.next()
        self.pending = item  # (the end of its block, or a block after a tight item's text)
        unit = _Unit(events, cell)
        unit.start = self.text_start(unit.start)
        if unit.end - unit.start > MAX_INLINE_BYTES:
            raise _Decline
        return unit

    def text_start(self, offset: int) -> int:
        """Where an inline's text starts whose first event starts at `offset`: before the
        backslash of an escape (pulldown-cmark's event starts after it)."""
        return offset - 1 if offset and self.raw[offset - 1] == 0x5C else offset

    def may_link(self, unit: _Unit) -> bool:
        """Whether a link may stand in the unit (as the reference checks before parsing)."""
        raw, a, b = self.raw, unit.start, unit.end
        return raw.find(b"](", a, b) >= 0 or (
            raw.find(b"[[", a, b) >= 0 and raw.find(b"]]", a, b) >= 0
        )

    def content(self, unit: _Unit) -> str:
        """The first two lines of markdown-it's inline content of the unit (what `_TASK`,
        `_CALLOUT` and `_LOG_DATE` read): each line from its first event."""
        raw = self.raw
        pieces: list[bytes] = []
        piece_start = unit.start
        image = 0
        for event, span in unit.events:
            if isinstance(event, dict):
                tag = event.get("Start", event.get("End"))
                if tag is not None and _name(tag) == "Image":
                    if not image and piece_start < 0:
                        piece_start = self.text_start(span["start"])
                    image += 1 if "Start" in event else -1
                    continue
            if image:
                continue
            if isinstance(event, str):  # SoftBreak, HardBreak
                pieces.append(raw[piece_start : raw.index(b"\n", span["start"])])
                if len(pieces) == 2:
                    break
                piece_start = -1
            elif piece_start < 0:
                piece_start = self.text_start(span["start"])
        else:
            if piece_start >= 0:
                pieces.append(raw[piece_start : unit.end])
        if any(b"\n" in piece for piece in pieces):
            raise _Decline  # (a form across lines without a line break: content unknown)
        return b"\n".join(pieces).decode()

    def read(self, unit: _Unit) -> _Unit:
        """The unit read as markdown-it reads the inline token it makes: its links (wikilinks
        found on its source) and its text without code, HTML, images, embeds and wikilinks."""
        if unit.done:
            return unit
        unit.done = True
        events, cell, start, end = unit.events, unit.cell, unit.start, unit.end
        first_line = unit.line = self.line_of(start)
        # Lines as markdown-it counts them: one more at each line break, and at each line end
        # in inline HTML.
        breaks: list[int] = []  # source offsets where the line count grows
        spans: list[tuple[int, int, str]] = []  # non-text forms: (start, end, kind)
        image = 0  # depth in an image (what it holds is no child of the inline)
        for event, span in events:
            if image:
                if "Start" in event and _name(event["Start"]) == "Image":
                    image += 1
                elif "End" in event and _name(event["End"]) == "Image":
                    image -= 1
                continue
            if isinstance(event, str):  # SoftBreak, HardBreak
                breaks.append(span["start"])
                continue
            if "Text" in event:
                continue
            if "InlineHtml" in event:
                breaks += [span["start"]] * event["InlineHtml"].count("\n")
                spans.append((span["start"], span["end"], "leaf"))
            elif "Code" in event:
                spans.append((span["start"], span["end"], "leaf"))
            elif "Start" in event:
                name = _name(event["Start"])
                spans.append((span["start"], span["end"], name))
                image += name == "Image"
        found: list[tuple[int, str, int, bool]] = []  # (offset, target, line, markdown)
        wikilinks = self.wikilinks(start, end, spans, cell)
        for a, _, embed, target in wikilinks:
            if not embed:
                found.append((a, target, first_line + bisect_right(breaks, a - 1), False))
        clean: list[str] = []
        w = 0  # the next wikilink
        spaced = -1  # the last wikilink whose space the clean text holds
        image = 0
        for event, span in events:
            a, b = span["start"], span["end"]
            while w < len(wikilinks) and wikilinks[w][1] <= a:
                w += 1
            if w < len(wikilinks) and wikilinks[w][0] <= a and b <= wikilinks[w][1]:
                if spaced < w:  # (within a wikilink: what markdown-it's rule swallows)
                    clean.append(" ")
                    spaced = w
                continue
            if isinstance(event, str):
                if not image:
                    clean.append("\n")
                continue
            if "Text" in event:
                if image:
                    continue
                if w < len(wikilinks) and wikilinks[w][0] < b:
                    clean.append(self.around(event["Text"], a, b, wikilinks, w))
                    spaced = max(spaced, w)
                else:
                    clean.append(event["Text"])
            elif "Start" in event:
                tag = event["Start"]
                name = _name(tag)
                if name == "Image":
                    if not image:
                        clean.append(" ")
                    image += 1
                elif name == "Link" and not image:
                    href = self.link(tag["Link"])
                    if href is not None:
                        found.append((a, href, first_line + bisect_right(breaks, a - 1), True))
            elif "End" in event:
                if _name(event["End"]) == "Image":
                    image -= 1
            elif not image:  # Code, InlineHtml
                clean.append(" ")
        found.sort(key=lambda f: f[0])
        unit.found = [(t, line, md) for _, t, line, md in found]
        unit.clean = "".join(clean)
        return unit

    def wikilinks(
        self, start: int, end: int, spans: list[tuple[int, int, str]], cell: bool
    ) -> list[tuple[int, int, bool, str]]:
        """The wikilinks and embeds of the inline at `start:end` of the source: (start, end,
        is an embed, target). One within code or HTML is none; one that overlaps another
        form otherwise, or stands in a link or an image, may read differently: declined."""
        raw = self.raw
        if raw.find(b"[[", start, end) < 0:
            return []
        out: list[tuple[int, int, bool, str]] = []
        pos = start
        while (m := _WIKILINK.search(raw, pos, end)) is not None:
            a, b = m.span()
            embed = bool(m.group(1))
            if _escaped(raw, a):  # (markdown-it's escape rule takes `\[` or `\!`)
                if not embed:
                    pos = a + 1
                    continue
                a, embed = a + 1, False  # `\![[X]]`: a wikilink after a plain `!`
            pos = b
            inside = False
            for s, e, kind in spans:
                if e <= a or s >= b:
                    continue
                if kind == "leaf" and s <= a and b <= e:
                    inside = True  # (code or HTML holding it: no wikilink)
                    continue
                if a <= s and e <= b:
                    continue  # (a form within it: markdown-it's wikilink swallows it)
                if kind in ("Emphasis", "Strong") and s < a and b < e:
                    continue
                raise _Decline
            if not inside:
                target = m.group(2).decode()
                if cell and "\\" in target:
                    target = target.replace("\\|", "|")  # (markdown-it's cells have `\|` as `|`)
                out.append((a, b, embed, target))
        return out

    def around(
        self, text: str, a: int, b: int, wikilinks: list[tuple[int, int, bool, str]], w: int
    ) -> str:
        """A text event's text with the wikilinks it holds a part of made a space each (as
        markdown-it's clean text has them)."""
        raw = self.raw
        if raw[a:b] != text.encode():
            raise _Decline  # (an entity or an escape: offsets in the text are not the source's)
        out: list[str] = []
        pos = a
        while w < len(wikilinks) and wikilinks[w][0] < b:
            s, e = wikilinks[w][0], wikilinks[w][1]
            if s >= pos:
                out.append(raw[pos:s].decode())
                out.append(" ")
            pos = max(pos, min(e, b))
            if e > b:
                break
            w += 1
        if pos < b:
            out.append(raw[pos:b].decode())
        return "".join(out)

    @staticmethod
    def link(link: dict[str, Any]) -> str | None:
        """An inline link's target, as `body._internal_href` reads markdown-it's href."""
        kind = link["link_type"]
        if kind in ("Autolink", "Email"):
            return None  # (a scheme: never internal)
        if kind != "Inline":
            raise _Decline
        href: str = link["dest_url"]
        if _SCHEME.match(href):
            if href.lower().startswith(_BAD_PROTOCOL):
                raise _Decline  # no link for markdown-it
            return None
        if ":" in href or href.startswith("//") or href != href.strip():
            # markdown-it's URL normalisation might read a scheme or a host, or trim it
            # (else `unquote` undoes what it encodes: a literal character's UTF-8 never
            # completes a percent-encoded sequence)
            raise _Decline
        if not href or href[0] == "#":
            return None
        return unquote(href)


def _escaped(raw: bytes, pos: int) -> bool:
    """Whether the character at `pos` follows an odd run of backslashes."""
    k = pos
    while k > 0 and raw[k - 1] == 0x5C:
        k -= 1
    return (pos - k) % 2 == 1


def _name(tag: Any) -> str:
    return tag if isinstance(tag, str) else next(iter(tag))


def _is_inline(event: Any) -> bool:
    if isinstance(event, str):
        return event in ("SoftBreak", "HardBreak")
    if "Text" in event or "Code" in event or "InlineHtml" in event:
        return True
    tag = event.get("Start", event.get("End"))
    return tag is not None and _name(tag) in ("Emphasis", "Strong", "Link", "Image")
