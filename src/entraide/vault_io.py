"""The only module that touches the vault's files: scanning, reading and (atomic) writing."""

from __future__ import annotations

import json
import os
import re
import stat
from bisect import bisect_left
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from typing import Any, NamedTuple

from entraide.errors import Error
from entraide.model import Problem
from entraide.parse.values import nfc

_SYNCTHING = re.compile(r"^(.*)\.sync-conflict-\d{8}-\d{6}-[A-Za-z0-9]{7}\.md$")
_DROPBOX = re.compile(r"^(.*?) \([^()]*conflicted copy[^()]*\)\.md$", re.IGNORECASE)


def conflict_original(name: str) -> str | None:
    """The note a sync conflict copy was made of (`Jane.md`), or None if `name` is not one."""
    if "sync-conflict-" not in name and "onflicted cop" not in name.lower():
        return None
    m = _SYNCTHING.match(name) or _DROPBOX.match(name)
    return f"{m.group(1)}.md" if m else None


class NoteFile(NamedTuple):  # (a named tuple: a scan makes one per note, quickly)
    path: str  # vault-relative, `/`-separated, NFC
    fs_path: str  # as on disk, absolute
    mtime_ns: int
    size: int
    inode: int = 0


@dataclass(frozen=True, slots=True)
class ObsidianConfig:
    daily_folder: str = ""
    daily_format: str = "YYYY-MM-DD"
    template_folders: tuple[str, ...] = ()


@dataclass(slots=True)
class Scan:
    notes: list[NoteFile]
    too_large: list[NoteFile]
    conflict_copies: list[tuple[str, str]]  # (copy path, original path)
    problems: list[Problem]


def read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def obsidian_config(root: Path, config_folder: str) -> ObsidianConfig:
    """Daily-notes folder and format, and template folders, from Obsidian's config folder."""
    config = root / config_folder
    daily = read_json(config / "daily-notes.json")
    folders = []
    for data, key in (
        (read_json(config / "templates.json"), "folder"),
        (read_json(config / "plugins" / "templater-obsidian" / "data.json"), "templates_folder"),
    ):
        value = data.get(key)
        if isinstance(value, str) and value.strip("/ "):
            folders.append(nfc(value.strip().strip("/")))
    folder = daily.get("folder")
    fmt = daily.get("format")
    return ObsidianConfig(
        daily_folder=nfc(folder.strip().strip("/")) if isinstance(folder, str) else "",
        daily_format=fmt if isinstance(fmt, str) and fmt.strip() else "YYYY-MM-DD",
        template_folders=tuple(folders),
    )


def _under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder + "/")


def scan(
    root: Path,
    excluded_folders: tuple[str, ...],
    ignore: tuple[str, ...],
    max_note_bytes: int,
) -> Scan:
    """Every note of the vault, never following a symlink; what it skips is reported."""
    spec = _ignore_spec(ignore)
    real_root = os.path.realpath(root)
    result = Scan([], [], [], [])
    seen: set[str] = set()
    stack: list[tuple[str, str]] = [(str(root), "")]
    while stack:
        top, prefix = stack.pop()
        try:
            with os.scandir(top) as it:
                entries = sorted(it, key=lambda e: e.name, reverse=True)
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue  # dot-folders (.obsidian, .git, .trash) and dot-files
            rel = prefix + entry.name
            path = rel if rel.isascii() else nfc(rel)
            is_dir = entry.is_dir(follow_symlinks=False)
            if spec is not None and spec.match_file(rel + "/" if is_dir else rel):
                continue
            if is_dir and excluded(path, excluded_folders):
                continue
            if entry.is_symlink():
                if not _inside(os.path.realpath(entry.path), real_root):
                    result.problems.append(
                        Problem(
                            path,
                            None,
                            "symlink-outside",
                            "this symbolic link leads outside the vault and is not followed: "
                            "move what it points to into the vault",
                        )
                    )
                continue
            if is_dir:
                stack.append((entry.path, rel + "/"))
                continue
            if not entry.name.endswith(".md"):
                continue
            original = conflict_original(path.rpartition("/")[2])
            if original is not None:
                folder = path.rpartition("/")[0]
                result.conflict_copies.append(
                    (path, f"{folder}/{original}" if folder else original)
                )
                continue
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if not stat.S_ISREG(st.st_mode):
                continue
            if path in seen:
                # Two files whose names differ only in Unicode form (NFC/NFD): one note for
                # Obsidian on most systems, and links cannot tell them apart.
                result.problems.append(
                    Problem(
                        path,
                        None,
                        "duplicate-name",
                        "two files have this name, written with different Unicode forms "
                        "(composed and decomposed accents): only one is read; merge them",
                    )
                )
                continue
            seen.add(path)
            note = NoteFile(path, entry.path, st.st_mtime_ns, st.st_size, st.st_ino)
            (result.too_large if st.st_size > max_note_bytes else result.notes).append(note)
    result.notes.sort(key=lambda n: n.path)
    return result


