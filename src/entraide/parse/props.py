"""A contact note's properties and logs, validated: everything that does not depend on the
settings, so it is computed once per note (in parallel on a cold index) and cached."""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any, NamedTuple

from entraide import schemas
from entraide.model import BODY_LOG, PROPERTY, Birthday, Interaction
from entraide.parse.body import LogItem, Marks
from entraide.parse.frontmatter import BadDate
from entraide.parse.values import (
    ImpossibleDate,
    date_text,
    diversity_value,
    diversity_values,
    strip_target,
    to_date,
)
from entraide.settings import parse_cadence

_DATE_PROPS = ("since", "follow_up", "snooze_until")
_DATE_KEYS = (*_DATE_PROPS, "birthday")
_MONTH_DAY = re.compile(r"--\d{2}-\d{2}")  # a birthday without its year


class Props(NamedTuple):
    """Validated contact properties; `problems` are (line, code, message)."""

    problems: tuple[tuple[int | None, str, str], ...] = ()
    dims: dict[str, str] | None = None  # every valid property as a diversity value
    circle: str | None = None
    circle_line: int | None = None
    cadence: int | None = None
    aliases: tuple[str, ...] = ()
    alias_lines: tuple[int | None, ...] = ()
    since: date | None = None
    birthday: Birthday | None = None
    follow_up: date | None = None
    snooze_until: date | None = None
    paused: bool = False
    records: tuple[Interaction, ...] = ()  # from the property and body logs, unmerged
    email: tuple[str, ...] = ()  # addresses as written, for calendar and mail capture
    # What they care about, can help with, are looking for: items as compared (`items`).
    interests: tuple[str, ...] = ()
    offers: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()


def contact_props(
    data: dict[str, Any] | None,
    lines: dict[tuple[str | int, ...], int],
    logs: tuple[LogItem, ...],
    shortcuts: bool = True,
) -> Props:
    """Check a note's properties against `schemas/contact.schema.json`; keep what is valid.

    `shortcuts=False` takes the long way, which the shortcuts are tested against: every
    property through the validators, diversity values one by one."""
    problems: list[tuple[int | None, str, str]] = []
    if data is None:
        data = {}
    check = _contact_check() if shortcuts else _never
    # Nearly every note has nothing to drop: no date of no calendar day (dropped first, so
    # the check then sees these very properties) and nothing the check doubts. Its properties
    # are read where they are, never changed (copied before anything is taken out).
    if not _all_dates_possible(data) or not check(data):
        data = _valid_part(data, lines, problems, check)
    written_cadence = data.get("cadence")
    cadence = parse_cadence(written_cadence)
    if written_cadence is not None and cadence is None:
        problems.append(
            (
                _line(lines, "cadence"),
                "invalid-property",
                f"'cadence: {written_cadence}' is not a cadence of a day to a hundred years "
                "(write 30, 2w, 3m or 1y): it is ignored until you fix it",
            )
        )
        data = dict(data)
        data.pop("cadence")
    records: list[Interaction] = []
    for index, entry in enumerate(data.get("interactions") or ()):
        if not isinstance(entry, dict):
            continue
        minutes = entry.get("minutes")
        if isinstance(minutes, float) and not math.isfinite(minutes):
            problems.append(
                (
                    _line(lines, "interactions", index, "minutes"),
                    "invalid-property",
                    f"interaction {index + 1}: 'minutes: {minutes}' is not a number of "
                    "minutes; it is ignored",
                )
            )
            entry.pop("minutes")
            minutes = None
        day = entry.get("date")
        if type(day) is not date:
            day = _date_or_none(day)
        if day is None:
            continue
        kind = entry.get("kind")
        note = entry.get("note")
        gave, asked, news = entry.get("gave"), entry.get("asked"), entry.get("news")
        # flag_text and is_flag, written out: a vault has tens of thousands of entries.
        gave_text = gave.strip() or None if isinstance(gave, str) else None
        asked_text = asked.strip() or None if isinstance(asked, str) else None
        # Interaction's fields in order (positional: several times faster than by name).
        records.append(
            Interaction(
                day,
                kind.strip().lower() or None if isinstance(kind, str) else None,
                float(minutes)
                if isinstance(minutes, int | float) and not isinstance(minutes, bool)
                else None,
                gave is True or gave_text is not None,
                asked is True or asked_text is not None,
                news is True or (isinstance(news, str) and news.strip() != ""),
                PROPERTY,
                gave_text,
                asked_text,
                note if isinstance(note, str) else None,
            )
        )
    for item in logs:
        if item.date is None:
            problems.append(
                (
                    item.line,
                    "bad-date",
                    "this log line's date is not a date of the calendar: correct it (YYYY-MM-DD)",
                )
            )
            continue
        records.append(from_marks(item.date, BODY_LOG, item.marks, note=item.text))
    circle = data.get("circle")
    if isinstance(circle, str):
        circle = circle.strip() or None
    aliases = data.get("aliases")
    return Props(
        problems=tuple(problems),
        dims=diversity_values(data) if shortcuts else _dims_one_by_one(data),
        alias_lines=_alias_lines(aliases, lines) if aliases is not None else (),
        circle=circle if isinstance(circle, str) else None,
        circle_line=lines.get(("circle",)),
        cadence=cadence,  # None when reported above
        aliases=_strings(aliases) if aliases is not None else (),
        since=_date_or_none(data.get("since")),
        birthday=_birthday(data.get("birthday")),
        follow_up=_date_or_none(data.get("follow_up")),
        snooze_until=_date_or_none(data.get("snooze_until")),
        paused=data.get("paused") is True,
        records=tuple(records),
        email=_strings(data.get("email")),
        interests=items(data.get("interests")),
        offers=items(data.get("offers")),
        needs=items(data.get("needs")),
    )


