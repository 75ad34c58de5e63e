"""One daemon per vault, one writer at a time: OS file locks kept in the vault's `.entraide/`.

The locks live with the vault, not in a per-user folder, so that every way of reaching it
(another XDG_STATE_HOME, HOME or user, a bind mount, a symlink) meets the same lock: the system
locks the file itself, whatever path led to it. `.entraide/` holds a `.gitignore` of `*`, so git
never sees it; entraide never reads a dot-folder as notes.

Lock files are created once, empty, and then never written, truncated or deleted: a vault
synced by Syncthing or iCloud sees no churn, and no lock is ever broken by a racing unlink (a
process that unlinks a held lock file lets the next one lock a new file beside the holder). A
lock dies with its process, kill -9 included: the system releases it, so none goes stale.

POSIX: flock(2), the primitive filelock's UnixFileLock uses (the two contend correctly);
Windows: LockFileEx through filelock's `lock_descriptor`. filelock is not imported on POSIX:
importing it costs 60 to 140 ms, as much as a whole `entraide log`. Nothing here imports
`fcntl` until a lock is taken. Where the filesystem has no file locks at all, the handle holds
none and says why (`Handle.unlocked`), and the caller goes on: compare-and-swap writes still
protect the notes, as before these locks existed.

Locks are released explicitly before their descriptor is closed, so a process forked while a
lock was held (the index's workers) does not keep it after the holder lets go.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from entraide.errors import UserError

STATE_FOLDER = ".entraide"
DAEMON_LOCK = "daemon.lock"
WRITER_LOCK = "writer.lock"
POLL_S = 0.05
GITIGNORE = b"# entraide's lock files: never part of the vault's history\n*\n"

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_BINARY = getattr(os, "O_BINARY", 0)
_CONTENDED = frozenset({errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES})
# No file locks where the vault is (some FUSE and network filesystems; NFS without lockd).
_UNSUPPORTED = frozenset(
    {errno.ENOLCK, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EINVAL, errno.EBADF}
)


class LockError(UserError):
    """The vault's lock could not be taken: one sentence for the user (exit 2)."""


class AlreadyRunning(LockError):
    """Another `entraide watch` holds this vault."""


class WriterBusy(LockError):
    """Another entraide process kept the writer lock past the timeout."""


class WaitStopped(LockError):
    """The caller asked to stop (SIGTERM) while waiting for the writer lock."""


class Handle:
    """A held lock. `unlocked` is None, or why no lock is held (no file locks there)."""

    __slots__ = ("_fd", "path", "unlocked")

    def __init__(self, fd: int | None, path: str, unlocked: str | None = None) -> None:
        self._fd = fd
        self.path = path
        self.unlocked = unlocked

    def release(self) -> None:
        """Let go of the lock; a second call does nothing."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            if self.unlocked is None:
                with contextlib.suppress(OSError):  # closing releases it all the same
                    _unlock(fd)
        finally:
            os.close(fd)

    def __enter__(self) -> Handle:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()


def daemon_lock(root: Path) -> Handle:
    """One daemon per vault: an exclusive lock, held until `release()` or the process ends.

    Raises AlreadyRunning when another daemon holds it (never waits), LockError when the lock
    file cannot be made (a read-only vault, `.entraide` a file or a symbolic link)."""
    fd, path = _open(root, DAEMON_LOCK)
    try:
        try:
            locked = _try_lock(fd)
        except OSError as exc:
            return _unlocked_or_raise(fd, path, exc)
        if not locked:
            raise AlreadyRunning("entraide is already watching this vault; stop it first.")
    except BaseException:
        os.close(fd)
        raise
    return Handle(fd, path)


@contextlib.contextmanager
def writer_lock(
    root: Path, timeout: float = 30.0, should_stop: Callable[[], bool] | None = None
) -> Iterator[Handle]:
    """One entraide writer per vault at a time (the daemon, `log`, `run`, imports).

    Waits up to `timeout` seconds, polling, so that `should_stop()` (the daemon's stop flag)
    ends the wait at once: WaitStopped. Raises WriterBusy after the timeout, LockError when the
    lock file cannot be made. A different lock from the daemon's: a running daemon does not
    stop `entraide log`. Not re-entrant: taking it again in the thread that holds it, for the
    same vault, is a bug and raises RuntimeError at once (other threads wait, as processes do)."""
    fd, path = _open(root, WRITER_LOCK)
    held = _held()
    try:
        st = os.fstat(fd)
        key = (st.st_dev, st.st_ino)
        if key in held:
            raise RuntimeError(f"writer_lock is not re-entrant: this thread already holds {path}")
        handle = _wait(fd, path, timeout, should_stop)
    except BaseException:
        os.close(fd)
        raise
    held.add(key)
    try:
        yield handle
    finally:
        held.discard(key)
        handle.release()


def _wait(fd: int, path: str, timeout: float, should_stop: Callable[[], bool] | None) -> Handle:
    deadline = time.monotonic() + timeout
    try:
        while not _try_lock(fd):
            if should_stop is not None and should_stop():
                raise WaitStopped(
                    "stopped while another entraide process was writing to this vault; "
                    "nothing was written."
                )
            left = deadline - time.monotonic()
            if left <= 0:
                raise WriterBusy(
                    "another entraide process is writing to this vault; try again in a moment."
                )
            time.sleep(min(POLL_S, left))
    except OSError as exc:
        return _unlocked_or_raise(fd, path, exc)
    return Handle(fd, path)


_local = threading.local()


def _held() -> set[tuple[int, int]]:
    held: set[tuple[int, int]] | None = getattr(_local, "held", None)
    if held is None:
        held = _local.held = set()
    return held


def _open(root: Path, name: str) -> tuple[int, str]:
    """The lock file's descriptor, made if missing; never through a symbolic link."""
    folder = os.path.join(root, STATE_FOLDER)
    path = os.path.join(folder, name)
    _make_folder(folder)
    dir_fd = None
    if os.open in os.supports_dir_fd and hasattr(os, "O_DIRECTORY"):
        try:
            # Opened without following a link: a link swapped in since the check is refused.
            dir_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | _NOFOLLOW)
        except OSError as exc:
            raise LockError(_cannot(folder, exc)) from None
    try:
        with contextlib.suppress(FileExistsError):  # made once, never rewritten
            _write_new(_at(folder, ".gitignore", dir_fd), GITIGNORE, dir_fd)
        flags = os.O_CREAT | _NOFOLLOW | _BINARY | getattr(os, "O_NONBLOCK", 0)
        try:
            fd = _open_at(_at(folder, name, dir_fd), flags | os.O_RDWR, dir_fd)
        except PermissionError:
            # Another user's lock file: flock works on a read-only descriptor too.
            fd = _open_at(_at(folder, name, dir_fd), flags | os.O_RDONLY, dir_fd)
    except OSError as exc:
        raise LockError(_cannot(path, exc)) from None
    finally:
        if dir_fd is not None:
            os.close(dir_fd)
    try:
        regular = stat.S_ISREG(os.fstat(fd).st_mode)
    except OSError:
        regular = False
    if not regular:
        os.close(fd)
        raise LockError(f"'{path}' is not a regular file: remove it; entraide makes it again.")
    return fd, path


