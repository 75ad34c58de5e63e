"""Copied text is neutralised (DESIGN §5, §6): hostile file names, aliases and property values
reach no generated note, nor the terminal, as HTML, a comment, an embed, math, a forged link,
a control sequence or a bidi override; links still open the right note, and `status --json`
keeps every name exactly."""

from __future__ import annotations

import io
import json
import re
import unicodedata
from datetime import date
from pathlib import Path
from urllib.parse import unquote

import pytest
from rich.console import Console

from entraide.cli import main
from entraide.render import text
from entraide.render.status import view

TODAY = "2026-11-22"
# Characters that no generated note and no terminal line may hold (see render/text.py).
UNSAFE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
NAMES = (
    "<img src=x onerror=alert(1)>",
    "<!-- hidden",
    "Bac\\",
    "Eve\u202egnp",
    "Esc\x1b[31mRed",
    "Clear\x1b[2J",
    "Hyper\x1b]8;;x\x07link",
    "C1\x9b31m",
    "Iso\u2066late\u2069",
    "Mark\u200f",
    "a%%b",
    "%%",
    "!embed",
    "$x$",
    "[bold]Rich",
    "Back`tick",
    "Tick](Other.md)",
    "Other",
    "Tab\tand  spaces",
    "Zoe\u0301 <b>",  # written NFD on disk: NFC in the JSON
)
VALUES = (
    "<script>alert(1)</script>",
    "-->",
    "%% comment",
    "]] [[Other",
    "a\\nb",  # YAML's escape: a newline in the value
    "\\e[31mred\\u202e",
    "A<B",  # reads like the next one once escaped: both slices stay
    "A>B",
)
MERMAID_LINE = re.compile(
    r'(pie title [^"\n:;%$]*'
    r"|xychart-beta"
    r'|    "[^"\n:;%$\[\]<>]*" : \d+'
    r'|    title "[^"\n]*"'
    r'|    x-axis \[("W\d\d"(, )?)*\]'
    r'|    y-axis "interactions" 0 --> \d+'
    r"|    bar \[(\d+(, )?)*\])"
)
# A Markdown link: escaped text, then a destination without spaces or parentheses.
MD_LINK = re.compile(r"(?<![\\!])\[((?:\\.|[^\\\[\]])*)\]\(([^()\s]*)\)")
WIKILINK = re.compile(r"\[\[(.*?)\]\]")


def hostile_names_vault(root: Path) -> Path:
    """A vault whose contact file names, aliases, settings and property values are hostile;
    every contact has a follow-up due this week (so a check-in line) and is a new tie."""
    people = root / "People"
    people.mkdir(parents=True)
    (root / ".obsidian").mkdir()
    (root / "Entraide").mkdir()
    (root / "Entraide" / "Settings.md").write_text(
        "---\nmax_checkins: 50\nweekly_minutes: 10000\n"
        "circles:\n"
        "  inner: {cadence: 14, closeness: 1.0, size: 5}\n"
        '  "<i>c|d</i> %% $e$ \\e[2J": {cadence: 30, closeness: 0.5, size: 2}\n'
        "---\n",
        encoding="utf-8",
    )
    for i, name in enumerate(NAMES):
        file_name = unicodedata.normalize("NFD", name) if "\u0301" in name else name
        value = VALUES[i % len(VALUES)]
        (people / f"{file_name}.md").write_text(
            "---\n"
            f"circle: {'inner' if i % 3 else 'unknown <b>circle</b> %%'}\n"
            f'sector: "{value}"\n'
            f'country: "{VALUES[(i + 3) % len(VALUES)]}"\n'
            'aliases: ["<img src=y>", "\\e]8;;x\\a%%"]\n'
            "follow_up: 2026-11-25\n"
            "---\n"
            "- 2026-11-20 call #asked\n",
            encoding="utf-8",
        )
    (root / "Meetings").mkdir()
    (root / "Meetings" / "Party.md").write_text(
        '---\ndate: 2026-11-21\nattendees: ["[[<img src=z>]]", "[[Nobody \\e[2J]]"]\n---\n',
        encoding="utf-8",
    )
    return root