def _line(lines: dict[tuple[str | int, ...], int], *key: str | int) -> int | None:
    """The line of a property path, or of the nearest enclosing one that has a line."""
    while key:
        if key in lines:
            return lines[key]
        key = key[:-1]
    return None


def _all_dates_possible(data: dict[str, Any]) -> bool:
    """No date property nor interaction date is written as a date of no calendar day."""
    for key in _DATE_KEYS:
        value = data.get(key)
        if isinstance(value, str) and _impossible(value):
            return False
    entries = data.get("interactions")
    if isinstance(entries, list):
        for entry in entries:
            if isinstance(entry, dict):
                value = entry.get("date")
                if isinstance(value, str) and _impossible(value):
                    return False
    return True


def _dims_one_by_one(data: dict[str, Any]) -> dict[str, str]:
    """`diversity_values(data)`, the long way."""
    return {k: text for k, v in data.items() if (text := diversity_value(v))}


def _valid_part(
    data: dict[str, Any],
    lines: dict[tuple[str | int, ...], int],
    problems: list[tuple[int | None, str, str]],
    check: Check,
) -> dict[str, Any]:
    """A copy of `data` without what is invalid, each thing dropped reported in `problems`."""
    data = dict(data)

    def report(where: int | None, code: str, message: str) -> None:
        problems.append((where, code, message))

    # Impossible dates first: a problem on that property (or interactions entry) only.
    for key in _DATE_KEYS:
        if isinstance(data.get(key), str) and _impossible(data[key]):
            report(
                _line(lines, key),
                "bad-date",
                f"'{key}: {data[key]}' is not a date of the calendar: correct it (YYYY-MM-DD)",
            )
            data.pop(key)
    entries = data.get("interactions")
    origin: list[int] = []  # the written position of each entry kept, for lines and numbers
    if isinstance(entries, list):
        kept = []
        for i, entry in enumerate(entries):
            if isinstance(entry, dict):
                value = entry.get("date")
                if isinstance(value, str) and _impossible(value):
                    report(
                        _line(lines, "interactions", i, "date"),
                        "bad-date",
                        f"interaction {i + 1} is dated '{value}', not a date of the "
                        "calendar: it is ignored until you correct it",
                    )
                    continue
            kept.append(entry)
            origin.append(i)
        data["interactions"] = kept
    dropped: set[int] = set()
    ignored: set[str] = set()
    errors: Iterable[tuple[tuple[str | int, ...], str]] = ()
    if not check(data):
        errors = _schema_errors(data)
    for error_path, _ in errors:
        if not error_path:
            continue
        key = str(error_path[0])
        if key in ignored:
            continue
        if key == "interactions" and len(error_path) >= 2 and isinstance(error_path[1], int):
            index = error_path[1]
            if index in dropped:
                continue
            field_name = error_path[2] if len(error_path) >= 3 else None
            entry = data["interactions"][index]
            written = origin[index] if index < len(origin) else index
            if field_name is None or field_name == "date":
                dropped.add(index)
                if not isinstance(entry, dict):
                    what = f"('{_shown(entry)}') is not an entry with a date"
                elif "date" not in entry:
                    what = "has no date"
                else:
                    what = f"is dated '{_shown(entry['date'])}', which is not a date"
                report(
                    _line(lines, "interactions", written, *([field_name] if field_name else [])),
                    "invalid-property",
                    f"interaction {written + 1} {what}: it is ignored until you fix it "
                    "(each entry needs a 'date: YYYY-MM-DD')",
                )
            else:
                value = entry.get(field_name) if isinstance(entry, dict) else None
                expected = _ENTRY_EXPECTED.get(str(field_name), "what entraide reads there")
                report(
                    _line(lines, "interactions", written, str(field_name)),
                    "invalid-property",
                    f"interaction {written + 1}: '{field_name}: {_shown(value)}' is not "
                    f"{expected}; it is ignored",
                )
                if isinstance(entry, dict):
                    entry = dict(entry)
                    entry.pop(str(field_name), None)
                    data["interactions"][index] = entry
            continue
        ignored.add(key)
        shown = _shown(data.get(key))
        expected = _EXPECTED.get(key, "what entraide reads there")
        report(
            _line(lines, key),
            "invalid-property",
            f"'{key}: {shown}' is not {expected}; it is ignored until you fix it",
        )
    for key in ignored:
        data.pop(key, None)
    if dropped and isinstance(data.get("interactions"), list):
        data["interactions"] = [e for i, e in enumerate(data["interactions"]) if i not in dropped]
    return data


