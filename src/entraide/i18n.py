"""The user's language (DESIGN §11): one gettext catalogue per language.

A catalogue's source is `locale/LANG/LC_MESSAGES/entraide.po` in the package; the build compiles
it to `entraide.mo` beside it (setup.py, with Babel), so a third language is one more `.po` file.
English is the message ids themselves. Message ids use `str.format` fields (`{name}`).

Problem messages are made in English where the problem is found (a parser knows no language);
`problem_message` finds the catalogue's template (`msgctxt "problem"`) the message was made from
and fills in the translation with the same values; a field whose name starts with `why` holds
another message (a reason, an error), translated the same way.
"""

from __future__ import annotations

import gettext
import io
import re
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from string import Formatter

LANGUAGES = ("en", "fr")


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalogue of `language`; English (the ids themselves) for `en`."""
    if language == "en":
        return gettext.NullTranslations()
    folder = files("entraide") / "locale" / language / "LC_MESSAGES"
    try:
        with (folder / "entraide.mo").open("rb") as f:
            return gettext.GNUTranslations(f)
    except FileNotFoundError:  # a source tree never built: its `.po`, when Babel is there
        return _from_po(folder / "entraide.po")


def _from_po(path: Traversable) -> gettext.NullTranslations:
    try:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po
    except ImportError:
        return gettext.NullTranslations()  # English rather than a crash
    with path.open("rb") as f:
        catalog = read_po(f)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


@dataclass(frozen=True, slots=True)
class Lang:
    """Everything said in one language: sentences, plurals, month and day names."""

    code: str = "en"

    def t(self, msgid: str, /, **values: object) -> str:
        """`msgid` in this language, its `{fields}` filled in."""
        text = msgid if self.code == "en" else translations(self.code).gettext(msgid)
        return text.format(**values) if values else text

    def n(self, singular: str, plural: str, count: int, /, **values: object) -> str:
        """The singular or plural sentence for `count` (given to the format as `n`)."""
        if self.code == "en":
            text = singular if count == 1 else plural
        else:
            text = translations(self.code).ngettext(singular, plural, count)
        return text.format(n=count, **values)

    def number(self, value: float, spec: str = ".2f") -> str:
        """`value` formatted by `spec`, with this language's decimal mark (`0,75`)."""
        text = format(value, spec)
        return text if self.code == "en" else text.replace(".", self.t("."))

    def month(self, month: int) -> str:
        return self.t(_MONTHS[month - 1])

    def weekday(self, day: date) -> str:
        return self.t(_WEEKDAYS[day.weekday()])

    def long_date(self, day: date, year: bool = False) -> str:
        """ "Tuesday 24 November" / "mardi 24 novembre" (with the year when asked)."""
        number = str(day.day)
        if day.day == 1 and self.code != "en":  # (French writes the first "1er")
            number = translations(self.code).pgettext("first day of the month", "1")
        text = f"{self.weekday(day)} {number} {self.month(day.month)}"
        return f"{text} {day.year}" if year else text

    def problem(self, message: str) -> str:
        """A problem message (made in English) in this language."""
        return message if self.code == "en" else problem_message(self.code, message)


ENGLISH = Lang("en")

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def lang(code: str | None) -> Lang:
    """The language of a `language` setting; English for anything unknown (settings report it)."""
    return Lang(code) if code in LANGUAGES and code != "en" else ENGLISH


_COUNTS = frozenset({"n", "i", "line"})  # fields that hold a number in a template


@cache
def _templates(language: str) -> tuple[tuple[str, re.Pattern[str], str], ...]:
    """(literal prefix, pattern, translation) of each problem template of the catalogue,
    those that open with text before those that open with a field (`{value} is not a number`
    would take any sentence ending so as its value), then the most literal text first: a more
    specific template wins over a general one.

    A template is a format string: `{field}` stands for any text (`{n}`, `{i}` and `{line}`:
    a number), `{{` and `}}` for the braces themselves."""
    catalog = translations(language)
    found = []
    for key, text in getattr(catalog, "_catalog", {}).items():
        if not isinstance(key, str) or not key.startswith("problem\x04") or not text:
            continue
        msgid = key.split("\x04", 1)[1]
        # Literal, field, literal, field…: each field matches any text, as short as it can
        # (a field named twice must match the same text twice).
        pattern, named, literal = [], set(), []
        for part, field, _spec, _conversion in Formatter().parse(msgid):
            pattern.append(re.escape(part))
            literal.append(part)
            if field is None:
                continue
            if field in named:
                pattern.append(f"(?P={field})")
            else:
                named.add(field)
                what = r"\d[\d,]*" if field in _COUNTS else ".+?"
                pattern.append(f"(?P<{field}>{what})")
        prefix = literal[0] if literal else ""
        rank = (bool(prefix), sum(map(len, literal)))
        found.append((rank, prefix, re.compile("".join(pattern) + r"\Z", re.DOTALL), text))
    found.sort(key=lambda item: item[0], reverse=True)
    return tuple((prefix, pattern, text) for _rank, prefix, pattern, text in found)


@lru_cache(maxsize=1 << 14)
def problem_message(language: str, message: str) -> str:
    """`message` translated through the template it was made from; as it is when none is."""
    for prefix, pattern, text in _templates(language):
        if message.startswith(prefix):
            match = pattern.match(message)
            if match:
                values = match.groupdict()
                for key, value in values.items():
                    if key.startswith("why"):  # a message inside the message: translated too
                        values[key] = problem_message(language, value)
                return text.format(**values)
    return message