def contact_paths(vault: Path) -> set[str]:
    return {
        unicodedata.normalize("NFC", p.relative_to(vault).as_posix())
        for p in (vault / "People").glob("*.md")
    }


def region(note: str) -> str:
    assert note.count("%% entraide:begin %%") == 1 and note.count("%% entraide:end %%") == 1
    return note.split("%% entraide:begin %%\n", 1)[1].split("%% entraide:end %%", 1)[0]


def resolved(content: str, vault: Path) -> list[str]:
    """The vault path each link of `content` opens (wikilinks by file name or path, Markdown
    links by their URL-decoded path); asserts that every one opens an existing note."""
    notes = {
        unicodedata.normalize("NFC", p.relative_to(vault).as_posix()) for p in vault.rglob("*.md")
    }
    by_target = {n[:-3]: n for n in notes} | {n.rpartition("/")[2][:-3]: n for n in notes}
    found = []
    for target in WIKILINK.findall(content):
        assert target in by_target and "[" not in target, target  # no forged link
        found.append(by_target[target])
    for _, url in MD_LINK.findall(content):
        path = unquote(url)
        assert path in notes, url
        found.append(path)
    return found


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    vault = hostile_names_vault(tmp_path / "vault")
    assert main(["run", str(vault), "--today", TODAY]) == 0
    return vault


def test_generated_notes_hold_no_hostile_text(hostile: Path) -> None:
    generated = sorted((hostile / "Entraide").rglob("*.md"))
    assert {p.name for p in generated} >= {"Check-ins.md", "Problems.md", "2026-W47.md"}
    for path in generated:
        if path.name == "Settings.md":
            continue
        note = path.read_text("utf-8")
        content = region(note)
        assert not UNSAFE.search(note), (path, UNSAFE.findall(note))
        assert "<" not in content, path  # no tag, no `<!--`
        assert "%%" not in content, path  # no comment
        assert not re.search(r"(?<!\\)\$", content), path  # no math
        assert not re.search(r"(?<!\\)!\[", content), path  # no embed
        assert content.count("[[") == content.count("]]"), path
        for block in re.findall(r"```mermaid\n(.*?)```", content, re.S):
            for line in block.splitlines():
                assert MERMAID_LINE.fullmatch(line), (path, line)
            labels = re.findall(r'^    "(.*)" : \d+$', block, re.M)
            assert len(labels) == len(set(labels)), (path, labels)  # no slice merged
        assert "```" not in re.sub(r"```mermaid\n.*?```", "", content, flags=re.S), path
        resolved(content, hostile)


def test_each_link_opens_its_own_contact(hostile: Path) -> None:
    checkins = region((hostile / "Entraide" / "Check-ins.md").read_text("utf-8"))
    lines = [line for line in checkins.splitlines() if line.startswith("- [ ] ")]
    opened = [resolved(line, hostile) for line in lines]
    assert all(len(paths) == 1 for paths in opened), lines  # one link per line
    assert sorted(p[0] for p in opened) == sorted(contact_paths(hostile))
    review = region((hostile / "Entraide" / "Reviews" / "2026-W47.md").read_text("utf-8"))
    new = next(line for line in review.splitlines() if line.startswith("- New: "))
    assert sorted(resolved(new, hostile)) == sorted(contact_paths(hostile))
    assert "[[!embed]]" in checkins  # a plain name stays a wikilink
    assert "[Bac\\\\](People/Bac%5C.md)" in checkins  # not `[[Bac\]]`, which never closes
    assert "Esc\ufffd\\[31mRed" in checkins  # shown, not dropped


def test_ticks_on_escaped_links_log_the_right_contact(hostile: Path) -> None:
    checkins = hostile / "Entraide" / "Check-ins.md"
    checkins.write_text(checkins.read_text("utf-8").replace("- [ ] ", "- [x] "), "utf-8")
    assert main(["run", str(hostile), "--today", TODAY]) == 0
    for path in sorted(hostile.glob("People/*.md")):  # (a name stored NFD too)
        logged = path.read_text("utf-8").count(f"- {TODAY} check-in")
        assert logged == 1, path.name  # `Tick](Other.md)` logs for itself, not for Other


