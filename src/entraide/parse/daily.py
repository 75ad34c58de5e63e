"""Daily notes as Obsidian names them: a moment.js format, read the way moment's strict mode
reads it (DESIGN §1).

The reference is moment 2.29.4, the version Obsidian bundles. moment reads a format token by
token: each token's regular expression must match where the last one stopped, takes what it
matches (no backtracking into it), and in strict mode the whole text must be used. Here each
token is one atomic group of a regular expression, so one `fullmatch` does the same walk.

A format may hold `/`: its segments are matched against the last segments of the note's path
below the daily folder, and every token of every segment dates the note. Unlike moment, which
lets a later token overwrite an earlier one and ignores a weekday number or a week that
contradicts a full date, every token here must agree with the date (a weekday, a quarter, a
week, a year written twice): a name that says two different days is not a daily note. Time
tokens must match (hour 0-24, minute and second 0-59, a 12-hour clock 1-12) and are otherwise
ignored.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from entraide.model import Problem
from entraide.parse.values import nfc

DailyMatcher = Callable[[str], "date | None"]

DEFAULT_FORMAT = "YYYY-MM-DD"

# moment's `matchWord`: what English, Italian and Portuguese month names (and English and
# Italian weekday names) consume before the name is looked up.
_WORD = (
    "[0-9]{0,256}['a-z\u00a0-\u05ff\u0700-\ud7ff\uf900-\ufdcf\ufdf0-\uff07\uff10-\uffef]{1,256}"
    "|[\u0600-\u06ff/]{1,256}(?:\\s*?[\u0600-\u06ff]{1,256}){1,2}"
)


@dataclass(frozen=True, slots=True)
class Locale:
    """Month and weekday names of one moment locale, and how its strict mode reads them.

    Copied from moment 2.29.4 `src/locale/*.js` (names, `*StrictRegex`, `monthsParse`,
    `dayOfMonthOrdinalParse`, `week`). A pattern of None is built as moment builds it for a
    locale with `monthsParseExact` / `weekdaysParseExact`: the names, longest first.
    """

    months: tuple[str, ...]
    months_short: tuple[str, ...]
    weekdays: tuple[str, ...]  # Sunday first, as in moment
    weekdays_short: tuple[str, ...]
    weekdays_min: tuple[str, ...]
    ordinal: str  # `Do`
    dow: int  # first day of the week (0: Sunday)
    doy: int  # 7 + dow - the January day that is always in week 1
    months_pattern: str | None = _WORD  # MMMM
    months_short_pattern: str | None = _WORD  # MMM
    weekdays_pattern: str | None = _WORD  # dddd, ddd and dd alike
    months_parse: tuple[str, ...] = ()  # moment's `monthsParse` regexes, when the locale has them

    @property
    def months_exact(self) -> bool:
        """moment's `monthsParseExact`: names looked up as they are, in lowercase."""
        return self.months_pattern is None

    @property
    def weekdays_exact(self) -> bool:
        """moment's `weekdaysParseExact`."""
        return self.weekdays_pattern is None


def _split(names: str) -> tuple[str, ...]:
    return tuple(names.split("_"))


