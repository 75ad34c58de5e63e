"""The only module that touches the vault's files: scanning, reading and (atomic) writing."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import stat
import sys
import time
from bisect import bisect_left
from dataclasses import dataclass, field
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
    # The configuration file the daily folder and format come from, vault-relative ("" for
    # the defaults): where a format entraide cannot use is reported (`daily-format`).
    daily_source: str = ""


@dataclass(slots=True)
class Scan:
    notes: list[NoteFile]
    too_large: list[NoteFile]
    conflict_copies: list[tuple[str, str]]  # (copy path, original path)
    problems: list[Problem]
    temps: list[str] = field(default_factory=list)  # entraide's temp files (a killed writer's)


def read_json(path: Path) -> dict[str, Any]:
    """A JSON object from Obsidian's config folder; {} when missing, unreadable or not one."""
    try:
        data = json.loads(read_file(str(path)).decode("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def obsidian_config(root: Path, config_folder: str) -> ObsidianConfig:
    """Daily-notes folder and format, and template folders, from Obsidian's config folder.

    The daily notes are the Periodic Notes plugin's when it is enabled and its daily notes
    are on, else the core Daily notes plugin's (DESIGN §1); a missing file or key, or an empty
    string, means the default: `YYYY-MM-DD` at the vault's root.
    """
    config = root / config_folder
    folders = []
    for data, key in (
        (read_json(config / "templates.json"), "folder"),
        (read_json(config / "plugins" / "templater-obsidian" / "data.json"), "templates_folder"),
    ):
        value = data.get(key)
        if isinstance(value, str) and value.strip("/ "):
            folders.append(nfc(value.strip().strip("/")))
    where = nfc(config_folder.strip("/"))
    daily, source = read_json(config / "daily-notes.json"), f"{where}/daily-notes.json"
    if "periodic-notes" in _enabled_plugins(config):
        periodic = read_json(config / "plugins" / "periodic-notes" / "data.json").get("daily")
        if isinstance(periodic, dict) and periodic.get("enabled") is True:
            daily, source = periodic, f"{where}/plugins/periodic-notes/data.json"
    folder = daily.get("folder")
    fmt = daily.get("format")
    return ObsidianConfig(
        daily_folder=nfc(folder.strip().strip("/")) if isinstance(folder, str) else "",
        daily_format=nfc(fmt) if isinstance(fmt, str) and fmt.strip() else "YYYY-MM-DD",
        template_folders=tuple(folders),
        daily_source=source,
    )


def _enabled_plugins(config: Path) -> list[Any]:
    """The community plugins Obsidian loads (`community-plugins.json`, a list of ids)."""
    try:
        data = json.loads(read_file(str(config / "community-plugins.json")).decode("utf-8"))
    except (OSError, ValueError):
        return []
    return data if isinstance(data, list) else []


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
                if entry.name.endswith(".tmp") and is_temp(entry.name):
                    result.temps.append(prefix + entry.name)
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
    return Scan(notes, large, previous.conflict_copies, previous.problems, previous.temps)


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


# -- reading what entraide may replace, and writing ------------------------------------------
#
# Every write into the vault goes through `replace_file`. The folder is opened from the vault
# root one component at a time, never through a symbolic link, and every later step (reading
# the note, making the temp file, the rename) happens inside that opened folder: a folder
# swapped for a link mid-write cannot lead the write out of the vault. A note is only
# replaced when it still holds the bytes the new ones were made from, and when it has not
# changed within the last moments (an editor may be saving it in place); the old file is
# checked once more after the rename, and an editor's bytes that landed in it are put back.

SETTLE_NS = 1_000_000_000  # a file changed this recently may be mid-save: not replaced yet
SETTLE_WAIT_S = 3.0  # how long a one-shot command waits for a note to settle
_SKEW_NS = 5_000_000_000  # a change time this far ahead of the clock is a recent change
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_O_BINARY = getattr(os, "O_BINARY", 0)  # (Windows: no newline translation)


class Moved(Exception):
    """The file changed between our read and our replace: read again and start over."""


class Unsettled(Moved):
    """The file changed within the last moments (or shrank): it may be mid-save by an editor
    writing in place. Nothing was written; try again once it has settled."""


class WriteRefused(Error):
    """A write that failed or may not happen (disk full, read-only note, a link on the way,
    a folder outside the vault): nothing changed."""

    def __init__(self, message: str, note_only: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.note_only = note_only  # only this note cannot be written: the others can


@dataclass(frozen=True, slots=True)
class FileState:
    """A file's bytes and its stat, as read (the compare-and-swap compares against both)."""

    data: bytes
    stat: os.stat_result
    xattrs: tuple[tuple[str, bytes], ...] = ()


def read_file(path: str) -> bytes:
    """A regular file's bytes: never blocks on a FIFO or a device, never follows a link at
    the last step. Raises OSError (FileNotFoundError when absent)."""
    fd = os.open(path, os.O_RDONLY | _O_NONBLOCK | _O_NOFOLLOW | _O_CLOEXEC | _O_BINARY)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", path)
        return _read_all(fd)
    finally:
        os.close(fd)


read_bytes = read_file  # the notes' reader: the same door


def _read_all(fd: int) -> bytes:
    parts = []
    while part := os.read(fd, 1 << 20):
        parts.append(part)
    return b"".join(parts)


def unsettled(st: os.stat_result, now_ns: int | None = None) -> bool:
    """Whether a file changed so recently that an editor may still be writing it in place.
    The change time (which no tool sets back) and the modification time both count."""
    now = time.time_ns() if now_ns is None else now_ns
    newest = max(st.st_mtime_ns, st.st_ctime_ns)
    return -_SKEW_NS < now - newest < SETTLE_NS


# Systems that can work inside an opened folder (openat and friends); elsewhere (Windows)
# each step goes by path, after a check that no component is a link.
_AT = os.open in os.supports_dir_fd and os.stat in os.supports_dir_fd and os.name == "posix"


class _Folder:
    """A vault folder reached from the root without following any link: where its files are
    opened, made, renamed and removed (inside the opened folder itself, where the system
    can), its path from the root as on disk, and what it is (to check it is still that)."""

    __slots__ = ("fd", "path", "parts", "ident")

    def __init__(self, fd: int | None, path: str, parts: list[str]) -> None:
        self.fd = fd
        self.path = path
        self.parts = parts
        st = os.fstat(fd) if fd is not None else os.stat(path)
        self.ident = (st.st_dev, st.st_ino)

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)

    def _at(self, name: str) -> str:
        return name if self.fd is not None else os.path.join(self.path, name)

    def stat(self, name: str) -> os.stat_result:
        return os.stat(self._at(name), dir_fd=self.fd, follow_symlinks=False)

    def open(self, name: str, flags: int, mode: int = 0o777) -> int:
        return os.open(self._at(name), flags, mode, dir_fd=self.fd)

    def mkdir(self, name: str) -> None:
        os.mkdir(self._at(name), 0o777, dir_fd=self.fd)

    def unlink(self, name: str) -> None:
        os.unlink(self._at(name), dir_fd=self.fd)

    def replace(self, src: str, dst: str) -> None:
        os.replace(self._at(src), self._at(dst), src_dir_fd=self.fd, dst_dir_fd=self.fd)

    def link(self, src: str, dst: str) -> None:
        os.link(
            self._at(src),
            self._at(dst),
            src_dir_fd=self.fd,
            dst_dir_fd=self.fd,
            follow_symlinks=False,
        )

    def exchange(self, a: str, b: str) -> bool:
        return self.fd is not None and _exchange(self.fd, a, b)

    def listdir(self) -> list[str]:
        return os.listdir(self.fd if self.fd is not None else self.path)

    def sync(self) -> None:
        if self.fd is not None:
            with contextlib.suppress(OSError):
                os.fsync(self.fd)

    def child(self, name: str) -> _Folder:
        """The sub-folder `name` (checked to be a real folder by the caller)."""
        if self.fd is None:
            return _Folder(None, os.path.join(self.path, name), [*self.parts, name])
        flags = os.O_RDONLY | _O_DIRECTORY | _O_NOFOLLOW | _O_CLOEXEC
        return _Folder(os.open(name, flags, dir_fd=self.fd), "", [*self.parts, name])

    def on_disk(self, name: str) -> str:
        """`name` as this folder spells it (an NFD name on disk for an NFC one, say)."""
        try:
            self.stat(name)
            return name
        except FileNotFoundError:
            pass
        wanted = nfc(name)
        try:
            entries = self.listdir()
        except OSError:
            return name
        found = sorted(e for e in entries if nfc(e) == wanted)
        return found[0] if found else name


def _open_folder(root: Path, rel_folder: str, create: bool, target: str = "") -> _Folder:
    """The folder `rel_folder` (`/`-separated, under `root`), opened without following links.

    Raises WriteRefused when a component is a link, not a folder, or leads outside the vault;
    FileNotFoundError when it does not exist and `create` is false."""
    shown = rel_folder or "the vault folder"
    try:
        if _AT:
            folder = _Folder(os.open(root, os.O_RDONLY | _O_DIRECTORY | _O_CLOEXEC), "", [])
        else:
            folder = _Folder(None, os.fspath(root), [])
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise WriteRefused(f"cannot open the vault folder: {exc.strerror or exc}") from exc
    try:
        for part in rel_folder.split("/") if rel_folder else ():
            if part in ("", ".", "..") or "\0" in part:
                raise WriteRefused(
                    f"cannot write into '{rel_folder}': not a folder inside the vault"
                )
            name = folder.on_disk(part)
            try:
                st = folder.stat(name)
            except FileNotFoundError:
                if not create:
                    raise
                with contextlib.suppress(FileExistsError):
                    folder.mkdir(name)
                st = folder.stat(name)
            if stat.S_ISLNK(st.st_mode) or _is_junction(st):
                raise WriteRefused(
                    f"cannot write '{target or rel_folder}': '{'/'.join([*folder.parts, name])}' "
                    "is a symbolic link, and entraide never follows one; make it a real folder"
                )
            if not stat.S_ISDIR(st.st_mode):
                raise WriteRefused(
                    f"cannot write into '{'/'.join([*folder.parts, name])}': it is a file, "
                    "not a folder"
                )
            child = folder.child(name)
            folder.close()
            folder = child
    except FileNotFoundError:
        folder.close()
        raise
    except WriteRefused:
        folder.close()
        raise
    except OSError as exc:
        folder.close()
        raise WriteRefused(f"cannot open '{shown}': {exc.strerror or exc}") from exc
    return folder


def _is_junction(st: os.stat_result) -> bool:
    """A Windows junction or other reparse point (a link by another name)."""
    return bool(getattr(st, "st_file_attributes", 0) & 0x400)


def _still_there(root: Path, folder: _Folder) -> bool:
    """Whether the vault root still leads to `folder` by its names, through no link."""
    try:
        again = _open_folder(root, "/".join(folder.parts), create=False)
    except (OSError, WriteRefused):
        return False
    try:
        return again.ident == folder.ident
    finally:
        again.close()


def _split(rel: str) -> tuple[str, str]:
    """(folder, name) of a vault path; refused unless it is a plain path inside the vault."""
    parts = rel.split("/")
    if rel.startswith("/") or any(p in ("", ".", "..") or "\0" in p for p in parts):
        raise WriteRefused(f"cannot write '{rel}': not a path inside the vault")
    return "/".join(parts[:-1]), parts[-1]


def read_state(root: Path, rel: str) -> FileState | None:
    """The bytes and stat of the vault file `rel`, or None when it does not exist.

    Raises WriteRefused when it cannot be read or is no regular file (a folder, a FIFO, a
    link on the way): entraide then cannot safely replace it either, and never blocks on it."""
    folder_rel, name = _split(rel)
    try:
        folder = _open_folder(root, folder_rel, create=False, target=rel)
    except FileNotFoundError:
        return None
    try:
        fd = _open_note(folder, name, rel, "read")
        if fd is None:
            return None
        try:
            return FileState(_read_all(fd), os.fstat(fd), _xattrs(fd))
        finally:
            os.close(fd)
    except OSError as exc:
        raise WriteRefused(f"cannot read '{rel}': {exc.strerror or exc}") from exc
    finally:
        folder.close()


def _open_note(folder: _Folder, name: str, rel: str, verb: str = "write") -> int | None:
    """An fd on the regular file `name` of `folder`, or None when absent."""
    try:
        fd = folder.open(
            folder.on_disk(name), os.O_RDONLY | _O_NONBLOCK | _O_NOFOLLOW | _O_CLOEXEC | _O_BINARY
        )
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise WriteRefused(
                f"cannot {verb} '{rel}': it is a symbolic link, and entraide never follows one"
            ) from exc
        raise
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise WriteRefused(
            f"cannot {verb} '{rel}': it is not a regular file (a folder, a pipe or a device)",
            note_only=True,
        )
    return fd


def replace_file(root: Path, rel: str, data: bytes, expected: FileState | None) -> None:
    """Atomically make the vault file `rel` hold `data`, only if it still is `expected` (None:
    only if it does not exist).

    Raises Moved when the file changed since `expected` was read (read again and retry);
    Unsettled when it changed within the last moments (retry once it has settled);
    WriteRefused when the write may not or cannot happen (a read-only note, another user's
    note, a link on the way, a full disk) — the old file is then intact and no temp file is
    left. The replacement keeps the note's mode, owner, group and extended attributes."""
    folder_rel, name = _split(rel)
    if expected is not None:
        _check_writable(rel, expected.stat)
        if unsettled(expected.stat) and not _own(expected.stat, expected.data):
            raise Unsettled(rel)
    try:  # (a new note may need its folder; an existing one is where it was read)
        folder = _open_folder(root, folder_rel, create=expected is None, target=rel)
    except FileNotFoundError:
        raise Moved(rel) from None  # its folder moved away since it was read
    try:
        _replace_in(root, folder, rel, folder.on_disk(name), data, expected)
    finally:
        folder.close()


def _check_writable(rel: str, st: os.stat_result) -> None:
    if not st.st_mode & stat.S_IWUSR:
        raise WriteRefused(
            f"cannot write '{rel}': it is read-only; make it writable to let entraide add to it",
            note_only=True,
        )
    if st.st_uid != os.geteuid() and os.geteuid() != 0:
        raise WriteRefused(
            f"cannot write '{rel}': it belongs to another user, and entraide could not keep "
            "that owner",
            note_only=True,
        )


def _replace_in(
    root: Path, folder: _Folder, rel: str, name: str, data: bytes, expected: FileState | None
) -> None:
    tmp = f".{_temp_stem(name)}.entraide-{os.getpid()}.tmp"
    made = False
    old_fd: int | None = None
    try:
        made = True  # (removed below if it was made and is not the note)
        _write_temp(folder, tmp, data, expected, rel)
        if not _still_there(root, folder):
            raise WriteRefused(f"cannot write '{rel}': its folder moved meanwhile; nothing written")
        if expected is None:
            _create(folder, tmp, name, rel)
            made = False
        else:
            old_fd = _open_note(folder, name, rel)
            if old_fd is None:
                raise Moved(rel)
            now = os.fstat(old_fd)
            if _ident(now) != _ident(expected.stat) or _read_all(old_fd) != expected.data:
                raise Moved(rel)
            if unsettled(now) and not _own(now, expected.data):
                raise Unsettled(rel)
            if folder.exchange(tmp, name):
                # `tmp` now names what the note was an instant ago: the file just checked,
                # unless a save replaced it between the check and the exchange.
                was = folder.stat(tmp)
                if (was.st_dev, was.st_ino) != (now.st_dev, now.st_ino):
                    made = False  # (`tmp` holds that save: never removed)
                    folder.replace(tmp, name)  # that save back in place, ours gone
                    raise Moved(rel)
                folder.unlink(tmp)
            else:
                folder.replace(tmp, name)
            made = False
            _put_back_late_writes(folder, old_fd, name, expected, data, rel)
        _remember(folder, name, data)
    except OSError as exc:
        raise WriteRefused(f"cannot write '{rel}': {exc.strerror or exc}") from exc
    finally:
        if old_fd is not None:
            os.close(old_fd)
        if made:
            with contextlib.suppress(OSError):
                folder.unlink(tmp)
    with contextlib.suppress(OSError):
        folder.sync()


_RENAME_EXCHANGE = 2  # Linux renameat2's RENAME_EXCHANGE; macOS renameatx_np's RENAME_SWAP
_exchange_call: Any = None  # the C function, once looked up (False: the system has none)


def _exchange(dir_fd: int, a: str, b: str) -> bool:
    """Swap the files named `a` and `b` in one step (renameat2 RENAME_EXCHANGE): a replace
    after which the file that was replaced can still be checked, and put back. False where
    the system or file system cannot (then a plain rename is the only way)."""
    global _exchange_call
    if _exchange_call is None:
        _exchange_call = False
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            name = "renameatx_np" if sys.platform == "darwin" else "renameat2"
            call = getattr(libc, name)
            call.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
            call.argtypes.append(ctypes.c_uint)
            call.restype = ctypes.c_int
            _exchange_call = call
        except (OSError, AttributeError, ImportError):
            return False
    if _exchange_call is False:
        return False
    import ctypes

    if _exchange_call(dir_fd, os.fsencode(a), dir_fd, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False  # (this file system cannot swap: a plain rename)
    raise OSError(err, os.strerror(err))


def _ident(st: os.stat_result) -> tuple[int, ...]:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


# What this process last wrote, by file: a file still exactly so (same inode, times, size
# and bytes) has not been touched since, however recently, and needs no settling.
_OWN: dict[tuple[int, int], tuple[int, int, int, bytes]] = {}


def _digest(data: bytes) -> bytes:
    import hashlib

    return hashlib.blake2b(data, digest_size=16).digest()


def _remember(folder: _Folder, name: str, data: bytes) -> None:
    try:
        st = folder.stat(name)
    except OSError:
        return
    if len(_OWN) > 4096:
        _OWN.clear()
    _OWN[(st.st_dev, st.st_ino)] = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, _digest(data))


def own_writes() -> list[list[object]]:
    """What this process remembers of its last writes, to hand to the next process."""
    return [[*key, *value[:3], value[3].hex()] for key, value in list(_OWN.items())[-512:]]


def remember_writes(entries: list[list[object]]) -> None:
    """Take over another process's record of its writes (see `own_writes`); a malformed
    entry is skipped (it only ever spares a wait)."""
    for entry in entries:
        try:
            dev, ino, size, mtime, ctime, digest = entry
            value = (int(size), int(mtime), int(ctime), bytes.fromhex(str(digest)))  # type: ignore[call-overload]
            _OWN.setdefault((int(dev), int(ino)), value)  # type: ignore[call-overload]
        except (TypeError, ValueError):
            continue


def _own(st: os.stat_result, data: bytes) -> bool:
    mine = _OWN.get((st.st_dev, st.st_ino))
    return mine is not None and mine == (
        st.st_size,
        st.st_mtime_ns,
        st.st_ctime_ns,
        _digest(data),
    )


def _written(st: os.stat_result) -> tuple[int, int]:
    return (st.st_size, st.st_mtime_ns)


def _create(folder: _Folder, tmp: str, name: str, rel: str) -> None:
    """Give the temp file its name only if no file has it: a hard link does that in one
    step; where links are not supported, a check just before the rename."""
    try:
        folder.link(tmp, name)
    except FileExistsError:
        raise Moved(rel) from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
            raise
        try:
            folder.stat(name)
            raise Moved(rel) from None
        except FileNotFoundError:
            folder.replace(tmp, name)
            return
    folder.unlink(tmp)


def _copy_metadata(fd: int, expected: FileState | None, rel: str) -> None:
    """The new file gets the old one's mode, owner, group and extended attributes (a new
    note: the mode of a new file under the umask)."""
    if expected is None:
        umask = os.umask(0)
        os.umask(umask)
        _fchmod(fd, 0o666 & ~umask)
        return
    st = expected.stat
    mine = os.fstat(fd)
    if (mine.st_uid, mine.st_gid) != (st.st_uid, st.st_gid):
        try:
            os.fchown(fd, st.st_uid, st.st_gid)
        except OSError as exc:
            raise WriteRefused(
                f"cannot write '{rel}': it belongs to a user or group that entraide cannot give "
                "its new version",
                note_only=True,
            ) from exc
    _fchmod(fd, stat.S_IMODE(st.st_mode))
    _copy_xattrs(fd, expected, rel)


def _fchmod(fd: int, mode: int) -> None:
    fchmod = getattr(os, "fchmod", None)  # (not on Windows before Python 3.13: no modes there)
    if fchmod is not None:
        fchmod(fd, mode)


def _xattrs(fd: int) -> tuple[tuple[str, bytes], ...]:
    """A file's extended attributes (none where the system or file system has none)."""
    listxattr = getattr(os, "listxattr", None)
    if listxattr is None:
        return ()
    try:
        keys = listxattr(fd)
    except OSError:
        return ()
    found = []
    for key in sorted(keys):
        with contextlib.suppress(OSError):
            found.append((key, os.getxattr(fd, key)))
    return tuple(found)


def _copy_xattrs(fd: int, expected: FileState, rel: str) -> None:
    """The old file's extended attributes on the new one. One the user set (`user.`) that
    cannot be kept stops the write; the system's own (`security.` labels, which the system
    sets on the new file itself) are kept where allowed."""
    for key, value in expected.xattrs:
        try:
            os.setxattr(fd, key, value)
        except OSError as exc:
            if key.startswith("user."):
                raise WriteRefused(
                    f"cannot write '{rel}': its extended attribute '{key}' could not be kept",
                    note_only=True,
                ) from exc


def _put_back_late_writes(
    folder: _Folder, old_fd: int, name: str, expected: FileState, ours: bytes, rel: str
) -> None:
    """After the rename: if the old file changed after our last check, an editor was saving
    it in place (its writes land in the old file, no longer the note). Wait for it to finish,
    put its bytes back in place of ours, and report the write as not made (Unsettled)."""
    # (The rename itself changes the old file's change time: its size, modification time
    # and bytes tell whether anyone wrote to it.)
    if (
        _written(os.fstat(old_fd)) == _written(expected.stat)
        and _pread_all(old_fd) == expected.data
    ):
        return
    deadline = time.monotonic() + 2 * SETTLE_WAIT_S
    while True:
        st = os.fstat(old_fd)
        if time.time_ns() - st.st_mtime_ns >= SETTLE_NS or time.monotonic() > deadline:
            user = _pread_all(old_fd)
            if _written(os.fstat(old_fd)) == _written(st):
                break
        time.sleep(0.02)
    tmp = f".{_temp_stem(name)}.entraide-{os.getpid()}.tmp"
    try:
        _write_temp(folder, tmp, user, expected, rel)
        current = _open_note(folder, name, rel)
        if current is not None:
            try:
                if _read_all(current) == ours:
                    folder.replace(tmp, name)
            finally:
                os.close(current)
    finally:
        with contextlib.suppress(OSError):
            folder.unlink(tmp)
    raise Unsettled(rel)


def _write_temp(
    folder: _Folder, tmp: str, data: bytes, expected: FileState | None, rel: str
) -> None:
    """The temp file `tmp` in `folder`, holding `data` with the note's metadata, synced."""
    fd = folder.open(
        tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_NOFOLLOW | _O_CLOEXEC | _O_BINARY, 0o600
    )
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        _copy_metadata(fd, expected, rel)
        os.fsync(fd)
    finally:
        os.close(fd)


def _pread_all(fd: int) -> bytes:
    parts = []
    offset = 0
    while part := os.pread(fd, 1 << 20, offset):
        parts.append(part)
        offset += len(part)
    return b"".join(parts)


_TEMP = re.compile(r"^\.(.+)\.entraide-(\d+)\.tmp$")
_MAX_STEM = 200  # UTF-8 bytes of a note's name kept in its temp file's name (NAME_MAX: 255)


def is_temp(name: str) -> bool:
    """Whether a file name is one of entraide's temp files."""
    return name.endswith(".tmp") and _TEMP.match(name) is not None


def _temp_stem(name: str) -> str:
    """A note's name as its temp file carries it: a long name (a note may have up to 255
    bytes of name) is cut, with a digest so that two long names never share a temp file."""
    raw = name.encode("utf-8", "surrogateescape")
    if len(raw) <= _MAX_STEM:
        return name
    import hashlib

    digest = hashlib.blake2b(raw, digest_size=8).hexdigest()
    return f"{raw[: _MAX_STEM - 17].decode('utf-8', 'ignore')}~{digest}"


def remove_stale_temps(root: Path, temps: list[str]) -> None:
    """Delete the temp files (vault paths, found by the scan) of writers that were killed:
    their process is gone. A temp file of a running writer is in use and kept."""
    for rel in temps:
        folder_rel, _, name = rel.rpartition("/")
        m = _TEMP.match(name)
        if not m:
            continue
        pid = int(m.group(2))
        if pid != os.getpid() and _alive(pid):
            continue
        try:
            folder = _open_folder(root, folder_rel, create=False)
        except (OSError, WriteRefused):
            continue
        try:
            with contextlib.suppress(OSError):
                folder.unlink(folder.on_disk(name))
        finally:
            folder.close()


def temps_in(root: Path, folder_rel: str) -> list[str]:
    """The vault paths of entraide's temp files in one folder (an output folder: the scan
    does not go there)."""
    try:
        folder = _open_folder(root, folder_rel, create=False)
    except (OSError, WriteRefused):
        return []
    try:
        names = folder.listdir()
    except OSError:
        return []
    finally:
        folder.close()
    return [f"{folder_rel}/{name}" for name in sorted(names) if is_temp(name)]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True
