"""Property tests (hypothesis) on whole vaults, through the CLI in-process: rendering is
deterministic, a pass is idempotent, and the user's text outside the managed regions of the
check-in list and the reviews survives any sequence of passes and edits (DESIGN §5)."""

from __future__ import annotations

import contextlib
import io
import shutil
import tempfile
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import mark_vault
from entraide.cli import main
from entraide.render import managed

BASE = date(2026, 11, 2)  # a Monday
NAMES = ["Ann Lee", "Émile Zola", "Zoë Öztürk", "李雷", "O'Brien", "Jane Doe", "Kofi", "Ngozi A."]
CIRCLES = [None, "inner", "close", "active", "acquaintance", "dormant", "Close", "bogus"]
SECTORS = [None, "Finance", "Tech", "Health", "[[Finance]]", " tech ", "Santé"]
KINDS = ["call", "coffee", "lunch", "message", "check-in"]
FLAGS = ["", " #gave", " #asked", " #news", " [minutes:: 30]", " [gave:: an intro]"]
PROFILE = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

offsets = st.integers(-400, 30)  # days from BASE
logs = st.lists(st.tuples(offsets, st.sampled_from(KINDS), st.sampled_from(FLAGS)), max_size=4)
contact = st.fixed_dictionaries(
    {
        "circle": st.sampled_from(CIRCLES),
        "sector": st.sampled_from(SECTORS),
        "country": st.sampled_from([None, "France", "Ghana", "NO", '"NO"']),
        "birthday": st.one_of(st.none(), st.dates(date(1960, 1, 1), date(2000, 12, 31))),
        "follow_up": st.one_of(st.none(), offsets),
        "paused": st.booleans(),
        "logs": logs,
    }
)
vaults = st.fixed_dictionaries(
    {
        "contacts": st.dictionaries(st.sampled_from(NAMES), contact, min_size=1, max_size=5),
        "daily": st.dictionaries(
            st.integers(-60, 30),
            st.lists(st.tuples(st.sampled_from(NAMES), st.sampled_from(FLAGS)), max_size=3),
            max_size=4,
        ),
    }
)
TRICKY = list("\n\n\r\t -#[]%`|:>*\\") + ["---", "%%", "\r\n", "é", "😀", "\u2028", "\x00"]
user_text = (
    st.lists(
        st.one_of(st.sampled_from(TRICKY), st.characters(blacklist_categories=("Cs",))),
        max_size=40,
    )
    .map("".join)
    .filter(lambda t: "entraide:" not in t)
    .map(lambda t: t if not t or t.endswith("\n") else t + "\n")
)


def day(offset: int) -> str:
    return (BASE + timedelta(days=offset)).isoformat()


def note_text(spec: dict[str, Any]) -> str:
    lines = ["---"]
    for key in ("circle", "sector", "country"):
        value = spec[key]
        if value is not None:  # YAML as a user types it: `[[Finance]]` and NO load oddly
            lines.append(f"{key}: '{value}'" if value.strip() != value else f"{key}: {value}")
    if spec["birthday"] is not None:
        lines.append(f"birthday: {spec['birthday'].isoformat()}")
    if spec["follow_up"] is not None:
        lines.append(f"follow_up: {day(spec['follow_up'])}")
    if spec["paused"]:
        lines.append("paused: true")
    lines += ["---", "", "## Log"]
    lines += [f"- {day(o)} {kind}{flag}" for o, kind, flag in spec["logs"]]
    return "\n".join(lines) + "\n"


def files_of(spec: dict[str, Any]) -> dict[str, str]:
    files = {f"People/{name}.md": note_text(c) for name, c in spec["contacts"].items()}
    for offset, mentions in spec["daily"].items():
        body = "".join(f"- Talked with [[{name}]]{flag}\n" for name, flag in mentions)
        files[f"Daily/{day(offset)}.md"] = f"# {day(offset)}\n\n{body}"
    return files


