"""The shortcuts of note parsing give exactly what the long way gives."""

from __future__ import annotations

import copy
import dataclasses
import math
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from entraide import schemas
from entraide.model import PROPERTY, Interaction
from entraide.parse import props
from entraide.parse.frontmatter import BadDate
from entraide.parse.note import is_person
from entraide.parse.values import (
    ImpossibleDate,
    diversity_value,
    diversity_values,
    flag_text,
    is_flag,
    to_date,
)

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
    assert_props_as_the_slow_way(data)


def assert_props_as_the_slow_way(data: dict[str, Any]) -> None:
    lines: dict[tuple[str | int, ...], int] = {(k,): n for n, k in enumerate(data, 2)}
    fast = props.contact_props(copy.deepcopy(data), lines, ())
    slow = props.contact_props(copy.deepcopy(data), lines, (), shortcuts=False)
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


TEXT_VALUES = st.one_of(
    st.sampled_from([*TEXTS, "[[X|y]]", " [[ Finance ]] ", "![[Y]]", "a[[b", "\xa0x\u3000"]),
    st.text(max_size=8),
    st.builds(BadDate, st.sampled_from([" x ", "2026-02-30", "Cafe\u0301"]), st.integers(1, 9)),
)


@settings(max_examples=1500, deadline=None)
@given(
    st.dictionaries(
        st.text(max_size=3),
        st.one_of(SCALARS, TEXT_VALUES, st.lists(st.one_of(TEXT_VALUES, SCALARS), max_size=2)),
        max_size=6,
    )
)
def test_diversity_values_are_those_of_each_value(data: dict[str, Any]) -> None:
    expected = {k: text for k, v in data.items() if (text := diversity_value(v))}
    found = diversity_values(data)
    assert found == expected
    assert list(found) == list(expected)
    assert all(type(text) is str for text in found.values())


def test_checks_pass_every_value_of_the_types_they_pass_unseen() -> None:
    """The types a compiled check declares passed are passed, whatever the value."""
    samples: dict[type, list[Any]] = {
        str: ["", " ", "x", "2026-11-02", "é\n", "3m", "0"],
        date: [date(1, 1, 1), date(2026, 11, 2)],
        datetime: [datetime(2026, 11, 2, 10, 30), datetime(9999, 12, 31, tzinfo=UTC)],
        type(None): [None],
        bool: [True, False],
        int: [0, -1, 1, 10**30, -(10**30)],
    }
    schemas_seen = 0
    stack: list[Any] = [schemas.load("contact")]
    while stack:
        schema = stack.pop()
        compiled = props._compile_with_types(
            {k: v for k, v in schema.items() if k not in ("$schema", "$id")}
        )
        assert compiled is not None
        check, passed = compiled
        schemas_seen += 1
        for kind in passed:
            assert all(check(value) for value in samples[kind]), (schema, kind)
        stack.extend(schema.get("properties", {}).values())
        if "items" in schema:
            stack.append(schema["items"])
    assert schemas_seen > 20


def test_interactions_are_built_with_their_fields_in_order() -> None:
    """props builds Interaction positionally: its fields must be in this order."""
    assert Interaction._fields == (
        "date",
        "kind",
        "minutes",
        "gave",
        "asked",
        "news",
        "source",
        "gave_text",
        "asked_text",
        "note",
    )


def record_long_way(entry: dict[str, Any]) -> Interaction | None:
    """An interactions entry as a record, as flag_text and is_flag say (no shortcut)."""
    try:
        day = to_date(entry.get("date"))
    except ImpossibleDate:
        return None
    if day is None:
        return None
    kind, minutes, note = entry.get("kind"), entry.get("minutes"), entry.get("note")
    gave, asked = entry.get("gave"), entry.get("asked")
    return Interaction(
        day,
        kind=kind.strip().lower() or None if isinstance(kind, str) else None,
        minutes=float(minutes)
        if isinstance(minutes, int | float) and not isinstance(minutes, bool)
        else None,
        gave=is_flag(gave),
        asked=is_flag(asked),
        news=is_flag(entry.get("news")),
        source=PROPERTY,
        gave_text=flag_text(gave),
        asked_text=flag_text(asked),
        note=note if isinstance(note, str) else None,
    )


FLAGS = st.one_of(st.none(), st.booleans(), st.sampled_from(["", " ", "advice", " a ref "]))
TEXT = st.one_of(st.none(), st.sampled_from(["", " ", " Call ", "LUNCH"]), st.text(max_size=4))


@settings(max_examples=1500, deadline=None)
@given(
    st.fixed_dictionaries(
        {
            "date": st.one_of(
                st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)),
                st.sampled_from(["2026-11-02", "2026-11-02 10:30", datetime(2026, 11, 2, 9)]),
            )
        },
        optional={
            "kind": TEXT,
            "minutes": st.one_of(st.none(), st.integers(0, 600), st.sampled_from([0.5, 90.0])),
            "gave": FLAGS,
            "asked": FLAGS,
            "news": FLAGS,
            "note": TEXT,
        },
    )
)
def test_interaction_records_are_those_of_the_long_way(entry: dict[str, Any]) -> None:
    assert schemas.is_valid("contact", jsonable({"interactions": [entry]}))
    expected = record_long_way(entry)
    assert expected is not None
    found = props.contact_props({"interactions": [entry]}, {}, ()).records
    assert deep(found) == deep((expected,))


@settings(max_examples=1000, deadline=None)
@given(PROPERTIES)
def test_the_given_properties_are_never_changed(data: dict[str, Any]) -> None:
    """The valid ones are read where they are (not copied): neither they nor the mapping change."""
    before = copy.deepcopy(data)
    items = list(data.items())
    props.contact_props(data, {}, ())
    assert len(data) == len(items)
    assert all(data[k] is v for k, v in items)
    if props._contact_check()(before):
        assert deep(data) == deep(before)


@settings(max_examples=500, deadline=None)
@given(SCALARS)
def test_dates_or_none_are_those_of_to_date(value: Any) -> None:
    try:
        expected = to_date(value)
    except ImpossibleDate:
        expected = None
    assert deep(props._date_or_none(value)) == deep(expected)
    assert props._strings(None) == () and props._alias_lines(None, {}) == ()


@pytest.mark.parametrize(
    "data",
    [
        {"since": "2026-02-30", "circle": "close"},
        {"birthday": "--02-30", "sector": "Law"},
        {"follow_up": "2026-04-31 10:30", "snooze_until": "2026-11-02"},
        {"interactions": [{"date": "2026-02-30", "kind": "call"}, {"date": date(2026, 1, 2)}]},
        {"interactions": [{"date": date(2026, 1, 2)}, {"date": "2025-02-29", "news": True}]},
    ],
)
def test_a_date_of_no_calendar_day_in_valid_properties_takes_the_long_way(
    data: dict[str, Any],
) -> None:
    """The fast check passes such text (it has the pattern): the dates are checked first."""
    assert props._contact_check()(data)
    assert_props_as_the_slow_way(data)
    assert "bad-date" in [code for _, code, _ in props.contact_props(data, {}, ()).problems]
