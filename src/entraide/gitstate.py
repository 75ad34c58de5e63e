"""Is a git operation under way in the vault's repository? The repository is found as git finds it.

git finds its repository by walking up from the working folder (its physical path, symlinks
resolved) to the first folder holding a `.git`, and stops at a filesystem boundary. `.git` is
a folder, or a file `gitdir: PATH` (a worktree, a submodule; PATH relative to the folder holding
the file). So a vault can be a repository, a folder inside a larger one, or a worktree; in each
case the markers of an operation in progress are in that git dir (a worktree has its own
index, merge and rebase state in `<common>/.git/worktrees/NAME`).

Busy means the notes may be moved or rewritten under us, or hold half-done state:
- `index.lock`: a git command is updating the index (checkout, pull, stash, commit);
- `MERGE_HEAD`, `CHERRY_PICK_HEAD`, `REVERT_HEAD`, `rebase-merge/`, `rebase-apply/`,
  `sequencer/`: an operation stopped half-way, often on a conflict, notes hold its state;
- `BISECT_LOG`: a bisect checks out old commits one after the other (git status reports a
  bisect from this same file).

Decisions: a `.git` file that cannot be read, has no `gitdir:` line or points at no repository
(a worktree whose main repository moved; a vault synced from a machine where that path exists)
means no repository: git itself stops there with an error, so no git operation can be under way
through it, and waiting would block the vault for good. The environment (GIT_DIR,
GIT_CEILING_DIRECTORIES, GIT_DISCOVERY_ACROSS_FILESYSTEM) is not read: it belongs to the
process, not to the vault. A vault whose git dir lives elsewhere without a `.git` (git
--git-dir=…) cannot be found, by git or by us.

Called before every pass and every append: a few stats and one listing, never blocks (a
`.git` FIFO is not opened), never raises.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

# The most telling first: a rebase also holds index.lock now and then.
_MARKERS = (
    ("rebase-merge", "a git rebase is in progress"),
    ("rebase-apply", "a git rebase is in progress"),
    ("MERGE_HEAD", "a git merge is in progress"),
    ("CHERRY_PICK_HEAD", "a git cherry-pick is in progress"),
    ("REVERT_HEAD", "a git revert is in progress"),
    ("sequencer", "a git cherry-pick or revert is in progress"),
    ("BISECT_LOG", "a git bisect is in progress"),
    ("index.lock", "a git command is running"),
)
_GITFILE_MAX = 65536  # a `.git` file is one line; anything larger is not one
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def git_busy(root: Path) -> str | None:
    """What git operation is under way in the vault's repository, as a short phrase, or None."""
    try:
        found = _find(root)
        if found is None:
            return None
        gitdir, names = found
        for name, what in _MARKERS:
            if name in names:
                if name == "rebase-apply" and os.path.lexists(
                    os.path.join(gitdir, name, "applying")
                ):
                    return "a git am is in progress"
                return what
    except (OSError, ValueError):  # a path git could not use either
        return None
    return None


def git_dir(root: Path) -> Path | None:
    """The git dir of the repository holding the vault folder, or None."""
    try:
        found = _find(root)
    except (OSError, ValueError):
        return None
    return Path(found[0]) if found else None


def _find(root: Path) -> tuple[str, frozenset[str]] | None:
    """The git dir and the names in it, walking up as git does."""
    folder = os.path.realpath(root)
    try:
        device = os.stat(folder).st_dev
    except OSError:
        return None
    while True:
        dotgit = os.path.join(folder, ".git")
        try:
            st = os.stat(dotgit)
        except OSError:
            st = None
        if st is not None:
            if stat.S_ISDIR(st.st_mode):
                names = _names(dotgit)
                if names is not None:
                    return dotgit, names
                # Not a repository (no HEAD): git goes on upwards, and so do we.
            elif stat.S_ISREG(st.st_mode):
                # git stops at a `.git` file, whether it leads to a repository or not.
                target = _read_gitfile(dotgit, folder)
                names = _names(target) if target is not None else None
                return (target, names) if target is not None and names is not None else None
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        try:
            if os.stat(parent).st_dev != device:
                return None  # a filesystem boundary: git does not cross it by default
        except OSError:
            return None
        folder = parent


def _names(gitdir: str) -> frozenset[str] | None:
    """The names in a git dir, or None when it is not one (git requires a HEAD)."""
    try:
        names = frozenset(os.listdir(gitdir))
    except OSError:
        return None
    return names if "HEAD" in names else None


def _read_gitfile(path: str, folder: str) -> str | None:
    """The git dir a `.git` file points at (`gitdir: PATH`), or None."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None  # replaced since the stat (a FIFO would block a read)
        data = os.read(fd, _GITFILE_MAX + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    if len(data) > _GITFILE_MAX or not data.startswith(b"gitdir: "):
        return None
    target = os.fsdecode(data[len(b"gitdir: ") :].rstrip(b"\r\n"))
    if not target:
        return None
    return os.path.join(folder, target)  # `..` resolved by the system, through links, as git does
