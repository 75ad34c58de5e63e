"""The write door (vault_io.replace_file): the races it closes, made to happen on purpose.

Each test makes a user's save land at the worst moment of a replace, by wrapping the step
where it can land; the user's bytes must be what the note holds afterwards."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

import pytest

from conftest import mark_vault
from entraide import vault_io
from entraide.vault_io import Moved, Unsettled, WriteRefused, read_state, replace_file
from entraide.writeback import append_line

USER = b"---\ncircle: close\n---\n# Jane\n\nThe user's new paragraph.\n"


def litter(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.name.endswith(".tmp"))


@pytest.fixture
def note(tmp_path: Path) -> Path:
    path = tmp_path / "People" / "Jane.md"
    path.parent.mkdir()
    path.write_bytes(b"---\ncircle: close\n---\n# Jane\n")
    return path


@pytest.mark.usefixtures("instant_settle")
def test_an_atomic_save_between_the_check_and_the_rename_is_kept(
    note: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An editor saves (temp file, rename) right after the last check: the swap shows the
    file it replaced is not the one checked, and puts the editor's file back."""
    real = vault_io._exchange
    saved: list[bool] = []

    def save_first(dir_fd: int, a: str, b: str) -> bool:
        if not saved:
            saved.append(True)
            (tmp_path / "People" / ".Jane.md.swp").write_bytes(USER)
            os.replace(tmp_path / "People" / ".Jane.md.swp", note)
        return real(dir_fd, a, b)

    monkeypatch.setattr(vault_io, "_exchange", save_first)
    state = read_state(tmp_path, "People/Jane.md")
    with pytest.raises(Moved):
        replace_file(tmp_path, "People/Jane.md", b"ours\n", state)
    assert note.read_bytes() == USER
    assert litter(tmp_path) == []


