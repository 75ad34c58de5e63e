"""Daily-note names parsed like moment.js strict mode (DESIGN §1); see also
test_daily_moment.py, which compares with moment itself."""

from datetime import date

import pytest

from entraide.parse.daily import (
    LOCALES,
    FormatError,
    compile_format,
    daily_matcher,
    format_problems,
    matcher,
)


@pytest.mark.parametrize(
    ("fmt", "locale", "name", "expected"),
    [
        ("YYYY-MM-DD", "en", "2026-11-22", date(2026, 11, 22)),
        ("YYYY-MM-DD", "en", "2026-11-2", None),
        ("YYYY-MM-DD", "en", "2026-02-30", None),
        ("YYYY-MM-DD", "en", "2026-11-22 notes", None),
        ("YYYY/MM/YYYY-MM-DD", "en", "2026-11-22", date(2026, 11, 22)),
        ("D.M.YYYY", "en", "2.3.2026", date(2026, 3, 2)),
        ("DD-MM-YY", "en", "22-11-26", date(2026, 11, 22)),
        ("DD-MM-YY", "en", "22-11-69", date(1969, 11, 22)),
        ("dddd, MMMM Do YYYY", "en", "Sunday, November 22nd 2026", date(2026, 11, 22)),
        ("dddd, MMMM Do YYYY", "en", "Monday, November 22nd 2026", None),
        ("ddd MMM D YYYY", "en", "sun nov 22 2026", date(2026, 11, 22)),
        ("[Journal] YYYY-MM-DD", "en", "Journal 2026-11-22", date(2026, 11, 22)),
        ("[Journal] YYYY-MM-DD", "en", "journal 2026-11-22", None),  # literals keep their case
        ("D MMMM YYYY", "fr", "22 novembre 2026", date(2026, 11, 22)),
        ("dddd D MMMM YYYY", "fr", "dimanche 22 novembre 2026", date(2026, 11, 22)),
        ("Do MMM YYYY", "fr", "1er févr. 2026", date(2026, 2, 1)),
        ("Do MMM YYYY", "fr", "1er févr 2026", date(2026, 2, 1)),  # moment: the dot is optional
        ("D MMMM YYYY", "en", "22 novembre 2026", None),
        # the whole path below the folder
        ("YYYY/MM/DD-dddd", "en", "2026/12/04-Friday", date(2026, 12, 4)),
        ("YYYY/MM/DD-dddd", "en", "Archive/2026/12/04-Friday", date(2026, 12, 4)),
        ("YYYY/MM/DD-dddd", "en", "2026/12/04-Thursday", None),
        ("YYYY/MM/DD-dddd", "en", "12/04-Friday", None),
        ("YYYY/MM/DD", "en", "2026/11/20", date(2026, 11, 20)),
        ("YYYY/MM/DD", "en", "20", None),
        ("YYYY/MMMM/D", "en", "2026/November/20", date(2026, 11, 20)),
        ("[Daily/]YYYY-MM-DD", "en", "Daily/2026-11-20", date(2026, 11, 20)),
        ("YYYY/MM/YYYY-MM-DD", "en", "2025/01/2026-11-09", date(2026, 11, 9)),  # name alone
        ("YYYY/MM/DD", "en", "2025/01/09", date(2025, 1, 9)),
        # time tokens match and are otherwise ignored
        ("YYYY-MM-DD HHmm", "en", "2026-11-20 0930", date(2026, 11, 20)),
        ("YYYY-MM-DD HHmm", "en", "2026-11-20 930", None),
        ("YYYY-MM-DD HHmm", "en", "2026-11-20 2460", None),
        ("YYYY-MM-DD HHmm", "en", "2026-11-20 2400", date(2026, 11, 20)),
        ("YYYY-MM-DD HH:mm:ss", "en", "2026-11-20 09:30:61", None),
        ("YYYY-MM-DD h.mm a", "en", "2026-11-20 9.30 pm", date(2026, 11, 20)),
        ("YYYY-MM-DD h.mm A", "en", "2026-11-20 13.30 PM", None),
        ("YYYY-MM-DD kk:mm", "en", "2026-11-20 24:00", date(2026, 11, 20)),
        ("YYYY-MM-DD Hmm", "en", "2026-11-20 930", date(2026, 11, 20)),
        # day of year, quarter, weekday numbers
        ("YYYY-DDDD", "en", "2026-324", date(2026, 11, 20)),
        ("YYYY-DDDD", "en", "2026-366", None),
        ("YYYY-DDDD", "en", "2024-366", date(2024, 12, 31)),
        ("YYYY [Q]Q MM-DD", "en", "2026 Q4 11-20", date(2026, 11, 20)),
        ("YYYY [Q]Q MM-DD", "en", "2026 Q3 11-20", None),  # the quarter must agree
        ("YYYY-MM-DD E", "en", "2026-11-20 5", date(2026, 11, 20)),
        ("YYYY-MM-DD E", "en", "2026-11-20 4", None),  # weekdays must agree
        ("YYYY-MM-DD d", "en", "2026-11-20 5", date(2026, 11, 20)),
        ("YYYY-MM-DD e", "en", "2026-11-20 5", date(2026, 11, 20)),  # en weeks start Sunday
        ("YYYY-MM-DD e", "fr", "2026-11-20 4", date(2026, 11, 20)),  # fr weeks start Monday
        ("YYYY-MM-DD dd", "en", "2026-11-20 Fr", date(2026, 11, 20)),
        # week-based dates
        ("GGGG-[W]WW-E", "en", "2026-W47-5", date(2026, 11, 20)),
        ("GGGG-[W]WW-E", "en", "2026-W01-1", date(2025, 12, 29)),
        ("GGGG-[W]WW-E", "en", "2025-W53-1", None),
        ("GGGG-[W]WW-E", "en", "2020-W53-7", date(2021, 1, 3)),
        ("GGGG-[W]WW-dddd", "en", "2026-W47-Friday", date(2026, 11, 20)),
        ("gggg-[W]ww-e", "en", "2026-W47-5", date(2026, 11, 20)),
        ("gggg-[W]ww-e", "fr", "2026-W47-4", date(2026, 11, 20)),
        ("YYYY-[W]WW-E", "en", "2026-W47-5", date(2026, 11, 20)),
        ("YYYY-MM-DD [W]WW", "en", "2026-11-20 W47", date(2026, 11, 20)),
        ("YYYY-MM-DD [W]WW", "en", "2026-11-20 W46", None),
        # the other locales
        ("dddd, Do MMMM YYYY", "de", "Freitag, 20. November 2026", date(2026, 11, 20)),
        ("D. MMM YYYY", "de", "2. März 2026", date(2026, 3, 2)),
        ("D. MMM YYYY", "de", "20. Nov. 2026", date(2026, 11, 20)),
        ("D. MMM YYYY", "de", "20. Nov 2026", None),
        ("dddd D [de] MMMM [de] YYYY", "es", "viernes 20 de noviembre de 2026", date(2026, 11, 20)),
        ("ddd D MMM YYYY", "es", "mié. 18 nov. 2026", date(2026, 11, 18)),
        ("dddd D MMMM YYYY", "it", "venerdì 20 novembre 2026", date(2026, 11, 20)),
        ("dddd, D [de] MMMM YYYY", "pt", "Sexta-feira, 20 de novembro 2026", date(2026, 11, 20)),
        ("dddd, D [de] MMMM YYYY", "pt", "sexta-feira, 20 de Novembro 2026", date(2026, 11, 20)),
        ("dddd, D [de] MMMM YYYY", "pt", "Quinta-feira, 20 de novembro 2026", None),
        ("dddd, D [de] MMMM YYYY", "pt", "Sexta-feira, 20 de marco 2026", None),
        ("dd D MMMM YYYY", "pt", "6ª 20 março 2026", date(2026, 3, 20)),
        ("dddd D MMMM YYYY", "nl", "vrijdag 20 november 2026", date(2026, 11, 20)),
        ("D MMM YYYY", "nl", "20 mrt. 2026", date(2026, 3, 20)),
        ("Do MMMM YYYY", "nl", "1ste maart 2026", date(2026, 3, 1)),
    ],
)
def test_matcher(fmt: str, locale: str, name: str, expected: date | None) -> None:
    assert matcher(fmt, locale)(name) == expected


