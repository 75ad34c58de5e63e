"""Reading a whole vault: settings, scan, parse every note, build the model."""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from entraide import __version__
from entraide.model import Problem, Vault
from entraide.parse.frontmatter import parse as parse_frontmatter
from entraide.parse.note import ParsedNote, decode, parse_note
from entraide.roles import Roles
from entraide.settings import SETTINGS_PATH, Settings, settings_from_mapping
from entraide.vault_io import (
    NoteFile,
    ObsidianConfig,
    Scan,
    obsidian_config,
    read_bytes,
    scan,
    update_scan,
)


@dataclass(frozen=True, slots=True)
class LoadedSettings:
    settings: Settings
    problems: tuple[Problem, ...]
    fatal: bool  # an invalid value or unreadable settings note: the CLI stops (exit 2)


def load_settings(root: Path) -> LoadedSettings:
    """The settings of the vault at `root`: defaults when `Entraide/Settings.md` is missing."""
    path = root / SETTINGS_PATH
    try:
        raw = read_bytes(str(path))
    except FileNotFoundError:
        return LoadedSettings(Settings(), (), False)
    except OSError as exc:
        return LoadedSettings(
            Settings(),
            (Problem(SETTINGS_PATH, None, "settings", f"cannot read the settings: {exc}"),),
            True,
        )
    text = decode(raw)
    if text is None:
        message = "the settings note is not UTF-8 text: re-save it as UTF-8"
        return LoadedSettings(
            Settings(), (Problem(SETTINGS_PATH, None, "settings", message),), True
        )
    fm = parse_frontmatter(text)
    if fm.error is not None:
        message = f"the settings cannot be read: {fm.error.message}"
        problem = Problem(SETTINGS_PATH, fm.error.line, "settings", message)
        return LoadedSettings(Settings(), (problem,), True)
    lines = {str(k[0]): v for k, v in fm.lines.items() if len(k) == 1}
    settings, problems, fatal = settings_from_mapping(
        fm.data or {}, SETTINGS_PATH, lines, lambda folder: obsidian_config(root, folder)
    )
    return LoadedSettings(settings, tuple(problems), fatal)


CACHE_VERSION = 9  # 9: body logs keep their text; 8: bodies read only where a role needs one
# (deprecated-key comments, callout records, inline meetings); 5: links and logs carry their
# callouts; French flag tags (4: emails…)
PARALLEL_FROM = 400  # notes to parse before a second process pays for itself


def cache_file(root: Path) -> Path:
    """Where the vault's rebuildable parse cache lives: outside the vault, per vault."""
    import hashlib

    import platformdirs

    key = hashlib.sha256(os.path.realpath(root).encode("utf-8", "surrogateescape")).hexdigest()
    return Path(platformdirs.user_cache_dir("entraide")) / f"notes-{key[:24]}.pickle"


# A note to parse: (vault path, path on disk, whether its place gives it a role: `Roles`).
ToParse = tuple[str, str, bool]


def _parse_files(files: list[ToParse]) -> list[ParsedNote | None]:
    """Each file parsed, or None when it vanished between the scan and its reading."""
    out: list[ParsedNote | None] = []
    for _, fs_path, whole in files:
        try:
            out.append(parse_note(read_bytes(fs_path), whole))
        except OSError:
            out.append(None)
    return out


def _every_note(path: str) -> bool:
    return True


def _unreadable(files: list[tuple[str, str]]) -> dict[str, str]:
    """Why each of these notes, which could not be parsed, cannot be read (none for a note
    that is gone: it vanished between the scan and its reading)."""
    found = {}
    for path, fs_path in files:
        try:
            read_bytes(fs_path)
        except FileNotFoundError:
            continue
        except OSError as exc:
            found[path] = exc.strerror or str(exc)
    return found


START_METHOD_VARIABLE = "ENTRAIDE_START_METHOD"


def start_method() -> str:
    """How parse workers start: `fork` where the system has it, else `spawn` (Windows).
    `ENTRAIDE_START_METHOD=spawn` forces `spawn` on any system, so the spawn path is tested
    on Linux (DESIGN §7); this is the one place that reads it."""
    if os.environ.get(START_METHOD_VARIABLE) == "spawn" or not hasattr(os, "fork"):
        return "spawn"
    return "fork"