# Interactions entries validated at once: the validator's errors are heavy objects (a few
# kilobytes each), and a note may hold a hundred thousand entries, each wrong.
_ENTRIES_AT_ONCE = 1000


def _schema_errors(data: dict[str, Any]) -> list[tuple[tuple[str | int, ...], str]]:
    """`schemas.errors("contact", …)` of `data` made JSON-like, shallowest first: a long
    `interactions` list is validated a slice at a time (the schema checks each entry on its
    own, and no property depends on another), the errors sorted as `schemas.errors` sorts
    them (a stable sort: one entry's errors keep their order)."""
    entries = data.get("interactions")
    if not isinstance(entries, list) or len(entries) <= _ENTRIES_AT_ONCE:
        return list(schemas.errors("contact", {k: _jsonable(v) for k, v in data.items()}))
    rest = {k: _jsonable(v) for k, v in data.items() if k != "interactions"}
    found = list(schemas.errors("contact", rest))
    for start in range(0, len(entries), _ENTRIES_AT_ONCE):
        part = [_jsonable(e) for e in entries[start : start + _ENTRIES_AT_ONCE]]
        for path, message in schemas.errors("contact", {"interactions": part}):
            if len(path) >= 2 and isinstance(path[1], int):
                path = (path[0], path[1] + start, *path[2:])
            found.append((path, message))
    found.sort(key=lambda error: (len(error[0]), str(error[0])))
    return found


def _alias_lines(value: Any, lines: dict[tuple[str | int, ...], int]) -> tuple[int | None, ...]:
    """The line of each alias `_strings` keeps, for reports."""
    if isinstance(value, list):
        return tuple(
            lines.get(("aliases", i), lines.get(("aliases",)))
            for i, s in enumerate(value)
            if isinstance(s, str) and s.strip()
        )
    return tuple(lines.get(("aliases",)) for _ in _strings(value))


def from_marks(
    day: date, source: int, marks: Marks, kind: str | None = None, note: str | None = None
) -> Interaction:
    # Interaction's fields in order (positional: several times faster than by name).
    return Interaction(
        day,
        marks.kind or kind,
        marks.minutes,
        marks.gave,
        marks.asked,
        marks.news,
        source,
        marks.gave_text,
        marks.asked_text,
        note,
    )


def _impossible(value: Any) -> bool:
    """A value written as a date that names no day of the calendar (2026-02-30, --02-30)."""
    if isinstance(value, BadDate):
        return True
    if isinstance(value, str):
        text = value.strip()
        if _MONTH_DAY.fullmatch(text):
            try:
                date(2000, int(text[2:4]), int(text[5:7]))
            except ValueError:
                return True
            return False
        try:
            to_date(text)
        except ImpossibleDate:
            return True
    return False


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return date_text(value)