def _ignore_spec(ignore: tuple[str, ...]) -> Any:
    """The `ignore` setting's gitignore patterns, or None (pathspec is imported only then)."""
    if not ignore:
        return None
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(ignore)


def update_scan(
    root: Path,
    previous: Scan,
    changed: set[str],
    excluded_folders: tuple[str, ...],
    ignore: tuple[str, ...],
    max_note_bytes: int,
) -> Scan | None:
    """`previous` with the notes at `changed` (absolute paths) stat'ed again: what a daemon
    does after an event. None when only a full scan can tell (a folder, a link, a conflict
    copy, a config file…); the periodic full rescan catches whatever events miss."""
    spec = _ignore_spec(ignore)
    notes, large = list(previous.notes), list(previous.too_large)  # sorted by path
    base = os.path.realpath(root)
    for absolute in changed:
        rel = os.path.relpath(absolute, base)
        parts = rel.split(os.sep)
        if rel.startswith("..") or not rel.endswith(".md") or any(p.startswith(".") for p in parts):
            return None
        path = nfc("/".join(parts))
        if excluded(path, excluded_folders):
            continue
        if conflict_original(parts[-1]) is not None:
            return None
        if spec is not None and spec.match_file(rel):
            continue
        _drop(notes, path)
        _drop(large, path)
        try:
            st = os.lstat(absolute)
        except FileNotFoundError:
            continue  # deleted
        except OSError:
            return None
        if stat.S_ISLNK(st.st_mode) or stat.S_ISDIR(st.st_mode):
            return None
        if not stat.S_ISREG(st.st_mode):
            continue
        note = NoteFile(path, absolute, st.st_mtime_ns, st.st_size, st.st_ino)
        found = large if st.st_size > max_note_bytes else notes
        found.insert(bisect_left(found, path, key=_PATH), note)
    return Scan(notes, large, previous.conflict_copies, previous.problems)


_PATH = attrgetter("path")


def _drop(files: list[NoteFile], path: str) -> None:
    """Remove the entry of `path` from `files` (sorted by path), if there is one."""
    i = bisect_left(files, path, key=_PATH)
    if i < len(files) and files[i].path == path:
        del files[i]


def _inside(target: str, real_root: str) -> bool:
    return target == real_root or target.startswith(real_root.rstrip(os.sep) + os.sep)


def excluded(path: str, folders: tuple[str, ...]) -> bool:
    return any(_under(path, folder) for folder in folders if folder)


def read_bytes(path: str) -> bytes:
    """A file's bytes, read without the io stack's buffering (twice as quick on small notes)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        parts = []
        while part := os.read(fd, 1 << 20):
            parts.append(part)
        return b"".join(parts)
    finally:
        os.close(fd)


# -- writing ---------------------------------------------------------------------------------


class Moved(Exception):
    """The file changed between our read and our replace: read again and start over."""


class WriteRefused(Error):
    """A write that failed (disk full, file too large, read-only folder): nothing changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def git_busy(root: Path) -> str | None:
    """What git operation is in progress in the vault, if any."""
    git = root / ".git"
    for name, what in (
        ("index.lock", "a git command is running"),
        ("MERGE_HEAD", "a git merge is in progress"),
        ("rebase-merge", "a git rebase is in progress"),
        ("rebase-apply", "a git rebase is in progress"),
        ("CHERRY_PICK_HEAD", "a git cherry-pick is in progress"),
    ):
        if (git / name).exists():
            return what
    return None


def read_state(path: str) -> tuple[bytes, os.stat_result] | None:
    """A file's bytes and stat, or None when it does not exist.

    Raises WriteRefused when it cannot be read (a folder where a note should be, a file where
    a folder should be, no permission): entraide then cannot safely replace it either.
    """
    try:
        with open(path, "rb") as f:
            st = os.fstat(f.fileno())
            return f.read(), st
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise WriteRefused(f"cannot read '{path}': {exc.strerror or exc}") from exc


