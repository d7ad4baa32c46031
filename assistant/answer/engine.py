"""Extractive answers with verified citations, or an honest refusal.

No language model: the answer is made of the library's own sentences. The engine
retrieves the top passages (`gather`), cuts them into sentences (one per row for
tables, one per bulleted line) and gives each a probability of holding the answer, from
two logistic models (the second learned listwise) on SQuAD articles and the odd ids of
the project's question set (`bench/train_answer.py`; weights in `answer/data/*.json`):
the first on lexical and retrieval features of every sentence (`features.lexical`:
IDF-weighted coverage of the question's term groups in the sentence, its document's
metadata and its passage; missing numbers and rare names; the kind of answer wanted;
the passage's rank and retrieval scores; length and position), the second on the few
best of the first with the semantic similarity of question and sentence added
(multilingual-e5-small, the only model bridging Indonesian questions and English text).
`select.choose` keeps the best sentence, its antecedent when it opens with an anaphor,
and sentences nearly as likely; a sentence announcing a list brings the list; a table's
extreme (`extend`) or the rows the question names (`lookup`) come from the whole table.
Every kept sentence becomes a `Citation` whose quote is exactly its document's text.

Refusal is a third logistic regression over the question (how likely the best sentence
is, by how much it leads, how relevant the passages are, how much of the question the
library never mentions): the engine abstains below the threshold chosen in training for
at most 5% refused answerable questions (one for an Indonesian question whose best
sentence is English, one for the rest), unless a table holds all that the question names
(`lookup`), and says why: nothing relevant, relevant passages
but no answering sentence, or the active filter excluded the documents that answer. An
answer quoting a revoked regulation also quotes the one in force (`currency`)."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from functools import partial

from assistant.answer import extend
from assistant.answer import features as feat
from assistant.answer.citations import compose, count_answer, make_citations, refusal_text
from assistant.answer.count import table_count, table_listing
from assistant.answer.currency import in_force, named_evidence
from assistant.answer.extend import (
    brings_list,
    complete_lists,
    continue_lists,
    holds,
    reading_list,
    table_extreme,
    with_table_heads,
)
from assistant.answer.lookup import table_lookup
from assistant.answer.matching import Candidate, Evidence, passage_units, unquotable
from assistant.answer.neighbours import adjacent
from assistant.answer.parameters import parameter_rows
from assistant.answer.question import (
    _WORD,
    NUMBER_WORDS,
    QUESTION_STOPWORDS,
    QuestionProfile,
    TermGroup,
    acronyms_in,
    count_of,
    glossary_table,
    numbers_in,
    root_variants,
    synonyms_only,
    tokens,
    wanted_kinds,
    with_acronyms,
)
from assistant.answer.refusal import no_such_article, not_mentioned, why_refused, with_figure
from assistant.answer.scoring import Models, Semantic
from assistant.answer.select import choose
from assistant.index.library import Library
from assistant.index.prepare import SENTENCE_MAX_WORDS, is_answer_unit
from assistant.lang.detect import detect_language
from assistant.lang.glossary import dictionary_terms, english_terms
from assistant.lang.regions import row_regions
from assistant.model import Answer, Hit, SearchFilters
from assistant.search.abbreviations import abbreviations, spelled_out
from assistant.search.articles import outside, reference_spans
from assistant.search.retriever import Retriever
from assistant.search.tables import extreme_of

# How the question's term groups are weighed (they define the coverage features; the
# learned weights sit on top): rare capitalised names and numbers count double, a word the
# library never uses 0.3 of its IDF (as likely an untranslated word as a missing fact); a
# name is rare above IDF 3 (in about 1 passage in 20), "who" wants a name above IDF 2.
NAME_WEIGHT = 2.0
UNSEEN_WEIGHT = 0.3
RARE_IDF = 3.0
NAME_IDF = 2.0


@dataclass(frozen=True)
class AnswerConfig:
    """How much the engine reads and shows (what it scores and when it refuses is learned)."""

    k: int = 8  # passages read
    # Sentences per question given the semantic score (each costs an e5 pass); an Indonesian
    # question gets more: over English text its words rarely meet the sentence's, and the
    # first model's best 6 hold a gold sentence for 71% of the training questions, its best
    # 12 for 84% (English: 92%, 96%).
    embedded: int = 6
    embedded_id: int = 12
    max_sentences: int = 4
    count_rows: int = 5  # rows quoted under a table count ("15 of the 56 rows ...")
    nearest: int = 3  # passages shown with a refusal
    max_words: int = SENTENCE_MAX_WORDS  # longer "sentences" (run-on extraction) are not used
    per_table: float = 0.5  # share of the passages read that may come from one table
    lexicon: bool = True  # an Indonesian question's words gain English ones (lang/data/lexicon-id-en.tsv)


class AnswerEngine:
    """Answers questions from a Library with verified, numbered quotes."""

    def __init__(
        self,
        library: Library,
        retriever: Retriever | None = None,
        config: AnswerConfig | None = None,
        models: Models | None = None,
    ) -> None:
        self.library = library
        self.retriever = retriever or Retriever(library)
        self.config = config or AnswerConfig()
        self.models = models or Models.bundled()
        self.semantic = Semantic(library)
        self._df: dict[str, int] | None = None
        self._n = 0
        self.acronyms: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = {}

    def warm_up(self) -> None:
        """Load the embedding models and count the library's words now, not at the first question."""
        self.retriever.search("warm up", k=1)
        self.semantic.similarities("warm up", ["warm up"])
        self.document_frequencies()

    def document_frequencies(self) -> dict[str, int]:
        """How many passages hold each stem and number (computed once per engine)."""
        if self._df is None:
            df: dict[str, int] = {}
            n = 0
            for doc in self.library.documents():
                for p in self.library.passages_of(doc.id):
                    n += 1
                    regions = tokens(row_regions(p.text)) if p.rows else []  # "Belgium": "European"
                    for term in {*tokens(p.text), *regions} | numbers_in(p.text):
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
        return bool(stems) and (self._idf(tuple(stems)) or 99.0) >= NAME_IDF

    def _translations(self, word: str, language: str) -> list[tuple[str, ...]]:
        """A word the glossary lacks, in the other language's general word list: an English
        one in the dictionary ("prison" -> "penjara"), as retrieval's BM25 query does; an
        Indonesian one in the lexicon learned from question pairs ("pelanggan" -> "customers")."""
        config = self.retriever.config
        if language == "en" and config.glossary and config.dictionary:
            return [f for t in dictionary_terms([word]) if (f := tuple(tokens(t)))]
        if language == "id" and self.config.lexicon:
            return [f for t in english_terms([word]) if (f := tuple(tokens(t)))]
        return []

    def profile(self, question: str, language: str | None = None) -> QuestionProfile:
        """The question as weighted term groups, the kinds of answer it wants, and
        whether it asks for a table's extreme."""
        df = self.document_frequencies()
        unseen = math.log((self._n + 1) / 0.5)
        words = [m for m in _WORD.finditer(question)]
        stems = [tuple(tokens(m.group())) for m in words]
        glossary = with_acronyms(glossary_table(), self.acronyms)
        spelled = spelled_out(question, abbreviations(self.library))  # "... di luar negeri": "KSDPL"
        groups: list[TermGroup] = []
        language = language or detect_language(question)
        # "PP" of "menurut PP 28/2018" names the document (retrieval goes to it; its number
        # and year are matched in the metadata): not a word the answer must hold.
        references = reference_spans(self.library, question)
        i = 0
        while i < len(words):
            span, forms = 1, [stems[i]] if stems[i] else []
            found = None
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
            if span == 1 and (digit := NUMBER_WORDS.get(words[i].group().lower())):
                forms = [*forms, (digit,)]  # "three programmes" finds "3 aspects"
            translated = found and (span > 1 or stems[i] not in synonyms_only())
            general = self._translations(words[i].group().lower(), language) if not translated and forms else []
            phrase = [m.group() for m in words[i : i + span]]
            first = words[i].start() == 0
            i += span
            if not forms or all(w.lower() in QUESTION_STOPWORDS or len(w) < 2 for w in phrase):
                continue
            if any(a <= words[i - span].start() < b for a, b in references):
                continue
            forms += [tuple(tokens(s.short)) for s in spelled if s.start <= words[i - span].start() < s.end]
            idfs = [x for f in forms if (x := self._idf(f)) is not None]
            if general:  # weighed by its own forms when the library uses them, else by the translation's
                idfs = idfs or [x for f in general if (x := self._idf(f)) is not None]
                forms = [*forms, *general]
            # A concept is as common as its most common form; a word the library never uses
            # weighs little: it is as likely an untranslated word as a missing fact.
            # (A word the dictionary translates counts as used when its translation is.)
            weight = min(idfs) if idfs else unseen * UNSEEN_WEIGHT
            name = not first and any(w[0].isupper() for w in phrase)
            rare = name and bool(idfs) and weight >= RARE_IDF
            if rare:
                weight *= NAME_WEIGHT
            label = " ".join(phrase).lower()
            if all(g.label != label for g in groups):  # a word asked twice counts once
                groups.append(
                    TermGroup(label, tuple(dict.fromkeys(forms)), weight, rare_name=rare, name=name, unseen=not idfs)
                )
        for num in sorted(numbers_in(outside(question, references))):
            weight = math.log((self._n + 1) / (df.get(num, 0) + 0.5)) * NAME_WEIGHT
            groups.append(TermGroup(num, ((num,),), weight, number=True))
        return QuestionProfile(
            question, language, tuple(groups), wanted_kinds(question), extreme_of(question), count_of(question)
        )

    def candidates(self, hits: list[Hit], texts: dict[str, str], question: str = "") -> list[Candidate]:
        """The sentences (table rows) of the hits' passages, each once; not one that says
        nothing the question does not ("NOMOR 18 TAHUN 2008" for "Kapan UU Nomor 18 Tahun
        2008 disahkan?"): an answer tells something new; nor one that is `unquotable`."""
        asked = {*tokens(question), *numbers_in(question)}
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
                if not is_answer_unit(unit, bool(p.rows), self.config.max_words, p.section):
                    continue
                if (asked and {*tokens(unit), *numbers_in(unit)} <= asked) or unquotable(unit, text, a, p, question):
                    continue
                out.append(Candidate(hit, a, b, unit, rank=rank))
        return out

    def gather(
        self, question: str, k: int | None = None, filters: SearchFilters | None = None, embedded: int | None = None
    ) -> Evidence:
        """Retrieve, read and score: the evidence an answer is chosen from. `embedded`: how
        many of the first model's best sentences get the semantic score (None: the config's;
        0: all, for training)."""
        k = k or self.config.k
        t0 = time.perf_counter()
        asked_in = detect_language(question)
        found = []
        if question.strip():
            found = self.retriever.search(question, k=2 * k, filters=filters, language=asked_in)
        retrieve_ms = (time.perf_counter() - t0) * 1000
        profile = self.profile(question, asked_in)
        hits = reading_list(found, k, self.config.per_table, profile)
        texts = {d: self.library.text(d) for d in dict.fromkeys(h.passage.doc_id for h in hits)}
        cands = self.candidates(hits, texts, question)
        for c in cands:
            c.features = feat.lexical(profile, c, self._rare_name)
        feat.relative(cands, hits)
        for c, p in zip(cands, self.models.first.probs([c.features for c in cands]), strict=True):
            c.first = p
        cands.sort(key=lambda c: -c.first)
        n = embedded if embedded is not None else self.embedded(profile)
        top = cands[:n] if n else cands
        sims = self.semantic.similarities(question, [c.text for c in top])
        refusal = self.models.refusal
        if sims is None:  # no multilingual space: the first model's word is final
            for c in cands:
                c.score = c.first
            top, refusal = cands, self.models.refusal_lexical
        else:
            feat.semantic(top, sims)
            for c, p in zip(top, self.models.second.probs([c.features for c in top]), strict=True):
                c.score = p
        cands = sorted(top, key=lambda c: -c.score) + cands[len(top) :]  # the rest keep score 0
        ev = Evidence(hits, profile, cands, texts, retrieve_ms)
        ev.question = feat.question_features(profile, cands[: len(top)], hits, texts)
        ev.p_answer = refusal.probs([ev.question])[0] if cands else 0.0
        ev.threshold = refusal.extra["threshold"]
        return ev

    def embedded(self, profile: QuestionProfile) -> int:
        """How many sentences get the semantic score for this question."""
        return self.config.embedded_id if profile.language == "id" else self.config.embedded

    def refused(self, ev: Evidence) -> bool:
        """Whether the probability that the best sentence answers is below the threshold."""
        if not ev.candidates:
            return True
        # One threshold for a question whose best sentence is prose in the other language (few
        # of its words are seen), one for the rest (rows too: their columns are glossed).
        best = ev.candidates[0].features
        cross = best.get("cross_language", 0.0) and not best.get("row", 0.0)
        return ev.p_answer < float(ev.threshold["cross" if cross else "same"])

    def answer(
        self,
        question: str,
        k: int | None = None,
        filters: SearchFilters | None = None,
        language: str | None = None,
    ) -> Answer:
        """Answer `question` from the library, or abstain (see the module docstring).

        Args:
            question: the question, in English or Bahasa Indonesia.
            k: passages retrieved and read (None: the config's).
            filters: restrict the search to some documents.
            language: the language of the answer's framing ("en" or "id"); None
                detects it from the question.
        """
        t0 = time.perf_counter()
        language = language or detect_language(question)
        ev = named_evidence(self, question, k, filters)
        absent, reason = no_such_article(self.library, question, filters, language), "no_article"
        if absent is None:
            absent, reason = not_mentioned(self.library, question, filters, language, ev.profile), "not_mentioned"
        if absent is not None:
            nearest, timings = tuple(ev.hits[: self.config.nearest]), {"total": (time.perf_counter() - t0) * 1000}
            return Answer(question, absent, True, language, nearest=nearest, timings_ms=timings, refusal_reason=reason)
        counted = table_count(self.library, ev.profile, ev.hits, ev.texts, self.config.count_rows)
        if counted is not None and (answer := count_answer(question, counted, ev.texts, language, ev.retrieve_ms, t0)):
            return answer
        chosen: list[Candidate] = []
        most = self.config.max_sentences
        # Retrieval put the extreme row of the table named first: the answer is read from that table.
        top = ev.hits[0] if ev.hits and ev.profile.extreme and "table_extreme" in ev.hits[0].scores else None
        refused = self.refused(ev)
        if not refused or top is not None:
            model, best = self.models.second if self.semantic.space else self.models.first, ev.candidates[0]
            ranked = ev.candidates[: self.embedded(ev.profile) or len(ev.candidates)]
            listed = partial(brings_list, self.library, texts=ev.texts)
            ratio = float(model.extra.get("extra_ratio", 1.0))
            following = partial(adjacent, self.library, ev, after=True)
            chosen = choose(ranked, adjacent(self.library, ev, best), ratio, most, listed, ev.candidates, following)
        if chosen and ev.profile.extreme and (chosen[0].hit.passage.rows or top is not None):
            best = next((c for c in ev.candidates if c.hit is top), chosen[0])
            extreme = table_extreme(self.library, ev.profile, best, ev.texts, most)
            chosen = extreme or ([] if refused else chosen)
        elif ev.candidates and not ev.profile.extreme:  # the rows the question names (refused: if covered)
            turned_down = ev.candidates[0] if refused else None
            chosen = table_lookup(self.library, ev.profile, chosen, ev.texts, most, turned_down)
            named = table_listing(self.library, ev.profile, chosen, ev.texts, most, self.config.count_rows)
            if named is not None and (answer := count_answer(question, named, ev.texts, language, ev.retrieve_ms, t0)):
                return answer
        room = max(most, len(chosen))  # `choose` may keep one past `most`: a sentence going on with the last
        chosen = continue_lists(chosen, ev.candidates, ev.texts, room)
        chosen = complete_lists(self.library, chosen, ev.texts, room)
        chosen = parameter_rows(self.library, ev.profile, chosen, ev.texts, most + 2, ev.candidates)  # each table's
        chosen = with_table_heads(chosen, ev.texts, max(most, len(chosen) + 1))  # a table's row after its first
        # A question asking what a term means (or its kinds) is answered by its definitions (lists).
        admitted = self.library.admitted_docs(filters)
        if defined := extend.routed_quotes(self.library, question, ev.hits, ev.texts, most, admitted):
            chosen = defined
        current = in_force(self, question, chosen, ev.texts, k, filters)  # the law in force, each table's row
        chosen += (current := parameter_rows(self.library, ev.profile, current, ev.texts, most + 2))
        # The answer leads with the definition asked for, else its best sentence (after the
        # antecedent it points back to), or the list quote that holds it.
        first = defined[0] if defined else (ev.candidates[0] if ev.candidates else None)
        lead = next((i + 1 for i, c in enumerate(chosen) if first is not None and holds(c, first)), 0)
        citations = make_citations(chosen, ev.texts, lead)
        total = (time.perf_counter() - t0) * 1000
        timings = {"retrieve": ev.retrieve_ms, "answer": total - ev.retrieve_ms, "total": total}
        # "How many ...?" quoted with no figure: the best sentence giving one, else no answer
        # (a definition asked for is quoted whatever it says).
        cited = citations if defined else with_figure(question, citations, ev.candidates[:most], ev.texts)
        if not cited:
            reason = why_refused(self, question, ev, k, filters, figure=bool(citations))
            nearest = tuple(ev.hits[: self.config.nearest])
            refusal = refusal_text(language, reason)
            return Answer(question, refusal, True, language, nearest=nearest, timings_ms=timings, refusal_reason=reason)
        text = compose(cited, language, {c.hit.passage.doc_id for c in current})
        return Answer(question, text, False, language, tuple(cited), timings_ms=timings)
