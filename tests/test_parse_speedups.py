"""The shortcuts of note parsing give exactly what the long way gives."""

from __future__ import annotations

import copy
import dataclasses
import math
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from entraide import schemas
from entraide.parse import props
from entraide.parse.frontmatter import BadDate
from entraide.parse.note import is_person
from entraide.parse.values import ImpossibleDate, diversity_value, to_date

TEXTS = [
    "",
    " ",
    "x",
    "Jane Doe",
    "[[Jane Doe|Jane]]",
    "2026-11-02",
    "2026-11-02 10:30",
    "2026-11-02T10:30:00+01:00",
    "2026-11-02\n",
    "2026-02-30",
    "２０２６-11-02",
    "٢٠٢٦-11-02",
    "--11-27",
    "--02-30",
    "3m",
    " 2w ",
    "0",
    "0d",
    "1y\n",
    "é",
    "Cafe\u0301",
]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.sampled_from([0, 1, -1, 30, 1.0, 0.5, -0.0, 2.5, math.nan, math.inf, -math.inf]),
    st.integers(),
    st.sampled_from(TEXTS),
    st.text(max_size=6),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)),
    st.sampled_from(
        [
            datetime(2026, 11, 2, 10, 30),
            datetime(2026, 11, 2, 23, 30, tzinfo=timezone(timedelta(hours=-8))),
            datetime(2026, 11, 2, 1, 2, 3, 456789),
        ]
    ),
    st.builds(BadDate, st.sampled_from(["2026-02-30", "x"]), st.integers(1, 9)),
)
KEYS = [*schemas.load("contact")["properties"], "other", "date"]
FIELDS = ["date", "kind", "minutes", "gave", "asked", "news", "note", "other"]
ENTRY = st.dictionaries(st.sampled_from(FIELDS), SCALARS, max_size=5)
VALUES = st.one_of(
    SCALARS,
    st.lists(st.one_of(SCALARS, st.lists(SCALARS, max_size=2)), max_size=3),
    st.lists(st.one_of(ENTRY, SCALARS), max_size=3),
    ENTRY,
    st.dictionaries(st.integers(0, 3), SCALARS, max_size=2),
)
PROPERTIES = st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=6)


def jsonable(data: dict[str, Any]) -> dict[str, Any]:
    return {k: props._jsonable(v) for k, v in data.items()}


@settings(max_examples=3000, deadline=None)
@given(PROPERTIES)
def test_the_fast_check_passes_only_what_the_validators_pass(data: dict[str, Any]) -> None:
    if props._contact_check()(data):
        assert schemas.is_valid("contact", jsonable(data)), data
        assert list(schemas.errors("contact", jsonable(data))) == []


def test_the_fast_check_passes_a_typical_contact() -> None:
    """Else every note would take the slow way (e.g. the schema gained a keyword)."""
    data = {
        "tags": ["person"],
        "circle": "close",
        "cadence": "3m",
        "sector": "Finance",
        "since": date(2019, 3, 15),
        "birthday": "--11-27",
        "aliases": ["Bru", "B. S."],
        "knows": ["[[Chloé Martin]]"],
        "paused": False,
        "interactions": [
            {"date": date(2026, 11, 2), "kind": "dinner", "minutes": 90, "news": True},
            {"date": datetime(2026, 11, 3, 10, 30), "gave": "advice", "note": None},
        ],
        "anything": {"else": [1, 2]},
    }
    assert props._contact_check()(data)
    assert not props._contact_check()({**data, "cadence": 0})
    assert not props._contact_check()({**data, "interactions": [{"kind": "call"}]})


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "string", "format": "date"},
        {"type": "string", "pattern": "^a$|^b$"},
        {"type": "string", "pattern": "^[$]"},
        {"type": "number", "minimum": "1"},
        {"type": "array", "items": [{"type": "string"}]},
        {"type": "object", "properties": {"a": {"enum": [1]}}},
        {"type": "object", "additionalProperties": False},
        {"type": "decimal"},
        {"description": "no type"},
    ],
)
def test_the_fast_check_knows_only_a_few_keywords(schema: dict[str, Any]) -> None:
    assert props._compile(schema) is None


def deep(value: Any) -> Any:
    """Values with their types, so equal means identical."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (
            type(value).__name__,
            [deep(getattr(value, f.name)) for f in dataclasses.fields(value)],
        )
    if isinstance(value, dict):
        return {k: deep(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return (type(value).__name__, [deep(v) for v in value])
    if isinstance(value, float) and math.isnan(value):
        return ("float", "nan")
    return (type(value).__name__, value)


@settings(max_examples=1500, deadline=None)
@given(PROPERTIES)
def test_contact_properties_are_those_of_the_slow_way(data: dict[str, Any]) -> None:
    lines: dict[tuple[str | int, ...], int] = {(k,): n for n, k in enumerate(data, 2)}
    fast = props.contact_props(copy.deepcopy(data), lines, ())
    check = props._contact_check
    props._contact_check = lambda: props._never  # type: ignore[assignment]
    try:
        slow = props.contact_props(copy.deepcopy(data), lines, ())
    finally:
        props._contact_check = check
    assert deep(fast) == deep(slow)


def test_remembered_dates_still_say_when_they_are_impossible() -> None:
    for _ in range(2):
        assert to_date(" 2026-11-02 ") == date(2026, 11, 2)
        assert to_date("2026-11-02T10:30") == date(2026, 11, 2)
        assert to_date("tomorrow") is None
        with pytest.raises(ImpossibleDate):
            to_date("2026-02-30")
        with pytest.raises(ImpossibleDate):
            to_date(BadDate("2026-02-30", 3))


def test_remembered_diversity_values() -> None:
    for _ in range(2):
        assert diversity_value(" [[Finance|money]] ") == "Finance"
        assert diversity_value("Cafe\u0301") == "Café"
        assert diversity_value(["  "]) is None
        assert diversity_value(BadDate("x", 1)) == "x"
        assert type(diversity_value(BadDate("x", 1))) is str


def test_remembered_person_tags() -> None:
    for _ in range(2):
        assert is_person({"tags": ["#Person/friends"]})
        assert is_person({"tags": "work, person"})
        assert not is_person({"tags": ["personal", 3]})
