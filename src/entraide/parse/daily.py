"""Daily-note names as Obsidian's daily-notes plugin parses them: moment.js, strict mode.

Only the last `/` segment of the format is matched against a file name (without `.md`).
Tokens: YYYY YY MM M DD D Do MMM MMMM ddd dddd, and literal text in `[...]`. As in moment's
strict mode, the whole name must match, month and weekday names compare case-insensitively,
and a weekday that disagrees with the date makes the name invalid.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from entraide.parse.values import nfc

_NAMES = {
    "en": {
        "MMMM": [
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
        ],
        "MMM": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
        "dddd": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
        "ddd": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
        "Do": r"\d{1,2}(?:st|nd|rd|th)",
    },
    "fr": {
        "MMMM": [
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ],
        "MMM": [
            "janv.",
            "févr.",
            "mars",
            "avr.",
            "mai",
            "juin",
            "juil.",
            "août",
            "sept.",
            "oct.",
            "nov.",
            "déc.",
        ],
        "dddd": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
        "ddd": ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."],
        "Do": r"\d{1,2}(?:er)?",
    },
}
_TOKENS = ("YYYY", "YY", "MMMM", "MMM", "MM", "M", "Do", "DD", "D", "dddd", "ddd")
_DIGITS = {
    "YYYY": r"\d{4}",
    "YY": r"\d{2}",
    "MM": r"\d{2}",
    "M": r"\d{1,2}",
    "DD": r"\d{2}",
    "D": r"\d{1,2}",
}

DailyMatcher = Callable[[str], "date | None"]


def matcher(fmt: str, locale: str = "en", default_year: int = 1970) -> DailyMatcher:
    """A function from a file name (without `.md`) to its date, or None when not a daily note."""
    fmt = (fmt or "YYYY-MM-DD").rsplit("/", 1)[-1] or "YYYY-MM-DD"
    names = _NAMES.get(locale, _NAMES["en"])
    parts: list[str] = []
    groups: list[str] = []
    i = 0
    while i < len(fmt):
        if fmt[i] == "[":
            end = fmt.find("]", i)
            if end < 0:
                end = len(fmt)
            parts.append(re.escape(fmt[i + 1 : end]))
            i = end + 1
            continue
        token = next((t for t in _TOKENS if fmt.startswith(t, i)), None)
        if token is None:
            parts.append(re.escape(fmt[i]))
            i += 1
            continue
        groups.append(token)
        if token in _DIGITS:
            pattern = _DIGITS[token]
        elif token == "Do":
            pattern = str(names["Do"])
        else:
            alternatives = sorted(names[token], key=len, reverse=True)
            pattern = "|".join(re.escape(nfc(a)) for a in alternatives)
        parts.append(f"({pattern})")
        i += len(token)
    regex = re.compile("".join(parts), re.IGNORECASE)
    lowered = {key: [nfc(v).lower() for v in names[key]] for key in ("MMMM", "MMM", "dddd", "ddd")}

    def parse(name: str) -> date | None:
        m = regex.fullmatch(nfc(name))
        if not m:
            return None
        year, month, day, weekday = default_year, 1, 1, None
        for token, text in zip(groups, m.groups(), strict=True):
            if token == "YYYY":
                year = int(text)
            elif token == "YY":
                year = int(text) + (1900 if int(text) > 68 else 2000)
            elif token in ("MM", "M"):
                month = int(text)
            elif token in ("DD", "D"):
                day = int(text)
            elif token == "Do":
                day = int(re.match(r"\d+", text).group())  # type: ignore[union-attr]
            elif token in ("MMMM", "MMM"):
                month = lowered[token].index(text.lower()) + 1
            else:
                weekday = lowered[token].index(text.lower())
        try:
            found = date(year, month, day)
        except ValueError:
            return None
        if weekday is not None and found.weekday() != weekday:
            return None
        return found

    return parse
