"""Modules compiled with mypyc (see setup.py): the compiled build must be the current sources,
and must read every note, and write every output, exactly as the same sources run as pure
Python do."""

from __future__ import annotations

import importlib
import os
import pickle
import re
import shlex
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from entraide.parse.note import parse_note
from test_parse_speed_notes import HAND_MADE, fixture_notes
from test_parse_speedups import deep

ROOT = Path(__file__).resolve().parent.parent
VAULTS = ROOT / "tests" / "fixtures" / "vaults"
TODAY = "2026-11-22"
COMPILED = re.findall(r'"src/(entraide/[\w/]+)\.py"', (ROOT / "setup.py").read_text("utf-8"))
CC = os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc"
# A pure-Python install on purpose (setup.py): asked for, or no C compiler to build with.
PURE = bool(os.environ.get("ENTRAIDE_PURE")) or shutil.which(shlex.split(CC)[0]) is None
READ = """
import pickle, sys
from pathlib import Path
from entraide.parse.note import parse_note
notes = pickle.loads(Path(sys.argv[1]).read_bytes())
Path(sys.argv[2]).write_bytes(pickle.dumps([parse_note(raw) for raw in notes]))
"""

WHERE = "import importlib, sys; print(*(importlib.import_module(m).__file__ for m in sys.argv[1:]))"


def test_the_setup_names_modules() -> None:
    assert "entraide/parse/body" in COMPILED and len(COMPILED) >= 5


@pytest.mark.skipif(PURE, reason="a pure-Python build, on purpose (ENTRAIDE_PURE or no C compiler)")
@pytest.mark.parametrize("name", COMPILED)
def test_each_module_is_compiled_from_its_current_source(name: str) -> None:
    module = importlib.import_module(name.replace("/", "."))
    built = Path(str(module.__file__))
    assert built.suffix == ".so", (
        f"{name} runs as pure Python: the build did not compile it (is a C compiler "
        "installed? see setup.py), or set ENTRAIDE_PURE=1 to test a pure build on purpose"
    )
    source = ROOT / "src" / f"{name}.py"
    if built.parent == source.parent:  # an editable install: the build sits beside its source
        assert built.stat().st_mtime_ns >= source.stat().st_mtime_ns, (
            f"{built.name} is older than {source.name}: rebuild it (make test does)"
        )


@pytest.fixture(scope="module")
def pure(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the sources without their compiled modules: pure Python on PYTHONPATH."""
    found = tmp_path_factory.mktemp("pure")
    shutil.copytree(
        ROOT / "src" / "entraide",
        found / "entraide",
        ignore=shutil.ignore_patterns("*.so", "__pycache__"),
    )
    files = subprocess.run(
        [sys.executable, "-c", WHERE, *(name.replace("/", ".") for name in COMPILED)],
        env={**os.environ, "PYTHONPATH": str(found)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert len(files) == len(COMPILED) and all(f.endswith(".py") for f in files), files
    return found


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    vault = tmp_path_factory.mktemp("generated") / "vault"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_vault.py"), str(vault), "--contacts", "300"],
        check=True,
        capture_output=True,
    )
    return vault


@pytest.mark.slow
@pytest.mark.skipif(PURE, reason="a pure-Python build: nothing compiled to compare")
def test_compiled_and_pure_python_read_notes_alike(
    tmp_path: Path, pure: Path, generated: Path
) -> None:
    notes = [*HAND_MADE, *fixture_notes()]
    notes += [p.read_bytes() for p in sorted(generated.rglob("*.md"))]
    notes += [raw.replace(b"\n", b"\r\n") for raw in notes[:200]]
    (tmp_path / "notes.pickle").write_bytes(pickle.dumps(notes))
    subprocess.run(
        [sys.executable, "-c", READ, str(tmp_path / "notes.pickle"), str(tmp_path / "out")],
        check=True,
        env={**os.environ, "PYTHONPATH": str(pure)},
    )
    expected = pickle.loads((tmp_path / "out").read_bytes())
    assert len(notes) > 1000
    for raw, theirs in zip(notes, expected, strict=True):
        assert deep(parse_note(raw)) == deep(theirs), raw


@pytest.mark.slow
@pytest.mark.skipif(PURE, reason="a pure-Python build: nothing compiled to compare")
@pytest.mark.parametrize(
    "scenario", ["generated", *sorted(p.name for p in VAULTS.iterdir() if p.is_dir())]
)
def test_compiled_and_pure_python_write_alike(
    tmp_path: Path, pure: Path, generated: Path, scenario: str
) -> None:
    source = generated if scenario == "generated" else VAULTS / scenario / "vault"
    said = []
    for build, env in (("compiled", {}), ("pure", {"PYTHONPATH": str(pure)})):
        vault = tmp_path / build
        shutil.copytree(source, vault, symlinks=True)
        (vault / ".obsidian").mkdir(exist_ok=True)  # a vault, so that `run` writes (DESIGN §6)
        env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / f"cache-{build}"), **env}
        said.append(
            [
                subprocess.run(
                    [sys.executable, "-m", "entraide", *command, str(vault), "--today", TODAY],
                    capture_output=True,
                    env=env,
                    cwd=tmp_path,
                ).stdout.replace(str(vault).encode(), b"VAULT")
                for command in (["run"], ["status", "--json"])
            ]
        )
        said[-1] += [
            (str(p.relative_to(vault)), p.read_bytes())
            for p in sorted(vault.rglob("*"))
            if p.is_file()
        ]
    assert said[0] == said[1]
    assert any(name.startswith("Entraide/") for name, _ in said[0][2:])
