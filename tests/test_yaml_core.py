"""YAML read as Obsidian reads it: the YAML 1.2 core schema (DESIGN §1), held to an independent
pure-Python reading (ruamel.yaml) on every frontmatter of the real vaults and on generated ones,
and the accelerated readers held to the reference on the same."""

from __future__ import annotations

import math
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.constructor import SafeConstructor

from entraide.parse import frontmatter
from entraide.parse.fastyaml import fast_load
from entraide.parse.frontmatter import parse
from entraide.parse.props import contact_props

REAL_VAULTS = Path(__file__).resolve().parents[2] / "shared" / "vaults"


def load(text: str) -> dict[str, Any] | None:
    fm = parse("---\n" + text + "---\n")
    assert fm.error is None, fm.error
    return fm.data


@pytest.mark.parametrize(
    ("written", "value"),
    [
        # Only true and false are booleans; YAML 1.1's yes/no/on/off (and Norway) are text.
        ("true", True),
        ("True", True),
        ("TRUE", True),
        ("false", False),
        ("FALSE", False),
        ("tRue", "tRue"),
        ("yes", "yes"),
        ("Yes", "Yes"),
        ("no", "no"),
        ("NO", "NO"),
        ("on", "on"),
        ("off", "off"),
        ("y", "y"),
        ("n", "n"),
        # Integers: decimal (leading zeros too), 0o octal, 0x hexadecimal; nothing else.
        ("010", 10),
        ("0o10", 8),
        ("0x1F", 31),
        ("0x1f", 31),
        ("+12", 12),
        ("-5", -5),
        ("0b11", "0b11"),
        ("1_000", "1_000"),
        ("-0x1F", "-0x1F"),
        ("0o9", "0o9"),
        # No sexagesimal, no dates: text (read as a date where a date is expected).
        ("1:30", "1:30"),
        ("190:20:30", "190:20:30"),
        ("2026-11-22", "2026-11-22"),
        ("2026-11-22T10:30", "2026-11-22T10:30"),
        ("2026-11-22 10:30:00+01:00", "2026-11-22 10:30:00+01:00"),
        ("2026-02-30", "2026-02-30"),
        # Floats.
        ("3.5", 3.5),
        ("1.", 1.0),
        (".5", 0.5),
        ("1e3", 1000.0),
        (".5e3", 500.0),
        (".inf", math.inf),
        ("-.INF", -math.inf),
        # Nulls.
        ("", None),
        ("~", None),
        ("null", None),
        ("Null", None),
        ("NULL", None),
        ("nULL", "nULL"),
        # YAML 1.1's merge key and value key are text.
        ("=", "="),
        ("<<", "<<"),
    ],
)
def test_scalars_as_the_core_schema_reads_them(written: str, value: Any) -> None:
    forms = (f"k: {written}\n", f"k: [{written}]\n", f"k:\n  - {written}\n")
    for text in forms if written else forms[:1]:
        data = load(text)
        assert data is not None
        got = data["k"] if text.startswith("k: ") and "[" not in text else data["k"][0]
        assert type(got) is type(value) and got == value, (text, got)


def test_nan_and_keys_the_core_schema_reads_as_text() -> None:
    data = load("k: .NaN\nyes: 1\nNO: 2\n2026-11-22: 3\n<<: 4\n")
    assert data is not None and math.isnan(data.pop("k"))
    assert data == {"yes": 1, "NO": 2, "2026-11-22": 3, "<<": 4}


def test_a_number_or_true_as_a_key_is_still_no_property_name() -> None:
    for key in ("010", "true", "null", "0x1F"):
        fm = parse(f"---\na: 1\n{key}: x\n---\n")
        assert fm.error is not None and (fm.error.code, fm.error.line) == ("yaml-not-mapping", 3)
        assert "number, true, false or null" in fm.error.message


