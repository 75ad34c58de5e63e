"""Property tests: user text outside the managed region survives any sequence of passes;
rendering is deterministic; a pass is idempotent."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from entraide.cli import main
from entraide.render import managed

TEMPLATE = Path(__file__).resolve().parent.parent / "src" / "entraide" / "starter"
user_text = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\r%"), max_size=60
).map(lambda t: t if t.endswith("\n") or not t else t + "\n")
content = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="%"), max_size=40
)


@given(user_text, user_text, st.lists(content, min_size=1, max_size=4))
def test_user_text_around_the_region_survives_any_sequence(
    above: str, below: str, contents: list[str]
) -> None:
    text = managed.render_new({}, "first\n")
    begin = text.index(managed.BEGIN)
    text = above + text[:begin] + text[begin:] + below
    for new in contents:
        text = managed.merge(text, {}, new)
        assert text.startswith(above)
        assert text.endswith(below)
        assert managed.managed_content(text) == (new if new.endswith("\n") else new + "\n")


days = st.dates(
    min_value=__import__("datetime").date(2026, 10, 1),
    max_value=__import__("datetime").date(2027, 2, 1),
)


@settings(max_examples=12, deadline=None)
@given(
    st.lists(days, min_size=1, max_size=4),
    st.lists(
        st.sampled_from(["Amara Okafor", "Bruno Silva", "Kofi Mensah", "Grace Kim"]), max_size=3
    ),
)
def test_passes_are_idempotent_and_keep_user_text(run_days: list[object], edits: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        vault = Path(tmp) / "vault"
        shutil.copytree(TEMPLATE, vault)
        for n, day in enumerate(sorted(run_days)):  # type: ignore[type-var]
            assert main(["run", str(vault), "--today", str(day), "--no-cache"]) == 0
            checkins = vault / "Entraide" / "Check-ins.md"
            checkins.write_text(f"Mine {n}.\n" + checkins.read_text() + f"Below {n}.\n")
            if n < len(edits):
                note = vault / "People" / f"{edits[n]}.md"
                note.write_text(note.read_text() + f"- {day} call\n")
            before = {p: p.read_bytes() for p in vault.rglob("*.md")}
            assert main(["run", str(vault), "--today", str(day), "--no-cache"]) == 0
            after = {p: p.read_bytes() for p in vault.rglob("*.md")}
            changed = {p for p in after if before.get(p) != after[p]}
            # Only the edit can change outputs; a second identical pass changes nothing.
            assert main(["run", str(vault), "--today", str(day), "--no-cache"]) == 0
            assert {p: p.read_bytes() for p in vault.rglob("*.md")} == after
            assert all("Entraide" in p.parts for p in changed)
            text = checkins.read_text()
            assert text.startswith(f"Mine {n}.\n") and text.endswith(f"Below {n}.\n")
