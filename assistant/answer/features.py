"""What the learned models see: per candidate sentence, the lexical evidence it holds for
the question (IDF-weighted coverage in the sentence, its document's metadata and the rest
of its passage; missing numbers and rare names; the kind of answer wanted), its passage's
retrieval rank and scores, its length and position, and the semantic similarity of
question and sentence (multilingual-e5-small, `query:` / `passage:`). Per question, what
the refusal model sees: how good the best sentence is, by how much, and how relevant the
passages are at all."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from functools import lru_cache

from assistant.answer.matching import Candidate, _contains, text_holds
from assistant.answer.question import (
    _CITATION,
    _ROW_NOISE,
    QuestionProfile,
    answer_kinds,
    numbers_in,
    short_dates,
    tokens,
)
from assistant.ingest.sentences import sentence_spans
from assistant.model import Hit

# Stage 1: cheap features of every candidate; stage 2 adds the semantic ones for the few
# best candidates of stage 1 (embedding a sentence costs milliseconds).
LEXICAL = (
    "cov_sentence",
    "cov_context",
    "cov_passage",
    "cov_rel",
    "missing_numbers",
    "missing_names",
    "want_matched",
    "want_missed",
    "log_words",
    "first_in_passage",
    "position",
    "rank_inv",
    "fused_rel",
    "e5_passage",
    "minilm_passage",
    "bm25_rel",
    "row",
    "anaphor",
    "cross_language",
)
SEMANTIC = ("sim", "sim_rel", "sim_cross")
QUESTION = (
    "p_best",
    "logit_best",
    "margin",
    "sim_best",
    "sim_top",
    "cov_best",
    "cov_top",
    "e5_top",
    "minilm_top",
    "unseen_share",
    "unseen_names",
    "indonesian",
    "missing_best",
    "unseen_en",
    "sim_top_id",
    "cov_top_en",
    "unseen_translated",
    "cov_doc_en",
)

ANAPHOR = re.compile(
    r"^\s*(?:(?:based on|according to|berdasarkan|menurut) (?:this|these|that|those|the above|hal)\b|"
    r"(?:this|these|that|those|it|such|they|he|she|its|their|hal (?:ini|itu|tersebut)|ini|itu|"
    r"tersebut|mereka|dia|ia|keduanya)\b|"
    # "Both parties agreed ..." and "Kedua pihak ...", not "Both Bandung and Kawasaki ..."
    # (naming both) nor "Kedua, ..." (secondly).
    r"(?:both|kedua)\b(?!,)(?!\s+\S+(?:\s+\S+)?\s+(?:and|dan)\b))",
    re.IGNORECASE,
)


def lexical(profile: QuestionProfile, cand: Candidate, is_rare: Callable[[str], bool]) -> dict[str, float]:
    """The lexical evidence of one sentence; also sets `cand.stems` and `cand.credit` (the
    share of each term group it covers, which `select` uses to add what is missing)."""
    nums = numbers_in(_CITATION.sub(" ", _ROW_NOISE.sub(" ", cand.text)))
    date_nums, months = short_dates(cand.text)  # "05-Mar-19": 5, March, 2019
    nums |= date_nums
    stems = tokens(cand.text) + months + sorted(nums)
    hit = cand.hit
    section = hit.passage.section or ""
    if hit.passage.rows and section.endswith(")") and "(" in section:
        # A row of a table in a text: its column names (kept in the section as
        # "Table 1 ... (No | City | Scope)") are part of the record.
        stems += tokens(section[section.rindex("(") :])
    cand.stems = frozenset(stems)
    meta = [section]
    if hit.document is not None:
        d = hit.document
        meta += [d.title, d.description or "", " ".join(d.authors), d.issuer or ""]
    meta_text = " ".join(meta)
    passage_text = "" if hit.passage.rows else hit.passage.text  # other rows are other records
    # A rare name counts around the sentence only in the metadata or the sentence just before.
    offset = min(len(passage_text), max(0, cand.start - hit.passage.start))
    before = sentence_spans(passage_text, 0, offset) if offset else []
    before_text = passage_text[slice(*before[-1])] if before else ""
    context_nums = numbers_in(meta_text + " " + _CITATION.sub(" ", passage_text))
    total = profile.total_weight
    share = {"s": 0.0, "c": 0.0, "p": 0.0}
    missing_numbers = missing_names = 0
    credit: dict[str, float] = {}
    for g in profile.groups:
        where = ""
        if g.number:
            where = "s" if g.label in nums else "c" if g.label in context_nums else ""
            missing_numbers += not where
        elif any(_contains(stems, f, g.name) for f in g.forms):
            where = "s"
        elif any(
            text_holds(meta_text, f, g.name) or (g.rare_name and text_holds(before_text, f, g.name)) for f in g.forms
        ):
            where = "c"
        elif not g.rare_name and any(text_holds(passage_text, f, g.name) for f in g.forms):
            where = "p"
        else:
            missing_names += g.rare_name
        if where:
            share[where] += g.weight / total
            credit[g.label] = {"s": 1.0, "c": 0.5, "p": 0.35}[where]
    cand.credit = credit
    matched = 0.0
    if profile.wants:
        matched = len(profile.wants & answer_kinds(cand.text, profile.text, is_rare)) / len(profile.wants)
    words = len(cand.text.split())
    doc_lang = (hit.document.language if hit.document else None) or profile.language
    return {
        "cov_sentence": share["s"],
        "cov_context": share["c"],
        "cov_passage": share["p"],
        "missing_numbers": min(2, missing_numbers),
        "missing_names": min(2, missing_names),
        "want_matched": matched,
        "want_missed": (1.0 - matched) if profile.wants else 0.0,
        "log_words": math.log1p(words),
        "first_in_passage": float(cand.start <= hit.passage.start + 1 or bool(hit.passage.rows)),
        "rank_inv": 1.0 / (1 + cand.rank),
        "row": float(bool(hit.passage.rows)),
        "anaphor": float(bool(ANAPHOR.match(cand.text))),
        "cross_language": float(doc_lang != profile.language),
    }


def relative(cands: list[Candidate], hits: list[Hit]) -> None:
    """Features relative to the other candidates of the question (the best coverage, the
    top passage's scores) and the sentence's position in its passage."""
    top = max((h.score for h in hits), default=0.0) or 1.0
    # A passage outside a dense retriever's candidates has no score there: it is at most
    # the lowest seen. An index without that space leaves the feature out (read as average).
    floor = {
        name: min((h.scores[key] for h in hits if key in h.scores), default=None)
        for name, key in (("e5_passage", "multilingual"), ("minilm_passage", "dense"))
    }
    bm25 = max((h.scores.get("bm25", 0.0) for h in hits), default=0.0) or 1.0
    best_cov = max((c.features["cov_sentence"] for c in cands), default=0.0)
    order: dict[int, int] = {}
    for c in sorted(cands, key=lambda c: c.start):
        n = order.get(id(c.hit), 0)
        order[id(c.hit)] = n + 1
        c.features["position"] = min(n, 5) / 5
    for c in cands:
        f = c.features
        f["cov_rel"] = f["cov_sentence"] - best_cov
        f["fused_rel"] = c.hit.score / top
        f["bm25_rel"] = c.hit.scores.get("bm25", 0.0) / bm25
        for name, key in (("e5_passage", "multilingual"), ("minilm_passage", "dense")):
            low = floor[name]
            if low is not None:
                f[name] = c.hit.scores.get(key, low)


def semantic(cands: list[Candidate], sims: list[float] | None) -> None:
    """The question-sentence similarity features of the candidates embedded (none when the
    index has no multilingual space)."""
    if sims is None:
        return
    best = max(sims, default=0.0)
    for c, s in zip(cands, sims, strict=True):
        c.features["sim"] = s
        c.features["sim_rel"] = s - best
        c.features["sim_cross"] = s * c.features["cross_language"]


@lru_cache(maxsize=64)
def document_units(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """The stems and numbers of a whole document (kept for the next questions)."""
    return frozenset(tokens(text)), frozenset(numbers_in(text))


def document_coverage(profile: QuestionProfile, texts: dict[str, str]) -> float:
    """The weighted share of the question's terms that the document holding most of them
    holds anywhere: an article the question is about holds nearly all of them; a question
    about something the library lacks finds its words scattered over several documents."""
    best = 0.0
    for text in texts.values():
        stems, numbers = document_units(text)
        held = sum(
            g.weight
            for g in profile.groups
            if (g.label in numbers if g.number else any(all(s in stems for s in f) for f in g.forms))
        )
        best = max(best, held / profile.total_weight)
    return best


def question_features(
    profile: QuestionProfile, ranked: list[Candidate], hits: list[Hit], texts: dict[str, str] | None = None
) -> dict[str, float]:
    """What the refusal model sees; `ranked` are the scored candidates, best first, `texts`
    the texts of their documents."""
    best = ranked[0] if ranked else None
    second = ranked[1].score if len(ranked) > 1 else 0.0
    p = best.score if best else 0.0
    total = profile.total_weight
    unseen = [g for g in profile.groups if g.unseen]
    row = {
        "p_best": p,
        "logit_best": math.log(max(p, 1e-6) / max(1 - p, 1e-6)),
        "margin": p - second,
        "cov_best": best.features["cov_sentence"] if best else 0.0,
        "cov_top": max((c.features["cov_sentence"] for c in ranked), default=0.0),
        "missing_best": best.features["missing_numbers"] + best.features["missing_names"] if best else 0.0,
        "unseen_share": sum(g.weight for g in unseen) / total if profile.groups else 0.0,
        "unseen_names": float(sum(g.name for g in unseen)),
        # unseen though translated ('bensin' -> 'petrol'): the library lacks the thing, not the word
        "unseen_translated": sum(g.weight for g in unseen if len(g.forms) > 1) / total if profile.groups else 0.0,
        "indonesian": float(profile.language == "id"),
        "cov_doc": document_coverage(profile, texts or {}) if profile.groups else 0.0,
    }
    sims = [c.features["sim"] for c in ranked if "sim" in c.features]
    if sims and best is not None:
        row["sim_best"], row["sim_top"] = best.features.get("sim", min(sims)), max(sims)
    e5 = [h.scores["multilingual"] for h in hits if "multilingual" in h.scores]
    if e5:
        row["e5_top"] = max(e5)
    if hits and "dense" in hits[0].scores:
        row["minilm_top"] = hits[0].scores["dense"]
    return with_interactions(row)


def with_interactions(row: dict[str, float]) -> dict[str, float]:
    """The features that mean something else in each language (an Indonesian question over
    English text leaves many words unseen and covers few; its similarity carries it)."""
    en = 1.0 - row["indonesian"]
    out = row | {"unseen_en": row["unseen_share"] * en, "cov_top_en": row["cov_top"] * en}
    if "cov_doc" in row:  # the share of an Indonesian question one document holds depends on the lexicon
        out["cov_doc_en"] = row["cov_doc"] * en
    if "sim_top" in row:
        out["sim_top_id"] = row["sim_top"] * row["indonesian"]
    return out
