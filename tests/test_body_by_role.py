"""A body is read only where a note's role needs it (DESIGN §9, issue 21): contacts, daily
and meeting notes. Any other note costs its frontmatter, its name and a conflict-marker scan;
and when the settings give a note a role, the index reads it again, whole."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from entraide.index import Index, read_vault, snapshot
from entraide.parse.note import parse_note
from entraide.roles import Roles
from entraide.settings import Settings

PROJECT = b"# Project\n\nLunch with [[Ana]] #gave\n\n- 2026-11-01 call with [[Ana]]\n"


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, "utf-8")


def test_a_note_without_a_role_keeps_its_frontmatter_not_its_body() -> None:
    whole, bare = parse_note(PROJECT), parse_note(PROJECT, whole=False)
    assert whole.whole and [link.target for link in whole.body.links] == ["Ana", "Ana"]
    assert not bare.whole and bare.body.links == () and bare.props.records == ()
    assert bare.person is False and bare.error is None


def test_marks_in_the_frontmatter_read_the_body_wherever_the_note_is() -> None:
    person = b"---\ntype: person\n---\n## Log\n- 2026-11-01 call #news\n"
    meeting = b"---\ndate: 2026-11-20\nattendees: ['[[Ana]]']\n---\nWith [[Ben]].\n"
    inline = b"date:: 2026-11-20\nparticipants:: [[Ana]]\n\nWith [[Ben]].\n"
    for raw in (person, meeting, inline):
        assert parse_note(raw, whole=False) == parse_note(raw), raw


def test_conflict_markers_are_still_found_in_a_note_read_without_its_body() -> None:
    raw = b"---\na: 1\n---\ntext\n<<<<<<< HEAD\nmine\n=======\ntheirs\n>>>>>>> other\n"
    assert parse_note(raw, whole=False).body.conflict_lines == parse_note(raw).body.conflict_lines
    assert parse_note(raw, whole=False).body.conflict_lines == (5,)


def test_roles_by_place() -> None:
    roles = Roles(("People", "Team/Clients"), "Journal", "YYYY/MM/YYYY-MM-DD", "en")
    assert roles.needs_body("People/Ana.md")
    assert roles.needs_body("Work/People/Ana.md")
    assert roles.needs_body("Team/Clients/Bo.md")
    assert roles.needs_body("Journal/2026/11/2026-11-20.md")
    assert not roles.needs_body("Clients/Bo.md")
    assert not roles.needs_body("Journal/2026/11/notes.md")
    assert not roles.needs_body("2026-11-20.md")


def test_a_note_given_a_role_by_new_settings_is_read_again_whole(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    write(
        root,
        {
            "People/Ana.md": "# Ana\n",
            "Projects/Ben.md": "---\nsector: Law\n---\n## Log\n- 2026-11-01 call #news\n",
            "Projects/Plan.md": PROJECT.decode(),
        },
    )
    index = Index(root, use_cache=False)
    before = Settings()
    vault = read_vault(root, before, index=index, snap=snapshot(root, before))
    assert [c.name for c in vault.contacts] == ["Ana"]
    assert not index.entries["Projects/Ben.md"][3].whole
    after = Settings(people_folders=("People", "Projects"))
    vault = read_vault(root, after, index=index, snap=snapshot(root, after))
    assert index.entries["Projects/Ben.md"][3].whole  # read again, whole
    ben = next(c for c in vault.contacts if c.name == "Ben")
    assert [i.date for i in ben.interactions] == [date(2026, 11, 1)]
    # The same index read from scratch gives the same vault.
    fresh = read_vault(root, after, index=Index(root, use_cache=False), snap=snapshot(root, after))
    assert fresh.contacts == vault.contacts