def write_vault(root: Path, files: dict[str, str], reverse: bool = False) -> Path:
    for rel in sorted(files, reverse=reverse):  # another order of creation, of the folders too
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(files[rel], "utf-8")
    return mark_vault(root)


def cli(*args: str) -> int:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return main(list(args))


def tree(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".entraide" not in p.parts  # (the vault's locks)
    }


def data(found: dict[str, tuple[bytes, int]]) -> dict[str, bytes]:
    return {path: content for path, (content, _) in found.items()}


@contextlib.contextmanager
def scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        yield Path(tmp)


@PROFILE
@given(vaults, st.integers(0, 40))
def test_same_vault_same_bytes(spec: dict[str, Any], today: int) -> None:
    """Two fresh copies (other paths, other orders of creation, one with the cache and one
    without) give the same bytes: two machines syncing a vault agree, git sees no churn."""
    files = files_of(spec)
    with scratch() as tmp:
        first = write_vault(tmp / "one" / "vault", files)
        second = write_vault(tmp / "two" / "elsewhere", files, reverse=True)
        assert cli("run", str(first), "--today", day(today)) == 0
        assert cli("run", str(second), "--today", day(today), "--no-cache") == 0
        outputs = data(tree(first))
        assert outputs == data(tree(second))
        assert {p for p in outputs if p.startswith("Entraide/")} >= {
            "Entraide/Check-ins.md",
            "Entraide/Problems.md",
        }
        for path, content in outputs.items():
            if path.startswith("Entraide/"):
                assert content.endswith(b"\n") and not content.endswith(b"\n\n\n"), path
                assert b"\r" not in content, path
                assert str(tmp).encode() not in content, path  # nothing machine-specific


@PROFILE
@given(vaults, st.lists(st.integers(0, 9), min_size=1, max_size=3))
def test_a_second_pass_writes_nothing(spec: dict[str, Any], steps: list[int]) -> None:
    """After a pass, another pass on the same day leaves every file as it is (mtimes too),
    with the cache or without; on later days only generated notes change."""
    with scratch() as tmp:
        vault = write_vault(tmp / "vault", files_of(spec))
        offset = 0
        for step in steps:
            offset += step
            assert cli("run", str(vault), "--today", day(offset)) == 0
            after = tree(vault)
            assert cli("run", str(vault), "--today", day(offset)) == 0
            assert tree(vault) == after
            assert cli("run", str(vault), "--today", day(offset), "--no-cache") == 0
            assert tree(vault) == after
        inputs = {p: c for p, c in data(tree(vault)).items() if not p.startswith("Entraide/")}
        assert inputs == {p: t.encode("utf-8") for p, t in files_of(spec).items()}


# -- user text around the managed regions ----------------------------------------------------


def split(text: str, frontmatter: bool) -> tuple[int, int, int]:
    """(end of entraide's frontmatter, start of the begin-marker line, end of the end-marker
    line)."""
    start = text.index("\n---\n", 3) + 5 if frontmatter else 0
    span = managed.region(text)
    assert span is not None, text
    begin = text.rindex(managed.BEGIN, 0, span[0])
    end = text.index("\n", span[1]) + 1
    return start, begin, end


edit = st.one_of(
    st.tuples(st.just("above"), st.booleans(), user_text),
    st.tuples(st.just("below"), st.booleans(), user_text),
    st.tuples(st.just("inside"), st.booleans(), user_text),
    st.tuples(st.just("mine"), st.just(False), user_text),
    st.tuples(st.just("log"), st.sampled_from(NAMES), st.integers(-30, 0)),
    st.tuples(st.just("tick"), st.just(True), st.just("")),
)
rounds = st.lists(st.tuples(st.lists(edit, min_size=1, max_size=3), st.integers(0, 9)), max_size=5)


