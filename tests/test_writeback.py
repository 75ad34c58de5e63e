"""Writes into the vault: managed regions, user text kept, compare-and-swap, appends on disk."""

import os
from pathlib import Path

import pytest

from entraide.render import managed
from entraide.vault_io import Moved, read_state, replace_file
from entraide.writeback import Generated, append_line, write_generated


def test_new_note_then_update_keeps_user_text(tmp_path: Path) -> None:
    out = {"Entraide/X.md": Generated({"status": "current"}, "one\n", "\n## Reflection\n")}
    assert write_generated(tmp_path, out).written == ["Entraide/X.md"]
    path = tmp_path / "Entraide/X.md"
    text = path.read_text()
    assert text == (
        "---\nstatus: current\n---\n%% entraide:begin %%\none\n%% entraide:end %%\n\n"
        "## Reflection\n"
    )
    edited = text.replace("---\nstatus", "---\nmine: [a, b]\nstatus").replace(
        "## Reflection\n", "## Reflection\nI learnt a lot.\n"
    )
    path.write_text(edited)
    out = {"Entraide/X.md": Generated({"status": "final"}, "two\n")}
    assert write_generated(tmp_path, out).written == ["Entraide/X.md"]
    assert path.read_text() == (
        "---\nmine: [a, b]\nstatus: final\n---\n%% entraide:begin %%\ntwo\n%% entraide:end %%\n\n"
        "## Reflection\nI learnt a lot.\n"
    )


def test_unchanged_bytes_are_not_written(tmp_path: Path) -> None:
    out = {"Entraide/X.md": Generated({}, "same\n")}
    write_generated(tmp_path, out)
    path = tmp_path / "Entraide/X.md"
    os.utime(path, ns=(1, 1))
    assert write_generated(tmp_path, out).written == []
    assert path.stat().st_mtime_ns == 1


def test_final_review_is_kept_unless_rebuilding(tmp_path: Path) -> None:
    path = tmp_path / "R.md"
    path.write_text("---\nstatus: final\n---\n%% entraide:begin %%\nold\n%% entraide:end %%\n")
    out = {"R.md": Generated({"status": "final"}, "new\n")}
    assert write_generated(tmp_path, out).written == []
    assert write_generated(tmp_path, out, rebuild=True).written == ["R.md"]
    assert "new" in path.read_text()


def test_a_note_without_markers_is_the_users(tmp_path: Path) -> None:
    path = tmp_path / "Entraide/Check-ins.md"
    path.parent.mkdir()
    path.write_text("my own list\n")
    result = write_generated(tmp_path, {"Entraide/Check-ins.md": Generated({}, "x\n")})
    assert result.written == []
    assert [p.code for p in result.problems] == ["output-not-managed"]
    assert path.read_text() == "my own list\n"


def test_text_above_and_below_the_region_is_kept_byte_for_byte() -> None:
    existing = "Mine above\r\n%% entraide:begin %%\nold\n%% entraide:end %%\nMine below  \n\n"
    assert managed.merge(existing, {}, "new\n") == (
        "Mine above\r\n%% entraide:begin %%\nnew\n%% entraide:end %%\nMine below  \n\n"
    )


def test_compare_and_swap_refuses_a_file_that_moved(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"what we read")
    read = read_state(tmp_path, "a.md")
    path.write_bytes(b"user edit")
    with pytest.raises(Moved):
        replace_file(tmp_path, "a.md", b"ours", read)
    assert path.read_bytes() == b"user edit"
    assert sorted(os.listdir(tmp_path)) == ["a.md"]  # no temp file left behind


@pytest.mark.usefixtures("instant_settle")
def test_replace_keeps_the_file_mode(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"x")
    path.chmod(0o640)
    replace_file(tmp_path, "a.md", b"y", read_state(tmp_path, "a.md"))
    assert path.stat().st_mode & 0o777 == 0o640


@pytest.mark.parametrize("eol", ["\n", "\r\n"])
@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
@pytest.mark.usefixtures("instant_settle")
def test_append_line_on_disk(tmp_path: Path, eol: str, bom: bytes) -> None:
    note = tmp_path / "People" / "Jane.md"
    note.parent.mkdir()
    head = f"---{eol}circle: close{eol}---{eol}# Jane{eol}{eol}## Log{eol}- 2026-01-01 call{eol}"
    tail = f"{eol}## Notes{eol}kept{eol}"
    note.write_bytes(bom + (head + tail).encode())
    note.chmod(0o600)
    assert append_line(tmp_path, "People/Jane.md", "- 2026-11-22 check-in").done
    expected = bom + (head + f"- 2026-11-22 check-in{eol}" + tail).encode()
    assert note.read_bytes() == expected
    assert note.stat().st_mode & 0o777 == 0o600
    # Idempotent: the same line is not added twice.
    assert append_line(tmp_path, "People/Jane.md", "- 2026-11-22 check-in")[:2] == (False, None)
    assert note.read_bytes() == expected


def test_no_append_while_git_is_busy_or_in_conflict(tmp_path: Path) -> None:
    note = tmp_path / "Jane.md"
    note.write_text("# Jane\n")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ref: refs/heads/main\n")  # a repository
    (tmp_path / ".git" / "MERGE_HEAD").write_text("x")
    done, why, _ = append_line(tmp_path, "Jane.md", "- 2026-11-22 check-in")
    assert not done and why is not None and "merge" in why
    (tmp_path / ".git" / "MERGE_HEAD").unlink()
    done, why, _ = append_line(tmp_path, "Jane.md", "- 2026-11-22 check-in", frozenset({"Jane.md"}))
    assert not done and why is not None and "conflict" in why
    assert note.read_text() == "# Jane\n"
