"""A deterministic synthetic vault for benchmarks: contacts, body logs, daily and meeting notes.

    python scripts/gen_vault.py OUT [--contacts 10000] [--years 3] [--seed 1]

Same arguments, same bytes. Contacts have realistic frontmatter (circles in Dunbar's
proportions, cadences, diversity dimensions, dates, aliases, `knows` links, interactions),
a body with a `## Log` section; daily notes mention contacts with every link form, inside
tasks, quotes, code and callouts; a few meeting notes name attendees.
"""

from __future__ import annotations

import argparse
import json
import random
from datetime import date, timedelta
from pathlib import Path

FIRST = (
    "Ana Ben Chloé Dev Emma Farid Grace Hugo Inès Jamal Kenji Lena Marco Nadia Omar Priya "
    "Quinn Rosa Sami Tara Uma Victor Wen Xavier Yara Zoé Aïcha Björn Çelik Dara Émile Fatou"
).split()
LAST = (
    "Okafor Silva Martin Patel Rossi Haddad Kim Lefèvre Duarte Nguyen Schmidt Kowalski Müller "
    "Garcia Tanaka Dubois Costa Ali Novak Berg Mensah Ivanova Santos O'Brien Park Haas"
).split()
SECTORS = "Finance Technology Healthcare Education Arts Law Agriculture Energy Media Retail".split()
PROFESSIONS = "Engineer Doctor Teacher Designer Lawyer Analyst Farmer Nurse Writer Chef".split()
COUNTRIES = "France Brazil India Japan Nigeria Germany Canada Kenya Mexico Vietnam".split()
MET = ["Work", "University", "Conference", "Meetup", "Neighbour", "Volunteering", "Friend"]
KINDS = ["call", "coffee", "lunch", "video", "message", "email", "dinner"]
CIRCLES = ["inner"] * 5 + ["close"] * 10 + ["active"] * 35 + ["acquaintance"] * 100
CIRCLES += ["dormant"] * 50


def generate(out: Path, contacts: int, years: int, seed: int, end: date) -> int:
    """Write the vault; return the number of interaction records written."""
    rnd = random.Random(seed)
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < contacts:
        first, last = rnd.choice(FIRST), rnd.choice(LAST)
        name = f"{first} {last}"
        if name in seen:  # a middle initial, then a double-barrelled name (never "Name 2")
            name = f"{first} {chr(65 + len(names) % 26)}. {last}"
        if name in seen:
            name = f"{first} {last}-{rnd.choice(LAST)} {chr(65 + len(names) % 26)}."
        if name in seen:
            continue
        seen.add(name)
        names.append(name)
    (out / ".obsidian").mkdir(parents=True, exist_ok=True)
    (out / ".obsidian" / "daily-notes.json").write_text(
        json.dumps({"folder": "Daily", "format": "YYYY-MM-DD"}), "utf-8"
    )
    span = years * 365
    records = 0

    def day(back: int) -> str:
        return (end - timedelta(days=back)).isoformat()

    for i, name in enumerate(names):
        folder = out / "People" / ("Work" if i % 7 == 0 else "")
        folder.mkdir(parents=True, exist_ok=True)
        fm = [
            "---",
            "tags: [person]",
            f"circle: {rnd.choice(CIRCLES)}",
            f"sector: {rnd.choice(SECTORS)}",
            f"profession: {rnd.choice(PROFESSIONS)}",
            f"country: {rnd.choice(COUNTRIES)}",
            f"met: {rnd.choice(MET)}",
            f"since: {day(rnd.randint(30, span + 2000))}",
        ]
        if i % 5 == 0:
            fm.append(f"aliases: [{name.split()[0]} {i}]")
        if i % 9 == 0:
            fm.append(f"cadence: {rnd.choice(['30', '2w', '3m'])}")
        if i % 11 == 0:
            fm.append(f"birthday: --{rnd.randint(1, 12):02}-{rnd.randint(1, 28):02}")
        if i % 37 == 0:
            fm.append(f"follow_up: {day(rnd.randint(-10, 30))}")
        if i % 53 == 0:
            fm.append(f"snooze_until: {day(-rnd.randint(1, 40))}")
        if i % 97 == 0:
            fm.append("paused: true")
        if i % 13 == 0:
            fm.append(f'knows: ["[[{rnd.choice(names)}]]"]')
        entries = rnd.randint(0, 3)
        if entries:
            fm.append("interactions:")
            for _ in range(entries):
                fm.append(f"  - date: {day(rnd.randint(0, span))}")
                fm.append(f"    kind: {rnd.choice(KINDS)}")
                fm.append(f"    minutes: {rnd.choice([10, 20, 30, 45, 60])}")
                if rnd.random() < 0.2:
                    fm.append("    gave: true")
                if rnd.random() < 0.15:
                    fm.append("    asked: an introduction")
                records += 1
        fm.append("---")
        body = [
            f"# {name}",
            "",
            f"Met at {rnd.choice(MET).lower()}; talks about work.",
            "",
            "## Log",
        ]
        for _ in range(rnd.randint(0, 2)):
            kind = rnd.choice(KINDS)
            flag = rnd.choice(["", " #news", " #gave", " [minutes:: 30]", " [gave:: an intro]"])
            body.append(f"- {day(rnd.randint(0, span))} {kind}: caught up{flag}")
            records += 1
        (folder / f"{name}.md").write_text("\n".join(fm + body) + "\n", "utf-8")
    forms = [
        "[[{n}]]",
        "[[{n}|them]]",
        "[[{n}#Log]]",
        "[[People/{n}]]",
        "[shown](People/{u}.md)",
    ]
    (out / "Daily").mkdir(parents=True, exist_ok=True)
    for back in range(span):
        people = rnd.sample(names, 4)
        links = [rnd.choice(forms).format(n=p, u=p.replace(" ", "%20")) for p in people]
        text = [
            f"# {day(back)}",
            "",
            f"- Coffee with {links[0]} #gave",
            f"- [ ] call {links[1]}",
            f"- [x] wrote to {links[2]}",
            "",
            f"> quoted {links[3]}",
            "",
            "```",
            f"[[{people[0]}]] in code",
            "```",
            "",
        ]
        if back % 3 == 0:
            text += [f"Lunch with {links[3]} and {links[0]}. #news", ""]
        records += 3 + (back % 3 == 0) * 2
        (out / "Daily" / f"{day(back)}.md").write_text("\n".join(text), "utf-8")
    (out / "Meetings").mkdir(exist_ok=True)
    for k in range(max(contacts // 100, 1)):
        people = rnd.sample(names, 3)
        attendees = ", ".join(f'"[[{p}]]"' for p in people)
        (out / "Meetings" / f"Meeting {k:04}.md").write_text(
            f"---\ndate: {day(rnd.randint(0, span))}\nattendees: [{attendees}]\n---\n# Meeting\n",
            "utf-8",
        )
        records += 3
    return records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--end-date", type=date.fromisoformat, default=date(2026, 11, 22))
    args = parser.parse_args()
    records = generate(args.out, args.contacts, args.years, args.seed, args.end_date)
    print(f"{args.contacts} contacts, ~{records} interaction records in {args.out}")


if __name__ == "__main__":
    main()
