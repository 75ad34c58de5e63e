"""The benchmark's vault generator is deterministic and writes notes entraide reads cleanly."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import yaml

from entraide.index import load_settings, read_vault

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "gen_vault.py"


def generate(out: Path) -> None:
    subprocess.run(
        [sys.executable, str(SCRIPT), str(out), "--contacts", "50", "--years", "1"],
        check=True,
        capture_output=True,
    )


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def frontmatter(text: str) -> str | None:
    """The YAML between a first line `---` and the next such line, as DESIGN.md §1 reads it."""
    lines = text.splitlines()
    if not lines or lines[0].rstrip() != "---":
        return None
    end = next(k for k in range(1, len(lines)) if lines[k].rstrip() == "---")
    return "\n".join(lines[1:end])


def test_same_arguments_same_bytes(tmp_path: Path) -> None:
    generate(tmp_path / "a")
    generate(tmp_path / "b")
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def test_the_expected_notes_exist_and_every_frontmatter_loads(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    generate(root)
    config = json.loads((root / ".obsidian" / "daily-notes.json").read_text("utf-8"))
    assert config == {"folder": "Daily", "format": "YYYY-MM-DD"}
    assert not (root / "Entraide" / "Settings.md").exists()
    people = sorted((root / "People").rglob("*.md"))
    assert len(people) == 50
    assert any(p.parent != root / "People" for p in people)  # some in nested folders
    assert (root / "Daily" / "2026-11-22.md").is_file()
    assert len(list((root / "Daily").glob("*.md"))) > 250
    assert list((root / "Meetings").glob("*.md"))
    for note in root.rglob("*.md"):
        yaml_text = frontmatter(note.read_text("utf-8"))
        if note.is_relative_to(root / "People") or note.parent.name == "Meetings":
            assert yaml_text is not None, note
        if yaml_text is not None:
            assert isinstance(yaml.safe_load(yaml_text), dict), note
    for person in people:
        data = yaml.safe_load(frontmatter(person.read_text("utf-8")) or "")
        assert "person" in data["tags"]


def test_entraide_reads_it_without_problems(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    generate(root)
    vault = read_vault(root, load_settings(root).settings)
    assert len(vault.contacts) == 50
    assert vault.problems == ()
    assert sum(len(c.interactions) for c in vault.contacts) > 100
    assert any(i.date == date(2026, 11, 22) for c in vault.contacts for i in c.interactions)
