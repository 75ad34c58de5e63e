"""The README's samples are what entraide writes for the starter vault (issue 17): the check-in
list, and the opening of the month's review, generated here and compared, so they cannot
drift. `ENTRAIDE_UPDATE_GOLDEN=1` rewrites them in place (only those two blocks)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from entraide.cli import main
from entraide.render.managed import managed_content

README = Path(__file__).resolve().parent.parent / "README.md"
TODAY = "2026-11-23"
_BLOCK = re.compile(r"^```markdown\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def samples(vault: Path) -> tuple[str, str]:
    """The check-in list, and the month review down to its headline table."""
    assert main(["run", str(vault), "--today", TODAY]) == 0
    checkins = managed_content((vault / "Entraide/Check-ins.md").read_text("utf-8")) or ""
    review = managed_content((vault / "Entraide/Reviews/2026-11.md").read_text("utf-8")) or ""
    head = review.split("\n## Give, ask, news")[0]
    return checkins, head.rstrip("\n") + "\n"


def readme_blocks(text: str) -> tuple[re.Match[str], re.Match[str]]:
    blocks = list(_BLOCK.finditer(text))
    (checkins,) = [b for b in blocks if "## Check-ins for the week of" in b.group(1)]
    (review,) = [b for b in blocks if b.group(1).startswith("# Month ")]
    return checkins, review


def test_the_readme_shows_what_the_starter_vault_gives(vault: Path) -> None:
    checkins, review = samples(vault)
    text = README.read_text("utf-8")
    found = readme_blocks(text)
    if os.environ.get("ENTRAIDE_UPDATE_GOLDEN"):
        for block, new in sorted(zip(found, (checkins, review), strict=True), reverse=True,
                                 key=lambda pair: pair[0].start()):  # fmt: skip
            text = text[: block.start(1)] + new + text[block.end(1) :]
        README.write_text(text, "utf-8")
        found = readme_blocks(text)
    assert found[0].group(1) == checkins
    assert found[1].group(1) == review
