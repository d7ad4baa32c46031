"""Indonesian morphology, kept simple: prefixes and suffixes (`data/affixes-id.toml`) stripped
to find the root a glossary or a word comparison knows. Snowball stems for search are in
`assistant.lang.stem`."""

from __future__ import annotations

from functools import cache

from assistant.lang.data import read_toml


@cache
def _affixes() -> tuple[tuple[str, ...], tuple[str, ...]]:
    table = read_toml("affixes-id.toml")
    prefixes, suffixes = (tuple(sorted(table[kind], key=len, reverse=True)) for kind in ("prefixes", "suffixes"))
    return prefixes, suffixes


def prefixes() -> tuple[str, ...]:
    """The Indonesian prefixes, longest first."""
    return _affixes()[0]


def _strip_prefix(word: str) -> str:
    return next((word[len(p) :] for p in prefixes() if word.startswith(p)), word)


def _strip_suffix(word: str) -> str:
    return next((word[: -len(s)] for s in _affixes()[1] if word.endswith(s)), word)


@cache
def strip_affixes(word: str) -> tuple[str, ...]:
    """Candidate roots of an Indonesian word, most stripped first: 'dicakupnya' ->
    ('cakup', 'cakupnya', 'dicakup'). A suffix is stripped only from words of more than
    five letters; a root keeps at least four letters without its prefix, three without a
    suffix. Empty when nothing can be stripped."""
    stem = _strip_suffix(word) if len(word) > 5 else word
    out: list[str] = []
    for w in (stem, word):
        bare = _strip_prefix(w)
        if len(bare) >= 4 and bare != word:
            out.append(bare)
    if stem != word and len(stem) >= 3:
        out.append(stem)
    return tuple(dict.fromkeys(out))


def is_prefixed(word: str, root: str) -> bool:
    """Whether `word` is `root` with an Indonesian prefix: 'tercemar' of 'cemar'."""
    return word.endswith(root) and word[: len(word) - len(root)] in prefixes()