LOCALES: dict[str, Locale] = {
    "en": Locale(
        months=_split(
            "January_February_March_April_May_June_July_August_September_October_November_December"
        ),
        months_short=_split("Jan_Feb_Mar_Apr_May_Jun_Jul_Aug_Sep_Oct_Nov_Dec"),
        weekdays=_split("Sunday_Monday_Tuesday_Wednesday_Thursday_Friday_Saturday"),
        weekdays_short=_split("Sun_Mon_Tue_Wed_Thu_Fri_Sat"),
        weekdays_min=_split("Su_Mo_Tu_We_Th_Fr_Sa"),
        ordinal="[0-9]{1,2}(?:th|st|nd|rd)",
        dow=0,
        doy=6,
    ),
    "fr": Locale(
        months=_split(
            "janvier_février_mars_avril_mai_juin_juillet_août_septembre_octobre_novembre_décembre"
        ),
        months_short=_split("janv._févr._mars_avr._mai_juin_juil._août_sept._oct._nov._déc."),
        weekdays=_split("dimanche_lundi_mardi_mercredi_jeudi_vendredi_samedi"),
        weekdays_short=_split("dim._lun._mar._mer._jeu._ven._sam."),
        weekdays_min=_split("di_lu_ma_me_je_ve_sa"),
        ordinal="[0-9]{1,2}(?:er|)",
        dow=1,
        doy=4,
        months_pattern=(
            "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
        ),
        months_short_pattern=(
            r"janv\.?|févr\.?|mars|avr\.?|mai|juin|juil\.?|août|sept\.?|oct\.?|nov\.?|déc\.?"
        ),
        weekdays_pattern=None,
        months_parse=(
            "^janv",
            "^févr",
            "^mars",
            "^avr",
            "^mai",
            "^juin",
            "^juil",
            "^août",
            "^sept",
            "^oct",
            "^nov",
            "^déc",
        ),
    ),
    "de": Locale(
        months=_split(
            "Januar_Februar_März_April_Mai_Juni_Juli_August_September_Oktober_November_Dezember"
        ),
        months_short=_split("Jan._Feb._März_Apr._Mai_Juni_Juli_Aug._Sep._Okt._Nov._Dez."),
        weekdays=_split("Sonntag_Montag_Dienstag_Mittwoch_Donnerstag_Freitag_Samstag"),
        weekdays_short=_split("So._Mo._Di._Mi._Do._Fr._Sa."),
        weekdays_min=_split("So_Mo_Di_Mi_Do_Fr_Sa"),
        ordinal=r"[0-9]{1,2}\.",
        dow=1,
        doy=4,
        months_pattern=None,
        months_short_pattern=None,
        weekdays_pattern=None,
    ),
    "es": Locale(
        months=_split(
            "enero_febrero_marzo_abril_mayo_junio_julio_agosto_septiembre_octubre_noviembre_diciembre"
        ),
        months_short=_split("ene._feb._mar._abr._may._jun._jul._ago._sep._oct._nov._dic."),
        weekdays=_split("domingo_lunes_martes_miércoles_jueves_viernes_sábado"),
        weekdays_short=_split("dom._lun._mar._mié._jue._vie._sáb."),
        weekdays_min=_split("do_lu_ma_mi_ju_vi_sá"),
        ordinal="[0-9]{1,2}º",
        dow=1,
        doy=4,
        months_pattern=(
            "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre"
            "|diciembre"
        ),
        months_short_pattern=(
            r"ene\.?|feb\.?|mar\.?|abr\.?|may\.?|jun\.?|jul\.?|ago\.?|sep\.?|oct\.?|nov\.?|dic\.?"
        ),
        weekdays_pattern=None,
        months_parse=(
            "^ene",
            "^feb",
            "^mar",
            "^abr",
            "^may",
            "^jun",
            "^jul",
            "^ago",
            "^sep",
            "^oct",
            "^nov",
            "^dic",
        ),
    ),
    "it": Locale(
        months=_split(
            "gennaio_febbraio_marzo_aprile_maggio_giugno_luglio_agosto_settembre_ottobre"
            "_novembre_dicembre"
        ),
        months_short=_split("gen_feb_mar_apr_mag_giu_lug_ago_set_ott_nov_dic"),
        weekdays=_split("domenica_lunedì_martedì_mercoledì_giovedì_venerdì_sabato"),
        weekdays_short=_split("dom_lun_mar_mer_gio_ven_sab"),
        weekdays_min=_split("do_lu_ma_me_gi_ve_sa"),
        ordinal="[0-9]{1,2}º",
        dow=1,
        doy=4,
    ),
    "pt": Locale(
        months=_split(
            "janeiro_fevereiro_março_abril_maio_junho_julho_agosto_setembro_outubro_novembro"
            "_dezembro"
        ),
        months_short=_split("jan_fev_mar_abr_mai_jun_jul_ago_set_out_nov_dez"),
        weekdays=_split(
            "Domingo_Segunda-feira_Terça-feira_Quarta-feira_Quinta-feira_Sexta-feira_Sábado"
        ),
        weekdays_short=_split("Dom_Seg_Ter_Qua_Qui_Sex_Sáb"),
        weekdays_min=_split("Do_2ª_3ª_4ª_5ª_6ª_Sá"),
        ordinal="[0-9]{1,2}º",
        dow=1,
        doy=4,
        weekdays_pattern=None,
    ),
    "nl": Locale(
        months=_split(
            "januari_februari_maart_april_mei_juni_juli_augustus_september_oktober_november"
            "_december"
        ),
        months_short=_split("jan._feb._mrt._apr._mei_jun._jul._aug._sep._okt._nov._dec."),
        weekdays=_split("zondag_maandag_dinsdag_woensdag_donderdag_vrijdag_zaterdag"),
        weekdays_short=_split("zo._ma._di._wo._do._vr._za."),
        weekdays_min=_split("zo_ma_di_wo_do_vr_za"),
        ordinal="[0-9]{1,2}(?:ste|de)",
        dow=1,
        doy=4,
        months_pattern=(
            "januari|februari|maart|april|mei|ju[nl]i|augustus|september|oktober|november|december"
        ),
        months_short_pattern=(
            r"jan\.?|feb\.?|mrt\.?|apr\.?|mei|ju[nl]\.?|aug\.?|sep\.?|okt\.?|nov\.?|dec\.?"
        ),
        weekdays_pattern=None,
        months_parse=(
            "^jan",
            "^feb",
            "^maart|mrt.?$",
            "^apr",
            "^mei$",
            "^jun[i.]?$",
            "^jul[i.]?$",
            "^aug",
            "^sep",
            "^okt",
            "^nov",
            "^dec",
        ),
    ),
}


