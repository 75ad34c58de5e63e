"""`git_busy` on real repositories made with git: the repository is found as git finds it
(`git rev-parse --absolute-git-dir` is the oracle), and each operation in progress is seen."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from entraide.gitstate import git_busy, git_dir

pytestmark = pytest.mark.skipif(
    shutil.which("git") is None, reason="git is not installed: these tests use real repositories"
)


@pytest.fixture(autouse=True)
def git_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """git without the user's or the system's configuration, and never asking anything."""
    home = tmp_path / "home"
    home.mkdir()
    for name, value in {
        "HOME": str(home),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
        "GIT_EDITOR": "true",
        "GIT_TERMINAL_PROMPT": "0",
    }.items():
        monkeypatch.setenv(name, value)
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_CEILING_DIRECTORIES", "GIT_INDEX_FILE"):
        monkeypatch.delenv(name, raising=False)


def git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-c", "init.defaultBranch=main", "-c", "advice.detachedHead=false", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=check,
        timeout=60,
    )


def oracle(folder: Path) -> Path | None:
    """The git dir git itself finds from `folder`, or None."""
    done = git(folder, "rev-parse", "--absolute-git-dir", check=False)
    return Path(done.stdout.strip()).resolve() if done.returncode == 0 else None


def found(folder: Path) -> Path | None:
    result = git_dir(folder)
    return result.resolve() if result else None


def make_repo(path: Path) -> Path:
    """A repository with one commit of a note whose line later commits fight over."""
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q")
    (path / "Note.md").write_text("line: base\n")
    git(path, "add", "Note.md")
    git(path, "commit", "-q", "-m", "base")
    return path


def commit_line(repo: Path, text: str) -> str:
    (repo / "Note.md").write_text(f"line: {text}\n")
    git(repo, "commit", "-q", "-am", text)
    return git(repo, "rev-parse", "HEAD").stdout.strip()


def test_no_repository(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    if oracle(vault) is not None:
        pytest.skip("the temp folder is inside a git repository on this machine")
    assert git_dir(vault) is None
    assert git_busy(vault) is None
    assert git_busy(tmp_path / "missing") is None


def test_plain_repository(tmp_path: Path) -> None:
    vault = make_repo(tmp_path / "vault")
    assert found(vault) == oracle(vault) == (vault / ".git").resolve()
    assert git_busy(vault) is None
    (vault / ".git" / "index.lock").touch()
    assert git_busy(vault) == "a git command is running"


def test_vault_in_a_folder_of_a_larger_repository(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    vault = repo / "notes" / "vault"
    vault.mkdir(parents=True)
    assert found(vault) == oracle(vault) == (repo / ".git").resolve()
    assert git_busy(vault) is None
    (repo / ".git" / "index.lock").touch()
    assert git_busy(vault) == "a git command is running"


def test_vault_reached_through_a_symbolic_link(tmp_path: Path) -> None:
    """git walks up the physical path: a link to a folder of a repository finds that repository."""
    repo = make_repo(tmp_path / "repo")
    (repo / "vault").mkdir()
    link = tmp_path / "link"
    link.symlink_to(repo / "vault")
    assert found(link) == oracle(link) == (repo / ".git").resolve()


def test_conflicting_merge(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    vault = repo / "vault"
    vault.mkdir()
    git(repo, "checkout", "-q", "-b", "other")
    commit_line(repo, "theirs")
    git(repo, "checkout", "-q", "main")
    commit_line(repo, "ours")
    assert git(repo, "merge", "other", check=False).returncode != 0
    assert (repo / ".git" / "MERGE_HEAD").exists()
    assert git_busy(vault) == "a git merge is in progress"
    git(repo, "merge", "--abort")
    assert git_busy(vault) is None


def test_conflicting_revert(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    first = commit_line(repo, "one")
    commit_line(repo, "two")
    assert git(repo, "revert", "--no-edit", first, check=False).returncode != 0
    assert (repo / ".git" / "REVERT_HEAD").exists()
    assert git_busy(repo) == "a git revert is in progress"


def test_sequencer_between_two_picks(tmp_path: Path) -> None:
    """`cherry-pick A B`: A conflicts, is resolved and committed; B is still to come."""
    repo = make_repo(tmp_path / "repo")
    git(repo, "checkout", "-q", "-b", "other")
    first = commit_line(repo, "theirs")
    (repo / "Other.md").write_text("other\n")
    git(repo, "add", "Other.md")
    git(repo, "commit", "-q", "-m", "other")
    second = git(repo, "rev-parse", "HEAD").stdout.strip()
    git(repo, "checkout", "-q", "main")
    commit_line(repo, "ours")
    assert git(repo, "cherry-pick", first, second, check=False).returncode != 0
    assert git_busy(repo) == "a git cherry-pick is in progress"
    (repo / "Note.md").write_text("line: resolved\n")
    git(repo, "add", "Note.md")
    git(repo, "commit", "-q", "--no-edit")
    assert not (repo / ".git" / "CHERRY_PICK_HEAD").exists()
    assert (repo / ".git" / "sequencer").is_dir()
    assert git_busy(repo) == "a git cherry-pick or revert is in progress"
    git(repo, "cherry-pick", "--continue")
    assert git_busy(repo) is None


def test_conflicting_rebase(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    git(repo, "checkout", "-q", "-b", "other")
    commit_line(repo, "theirs")
    git(repo, "checkout", "-q", "main")
    commit_line(repo, "ours")
    assert git(repo, "rebase", "other", check=False).returncode != 0
    assert git_busy(repo) == "a git rebase is in progress"
    git(repo, "rebase", "--abort")
    assert git_busy(repo) is None


def test_am_session(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    git(repo, "checkout", "-q", "-b", "other")
    commit_line(repo, "theirs")
    patch = git(repo, "format-patch", "-1", "--stdout").stdout
    git(repo, "checkout", "-q", "main")
    commit_line(repo, "ours")
    (tmp_path / "p.patch").write_text(patch)
    assert git(repo, "am", str(tmp_path / "p.patch"), check=False).returncode != 0
    assert git_busy(repo) == "a git am is in progress"


def test_bisect_counts_as_busy(tmp_path: Path) -> None:
    """A bisect checks out old commits one after the other: notes move under us."""
    repo = make_repo(tmp_path / "repo")
    first = git(repo, "rev-parse", "HEAD").stdout.strip()
    commit_line(repo, "one")
    commit_line(repo, "two")
    git(repo, "bisect", "start", "HEAD", first)
    assert git_busy(repo) == "a git bisect is in progress"
    git(repo, "bisect", "reset")
    assert git_busy(repo) is None


def test_worktree(tmp_path: Path) -> None:
    """A worktree's `.git` is a file; its index and operations are in its own git dir."""
    main = make_repo(tmp_path / "main")
    tree = tmp_path / "tree"
    git(main, "worktree", "add", "-q", "-b", "notes", str(tree))
    vault = tree / "vault"
    vault.mkdir()
    assert (tree / ".git").is_file()
    private = (main / ".git" / "worktrees" / "tree").resolve()
    assert found(vault) == oracle(vault) == private
    assert git_busy(vault) is None
    # The main worktree's index is not ours: a commit there moves none of our notes.
    (main / ".git" / "index.lock").touch()
    assert git_busy(vault) is None
    (private / "index.lock").touch()
    assert git_busy(vault) == "a git command is running"
    (private / "index.lock").unlink()
    (private / "MERGE_HEAD").write_text("0" * 40 + "\n")
    assert git_busy(vault) == "a git merge is in progress"


