"""The fast frontmatter path gives exactly PyYAML's C loader result, or steps aside."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from entraide.parse import frontmatter
from entraide.parse.fastyaml import fast_load

SCALARS = [
    "x",
    "Jane Doe",
    "yes",
    "No",
    "off",
    "ON",
    "true",
    "null",
    "~",
    "1",
    "-5",
    "0x1f",
    "1:20",
    "1_000",
    "3.0",
    ".inf",
    "1e3",
    "2026-11-22",
    "2026-02-30",
    "2026-11-22 10:30:00",
    "2026-11-22T10:30",
    "2026-1-5",
    "--11-27",
    "-",
    "R&D",
    "a: b",
    "a:b",
    "x #c",
    "#c",
    "*x",
    "&a x",
    "!tag x",
    '"quoted"',
    "'single'",
    '"a \\" b"',
    "'it''s'",
    '"[[Jane Doe]]"',
    "[a, b]",
    "[]",
    "[ ]",
    '["[[X]]", "[[Y|y]]"]',
    "[[X]]",
    "[a, [b]]",
    "{a: 1}",
    "|",
    ">",
    "@x",
    "`x`",
    "é",
    "a,b",
    "[a,]",
    "=",
    "<<",
    "? x",
    ": x",
    "%x",
]
SIMPLE = [
    "x",
    "Jane Doe",
    "yes",
    "No",
    "1",
    "-5",
    "1:20",
    "3.0",
    "1e3",
    "2026-11-22",
    "2026-02-30",
    "2026-11-22 10:30:00",
    "--11-27",
    "R&D",
    '"quoted"',
    "'single'",
    '"[[Jane Doe]]"',
    "[a, b]",
    "[]",
    '["[[X]]", "[[Y|y]]"]',
    "é",
    "~",
    "",
    "0x1f",
    ".nan",
]
KEYS = [f"key{n}" for n in range(12)] + ["tags", "snake_case", "with-dash", "yes", "null", "é"]


def load_slow(text: str) -> tuple[Any, dict[tuple[str | int, ...], int]]:
    lines: dict[tuple[str | int, ...], int] = {}
    loader = frontmatter._Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        frontmatter._check_nodes(node, lines, 2)
        return loader.construct_document(node), lines
    finally:
        loader.dispose()


def typed(value: Any) -> Any:
    """Values with their types (and a bad date's line), so equal means identical."""
    if isinstance(value, dict):
        return {k: typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [typed(v) for v in value]
    return (type(value).__name__, value)


entry = st.tuples(st.sampled_from(KEYS), st.sampled_from(SCALARS))
block_item = st.one_of(
    st.sampled_from(SCALARS),
    st.lists(
        st.tuples(st.sampled_from(["date", "kind", "gave", "yes"]), st.sampled_from(SCALARS)),
        min_size=1,
        max_size=3,
    ),
)
document = st.lists(
    st.one_of(
        entry.map(lambda kv: f"{kv[0]}: {kv[1]}"),
        st.tuples(
            st.sampled_from(KEYS),
            st.lists(block_item, min_size=1, max_size=3),
            st.sampled_from(["", "  "]),
        ).map(
            lambda t: (
                f"{t[0]}:\n"
                + "\n".join(
                    f"{t[2]}- {item}"
                    if isinstance(item, str)
                    else "\n".join(
                        (f"{t[2]}- " if n == 0 else f"{t[2]}  ") + f"{k}: {v}"
                        for n, (k, v) in enumerate(item)
                    )
                    for item in t[1]
                )
            )
        ),
        st.sampled_from(["", "key:", "  indented: 1", "- top", "...", "key: a\n  continued"]),
        entry.map(lambda kv: f"{kv[0]}: {kv[1]}"),
    ),
    max_size=6,
)


@settings(max_examples=600, deadline=None)
@given(document)
def test_fast_path_equals_the_c_loader(rows: list[str]) -> None:
    text = "\n".join(rows) + "\n"
    lines: dict[tuple[str | int, ...], int] = {}
    fast = fast_load(text, lines, 2, frontmatter._CONSTRUCTOR)
    if fast is None:
        return
    try:
        slow, slow_lines = load_slow(text)
    except (yaml.YAMLError, ValueError, TypeError) as exc:  # pragma: no cover - a bug
        raise AssertionError(f"fast path read invalid YAML: {text!r}") from exc
    assert typed(fast) == typed(slow or {})
    assert lines == slow_lines


def test_the_fast_path_takes_a_typical_contact() -> None:
    text = (
        "tags: [person]\ncircle: close\nsector: Finance\nsince: 2019-03-15\nbirthday: --11-27\n"
        'aliases: [Bru, "B. S."]\nknows: ["[[Chloé Martin]]"]\npaused: false\ninteractions:\n'
        "  - date: 2026-11-02\n    kind: dinner\n    news: true\n  - date: 2026-02-30\n"
    )
    lines: dict[tuple[str | int, ...], int] = {}
    fast = fast_load(text, lines, 2, frontmatter._CONSTRUCTOR)
    assert fast is not None
    slow, slow_lines = load_slow(text)
    assert typed(fast) == typed(slow) and lines == slow_lines
