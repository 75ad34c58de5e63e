"""A deterministic vault of real Markdown for benchmarks (standard library only).

    python scripts/real_vault.py OUT [--notes 50000] [--contacts 2000] [--years 3] [--seed 1]
                                     [--source ../shared/vaults] [--end-date 2026-11-22]

Generated notes prove little about speed on real notes (DESIGN §9): this vault's bodies are
runs of whole blocks cut from the notes of real public vaults (`../shared/vaults`: the Tasks
plugin's demo vault and docs, Dataview's test vault, two personal vault templates), about
2 KB a note as in obsidian-hub. Of the notes, `--contacts` are contacts under `People/` (a
person's frontmatter, a real body and a `## Log`), `--years` of daily notes under `Daily/`
mention them beside real text, and the rest are real notes (their frontmatter kept when the
run starts at the top) filed under `Notes/`, most of which entraide needs only the frontmatter
of. Same arguments and sources, same bytes.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parent.parent / "shared" / "vaults"
FIRST = (
    "Ana Ben Chloé Dev Emma Farid Grace Hugo Inès Jamal Kenji Lena Marco Nadia Omar Priya".split()
)
LAST = "Okafor Silva Martin Patel Rossi Haddad Kim Lefèvre Duarte Nguyen Schmidt Müller".split()
SECTORS = "Finance Health Education Energy Law Media Research Arts Agriculture Technology".split()
CIRCLES = ("inner", "close", "active", "active", "acquaintance", "acquaintance", "acquaintance")
KINDS = ("call", "coffee", "lunch", "video", "message", "email")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


@dataclass
class Stats:
    notes: int = 0
    contacts: int = 0
    daily: int = 0
    other: int = 0
    bytes: int = 0
    sources: int = 0
    blocks: int = 0
    by_source: dict[str, int] = field(default_factory=dict)


def blocks_of(text: str) -> list[str]:
    """A note's body cut into whole blocks at blank lines outside code fences."""
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end >= 0:
            text = text[text.find("\n", end + 1) + 1 :]
    blocks, current, fence = [], [], None
    for line in text.splitlines(keepends=True):
        m = _FENCE.match(line)
        if fence is None and m:
            fence = m.group(1)[0]
        elif fence is not None and m and m.group(1)[0] == fence:
            fence = None
        if fence is None and not line.strip() and current:
            blocks.append("".join(current))
            current = []
        elif line.strip() or current:
            current.append(line)
    if current:
        blocks.append("".join(current))
    return [b if b.endswith("\n") else b + "\n" for b in blocks]


def frontmatter_of(text: str) -> str:
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end >= 0:
            return text[: text.find("\n", end + 1) + 1]
    return ""


def load_sources(source: Path) -> list[tuple[str, str, list[str]]]:
    """(relative path, frontmatter, blocks) of every real note, in a stable order."""
    found = []
    for path in sorted(source.rglob("*.md")):
        if any(part.startswith(".") for part in path.relative_to(source).parts):
            continue
        try:
            text = path.read_text("utf-8").replace("\r\n", "\n")
        except (OSError, UnicodeDecodeError):
            continue
        blocks = blocks_of(text)
        if blocks:
            found.append((str(path.relative_to(source)), frontmatter_of(text), blocks))
    if not found:
        raise SystemExit(f"real_vault: no notes under {source}")
    return found


def real_text(rng: random.Random, sources: list[tuple[str, str, list[str]]]) -> tuple[str, str]:
    """(frontmatter, body): a run of whole blocks of one real note, about 2 KB (lognormal)."""
    k = rng.randrange(len(sources))
    _, front, blocks = sources[k]
    target = min(40_000, int(rng.lognormvariate(7.0, 0.9)))  # median ~1.1 KB, mean ~1.8 KB
    start = rng.randrange(len(blocks))
    top = start == 0
    out, size = [], 0
    while size < target:  # a note too short: the run goes on into the next real note
        for block in blocks[start:]:
            out.append(block)
            size += len(block)
            if size >= target:
                break
        k, start = (k + 1) % len(sources), 0
        blocks = sources[k][2]
    return (front if top else ""), "\n".join(out)


def generate(
    out: Path,
    notes: int = 50_000,
    contacts: int = 2_000,
    years: int = 3,
    seed: int = 1,
    source: Path = SOURCE,
    end: date = date(2026, 11, 22),
) -> Stats:
    rng = random.Random(seed)
    sources = load_sources(source)
    stats = Stats(sources=len(sources), blocks=sum(len(b) for _, _, b in sources))
    names: list[str] = []
    taken: set[str] = set()
    while len(names) < contacts:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if name in taken:
            name = f"{name} {len(names)}"
        taken.add(name)
        names.append(name)

    def write(rel: str, text: str) -> None:
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
        stats.notes += 1
        stats.bytes += len(text.encode("utf-8"))

    for i, name in enumerate(names):
        since = end - timedelta(days=rng.randrange(30, 3000))
        _, body = real_text(rng, sources)
        logs = "".join(
            f"- {end - timedelta(days=rng.randrange(0, 900))} {rng.choice(KINDS)}: "
            f"{rng.choice(('talked', 'caught up', 'asked about work'))}"
            f"{rng.choice(('', ' #news', ' #gave', ' #asked'))}\n"
            for _ in range(rng.randrange(0, 5))
        )
        front = (
            f"---\ntags: [person]\ncircle: {rng.choice(CIRCLES)}\n"
            f"sector: {rng.choice(SECTORS)}\nsince: {since}\n---\n"
        )
        folder = "People" if i % 10 else f"People/{rng.choice(SECTORS)}"
        write(f"{folder}/{name}.md", f"{front}# {name}\n\n{body}\n## Log\n{logs}")
        stats.contacts += 1
    days = min(notes - stats.notes, years * 365 + 1)
    for d in range(max(0, days)):
        day = end - timedelta(days=d)
        _, body = real_text(rng, sources)
        mentions = "".join(
            f"- {rng.choice(('Lunch with', 'Called', 'Met'))} [[{rng.choice(names)}]]"
            f"{rng.choice(('', ' #news', ' #gave'))}\n"
            for _ in range(rng.randrange(0, 4))
        )
        write(f"Daily/{day.isoformat()}.md", f"# {day}\n\n{mentions}\n{body}")
        stats.daily += 1
    folders = [f"Notes/{s}" for s in SECTORS] + ["Notes", "Projects", "Reading/Books"]
    n = 0
    while stats.notes < notes:
        front, body = real_text(rng, sources)
        n += 1
        write(f"{folders[n % len(folders)]}/Note {n:06d}.md", front + body)
        stats.other += 1
    return stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--notes", type=int, default=50_000)
    parser.add_argument("--contacts", type=int, default=2_000)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--end-date", type=date.fromisoformat, default=date(2026, 11, 22))
    args = parser.parse_args(argv)
    if args.out.exists() and any(args.out.iterdir()):
        parser.error(f"{args.out} is not empty")
    stats = generate(
        args.out, args.notes, args.contacts, args.years, args.seed, args.source, args.end_date
    )
    print(
        f"{stats.notes:,} notes ({stats.contacts:,} contacts, {stats.daily:,} daily, "
        f"{stats.other:,} others), {stats.bytes / 1e6:.1f} MB, from {stats.sources} real notes"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
