"""Output stays linear in the vault (DESIGN 5.4): a message names at most 5 other notes, and
Problems.md groups problems by code, so thousands of contacts sharing an alias make a
readable note, not hundreds of megabytes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import mark_vault
from entraide.cli import main


def shared_alias_vault(root: Path, contacts: int) -> Path:
    people = root / "People"
    people.mkdir(parents=True)
    for k in range(contacts):
        (people / f"Person {k:04}.md").write_text(f"---\naliases: [Sam]\n---\n# {k}\n")
    return mark_vault(root)


def test_a_shared_alias_names_five_others_and_counts_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = shared_alias_vault(tmp_path / "vault", 600)
    assert main(["status", str(vault), "--json", "--today", "2026-11-23"]) == 0
    problems = json.loads(capsys.readouterr().out)["problems"]
    shared = [p for p in problems if p["code"] == "alias-shared"]
    assert len(shared) == 600
    first = shared[0]["message"]
    assert "People/Person 0001.md" in first and "and 594 more" in first
    assert first.count("People/") == 5
    assert max(len(p["message"]) for p in shared) < 400


def test_problems_are_grouped_by_code_with_their_count(tmp_path: Path) -> None:
    vault = shared_alias_vault(tmp_path / "vault", 600)
    (vault / "People" / "Broken.md").write_text("---\nfoo: [unclosed\n---\n")
    assert main(["run", str(vault), "--today", "2026-11-23"]) == 0
    text = (vault / "Entraide" / "Problems.md").read_text("utf-8")
    assert "## `alias-shared` (600)" in text and "## `yaml-syntax` (1)" in text
    assert text.index("`alias-shared` (600)") < text.index("`yaml-syntax` (1)")
    assert len(text.encode()) < 600 * 400  # linear: a few hundred bytes a problem
