"""The parse cache: segments pickled by the parse workers go to disk as they are, and a cache
read back holds exactly the notes a fresh parse gives, however many were edited since."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from entraide import index as index_module
from entraide.index import Index, fingerprint, load_settings, snapshot
from entraide.parse.note import parse_note

GENERATOR = Path(__file__).resolve().parent.parent / "scripts" / "gen_vault.py"


@pytest.fixture
def vault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "vault"
    subprocess.run(
        [sys.executable, str(GENERATOR), str(root), "--contacts", "40", "--years", "1"],
        check=True,
        capture_output=True,
    )
    monkeypatch.setattr(index_module, "PARALLEL_FROM", 20)  # parse workers on a small vault
    return root


def refreshed(root: Path) -> Index:
    index = Index(root)
    index.refresh(snapshot(root, load_settings(root).settings).found.notes)
    return index


def assert_fresh(root: Path, index: Index) -> None:
    """Every entry is the current file's parse, and every current file has its entry."""
    files = snapshot(root, load_settings(root).settings).found.notes
    assert sorted(index.entries) == [f.path for f in files]
    for f in files:
        entry = index.entries[f.path]
        assert entry[:3] == (f.mtime_ns, f.size, f.inode)
        assert entry[3] == parse_note(Path(f.fs_path).read_bytes())


def test_the_cache_holds_what_a_fresh_parse_gives_through_edits(vault: Path) -> None:
    first = refreshed(vault)
    assert first.parsed_last > 20 and len(first.segments) > 1  # the workers' segments
    first.save()
    notes = sorted((vault / "People").glob("*.md"))
    for note in notes[:3]:
        with open(note, "a", encoding="utf-8") as f:
            f.write("\n- 2026-11-20 call: an edit #gave\n")
    notes[3].unlink()
    (vault / "People" / "Newcomer.md").write_text("---\ntags: [person]\n---\nHi\n", "utf-8")

    second = refreshed(vault)
    assert second.parsed_last == 4  # three edited, one new: the rest came from the cache
    assert_fresh(vault, second)
    second.save()
    third = refreshed(vault)
    assert third.parsed_last == 0
    assert_fresh(vault, third)


def test_a_mostly_stale_cache_is_written_anew_as_one_segment(vault: Path) -> None:
    refreshed(vault).save()
    notes = sorted(vault.rglob("*.md"))
    for note in [n for i, n in enumerate(notes) if i % 3]:  # two notes in three, everywhere
        with open(note, "a", encoding="utf-8") as f:
            f.write("\nedited\n")
    index = refreshed(vault)
    index.save()
    assert len(index.segments) == 1
    again = refreshed(vault)
    assert again.parsed_last == 0
    assert_fresh(vault, again)


def test_a_snapshot_updated_after_events_equals_a_fresh_one(vault: Path) -> None:
    """What a daemon derives from events (an updated scan, its digest, the notes) is what a
    fresh scan and parse give."""
    settings = load_settings(vault).settings
    index = Index(vault, use_cache=False)
    snap = snapshot(vault, settings)
    index.refresh(snap.found.notes)
    people = sorted((vault / "People").glob("*.md"))
    edits = [
        ("append", people[0]),
        ("delete", people[1]),
        ("touch", people[2]),
        ("create", vault / "People" / "Newcomer.md"),  # a new path: a full refresh
        ("append", people[3]),
    ]
    digests = {fingerprint(snap)}
    for kind, note in edits:
        if kind == "append":
            with open(note, "a", encoding="utf-8") as f:
                f.write("\n- 2026-11-20 call\n")
        elif kind == "delete":
            note.unlink()
        elif kind == "touch":
            note.touch()
        else:
            note.write_text("---\ntype: person\n---\n", "utf-8")
        snap = snapshot(vault, settings, snap, {str(note)})
        whole = snapshot(vault, settings)
        assert snap.found == whole.found
        assert fingerprint(snap) == fingerprint(whole) not in digests  # every change shows
        digests.add(fingerprint(snap))
        notes = index.refresh(snap.found.notes, snap.delta if len(digests) % 2 else None)
        assert list(notes.items()) == list(Index(vault, False).refresh(whole.found.notes).items())


def test_a_parse_worker_that_dies_loses_no_note(
    vault: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker killed mid-index (here: it exits on its second chunk) costs time, not notes:
    what it delivered whole is used, the chunk it was on is parsed by the indexing process."""
    import os

    parent, real = os.getpid(), index_module._parse_chunk
    died = tmp_path / "died"
    taken: list[int] = []

    def dying(files: list[tuple[str, str]]) -> bytes:
        if os.getpid() != parent:
            taken.append(1)  # (the worker's own copy of the list)
            if len(taken) == 2:
                died.touch()
                os._exit(9)
        return real(files)

    monkeypatch.setattr(index_module, "_parse_chunk", dying)
    index = refreshed(vault)
    assert died.exists()
    assert len(index.segments) == 1  # the one chunk it delivered
    assert_fresh(vault, index)


def test_a_note_that_cannot_be_read_is_told_not_silently_dropped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A note the OS refuses to read is left out and named in the pass's messages (stderr,
    the daemon's log); the rest of the vault is read as ever."""
    import os
    from datetime import date

    from entraide.engine import run_pass

    root = tmp_path / "vault"
    (root / "People").mkdir(parents=True)
    (root / "People" / "Ana.md").write_text("---\ntags: [person]\n---\n", "utf-8")
    locked = root / "People" / "Bea.md"
    locked.write_text("---\ntags: [person]\n---\n", "utf-8")
    if os.geteuid() == 0:  # root reads any file: the refusal is the OS error itself
        real = index_module.read_bytes

        def refusing(path: str) -> bytes:
            if path.endswith("Bea.md"):
                raise PermissionError(13, "Permission denied", path)
            return real(path)

        monkeypatch.setattr(index_module, "read_bytes", refusing)
    else:
        locked.chmod(0)
    try:
        result = run_pass(root, date(2026, 11, 22), Index(root, use_cache=False))
    finally:
        locked.chmod(0o644)
    assert result.contacts == 1
    assert result.messages == [
        "cannot read People/Bea.md (Permission denied): it is left out until it can be read"
    ]


def test_an_index_that_fails_midway_leaves_no_worker_behind(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An error in the indexing process while workers parse (a bug, an interrupt) stops and
    reaps them: no worker goes on parsing, none is left a zombie."""
    import os

    parent, real = os.getpid(), index_module._parse_files
    calls: list[int] = []

    def failing(files: list[tuple[str, str]]) -> list[object]:
        if os.getpid() == parent:
            calls.append(1)
            if len(calls) == 2:
                raise KeyboardInterrupt
        return real(files)  # type: ignore[return-value]

    monkeypatch.setattr(index_module, "_parse_files", failing)
    with pytest.raises(KeyboardInterrupt):
        refreshed(vault)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no child of this process is left, running or dead
