"""Hybrid retrieval: BM25 and two dense spaces (all-MiniLM-L6-v2, multilingual-e5-small),
fused by a weighted sum of normalised scores (or reciprocal rank), adjusted by two
priors (reference lists, table extremes), then de-duplicated so overlapping or
repeated passages do not fill the top k.

The weights depend on the query's language: Indonesian queries lean on the
multilingual space, English ones use both. They were chosen on the odd-numbered
questions of `tests/eval/questions.jsonl` and `tests/eval/heldout.jsonl` and checked
on the even ones; `bench/beir.py` checks the English fusion on BEIR SciFact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.index.library import Library
from assistant.lang.detect import detect_language
from assistant.lang.glossary import expand, to_english
from assistant.lang.stem import stem_tokens
from assistant.model import Hit, SearchFilters
from assistant.search.tables import extreme_of, extreme_row, value_numbers

MODES = ("bm25", "dense", "multilingual", "hybrid")

# A bibliography's passages hold many titles, so they match almost any question, in words and
# in meaning, yet answer only questions about sources: they are down-weighted for the rest.
_BIBLIOGRAPHY = re.compile(
    r"^\s*(?:references|bibliography|works cited|literature cited|daftar pustaka|referensi|kepustakaan)\b",
    re.IGNORECASE,
)
_ASKS_FOR_SOURCES = re.compile(
    r"\b(?:cite[sd]?|citing|citation|references?|sources?|doi|bibliograph\w*|publish\w*|publication|conference"
    r"|journal|proceedings|(?:which|what) (?:\d{4} )?(?:study|studies|paper|article|report)"
    r"|dikutip|mengutip|kutipan|rujukan|referensi|sumber|pustaka|jurnal|konferensi|terbit|diterbitkan"
    r"|studi mana|penelitian siapa|judul)\b",
    re.IGNORECASE,
)


def asks_for_sources(query: str) -> bool:
    """Whether `query` asks about sources (references, citations, publications)."""
    return bool(_ASKS_FOR_SOURCES.search(query))


def in_bibliography(hit: Hit) -> bool:
    """Whether the hit lies in a reference list (its section, or a section above it)."""
    return any(_BIBLIOGRAPHY.match(part) for part in (hit.passage.section or "").split(" > "))


@dataclass(frozen=True)
class FusionWeights:
    bm25: float
    dense: float  # all-MiniLM-L6-v2
    multilingual: float  # multilingual-e5-small


@dataclass(frozen=True)
class RetrievalConfig:
    """How the retrievers are combined."""

    candidates: int = 50  # from each retriever
    fusion: str = "score"  # "score" (normalised scores) or "rrf" (reciprocal rank)
    rrf_k: int = 60
    weights: dict[str, FusionWeights] = field(
        default_factory=lambda: {
            "en": FusionWeights(bm25=1.0, dense=0.5, multilingual=0.5),
            "id": FusionWeights(bm25=1.0, dense=0.6, multilingual=1.0),
        }
    )
    dedup_overlap: float = 0.5  # share of the shorter passage's characters
    dedup_jaccard: float = 0.8  # word-set similarity of near-duplicate text
    bibliography_weight: float = 0.5  # score factor of reference-list passages, unless sources are asked for
    table_extremes: bool = True  # "which TPS received the most waste": the row holding the maximum first


def score_fuse(rankings: dict[str, list[tuple[int, float]]], weights: dict[str, float]) -> list[tuple[int, float]]:
    """Weighted sum of min-max normalised scores: each retriever's best candidate scores 1,
    its worst 0. Unlike rank fusion, a retriever that is far surer of one passage says so."""
    scores: dict[int, float] = {}
    for name, ranked in rankings.items():
        w = weights.get(name, 0.0)
        if w <= 0 or not ranked:
            continue
        values = [v for _, v in ranked]
        hi, lo = max(values), min(values)
        for pid, v in ranked:
            scores[pid] = scores.get(pid, 0.0) + w * ((v - lo) / (hi - lo) if hi > lo else 1.0)
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


def rrf_fuse(rankings: dict[str, list[int]], weights: dict[str, float], k: int) -> list[tuple[int, float]]:
    """Weighted reciprocal rank fusion: score(p) = sum_r w_r / (k + rank_r(p))."""
    scores: dict[int, float] = {}
    for name, ranked in rankings.items():
        w = weights.get(name, 0.0)
        if w <= 0:
            continue
        for rank, pid in enumerate(ranked, 1):
            scores[pid] = scores.get(pid, 0.0) + w / (k + rank)
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


def deduplicate(hits: list[Hit], k: int, overlap: float = 0.5, jaccard: float = 0.8) -> list[Hit]:
    """The first k hits, skipping any that mostly overlaps, or nearly repeats, one already kept."""
    kept: list[Hit] = []
    words: list[set[str]] = []
    for hit in hits:
        p = hit.passage
        w = set(stem_tokens(p.text))
        duplicate = False
        for other, ow in zip(kept, words, strict=True):
            q = other.passage
            if q.doc_id == p.doc_id:
                shared = min(p.end, q.end) - max(p.start, q.start)
                if shared > overlap * min(p.end - p.start, q.end - q.start):
                    duplicate = True
                    break
            if w and ow and len(w & ow) / len(w | ow) >= jaccard:
                duplicate = True
                break
        if not duplicate:
            kept.append(hit)
            words.append(w)
            if len(kept) == k:
                break
    return kept


class Retriever:
    """Searches a Library with one retriever or the fusion of all of them."""

    def __init__(self, library: Library, config: RetrievalConfig | None = None) -> None:
        self.library = library
        self.config = config or RetrievalConfig()

    def rankings(
        self,
        query: str,
        filters: SearchFilters | None = None,
        parts: tuple[str, ...] = ("bm25", "dense", "multilingual"),
    ) -> dict[str, list[tuple[int, float]]]:
        """Each retriever's ranked (passage id, score) list for `query`."""
        lib, n = self.library, self.config.candidates
        docs = lib.admitted_docs(filters)
        out: dict[str, list[tuple[int, float]]] = {}
        language = detect_language(query)
        if "bm25" in parts:
            out["bm25"] = lib.lexical_search(expand(query), n, docs)
        # "fake" is the tests' stand-in for the English dense model.
        dense = "minilm" if "minilm" in lib.spaces else "fake"
        for name, space in (("dense", dense), ("multilingual", "e5")):
            if name in parts and space in lib.spaces:
                text = to_english(query) if name == "dense" and language == "id" else query
                vector = lib.embedder(space).embed_queries([text])[0]
                out[name] = lib.dense_search(space, vector, n, docs)
        return out

    def search(
        self,
        query: str,
        k: int = 10,
        filters: SearchFilters | None = None,
        mode: str = "hybrid",
        language: str | None = None,
    ) -> list[Hit]:
        """The k best passages for `query`, de-duplicated, with per-retriever scores."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        weights: dict[str, float] = {}
        if mode == "hybrid":
            w = self.config.weights[language or detect_language(query)]
            weights = {"bm25": w.bm25, "dense": w.dense, "multilingual": w.multilingual}
            parts = tuple(name for name, weight in weights.items() if weight > 0)
        else:
            parts = (mode,)
        ranked = self.rankings(query, filters, parts)
        per_part = {name: dict(r) for name, r in ranked.items()}
        if mode == "hybrid":
            if self.config.fusion == "rrf":
                fused = rrf_fuse({n: [pid for pid, _ in r] for n, r in ranked.items()}, weights, self.config.rrf_k)
            else:
                fused = score_fuse(ranked, weights)
        else:
            fused = ranked.get(mode, [])
        scored = [
            (pid, score, {n: s[pid] for n, s in per_part.items() if pid in s}) for pid, score in fused[: max(k * 4, 20)]
        ]
        hits = self.library.hits(scored)
        if mode == "hybrid":
            hits = self._prefer_answers(query, hits)
        return deduplicate(hits, k, self.config.dedup_overlap, self.config.dedup_jaccard)

    def _extreme_first(self, query: str, extreme: str, hits: list[Hit]) -> list[Hit]:
        """The row holding the asked extreme, first. Its table is the one, among those of the
        top hits, whose title and description hold the question's numbers ("in 2016") and share
        most words with it (every row of a table repeats them, so no row ranks on them), the
        better ranked on a tie."""
        asked = set(stem_tokens(expand(query), drop_stopwords=True))
        numbers = set(value_numbers(query))
        tables = list(dict.fromkeys(h.passage.doc_id for h in hits[:10] if h.passage.rows))

        def fit(doc_id: str) -> tuple[int, int]:
            doc = self.library.document(doc_id)
            about = set(stem_tokens(f"{doc.title} {doc.description or ''}")) if doc else set()
            return len(numbers & about), len(asked & about)

        doc_id = max(tables, key=lambda d: (fit(d), -tables.index(d)))
        doc = self.library.document(doc_id)
        passage = extreme_row(
            self.library.passages_of(doc_id),
            self.library.text(doc_id),
            query,
            extreme,
            doc.description if doc else None,
        )
        if passage is None:
            return hits
        found = next((h for h in hits if h.passage.id == passage.id), None)
        scores = dict(found.scores) if found else {}
        scores["table_extreme"] = 1.0
        promoted = Hit(passage, hits[0].score, scores, doc)
        return [promoted, *(h for h in hits if h.passage.id != passage.id)]

    def _prefer_answers(self, query: str, hits: list[Hit]) -> list[Hit]:
        """Priors no ranking function knows: reference lists answer only questions about
        sources, and a question about a table's extreme is answered by one row."""
        weight = self.config.bibliography_weight
        if weight != 1.0 and not asks_for_sources(query):
            rescored = [(h.score * weight if in_bibliography(h) else h.score, i, h) for i, h in enumerate(hits)]
            rescored.sort(key=lambda t: (-t[0], t[1]))
            hits = [h for _, _, h in rescored]
        extreme = extreme_of(query) if self.config.table_extremes else None
        if extreme and any(h.passage.rows for h in hits[:3]):
            hits = self._extreme_first(query, extreme, hits)
        return hits
