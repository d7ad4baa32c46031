"""Extractive answers with verified citations, or an honest refusal.

No language model: the answer is made of the library's own sentences. The engine
retrieves the top passages (`gather`), cuts them into sentences (one per row for
tables, one per bulleted line), scores each sentence against the question and keeps
the best one to four (`select`) that add something and do not repeat each other.
Every kept sentence becomes a `Citation` whose quote is checked to be exactly
`library.text(doc_id)[start:end]` and the same characters of its stored passage
before it is returned; a sentence whose quote fails the check is dropped.

Scoring (`AnswerEngine.score`): the question becomes *term groups*: a word or phrase
with its glossary translations, everyday synonyms and the long forms of acronyms the
library defines ("MoU" = "memorandum of understanding"), or a number it names. Each
group weighs its inverse document frequency over the library's passages; rare names
weigh double, words the library never uses little. A sentence earns a group's weight
when it holds one of its forms (stems, prefixes such as 'produc'/'product', and
Indonesian-English cognates such as 'paradiplomasi'/'paradiplomacy'), part of it when
only its document's title, description, section or authors do, or the rest of its
passage. The covered share then meets the kind of answer the question wants ("what
share" a percentage, "when" a date, "how many" a number, "who"/"where" a name, "which
newspaper" a source; never one the question already states), is halved for each
number or rare name of the question the sentence lacks, and gets a bonus by its
passage's retrieval rank. Questions about a table's extreme ("which TPS received the
most waste") are answered from the whole table: the rows with the largest or
smallest value of the column the question names. A kept sentence that announces a
list ("...the following objectives:", "... First, ...") brings the list with it.

When the best sentence scores below `AnswerConfig.min_score` (calibrated on the
odd-numbered questions of the question set: `bench/answers.py`, `docs/answers.md`),
the engine abstains and returns the nearest passages instead.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from assistant.answer.citations import compose, make_citations, refusal_text
from assistant.answer.extend import continue_lists, reading_list, table_extreme
from assistant.answer.matching import Candidate, Evidence, _contains, _repeats, passage_units
from assistant.answer.question import (
    _CITATION,
    _NUMBER_WORDS,
    _ROW_NOISE,
    _WORD,
    QUESTION_STOPWORDS,
    QuestionProfile,
    TermGroup,
    acronyms_in,
    answer_kinds,
    glossary_table,
    numbers_in,
    root_variants,
    tokens,
    wanted_kinds,
)
from assistant.index.library import Library
from assistant.ingest.sentences import sentence_spans
from assistant.lang.detect import detect_language
from assistant.model import Answer, Hit, SearchFilters
from assistant.search.retriever import Retriever
from assistant.search.tables import extreme_of


@dataclass(frozen=True)
class AnswerConfig:
    """The engine's knobs. `min_score` was calibrated on the odd-numbered questions."""

    min_score: float = 0.55  # abstain when the best sentence scores less (calibrated)
    max_sentences: int = 4
    extra_ratio: float = 0.7  # a further sentence must score this share of the best ...
    extra_gain: float = 0.1  # ... and cover this share of the question's weight not yet covered
    neighbour_ratio: float = 0.2  # the sentence just before or after the best, if it scores this share ...
    neighbour_gain: float = 0.05  # ... and adds this much coverage
    row_tie_ratio: float = 0.99
    tie_ratio: float = 0.9  # sentences scoring this share of the best are kept without adding
    redundancy: float = 0.6  # word overlap above which a sentence repeats a kept one
    context_credit: float = 0.5  # a term found only in the title, description, section or authors
    passage_credit: float = 0.35  # ... or elsewhere in the sentence's passage
    name_weight: float = 2.0  # capitalised names and numbers of the question
    unseen_weight: float = 0.3  # words found nowhere in the library (often untranslated)
    want_bonus: float = 0.1  # the sentence holds the kind of answer asked for
    want_penalty: float = 0.6  # score factor lost when it lacks it
    missing_number: float = 0.5  # score factor when a number of the question is nowhere near
    missing_name: float = 0.5  # ... when a rare name of the question is not in the sentence
    rare_idf: float = 3.0  # a name is rare above this IDF (in about 1 passage in 20 or fewer)
    name_idf: float = 2.0  # "who" wants a name at least this rare (not 'Bandung', 'City')
    per_table: float = 0.5  # share of the passages read that may come from one table
    retrieval_weight: float = 0.3  # bonus for the best passage's sentences, / (1 + rank) for others
    nearest: int = 3  # passages shown with a refusal
    max_words: int = 90  # longer "sentences" (run-on extraction) are not used


# -- question analysis -----------------------------------------------------------------


