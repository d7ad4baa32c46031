"""Hybrid retrieval: BM25 and two dense spaces (the English all-MiniLM-L6-v2 and the
multilingual multilingual-e5-small), fused (`fusion`), adjusted by priors (`priors`:
reference lists, table extremes; `definitions`: a defined term's definition first;
`articles`: a named Pasal first), then de-duplicated so
overlapping or repeated passages do not fill the top k.

The weights depend on the query's language and are data (`data/fusion.json`), fitted by
bench/fusion.py on training questions (questions.jsonl, the odd-numbered regulations,
SQuAD TRAIN articles) and checked on others (heldout.jsonl, the even-numbered regulations).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from assistant.config import Settings
from assistant.errors import QueryTooLongError
from assistant.index.library import Library
from assistant.lang.detect import detect_language
from assistant.lang.glossary import expand, to_english
from assistant.lang.regions import countries_in_regions
from assistant.lang.words import Language
from assistant.model import Hit, SearchFilters
from assistant.search.abbreviations import abbreviations, shortened
from assistant.search.articles import article_first, named_documents
from assistant.search.definitions import definition_first
from assistant.search.fusion import (
    FusionWeights,
    boost_documents,
    deduplicate,
    dictionary_earns_its_place,
    glossary_earns_its_place,
    learned_weights,
    lexicon_earns_its_place,
    rrf_fuse,
    score_fuse,
)
from assistant.search.priors import demote_bibliography, extreme_first
from assistant.search.tables import extreme_of

MODES = ("bm25", "dense", "multilingual", "hybrid")
# Retriever name -> the role of the embedding space it searches (see Library.space_for).
_DENSE_ROLES = {"dense": "english", "multilingual": "multilingual"}


def _max_query_chars() -> int:
    return Settings().max_query_chars


@dataclass(frozen=True)
class RetrievalConfig:
    """How the retrievers are combined."""

    candidates: int = 50  # from each retriever
    fusion: str = "score"  # "score" (normalised scores) or "rrf" (reciprocal rank)
    rrf_k: int = 60
    weights: dict[str, FusionWeights] = field(default_factory=learned_weights)  # data/fusion.json
    glossary: bool = field(
        default_factory=glossary_earns_its_place
    )  # the other language's domain terms added to BM25, an English rendering for MiniLM
    dictionary: bool = field(
        default_factory=dictionary_earns_its_place
    )  # an English query's other words gain the general dictionary's Indonesian for BM25
    lexicon: bool = field(
        default_factory=lexicon_earns_its_place
    )  # an Indonesian query's other words gain the lexicon's English (BM25, MiniLM's rendering)
    dedup_overlap: float = 0.5  # share of the shorter passage's characters
    dedup_jaccard: float = 0.8  # word-set similarity of near-duplicate text
    bibliography_weight: float = 0.5  # score factor of reference-list passages, unless sources are asked for
    table_extremes: bool = True  # "which TPS received the most waste": the row holding the maximum first
    articles: bool = True  # "Apa isi Pasal 13 UU 18/2008?": that Pasal first, then its Penjelasan
    definitions: bool = True  # "Apa yang dimaksud dengan KSDPL?": its definition first
    max_query_chars: int = field(default_factory=_max_query_chars)  # Settings.max_query_chars


class Retriever:
    """Searches a Library with one retriever or the fusion of all of them."""

    def __init__(self, library: Library, config: RetrievalConfig | None = None) -> None:
        self.library = library
        self.config = config or RetrievalConfig()

    def check_query(self, query: str) -> None:
        """Refuse a query longer than `max_query_chars` before any work is spent on it.

        Raises:
            QueryTooLongError: naming the query's length and the limit.
        """
        limit = self.config.max_query_chars
        if len(query) > limit:
            raise QueryTooLongError(
                f"the query is {len(query):,} characters long; the limit is {limit:,}",
                "shorten it to its question, or raise MITRA_MAX_QUERY_CHARS",
            )

    def rankings(
        self,
        query: str,
        filters: SearchFilters | None = None,
        parts: tuple[str, ...] = ("bm25", "dense", "multilingual"),
        language: Language | None = None,
    ) -> dict[str, list[tuple[int, float]]]:
        """Each retriever's ranked (passage id, score) list for `query`."""
        self.check_query(query)
        lib, n = self.library, self.config.candidates
        docs = lib.admitted_docs(filters)
        language = language or detect_language(query)
        out: dict[str, list[tuple[int, float]]] = {}
        # The lexicon's English for an Indonesian query reaches the English documents only:
        # an Indonesian document is searched with the query's own words.
        split = self.config.glossary and self.config.lexicon and language == "id"
        own, other = self._by_language(docs, language) if split else (docs, [])
        english = language == "en"  # BM25 finds Indonesian passages by their English glosses too

        def search(run: Callable[[list[str] | None, bool], list[tuple[int, float]]]) -> list[tuple[int, float]]:
            if not split:
                return run(docs, False)
            found = (run(own, False) if own else []) + (run(other, True) if other else [])
            return sorted(found, key=lambda x: -x[1])[:n]

        if "bm25" in parts:
            if self.config.glossary:
                # A region the query names ("di Eropa") reaches the rows naming its countries;
                # a long form it spells out, the passages writing its abbreviation.
                regions = " ".join(countries_in_regions(query))
                short = shortened(query, abbreviations(lib))
                out["bm25"] = search(
                    lambda d, wide: lib.lexical_search(
                        f"{expand(short, language, self.config.dictionary, wide)} {regions}", n, d, glosses=english
                    )
                )
            else:
                out["bm25"] = lib.lexical_search(query, n, docs, glosses=english)
        for name, role in _DENSE_ROLES.items():
            space = lib.space_for(role)
            if name in parts and space is not None:
                if self.config.glossary and role == "english" and language == "id":
                    out[name] = self._in_english(space, query, docs)
                else:
                    out[name] = lib.dense_search(space, lib.query_vector(space, query), n, docs)
        return out

    def _in_english(self, space: str, query: str, docs: list[str] | None) -> list[tuple[int, float]]:
        """MiniLM's ranking for an Indonesian `query`. MiniLM knows English only: it searches
        the documents in a known language (an Indonesian passage by its English gloss) with
        the query's English; one in no known language (an uncatalogued table, kept as it is)
        with the glossary's English only."""
        lib, n = self.library, self.config.candidates
        unsaid = {d.id for d in lib.documents() if d.language not in ("en", "id")}
        pool = [d.id for d in lib.documents() if docs is None or d.id in docs]
        said = [d for d in pool if d not in unsaid] if unsaid else docs
        found = lib.dense_search(space, lib.query_vector(space, to_english(query, self.config.lexicon)), n, said)
        if unsaid & set(pool):
            vector = lib.query_vector(space, to_english(query))
            found += lib.dense_search(space, vector, n, [d for d in pool if d in unsaid])
        return sorted(found, key=lambda x: -x[1])[:n]

    def _other_docs(self, language: Language) -> set[str]:
        """Ids of the documents in the other language than the query's."""
        return {d.id for d in self.library.documents() if d.language and d.language != language}

    def _by_language(self, docs: list[str] | None, language: Language) -> tuple[list[str], list[str]]:
        """The admitted documents (None: all) split into the query's language (or none said)
        and the other."""
        other = self._other_docs(language)
        pool = [d.id for d in self.library.documents() if docs is None or d.id in docs]
        return [d for d in pool if d not in other], [d for d in pool if d in other]

    def search(
        self,
        query: str,
        k: int = 10,
        filters: SearchFilters | None = None,
        mode: str = "hybrid",
        language: Language | None = None,
    ) -> list[Hit]:
        """The k best passages for `query`, de-duplicated, with per-retriever scores.

        Args:
            query: the question or keywords, in English or Bahasa Indonesia.
            k: how many passages.
            filters: which documents may answer.
            mode: one retriever ('bm25', 'dense', 'multilingual') or their fusion ('hybrid').
            language: the query's language; detected when None.

        Raises:
            QueryTooLongError: the query is longer than `max_query_chars`.
            ValueError: an unknown mode.
        """
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        self.check_query(query)
        language = language or detect_language(query)
        parts = self.config.weights[language].used() if mode == "hybrid" else (mode,)
        return self.rank(query, self.rankings(query, filters, parts, language), k, filters, mode, language)

    def rank(
        self,
        query: str,
        ranked: dict[str, list[tuple[int, float]]],
        k: int = 10,
        filters: SearchFilters | None = None,
        mode: str = "hybrid",
        language: Language | None = None,
    ) -> list[Hit]:
        """The k best passages from retrievers' rankings already made (`rankings`): fused
        (hybrid), adjusted by the priors, de-duplicated. `search` is `rankings` then this;
        bench/fusion.py calls it on cached rankings to compare fusion settings."""
        language = language or detect_language(query)
        per_part = {name: dict(r) for name, r in ranked.items()}
        weights = self.config.weights[language]
        if mode == "hybrid":
            parts = weights.as_dict()
            if self.config.fusion == "rrf":
                fused = rrf_fuse({n: [pid for pid, _ in r] for n, r in ranked.items()}, parts, self.config.rrf_k)
            elif weights.cross is None:
                fused = score_fuse(ranked, parts)
            else:
                fused = score_fuse(ranked, parts, weights.cross, self._other_language(ranked, language))
        else:
            fused = ranked.get(mode, [])
        named = set()
        if mode == "hybrid" and weights.named_document > 0:
            named = {d.id for d in named_documents(self.library, query, self.library.admitted_docs(filters))}
        keep = max(k * 4, 20)
        scored = [(pid, score, {n: s[pid] for n, s in per_part.items() if pid in s}) for pid, score in fused]
        hits = self.library.hits(scored if named else scored[:keep])
        if named:
            hits = boost_documents(hits, named, weights.named_document)[:keep]
        if mode == "hybrid":
            hits = self._prefer_answers(query, hits, filters)
        return deduplicate(hits, k, self.config.dedup_overlap, self.config.dedup_jaccard)

    def _other_language(self, ranked: dict[str, list[tuple[int, float]]], language: Language) -> set[int]:
        """The candidates of documents in the other language than the query's."""
        ids = sorted({pid for r in ranked.values() for pid, _ in r})
        other = self._other_docs(language)
        return {p.id for p in self.library.passages(ids) if p.doc_id in other}

    def _prefer_answers(self, query: str, hits: list[Hit], filters: SearchFilters | None) -> list[Hit]:
        """The priors: reference lists yield unless sources are asked for; a question about
        a table's extreme gets its row first; one asking what a defined term means gets its
        definition first; one naming a Pasal gets that Pasal first."""
        hits = demote_bibliography(query, hits, self.config.bibliography_weight)
        extreme = extreme_of(query) if self.config.table_extremes else None
        if extreme and any(h.passage.rows for h in hits[:3]):
            hits = extreme_first(self.library, query, extreme, hits)
        if self.config.definitions:
            hits = definition_first(self.library, query, hits, self.library.admitted_docs(filters))
        if self.config.articles:
            hits = article_first(self.library, query, hits, self.library.admitted_docs(filters))
        return hits