def refuse_links(root: Path, rel: str) -> None:
    """Raise WriteRefused when `rel` (a `/`-separated path under `root`) passes through a
    symbolic link: entraide never follows one (DESIGN §1), so it never writes through a linked
    folder or note — which could lead out of the vault. What does not exist yet is fine: it is
    created as real folders and files."""
    parts = rel.split("/")
    current = os.fspath(root)
    for i, part in enumerate(parts):
        current = os.path.join(current, part)
        try:
            st = os.lstat(current)
        except FileNotFoundError:
            return
        except OSError as exc:
            raise WriteRefused(f"cannot write '{rel}': {exc.strerror or exc}") from exc
        if stat.S_ISLNK(st.st_mode):
            link = "/".join(parts[: i + 1])
            raise WriteRefused(
                f"cannot write '{rel}': '{link}' is a symbolic link, and entraide never "
                "follows one; replace it with a real folder or note"
            )


def replace_file(path: str, data: bytes, expected: bytes | None, mode: int | None = None) -> None:
    """Atomically replace `path` with `data`, only if it still holds `expected` (None: absent).

    Temp file in the same folder, fsync, compare-and-swap re-read, `os.replace`, fsync of the
    folder. Raises Moved when the file changed under us; WriteRefused when the disk is full or
    the folder is not writable — the old file is then intact and no temp file is left.
    """
    folder = os.path.dirname(path) or "."
    name = os.path.basename(path)
    tmp = os.path.join(folder, f".{_temp_stem(name)}.entraide-{os.getpid()}.tmp")
    try:
        os.makedirs(folder, exist_ok=True)
        remove_stale_temps(folder, name)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
            if mode is not None:
                os.fchmod(fd, stat.S_IMODE(mode))
            else:
                umask = os.umask(0)
                os.umask(umask)
                os.fchmod(fd, 0o666 & ~umask)
        finally:
            os.close(fd)
        current = read_state(path)
        if (current[0] if current else None) != expected or _changed(path, current):
            raise Moved(path)
        os.replace(tmp, path)
    except OSError as exc:
        _remove(tmp)
        raise WriteRefused(f"cannot write '{path}': {exc.strerror or exc}") from exc
    except BaseException:
        _remove(tmp)
        raise
    _fsync_dir(folder)


def _changed(path: str, state: tuple[bytes, os.stat_result] | None) -> bool:
    """Whether `path` is no longer the file `state` was read from. Checked last, right before
    the rename: an editor's save landing while the note was being re-read would otherwise be
    replaced unseen (the window grew with the note's size); it is now two system calls wide."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return state is not None
    if state is None:
        return True
    old = state[1]
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns) != (
        old.st_dev,
        old.st_ino,
        old.st_size,
        old.st_mtime_ns,
    )


_TEMP = re.compile(r"^\.(.+)\.entraide-(\d+)\.tmp$")
_MAX_STEM = 200  # UTF-8 bytes of a note's name kept in its temp file's name (NAME_MAX: 255)


def _temp_stem(name: str) -> str:
    """A note's name as its temp file carries it: a long name (a note may have up to 255
    bytes of name) is cut, with a digest so that two long names never share a temp file."""
    raw = name.encode("utf-8", "surrogateescape")
    if len(raw) <= _MAX_STEM:
        return name
    import hashlib

    digest = hashlib.blake2b(raw, digest_size=8).hexdigest()
    return f"{raw[: _MAX_STEM - 17].decode('utf-8', 'ignore')}~{digest}"


def remove_stale_temps(folder: str, name: str | None = None) -> None:
    """Delete temp files left by a writer that was killed (its process is gone)."""
    try:
        entries = os.listdir(folder)
    except OSError:
        return
    for entry in entries:
        m = _TEMP.match(entry)
        if not m or (name is not None and m.group(1) != _temp_stem(name)):
            continue
        pid = int(m.group(2))
        if pid == os.getpid():
            continue
        try:
            os.kill(pid, 0)
            continue  # still running: its temp file is in use
        except ProcessLookupError:
            pass
        except PermissionError:
            continue
        _remove(os.path.join(folder, entry))


def _remove(path: str) -> None:
    """Best effort: a cleanup that fails must not hide the error being reported."""
    try:
        os.unlink(path)
    except OSError:
        return


def _fsync_dir(folder: str) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        return
    finally:
        os.close(fd)
