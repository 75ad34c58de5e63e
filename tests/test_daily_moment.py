"""Daily-note names read as moment.js itself reads them (differential tests).

moment 2.29.4 (the version Obsidian bundles) writes names for many days with its `format()`,
and entraide must read each back to the day moment's strict mode reads; names changed in small
ways must be rejected whenever moment rejects them, and read as moment reads them otherwise
(entraide is stricter only where tokens of one name disagree: DESIGN §1, `parse/daily.py`).

Needs `node` and moment 2.29.4 where node finds it, for example
`npm install --prefix /tmp/moment moment@2.29.4` and `NODE_PATH=/tmp/moment/node_modules`.
"""

from __future__ import annotations

import dataclasses
import json
import random
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from entraide.parse.daily import LOCALES, compile_format, date_of

ORACLE = Path(__file__).parent / "moment" / "oracle.js"
VERSION = "2.29.4"

# Formats a daily note is named with: every token, in the orders people use.
FORMATS = [
    "YYYY-MM-DD",
    "YYYY/MM/DD",
    "YYYY/MM/DD-dddd",
    "YYYY/MM/YYYY-MM-DD",
    "YYYY/MMMM/D",
    "YYYY-MM-DD HHmm",
    "YYYY-MM-DD HH.mm.ss",
    "YYYY-MM-DD h.mm a",
    "YYYY-MM-DD kk[h]mm A",
    "DD.MM.YYYY",
    "D.M.YY",
    "YYYYMMDD",
    "dddd, MMMM Do YYYY",
    "ddd D MMM YYYY",
    "dd DD MMMM YYYY",
    "Do MMMM YYYY",
    "D MMMM YYYY, dddd",
    "DD-MMM-YYYY",
    "MMM D, YYYY",
    "YYYY-DDDD",
    "YYYY [day] DDD",
    "YYYY-[Q]Q-MM-DD",
    "GGGG-[W]WW-E",
    "GGGG-[W]WW-dddd",
    "gggg-[W]ww-e",
    "gggg [week] w, dddd",
    "YYYY-MM-DD [W]WW E",
    "YYYY-MM-DD [w]ww d",
    "[Journal] YYYY-MM-DD",
    "YYYY-MM-DD[T]HH:mm",
]


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the differential tests against moment.js need it")
    probe = subprocess.run(
        [node, "-e", "process.stdout.write(require('moment').version)"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    if probe.returncode != 0:
        pytest.skip(
            "moment.js is not where node finds it: `npm install --prefix /tmp/moment "
            f"moment@{VERSION}` and set NODE_PATH=/tmp/moment/node_modules"
        )
    if probe.stdout != VERSION:
        pytest.skip(f"moment {probe.stdout} found; these tests compare with {VERSION}, Obsidian's")
    return node


def _ask(request: dict[str, Any]) -> dict[str, Any]:
    proc = subprocess.run(
        [_node(), str(ORACLE)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=True,
    )
    answer: dict[str, Any] = json.loads(proc.stdout)
    return answer


def _days() -> list[date]:
    """The days around each new year from 2019 to 2031 (where week-years part from years),
    every ninth day of 2025-2026, and leap days."""
    days: set[date] = set()
    for year in range(2019, 2032):
        start = date(year, 12, 26)
        days.update(start + timedelta(days=i) for i in range(10))
    start = date(2025, 1, 1)
    days.update(start + timedelta(days=i) for i in range(0, 2 * 365, 9))
    days.update(date(y, 2, 29) for y in (2024, 2028))
    return sorted(days)


def _locales(fmt: str) -> tuple[str, ...]:
    """Every locale for a format with names; two (weeks start on Sunday or Monday) else."""
    names = {"MMM", "MMMM", "Do", "dd", "ddd", "dddd", "a", "A"}
    tokens = {t for s in compile_format(fmt).segments for t in s.tokens}
    return tuple(LOCALES) if tokens & names else ("en", "fr")


def _ours(fmt: str, locale: str, text: str, whole: bool = False) -> str | None:
    """The day entraide reads; with `whole`, from the whole path only, as moment reads it (not
    from the file name alone when the folders do not match)."""
    compiled = compile_format(fmt, locale)
    if whole:
        compiled = dataclasses.replace(compiled, last_alone=False)
    found = date_of(compiled, text)
    return found.isoformat() if found else None


def _redundant(fmt: str) -> bool:
    """Whether the format names a field twice (a weekday, week or quarter beside a full date,
    a year twice...): there entraide rejects names whose tokens disagree, which moment reads."""
    compiled = compile_format(fmt)
    tokens = [t for s in compiled.segments for t in s.tokens]
    full = {"YYYY", "MM", "D", "DD", "Do", "M", "MMM", "MMMM", "DDD", "DDDD"} & set(tokens)
    extra = {"d", "dd", "ddd", "dddd", "e", "E", "Q", "W", "WW", "w", "ww"} & set(tokens)
    return (len(full) > 2 and bool(extra)) or len(tokens) != len(set(tokens))


@pytest.fixture(scope="module")
def written() -> list[tuple[str, str, str, str | None, str]]:
    """(format, locale, name moment writes, day moment reads from it, day written) for many
    days."""
    times = ["00:00:00", "09:05:07", "12:30:00", "23:59:59"]
    cases = [
        (fmt, locale, f"{day.isoformat()}T{times[i % len(times)]}")
        for fmt in FORMATS
        for locale in _locales(fmt)
        for i, day in enumerate(_days())
    ]
    names = _ask({"format": cases})["format"]
    triples = [(fmt, locale, name) for (fmt, locale, _), name in zip(cases, names, strict=True)]
    read = _ask({"parse": triples})["parse"]
    return [
        (f, loc, n, r, when[:10])
        for (f, loc, n), r, (_, _, when) in zip(triples, read, cases, strict=True)
    ]


def test_every_name_moment_writes_is_read_as_moment_reads_it(
    written: list[tuple[str, str, str, str | None, str]],
) -> None:
    """A name moment cannot read back (a weekday name beside an ISO week: moment's strict mode
    reads only Mondays there) is read as the day it was written for."""
    wrong = []
    for fmt, locale, name, day, when in written:
        ours = _ours(fmt, locale, name)
        if ours != (day or when):
            wrong.append((fmt, locale, name, day, when, ours))
    assert not wrong, f"{len(wrong)} of {len(written)} names read otherwise, e.g. {wrong[:10]}"
    unread = {fmt for fmt, _, _, day, _ in written if day is None}
    assert unread == {"GGGG-[W]WW-dddd"}


def _mutations(name: str, rng: random.Random) -> list[str]:
    """Small changes of a name: a digit changed, dropped or doubled, a letter's case, a
    character dropped or added, a leading zero, two characters swapped."""
    found = []
    for _ in range(6):
        i = rng.randrange(len(name))
        c = name[i]
        kind = rng.randrange(7)
        if kind == 0 and c.isdigit():
            found.append(name[:i] + str(rng.randrange(10)) + name[i + 1 :])
        elif kind == 1:
            found.append(name[:i] + name[i + 1 :])
        elif kind == 2:
            found.append(name[:i] + c + name[i:])
        elif kind == 3:
            found.append(name[:i] + c.swapcase() + name[i + 1 :])
        elif kind == 4:
            found.append(name[:i] + rng.choice("0 .-x") + name[i:])
        elif kind == 5 and i + 1 < len(name):
            found.append(name[:i] + name[i + 1] + name[i] + name[i + 2 :])
        else:
            found.append(name.upper() if i % 2 else name.lower())
    return found


def test_changed_names_are_rejected_when_moment_rejects_them(
    written: list[tuple[str, str, str, str | None, str]],
) -> None:
    rng = random.Random(20261204)
    sample = rng.sample([w for w in written if w[0] != "GGGG-[W]WW-dddd"], 1500)
    cases = [(f, loc, text) for f, loc, name, _, _ in sample for text in _mutations(name, rng)]
    read = _ask({"parse": cases})["parse"]
    accepted_wrongly, read_otherwise, stricter = [], [], 0
    for (fmt, locale, text), day in zip(cases, read, strict=True):
        ours = _ours(fmt, locale, text, whole=True)
        if day is None and ours is not None:
            accepted_wrongly.append((fmt, locale, text, ours))
        elif day is not None and ours != day:
            if ours is None and _redundant(fmt):
                stricter += 1  # tokens of this name disagree
            else:
                read_otherwise.append((fmt, locale, text, day, ours))
    assert not accepted_wrongly, accepted_wrongly[:10]
    assert not read_otherwise, read_otherwise[:10]
    assert stricter < len(cases) // 10
    rejected = sum(day is None for day in read)
    assert len(cases) // 5 < rejected < len(cases) * 4 // 5, rejected  # both kinds are tried


# Names where moment's strict mode has a say worth pinning down.
ONE_WAY = [
    ("D MMMM YYYY", "fr", "03 novembre 2026"),  # a leading zero: moment 2.29 takes it
    ("Do MMM YYYY", "fr", "1er janv 2026"),  # a short month without its dot
    ("Do MMM YYYY", "fr", "1er janv. 2026"),
    ("Do MMM YYYY", "fr", "1er Janv. 2026"),
    ("D MMM YYYY", "fr", "4 déc 2026"),
    ("D MMM YYYY", "fr", "4 décembre 2026"),
    ("D MMMM YYYY", "fr", "4 déc. 2026"),
    ("D MMM YYYY", "de", "4 Dez 2026"),  # German short months need their dot
    ("D MMM YYYY", "de", "4 Dez. 2026"),
    ("D MMM YYYY", "nl", "4 mrt 2026"),
    ("D MMM YYYY", "nl", "4 mrt. 2026"),
    ("D MMM YYYY", "nl", "4 jun 2026"),
    ("D MMM YYYY", "es", "4 dic 2026"),
    ("ddd D MMMM YYYY", "fr", "ven 4 décembre 2026"),
    ("ddd D MMMM YYYY", "es", "vie. 4 diciembre 2026"),
    ("dddd D MMMM YYYY", "pt", "sexta-feira 4 dezembro 2026"),
    ("dd D MMMM YYYY", "pt", "6ª 4 dezembro 2026"),
    ("dddd D MMMM YYYY", "it", "venerdì 4 dicembre 2026"),
    ("dddd D MMMM YYYY", "it", "VENERDÌ 4 dicembre 2026"),
    ("Do MMMM YYYY", "de", "4. Dezember 2026"),
    ("Do MMMM YYYY", "nl", "4de december 2026"),
    ("Do MMMM YYYY", "nl", "4ste december 2026"),
    ("Do MMMM YYYY", "en", "4st December 2026"),
    ("Do MMMM YYYY", "en", "04th December 2026"),
    ("MMMMD YYYY", "en", "December4 2026"),
    ("DMMMMYYYY", "en", "4December2026"),
    ("YYYY-MM-DD hh:mm", "en", "2026-12-04 13:00"),
    ("YYYY-MM-DD hh:mm", "en", "2026-12-04 00:30"),
    ("YYYY-MM-DD HH:mm", "en", "2026-12-04 24:00"),
    ("YYYY-MM-DD HH:mm", "en", "2026-12-04 24:01"),
    ("YYYY-MM-DD HH:mm", "en", "2026-12-04 23:60"),
    ("YYYY-MM-DD Hmm", "en", "2026-12-04 930"),
    ("YYYY-MM-DD h a", "en", "2026-12-04 9 p.m."),
    ("GGGG-[W]WW-E", "en", "2026-W53-5"),
    ("GGGG-[W]WW-E", "en", "2020-W53-5"),
    ("GGGG-[W]WW-E", "en", "2026-W00-5"),
    ("GGGG-[W]WW-E", "en", "2026-W10-8"),
    ("gggg-[W]ww-e", "en", "2026-W01-0"),
    ("gggg-[W]ww-e", "fr", "2026-W01-0"),
    ("YYYY-DDDD", "en", "2024-366"),
    ("YYYY-DDDD", "en", "2026-366"),
    ("YYYY-DDDD", "en", "2026-000"),
    ("YYYYMMDD", "en", "2026124"),
    ("[Day] DD-MM-YYYY", "en", "day 04-12-2026"),
]


def test_names_moment_reads_one_way() -> None:
    days = _ask({"parse": ONE_WAY})["parse"]
    ours = [_ours(fmt, locale, text) for fmt, locale, text in ONE_WAY]
    assert list(zip(ONE_WAY, ours, strict=True)) == list(zip(ONE_WAY, days, strict=True))
