"""The parse modules are compiled with mypyc (see setup.py): the compiled build must be the
current sources, and must read every note exactly as the same sources run as pure Python."""

from __future__ import annotations

import importlib
import os
import pickle
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from entraide.parse.note import parse_note
from test_parse_speed_notes import HAND_MADE, fixture_notes
from test_parse_speedups import deep

ROOT = Path(__file__).resolve().parent.parent
COMPILED = re.findall(r'"src/(entraide/[\w/]+)\.py"', (ROOT / "setup.py").read_text("utf-8"))
PURE = bool(os.environ.get("ENTRAIDE_PURE"))
READ = """
import pickle, sys
from pathlib import Path
import entraide.parse.body
assert entraide.parse.body.__file__.endswith(".py"), entraide.parse.body.__file__
from entraide.parse.note import parse_note
notes = pickle.loads(Path(sys.argv[1]).read_bytes())
Path(sys.argv[2]).write_bytes(pickle.dumps([parse_note(raw) for raw in notes]))
"""


def test_the_setup_names_modules() -> None:
    assert "entraide/parse/body" in COMPILED and len(COMPILED) >= 5


@pytest.mark.skipif(PURE, reason="ENTRAIDE_PURE: a pure-Python build, on purpose")
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


@pytest.mark.slow
@pytest.mark.skipif(PURE, reason="ENTRAIDE_PURE: nothing compiled to compare")
def test_compiled_and_pure_python_read_notes_alike(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_vault.py"), str(vault), "--contacts", "300"],
        check=True,
        capture_output=True,
    )
    notes = [*HAND_MADE, *fixture_notes(), *(p.read_bytes() for p in sorted(vault.rglob("*.md")))]
    notes += [raw.replace(b"\n", b"\r\n") for raw in notes[:200]]
    pure = tmp_path / "pure"
    shutil.copytree(
        ROOT / "src" / "entraide",
        pure / "entraide",
        ignore=shutil.ignore_patterns("*.so", "__pycache__"),
    )
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