def test_anchors_aliases_and_repeated_keys_stay_problems() -> None:
    for text, code in (
        ("a: &x 1\nb: *x\n", "yaml-anchor"),
        ("a: 1\nb: 2\na: 3\n", "yaml-repeated-key"),
        ("a: 010\nb: 2\na: 10\n", "yaml-repeated-key"),
    ):
        fm = parse("---\n" + text + "---\n")
        assert fm.error is not None and fm.error.code == code, text


def props_of(text: str) -> Any:
    fm = parse("---\n" + text + "---\n")
    assert fm.error is None
    return contact_props(fm.data, fm.lines, ())


def test_cadence_010_is_ten_days_and_norway_is_a_country() -> None:
    props = props_of("cadence: 010\ncountry: NO\nsector: yes\npaused: true\n")
    assert props.problems == ()
    assert props.cadence == 10 and props.paused is True
    assert props.dims is not None and props.dims["country"] == "NO"
    assert props.dims["sector"] == "yes"


@pytest.mark.parametrize(
    "written", ["2026-11-22", "2026-11-22T10:30", "2026-11-22 10:30:00+01:00", "'2026-11-22'"]
)
def test_a_date_written_as_text_is_a_date_where_one_is_expected(written: str) -> None:
    props = props_of(
        f"since: {written}\nfollow_up: {written}\nsnooze_until: {written}\n"
        f"birthday: {written}\ninteractions:\n  - date: {written}\n"
    )
    assert props.problems == ()
    day = date(2026, 11, 22)
    assert props.since == props.follow_up == props.snooze_until == day
    assert props.birthday is not None and (props.birthday.month, props.birthday.day) == (11, 22)
    assert [r.date for r in props.records] == [day]


def test_an_impossible_date_is_a_bad_date_on_that_property_only() -> None:
    props = props_of("circle: close\nsince: 2026-02-30\nfollow_up: 2026-11-22\n")
    assert props.problems == (
        (
            3,
            "bad-date",
            "'since: 2026-02-30' is not a date of the calendar: correct it (YYYY-MM-DD)",
        ),
    )
    assert props.since is None and props.follow_up == date(2026, 11, 22)
    assert props.circle == "close"


@pytest.mark.parametrize(
    ("written", "aliases"),
    [
        ("aliases: [0x1DA9430]", ("0x1DA9430",)),
        ("aliases: [42, Bob]", ("42", "Bob")),
        ("aliases: 42", ("42",)),
        ("aliases: 010", ("010",)),
        ("aliases:\n  - 3.50\n  - true\n  - 0o17", ("3.50", "true", "0o17")),
        ('aliases: ["42", 7]', ("42", "7")),
        ("aliases: 1.5e3, x", ("1.5e3", "x")),
    ],
)
def test_an_alias_read_as_a_number_counts_as_the_text_written(
    written: str, aliases: tuple[str, ...]
) -> None:
    props = props_of(written + "\n")
    assert props.aliases == aliases and props.problems == ()
    assert len(props.alias_lines) == len(aliases)


