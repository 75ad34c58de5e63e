"""Property values: dates, flags, diversity text, link targets."""

from __future__ import annotations

import functools
import re
import unicodedata
from datetime import date, datetime
from typing import cast

_DATE = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:[Tt ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[Zz]|[+-]\d{2}(?::?\d{2})?)?)?"
)
_WIKILINK = re.compile(r"^\s*!?\[\[([^\]]*)\]\]\s*$")


class ImpossibleDate(ValueError):
    pass


_MEMO_SIZE = 1 << 14
_MISSING = object()
_IMPOSSIBLE = object()
_dates: dict[str, object] = {}  # text → date, None or _IMPOSSIBLE
_diversity: dict[str, str | None] = {}


def to_date(value: object) -> date | None:
    """A YAML date or date-time, or a `YYYY-MM-DD[ HH:MM[:SS][offset]]` string, as written.

    None when the value is not a date at all; ImpossibleDate when it has the form of one but
    names no day of the calendar (2026-02-30).
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        # A vault writes the same dates over and over: each text is read once.
        found = _dates.get(value, _MISSING)
        if found is _MISSING:
            found = _text_date(value)
            if len(_dates) >= _MEMO_SIZE:
                _dates.clear()
            _dates[value] = found
        if found is _IMPOSSIBLE:
            raise ImpossibleDate(value) from None
        return cast("date | None", found)
    return None


def _text_date(text: str) -> object:
    m = _DATE.fullmatch(text.strip())
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return _IMPOSSIBLE


def date_text(value: object) -> object:
    """Dates as the text they were written as, so a JSON Schema can check them."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def is_flag(value: object) -> bool:
    """Set by `true` or non-empty text; unset by `false`, null, `""`."""
    if value is True:
        return True
    return isinstance(value, str) and value.strip() != ""


def flag_text(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@functools.lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """How names compare: NFC, case-insensitive."""
    return unicodedata.normalize("NFC", text).lower()


def sort_key_name(name: str) -> str:
    """Accents removed and case folded, for sorting people by name."""
    decomposed = unicodedata.normalize("NFD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def diversity_value(value: object) -> str | None:
    """Trimmed NFC text with `[[X]]`/`[[X|y]]` reduced to `X`; a list counts its first element."""
    if isinstance(value, list):
        value = value[0] if value else None
    if not isinstance(value, str):
        return None
    # Sector, country, circle… take few distinct values: each text is worked out once.
    if value in _diversity:
        return _diversity[value]
    found = _diversity_text(value)
    if len(_diversity) >= _MEMO_SIZE:
        _diversity.clear()
    _diversity[value] = found
    return found


def diversity_values(data: dict[str, object]) -> dict[str, str]:
    """`diversity_value` of every property that has one (a contact's every possible dimension).

    The same steps, written out for the tens of properties of each of thousands of notes.
    """
    found: dict[str, str] = {}
    for key, value in data.items():
        if type(value) is not str:
            if isinstance(value, list):
                value = value[0] if value else None
            if not isinstance(value, str):
                continue
        if value.isascii() and "[[" not in value:
            # What `_diversity_text` comes to (NFC leaves ASCII text as it is; no `[[`, no
            # link), and without the memo: emails, URLs, phone numbers… are each seen once.
            text: str | None = value.strip()
        else:
            text = diversity_value(value)
        if text:
            found[key] = text
    return found


def _diversity_text(value: str) -> str | None:
    text = nfc(value.strip())
    m = _WIKILINK.match(text)
    if m:
        text = m.group(1).split("|", 1)[0].strip()
    return text or None


def link_target(value: str) -> str | None:
    """The target of a link written as a property value: `[[X]]`, `[[X|y]]` or a plain name."""
    text = value.strip()
    m = _WIKILINK.match(text)
    if m:
        text = m.group(1)
    return text.strip() or None


def strip_target(target: str) -> str:
    """`Name|shown`, `Name#Heading`, `Name.md` → `Name`."""
    target = target.split("|", 1)[0]
    if target.endswith("\\"):
        target = target[:-1]  # `[[Name\\|shown]]` inside a table cell
    target = target.split("#", 1)[0].strip()
    if target.lower().endswith(".md"):
        target = target[:-3]
    return target.strip()