def locale_names() -> tuple[str, ...]:
    """The `daily_notes_locale` values entraide reads."""
    return tuple(LOCALES)


# -- the format ----------------------------------------------------------------------------

# moment's `formattingTokens` and `localFormattingTokens`, as they are.
_FORMAT_TOKENS = re.compile(
    r"(\[[^\[]*\])|(\\)?([Hh]mm(ss)?|Mo|MM?M?M?|Do|DDDo|DD?D?D?|ddd?d?|do?|w[o|w]?|W[o|W]?|Qo?"
    r"|N{1,5}|YYYYYY|YYYYY|YYYY|YY|y{2,4}|yo?|gg(ggg?)?|GG(GGG?)?|e|E|a|A|hh?|HH?|kk?|mm?|ss?"
    r"|S{1,9}|x|X|zz?|ZZ?|.)"
)
_LOCAL_TOKENS = re.compile(r"(\[[^\[]*\])|(\\)?(LTS|LT|LL?L?L?|l{1,4})")

# What each number token consumes in strict mode (moment 2.29.4's strict regexes).
_NUMBERS = {
    "YYYY": "[0-9]{4}",
    "YY": "[0-9]{2}",
    "Q": "[0-9]",
    "M": "[0-9][0-9]?",
    "MM": "[0-9]{2}",
    "D": "[0-9][0-9]?",
    "DD": "[0-9]{2}",
    "DDD": "[0-9]{1,3}",
    "DDDD": "[0-9]{3}",
    "d": "[0-9][0-9]?",
    "e": "[0-9][0-9]?",
    "E": "[0-9][0-9]?",
    "w": "[0-9][0-9]?",
    "ww": "[0-9]{2}",
    "W": "[0-9][0-9]?",
    "WW": "[0-9]{2}",
    "gg": "[0-9]{2}",
    "gggg": "[0-9]{4}",
    "GG": "[0-9]{2}",
    "GGGG": "[0-9]{4}",
    "H": "[0-9][0-9]?",
    "HH": "[0-9]{2}",
    "h": "[0-9][0-9]?",
    "hh": "[0-9]{2}",
    "k": "[0-9][0-9]?",
    "kk": "[0-9]{2}",
    "m": "[0-9][0-9]?",
    "mm": "[0-9]{2}",
    "s": "[0-9][0-9]?",
    "ss": "[0-9]{2}",
    "Hmm": "[0-9]{3}[0-9]?",
    "hmm": "[0-9]{3}[0-9]?",
    "Hmmss": "[0-9]{5}[0-9]?",
    "hmmss": "[0-9]{5}[0-9]?",
}
_NAMES = ("MMMM", "MMM", "dddd", "ddd", "dd", "Do", "a", "A")
_MERIDIEM = r"[ap]\.?m?\.?"  # moment's default `meridiemParse`; no locale here has its own