@settings(PROFILE, max_examples=25)
@given(vaults, rounds)
def test_user_text_outside_the_regions_survives(
    spec: dict[str, Any], steps: list[tuple[list[Any], int]]
) -> None:
    """Text above and below the region of the check-in list and of the current week's review,
    and the user's own frontmatter keys, are kept byte for byte through any sequence of edits
    (inside the region too, ticks, new logs) each followed by a pass, days moving on.

    Passes wait for notes the user just saved to settle: the window is scaled down to 50 ms
    here (the wait is exercised, without a second per round)."""
    from entraide import vault_io

    window, vault_io.SETTLE_NS = vault_io.SETTLE_NS, 50_000_000
    try:
        _user_text_survives(spec, steps)
    finally:
        vault_io.SETTLE_NS = window


def _user_text_survives(spec: dict[str, Any], steps: list[tuple[list[Any], int]]) -> None:
    with scratch() as tmp:
        vault = write_vault(tmp / "vault", files_of(spec))
        offset = 0
        assert cli("run", str(vault), "--today", day(offset)) == 0
        kept: dict[Path, dict[str, str]] = {}  # what must stay, per file
        for edits, advance in steps:
            for action, which, arg in edits:
                edit_note(vault, offset, kept, action, which, arg)
            offset += advance
            assert cli("run", str(vault), "--today", day(offset)) == 0
            for path, parts in kept.items():
                text = path.read_bytes().decode("utf-8")
                start, begin, end = split(text, path.name != "Check-ins.md")
                if "above" in parts:
                    assert text[start:begin] == parts["above"], path
                if "below" in parts:
                    assert text[end:] == parts["below"], path
                if "mine" in parts:
                    assert text[:start].count(parts["mine"]) == 1, path
                assert "SCRIBBLE" not in text[begin:end], path
        assert not [p for p in vault.rglob("*") if p.name.endswith(".tmp")]


def edit_note(
    vault: Path, offset: int, kept: dict[Path, dict[str, str]], action: str, which: Any, arg: Any
) -> None:
    """One user edit: of the check-in list (`which` True) or this week's review, or a log."""
    if action == "log":
        note = vault / "People" / f"{which}.md"
        if note.exists():
            with open(note, "a", encoding="utf-8") as f:
                f.write(f"- {day(offset + arg)} call\n")
        return
    if which:
        path = vault / "Entraide" / "Check-ins.md"
    else:
        iso = (BASE + timedelta(days=offset)).isocalendar()
        path = vault / "Entraide" / "Reviews" / f"{iso.year}-W{iso.week:02}.md"
    text = path.read_bytes().decode("utf-8")
    start, begin, end = split(text, path.name != "Check-ins.md")
    first_line = text.index("\n", begin) + 1
    parts = kept.setdefault(path, {})
    if action == "tick":
        text = text[:begin] + text[begin:end].replace("- [ ] ", "- [x] ", 1) + text[end:]
    elif action == "above":
        text = text[:start] + arg + text[begin:]
        parts["above"] = arg
    elif action == "below":
        text = text[:end] + arg
        parts["below"] = arg
    elif action == "inside":
        text = text[:first_line] + "SCRIBBLE " + arg + "\n" + text[first_line:]
    elif action == "mine":
        value = "mine: " + " ".join(arg.split()).replace("---", "-")
        if path.name == "Check-ins.md" or value == "mine: " or "mine:" in text[:start]:
            return  # the check-in list has no frontmatter: a key there is text above
        text = text[: start - 4] + f"{value}\n" + text[start - 4 :]
        parts["mine"] = f"\n{value}\n"
    path.write_bytes(text.encode("utf-8"))


def test_a_copy_of_the_vault_in_another_folder_gives_the_same_notes(tmp_path: Path) -> None:
    """The starter vault, run in two places at once, agrees byte for byte (a smoke test
    over richer notes than the strategies draw)."""
    template = Path(__file__).resolve().parent.parent / "src" / "entraide" / "starter"
    a, b = tmp_path / "a", tmp_path / "b" / "c"
    shutil.copytree(template, a)
    shutil.copytree(template, b)
    assert cli("run", str(a), "--today", "2026-11-22") == 0
    assert cli("run", str(b), "--today", "2026-11-22", "--no-cache") == 0
    assert data(tree(a)) == data(tree(b))