class AnswerEngine:
    """Answers questions from a Library with verified, numbered quotes."""

    def __init__(
        self, library: Library, retriever: Retriever | None = None, config: AnswerConfig | None = None
    ) -> None:
        self.library = library
        self.retriever = retriever or Retriever(library)
        self.config = config or AnswerConfig()
        self._df: dict[str, int] | None = None
        self._n = 0
        self.acronyms: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = {}

    def warm_up(self) -> None:
        """Load the embedding models and count the library's words now, not at the first question."""
        self.retriever.search("warm up", k=1)
        self.document_frequencies()

    def document_frequencies(self) -> dict[str, int]:
        """How many passages hold each stem and number (computed once per engine)."""
        if self._df is None:
            df: dict[str, int] = {}
            n = 0
            for doc in self.library.documents():
                for p in self.library.passages_of(doc.id):
                    n += 1
                    for term in set(tokens(p.text)) | numbers_in(p.text):
                        df[term] = df.get(term, 0) + 1
                    for short, long in acronyms_in(p.text):
                        self.acronyms[short] = tuple({*self.acronyms.get(short, ()), long})
            self._df, self._n = df, n
        return self._df

    def _idf(self, form: tuple[str, ...]) -> float | None:
        """IDF of a form (a phrase counts as its rarest word); None when it is nowhere."""
        df = self.document_frequencies()
        counts = [df.get(s, 0) for s in form]
        if not counts or min(counts) == 0:
            return None
        return math.log((self._n + 1) / (min(counts) + 0.5))

    def _rare_name(self, word: str) -> bool:
        stems = tokens(word)
        return bool(stems) and (self._idf(tuple(stems)) or 99.0) >= self.config.name_idf

    def profile(self, question: str, language: str | None = None) -> QuestionProfile:
        """The question as weighted term groups, the kinds of answer it wants, and
        whether it asks for a table's extreme."""
        cfg = self.config
        df = self.document_frequencies()
        unseen = math.log((self._n + 1) / 0.5)
        words = [m for m in _WORD.finditer(question)]
        stems = [tuple(tokens(m.group())) for m in words]
        glossary = glossary_table()
        if self.acronyms:
            glossary = {**glossary}
            for short, longs in self.acronyms.items():
                glossary[short] = tuple(dict.fromkeys([*glossary.get(short, ()), *longs]))
        groups: list[TermGroup] = []
        i = 0
        while i < len(words):
            span, forms = 1, [stems[i]] if stems[i] else []
            for n in range(min(4, len(words) - i), 0, -1):
                key = tuple(s for st in stems[i : i + n] for s in st)
                found = glossary.get(key)
                if not found and n == 1:
                    found = next(
                        (
                            glossary[r]
                            for v in root_variants(words[i].group().lower())
                            if (r := tuple(tokens(v))) in glossary
                        ),
                        None,
                    )
                if found:
                    span, forms = n, [key, *found]
                    break
            if span == 1 and (digit := _NUMBER_WORDS.get(words[i].group().lower())):
                forms = [*forms, (digit,)]  # "three programmes" finds "3 aspects"
            phrase = [m.group() for m in words[i : i + span]]
            first = words[i].start() == 0
            i += span
            if not forms or all(w.lower() in QUESTION_STOPWORDS or len(w) < 2 for w in phrase):
                continue
            idfs = [x for f in forms if (x := self._idf(f)) is not None]
            # A concept is as common as its most common form; a word the library never uses
            # weighs little: it is as likely an untranslated word as a missing fact.
            weight = min(idfs) if idfs else unseen * cfg.unseen_weight
            name = not first and any(w[0].isupper() for w in phrase)
            rare = name and bool(idfs) and weight >= cfg.rare_idf
            if rare:
                weight *= cfg.name_weight
            label = " ".join(phrase).lower()
            if all(g.label != label for g in groups):  # a word asked twice counts once
                groups.append(TermGroup(label, tuple(dict.fromkeys(forms)), weight, rare_name=rare, name=name))
        for num in sorted(numbers_in(question)):
            weight = math.log((self._n + 1) / (df.get(num, 0) + 0.5)) * cfg.name_weight
            groups.append(TermGroup(num, ((num,),), weight, number=True))
        language = language or detect_language(question)
        return QuestionProfile(question, language, tuple(groups), wanted_kinds(question), extreme_of(question))

    def candidates(self, hits: list[Hit], texts: dict[str, str]) -> list[Candidate]:
        """The sentences (table rows) of the hits' passages, each once."""
        seen: set[tuple[str, int, int]] = set()
        out: list[Candidate] = []
        for rank, hit in enumerate(hits):
            p = hit.passage
            text = texts[p.doc_id]
            for a, b in passage_units(text, p):
                if (p.doc_id, a, b) in seen:
                    continue
                seen.add((p.doc_id, a, b))
                unit = text[a:b]
                n_words = len(unit.split())
                too_long = n_words > self.config.max_words and not p.rows  # a row is a record, whole
                if n_words < 4 or too_long or unit.lstrip().startswith("#"):
                    continue
                out.append(Candidate(hit, a, b, unit, rank=rank))
        return out

    def score(self, profile: QuestionProfile, cand: Candidate) -> float:
        """Score one sentence against the question (see the module docstring)."""
        cfg = self.config
        nums = numbers_in(_CITATION.sub(" ", _ROW_NOISE.sub(" ", cand.text)))
        stems = tokens(cand.text) + sorted(nums)
        section = cand.hit.passage.section or ""
        if cand.hit.passage.rows and section.endswith(")") and "(" in section:
            # A row of a table in a text: its column names (the header, kept in the
            # section as "Table 1 ... (No | City | Scope)") are part of the record.
            stems += tokens(section[section.rindex("(") :])
        cand.stems = frozenset(stems)
        hit = cand.hit
        meta = [hit.passage.section or ""]
        if hit.document is not None:
            d = hit.document
            meta += [d.title, d.description or "", " ".join(d.authors), d.issuer or ""]
        meta_text = " ".join(meta)
        # The rest of a prose passage is context too; the other rows of a table are not.
        passage_text = "" if hit.passage.rows else hit.passage.text
        meta_stems = tokens(meta_text)
        passage_stems = tokens(passage_text)
        # A rare name counts around the sentence only in the metadata or in the sentence just
        # before ("JCM facilitates ... The aim of the program is ..."), not anywhere in the passage.
        offset = min(len(passage_text), max(0, cand.start - hit.passage.start))
        before = sentence_spans(passage_text, 0, offset) if offset else []
        name_stems = meta_stems + (tokens(passage_text[slice(*before[-1])]) if before else [])
        context_nums = numbers_in(meta_text + " " + _CITATION.sub(" ", passage_text))
        got = 0.0
        credit: dict[str, float] = {}
        factor = 1.0
        for g in profile.groups:
            if g.number:
                c = 1.0 if g.label in nums else cfg.context_credit if g.label in context_nums else 0.0
                factor *= cfg.missing_number if c == 0.0 else 1.0
            elif any(_contains(stems, f, g.name) for f in g.forms):
                c = 1.0
            elif any(_contains(name_stems if g.rare_name else meta_stems, f, g.name) for f in g.forms):
                c = cfg.context_credit
            elif not g.rare_name and any(_contains(passage_stems, f, g.name) for f in g.forms):
                c = cfg.passage_credit
            else:
                c = 0.0
                factor *= cfg.missing_name if g.rare_name else 1.0
            if c:
                credit[g.label] = c
            got += g.weight * c
        score = got / profile.total_weight
        score += cfg.retrieval_weight / (1 + cand.rank)
        if profile.wants:
            kinds = answer_kinds(cand.text, profile.text, self._rare_name)
            share = len(profile.wants & kinds) / len(profile.wants)
            score = score * (1 - cfg.want_penalty * (1 - share)) + cfg.want_bonus * share
        score *= factor
        cand.score, cand.credit = score, credit
        return score

    def select(
        self, profile: QuestionProfile, cands: list[Candidate], neighbours: list[Candidate] | None = None
    ) -> list[Candidate]:
        """The best sentence, then up to three more: its `neighbours` (the sentences just
        before and after it) when they cover part of the question it does not, others scoring
        close to it that do too, and equally good ones (rows matching as well as the best);
        never one that repeats a kept sentence."""
        cfg = self.config
        ranked = sorted(cands, key=lambda c: -c.score)
        if not ranked or ranked[0].score < cfg.min_score:
            return []
        best = ranked[0]
        kept = [best]
        weights = {g.label: g.weight for g in profile.groups}
        covered = dict(best.credit)

        def gain(c: Candidate) -> float:
            new = sum(weights[label] * max(0.0, v - covered.get(label, 0.0)) for label, v in c.credit.items())
            return new / profile.total_weight

        def keep(c: Candidate) -> None:
            kept.append(c)
            for label, v in c.credit.items():
                covered[label] = max(covered.get(label, 0.0), v)

        def repeats(c: Candidate) -> bool:
            return any(_repeats(c, k, cfg.redundancy) for k in kept)

        for c in neighbours or ():
            if gain(c) >= cfg.neighbour_gain and c.score >= cfg.neighbour_ratio * best.score and not repeats(c):
                keep(c)
        for c in ranked[1:]:
            if len(kept) >= cfg.max_sentences or c.score < cfg.extra_ratio * best.score:
                break
            if repeats(c):
                continue
            # Table rows are records: another row comes only if it matches as well as the best.
            tie = cfg.row_tie_ratio if c.hit.passage.rows else cfg.tie_ratio
            if c.score >= tie * best.score or (gain(c) >= cfg.extra_gain and not c.hit.passage.rows):
                keep(c)
        return kept[: cfg.max_sentences]

    def neighbours(self, ev: Evidence, c: Candidate) -> list[Candidate]:
        """The sentences just after and just before `c` in its document (nothing but space
        between), scored; read from the library when their passage was not retrieved."""
        p = c.hit.passage
        if p.rows:
            return []
        text = ev.texts[p.doc_id]
        known = {(x.hit.passage.doc_id, x.start, x.end): x for x in ev.candidates}
        read = {h.passage.id: h for h in ev.hits}
        after: Candidate | None = None
        before: Candidate | None = None
        for q in self.library.passages_of(p.doc_id):
            if q.rows or q.end < c.start - 1 or q.start > c.end + 1:
                continue
            hit = read.get(q.id) or Hit(q, 0.0, {}, c.hit.document)
            for a, b in passage_units(text, q):
                if a >= c.end and not text[c.end : a].strip() and after is None:
                    after = known.get((q.doc_id, a, b)) or Candidate(hit, a, b, text[a:b], rank=len(ev.hits))
                if b <= c.start and not text[b : c.start].strip() and before is None:
                    before = known.get((q.doc_id, a, b)) or Candidate(hit, a, b, text[a:b], rank=len(ev.hits))
        out = [x for x in (after, before) if x is not None and len(x.text.split()) >= 4]
        for x in out:
            if not x.credit:
                self.score(ev.profile, x)
        return out

    def answer(
        self,
        question: str,
        k: int = 8,
        filters: SearchFilters | None = None,
        language: str | None = None,
    ) -> Answer:
        """Answer `question` from the library, or abstain (see the module docstring).

        Args:
            question: the question, in English or Bahasa Indonesia.
            k: passages retrieved and read.
            filters: restrict the search to some documents.
            language: the language of the answer's framing ("en" or "id"); None
                detects it from the question.
        """
        t0 = time.perf_counter()
        language = language or detect_language(question)
        ev = self.gather(question, k, filters)
        neighbours = self.neighbours(ev, ev.candidates[0]) if ev.candidates else []
        chosen = self.select(ev.profile, ev.candidates, neighbours)
        if chosen and ev.profile.extreme and chosen[0].hit.passage.rows:
            # Retrieval has already found the table the question names and put its extreme
            # row first ("table_extreme"): read the extreme from that table.
            top = ev.hits[0] if "table_extreme" in ev.hits[0].scores else None
            best = next((c for c in ev.candidates if c.hit is top), chosen[0])
            chosen = table_extreme(self.library, ev.profile, best, ev.texts, self.config.max_sentences) or chosen
        chosen = continue_lists(chosen, ev.candidates, ev.texts, self.config.max_sentences)
        citations = make_citations(chosen, ev.texts)
        total = (time.perf_counter() - t0) * 1000
        timings = {"retrieve": ev.retrieve_ms, "answer": total - ev.retrieve_ms, "total": total}
        if not citations:
            nearest = tuple(ev.hits[: self.config.nearest])
            return Answer(question, refusal_text(language), True, language, nearest=nearest, timings_ms=timings)
        return Answer(question, compose(citations, language), False, language, tuple(citations), timings_ms=timings)

    def gather(self, question: str, k: int = 8, filters: SearchFilters | None = None) -> Evidence:
        """Retrieve, read and score: the evidence an answer is chosen from."""
        t0 = time.perf_counter()
        asked_in = detect_language(question)
        found = []
        if question.strip():
            found = self.retriever.search(question, k=2 * k, filters=filters, language=asked_in)
        retrieve_ms = (time.perf_counter() - t0) * 1000
        profile = self.profile(question, asked_in)
        hits = reading_list(found, k, self.config.per_table, profile)
        texts = {d: self.library.text(d) for d in dict.fromkeys(h.passage.doc_id for h in hits)}
        cands = self.candidates(hits, texts)
        for c in cands:
            self.score(profile, c)
        cands.sort(key=lambda c: -c.score)
        return Evidence(hits, profile, cands, texts, retrieve_ms)

    # -- questions about a table's extreme -------------------------------------------------