def test_a_note_is_daily_only_under_the_daily_folder() -> None:
    is_daily = daily_matcher("Journal", "YYYY/MM/DD")
    assert is_daily("Journal/2026/11/20.md") == date(2026, 11, 20)
    assert is_daily("Journal/Old/2026/11/20.md") == date(2026, 11, 20)
    assert is_daily("Other/2026/11/20.md") is None
    assert is_daily("Journal2/2026/11/20.md") is None
    assert is_daily("Journal/2026/11/20.canvas") is None
    at_root = daily_matcher("", "YYYY-MM-DD")
    assert at_root("2026-11-20.md") == date(2026, 11, 20)
    assert at_root("Any/Where/2026-11-20.md") == date(2026, 11, 20)


def test_names_stored_nfd_read_as_nfc() -> None:
    assert matcher("D MMMM YYYY", "fr")("3 fe\u0301vrier 2026") == date(2026, 2, 3)


@pytest.mark.parametrize(
    ("fmt", "why"),
    [
        ("YYYY-MM", "cannot date a day"),
        ("YYYY-[W]WW", "cannot date a day"),
        ("gggg-[W]ww", "cannot date a day"),
        ("MMMM YYYY", "cannot date a day"),
        ("[Journal]", "cannot date a day"),
        ("MM-DD", "names no year"),
        ("dddd D MMMM", "names no year"),
        ("[W]WW-E", "names no year"),
        ("YYYY-DD", "no month"),
        ("GGGG-[W]ww-E", "different kinds"),
        ("LL", "'LL', a locale's whole date format"),
        ("YYYY-MM-DD l", "'l', a locale's whole date format"),
        ("YYYY-MM-Do", None),
        ("YYYY-MMMM-Mo", "'Mo'"),
        ("YYYY-MM-DD x", "'x'"),
        ("YYYY-MM-DD Z", "'Z'"),
        ("YYYYY-MM-DD", "'YYYYY'"),
        ("Y-MM-DD", "'Y'"),
        ("GGGG-[W]WW-E", None),
        ("YYYY-[W]WW-E", None),
        ("YYYY-DDDD", None),
        ("YYYY/MM/DD", None),
        ("YYYY-MM-DD \\LL", None),  # an escaped L is text
        ("[LL] YYYY-MM-DD", None),
    ],
)
def test_a_format_that_cannot_date_a_day_is_reported(fmt: str, why: str | None) -> None:
    problems = format_problems(".obsidian/daily-notes.json", fmt)
    if why is None:
        assert problems == ()
        return
    (problem,) = problems
    assert (problem.path, problem.line, problem.code) == (
        ".obsidian/daily-notes.json",
        None,
        "daily-format",
    )
    assert why in problem.message and fmt in problem.message
    assert matcher(fmt)("2026-11-20") is None
    with pytest.raises(FormatError):
        compile_format(fmt)


