"""Template placeholders left in a note's frontmatter (DESIGN §1): read as text (as if quoted),
the property holding one set aside and reported on its line, the rest of the frontmatter kept."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from entraide.parse.frontmatter import Frontmatter, load_yaml, parse


def fm_of(text: str) -> Frontmatter:
    return parse("---\n" + text + "---\nbody\n")


def where(fm: Frontmatter) -> list[tuple[str, int | None]]:
    return [(p.code, p.line) for p in fm.placeholders]


def test_since_date_leaves_no_since_and_the_rest_stands() -> None:
    fm = fm_of("tags: [person]\nsince: {{date}}\ncircle: close\n")
    assert fm.error is None  # (PyYAML alone: "found unhashable key", the note dropped)
    assert fm.data == {"tags": ["person"], "circle": "close"}
    assert where(fm) == [("template-placeholder", 3)]
    message = fm.placeholders[0].message
    assert message.startswith("this note was made from a template that was not filled in")
    assert "{{date}}" in message and "'since'" in message
    assert ("since",) not in fm.lines and fm.lines[("circle",)] == 4
    assert fm.body == "body\n"


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("since: {{date}}", "since"),
        ("since: {{date:YYYY-MM-DD}}", "since"),
        ("since: '{{date}}'", "since"),  # quoted in the template: still never filled in
        ('since: "{{date}}"', "since"),
        ("title: {{title}} notes", "title"),
        ("created: {{date}}T{{time}}", "created"),
        ('since: <% tp.date.now("YYYY-MM-DD") %>', "since"),
        ("since: <% tp.file.creation_date() %>", "since"),
        ("aliases: [{{title}}, Al]", "aliases"),
        ("tags: [person, <% tp.file.folder() %>]", "tags"),
        ("m: {a: {{x}}}", "m"),
        ("{{title}}: draft", "{{title}}"),
    ],
)
def test_each_form_is_set_aside_and_reported_on_its_line(line: str, key: str) -> None:
    fm = fm_of(f"circle: close\n{line}\nsector: Tech\n")
    assert fm.error is None, fm.error
    assert fm.data == {"circle": "close", "sector": "Tech"}
    assert where(fm) == [("template-placeholder", 3)]
    assert f"'{key}'" in fm.placeholders[0].message


def test_one_problem_per_line_holding_one() -> None:
    fm = fm_of("aliases:\n  - {{title}}\n  - Al\n  - <% tp.file.title %>\nknows: []\n")
    assert fm.data == {"knows": []}
    assert where(fm) == [("template-placeholder", 3), ("template-placeholder", 5)]


def test_a_placeholder_in_a_comment_is_no_property() -> None:
    fm = fm_of("# made on {{date}}\ncircle: close # {{title}}\n")
    assert fm.data == {"circle": "close"} and fm.placeholders == ()


def test_a_templater_block_over_several_lines() -> None:
    fm = fm_of("a: 1\nsummary: |\n  <%*\n  tR += 1\n  %>\nb: 2\n")
    assert fm.data == {"a": 1, "b": 2}
    assert where(fm) == [("template-placeholder", 3)]  # (the line of its property)
    assert "<%* tR += 1 %>" in fm.placeholders[0].message


def test_a_yaml_error_the_placeholder_causes_is_reported_as_the_placeholder() -> None:
    for text, line in (("{{title}}\n", 2), ("a: 1\nb: {{x}}: y\n", 3), ("a: [{{x}}\n", 2)):
        fm = fm_of(text)
        assert fm.data is None and fm.error is not None, text
        assert (fm.error.code, fm.error.line) == ("template-placeholder", line), text
        assert fm.error.message.startswith("this note was made from a template")


def test_another_yaml_error_is_still_reported_as_such() -> None:
    fm = fm_of("since: {{date}}\nnote: 'open\nb: 1\n")
    assert fm.error is not None and (fm.error.code, fm.error.line) == ("yaml-syntax", 3)
    assert fm.placeholders == ()


def test_anchors_and_repeated_keys_stay_problems_beside_a_placeholder() -> None:
    fm = fm_of("since: {{date}}\na: &x 1\nb: *x\n")
    assert fm.error is not None and fm.error.code == "yaml-anchor"
    fm = fm_of("since: {{date}}\na: 1\na: 2\n")
    assert fm.error is not None and fm.error.code == "yaml-repeated-key"


def test_braces_that_are_no_placeholder_are_yaml_as_before() -> None:
    assert fm_of("a: {b: {c: 1}}\n").data == {"a": {"b": {"c": 1}}}
    assert fm_of("a: '{ {x} }'\n").placeholders == ()
    fm = fm_of("a: {{}}\n")  # no name inside: not template syntax, and not YAML either
    assert fm.error is not None and fm.error.code == "yaml-syntax"


def test_a_private_use_character_in_the_note_does_not_confuse_the_tokens() -> None:
    fm = fm_of("name: x\ue000y\ue0011\ue001\nsince: {{date}}\n")
    assert fm.data == {"name": "x\ue000y\ue0011\ue001"}
    assert where(fm) == [("template-placeholder", 3)]


PLACEHOLDERS = ["{{date}}", "{{title}}", "{{date:YYYY}}", "<% tp.date.now() %>", "<%* x %>"]
PLAIN = ["x", "Jane Doe", "010", "true", "2026-11-22", "~", "0x1F", "a b"]


@st.composite
def frontmatter_with_placeholders(draw: Any) -> tuple[str, str, set[str], list[int]]:
    """(text, the same with each placeholder quoted, keys holding one, their lines)."""
    rows, quoted, held, lines = [], [], set(), []
    for n in range(draw(st.integers(1, 6))):
        key = f"k{n}"
        kind = draw(st.sampled_from(["plain", "value", "item", "flow", "comment"]))
        value = draw(st.sampled_from(PLAIN))
        ph = draw(st.sampled_from(PLACEHOLDERS))
        line = 2 + sum(r.count("\n") + 1 for r in rows)
        if kind == "plain":
            rows.append(f"{key}: {value}")
            quoted.append(rows[-1])
        elif kind == "value":
            rows.append(f"{key}: {ph}")
            quoted.append(f"{key}: '{ph}'")
            held.add(key)
            lines.append(line)
        elif kind == "item":
            rows.append(f"{key}:\n  - {value}\n  - {ph}")
            quoted.append(f"{key}:\n  - {value}\n  - '{ph}'")
            held.add(key)
            lines.append(line + 2)
        elif kind == "flow":
            rows.append(f"{key}: [{value}, {ph}]")
            quoted.append(f"{key}: [{value}, '{ph}']")
            held.add(key)
            lines.append(line)
        else:
            rows.append(f"{key}: {value} # {ph}")
            quoted.append(rows[-1])
    return "\n".join(rows) + "\n", "\n".join(quoted) + "\n", held, lines


@settings(max_examples=300, deadline=None)
@given(frontmatter_with_placeholders())
def test_placeholders_read_as_if_quoted(
    case: tuple[str, str, set[str], list[int]],
) -> None:
    text, quoted, held, lines = case
    fm = fm_of(text)
    expected, error = load_yaml(quoted, {}, 2)
    assert error is None and expected is not None
    assert fm.error is None
    assert fm.data == {k: v for k, v in expected.items() if k not in held}
    assert [p.line for p in fm.placeholders] == sorted(lines)
