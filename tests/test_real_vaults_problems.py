"""Real vaults written by other people (`../shared/vaults/`, see its README): every problem
entraide reports there, and every contact it finds, is pinned here with the reason it is
right. A new problem on these vaults is a false alarm until someone writes down why it is not.

Each vault is copied to a temporary folder first (they are never written to).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from entraide.cli import main

VAULTS = Path(
    os.environ.get("ENTRAIDE_REAL_VAULTS", Path(__file__).parents[2] / "shared" / "vaults")
)
TODAY = "2026-11-22"

# vault → [(path, code, how many, why it is right)], in the order reported
_TEMPLATER = (
    "its creation-date and modification-date hold Templater's <% tp.file.… %>, never run: "
    "'__Templates' is read as notes because the copy holds no templates.json nor Templater "
    "data.json naming it a templates folder (the vault's README: only .obsidian/*.json kept)"
)
PROBLEMS: dict[str, list[tuple[str, str, int, str]]] = {
    "dataview-test-vault": [],
    "dex0501": [
        (
            "Work/Locations/Work Office.md",
            "deprecated-key",
            1,
            "'tag: #location': the deprecated key, and YAML reads '#location' as a comment, so "
            "the note has no tag at all (Obsidian shows it empty too)",
        ),
        (
            "Work/People/Person A.md",
            "deprecated-key",
            1,
            "'tag: #people #person': deprecated, and a YAML comment: it holds nothing",
        ),
        (
            "Work/People/Person B.md",
            "deprecated-key",
            1,
            "'tag: #people #person': deprecated, and a YAML comment: it holds nothing",
        ),
        (
            "Work/Projects/Secret_Project/Secret_Project.md",
            "template-placeholder",
            3,
            "a project note made from the project template with Templater's <% … %> left in "
            "creation-date, modification-date and project-name",
        ),
        ("__Templates/Company Template.md", "template-placeholder", 2, _TEMPLATER),
        ("__Templates/Diary Template.md", "template-placeholder", 2, _TEMPLATER),
        ("__Templates/Location Template.md", "template-placeholder", 2, _TEMPLATER),
        ("__Templates/Location Template.md", "deprecated-key", 1, "as Work Office"),
        ("__Templates/Meetings/1on1 Meeting Template.md", "template-placeholder", 2, _TEMPLATER),
        (
            "__Templates/Meetings/Standard Meeting Template.md",
            "template-placeholder",
            2,
            _TEMPLATER,
        ),
        ("__Templates/Person Template.md", "template-placeholder", 2, _TEMPLATER),
        ("__Templates/Person Template.md", "deprecated-key", 1, "as Person A"),
        (
            "__Templates/Project Template.md",
            "template-placeholder",
            3,
            _TEMPLATER + "; and project-name: <% tp.file.title %>",
        ),
    ],
    "educentr": [],
    # Its TQ_extra_instructions hold the Tasks plugin's {{query.file.folder}}: no template.
    "tasks-demo": [],
    "tasks-docs": [],
}

# vault → [(contact path, interactions, why)]
CONTACTS: dict[str, list[tuple[str, int, str]]] = {
    "dataview-test-vault": [],
    "dex0501": [
        (
            "Work/People/Person A.md",
            1,
            "in Work/People (People at any depth) with type: person; the meeting "
            "'MoM 20230301' names them in Dataview fields ([date:: 2023-03-05 21:34], "
            "[participants:: [[Person A]], [[Person B]]]) and has no frontmatter date",
        ),
        ("Work/People/Person B.md", 1, "as Person A"),
        (
            "__Templates/Person Template.md",
            0,
            "type: person, in a folder nothing in the copied config names a templates folder; "
            "its meeting templates date nothing (<% … %> is no date)",
        ),
    ],
    # Its 'people' folder is not 'People' (names compare exactly), and its one note there is a
    # database-plugin index ('peoples.md').
    "educentr": [],
    "tasks-demo": [],
    "tasks-docs": [],
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(PROBLEMS))
def test_real_vault_problems_and_contacts(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = VAULTS / name
    if not source.is_dir():
        pytest.skip(f"no real vault at {source}")
    vault = tmp_path / name
    shutil.copytree(source, vault, symlinks=True)
    capsys.readouterr()
    main(["status", str(vault), "--json", "--today", TODAY])
    out = json.loads(capsys.readouterr().out)
    found = [(p["path"], p["code"]) for p in out["problems"]]
    pinned = [(path, code) for path, code, n, _ in PROBLEMS[name] for _ in range(n)]
    assert found == pinned, out["problems"]
    contacts = [(c["path"], c["interactions"]) for c in out["contacts"]]
    assert sorted(contacts) == sorted((p, n) for p, n, _ in CONTACTS[name])


def test_every_real_vault_is_pinned() -> None:
    if not VAULTS.is_dir():
        pytest.skip(f"no real vaults at {VAULTS}")
    present = {p.name for p in VAULTS.iterdir() if p.is_dir()}
    assert present == set(PROBLEMS) == set(CONTACTS)