# What each property holds (DESIGN §2), in the user's words: an invalid value's message says
# what to write instead, never the schema's or a regular expression's sentence.
_DATE = "a date: write YYYY-MM-DD"
_TEXT = "text, or a list whose first item counts"
_EXPECTED = {
    "aliases": "a name, or a list of names",
    "tags": "a tag, or a list of tags",
    "type": "text, or a list of text or links",
    "categories": "text, or a list of text or links",
    "circle": "a circle's name",
    "cadence": "a cadence: write a number of days, or 2w, 3m, 1y",
    "sector": _TEXT,
    "profession": _TEXT,
    "country": _TEXT,
    "met": _TEXT,
    "interests": "a list of text or links",
    "offers": "a list of text or links",
    "needs": "a list of text or links",
    "since": _DATE,
    "birthday": "a date: write YYYY-MM-DD, or --MM-DD without the year",
    "follow_up": _DATE,
    "snooze_until": _DATE,
    "paused": "true or false",
    "email": "an email address, or a list of them",
    "knows": 'a list of links: write "[[Name]]" (quoted) on each item',
    "interactions": "a list of entries, each with a 'date: YYYY-MM-DD'",
}
_ENTRY_EXPECTED = {
    "kind": "text (call, coffee, email…)",
    "minutes": "a number of minutes",
    "gave": "true, or text saying what",
    "asked": "true, or text saying what",
    "news": "true, or text saying what",
    "note": "text",
}