def test_the_last_segment_dates_a_note_alone_only_when_it_holds_a_whole_date() -> None:
    assert compile_format("YYYY/MM/YYYY-MM-DD").last_alone
    assert compile_format("YYYY/[W]WW/GGGG-[W]WW-E").last_alone
    assert not compile_format("YYYY/MM/DD-dddd").last_alone
    assert not compile_format("YYYY-MM-DD").last_alone  # one segment: any depth anyway


def test_locales_are_the_settings_choices() -> None:
    from entraide.schemas import load

    allowed = load("settings")["properties"]["daily_notes_locale"]["enum"]
    assert sorted(allowed) == sorted(LOCALES)
    assert {"en", "fr", "de", "es", "it", "pt", "nl"} <= set(LOCALES)


def test_every_locale_reads_its_own_names() -> None:
    """Each month and weekday name of each locale, in each form, dates its day."""
    for code, loc in LOCALES.items():
        for month, (long, short) in enumerate(zip(loc.months, loc.months_short, strict=True)):
            day = date(2026, month + 1, 10)
            assert matcher("D MMMM YYYY", code)(f"10 {long} 2026") == day, (code, long)
            assert matcher("D MMM YYYY", code)(f"10 {short} 2026") == day, (code, short)
            assert matcher("D MMMM YYYY", code)(f"10 {long.upper()} 2026") == day
        for offset in range(7):
            day = date(2026, 11, 22 + offset)  # a Sunday, then the week
            for token, names in (
                ("dddd", loc.weekdays),
                ("ddd", loc.weekdays_short),
                ("dd", loc.weekdays_min),
            ):
                name = f"{names[offset]} {day.isoformat()}"
                assert matcher(f"{token} YYYY-MM-DD", code)(name) == day, (code, name)
