"""Which notes are what (DESIGN §1, §3): people marked as real vaults mark them, people folders
at any depth, folder notes, meetings from Dataview inline fields, plan callouts, the
deprecated `tag: #person` line. Each rule on text; the vault-level cases are the 40-* fixture
vaults."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from entraide.build import PeopleFolders, build_vault, is_folder_note
from entraide.parse.note import inline_meeting, is_person, parse_note
from entraide.settings import Settings
from entraide.vault_io import ObsidianConfig

MARKED = [
    {"type": "person"},
    {"type": " People "},
    {"type": "CONTACT"},
    {"type": "[[People]]"},
    {"type": "[[Person|someone]]"},
    {"type": ["project", "Person"]},
    {"type": ["[[Contact]]"]},
    {"type": [["People"]]},  # an unquoted [[People]]
    {"categories": ["[[People]]"]},
    {"categories": "[[Person]]"},
    {"categories": "people"},
    {"categories": ["[[Categories/People.md]]"]},
    {"categories": ["[[Books]]", "[[People]]"]},
    {"tags": ["person"]},
    {"tags": ["People"]},
    {"tags": ["#contact"]},
    {"tags": "people/colleague"},
    {"tags": "#Contact, work"},
    {"tags": "work #person/client"},
    {"tags": ["work", "People/Client"]},
]
NOT_MARKED = [
    {},
    {"type": "personal"},
    {"type": ["[[Authors]]"]},
    {"type": "[[Novels]]"},
    {"type": 3},
    {"categories": ["[[Contacts]]"]},
    {"categories": ["[[Books]]"]},
    {"categories": "contact"},  # kepano's categories are People and Person
    {"tags": ["peoples"]},
    {"tags": ["team/people"]},
    {"tags": ["personal"]},
    {"tags": "persona, contacts"},
    {"tags": [5, None]},
    {"tag": "person"},  # deprecated: reported, never counted
    {"alias": "person"},
]


@pytest.mark.parametrize("data", MARKED)
def test_marked_as_a_person(data: dict[str, Any]) -> None:
    assert is_person(data)


@pytest.mark.parametrize("data", NOT_MARKED)
def test_not_marked_as_a_person(data: dict[str, Any]) -> None:
    assert not is_person(data)


def test_kepano_lists_are_no_wrong_type() -> None:
    note = parse_note(b'---\ncategories:\n  - "[[People]]"\ntype:\n  - "[[Authors]]"\n---\nText.\n')
    assert note.person
    assert note.props.problems == ()


@pytest.mark.parametrize(
    ("entries", "path", "held"),
    [
        (("People",), "People/Ana.md", True),
        (("People",), "People/Clients/Bo.md", True),
        (("People",), "Cards/People/Cleo.md", True),
        (("People",), "Work/People/Dan.md", True),
        (("People",), "30 Library/People/Eve.md", True),
        (("People",), "Archive/people/Finn.md", False),  # names compare exactly
        (("People",), "People Archive/Gia.md", False),
        (("People",), "Notes/People.md", False),  # a note named People is no folder
        (("Network/People",), "Network/People/Jane.md", True),
        (("Network/People",), "Archive/Network/People/Old.md", False),
        (("Network/People",), "Network/People Archive/Yan.md", False),
        (("Clients", "Network/People"), "Work/Clients/Acme.md", True),
        ((), "People/Ana.md", False),
    ],
)
def test_people_folders(entries: tuple[str, ...], path: str, held: bool) -> None:
    assert PeopleFolders(entries).holds(path) is held


@pytest.mark.parametrize(
    ("path", "index"),
    [
        ("People/People.md", True),
        ("People/people.md", True),
        ("People/🗂️ People.md", True),
        ("People/_People.md", True),
        ("People/ - People.md", True),
        ("People/Clients/Clients.md", True),
        ("Cards/People/PEOPLE.md", True),
        ("People/Ana.md", False),
        ("People/People Map.md", False),
        ("People/People_.md", False),  # only what leads the name is set aside
        ("People.md", False),  # no folder
    ],
)
def test_folder_notes(path: str, index: bool) -> None:
    assert is_folder_note(path) is index


def _contacts(notes: dict[str, bytes], settings: Settings | None = None) -> dict[str, Any]:
    parsed = {path: parse_note(raw) for path, raw in notes.items()}
    vault = build_vault(parsed, settings or Settings(), ObsidianConfig())
    return {c.path: c for c in vault.contacts}


def test_folder_notes_are_no_contacts_and_make_no_edges() -> None:
    contacts = _contacts(
        {
            "People/People.md": b"- [[Ana]]\n- [[Bo]]\n",
            "People/Ana.md": b"Ana.\n",
            "People/Bo.md": b"Bo.\n",
            "Cards/People/Cleo.md": b"Cleo knows [[Ana]].\n",
        }
    )
    assert sorted(contacts) == ["Cards/People/Cleo.md", "People/Ana.md", "People/Bo.md"]
    vault = build_vault(
        {
            p: parse_note(r)
            for p, r in {
                "People/People.md": b"- [[Ana]]\n- [[Bo]]\n",
                "People/Ana.md": b"Ana.\n",
                "People/Bo.md": b"Bo.\n",
            }.items()
        },
        Settings(),
        ObsidianConfig(),
    )
    assert vault.edges == frozenset()


def test_inline_fields_on_lines_of_their_own() -> None:
    body = (
        "# Standup\n"
        "date:: 2026-11-18\n"
        "participants:: [[Ana]], [[Ben|B]], Chloé\n"
        "- with:: [[Dee]]\n"
        "**Attendees**:: [[Eve]]\n"
    )
    day, attendees = inline_meeting(body, 5)
    assert day == date(2026, 11, 18)
    assert attendees == (
        ("participants", "[[Ana]]", 7),
        ("participants", "[[Ben|B]]", 7),
        ("participants", "Chloé", 7),
        ("with", "[[Dee]]", 8),
        ("attendees", "[[Eve]]", 9),
    )


def test_inline_fields_in_brackets_inside_a_line() -> None:
    body = (
        "- [topic:: ]\n"
        "- [date::  2023-03-05 21:34  ]\n"
        "- [participants:: [[Person A]], [[Person B]] ]\n"
        "Met on [date:: 2026-01-01] (people:: [[Cy]]) at the office.\n"
    )
    day, attendees = inline_meeting(body)
    assert day == date(2023, 3, 5)  # the first date wins
    assert [(item, line) for _, item, line in attendees] == [
        ("[[Person A]]", 3),
        ("[[Person B]]", 3),
        ("[[Cy]]", 4),
    ]


@pytest.mark.parametrize(
    "body",
    [
        "> date:: 2026-11-09\n> with:: [[Eve]]\n",  # a quote is not the top level
        "```\ndate:: 2026-11-08\nparticipants:: [[Eve]]\n```\n",
        "~~~~\ndate:: 2026-11-08\n~~~\nparticipants:: [[Eve]]\n~~~~\n",
        "%%\ndate:: 2026-11-07\nparticipants:: [[Eve]]\n%%\n",
        "Text.\n\n    date:: 2026-11-06\n    participants:: [[Eve]]\n",
        "\tdate:: 2026-11-06\n\tparticipants:: [[Eve]]\n",
        "date:: soon\nparticipants:: [[Eve]]\n",
    ],
)
def test_inline_fields_that_make_no_meeting(body: str) -> None:
    day, _ = inline_meeting(body)
    assert day is None


def test_inline_fields_need_someone_named() -> None:
    assert inline_meeting("date:: 2026-11-11\nparticipants::\n") == (None, ())


def test_inline_fields_only_without_a_frontmatter_date_or_attendees() -> None:
    both = parse_note(
        b'---\ndate: 2026-11-15\nparticipants: ["[[Fay]]"]\n---\nparticipants:: [[Gus]]\n'
    )
    assert both.meeting_date == date(2026, 11, 15)
    assert [item for _, item, _ in both.attendees] == ["[[Fay]]"]
    date_only = parse_note(b"---\ndate: 2026-11-14\n---\nparticipants:: [[Gus]]\n")
    assert date_only.meeting_date is None and date_only.attendees == ()
    inline = parse_note(b"---\ntype: meeting\n---\ndate:: 2026-11-14\nparticipants:: [[Gus]]\n")
    assert inline.meeting_date == date(2026, 11, 14)
    assert inline.attendees == (("participants", "[[Gus]]", 5),)


def test_participants_is_an_attendee_key() -> None:
    note = parse_note(b'---\ndate: 2026-11-14\nparticipants: ["[[Gus]]", Ana]\n---\n')
    assert note.meeting_date == date(2026, 11, 14)
    assert note.attendees == (("participants", "[[Gus]]", 3), ("participants", "Ana", 3))


def test_a_hash_after_a_deprecated_key_is_a_comment() -> None:
    note = parse_note(b"---\ntype: person\ntag: #people #person\nalias: Bob\n---\n")
    assert note.deprecated == (("tag", 3, "#people #person"), ("alias", 4, None))
    problems = build_vault({"Notes/Ivy.md": note}, Settings(), ObsidianConfig()).problems
    messages = [(p.line, p.code, p.message) for p in problems]
    assert messages[0][:2] == (3, "deprecated-key")
    assert "'#' starts a comment" in messages[0][2]
    assert "'tags: [people, person]'" in messages[0][2]
    assert messages[1][:2] == (4, "deprecated-key")
    assert "comment" not in messages[1][2] and "'aliases'" in messages[1][2]


def test_plan_callouts_hold_plans() -> None:
    notes = {
        "People/Hugo.md": b"Hugo.\n",
        "People/Elena.md": b"Elena.\n",
        "People/Ana.md": b"Ana.\n",
        "People/Ben.md": b"Ben.\n",
        "2026-11-20.md": (
            b"> [!tip] Introduce [[Hugo]] to [[Elena]]\n\n"
            b"> [!note] Lunch with [[Ana]]\n\n"
            b"> [!Waiting] [[Ben]] to answer\n"
        ),
    }
    default = _contacts(notes)
    assert default["People/Hugo.md"].interactions == ()
    assert default["People/Elena.md"].interactions == ()
    assert [i.date for i in default["People/Ana.md"].interactions] == [date(2026, 11, 20)]
    assert len(default["People/Ben.md"].interactions) == 1
    custom = _contacts(notes, Settings(plan_callouts=("waiting",)))
    assert len(custom["People/Hugo.md"].interactions) == 1  # tip is no plan here
    assert custom["People/Ben.md"].interactions == ()


def test_body_logs_in_plan_callouts_are_plans_in_order() -> None:
    note = (
        b"---\ninteractions:\n  - {date: 2026-11-01, kind: call}\n---\n"
        b"- 2026-11-02 coffee\n\n"
        b"> [!todo] Next\n> - 2026-11-03 lunch\n\n"
        b"> [!note] Done\n> - 2026-11-04 video\n\n"
        b"- 2026-11-05 walk\n"
    )
    parsed = parse_note(note)
    assert [i for i, _ in parsed.callout_records] == [2, 3]
    contacts = _contacts({"People/Hugo.md": note})
    kinds = [(i.date.day, i.kind) for i in contacts["People/Hugo.md"].interactions]
    assert kinds == [(1, "call"), (2, "coffee"), (4, "video"), (5, "walk")]
    everything = _contacts({"People/Hugo.md": note}, Settings(plan_callouts=()))
    assert len(everything["People/Hugo.md"].interactions) == 5


def test_template_placeholders_are_reported_and_set_aside() -> None:
    note = parse_note(b"---\ntags: [person]\ncircle: inner\nsince: {{date}}\n---\n# Ana\n")
    assert note.person and note.props.circle == "inner" and note.props.since is None
    assert [(e.line, e.code) for e in note.placeholders] == [(4, "template-placeholder")]
    problems = build_vault({"People/Ana.md": note}, Settings(), ObsidianConfig()).problems
    assert [(p.path, p.line, p.code) for p in problems] == [
        ("People/Ana.md", 4, "template-placeholder")
    ]


def test_a_tasks_query_placeholder_is_no_template() -> None:
    note = parse_note(
        b"---\nTQ_extra_instructions: |-\n  folder includes {{query.file.folder}}\n"
        b"  not done\nTQ_short_mode: true\n---\n"
    )
    assert note.placeholders == () and note.error is None
