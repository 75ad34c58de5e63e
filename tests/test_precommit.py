"""The pre-commit hook (`.pre-commit-hooks.yaml`) as a vault kept in git uses it: pre-commit's
own manifest check, then the hook run by pre-commit in a scratch repository, with the
vault at the repository's root and below it (`args`)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / ".pre-commit-hooks.yaml"
STARTER = ROOT / "src" / "entraide" / "starter"


def pre_commit() -> str:
    tool = shutil.which("pre-commit") or str(Path(sys.executable).parent / "pre-commit")
    if not Path(tool).exists():
        pytest.skip("pre-commit is not installed: the hook was not tried")
    return tool


def test_the_manifest_is_valid() -> None:
    done = subprocess.run([pre_commit(), "validate-manifest", str(MANIFEST)], capture_output=True)
    assert done.returncode == 0, done.stdout + done.stderr
    (hook,) = yaml.safe_load(MANIFEST.read_text("utf-8"))
    assert hook["minimum_pre_commit_version"] == "3.2.0"  # `stages: [pre-commit]` needs 3.2
    assert hook["args"][:2] == ["--severity", "error"] and hook["pass_filenames"] is False


def test_the_readme_points_at_no_tag_that_does_not_exist() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    tags = subprocess.run(["git", "tag"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    for line in readme.splitlines():
        if line.strip().startswith("rev:"):
            rev = line.split("rev:", 1)[1].split("#", 1)[0].strip()
            assert rev in tags or not rev.startswith("v"), line


def scratch_repo(tmp_path: Path, vault_below: str | None) -> tuple[Path, Path]:
    """A git repository holding a vault, whose config runs the manifest's hook as written
    (entry, args, stages…), with the `entraide` of this environment (`language: system`:
    pre-commit would otherwise build entraide from a remote copy, minutes of CPU)."""
    (hook,) = yaml.safe_load(MANIFEST.read_text("utf-8"))
    repo = tmp_path / "repo"
    vault = repo / vault_below if vault_below else repo
    shutil.copytree(STARTER, vault, dirs_exist_ok=True)
    hook = {**hook, "language": "system"}
    if vault_below:
        hook["args"] = ["--severity", "error", vault_below]  # what the README tells
    hook.pop("minimum_pre_commit_version")
    config = {"repos": [{"repo": "local", "hooks": [hook]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), "utf-8")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    return repo, vault


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def hook_run(repo: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PRE_COMMIT_HOME": str(repo.parent / "pre-commit-home"),
    }
    return subprocess.run(
        [pre_commit(), "run", "--all-files"],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.mark.parametrize("vault_below", [None, "notes/vault"])
def test_the_hook_blocks_a_commit_on_errors_only(tmp_path: Path, vault_below: str | None) -> None:
    repo, vault = scratch_repo(tmp_path, vault_below)
    done = hook_run(repo)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "entraide check" in done.stdout and "Passed" in done.stdout
    (vault / "People" / "Dup.md").write_text("---\naliases: [Kofi]\ncircle: nowhere\n---\n")
    git(repo, "add", "-A")
    done = hook_run(repo)
    assert done.returncode == 0, done.stdout  # warnings only: the commit goes through
    (vault / "People" / "Broken.md").write_text("---\ncircle: [unclosed\n---\n")
    git(repo, "add", "-A")
    done = hook_run(repo)
    assert done.returncode == 1 and "Failed" in done.stdout
    assert "People/Broken.md:2: yaml-syntax" in done.stdout
