"""Build entraide: the hot modules are compiled with mypyc when a C compiler is at hand.

Parsing notes, building the vault and working out the tie summaries are most of the time of a
cold run. mypyc compiles those modules, unchanged, to C extensions, which run them about 1.3
to 1.5× faster; the same sources are the pure-Python fallback. `ENTRAIDE_PURE=1` (or a build
where mypyc or a compiler is missing, or fails) installs pure Python: entraide behaves the
same, only slower (tests/test_compiled.py holds the two builds to the same outputs).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext

# Modules compiled: the hot path of a pass. None of them may be monkeypatched by a test
# (compiled code calls its functions directly) nor have a class subclassed outside them.
COMPILED = [
    "src/entraide/parse/values.py",
    "src/entraide/parse/fastyaml.py",
    "src/entraide/parse/body.py",
    "src/entraide/parse/props.py",
    "src/entraide/parse/note.py",
    "src/entraide/build.py",
    "src/entraide/analytics/ties.py",
    "src/entraide/analytics/report.py",
    "src/entraide/render/checkins.py",
    "src/entraide/render/reviews.py",
]


class OptionalBuildExt(build_ext):
    """Compile what can be compiled; when anything fails, install none of it (pure Python)."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as exc:  # noqa: BLE001 - no compiler, headers missing...
            for ext in self.extensions:
                path = self.get_ext_fullpath(ext.name)
                if os.path.exists(path):
                    os.remove(path)
            print(f"entraide: not compiled ({exc}); installing pure Python", file=sys.stderr)


def ext_modules() -> list:
    if os.environ.get("ENTRAIDE_PURE"):
        return []
    try:
        from mypyc.build import mypycify

        return mypycify(COMPILED, opt_level="3", debug_level="0")
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - no mypyc, or it refuses a module
        print(f"entraide: not compiled ({exc!r}); installing pure Python", file=sys.stderr)
        return []


def compile_catalogues() -> None:
    """Each language's gettext catalogue, `.po` source → `.mo` beside it (DESIGN §11).

    Babel is a build requirement (pyproject.toml); the `.mo` files are built, never committed.
    """
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    here = Path(__file__).parent
    for po in sorted((here / "src" / "entraide" / "locale").glob("*/LC_MESSAGES/*.po")):
        with po.open("rb") as f:
            catalog = read_po(f)
        with po.with_suffix(".mo").open("wb") as f:
            write_mo(f, catalog)


compile_catalogues()
setup(ext_modules=ext_modules(), cmdclass={"build_ext": OptionalBuildExt})