_TIME = frozenset("H HH h hh k kk m mm s ss a A Hmm hmm Hmmss hmmss".split())
# moment's other tokens: a format holding one is not one entraide can read.
_UNREAD_SINGLE = frozenset("NySxXzZYGg")


class FormatError(ValueError):
    """A daily-notes format entraide cannot use; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class _Segment:
    regex: re.Pattern[str]
    tokens: tuple[str, ...]  # the token of each group, in order
    timed: bool  # whether a time token is among them


@dataclass(frozen=True, slots=True)
class DailyFormat:
    """A format read once: its segments, and whether its last one dates a note by itself."""

    segments: tuple[_Segment, ...]
    last_alone: bool
    locale: Locale


def _tokens(fmt: str) -> list[tuple[str, str | None]]:
    """(literal text, None) or ("", token) for each of moment's tokens of `fmt`."""
    for m in _LOCAL_TOKENS.finditer(fmt):
        if m.group(3) and not m.group(2):
            raise FormatError(
                f"it holds '{m.group(3)}', a locale's whole date format, which entraide does "
                "not read (write the tokens out, for example YYYY-MM-DD)"
            )
    found: list[tuple[str, str | None]] = []
    end = 0
    for m in _FORMAT_TOKENS.finditer(fmt):
        if m.start() != end:
            raise FormatError("it holds a line break")
        end = m.end()
        text = m.group(0)
        if m.group(1) is not None:
            found.append((_unescape(text), None))
        elif m.group(2) is not None:
            found.append((m.group(3), None))
        elif text in _NUMBERS or text in _NAMES:
            found.append(("", text))
        elif len(text) > 1 or text in _UNREAD_SINGLE:
            raise FormatError(
                f"it holds '{text}', a moment.js token entraide does not read in a file name"
            )
        else:
            found.append((text, None))
    if end != len(fmt):
        raise FormatError("it holds a line break")
    return found


def _unescape(token: str) -> str:
    """The text a bracketed literal stands for, as moment's `unescapeFormat` reads it."""
    token = token.replace("\\", "", 1)
    return re.sub(
        r"\\(\[)|\\(\])|\[([^\]\[]*)\]|\\(.)",
        lambda m: next((g for g in m.groups() if g is not None), ""),
        token,
    )


def _exact(names: tuple[str, ...]) -> str:
    """moment's strict pattern for a `*ParseExact` locale: the names, longest first."""
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))


def _pattern(token: str, loc: Locale) -> str:
    if token in _NUMBERS:
        return _NUMBERS[token]
    if token == "Do":
        return loc.ordinal
    if token in ("a", "A"):
        return f"(?i:{_MERIDIEM})"
    if token == "MMMM":
        found = loc.months_pattern or _exact(loc.months)
    elif token == "MMM":
        found = loc.months_short_pattern or _exact(loc.months_short)
    else:
        names = {"dddd": loc.weekdays, "ddd": loc.weekdays_short, "dd": loc.weekdays_min}[token]
        found = loc.weekdays_pattern or _exact(names)
    return f"(?i:{found})"