def _parse_chunk(files: list[ToParse]) -> bytes:
    """In a parse worker: the chunk's notes, pickled once — the same bytes carry them to the
    parent and into the cache file, so a cold index never pickles a note twice."""
    import pickle

    return pickle.dumps(_parse_files(files), protocol=5)


Stat = tuple[int, int, int]  # mtime_ns, size, inode
# A run of notes pickled together: ((path, mtime_ns, size, inode) of each, pickled notes).
Segment = tuple[tuple[tuple[str, int, int, int], ...], bytes]


class Index:
    """path → (mtime_ns, size, inode, parsed note): only notes whose stat changed are parsed
    again (the inode catches a file replaced by a copy with the same mtime and size).

    The cache on disk is an optimisation, never an authority: it is versioned, rebuilt when
    unreadable, and every entry is checked against the file's stat before it is used.
    """

    def __init__(self, root: Path, use_cache: bool = True) -> None:
        self.root = root
        self.use_cache = use_cache
        self.entries: dict[str, tuple[int, int, int, ParsedNote]] = {}
        self.segments: list[Segment] = []  # how the cache file holds `entries`, pickled
        self.last: tuple[list[NoteFile], dict[str, ParsedNote]] | None = None  # files → notes
        self.unreadable: dict[str, str] = {}  # notes that cannot be read (why), left out
        self.parsed_last = 0
        self.progress: Callable[[int, int], None] | None = None  # (done, total) while parsing
        self.generation = 0  # counts the changes to `entries`
        self.saved = 0  # the generation the cache file holds
        self.saver: tuple[int, int] | None = None  # (pid, generation) of a background save
        self.loaded = not use_cache  # the cache file is read on first use only
        self.memo: Any = None  # the last build's work (BuildMemo), reused for unchanged notes
        self.snapshot: Snapshot | None = None  # the last pass's, updated from events
        self.settings: Settings | None = None  # the settings that snapshot was made with
        self.analysis: Any = None  # the last pass's Analysis, to reuse its tie summaries
        self.roles: Roles | None = None  # the roles the last refresh read notes with

    @property
    def dirty(self) -> bool:
        """Whether `entries` changed since the cache file was written (or read)."""
        return self.generation != self.saved

    def inodes(self) -> dict[str, int]:
        """Each note's inode when it was last read (path → inode): what a note renamed since
        was called before."""
        if not self.loaded:
            self._load()
        return {path: entry[2] for path, entry in self.entries.items()}

    def _load(self) -> None:
        import pickle

        self.loaded = True
        try:
            with open(cache_file(self.root), "rb") as f:
                version, live, segments = pickle.load(f)
            entries: dict[str, tuple[int, int, int, ParsedNote]] = {}
            for keys, blob in segments:
                for (path, *stat), note in zip(keys, pickle.loads(blob), strict=True):
                    if note is not None and live.get(path) == tuple(stat):
                        entries[path] = (*stat, note)
        except Exception:  # noqa: BLE001 - any unreadable cache is simply rebuilt
            return
        if version == (CACHE_VERSION, __version__):
            self.entries, self.segments = entries, segments

    def save(self) -> None:
        """Write the cache when it changed (a warm run with nothing new writes nothing), or
        wait for the writing `save_in_background` started."""
        if self.saver is not None:
            pid, generation = self.saver
            self.saver = None
            _, status = os.waitpid(pid, 0)
            if status == 0:
                self.saved = generation
        if self.use_cache and self.dirty and self._write():
            self.saved = self.generation

    def save_in_background(self) -> None:
        """Write the cache from a forked process while this one goes on: after a cold index
        the pickling overlaps the build and the rendering. `save` waits for it."""
        import threading

        if not self.use_cache or not self.dirty or self.saver is not None:
            return
        if start_method() != "fork" or threading.active_count() > 1:
            return  # (a daemon's threads: a forked copy of them could hold their locks)
        pid = os.fork()
        if pid == 0:  # the writer: never returns
            code = 1
            try:
                code = 0 if self._write() else 1
            finally:
                os._exit(code)
        self.saver = (pid, self.generation)

    def _write(self) -> bool:
        """The cache is the segments of notes already pickled (by the parse workers, or at the
        last save) that still hold a current note, plus one new segment for the rest; when
        more than half of what it would hold is stale, it is written anew as one segment."""
        import pickle
        import tempfile

        live = {path: entry[:3] for path, entry in self.entries.items()}
        kept: list[Segment] = []
        covered: set[str] = set()
        stale = 0
        for keys, blob in self.segments:
            current = [key[0] for key in keys if live.get(key[0]) == key[1:]]
            if current:
                kept.append((keys, blob))
                covered.update(current)
                stale += len(keys) - len(current)
        if stale * 2 > len(live):
            kept, covered = [], set()
        rest = sorted(live.keys() - covered)
        if rest:
            keys = tuple((path, *live[path]) for path in rest)
            notes = [self.entries[path][3] for path in rest]
            kept.append((keys, pickle.dumps(notes, protocol=5)))
        target = cache_file(self.root)
        tmp = None
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".notes-", suffix=".tmp")
            with os.fdopen(fd, "wb") as f:
                pickle.dump(((CACHE_VERSION, __version__), live, kept), f, protocol=5)
            os.replace(tmp, target)
        except OSError:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)  # a full disk must not fill up with partial caches
            return False  # a cache we cannot write only costs time
        self.segments = kept
        return True

    def last_pass(self) -> list[str]:
        """What the last pass over this vault recorded (its key first), or nothing."""
        if not self.use_cache:
            return []
        try:
            return cache_file(self.root).with_suffix(".pass").read_text("utf-8").splitlines()
        except OSError:
            return []

    def record_pass(self, lines: list[str]) -> None:
        if not self.use_cache:
            return
        target = cache_file(self.root).with_suffix(".pass")
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text("\n".join(lines) + "\n", "utf-8")
            os.replace(tmp, target)
        except OSError:
            with contextlib.suppress(OSError):
                tmp.unlink()

    def refresh(
        self,
        files: list[NoteFile],
        delta: tuple[list[NoteFile], list[NoteFile], list[NoteFile]] | None = None,
        roles: Roles | None = None,
    ) -> dict[str, ParsedNote]:
        """Bring the index in line with `files` (a scan, sorted by path); return every note,
        parsed, by path in that order. `delta`: what came and went since an earlier scan.
        `roles`: which notes are read whole by their place (None: every note); a note read
        without its body before is read again when its place now gives it a role."""
        if not self.loaded:
            self._load()
        needs = roles.needs_body if roles is not None else _every_note
        if roles != self.roles:
            self.roles, self.last = roles, None  # (new roles: every note's role is checked)
        if self.last is not None:
            if delta is None or delta[0] is not self.last[0]:
                delta = (self.last[0], *_came_and_went(self.last[0], files))
            notes = self._update(self.last[1], delta[1], delta[2], needs)
            if notes is not None:
                self.last = (files, notes)
                return notes
        todo: list[ToParse] = []
        fresh: dict[str, tuple[int, int, int, ParsedNote]] = {}
        for f in files:
            entry = self.entries.get(f.path)
            same = entry is not None and entry[:3] == (f.mtime_ns, f.size, f.inode)
            if same and entry is not None and (entry[3].whole or not needs(f.path)):
                fresh[f.path] = entry
                continue
            todo.append((f.path, f.fs_path, needs(f.path)))
        stats = {f.path: (f.mtime_ns, f.size, f.inode) for f in files}
        parsed, segments = _parse_all(todo, stats, self.progress)
        missing = []
        for (path, fs_path, _), note in zip(todo, parsed, strict=True):
            if note is not None:
                fresh[path] = (*stats[path], note)
            else:
                missing.append((path, fs_path))
        self.unreadable = _unreadable(missing)
        self.segments.extend(segments)
        self.parsed_last = len(todo)
        if todo or len(fresh) != len(self.entries):
            self.generation += 1
        self.entries = fresh
        notes = {path: entry[3] for path, entry in sorted(fresh.items())}
        self.last = (files, notes)
        return notes

    def _update(
        self,
        notes: dict[str, ParsedNote],
        came: list[NoteFile],
        went: list[NoteFile],
        needs: Callable[[str], bool],
    ) -> dict[str, ParsedNote] | None:
        """The last notes with the scan entries that came and went since worked in; None
        when a note came that was not there (the order changes) or too much changed."""
        if len(came) > PARALLEL_FROM or any(f.path not in notes for f in came):
            return None
        notes = dict(notes)
        staying = {f.path for f in came}
        for f in went:
            if f.path not in staying:
                notes.pop(f.path, None)  # (absent if it could not be read)
                self.entries.pop(f.path, None)
                self.unreadable.pop(f.path, None)
                self.generation += 1
        todo = []
        for f in came:
            entry = self.entries.get(f.path)
            same = entry is not None and entry[:3] == (f.mtime_ns, f.size, f.inode)
            if same and entry is not None and (entry[3].whole or not needs(f.path)):
                notes[f.path] = entry[3]
            else:
                todo.append(f)
        files = [(f.path, f.fs_path, needs(f.path)) for f in todo]
        for f, note in zip(todo, _parse_files(files), strict=True):
            if note is None:  # gone since the scan, or unreadable
                del notes[f.path]
                self.entries.pop(f.path, None)
                self.unreadable.update(_unreadable([(f.path, f.fs_path)]))
            else:
                notes[f.path] = note
                self.entries[f.path] = (f.mtime_ns, f.size, f.inode, note)
        self.parsed_last = len(todo)
        if todo:
            self.generation += 1
        return notes