def test_numeric_aliases_are_text_on_every_reader() -> None:
    """The fast path, the event pass and the node graph (a tag sends it there) agree."""
    for text in (
        "aliases: [0x1F, 42]\n",
        "aliases:\n  - 0x1F\n  - 42\n",
        "# c\naliases: [0x1F, 42]\n",
        "t: !!str x\naliases: [0x1F, 42]\n",
    ):
        assert load(text) is not None
        assert load(text)["aliases"] == ["0x1F", "42"], text  # type: ignore[index]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        # "did not find expected key": the broken line, not the mapping's start.
        ("".join(f"k{i}: v\n" for i in range(11)) + 'q: "x" y\nz: 1\n', 13, "does not fit"),
        ("a:\n  - x\n - y\nb: 1\n", 4, "does not fit"),
        ("a: 1\nb: [x, y\nc: 2\n", 3, "'[' opened on this line"),  # where it opened
        ("a: 1\nb: {x: 1\nc: 2\n", 3, "'{' opened on this line"),
        ("a: 1\nb: 'x\nc: 2\nd: 3\n", 3, "quote opened on this line"),
        ("a: 1\nb: 2\nplain words\nc: 2\n", 4, "not a property"),
        ("a: 1\n\tb: 2\n", 3, "tab"),
        ("a: 1\nb: c: d\n", 3, "': '"),
        ("a: 1\nb: @x\n", 3, "quote the value"),
        ("a: 1\n[k]: 1\n", 3, "property name on this line is a list or a map"),
        ("a: 1\nb: !foo x\n", 3, "YAML tag"),
    ],
)
def test_a_yaml_error_points_at_the_line_to_fix(text: str, line: int, words: str) -> None:
    fm = parse("---\n" + text + "---\n")
    assert fm.error is not None and fm.error.code == "yaml-syntax"
    assert fm.error.line == line, fm.error
    assert words in fm.error.message
    assert "while parsing" not in fm.error.message and "while scanning" not in fm.error.message


# -- the differential ----------------------------------------------------------------------


class _TextDates(SafeConstructor):
    """ruamel's safe constructors, with dates as the text written (the core schema has none)."""


_TextDates.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda constructor, node: constructor.construct_scalar(node)
)


def reference(text: str) -> Any:
    """ruamel.yaml's pure-Python reading, YAML 1.2 (its default), dates as text."""
    yaml = YAML(typ="safe", pure=True)
    yaml.Constructor = _TextDates
    return yaml.load(text)


# Where ruamel's 1.2 resolver is not the core schema (YAML 1.2.2, 10.3.2), which reads each of
# these as text: underscores and 0b in ints, a sign before 0x or 0o, `0o` optional; and where
# the core schema reads a float that ruamel does not (`.5e3`: it wants a signed exponent).
_RUAMEL_NUMBER_ONLY = re.compile(
    r"[-+]?(?:0b[0-1_]+|0o?[0-7_]+|[0-9_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*\.[0-9_]*(?:[eE][-+]?[0-9]+)?"
    r"|[0-9][0-9_]*[eE][-+]?[0-9]+|\.[0-9_]+(?:[eE][-+][0-9]+)?)"
)
_CORE_FLOAT_ONLY = re.compile(r"[-+]?\.[0-9]+[eE][-+]?[0-9]+|[-+]?\.[0-9]+[eE][0-9]+")


def same(ours: Any, theirs: Any) -> bool:
    """Equal values of equal types, but for where ruamel departs from the core schema."""
    if type(ours) is dict and type(theirs) is dict:
        return list(ours) == list(theirs) and all(same(ours[k], theirs[k]) for k in ours)
    if type(ours) is list and type(theirs) is list:
        return len(ours) == len(theirs) and all(map(same, ours, theirs))
    if type(ours) is float and type(theirs) is float and math.isnan(ours):
        return math.isnan(theirs)
    if type(ours) is type(theirs) and ours == theirs:
        return True
    if type(ours) is str and type(theirs) in (int, float) and not isinstance(theirs, bool):
        return _RUAMEL_NUMBER_ONLY.fullmatch(ours) is not None
    return type(ours) is float and type(theirs) is str and bool(_CORE_FLOAT_ONLY.fullmatch(theirs))


def ruamel_departs(text: str) -> bool:
    """YAML 1.1 keys ruamel still reads in 1.2 (`<<` merges, `=` is a value key), and its
    reading of an empty scalar tagged `!` as null (YAML 1.2 and PyYAML: text)."""
    return bool(
        re.search(r"(?m)(?:^|[\s\[{,:-])(?:<<|=)(?:\s*[:,\]}]|\s*$)", text)
        or re.search(r"(?m)(?:^|[\s\[{,])!(?:[\s,\]}]|$)", text)
    )