def test_relative_gitdir_file(tmp_path: Path) -> None:
    """As submodules write it: `gitdir: ../…`, relative to the folder holding the file."""
    make_repo(tmp_path / "real")
    vault = tmp_path / "outer" / "vault"
    vault.mkdir(parents=True)
    (tmp_path / "real" / ".git").rename(tmp_path / "outer" / "moved.git")
    (vault / ".git").write_text("gitdir: ../moved.git\n")
    assert found(vault) == oracle(vault) == (tmp_path / "outer" / "moved.git").resolve()
    (tmp_path / "outer" / "moved.git" / "MERGE_HEAD").write_text("0" * 40 + "\n")
    assert git_busy(vault) == "a git merge is in progress"


def test_gitdir_file_pointing_nowhere_is_no_repository(tmp_path: Path) -> None:
    """git stops at the broken `.git` file (it does not look further up), and so do we: a busy
    repository above does not make this vault busy, and a broken file never blocks it."""
    outer = make_repo(tmp_path / "outer")
    (outer / ".git" / "index.lock").touch()
    vault = outer / "vault"
    vault.mkdir()
    (vault / ".git").write_text(f"gitdir: {tmp_path / 'nowhere' / '.git'}\n")
    assert oracle(vault) is None
    assert git_dir(vault) is None
    assert git_busy(vault) is None
    (vault / ".git").write_text("not a gitdir line\n")
    assert oracle(vault) is None
    assert git_busy(vault) is None


def test_git_folder_without_head_is_skipped(tmp_path: Path) -> None:
    """A `.git` folder that is no repository: git goes on upwards."""
    outer = make_repo(tmp_path / "outer")
    vault = outer / "vault"
    (vault / ".git").mkdir(parents=True)
    assert found(vault) == oracle(vault) == (outer / ".git").resolve()


def test_a_fifo_named_git_never_blocks(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this system")
    vault = tmp_path / "vault"
    vault.mkdir()
    os.mkfifo(vault / ".git")
    results: list[str | None] = []
    worker = threading.Thread(target=lambda: results.append(git_busy(vault)), daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert not worker.is_alive(), "git_busy blocked on a FIFO"
    assert results == [None] or oracle(tmp_path) is not None
