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
import re
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from importlib.resources import files

LANGUAGES = ("en", "fr")
_FIELD = re.compile(r"\{(\w*)\}")


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalogue of `language`; English (the ids themselves) for `en`."""
    if language == "en":
        return gettext.NullTranslations()
    path = files("entraide") / "locale" / language / "LC_MESSAGES" / "entraide.mo"
    with path.open("rb") as f:
        return gettext.GNUTranslations(f)


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
        text = f"{self.weekday(day)} {day.day} {self.month(day.month)}"
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


@cache
def _templates(language: str) -> tuple[tuple[str, re.Pattern[str], str], ...]:
    """(literal prefix, pattern, translation) of each problem template of the catalogue,
    longest first, so that a more specific template wins over a general one."""
    catalog = translations(language)
    found = []
    for key, text in getattr(catalog, "_catalog", {}).items():
        if not isinstance(key, str) or not key.startswith("problem\x04") or not text:
            continue
        msgid = key.split("\x04", 1)[1]
        parts = _FIELD.split(msgid)
        # Literal, field, literal, field…: each field matches any text, as short as it can
        # (a field named twice must match the same text twice).
        pattern, named = [], set()
        for i, part in enumerate(parts):
            if i % 2 == 0:
                pattern.append(re.escape(part))
            elif part in named:
                pattern.append(f"(?P={part})")
            else:
                named.add(part)
                pattern.append(f"(?P<{part}>.+?)")
        found.append((parts[0], re.compile("".join(pattern) + r"\Z", re.DOTALL), text))
    found.sort(key=lambda item: -len(item[1].pattern))
    return tuple(found)


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
