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
    # (Not the settings note: the incremental build is handed the settings read above.)
    settings_note = root / "Entraide" / "Settings.md"
    notes = sorted(
        p
        for p in root.rglob("*.md")
        if ".obsidian" not in p.parts and p.is_file() and p != settings_note
    )
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


# Edits a daemon sees one at a time, on a generated vault: each build after one of them takes
# the update path when it can (the same contacts, names and aliases) and must equal a fresh
# build; the others (a new note, a new alias, a note that stops being a contact…) rebuild.
GENERATOR = Path(__file__).resolve().parent.parent / "scripts" / "gen_vault.py"
DAILY_EDITS = [
    "\nLunch with [[{a}]] and [[{b}|B]]. #gave\n",
    "\n- [ ] ask [[{a}]] later\n> quoted [[{b}]]\n",
    "\n<<<<<<< ours\nx\n=======\ny\n>>>>>>> theirs\n",
]
CONTACT_EDITS = [
    "\n- 2026-11-20 call: news [[{a}]] #news [minutes:: 30]\n",
    "\n- 2026-11-20 call: same day twice #asked\n- 2026-11-20 coffee\n",
    "\nKnows [[{a}]] well.\n",
    "\n- 2026-13-45 lunch: an impossible date\n",
]
FRONTMATTER_EDITS = [
    ("circle: ", "circle: nowhere\nold_circle: "),  # an unknown circle: a problem
    ("---\n", "---\nknows: [[{a}]]\n"),  # an unquoted link: a problem and an edge
    ("---\n", "---\naliases: [Zorro {n}]\n"),  # a new alias: names change, full rebuild
    ("---\n", "---\ntype: [\n"),  # broken YAML: no longer a contact, full rebuild
]


@pytest.mark.slow
def test_updates_equal_fresh_builds_on_a_generated_vault(tmp_path: Path) -> None:
    import random
    import subprocess
    import sys

    root = tmp_path / "vault"
    subprocess.run(
        [sys.executable, str(GENERATOR), str(root), "--contacts", "60", "--years", "1"],
        check=True,
        capture_output=True,
    )
    settings = load_settings(root).settings
    index = Index(root, use_cache=False)
    read_vault(root, settings, (), index)
    rnd = random.Random(7)
    people = sorted((root / "People").rglob("*.md"))
    daily = sorted((root / "Daily").glob("*.md"))
    updates = 0
    for n in range(30):
        a, b = rnd.sample(people, 2)
        names = {"a": a.stem, "b": b.stem, "n": n}
        kind = rnd.choice(["daily", "contact", "frontmatter", "new", "delete"])
        target = rnd.choice(daily if kind == "daily" else people)
        if kind == "daily":
            with open(target, "a", encoding="utf-8") as f:
                f.write(rnd.choice(DAILY_EDITS).format(**names))
        elif kind == "contact":
            with open(target, "a", encoding="utf-8") as f:
                f.write(rnd.choice(CONTACT_EDITS).format(**names))
        elif kind == "frontmatter":
            old, new = rnd.choice(FRONTMATTER_EDITS)
            text = target.read_text("utf-8")
            target.write_text(text.replace(old, new.format(**names), 1), "utf-8")
        elif kind == "new":
            (root / "People" / f"New {n}.md").write_text(f"Met [[{a.stem}]].\n", "utf-8")
        elif target.exists() and target not in (a, b):
            target.unlink()
            people.remove(target)
        before = index.memo.last
        vault = read_vault(root, settings, (), index)
        updates += index.memo.last is before is not None
        assert vault == fresh(root), (n, kind, target.name)
    assert updates >= 10  # the update path was taken, not only full rebuilds