def assert_core_reading(text: str) -> str:
    """Where ours reads the text, it reads the reference's values; where the reference refuses
    it, ours refuses it too. Says which: "read", "refused" (both), "stricter" (only ours: the
    C parser is libyaml, a YAML 1.1 parser, stricter in a few corners such as `[:]` or an
    anchor named `&:`; never a silent misreading, always a located problem) or "departs"."""
    lines: dict[tuple[str | int, ...], int] = {}
    data, error = frontmatter.load_mapping(text, lines, 2)
    try:
        theirs = reference(text)
    except Exception:  # noqa: BLE001 - any refusal of the reference
        theirs = _REFUSED
    if ruamel_departs(text):
        return "departs"
    if error is not None:
        # Our own checks (anchors, repeated keys, depth, keys that are not names) aside.
        if error.code == "yaml-syntax" and theirs is not _REFUSED:
            assert error.line is not None, (text, error)
            return "stricter"
        return "refused"
    assert theirs is not _REFUSED, text
    assert same(data, theirs if theirs is not None else {}), (text, data, theirs)
    return "read"


_REFUSED: Any = object()


def frontmatters() -> list[tuple[str, str]]:
    found = []
    for path in sorted(REAL_VAULTS.rglob("*.md")):
        text = path.read_bytes().decode("utf-8", errors="replace").removeprefix("\ufeff")
        try:
            yaml_text, _, _ = frontmatter.split(text)
        except ValueError:
            continue
        if yaml_text is not None and yaml_text.strip():
            found.append((str(path.relative_to(REAL_VAULTS)), yaml_text))
    return found


@pytest.mark.skipif(not REAL_VAULTS.is_dir(), reason="the shared real vaults are not here")
def test_every_real_frontmatter_is_read_as_yaml_1_2_reads_it() -> None:
    seen: dict[str, int] = {}
    for path, text in frontmatters():
        outcome = assert_core_reading(text)
        seen[outcome] = seen.get(outcome, 0) + 1
        assert outcome not in ("departs", "stricter"), path
    assert seen.get("read", 0) >= 100, seen  # (the vaults hold some 300 frontmatters)


@pytest.mark.skipif(not REAL_VAULTS.is_dir(), reason="the shared real vaults are not here")
def test_every_real_frontmatter_reads_the_same_on_every_reader() -> None:
    """The line reader and the event pass give the node graph's values and lines."""
    fast_count = 0
    for path, text in frontmatters():
        reference_lines: dict[tuple[str | int, ...], int] = {}
        expected = frontmatter._load_nodes(text, reference_lines, 2)
        lines: dict[tuple[str | int, ...], int] = {}
        streamed = frontmatter._stream_load(text, lines, 2)
        if streamed is not None:
            assert typed(streamed) == typed(expected) and lines == reference_lines, path
        lines = {}
        fast = fast_load(text, lines, 2, frontmatter._CONSTRUCTOR)
        if fast is not None:
            fast_count += 1
            assert expected[1] is None and typed(fast) == typed(expected[0]), path
            assert lines == reference_lines, path
    assert fast_count >= 50