def compile_format(fmt: str, locale: str = "en") -> DailyFormat:
    """The format read once; FormatError when entraide cannot date a day with it."""
    found = _compiled(fmt, locale)
    if isinstance(found, str):
        raise FormatError(found)
    return found


@lru_cache(maxsize=64)
def _compiled(fmt: str, locale: str) -> DailyFormat | str:
    try:
        return _compile(fmt, locale)
    except FormatError as error:
        return str(error)


def _compile(fmt: str, locale: str) -> DailyFormat:
    loc = LOCALES.get(locale, LOCALES["en"])
    fmt = nfc(fmt or DEFAULT_FORMAT)
    parts: list[list[tuple[str, str | None]]] = [[]]
    for text, token in _tokens(fmt):
        if token is not None:
            parts[-1].append((text, token))
            continue
        pieces = text.split("/")
        for i, piece in enumerate(pieces):
            if i:
                parts.append([])
            if piece:
                parts[-1].append((piece, None))
    parts = [p for p in parts if p]  # `a//b` or a leading `/`: Obsidian's paths have none
    segments = []
    for part in parts:
        regex = "".join(
            re.escape(text) if token is None else f"(?>({_pattern(token, loc)}))"
            for text, token in part
        )
        tokens = tuple(token for _, token in part if token is not None)
        segments.append(_Segment(re.compile(regex), tokens, bool(_TIME.intersection(tokens))))
    every = [t for s in segments for t in s.tokens]
    why = _cannot_date(every)
    if why is not None:
        raise FormatError(why)
    return DailyFormat(
        tuple(segments),
        len(segments) > 1 and _cannot_date(list(segments[-1].tokens)) is None,
        loc,
    )


def _cannot_date(tokens: list[str]) -> str | None:
    """Why these tokens cannot name a day, or None."""
    have = set(tokens)
    year = bool(have & {"YYYY", "YY"})
    month = bool(have & {"M", "MM", "MMM", "MMMM"})
    day = bool(have & {"D", "DD", "Do"})
    yday = bool(have & {"DDD", "DDDD"})
    weekday = bool(have & {"d", "dd", "ddd", "dddd", "e", "E"})
    iso = bool(have & {"W", "WW"})
    local = bool(have & {"w", "ww"})
    if year and ((month and day) or yday):
        return None
    if weekday and iso and (year or have & {"GGGG", "GG"}):
        return None
    if weekday and local and not iso and (year or have & {"gggg", "gg"}):
        return None
    if not (day or yday or (weekday and (iso or local))):
        return (
            "it cannot date a day, which needs a day of the month (D, DD, Do), a day of the "
            "year (DDD, DDDD) or a week and a weekday (WW and E, ww and e)"
        )
    if day and not month and not yday:
        return "it names a day of the month but no month (MM, MMM, MMMM)"
    if (day or yday) or not (have & {"GGGG", "GG", "gggg", "gg"}):
        return "it names no year (YYYY), so no note can be dated"
    return (
        "its week and week-year are of different kinds (ISO weeks are GGGG and WW, the "
        "locale's weeks gggg and ww)"
    )


# -- dates -----------------------------------------------------------------------------------


def _days_in_year(year: int) -> int:
    return 366 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 365


def _sunday_based(day: date) -> int:
    return (day.weekday() + 1) % 7


def _first_week_offset(year: int, dow: int, doy: int) -> int:
    """moment's `firstWeekOffset`: the start of week 1 minus the start of the year, in days."""
    fwd = 7 + dow - doy  # a January day always in week 1
    fwdlw = (7 + _sunday_based(date(year, 1, fwd)) - dow) % 7
    return -fwdlw + fwd - 1


def _weeks_in_year(year: int, dow: int, doy: int) -> int:
    offset = _first_week_offset(year, dow, doy)
    following = _first_week_offset(year + 1, dow, doy)
    return (_days_in_year(year) - offset + following) // 7


