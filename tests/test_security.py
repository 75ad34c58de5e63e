"""Nothing leads a read or a write outside the vault; copied text cannot inject markup."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest

from entraide.cli import main

TODAY = "2026-11-23"


def test_symlinks_are_never_followed(vault: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    (outside / "folder").mkdir(parents=True)
    secret = outside / "secret.md"
    secret.write_text("---\ntype: person\n---\n# Secret\n")
    (outside / "folder" / "Hidden.md").write_text("---\ntype: person\n---\n")
    (vault / "People" / "Evil.md").symlink_to(secret)
    (vault / "People" / "Linked").symlink_to(outside / "folder", target_is_directory=True)
    assert main(["run", str(vault), "--today", TODAY]) == 0
    assert main(["log", str(vault), "Evil", "--today", TODAY]) == 2  # not a contact
    assert secret.read_text() == "---\ntype: person\n---\n# Secret\n"
    assert (outside / "folder" / "Hidden.md").read_text() == "---\ntype: person\n---\n"
    assert sorted(p.name for p in outside.rglob("*")) == ["Hidden.md", "folder", "secret.md"]
    problems = (vault / "Entraide" / "Problems.md").read_text()
    assert problems.count("symlink-outside") == 2


def test_an_output_folder_outside_the_vault_is_refused(vault: Path) -> None:
    (vault / "Entraide" / "Settings.md").write_text("---\noutput_folder: ../elsewhere\n---\n")
    assert main(["run", str(vault), "--today", TODAY]) == 2
    assert not (vault.parent / "elsewhere").exists()


def test_copied_text_cannot_inject_links_html_or_mermaid(vault: Path) -> None:
    name = "Jane]] <img src=x onerror=alert(1)> %% [[x"
    (vault / "People" / f"{name}.md").write_text(
        '---\ncircle: close\nsector: "A\\" : 1\\n    \\"B"\ncountry: "<b>bold</b> [[Link]]"\n---\n'
        "- 2026-11-20 call\n"
    )
    (vault / "People" / "Bad Yaml.md").write_text("---\ncircle: <script>x</script> [[y\n---\n")
    assert main(["run", str(vault), "--today", TODAY]) == 0
    for path in (vault / "Entraide").rglob("*.md"):
        if path.name == "Settings.md":
            continue
        text = path.read_text()
        assert "<img" not in text and "<script" not in text and "<b>" not in text, path
        region = text.split("%% entraide:begin %%")[1].split("%% entraide:end %%")[0]
        assert "%%" not in region, path  # no comment can open inside the region
        for link in re.findall(r"\[\[([^\]]*)\]\]", region):
            assert "[" not in link and "<" not in link, (path, link)
        for block in re.findall(r"```mermaid\n(.*?)```", region, re.S):
            for line in block.splitlines()[1:]:
                assert re.fullmatch(
                    r'    (".*" : \d+|title ".*"|x-axis \[.*\]|y-axis ".*" \d+ --> \d+|bar \[.*\])',
                    line,
                ), line


def test_no_network_access(vault: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("entraide opened a socket")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert main(["run", str(vault), "--today", TODAY]) == 0
    assert main(["status", str(vault), "--json", "--today", TODAY]) == 0