@pytest.mark.usefixtures("instant_settle")
def test_an_in_place_save_into_the_replaced_file_is_put_back(
    note: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An editor that opened the note (truncating it) just before the replace writes into
    the old file, which is no longer the note: its bytes are put back, ours withdrawn."""
    real = vault_io._exchange
    editor = os.open(note, os.O_WRONLY)

    def then_the_editor_writes(dir_fd: int, a: str, b: str) -> bool:
        done = real(dir_fd, a, b)
        os.ftruncate(editor, 0)
        os.write(editor, USER)
        return done

    monkeypatch.setattr(vault_io, "_exchange", then_the_editor_writes)
    state = read_state(tmp_path, "People/Jane.md")
    try:
        with pytest.raises(Unsettled):
            replace_file(tmp_path, "People/Jane.md", b"ours\n", state)
    finally:
        os.close(editor)
    assert note.read_bytes() == USER
    assert litter(tmp_path) == []


def test_a_note_saved_a_moment_ago_is_not_replaced(note: Path, tmp_path: Path) -> None:
    """An editor that truncates then writes leaves a moment where the note is empty or
    half-written: a note changed within the last moments is never replaced."""
    with note.open("wb") as f:  # truncated: an in-place save has begun
        f.write(b"---\ncirc")
    state = read_state(tmp_path, "People/Jane.md")
    with pytest.raises(Unsettled):
        replace_file(tmp_path, "People/Jane.md", b"ours\n", state)
    assert note.read_bytes() == b"---\ncirc"
    why = append_line(tmp_path, "People/Jane.md", "- 2026-11-20 call", settle_wait=0.2)
    assert not why.done and why.later and "kept changing" in (why.why or "")
    assert note.read_bytes() == b"---\ncirc"


@pytest.mark.usefixtures("instant_settle")
def test_a_note_cut_short_since_the_vault_was_read_is_not_appended_to(
    note: Path, tmp_path: Path
) -> None:
    known = note.stat().st_size + 10  # the scan saw it larger: it is being rewritten
    done = append_line(tmp_path, "People/Jane.md", "- 2026-11-20 call", known_size=known)
    assert not done.done and done.later
    assert note.read_bytes() == b"---\ncircle: close\n---\n# Jane\n"


@pytest.mark.usefixtures("instant_settle")
def test_read_only_notes_are_refused(note: Path, tmp_path: Path) -> None:
    note.chmod(0o444)
    before = note.read_bytes()
    done = append_line(tmp_path, "People/Jane.md", "- 2026-11-20 call")
    assert not done.done and "read-only" in (done.why or "")
    assert note.read_bytes() == before and stat.S_IMODE(note.stat().st_mode) == 0o444


@pytest.mark.usefixtures("instant_settle")
@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user")
def test_owner_group_and_extended_attributes_are_kept(note: Path, tmp_path: Path) -> None:
    os.chown(note, 1000, 1000)
    note.chmod(0o640)
    try:
        os.setxattr(note, "user.origin", b"obsidian")
    except OSError:
        pytest.skip("this file system has no extended attributes")
    assert append_line(tmp_path, "People/Jane.md", "- 2026-11-20 call").done
    st = note.stat()
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (1000, 1000, 0o640)
    assert os.getxattr(note, "user.origin") == b"obsidian"
    assert note.read_bytes().endswith(b"## Log\n- 2026-11-20 call\n")


@pytest.mark.parametrize("rel", ["/etc/x.md", "../x.md", "a/../../x.md", "a//x.md", "./x.md"])
def test_the_door_refuses_paths_outside_the_vault(tmp_path: Path, rel: str) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    with pytest.raises(WriteRefused):
        replace_file(vault, rel, b"x", None)
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["vault"]


def test_a_folder_swapped_for_a_link_mid_write_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`People/` becomes a link out of the vault after the folder was opened: the temp file
    is in the real folder, the re-check from the root sees the swap, nothing is written."""
    vault, outside = tmp_path / "vault", tmp_path / "outside"
    (vault / "People").mkdir(parents=True)
    outside.mkdir()
    real = vault_io._write_temp

    def then_swap(folder: object, tmp: str, data: bytes, expected: object, rel: str) -> None:
        real(folder, tmp, data, expected, rel)  # type: ignore[arg-type]
        os.rename(vault / "People", tmp_path / "moved")
        (vault / "People").symlink_to(outside, target_is_directory=True)

    monkeypatch.setattr(vault_io, "_write_temp", then_swap)
    with pytest.raises(WriteRefused, match="moved"):
        replace_file(vault, "People/New.md", b"new\n", None)
    assert list(outside.iterdir()) == [] and list((tmp_path / "moved").iterdir()) == []


def test_reads_never_block_on_a_fifo(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "Check-ins.md")
    with pytest.raises(WriteRefused, match="not a regular file"):
        read_state(tmp_path, "Check-ins.md")
    with pytest.raises(OSError):
        vault_io.read_file(str(tmp_path / "Check-ins.md"))


def test_stale_temp_files_of_dead_writers_are_removed(tmp_path: Path) -> None:
    (tmp_path / "People").mkdir()
    dead = tmp_path / "People" / ".Jane.md.entraide-999999999.tmp"
    alive = tmp_path / "People" / f".Ann.md.entraide-{os.getppid()}.tmp"
    dead.write_bytes(b"x")
    alive.write_bytes(b"x")
    found = vault_io.scan(tmp_path, (), (), 1000).temps
    assert sorted(found) == sorted([f"People/{dead.name}", f"People/{alive.name}"])
    vault_io.remove_stale_temps(tmp_path, found)
    assert not dead.exists() and alive.exists()


@pytest.fixture
def tmpfs(tmp_path: Path) -> Path:
    """A small tmpfs of its own (root only): a file system that can really be full."""
    import subprocess

    mount = tmp_path / "tmpfs"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root: the full-disk race is not tried here")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"this machine refuses to mount a tmpfs: {done.stderr.decode().strip()}")
    yield mount  # type: ignore[misc]
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_file_system_loses_no_note(tmpfs: Path) -> None:
    """A vault on a file system with no room left: every append and output is refused with
    one sentence, and every note keeps its bytes; no temp file is left."""
    from entraide.cli import main

    (tmpfs / "People").mkdir()
    mark_vault(tmpfs)
    note = tmpfs / "People" / "Jane.md"
    note.write_bytes(b"---\ncircle: close\n---\n# Jane\n" + b"x" * 40_000)
    before = note.read_bytes()
    filler = tmpfs / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:  # fill the file system to the last byte
        for size in (4096, 1):
            with contextlib.suppress(OSError):
                while os.write(fd, b"\0" * size):
                    pass
    finally:
        os.close(fd)
    assert main(["log", str(tmpfs), "Jane", "--today", "2026-11-20"]) == 2
    assert note.read_bytes() == before
    assert main(["run", str(tmpfs), "--today", "2026-11-20"]) == 2
    assert note.read_bytes() == before and litter(tmpfs) == []
    filler.unlink()  # room again: the same commands succeed
    assert main(["log", str(tmpfs), "Jane", "--today", "2026-11-20"]) == 0
    assert note.read_bytes().startswith(before)


def test_the_door_without_openat_still_refuses_links_and_keeps_notes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the system cannot work inside an opened folder (Windows), each step goes by
    path after a check of every component: the same refusals, the same writes."""
    monkeypatch.setattr(vault_io, "_AT", False)
    monkeypatch.setattr(vault_io, "SETTLE_NS", 0)
    vault, outside = tmp_path / "vault", tmp_path / "outside"
    (vault / "People").mkdir(parents=True)
    outside.mkdir()
    note = vault / "People" / "Zoe\u0301.md"  # NFD on disk, NFC in the vault's model
    note.write_bytes(b"# Zoe\n")
    assert append_line(vault, "People/Zo\u00e9.md", "- 2026-11-20 call").done
    assert note.read_bytes() == b"# Zoe\n\n## Log\n- 2026-11-20 call\n"
    (vault / "Linked").symlink_to(outside, target_is_directory=True)
    with pytest.raises(WriteRefused, match="symbolic link"):
        replace_file(vault, "Linked/New.md", b"x", None)
    with pytest.raises(Moved):
        replace_file(vault, "People/Zo\u00e9.md", b"x", None)  # exists: never overwritten
    assert list(outside.iterdir()) == [] and litter(vault) == []