def test_problems_quote_user_text_escaped(hostile: Path) -> None:
    problems = region((hostile / "Entraide" / "Problems.md").read_text("utf-8"))
    assert "`unknown-circle`" in problems and "`alias-shared`" in problems
    assert "&lt;b&gt;circle&lt;/b&gt; \\%\\%" in problems  # quoted, not dropped


def test_status_json_keeps_exact_names(hostile: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["status", str(hostile), "--json", "--today", TODAY]) == 0
    data = json.loads(capsys.readouterr().out)
    names = {c["name"] for c in data["contacts"]}
    assert names == {unicodedata.normalize("NFC", n) for n in NAMES}
    assert {c["path"] for c in data["contacts"]} == contact_paths(hostile)
    assert "Zoé <b>" in names and "Esc\x1b[31mRed" in names and "Eve\u202egnp" in names


def test_status_view_shows_no_control_character(hostile: Path) -> None:
    from entraide.cli import _load
    from entraide.render.status import status

    model, settings, _, _ = _load(hostile)
    data = status(model, settings, date.fromisoformat(TODAY), model.problems)
    out = io.StringIO()
    console = Console(file=out, width=240, color_system=None, force_terminal=False)
    for part in view(data):
        console.print(part)
    shown = out.getvalue()
    assert not UNSAFE.search(shown.replace("\n", "")), UNSAFE.findall(shown)
    assert "[bold]Rich" in shown  # rich markup in a name is shown, not applied
    assert "Esc\ufffd[31mRed" in shown and "Eve\ufffdgnp" in shown


@pytest.mark.parametrize("command", ["status", "check"])
def test_cli_text_output_shows_no_control_character(
    hostile: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    main([command, str(hostile), "--today", TODAY])
    captured = capsys.readouterr()
    for stream in (captured.out, captured.err):
        assert not UNSAFE.search(stream.replace("\n", "")), UNSAFE.findall(stream)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Jane Doe", "[[Jane Doe]]"),
        ("Bac\\", "[Bac\\\\](People/Bac%5C.md)"),
        ("a%%b", "[a\\%\\%b](People/a%25%25b.md)"),
        ("$x$", "[\\$x\\$](People/%24x%24.md)"),
        ("x](Other.md)", "[x\\]\\(Other.md\\)](People/x%5D%28Other.md%29.md)"),
        ("<!-- c", "[&lt;\\!-- c](People/%3C%21--%20c.md)"),
        ("Eve\u202egnp", "[Eve\ufffdgnp](People/Eve%E2%80%AEgnp.md)"),
        (" edge", "[edge](People/%20edge.md)"),
        ("bad\udcffbyte", "[bad\ufffdbyte](People/bad%FFbyte.md)"),
    ],
)
def test_link_forms(name: str, expected: str) -> None:
    assert text.link(f"People/{name}.md", name) == expected


def test_md_never_opens_a_comment_or_autolink() -> None:
    for raw in ("%%", "%%%", "a%%%%b", "%\\%"):
        assert "%%" not in text.md(raw)
    assert text.md("see https://x.org or www.y.org") == "see https:\\//x.org or www\\.y.org"
    assert text.md("a\x1b[2J\u202eb\nc") == "a\ufffd\\[2J\ufffdb c"


def test_mermaid_labels_stay_distinct() -> None:
    labels = [text.mermaid(v) for v in ("A<B", "A>B", "A B", "unknown")]
    assert text.distinct(labels, ("unknown",)) == ["A B", "A B 2", "A B 3", "unknown 2"]
    assert text.mermaid("x\x1b$y$\u2066") == "x\ufffd y \ufffd"


def test_terminal_and_json_text() -> None:
    assert text.terminal("a\x1b[31m\u202eb\x9bc\td") == "a\ufffd[31m\ufffdb\ufffdc\ufffdd"
    value = {"name": "Esc\x1b[31m\u202e\x9b\x7f\u2028x", "path": "Zoé/a.md"}
    dumped = text.json_text(value)
    assert json.loads(dumped) == value and "\n" not in dumped
    assert not UNSAFE.search(dumped) and "Zoé" in dumped
