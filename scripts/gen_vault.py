"""A deterministic synthetic Obsidian vault for benchmarks (standard library only).

    python scripts/gen_vault.py OUT [--contacts 10000] [--years 3] [--seed 1]
                                    [--end-date 2026-11-22]

Same arguments, same bytes. By default: 10,000 contact notes under `People/` (some in nested
folders) with the frontmatter of DESIGN.md §2 — circles in Dunbar's proportions, cadences,
diversity dimensions, dates, aliases, `knows` links, `interactions`, and the contact details
people keep there (company, role, email, phone, links, interests…) — and a body of prose with
emphasis, notes, meetings and a `## Log` of body-log lines; three years of daily notes
`Daily/YYYY-MM-DD.md` that mention contacts with every link form, in tasks, quotes, callouts,
tables, code and comments, beside journal paragraphs and to-do lists; a few meeting and
project notes; a template folder. No `Entraide/Settings.md` (defaults). About 40,000
interaction records in all (before same-day merging), 16 MB.

The notes are sized after the reference vault of DESIGN.md §9 and the speed issue, whose
frontmatter and bodies cost PyYAML and markdown-it-py seconds (~1.3 s and ~4-5 s here).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
import unicodedata
from bisect import bisect
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path

FIRST = (
    "Ana Ben Chloé Dev Emma Farid Grace Hugo Inès Jamal Kenji Lena Marco Nadia Omar Priya Quinn "
    "Rosa Sami Tara Uma Victor Wen Xavier Yara Zoé Aïcha Björn Dara Émile Fatou Adaeze Aiko "
    "Alejandro Amara Anders Andrés Anh Arjun Astrid Aurélie Bilal Camille Carmen Chiara Chidi "
    "Clément Daniel Diego Dmitri Elena Elif Fatima Felipe Francesca François Gabriel Giulia Hana "
    "Hannah Hélène Hiroshi Ibrahim Ingrid Isabel Ivan Jakub Javier Jin João Joseph Julia Karim "
    "Kwame Laila Lars Léa Leila Liam Lucía Luis Maëlle Magnus Malik María Mateo Maya Mehdi Mei "
    "Miguel Mohammed Naledi Nikolai Noa Noémie Olga Oluwaseun Paolo Pedro Pierre Rahul Ravi "
    "Renée Rohan Ruth Sakura Salma Samuel Sara Séverine Siddharth Sofía Søren Sven Tomás Thomas "
    "Valentina Wanjiru Yasmin Yusuf Zainab Nour Aylin Kofi Chinonso Agnieszka Bartosz Ewa Răzvan"
).split()
LAST = (
    "Okafor Silva Martin Patel Rossi Haddad Kim Lefèvre Duarte Nguyen Schmidt Kowalski Müller "
    "García Tanaka Dubois Costa Ali Novák Berg Mensah Ivanova Santos O'Brien Park Haas Abebe "
    "Adeyemi Andersson Bakker Banerjee Becker Bernard Bianchi Byrne Chen Ćosić De-Luca Dimitrov "
    "Eriksson Fernández Fischer Fontaine Gómez Gonzalez Gupta Hansen Hernández Hoffmann Horvat "
    "Hughes Iyer Jansen Jensen Johansson Kaur Kaya Khan Kovács Kumar Larsen Laurent Li Lindqvist "
    "López Marino Moreau Murphy Nakamura Ndlovu Nielsen Nowak Ochieng Oliveira Ortiz Owusu "
    "Papadopoulos Pereira Petrov Popescu Quispe Ramírez Reyes Richter Romano Rousseau Sánchez "
    "Sato Schneider Shah Singh Sokolov Suzuki Svensson Takahashi Torres Traoré Vargas Wagner "
    "Wang Weber Wiśniewski Yamamoto Yılmaz Zhang Ferreira Diallo Kamau Achebe Halvorsen Demir "
    "Öztürk Şahin Ibáñez Núñez Brennan Walsh Kelly Dupont Girard Lambert Mercier Bonnet Fournier "
    "Leroy Roux Vincent Mbeki Agarwal"
).split()
NICKNAMES = {
    "Alejandro": "Alex",
    "Francesca": "Fran",
    "Mohammed": "Mo",
    "Nikolai": "Kolya",
    "Oluwaseun": "Seun",
    "Siddharth": "Sid",
    "Valentina": "Vale",
    "Gabriel": "Gabe",
    "Samuel": "Sam",
    "Daniel": "Dan",
    "Joseph": "Joe",
    "Thomas": "Tom",
    "Isabel": "Izzy",
    "Chinonso": "Nonso",
    "Agnieszka": "Aga",
}
SECTORS: dict[str, tuple[int, list[str]]] = {  # weight, professions
    "Technology": (30, ["Software engineer", "Data scientist", "Product manager", "Designer"]),
    "Finance": (8, ["Accountant", "Analyst", "Banker", "Actuary"]),
    "Healthcare": (7, ["Doctor", "Nurse", "Pharmacist", "Physiotherapist"]),
    "Education": (7, ["Teacher", "Lecturer", "Researcher"]),
    "Arts": (5, ["Musician", "Illustrator", "Writer", "Photographer"]),
    "Law": (4, ["Lawyer", "Paralegal", "Notary"]),
    "Agriculture": (2, ["Farmer", "Agronomist"]),
    "Energy": (3, ["Engineer", "Electrician"]),
    "Media": (5, ["Journalist", "Editor", "Producer"]),
    "Retail": (4, ["Shop owner", "Buyer", "Store manager"]),
    "Public sector": (6, ["Civil servant", "Policy advisor"]),
    "Non-profit": (5, ["Community organiser", "Fundraiser"]),
    "Hospitality": (3, ["Chef", "Hotel manager"]),
    "Manufacturing": (4, ["Mechanical engineer", "Operator"]),
    "Construction": (3, ["Architect", "Builder"]),
}
COUNTRIES = {
    "France": 40,
    "Germany": 6,
    "United Kingdom": 6,
    "Spain": 5,
    "Italy": 4,
    "Brazil": 4,
    "India": 5,
    "Japan": 3,
    "Nigeria": 3,
    "Kenya": 2,
    "Canada": 3,
    "United States": 6,
    "Mexico": 2,
    "Vietnam": 2,
    "Morocco": 3,
    "Senegal": 2,
    "Côte d'Ivoire": 1,
    "Türkiye": 1,
    "Poland": 2,
}
MET = {
    "Work": 30,
    "University": 12,
    "Conference": 12,
    "Meetup": 10,
    "Neighbour": 4,
    "Volunteering": 5,
    "Friend of a friend": 10,
    "Online": 8,
    "Sports club": 4,
    "School": 3,
}
MET_EVENTS = ["[[Web Summit 2024]]", "[[PyCon FR 2025]]", "[[Hackathon 2023|the hackathon]]"]
# Dunbar's layers 5/15/50/150, then the dormant and the never-classified.
CIRCLES = {"inner": 15, "close": 35, "active": 120, "acquaintance": 350, "dormant": 280, "": 200}
PER_CIRCLE = {  # interaction records per contact (min, max), mean age in days
    "inner": (10, 35, 120),
    "close": (6, 18, 200),
    "active": (3, 12, 300),
    "acquaintance": (0, 6, 450),
    "dormant": (0, 3, 0),
    "": (0, 3, 450),
}
MENTION_WEIGHT = {"inner": 40, "close": 15, "active": 5, "acquaintance": 1, "dormant": 0, "": 1}
KINDS = ["call", "coffee", "lunch", "dinner", "video", "message", "email", "meeting", "event"]
TAGS = ["work", "mentor", "alumni", "client", "friend", "family", "investor", "community"]
TOPICS = [
    "hiring",
    "the new role",
    "a side project",
    "open source",
    "the move to Lyon",
    "their startup",
    "a book",
    "climate tech",
    "parenting",
    "the conference talk",
    "funding",
    "remote work",
    "a course",
    "the team reorg",
]
COMPANIES = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Soylent", "Cyberdyne"]
CITIES = ["Paris", "Lyon", "Berlin", "Lisbon", "Nairobi", "Montréal", "Osaka", "Dakar", "São Paulo"]
GIVEN = ["an intro", "a referral", "feedback on the CV", "the slides", "a book", "a job lead"]
ASKED = ["an introduction", "advice", "a recommendation", "a reference", "help with a move"]
MINUTES = [5, 10, 15, 20, 30, 45, 60, 90]
SUBFOLDERS = {
    "": 70,
    "Work": 14,
    "Work/Former colleagues": 5,
    "Community": 6,
    "Family & Friends": 5,
}
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
MONTHS = (
    "January February March April May June July August September October November December"
).split()
# Fuller notes, as people write them (the reference vault of DESIGN.md §9 and the issue: on a
# 2-core machine, CSafeLoader over every frontmatter ~2 s, markdown-it-py over every body
# ~3-6 s): contact details among the properties, prose with emphasis, notes and journals.
ROLES = ["Head of data", "Staff engineer", "Founder", "CTO", "Team lead", "Consultant", "Partner"]
TEAMS = ["platform", "growth", "research", "design", "sales", "operations", "legal"]
LANGUAGES = ["English", "French", "Spanish", "German", "Portuguese", "Arabic", "Japanese", "Wolof"]
PRONOUNS = ["she/her", "he/him", "they/them"]
INTERESTS = [
    "cycling",
    "jazz",
    "climbing",
    "board games",
    "cooking",
    "photography",
    "gardening",
    "chess",
    "running",
    "poetry",
    "sailing",
    "film",
    "pottery",
    "birdwatching",
]
SKILLS = ["Python", "negotiation", "public speaking", "statistics", "fundraising", "UX research"]
DEGREES = ["MSc", "BA", "PhD", "MBA", "BSc"]
SCHOOLS = ["University of Lyon", "TU Berlin", "Sciences Po", "University of Nairobi", "Keio"]
CHANNELS = ["Signal", "a phone call", "WhatsApp", "email", "a voice note", "LinkedIn"]
EVENTS = ["meetup", "conference", "workshop", "dinner party", "hackathon", "training day"]
ABOUT = [
    "{first} leads the {team} team at {company} and cares a lot about {topic}.",
    "We first talked at a {event} in {city}, about {topic}.",
    "Very **direct** and generous with their time; prefers {channel} to email.",
    "Knows *everyone* in {sector} around {city}, and is happy to make introductions.",
    "Moved from {city} to {city2} a few years ago for the job at {company}.",
    "Working on a book about {topic}, due next year; asked me to read a draft.",
    "Good person to ask about {topic} and {topic2}.",
    "Outside work: {interest} and {interest2}, most weekends.",
    "Has two kids and a dog, and trains for the {city} marathon every spring.",
    "Mentioned that [[{company}]] is hiring for the {team} team.",
    "Prefers mornings: the best time to reach them is before ten, never on Fridays.",
    "Was my manager for two years at {company}; taught me how to run a *good* meeting.",
    "Started a small newsletter on {topic}, about a thousand readers.",
    "_Note to self_: remember to ask how the {topic} plans turned out.",
]
NOTES = [
    "Likes {interest}; recommended a podcast on {topic}",
    "Partner works in {sector}",
    "Would like an intro to someone in {sector}",
    "Sent them the article on {topic}",
    "**Birthday** dinner is usually in {city}",
    "Reads everything about {topic}",
    "Thinks {company} should open an office in {city}",
    "Offered to review my talk on {topic}",
]
JOURNAL = [
    "Slow start. Spent the morning on the quarterly plan and **finally** closed the budget.",
    "Read two chapters of *The Art of Gathering*; good ideas about hosting small dinners.",
    "Worked from the café near the station, the Wi-Fi was bad so I wrote by hand.",
    "Long walk at lunch. Thinking about {topic} again, and whether it is worth a talk.",
    "The team review went well; we agreed to ship the {team} changes next week.",
    "Felt scattered today: too many meetings, not enough time to *think*.",
    "Note for the retro: we keep underestimating {topic}.",
    "Evening: {interest}, then an early night.",
    "Drafted the newsletter on {topic}. Needs a better ending.",
    "Rain all day. Cleared the inbox down to twenty and answered the {company} thread.",
]
CHORES = [
    "renew the passport",
    "send the invoice to {company}",
    "book the train to {city}",
    "update the CV",
    "pay the electricity bill",
    "prepare the slides on {topic}",
    "water the plants",
    "reply to the {company} recruiter",
]
YAML_WORDS = {"yes", "no", "y", "n", "on", "off", "true", "false", "null", "~"}
PLAIN = re.compile(r"[A-Za-zÀ-ÿ][\w .'&-]*")


@dataclass
class Person:
    name: str
    path: str  # vault path without ".md"
    circle: str
    alias: str | None = None


@dataclass
class Stats:
    contacts: int = 0
    files: int = 0
    bytes: int = 0
    records: Counter[str] = field(default_factory=Counter)


def scalar(value: str) -> str:
    """A YAML scalar: plain when it reads back as the same string, else double-quoted."""
    if PLAIN.fullmatch(value) and value.lower() not in YAML_WORDS and not value.endswith(" "):
        return value
    return json.dumps(value, ensure_ascii=False)


def weighted(rnd: random.Random, table: dict[str, int]) -> Callable[[], str]:
    """A fast deterministic weighted chooser over `table` (insertion order)."""
    keys = list(table)
    cum = list(accumulate(table.values()))
    total = cum[-1]
    return lambda: keys[bisect(cum, rnd.random() * total)]


def make_names(rnd: random.Random, count: int) -> list[str]:
    """`count` unique, realistic names: first × last, then with a middle initial."""
    firsts = [unicodedata.normalize("NFC", f) for f in FIRST]
    lasts = [unicodedata.normalize("NFC", last.replace("-", " ")) for last in LAST]
    pairs = [f"{f} {last}" for f in firsts for last in lasts]
    rnd.shuffle(pairs)
    names = pairs[:count]
    if count > len(pairs):
        initials = [
            f"{f} {chr(65 + k)}. {last}" for f in firsts for last in lasts for k in range(26)
        ]
        rnd.shuffle(initials)
        names += initials[: count - len(pairs)]
    if len(names) < count:
        raise SystemExit(f"at most {len(names)} unique names can be generated")
    return names


def ascii_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return folded.translate(str.maketrans("ØøŁłİıßÆæŒœ", "OoLlIisAaOo"))


class Vault:
    def __init__(
        self, out: Path, contacts: int, years: int, seed: int, end: date, shared_aliases: int = 0
    ) -> None:
        self.out = out
        self.shared_aliases = shared_aliases
        self.rnd = random.Random(seed)
        self.end = end
        self.span = max(years * 365, 30)
        self.stats = Stats(contacts=contacts)
        self.folders: set[Path] = set()
        self.people: list[Person] = []
        self.sector = weighted(self.rnd, {k: w for k, (w, _) in SECTORS.items()})
        self.country = weighted(self.rnd, COUNTRIES)
        self.met = weighted(self.rnd, MET)

    def day(self, back: int) -> date:
        return self.end - timedelta(days=back)

    def write(self, rel: str, text: str, crlf: bool = False) -> None:
        path = self.out / rel
        if path.parent not in self.folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.folders.add(path.parent)
        data = (text.replace("\n", "\r\n") if crlf else text).encode("utf-8")
        path.write_bytes(data)
        self.stats.files += 1
        self.stats.bytes += len(data)

    # -- people ---------------------------------------------------------------------------

    def make_people(self) -> None:
        rnd = self.rnd
        names = make_names(rnd, self.stats.contacts)
        taken = {n.casefold() for n in names}
        circle = weighted(rnd, CIRCLES)
        folder = weighted(rnd, SUBFOLDERS)
        for name in names:
            sub = folder()
            person = Person(name, f"People/{sub}/{name}" if sub else f"People/{name}", circle())
            if rnd.random() < 0.2:
                first, last = name.split(" ", 1)
                options = [f"{first} {last[0]}.", ascii_fold(name), NICKNAMES.get(first, "")]
                alias = options[rnd.randrange(3)]
                if alias and alias != name and alias.casefold() not in taken:
                    taken.add(alias.casefold())
                    person.alias = alias
            if self.shared_aliases:  # every contact a first name that hundreds share
                person.alias = FIRST[len(self.people) % self.shared_aliases]
            self.people.append(person)
        weights = [MENTION_WEIGHT[p.circle] for p in self.people]
        self.mention_cum = list(accumulate(weights))

    def pick(self, k: int) -> list[Person]:
        """Up to `k` distinct contacts, the closer circles more often."""
        total = self.mention_cum[-1]
        if total == 0:
            return []
        chosen: dict[str, Person] = {}
        for _ in range(k * 2):
            p = self.people[bisect(self.mention_cum, self.rnd.random() * total)]
            chosen.setdefault(p.name, p)
            if len(chosen) == k:
                break
        return list(chosen.values())

    def link(self, p: Person, in_table: bool = False) -> str:
        """A link to `p` in one of the forms Obsidian users write (DESIGN.md §3)."""
        r = self.rnd.random()
        first = p.name.split(" ", 1)[0]
        bar = "\\|" if in_table else "|"
        if r < 0.40:
            return f"[[{p.name}]]"
        if r < 0.55:
            return f"[[{p.name}{bar}{first}]]"
        if r < 0.63:
            return f"[[{p.name}#Log]]"
        if r < 0.65:
            return f"[[{p.name}#^note1]]"
        if r < 0.73:
            return f"[[{p.path}]]"
        if r < 0.75:
            return f"[[{p.name}.md]]"
        if r < 0.85 and p.alias:
            return f"[[{p.alias}]]"
        return f"[{first}]({p.path.replace(' ', '%20')}.md)"

    def interactions(self, p: Person) -> list[tuple[int, str]]:
        """(age in days, kind) of one contact's records, newest first."""
        rnd = self.rnd
        low, high, mean = PER_CIRCLE[p.circle]
        count = rnd.randint(low, high)
        ages = []
        for _ in range(count):
            if p.circle == "dormant":
                old = min(400, self.span // 2)
                ages.append(rnd.randint(old, self.span - 1))
            else:
                ages.append(min(int(rnd.expovariate(1 / mean)), self.span - 1))
        ages.sort()
        return [(age, KINDS[rnd.randrange(len(KINDS))]) for age in ages]

    def contact_note(self, p: Person) -> str:
        rnd = self.rnd
        sector = self.sector()
        fm = ["---"]
        if p.alias:
            if rnd.random() < 0.5:
                fm.append(f"aliases: [{scalar(p.alias)}]")
            else:
                fm += ["aliases:", f"  - {scalar(p.alias)}"]
        extra = [t for t in TAGS if rnd.random() < 0.12][:2]
        if rnd.random() < 0.6:
            fm.append("tags: [" + ", ".join(["person", *extra]) + "]")
        else:
            fm += ["tags:", *(f"  - {t}" for t in ["person", *extra])]
        if p.circle:
            fm.append(f"circle: {p.circle}")
        if rnd.random() < 0.15:
            fm.append(f"cadence: {rnd.choice(['30', '2w', '3m', '45d', '6w', '1y', '14'])}")
        if rnd.random() < 0.95:
            fm.append(f"sector: {scalar(sector)}")
        if rnd.random() < 0.93:
            fm.append(f"profession: {scalar(rnd.choice(SECTORS[sector][1]))}")
        if rnd.random() < 0.9:
            fm.append(f"country: {scalar(self.country())}")
        if rnd.random() < 0.03:
            fm.append(f"met: {scalar(rnd.choice(MET_EVENTS))}")
        elif rnd.random() < 0.85:
            fm.append(f"met: {scalar(self.met())}")
        company = rnd.choice(COMPANIES)
        fm += self.details(p, company)
        records = self.interactions(p)
        oldest = records[-1][0] if records else rnd.randint(0, self.span)
        if rnd.random() < 0.7:
            fm.append(f"since: {self.day(oldest + rnd.randint(0, 900))}")
        if rnd.random() < 0.3:
            month, dom = rnd.randint(1, 12), rnd.randint(1, 28)
            year = self.end.year - rnd.randint(22, 70)
            if rnd.random() < 0.01:
                month, dom, year = 2, 29, year - year % 4  # born on a leap day
            prefix = "-" if rnd.random() < 0.4 else year
            fm.append(f"birthday: {prefix}-{month:02}-{dom:02}")
        if rnd.random() < 0.03:
            fm.append(f"follow_up: {self.day(rnd.randint(-20, 60))}")
        if rnd.random() < 0.02:
            fm.append(f"snooze_until: {self.day(-rnd.randint(1, 40))}")
        if rnd.random() < 0.01:
            fm.append("paused: true")
        if rnd.random() < 0.05:
            known = {q.name for q in rnd.sample(self.people, 3)[: rnd.randint(1, 3)]} - {p.name}
            if known:
                fm += ["knows:", *(f'  - "[[{k}]]"' for k in sorted(known))]
        style = rnd.random()  # where this person's records live: property, body log or both
        to_property = [style < 0.45 or (style > 0.8 and k % 2 == 1) for k in range(len(records))]
        in_property = [r for r, up in zip(records, to_property, strict=True) if up]
        in_body = [r for r, up in zip(records, to_property, strict=True) if not up]
        if in_property:
            fm.append("interactions:")
            for age, kind in in_property:
                fm += self.property_entry(age, kind)
        fm.append("---")
        self.stats.records["property"] += len(in_property)
        return "\n".join(fm) + "\n" + self.contact_body(p, in_body)

    def details(self, p: Person, company: str) -> list[str]:
        """The contact details and the like that people keep among a contact's properties."""
        rnd = self.rnd
        first, last = (ascii_fold(part).lower().replace("'", "") for part in p.name.split(" ", 1))
        digits = " ".join(f"{rnd.randrange(100):02}" for _ in range(4))
        candidates = [
            (0.85, [f"company: {company}"]),
            (0.75, [f"role: {rnd.choice(ROLES)}"]),
            (0.5, [f"team: {rnd.choice(TEAMS)}"]),
            (0.8, [f"city: {scalar(rnd.choice(CITIES))}"]),
            (0.8, [f"email: {first}.{last}@{company.lower()}.example"]),
            (0.5, [f'phone: "+33 6 {digits}"']),
            (0.6, [f"linkedin: https://www.linkedin.com/in/{first}-{last}"]),
            (0.2, [f"github: {first}{last[:3]}"]),
            (0.15, [f"website: https://{last}.example"]),
            (0.2, [f"pronouns: {rnd.choice(PRONOUNS)}"]),
            (0.5, ["languages: [" + ", ".join(rnd.sample(LANGUAGES, 2)) + "]"]),
            (0.4, [f"education: {rnd.choice(DEGREES)}, {rnd.choice(SCHOOLS)}"]),
            (0.6, ["interests:", *(f"  - {i}" for i in rnd.sample(INTERESTS, rnd.randint(2, 5)))]),
            (0.5, ["skills:", *(f"  - {k}" for k in rnd.sample(SKILLS, rnd.randint(2, 4)))]),
            (0.25, [f'projects: ["[[Project {rnd.randrange(50):03}]]"]']),
            (0.5, [f"summary: {scalar(self.fill(rnd.choice(ABOUT), p.name.split()[0]))}"]),
            (0.9, [f"created: {self.day(rnd.randint(30, self.span))}"]),
            (0.7, [f"updated: {self.day(rnd.randint(0, 300))}"]),
            (0.3, [f"reviewed: {self.day(rnd.randint(0, 200))}"]),
        ]
        return [line for chance, lines in candidates if rnd.random() < chance for line in lines]

    def fill(self, template: str, first: str = "") -> str:
        rnd = self.rnd
        topic, topic2 = rnd.sample(TOPICS, 2)
        city, city2 = rnd.sample(CITIES, 2)
        interest, interest2 = rnd.sample(INTERESTS, 2)
        return template.format(
            first=first,
            team=rnd.choice(TEAMS),
            company=rnd.choice(COMPANIES),
            topic=topic,
            topic2=topic2,
            event=rnd.choice(EVENTS),
            city=city,
            city2=city2,
            channel=rnd.choice(CHANNELS),
            sector=self.sector(),
            interest=interest,
            interest2=interest2,
        )

    def property_entry(self, age: int, kind: str) -> list[str]:
        rnd = self.rnd
        day = self.day(age)
        r = rnd.random()
        when = (
            str(day) if r < 0.85 else f'"{day}"' if r < 0.93 else f"{day}T{rnd.randint(8, 20)}:30"
        )
        lines = [f"  - date: {when}"]
        if rnd.random() < 0.9:
            lines.append(f"    kind: {kind}")
        if rnd.random() < 0.5:
            lines.append(f"    minutes: {rnd.choice(MINUTES)}")
        if rnd.random() < 0.15:
            lines.append(f"    gave: {'true' if rnd.random() < 0.4 else rnd.choice(GIVEN)}")
        if rnd.random() < 0.1:
            lines.append(f"    asked: {rnd.choice(ASKED)}")
        if rnd.random() < 0.2:
            lines.append("    news: true")
        if rnd.random() < 0.3:
            lines.append(f"    note: {scalar('talked about: ' + rnd.choice(TOPICS))}")
        return lines

    def contact_body(self, p: Person, records: list[tuple[int, str]]) -> str:
        rnd = self.rnd
        first = p.name.split(" ", 1)[0]
        about = [self.fill(t, first) for t in rnd.sample(ABOUT, rnd.randint(3, 7))]
        body = ["", f"{first} works at {rnd.choice(COMPANIES)} in {rnd.choice(CITIES)}; "]
        body[-1] += f"interested in {rnd.choice(TOPICS)}. " + " ".join(about)
        body.append("")
        if rnd.random() < 0.7:
            more = [self.fill(t, first) for t in rnd.sample(ABOUT, rnd.randint(3, 7))]
            body += [" ".join(more), ""]
        if rnd.random() < 0.04:
            other = self.people[rnd.randrange(len(self.people))]
            if other is not p:
                body += [f"Introduced by [[{other.name}]].", ""]
        if rnd.random() < 0.7:
            notes = [f"- {self.fill(t)}" for t in rnd.sample(NOTES, rnd.randint(2, 6))]
            body += ["## Notes", "", f"- Ask about {rnd.choice(TOPICS)}", *notes, ""]
        if rnd.random() < 0.35:
            body += ["## Meetings", ""]
            for age, kind in records[: rnd.randint(1, 3)]:
                text = " ".join(self.fill(t, first) for t in rnd.sample(ABOUT, rnd.randint(2, 3)))
                body += [f"### {self.day(age)} {kind}", "", text, ""]
        body.append("## Log")
        body.append("")
        for age, kind in reversed(records):
            body.append(self.log_line(age, kind))
        if rnd.random() < 0.05:
            body.append(f"- [ ] {self.day(-rnd.randint(1, 30))} call: plan #asked")
        return "\n".join(body) + "\n"

    def log_line(self, age: int, kind: str) -> str:
        """One body-log line (DESIGN.md §3, source 2) in one of its written forms."""
        rnd = self.rnd
        day = str(self.day(age))
        self.stats.records["body log"] += 1
        r = rnd.random()
        topic = rnd.choice(TOPICS)
        if r < 0.35:
            tag = rnd.choice(["", "", " #asked", " #gave", " #news", " #News"])
            return f"- {day} {kind}: {topic}{tag}"
        if r < 0.6:
            fields = f" [minutes:: {rnd.choice(MINUTES)}]"
            if rnd.random() < 0.3:
                fields += f" [gave:: {rnd.choice(GIVEN)}]"
            if rnd.random() < 0.15:
                fields += f" [asked:: {rnd.choice(ASKED)}]"
            return f"- {day} {kind}{fields}"
        if r < 0.72:
            return f"- [[{day}]] {kind} — {topic}"
        if r < 0.82:
            return (
                f"- {day} {rnd.randint(8, 20):02}:{rnd.choice(['00', '30'])} {kind} (minutes:: 30)"
            )
        if r < 0.9:
            return f"- [x] {day} {kind}: {topic}"
        if r < 0.95:
            return f"- {day} {kind}: {topic}\n  - follow-up on {rnd.choice(TOPICS)}"
        return f"- {day} #news {topic}"

    def people_notes(self) -> None:
        for p in self.people:
            self.write(f"{p.path}.md", self.contact_note(p), crlf=self.rnd.random() < 0.005)

    # -- daily, meeting and other notes -----------------------------------------------------

    def daily_notes(self) -> None:
        rnd = self.rnd
        for back in range(self.span):
            if back and rnd.random() < 0.12:
                continue  # a day without a note
            day = self.day(back)
            mentioned: set[str] = set()
            parts = [
                f"# {WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}",
                "",
            ]
            for _ in range(rnd.randint(3, 8)):
                parts.append(self.daily_block(mentioned))
                parts.append("")
            for _ in range(rnd.randint(2, 3)):
                journal = rnd.sample(JOURNAL, rnd.randint(2, 4))
                parts += [" ".join(self.fill(t) for t in journal), ""]
            if rnd.random() < 0.7:
                chores = rnd.sample(CHORES, rnd.randint(2, 4))
                parts += ["## To do", *(f"- [{rnd.choice(' x')}] {self.fill(c)}" for c in chores)]
                parts.append("")
            self.stats.records["daily mention"] += len(mentioned)
            self.write(f"Daily/{day}.md", "\n".join(parts))

    def daily_block(self, counted: set[str]) -> str:
        """One block of a daily note; the contacts it really mentions go into `counted`."""
        rnd = self.rnd
        people = self.pick(3)
        if not people:
            return "Quiet day."
        a, b, c = people[0], people[-1], people[1 % len(people)]
        topic = rnd.choice(TOPICS)
        r = rnd.random()
        if r < 0.2:
            counted.add(a.name)
            tag = rnd.choice(["", " #news", " #gave", " #asked", " [minutes:: 45]"])
            return f"Coffee with {self.link(a)} about {topic}.{tag}"
        if r < 0.32:
            counted.update((a.name, b.name))
            return f"Lunch with {self.link(a)} and {self.link(b)}; {topic}. #news"
        if r < 0.5:
            counted.update((a.name, c.name))
            return "\n".join(
                ["## Tasks", f"- [ ] call {self.link(b)}", f"- [x] called {self.link(a)} #gave"]
                + [f"- [-] lunch with {self.link(b)}", f"- [x] wrote to {self.link(c)}"]
            )
        if r < 0.6:
            counted.add(a.name)
            return f"- Met {self.link(a)} at the meetup\n  - talked about {topic}"
        if r < 0.68:
            counted.add(a.name)
            return f"> [!note] Idea from {self.link(a)}\n> {topic}, worth a try"
        if r < 0.75:
            return f"> {self.link(a)} once said: ask about {topic}."
        if r < 0.82:
            return f"```text\nnotes for [[{a.name}]]\n```\nSee `[[{b.name}]]` later."
        if r < 0.9:
            counted.update((a.name, b.name))
            return "\n".join(
                [
                    "| who | what |",
                    "|---|---|",
                    f"| {self.link(a, in_table=True)} | {topic} #gave |",
                    f"| {self.link(b, in_table=True)} | catch-up |",
                ]
            )
        if r < 0.94:
            return f"%% remember [[{a.name}]] %% and ![[{b.name}]]"
        counted.add(a.name)
        return f"### With {self.link(a)}\n\nWe discussed {topic}."

    def meeting_notes(self) -> None:
        rnd = self.rnd
        for k in range(max(self.stats.contacts // 50, 1)):
            people = self.pick(rnd.randint(2, 5))
            if not people:
                break
            day = self.day(rnd.randrange(self.span))
            key = rnd.choice(["attendees", "attendees", "attendees", "people", "with"])
            if key == "with":
                people = people[:1]
            forms = [f'"[[{p.name}]]"' if rnd.random() < 0.8 else scalar(p.name) for p in people]
            fm = ["---", f"date: {day}" if rnd.random() < 0.8 else f"date: {day}T10:00"]
            if key == "with" and len(people) == 1:
                fm.append(f"with: {forms[0]}")
            else:
                fm += [f"{key}:", *(f"  - {f}" for f in forms)]
            fm += ["tags: [meeting]", "---"]
            body = [f"# {rnd.choice(TOPICS).capitalize()}", "", f"- Action: {self.link(people[0])}"]
            self.stats.records["meeting"] += len(people)
            self.write(f"Meetings/{day} Meeting {k:04}.md", "\n".join(fm + body) + "\n")

    def other_notes(self) -> None:
        for k in range(max(self.stats.contacts // 200, 1)):
            links = ", ".join(f"[[{p.name}]]" for p in self.pick(4))
            self.write(
                f"Projects/Project {k:03}.md",
                f"---\nstatus: active\n---\n# Project {k:03}\n\nPeople: {links}\n",
            )
        self.write(
            "Templates/Person.md",
            "---\ntags:\n  - person\ncircle: acquaintance\nsector:\ncountry:\n---\n"
            "Met {{date}}.\n\n## Log\n",
        )
        for name, data in (
            ("daily-notes.json", {"folder": "Daily", "format": "YYYY-MM-DD"}),
            ("templates.json", {"folder": "Templates"}),
            ("app.json", {"alwaysUpdateLinks": True}),
        ):
            self.write(f".obsidian/{name}", json.dumps(data, indent=2) + "\n")


def generate(
    out: Path,
    contacts: int = 10_000,
    years: int = 3,
    seed: int = 1,
    end: date = date(2026, 11, 22),
    shared_aliases: int = 0,
) -> Stats:
    """Write the vault into `out` (which must be empty or missing); return what was written.

    `shared_aliases`: every contact gets as its alias one of that many first names (the
    issue-21 vault where 10,000 contacts share 20 aliases, 500 each), and nothing else changes.
    """
    if out.exists() and any(out.iterdir()):
        raise SystemExit(f"{out} exists and is not empty: give a new folder")
    vault = Vault(out, contacts, years, seed, end, shared_aliases)
    vault.make_people()
    vault.people_notes()
    vault.daily_notes()
    vault.meeting_notes()
    vault.other_notes()
    return vault.stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("out", metavar="OUT", type=Path, help="a new (or empty) folder")
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--years", type=int, default=3, help="years of daily notes")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--end-date", type=date.fromisoformat, default=date(2026, 11, 22))
    parser.add_argument(
        "--shared-aliases", type=int, default=0, help="every alias one of N first names"
    )
    args = parser.parse_args(argv)
    if args.contacts < 1 or args.years < 1:
        parser.error("--contacts and --years must be at least 1")
    start = time.perf_counter()
    stats = generate(
        args.out, args.contacts, args.years, args.seed, args.end_date, args.shared_aliases
    )
    elapsed = time.perf_counter() - start
    records = ", ".join(f"{n:,} {k}" for k, n in sorted(stats.records.items()))
    print(
        f"{stats.contacts:,} contacts, {stats.files:,} files, {stats.bytes / 1e6:.1f} MB, "
        f"{sum(stats.records.values()):,} interaction records ({records}) "
        f"in {args.out} ({elapsed:.2f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