def _at(folder: str, name: str, dir_fd: int | None) -> str:
    return name if dir_fd is not None else os.path.join(folder, name)


def _make_folder(folder: str) -> None:
    try:
        st = os.lstat(folder)
    except FileNotFoundError:
        try:
            os.mkdir(folder)
        except FileExistsError:
            pass  # made by another process at the same moment
        except OSError as exc:
            raise LockError(_cannot(folder, exc)) from None
        try:
            st = os.lstat(folder)
        except OSError as exc:
            raise LockError(_cannot(folder, exc)) from None
    except OSError as exc:
        raise LockError(_cannot(folder, exc)) from None
    if stat.S_ISLNK(st.st_mode):
        raise LockError(
            f"'{folder}' is a symbolic link: entraide keeps its locks there and never follows "
            "a link; remove it (entraide makes the folder itself)."
        )
    if not stat.S_ISDIR(st.st_mode):
        raise LockError(
            f"'{folder}' is not a folder: entraide keeps its locks in a folder of that name; "
            "move the file away."
        )


def _open_at(path: str, flags: int, dir_fd: int | None) -> int:
    if dir_fd is None:
        return os.open(path, flags, 0o666)
    return os.open(path, flags, 0o666, dir_fd=dir_fd)


def _write_new(path: str, data: bytes, dir_fd: int | None) -> None:
    fd = _open_at(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _BINARY, dir_fd)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)


def _cannot(path: str, exc: OSError) -> str:
    why = exc.strerror or str(exc)
    if exc.errno == errno.ELOOP or os.path.islink(path):
        return (
            f"'{path}' is a symbolic link: entraide never follows a link for its locks; "
            "remove it (entraide makes it again)."
        )
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"Cannot lock the vault: '{path}' cannot be made ({why}); is the vault writable?"
    return f"Cannot lock the vault: '{path}': {why}."


def _unlocked_or_raise(fd: int, path: str, exc: OSError) -> Handle:
    """Where the filesystem has no file locks, a handle without one; any other error raises
    (the caller closes `fd`)."""
    if exc.errno in _UNSUPPORTED:
        why = exc.strerror or str(exc)
        return Handle(fd, path, f"file locks do not work where the vault is ({why})")
    raise LockError(f"Cannot lock the vault: '{path}': {exc.strerror or exc}.") from None


def _try_lock(fd: int) -> bool:
    """Take the lock without waiting: False when another holds it."""
    if sys.platform == "win32":
        from filelock import lock_descriptor

        return lock_descriptor(fd, blocking=False)
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in _CONTENDED:
            return False
        raise
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        from filelock import unlock_descriptor

        unlock_descriptor(fd)
        return
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_UN)