def _from_weeks(year: int, week: int, weekday: int, dow: int, doy: int) -> date:
    """moment's `dayOfYearFromWeeks`; `weekday` counts from Sunday (0)."""
    local = (7 + weekday - dow) % 7
    return date(year, 1, 1) + timedelta(
        days=7 * (week - 1) + local + _first_week_offset(year, dow, doy)
    )


def _week_of_year(day: date, dow: int, doy: int) -> tuple[int, int]:
    """moment's `weekOfYear`: (week, week-year) of `day`."""
    offset = _first_week_offset(day.year, dow, doy)
    week = (day.timetuple().tm_yday - offset - 1) // 7 + 1
    if week < 1:
        return week + _weeks_in_year(day.year - 1, dow, doy), day.year - 1
    if week > _weeks_in_year(day.year, dow, doy):
        return week - _weeks_in_year(day.year, dow, doy), day.year + 1
    return week, day.year


def _two_digits(text: str) -> int:
    """moment's `parseTwoDigitYear`: 69-99 are 1969-1999, 00-68 are 2000-2068."""
    value = int(text)
    return value + (1900 if value > 68 else 2000)


def _month(loc: Locale, token: str, text: str) -> int | None:
    """The month (1-12) a name matched by MMM or MMMM stands for, as moment looks it up."""
    if loc.months_parse:
        for i, regex in enumerate(loc.months_parse):
            if re.search(regex, text, re.IGNORECASE):
                return i + 1
        return None
    names = loc.months if token == "MMMM" else loc.months_short
    if loc.months_exact:
        lowered = [n.lower() for n in names]
        return lowered.index(text.lower()) + 1 if text.lower() in lowered else None
    for i, name in enumerate(names):
        if re.fullmatch(re.escape(name.replace(".", "", 1)), text, re.IGNORECASE):
            return i + 1
    return None


def _weekday(loc: Locale, token: str, text: str) -> int | None:
    """The weekday (0: Sunday) a name matched by dd, ddd or dddd stands for."""
    names = {"dddd": loc.weekdays, "ddd": loc.weekdays_short, "dd": loc.weekdays_min}[token]
    if loc.weekdays_exact:
        lowered = [n.lower() for n in names]
        return lowered.index(text.lower()) if text.lower() in lowered else None
    for i, name in enumerate(names):
        pattern = re.escape(name).replace(r"\.", r"\.?", 1)
        if re.fullmatch(pattern, text, re.IGNORECASE):
            return i
    return None


def _time_is_valid(found: list[tuple[str, str]]) -> bool:
    """Whether the time tokens name a time moment accepts in strict mode."""
    hour: int | None = None
    minute = second = 0
    twelve = False  # moment's `bigHour`: an h or hh, valid only from 1 to 12
    meridiem: str | None = None
    for token, text in found:
        if token in ("H", "HH"):
            hour = int(text)
        elif token in ("k", "kk"):
            hour = 0 if int(text) == 24 else int(text)
        elif token in ("h", "hh"):
            hour, twelve = int(text), True
        elif token in ("Hmm", "hmm", "Hmmss", "hmmss"):
            cut = len(text) - (4 if token.endswith("ss") else 2)
            hour, minute = int(text[:cut]), int(text[cut : cut + 2])
            if token.endswith("ss"):
                second = int(text[-2:])
            twelve = twelve or token.startswith("h")
        elif token in ("m", "mm"):
            minute = int(text)
        elif token in ("s", "ss"):
            second = int(text)
        elif token in ("a", "A"):
            meridiem = text
    if twelve and hour is not None and 0 < hour <= 12:
        twelve = False
    if twelve:
        return False
    if meridiem is not None and hour is not None:
        pm = meridiem.lower().startswith("p")
        if pm and hour < 12:
            hour += 12
        elif not pm and hour == 12:
            hour = 0
    if hour is not None and (hour > 24 or (hour == 24 and (minute or second))):
        return False
    return minute <= 59 and second <= 59