def _exit_with_parent(parent: int) -> None:
    """In a parse worker: exit when the parent is gone (killed with -9), never linger."""
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _parse_all(
    todo: list[ToParse],
    stats: dict[str, Stat],
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[ParsedNote | None], list[Segment]]:
    """Parse on every core when there is enough to do (a cold index).

    This process and forked workers take chunk numbers in turn from a pipe. A worker appends
    each chunk, pickled, to a file of its own (a pipe would make it wait for this process,
    busy parsing), which this process reads between its own chunks; those pickled chunks are
    kept as segments for the cache file. A chunk no worker delivered whole (a worker killed,
    a full disk) is parsed here at the end.
    """
    cores = min(os.cpu_count() or 1, 8)
    if len(todo) < PARALLEL_FROM or cores < 2:
        return _parse_files(todo), []
    import pickle
    import struct
    import tempfile

    size = max(32, min(256, len(todo) // (cores * 8) or 1), len(todo) // 8192 + 1)
    chunks = [todo[i : i + size] for i in range(0, len(todo), size)]
    if start_method() != "fork":
        return _parse_spawned(todo, chunks, stats, cores, progress)
    header = struct.Struct("<IQ")  # chunk number, length of its pickled notes
    # The chunks' numbers wait in a pipe: each process reads the next (a read of 4 bytes is
    # atomic), and an empty pipe whose writing end is closed says there is no more.
    tickets, writer = os.pipe()
    numbers = struct.Struct("<I")
    with os.fdopen(writer, "wb") as pipe:  # (at most 4 × 8,192 bytes: never a full pipe)
        pipe.write(b"".join(numbers.pack(k) for k in range(len(chunks))))

    def take() -> int:
        ticket = os.read(tickets, numbers.size)
        return numbers.unpack(ticket)[0] if ticket else len(chunks)

    parsed: list[list[ParsedNote | None] | None] = [None] * len(chunks)
    segments: list[Segment] = []

    def collect(fd: int, offset: int) -> int:
        """Take in every whole chunk a worker has written past `offset`; the new offset."""
        end = os.fstat(fd).st_size
        while offset + header.size <= end:
            k, length = header.unpack(os.pread(fd, header.size, offset))
            if k >= len(chunks) or parsed[k] is not None:
                break  # not a record: what follows is not trusted (parsed again here)
            if offset + header.size + length > end:
                break  # still being written
            blob = os.pread(fd, length, offset + header.size)
            offset += header.size + length
            try:
                parsed[k] = pickle.loads(blob)
            except Exception:  # noqa: BLE001, S112 - a damaged chunk is parsed again here
                continue
            segments.append((tuple((path, *stats[path]) for path, _, _ in chunks[k]), blob))
        return offset

    parent = os.getpid()
    running: set[int] = set()

    def stop_workers() -> None:
        """Leave no worker behind, whatever happens here (an error, an interrupt)."""
        for pid in running:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)

    with contextlib.ExitStack() as files:
        files.callback(os.close, tickets)
        files.callback(stop_workers)
        workers: list[tuple[int, int]] = []  # (pid, file descriptor)
        for _ in range(cores - 1):
            fd = files.enter_context(tempfile.TemporaryFile()).fileno()
            pid = os.fork()
            if pid == 0:  # a worker: never returns
                code = 1
                try:
                    _exit_with_parent(parent)
                    while (k := take()) < len(chunks):
                        blob = _parse_chunk(chunks[k])
                        record = memoryview(header.pack(k, len(blob)) + blob)
                        while record:  # (a write may take less than it is given)
                            record = record[os.write(fd, record) :]
                    code = 0
                finally:
                    os._exit(code)
            running.add(pid)
            workers.append((pid, fd))
        offsets = [0] * len(workers)
        while (k := take()) < len(chunks):
            parsed[k] = _parse_files(chunks[k])
            for w, (_, fd) in enumerate(workers):
                offsets[w] = collect(fd, offsets[w])
            if progress is not None:
                progress(min(k * size, len(todo)), len(todo))
        for w, (pid, fd) in enumerate(workers):
            os.waitpid(pid, 0)
            running.discard(pid)
            collect(fd, offsets[w])
    return _finished(parsed, chunks, segments, len(todo), progress)


def _finished(
    parsed: list[list[ParsedNote | None] | None],
    chunks: list[list[ToParse]],
    segments: list[Segment],
    total: int,
    progress: Callable[[int, int], None] | None,
) -> tuple[list[ParsedNote | None], list[Segment]]:
    """The notes of every chunk in order, each chunk no worker delivered parsed here; the
    workers' segments in the chunks' order."""
    for k, notes in enumerate(parsed):
        if notes is None:
            parsed[k] = _parse_files(chunks[k])
    if progress is not None:
        progress(total, total)
    segments.sort(key=lambda segment: segment[0][0][0])  # by first path: the chunks' order
    return [note for notes in parsed if notes is not None for note in notes], segments


def _parse_spawned(
    todo: list[ToParse],
    chunks: list[list[ToParse]],
    stats: dict[str, Stat],
    cores: int,
    progress: Callable[[int, int], None] | None,
) -> tuple[list[ParsedNote | None], list[Segment]]:
    """`_parse_all` where processes cannot be forked (Windows, or `spawn` forced): a pool
    of spawned workers parses the chunks, each sent back pickled (kept as a cache segment);
    a chunk no worker delivered (a worker that died, a pool that could not start) is parsed
    here. Workers import entraide afresh and inherit no lock, thread or open file."""
    import multiprocessing
    import pickle
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    parsed: list[list[ParsedNote | None] | None] = [None] * len(chunks)
    segments: list[Segment] = []
    done = 0
    try:
        with ProcessPoolExecutor(cores, mp_context=multiprocessing.get_context("spawn")) as pool:
            futures = {pool.submit(_parse_chunk, chunk): k for k, chunk in enumerate(chunks)}
            for future in as_completed(futures):
                k = futures[future]
                try:
                    blob = future.result()
                    parsed[k] = pickle.loads(blob)
                except Exception:  # noqa: BLE001, S112 - parsed again here, below
                    continue
                segments.append((tuple((path, *stats[path]) for path, _, _ in chunks[k]), blob))
                done += len(chunks[k])
                if progress is not None:
                    progress(done, len(todo))
    except (OSError, BrokenProcessPool):
        pass  # what the pool did not deliver is parsed here
    return _finished(parsed, chunks, segments, len(todo), progress)


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What a pass sees of the vault before reading any note: config and a stat of each file."""

    config: ObsidianConfig
    found: Scan
    stats_sum: int  # the sum of every note's stat digest: updated, not redone, after an event
    # After an event: the last snapshot's notes, and the entries that came and went since.
    delta: tuple[list[NoteFile], list[NoteFile], list[NoteFile]] | None = None


def snapshot(
    root: Path,
    settings: Settings,
    previous: Snapshot | None = None,
    changed: set[str] | None = None,
) -> Snapshot:
    """A stat of every note; with `previous` and the `changed` paths a daemon was told of,
    only those are stat'ed again (when that is enough to know)."""
    if previous is not None and changed is not None:
        config = previous.config
        excluded = (settings.output_folder, settings.config_folder, *config.template_folders)
        found = update_scan(
            root, previous.found, changed, excluded, settings.ignore, settings.max_note_bytes
        )
        if found is not None:
            came, went = _came_and_went(previous.found.notes, found.notes)
            total = previous.stats_sum + sum(map(_stat_digest, came))
            total = (total - sum(map(_stat_digest, went))) % _MODULUS
            return Snapshot(config, found, total, (previous.found.notes, came, went))
    config = obsidian_config(root, settings.config_folder)
    excluded = (settings.output_folder, settings.config_folder, *config.template_folders)
    found = scan(root, excluded, settings.ignore, settings.max_note_bytes)
    return Snapshot(config, found, sum(map(_stat_digest, found.notes)) % _MODULUS)


_MODULUS = 1 << 160


def _stat_digest(n: NoteFile) -> int:
    import hashlib

    data = f"{n.path}\0{n.mtime_ns}\0{n.size}\0{n.inode}".encode("utf-8", "surrogateescape")
    return int.from_bytes(hashlib.blake2b(data, digest_size=20).digest())


def _came_and_went(
    before: list[NoteFile], after: list[NoteFile]
) -> tuple[list[NoteFile], list[NoteFile]]:
    """The entries of `after` that are not in `before` and the reverse, by identity: a scan
    updated after an event shares every entry it did not stat again with the last one."""
    old = {id(n) for n in before}
    new = {id(n) for n in after}
    return [n for n in after if id(n) not in old], [n for n in before if id(n) not in new]


def fingerprint(snap: Snapshot) -> str:
    """A digest of every stat the snapshot holds: equal digests, equal inputs."""
    import hashlib

    h = hashlib.blake2b(digest_size=20)
    h.update(repr(snap.config).encode())
    h.update(snap.stats_sum.to_bytes(20))
    for n in snap.found.too_large:
        h.update(f"big\0{n.path}\0{n.size}\n".encode("utf-8", "replace"))
    h.update(repr((snap.found.conflict_copies, snap.found.problems)).encode("utf-8", "replace"))
    return h.hexdigest()


def read_vault(
    root: Path,
    settings: Settings,
    extra: tuple[Problem, ...] = (),
    index: Index | None = None,
    snap: Snapshot | None = None,
) -> Vault:
    """Every note of the vault, parsed (or taken from the index) and assembled.

    One bad note never stops the rest.
    """
    snap = snap or snapshot(root, settings)
    found = snap.found
    problems = list(extra) + found.problems
    for note in found.too_large:
        problems.append(
            Problem(
                note.path,
                None,
                "too-large",
                f"the note is {note.size:,} bytes, over max_note_bytes "
                f"({settings.max_note_bytes:,}): it is skipped; split it or raise the setting",
            )
        )
    if index is None:
        index = Index(root, use_cache=False)
    config = snap.config
    roles = Roles(
        settings.people_folders,
        config.daily_folder,
        config.daily_format,
        settings.daily_notes_locale,
    )
    notes = index.refresh(found.notes, snap.delta, roles)
    if index.parsed_last >= PARALLEL_FROM:
        index.save_in_background()  # a cold index: written while the vault is built
    from entraide.build import BuildMemo, build_vault  # not needed when nothing changed

    if index.memo is None:
        index.memo = BuildMemo()
    return build_vault(
        notes, settings, snap.config, found.conflict_copies, problems, memo=index.memo
    )
