"""An incremental build (memo of the last one) always equals a fresh build."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from entraide.analytics.report import Analysis
from entraide.index import Index, load_settings, read_vault

VAULTS = Path(__file__).parent / "fixtures" / "vaults"
SCENARIOS = sorted(p.name for p in VAULTS.iterdir() if (p / "vault").is_dir())
EDITS = [
    ("append", "\n- 2026-11-21 call #gave with [[Jane Doe]]\n"),
    ("append", "\nMet [[Adam]] and [[Bob Stone|Bob]] today. #news\n"),
    ("replace", "---\ntype: person\naliases: [Zed]\n---\n# now a person\n"),
    ("delete", ""),
]


def fresh(root: Path) -> object:
    return read_vault(root, load_settings(root).settings, (), Index(root, use_cache=False))


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_incremental_equals_fresh(scenario: str, tmp_path: Path) -> None:
    root = tmp_path / "vault"
    shutil.copytree(VAULTS / scenario / "vault", root, symlinks=True)
    settings = load_settings(root).settings
    index = Index(root, use_cache=False)
    vault = read_vault(root, settings, (), index)
    assert vault == fresh(root)
    today = date(2026, 11, 22)
    analysis = Analysis(vault, settings)
    analysis.ties(today)
    for dim in settings.dimensions:
        analysis.diversity(today, dim)
    notes = sorted(p for p in root.rglob("*.md") if ".obsidian" not in p.parts and p.is_file())
    for n, (kind, text) in enumerate(EDITS):
        note = notes[(n * 7) % len(notes)]
        if not note.exists():
            continue
        if kind == "append":
            with open(note, "a", encoding="utf-8") as f:
                f.write(text)
        elif kind == "replace":
            note.write_text(text, encoding="utf-8")
        else:
            note.unlink()
        vault = read_vault(root, settings, (), index)
        assert vault == fresh(root), (kind, note)
        analysis = Analysis(vault, settings, previous=analysis)
        scratch = Analysis(vault, settings)
        assert analysis.ties(today) == scratch.ties(today)
        for dim in settings.dimensions:
            assert analysis.diversity(today, dim) == scratch.diversity(today, dim), dim