def typed(value: Any) -> Any:
    """Values with their types, so equal means identical (NaN as a marker)."""
    if isinstance(value, tuple):
        return tuple(typed(v) for v in value)
    if isinstance(value, dict):
        return {k: typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [typed(v) for v in value]
    if isinstance(value, float) and math.isnan(value):
        return ("float", "nan")
    return (type(value).__name__, value)


CORE_SCALARS = [
    "true",
    "True",
    "TRUE",
    "tRUE",
    "false",
    "yes",
    "No",
    "NO",
    "on",
    "OFF",
    "y",
    "~",
    "null",
    "Null",
    "NULL",
    "0",
    "010",
    "-010",
    "+7",
    "0o17",
    "0o8",
    "0x1F",
    "0xff",
    "0X1F",
    "1:30",
    "12:30:45",
    "3.5",
    "-0.5",
    "1.",
    ".5",
    "1e3",
    "1E-3",
    "+1.5e+3",
    ".inf",
    "-.Inf",
    "+.INF",
    ".nan",
    ".NaN",
    "2026-11-22",
    "2026-11-22T10:30",
    "2026-11-22 10:30:00+01:00",
    "2026-11-22t10:30:00Z",
    "2026-02-30",
    "--11-27",
    "Jane Doe",
    "é",
    "[[Jane]]",
    '"[[Jane]]"',
    "'010'",
    '"yes"',
    "a: b",
    "x #c",
]
_WORD = st.text(
    alphabet=st.characters(
        whitelist_categories=("L", "N", "P", "S", "Zs"), blacklist_characters="\n\r\t\x85"
    ),
    min_size=1,
    max_size=8,
)
scalar = st.one_of(st.sampled_from(CORE_SCALARS), _WORD)
key = st.sampled_from(["a", "b", "tags", "aliases", "yes", "NO", "2026-11-22", "k_1", "é"])
line = st.one_of(
    st.tuples(key, scalar).map(lambda kv: f"{kv[0]}: {kv[1]}"),
    st.tuples(key, st.lists(scalar, max_size=3)).map(lambda kv: f"{kv[0]}: [{', '.join(kv[1])}]"),
    st.tuples(key, st.lists(scalar, min_size=1, max_size=3)).map(
        lambda kv: f"{kv[0]}:\n" + "".join(f"  - {v}\n" for v in kv[1]).rstrip("\n")
    ),
    st.tuples(key, st.lists(st.tuples(key, scalar), min_size=1, max_size=3)).map(
        lambda kv: f"{kv[0]}:\n" + "".join(f"  {k}: {v}\n" for k, v in kv[1]).rstrip("\n")
    ),
    st.tuples(key, st.lists(st.tuples(key, scalar), max_size=3)).map(
        lambda kv: f"{kv[0]}: {{{', '.join(f'{k}: {v}' for k, v in kv[1])}}}"
    ),
    st.tuples(key, st.sampled_from(["|", ">", "|-", ">+"]), st.lists(scalar, max_size=3)).map(
        lambda kv: f"{kv[0]}: {kv[1]}\n" + "".join(f"  {v}\n" for v in kv[2]).rstrip("\n")
    ),
    st.tuples(key, st.lists(st.tuples(key, scalar), min_size=1, max_size=3)).map(
        lambda kv: (
            f"{kv[0]}:\n"
            + "".join(
                ("  - " if i == 0 else "    ") + f"{k}: {v}\n" for i, (k, v) in enumerate(kv[1])
            ).rstrip("\n")
        )
    ),
    st.sampled_from(
        [
            "",
            "# a comment",
            "  - stray",
            "a: 'open",
            "b: [open",
            'c: "tab\\there"',
            "d: 'it''s'",
            'e: "0x1F"',
            "f: !!str 010",
            "g: !!int 010",
            "h: !!float 1",
            "i: plain\n  continued",
        ]
    ),
)


# (ruamel warns of an anchor written twice, which the generated lines may hold: both readers
# are compared on it all the same)
@pytest.mark.filterwarnings("ignore::ruamel.yaml.error.ReusedAnchorWarning")
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(line, max_size=6).map(lambda rows: "\n".join(rows) + "\n"))
def test_generated_frontmatter_is_read_as_yaml_1_2_reads_it(text: str) -> None:
    assert_core_reading(text)
    # …and the line reader, where it reads at all, as the reference does.
    lines: dict[tuple[str | int, ...], int] = {}
    fast = fast_load(text, lines, 2, frontmatter._CONSTRUCTOR)
    if fast is not None:
        reference_lines: dict[tuple[str | int, ...], int] = {}
        data, error = frontmatter._load_nodes(text, reference_lines, 2)
        assert error is None and typed(fast) == typed(data) and lines == reference_lines
