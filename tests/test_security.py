"""Nothing leads a read or a write outside the vault, YAML never runs code, copied text cannot
inject links, HTML, comments or Mermaid syntax, and no socket is ever opened."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import mark_vault
from entraide.cli import main
from entraide.writeback import append_line

TODAY = "2026-11-23"
TIMEOUT = 120

# Runs the CLI and records, one JSON line per event, every file or folder it opens or lists.
AUDITED = """
import json, os, sys
log = open(os.environ["ENTRAIDE_AUDIT_LOG"], "a", encoding="utf-8")
def hook(event, args):
    if event in ("open", "os.scandir", "os.listdir") and args and args[0] is not None:
        if isinstance(args[0], (str, bytes, os.PathLike)):
            log.write(json.dumps(os.fsdecode(args[0])) + "\\n")
            log.flush()
sys.addaudithook(hook)
from entraide.cli import main
sys.exit(main(sys.argv[1:]))
"""


def audited(log: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, ENTRAIDE_AUDIT_LOG=str(log))
    return subprocess.run(
        [sys.executable, "-c", AUDITED, *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env=env,
        cwd=log.parent,
    )


def followed(log: Path, vault: Path) -> list[str]:
    """Paths under the vault that were opened or listed although they lead outside it."""
    root = os.path.realpath(vault)
    found = []
    for line in log.read_text("utf-8").splitlines():
        path = os.path.abspath(json.loads(line))
        if path == str(vault) or path.startswith(str(vault) + os.sep):
            real = os.path.realpath(path)
            if real != root and not real.startswith(root + os.sep):
                found.append(path)
    return found


def state(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """Files outside the vault that look like notes entraide would read and write."""
    out = tmp_path / "outside"
    (out / "folder").mkdir(parents=True)
    (out / "secret.md").write_text("---\ntype: person\ncircle: inner\n---\n# Secret\n")
    (out / "folder" / "Hidden.md").write_text("---\ncircle: inner\n---\n- 2026-11-20 call\n")
    return out


def test_symlinks_are_never_followed_for_reads_or_writes(
    vault: Path, outside: Path, tmp_path: Path
) -> None:
    people = vault / "People"
    (people / "Evil.md").symlink_to(outside / "secret.md")
    (people / "Linked").symlink_to(outside / "folder", target_is_directory=True)
    (people / "Twin.md").symlink_to(people / "Bruno Silva.md")  # inside: not followed either
    (people / "Loop.md").symlink_to(people / "Loop.md")
    (people / "Dangling.md").symlink_to(people / "Nobody.md")
    (vault / "Daily" / "2026-11-21.md").write_text("Met [[Evil]] and [[Hidden]] and [[Twin]].\n")
    before = state(outside)
    log = tmp_path / "audit.jsonl"
    for args in (
        ("run", str(vault), "--today", TODAY),
        ("status", str(vault), "--json", "--today", TODAY),
        ("check", str(vault), "--json"),
        ("log", str(vault), "Evil", "--today", TODAY),
        ("log", str(vault), "Hidden", "--today", TODAY),
    ):
        result = audited(log, *args)
        assert "Traceback" not in result.stderr and "unexpected" not in result.stderr
        if args[0] == "log":
            assert result.returncode == 2 and "No contact is named" in result.stderr
        if args[0] == "status":
            names = {c["name"] for c in json.loads(result.stdout)["contacts"]}
            assert not names & {"Evil", "Hidden", "Twin", "Loop", "Dangling", "Secret"}
            outside_links = [
                (p["path"], p["line"])
                for p in json.loads(result.stdout)["problems"]
                if p["code"] == "symlink-outside"
            ]
            assert outside_links == [("People/Evil.md", None), ("People/Linked", None)]
    assert followed(log, vault) == []
    assert state(outside) == before
    assert sorted(p.name for p in outside.rglob("*")) == ["Hidden.md", "folder", "secret.md"]
    assert (people / "Evil.md").is_symlink() and (people / "Twin.md").is_symlink()


def test_an_append_never_goes_through_a_link(vault: Path, outside: Path) -> None:
    """A contact note (or its folder) replaced by a link after the scan is not appended to."""
    before = state(outside)
    note = vault / "People" / "Bruno Silva.md"
    note.unlink()
    note.symlink_to(outside / "secret.md")
    done, why, _ = append_line(vault, "People/Bruno Silva.md", f"- {TODAY} check-in")
    assert not done and why is not None and "symbolic link" in why
    (vault / "Elsewhere").symlink_to(outside / "folder", target_is_directory=True)
    done, why, _ = append_line(vault, "Elsewhere/Hidden.md", f"- {TODAY} check-in")
    assert not done and why is not None and "'Elsewhere' is a symbolic link" in why
    assert state(outside) == before
    assert note.is_symlink()


def test_a_hard_link_out_of_the_vault_is_never_written_through(vault: Path, outside: Path) -> None:
    """Writes replace the note (temp file and rename): a second name of it outside the vault
    keeps the old bytes."""
    os.link(vault / "People" / "Bruno Silva.md", outside / "hard.md")
    before = state(outside)
    assert main(["log", str(vault), "Bruno Silva", "--today", TODAY]) == 0
    assert f"- {TODAY} check-in" in (vault / "People" / "Bruno Silva.md").read_text()
    assert state(outside) == before


@pytest.mark.parametrize("link", ["Entraide", "Entraide/Reviews", "Entraide/Check-ins.md"])
def test_outputs_are_never_written_through_a_link(
    link: str, vault: Path, outside: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = outside / "secret.md" if link.endswith(".md") else outside / "folder"
    path = vault / link
    if link == "Entraide":
        (outside / "folder" / "Settings.md").write_bytes((path / "Settings.md").read_bytes())
    if path.is_dir():
        for child in sorted(path.rglob("*"), reverse=True):
            child.unlink() if child.is_file() else child.rmdir()
        path.rmdir()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(target, target_is_directory=target.is_dir())
    before = state(outside)
    assert main(["run", str(vault), "--today", TODAY]) == 2
    assert "is a symbolic link, and entraide never follows one" in capsys.readouterr().err
    assert state(outside) == before
    assert path.is_symlink()


def test_a_linked_output_folder_is_not_read_either(vault: Path, outside: Path) -> None:
    out = outside / "folder"
    (out / "Settings.md").write_bytes((vault / "Entraide" / "Settings.md").read_bytes())
    (out / "Check-ins.md").write_text(
        "%% entraide:begin %%\n- [x] [[Bruno Silva]] — ticked 📅 2026-11-23\n%% entraide:end %%\n"
    )
    for child in (vault / "Entraide").iterdir():
        child.unlink()
    (vault / "Entraide").rmdir()
    (vault / "Entraide").symlink_to(out, target_is_directory=True)
    note = vault / "People" / "Bruno Silva.md"
    before = note.read_bytes()
    main(["run", str(vault), "--today", TODAY])
    assert note.read_bytes() == before  # a tick outside the vault is no instruction


def test_yaml_is_only_safe_loaded(vault: Path, tmp_path: Path) -> None:
    pwned = tmp_path / "PWNED"
    payloads = {
        "Apply": f'!!python/object/apply:os.system ["touch {pwned}"]',
        "New": f'!!python/object/new:os.system ["touch {pwned}"]',
        "Name": "!!python/name:os.system",
        "Module": "!!python/module:os",
        "Subclass": f'!!python/object/apply:subprocess.call [["touch", "{pwned}"]]',
    }
    for name, payload in payloads.items():
        (vault / "People" / f"Tag {name}.md").write_text(f"---\ncircle: {payload}\n---\n")
    (vault / "Meetings" / "Tagged.md").write_text(
        f"---\ndate: 2026-11-20\nattendees: {payloads['Apply']}\n---\n"
    )
    for args in (
        ["check", str(vault), "--json"],
        ["status", str(vault), "--json", "--today", TODAY],
        ["run", str(vault), "--today", TODAY],
    ):
        result = subprocess.run(
            [sys.executable, "-m", "entraide", *args],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            cwd=tmp_path,
        )
        assert result.returncode in (0, 1), result.stderr
        if args[0] == "check":
            tagged = {p["path"] for p in json.loads(result.stdout) if p["code"] == "yaml-syntax"}
            assert tagged == {f"People/Tag {n}.md" for n in payloads} | {"Meetings/Tagged.md"}
    settings = vault / "Entraide" / "Settings.md"
    settings.write_text(f"---\nmax_checkins: {payloads['Apply']}\n---\n")
    assert main(["run", str(vault), "--today", TODAY]) == 2
    assert not pwned.exists() and not list(tmp_path.rglob("PWNED")) and not Path("PWNED").exists()


HOSTILE = "Jane]] <script>alert(1) %% [[x"  # a file name cannot hold the `/` of `</script>`
MERMAID_LINE = re.compile(
    r'(pie title [^"\n:;%]*'
    r"|xychart-beta"
    r'|    "[^"\n:;%\[\]]*" : \d+'
    r'|    title "[^"\n]*"'
    r'|    x-axis \[("W\d\d"(, )?)*\]'
    r'|    y-axis "interactions" 0 --> \d+'
    r"|    bar \[(\d+(, )?)*\])"
)


def hostile_vault(root: Path) -> Path:
    """A small vault whose names and values try to break out of the generated Markdown."""
    people = root / "People"
    people.mkdir(parents=True)
    mark_vault(root)
    (people / f"{HOSTILE}.md").write_text(
        "---\n"
        "circle: inner\n"
        'sector: "A\\" : 1\\n    \\"B"\n'  # Mermaid: close the label, add a slice
        'country: "<b>bold</b> [[Link]] ![[Embed]] %% hidden"\n'
        'profession: "x\\n%% entraide:end %%\\n```\\n</div>"\n'
        'met: "x\\"]\\n    bar [999"\n'
        "---\n"
        "- 2026-06-01 call #asked\n"
    )
    (people / "Bob [x] | y.md").write_text(
        "---\ncircle: inner\nsector: \"}}%%{init: {'theme': 'dark'}}%%\"\n---\n"
    )
    (people / "Bad Circle.md").write_text(
        '---\ncircle: "<script>alert(2)</script> [[y]] %% z"\n---\n- 2026-11-19 call\n'
    )
    (root / "Meetings").mkdir()
    (root / "Meetings" / "Party.md").write_text(
        "---\ndate: 2026-11-20\n"
        'attendees: ["[[<img src=x onerror=alert(3)>]]", "[[Nobody]] %% ]]"]\n---\n'
    )
    return root


def region(text: str) -> str:
    assert text.count("%% entraide:begin %%") == 1 and text.count("%% entraide:end %%") == 1
    return text.split("%% entraide:begin %%\n", 1)[1].split("%% entraide:end %%", 1)[0]


def test_output_escapes_user_text(tmp_path: Path) -> None:
    vault = hostile_vault(tmp_path / "vault")
    assert main(["run", str(vault), "--today", TODAY]) == 0
    notes = {p.stem for p in vault.rglob("*.md")} | {
        p.relative_to(vault).as_posix()[:-3] for p in vault.rglob("*.md")
    }
    generated = sorted((vault / "Entraide").rglob("*.md"))
    assert len(generated) == 4
    for path in generated:
        text = region(path.read_text("utf-8"))
        assert "<" not in text and "%%" not in text, path
        assert text.count("[[") == text.count("]]"), path
        for target in re.findall(r"\[\[(.*?)\]\]", text):
            assert target in notes and "[" not in target, (path, target)  # no forged link
        for block in re.findall(r"```mermaid\n(.*?)```", text, re.S):
            for line in block.splitlines():
                assert MERMAID_LINE.fullmatch(line), (path, line)
        assert "```" not in re.sub(r"```mermaid\n.*?```", "", text, flags=re.S), path
    checkins = (vault / "Entraide" / "Check-ins.md").read_text("utf-8")
    assert "Jane" in checkins and "Bob" in checkins  # the hostile names were rendered
    assert '"A 1 B" : 1' in (vault / "Entraide" / "Reviews" / "2026-W48.md").read_text("utf-8")
    problems = (vault / "Entraide" / "Problems.md").read_text("utf-8")
    assert "`unknown-circle`" in problems and "`attendee-unknown`" in problems
    assert "&lt;script&gt;" in problems  # quoted, not dropped


def test_a_tick_on_an_escaped_name_still_logs(tmp_path: Path) -> None:
    vault = hostile_vault(tmp_path / "vault")
    assert main(["run", str(vault), "--today", TODAY]) == 0
    checkins = vault / "Entraide" / "Check-ins.md"
    text = checkins.read_text("utf-8")
    ticked = re.sub(r"- \[ \] (\[Jane)", r"- [x] \1", text)
    ticked = re.sub(r"- \[ \] (\[Bob)", r"- [x] \1", ticked)
    assert ticked.count("- [x] ") == 2, text
    checkins.write_text(ticked, "utf-8")
    assert main(["run", str(vault), "--today", TODAY]) == 0
    for name in (HOSTILE, "Bob [x] | y"):
        assert (vault / "People" / f"{name}.md").read_text().endswith(f"- {TODAY} check-in\n")


def test_no_network_access(vault: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("entraide tried to use the network")

    for name in ("socket", "create_connection", "getaddrinfo", "socketpair"):
        monkeypatch.setattr(socket, name, refuse)
    assert main(["run", str(vault), "--today", TODAY, "--no-cache"]) == 0
    assert main(["status", str(vault), "--json", "--today", TODAY]) == 0
    assert main(["check", str(vault), "--json"]) in (0, 1)
    assert main(["log", str(vault), "Bruno Silva", "--today", TODAY]) == 0
