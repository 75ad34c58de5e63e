"""Daily-note names parsed like moment.js strict mode."""

from datetime import date

import pytest

from entraide.parse.daily import matcher


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
        ("D MMMM YYYY", "fr", "22 novembre 2026", date(2026, 11, 22)),
        ("dddd D MMMM YYYY", "fr", "dimanche 22 novembre 2026", date(2026, 11, 22)),
        ("Do MMM YYYY", "fr", "1er févr. 2026", date(2026, 2, 1)),
        ("D MMMM YYYY", "en", "22 novembre 2026", None),
    ],
)
def test_matcher(fmt: str, locale: str, name: str, expected: date | None) -> None:
    assert matcher(fmt, locale)(name) == expected