# How each token's text becomes the value of its field.
_NUMBER, _TWO_DIGITS, _MONTH_NAME, _WEEKDAY_NAME, _ORDINAL_DAY, _D, _E_LOCAL, _E_ISO, _TIMED = (
    range(9)
)
_KINDS: dict[str, tuple[str, int]] = {
    "YYYY": ("year", _NUMBER),
    "YY": ("year", _TWO_DIGITS),
    "M": ("month", _NUMBER),
    "MM": ("month", _NUMBER),
    "MMM": ("month", _MONTH_NAME),
    "MMMM": ("month", _MONTH_NAME),
    "Q": ("quarter", _NUMBER),
    "D": ("day", _NUMBER),
    "DD": ("day", _NUMBER),
    "Do": ("day", _ORDINAL_DAY),
    "DDD": ("yday", _NUMBER),
    "DDDD": ("yday", _NUMBER),
    "d": ("weekday", _D),
    "dd": ("weekday", _WEEKDAY_NAME),
    "ddd": ("weekday", _WEEKDAY_NAME),
    "dddd": ("weekday", _WEEKDAY_NAME),
    "e": ("weekday", _E_LOCAL),
    "E": ("weekday", _E_ISO),
    "W": ("isoweek", _NUMBER),
    "WW": ("isoweek", _NUMBER),
    "w": ("week", _NUMBER),
    "ww": ("week", _NUMBER),
    "GGGG": ("isoyear", _NUMBER),
    "GG": ("isoyear", _TWO_DIGITS),
    "gggg": ("weekyear", _NUMBER),
    "gg": ("weekyear", _TWO_DIGITS),
} | {token: ("", _TIMED) for token in _TIME}


def _fields(found: list[tuple[str, str]], loc: Locale) -> dict[str, int] | None:
    """What the date tokens say, by field; None when a name is no month or weekday, a weekday
    number is out of range, or two tokens say different things of one field."""
    one: dict[str, int] = {}
    for token, text in found:
        field, kind = _KINDS[token]
        if kind == _NUMBER:
            value: int | None = int(text)
        elif kind == _TIMED:
            continue
        elif kind == _TWO_DIGITS:
            value = _two_digits(text)
        elif kind == _MONTH_NAME:
            value = _month(loc, token, text)
        elif kind == _WEEKDAY_NAME:
            value = _weekday(loc, token, text)
        elif kind == _ORDINAL_DAY:
            value = int(re.match("[0-9]{1,2}", text).group())  # type: ignore[union-attr]
        elif kind == _D:
            value = int(text) if int(text) <= 6 else None
        elif kind == _E_LOCAL:
            value = (int(text) + loc.dow) % 7 if int(text) <= 6 else None
        else:  # _E_ISO
            value = int(text) % 7 if 1 <= int(text) <= 7 else None
        if value is None or one.setdefault(field, value) != value:
            return None
    return one


def _date(found: list[tuple[str, str]], loc: Locale, timed: bool) -> date | None:
    """The one day every token names, or None when they name none or several."""
    one = _fields(found, loc)
    if one is None or (timed and not _time_is_valid(found)):
        return None
    try:
        day, used = _day(one, loc)
        if day is None:
            return None
        for field, value in one.items():
            if field not in used and _said(day, field, loc) != value:
                return None
    except (ValueError, OverflowError):  # outside years 1-9999
        return None
    return day


def _said(day: date, field: str, loc: Locale) -> int:
    """What a token of `field` says of `day`."""
    if field == "year":
        return day.year
    if field == "month":
        return day.month
    if field == "day":
        return day.day
    if field == "weekday":
        return _sunday_based(day)
    if field == "quarter":
        return (day.month - 1) // 3 + 1
    if field == "yday":
        return day.timetuple().tm_yday
    if field == "isoweek":
        return day.isocalendar().week
    if field == "isoyear":
        return day.isocalendar().year
    week, weekyear = _week_of_year(day, loc.dow, loc.doy)
    return week if field == "week" else weekyear


_CALENDAR = frozenset(("year", "month", "day"))
_ORDINAL = frozenset(("year", "yday"))


