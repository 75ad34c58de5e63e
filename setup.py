"""Build entraide: the note parser is compiled with mypyc when a C compiler is at hand.

The parse modules are most of the time of a cold index. mypyc compiles them, unchanged, to C
extensions, which run them about 1.5× faster; the same sources are the pure-Python fallback.
`ENTRAIDE_PURE=1` (or a build where mypyc or a compiler is missing, or fails) installs
pure Python: entraide behaves the same, only slower.
"""

from __future__ import annotations

import os
import sys

from setuptools import setup
from setuptools.command.build_ext import build_ext

# Modules compiled: leaves of the import graph that no test monkeypatches and no class of
# which is subclassed outside them (mypyc's native classes cannot be).
COMPILED = [
    "src/entraide/parse/values.py",
    "src/entraide/parse/fastyaml.py",
    "src/entraide/parse/body.py",
    "src/entraide/parse/props.py",
    "src/entraide/parse/note.py",
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
    except ImportError:
        return []
    return mypycify(COMPILED, opt_level="3", debug_level="0")


setup(ext_modules=ext_modules(), cmdclass={"build_ext": OptionalBuildExt})