def _shown(value: Any) -> str:
    """A value as YAML would write it, shortened."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif value is None:
        text = "null"
    elif isinstance(value, list):
        text = "[" + ", ".join(_shown(v) for v in value[:5]) + (", …]" if value[5:] else "]")
    elif isinstance(value, dict):
        text = "{" + ", ".join(f"{k}: {_shown(v)}" for k, v in list(value.items())[:3]) + "}"
    else:
        text = str(date_text(value))
    return text if len(text) <= 40 else text[:37] + "..."


def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        items: list[Any] = value.split(",")
    elif isinstance(value, list):
        items = value
    else:
        return ()
    return tuple(s.strip() for s in items if isinstance(s, str) and s.strip())


_ITEM_LINK = re.compile(r"\[\[([^\[\]]*)\]\]")


def items(value: Any) -> tuple[str, ...]:
    """`interests`, `offers` or `needs` as compared (DESIGN 5.5): each item trimmed, NFC and
    case-folded, a `[[link]]` item reduced to its target; empty ones dropped, repeats once.

    Text alone is one item (compared as a whole: never split at commas); a number counts as
    its text; the unquoted `[[X]]` YAML form (nested lists) as `X`."""
    if value is None:
        return ()
    found: dict[str, None] = {}
    for item in value if isinstance(value, list) else [value]:
        while isinstance(item, list) and len(item) == 1:
            item = item[0]
        if isinstance(item, bool) or not isinstance(item, (str, int, float)):
            continue
        text = unicodedata.normalize("NFC", str(item).strip())
        m = _ITEM_LINK.fullmatch(text)
        if m:
            text = strip_target(m.group(1))
        text = unicodedata.normalize("NFC", text.casefold()).strip()
        if text:
            found[text] = None
    return tuple(found)


def _date_or_none(value: Any) -> date | None:
    if value is None or type(value) is date:
        return value  # what to_date gives, without its checks: most values are one or the other
    try:
        return to_date(value)
    except ImpossibleDate:
        return None


def _birthday(value: Any) -> Birthday | None:
    if isinstance(value, str) and _MONTH_DAY.fullmatch(value.strip()):
        month, day = int(value.strip()[2:4]), int(value.strip()[5:7])
        try:
            date(2000, month, day)  # a leap year: 29 February is a birthday
        except ValueError:
            return None
        return Birthday(month, day)
    found = _date_or_none(value)
    return Birthday(found.month, found.day, found.year) if found else None


# -- a fast proof of validity ---------------------------------------------------------------

_CHECKED_WORDS = frozenset(
    {"type", "items", "pattern", "minimum", "required", "properties", "title", "description"}
)
_JSON_TYPES = frozenset({"string", "integer", "number", "boolean", "null", "array", "object"})
_MEMO_SIZE = 1 << 14
Check = Callable[[Any], bool]


@functools.cache
def _contact_check() -> Check:
    """True only for properties the contact schema surely accepts once made `_jsonable`.

    Nearly every note is valid: proving it here, without the JSON copy and the compiled
    validator, is most of what checking costs. False only means "ask the validators".
    """
    schema = {k: v for k, v in schemas.load("contact").items() if k not in ("$schema", "$id")}
    check = _compile(schema)
    return check if check is not None else _never


def _never(value: Any) -> bool:
    return False


def _compile(schema: Any) -> Check | None:
    """A check for the few keywords the contact schema uses; None when it uses others."""
    compiled = _compile_with_types(schema)
    return None if compiled is None else compiled[0]


def _compile_with_types(schema: Any) -> tuple[Check, frozenset[type]] | None:
    """`_compile`'s check, and the types whose every value it passes (see below).

    It passes a value only when fastjsonschema (which decides validity: jsonschema only words
    the errors) would, and errs on the safe side: no float as an integer, no NaN or infinity,
    no non-ASCII or multi-line text against a pattern (where `\\d`, `\\s` and fastjsonschema's
    `$` → `\\Z` could differ), no dict with a key that is not a string.
    """
    if not isinstance(schema, dict) or not set(schema) <= _CHECKED_WORDS:
        return None
    kinds = schema.get("type")
    kinds = {kinds} if isinstance(kinds, str) else set(kinds) if isinstance(kinds, list) else None
    if not kinds or not kinds <= _JSON_TYPES:
        return None
    pattern = schema.get("pattern")
    if pattern is not None and (not isinstance(pattern, str) or "$" in pattern[:-1]):
        return None
    regex = re.compile(pattern) if pattern is not None else None
    minimum = schema.get("minimum")
    if "minimum" in schema and type(minimum) not in (int, float):
        return None
    items = _compile_with_types(schema["items"]) if "items" in schema else None
    if "items" in schema and items is None:
        return None
    item_check, item_types = items if items is not None else (None, frozenset())
    fields: dict[str, tuple[Check, frozenset[type]]] = {}
    if not isinstance(schema.get("properties", {}), dict):
        return None
    for name, sub in schema.get("properties", {}).items():
        field = _compile_with_types(sub)
        if field is None:
            return None
        fields[name] = field
    required = schema.get("required", [])
    if not isinstance(required, list) or not all(isinstance(r, str) for r in required):
        return None
    text_ok = "string" in kinds
    null_ok = "null" in kinds
    bool_ok = "boolean" in kinds
    list_ok = "array" in kinds
    dict_ok = "object" in kinds
    # The types `check` passes whatever the value (read off its branches below): a list item
    # or map field of one of them needs no call to its check. Most values are such.
    passed: set[type] = set()
    if text_ok and regex is None:
        passed |= {str, date, datetime}
    if null_ok:
        passed.add(type(None))
    if bool_ok:
        passed.add(bool)
    if minimum is None and kinds & {"number", "integer"}:
        passed.add(int)
    # Verdicts by text or date; a date-time by its text, as equal ones (one instant in two
    # time zones) are written differently.
    texts: dict[str | date, bool] = {}

    def check(value: Any) -> bool:
        kind = type(value)
        if kind is str or kind is date or kind is datetime:
            if regex is None:
                return text_ok
            key = value.isoformat() if kind is datetime else value
            ok = texts.get(key)
            if ok is None:
                text = key if kind is not date else value.isoformat()
                ok = text_ok and text.isascii() and "\n" not in text and bool(regex.search(text))
                if len(texts) < _MEMO_SIZE:
                    texts[key] = ok
            return ok
        if value is None:
            return null_ok
        if kind is bool:
            return bool_ok
        if kind is int or (kind is float and math.isfinite(value)):
            if "number" not in kinds and not (kind is int and "integer" in kinds):
                return False
            return minimum is None or value >= minimum
        if kind is list:
            if not list_ok:
                return False
            if item_check is not None:
                for item in value:
                    if type(item) not in item_types and not item_check(item):
                        return False
            return True
        if kind is dict:
            if not dict_ok:
                return False
            for name in required:
                if name not in value:
                    return False
            for name, item in value.items():
                if type(name) is not str:
                    return False
                field = fields.get(name)
                if field is not None and type(item) not in field[1] and not field[0](item):
                    return False
            return True
        return False

    return check, frozenset(passed)