def _day(one: dict[str, int], loc: Locale) -> tuple[date | None, frozenset[str]]:
    """The day the main tokens name — year, month and day; year and day of the year; or a
    week-year, a week and a weekday, resolved as moment resolves them — and the fields it was
    made from (the calendar year among them when it served as the week-year, as moment takes
    it when no week-year is given)."""
    year = one.get("year")
    if "month" in one and "day" in one and year is not None:
        return date(year, one["month"], one["day"]), _CALENDAR
    if "yday" in one and year is not None:
        if not 1 <= one["yday"] <= _days_in_year(year):
            return None, _ORDINAL
        return date(year, 1, 1) + timedelta(days=one["yday"] - 1), _ORDINAL
    weekday = one.get("weekday")
    if weekday is None:
        return None, _CALENDAR
    if "isoweek" in one:
        fields, week, dow, doy = ("isoweek", "isoyear"), one["isoweek"], 1, 4
    elif "week" in one:
        fields, week, dow, doy = ("week", "weekyear"), one["week"], loc.dow, loc.doy
    else:
        return None, _CALENDAR
    weekyear = one.get(fields[1])
    chosen = weekyear if weekyear is not None else year
    if chosen is None or not 1 <= week <= _weeks_in_year(chosen, dow, doy):
        return None, _CALENDAR
    used = frozenset((*fields, "weekday", "year" if weekyear is None else fields[1]))
    return _from_weeks(chosen, week, weekday, dow, doy), used


# -- daily notes -----------------------------------------------------------------------------


def _match(fmt: DailyFormat, parts: list[str], segments: tuple[_Segment, ...]) -> date | None:
    found: list[tuple[str, str]] = []
    start = len(parts) - len(segments)
    timed = False
    for i, segment in enumerate(segments):
        m = segment.regex.fullmatch(parts[start + i])
        if m is None:
            return None
        found.extend(zip(segment.tokens, m.groups(), strict=True))
        timed = timed or segment.timed
    return _date(found, fmt.locale, timed)


def date_of(fmt: DailyFormat, below: str) -> date | None:
    """The date of the note at `below` (its path below the daily folder, without `.md`), or
    None when it is not a daily note."""
    parts = (below if below.isascii() else nfc(below)).split("/")
    day = None
    if len(parts) >= len(fmt.segments):
        day = _match(fmt, parts, fmt.segments)
    if day is None and fmt.last_alone:
        day = _match(fmt, parts, fmt.segments[-1:])
    return day


def matcher(fmt: str, locale: str = "en") -> DailyMatcher:
    """A function from a note's path below the daily folder (without `.md`) to its date, or
    None when it is not a daily note (always None for a format entraide cannot use)."""
    try:
        compiled = compile_format(fmt, locale)
    except FormatError:
        return lambda below: None
    return lambda below: date_of(compiled, below)


def daily_matcher(folder: str, fmt: str, locale: str = "en") -> DailyMatcher:
    """A function from a note's vault path (`/`-separated, with `.md`) to its date when it is
    a daily note of the daily folder `folder` ("" for the vault root), else None."""
    below_folder = matcher(fmt, locale)
    prefix = folder.strip("/") + "/" if folder.strip("/") else ""

    def date_of_path(path: str) -> date | None:
        if not path.startswith(prefix) or not path.endswith(".md"):
            return None
        return below_folder(path[len(prefix) : -3])

    return date_of_path


def format_problems(source: str, fmt: str) -> tuple[Problem, ...]:
    """The `daily-format` problem of a daily-notes format entraide cannot use, on the
    configuration file `source` it comes from; nothing when the format is fine."""
    try:
        compile_format(fmt)
    except FormatError as error:
        return (
            Problem(
                source or ".obsidian/daily-notes.json",
                None,
                "daily-format",
                f"the daily notes format '{fmt}' is of no use to entraide: {error}; until it "
                "is fixed in Obsidian's settings (Daily notes, or Periodic Notes), no note is "
                "read as a daily note",
            ),
        )
    return ()
