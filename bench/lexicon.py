"""Make assistant/lang/data/lexicon-id-en.tsv, the Indonesian -> English word list that an
Indonesian question over English text is matched with (after the glossary).

    nice -n 10 .venv/bin/python bench/lexicon.py [--min-count 2] [--min-p 0.25]

Two sources, both data rather than hand-kept lists:
- learned: IBM Model 1 (EM, 10 rounds, with a NULL word) on the pairs of an English SQuAD
  question and its machine translation (../shared/bench/squad: same ids), and (since
  2026-12-07) of each sentence of a paragraph and its translation (`context_pairs`), of
  bench/squad.py's TRAIN articles only, so its TEST articles stay unseen. Kept: Indonesian words the English
  questions never use, their English words with t(en | id) >= `--min-p` (at most two) seen
  together in at least `--min-count` pairs; an English word in its commonest surface form.
- reversed: FreeDict English -> Indonesian (data/dictionary-en-id.tsv) read backwards, each
  Indonesian one-word translation -> the English headwords it translates (at most three).
Function words of either language, and words spelled alike in both (names), are left out.

`--fold-check` decides whether retrieval uses the lexicon too (an Indonesian query's BM25
words gain its English; MiniLM reads its English rendering), on TRAIN articles only: a
lexicon learned on one half of them, the other half's Indonesian questions retrieved with
and without it; the verdict and figures go to assistant/search/data/fusion.json.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.answer.question import QUESTION_STOPWORDS
from assistant.lang.data import read_list
from assistant.lang.stem import STOPWORDS, stem_words
from bench.squad import load, split_of

OUT = Path(__file__).resolve().parents[1] / "assistant" / "lang" / "data" / "lexicon-id-en.tsv"
FUSION = Path(__file__).resolve().parents[1] / "assistant" / "search" / "data" / "fusion.json"
_WORD = re.compile(r"[^\W\d_][\w-]*")
_SKIP = STOPWORDS | QUESTION_STOPWORDS
# Learn from the TRAIN articles' translated paragraphs too, sentence by sentence (2026-12-07).
CONTEXTS = True


def content_words(text: str) -> list[str]:
    """Lower-cased words of `text`, function words and numbers left out."""
    return [w for w in _WORD.findall(text.lower()) if w not in _SKIP and len(w) > 1]


def training_pairs(titles: set[str] | None = None, contexts: bool = CONTEXTS) -> list[tuple[list[str], list[str]]]:
    """(Indonesian words, English words) of each answerable question of a TRAIN article
    (of those among `titles`, when given); with `contexts`, also of each sentence of its
    paragraphs (`context_pairs`)."""
    articles, indonesian = load()
    splits = split_of([a["title"] for a in articles])
    out = []
    for a in articles:
        if splits[a["title"]][0] != "train" or (titles is not None and a["title"] not in titles):
            continue
        english = {q["id"]: q["question"] for p in a["paragraphs"] for q in p["qas"]}
        for p in indonesian.get(a["title"], {}).get("paragraphs", []):
            for q in p["qas"]:
                if q["id"] in english:
                    out.append((content_words(q["question"]), content_words(english[q["id"]])))
        if contexts:
            out += [(content_words(i), content_words(e)) for i, e in context_pairs(a, indonesian.get(a["title"]))]
    return out


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"(])")


def context_pairs(english: dict[str, Any], indonesian: dict[str, Any] | None) -> list[tuple[str, str]]:
    """(Indonesian, English) sentence pairs of an article's paragraphs and their machine
    translation: a translated paragraph is matched to the English one most of its questions
    come from (same ids); sentences pair one to one when both have as many, else the whole
    paragraphs pair (IBM Model 1 needs no word order, only co-occurrence)."""
    if indonesian is None:
        return []
    where = {q["id"]: i for i, p in enumerate(english["paragraphs"]) for q in p["qas"]}
    out = []
    for p in indonesian["paragraphs"]:
        found = [where[q["id"]] for q in p["qas"] if q["id"] in where]
        if not found:
            continue
        source = english["paragraphs"][max(set(found), key=found.count)]["context"]
        ids, ens = _SENTENCE_END.split(p["context"].strip()), _SENTENCE_END.split(source.strip())
        out += list(zip(ids, ens, strict=True)) if len(ids) == len(ens) else [(p["context"], source)]
    return out


def ibm1(pairs: list[tuple[list[str], list[str]]], rounds: int = 10) -> dict[str, dict[str, float]]:
    """t(english stem | indonesian word) by EM (IBM Model 1, Indonesian -> English with a
    NULL word on the Indonesian side). Hand-written: forty lines, where an aligner package
    (fast_align, eflomal) would add a compiled dependency for a few thousand short pairs."""
    stemmed = [([*idn, "<null>"], stem_words(en)) for idn, en in pairs]
    t: dict[str, dict[str, float]] = collections.defaultdict(dict)
    for idn, en in stemmed:
        for i in idn:
            for e in en:
                t[i][e] = 1.0
    for _ in range(rounds):
        counts: dict[str, dict[str, float]] = collections.defaultdict(lambda: collections.defaultdict(float))
        for idn, en in stemmed:
            for e in en:
                z = sum(t[i][e] for i in idn)
                for i in idn:
                    counts[i][e] += t[i][e] / z
        t = collections.defaultdict(dict)
        for i, row in counts.items():
            total = sum(row.values())
            t[i] = {e: c / total for e, c in row.items()}
    return t


def learned(pairs: list[tuple[list[str], list[str]]], min_count: int, min_p: float) -> dict[str, list[str]]:
    """Indonesian word -> English words, from `ibm1` over `pairs`."""
    seen = collections.Counter(w for idn, _ in pairs for w in set(idn))
    surface: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for _, en in pairs:
        for w, s in zip(en, stem_words(en), strict=True):
            surface[s][w] += 1
    together = collections.Counter((i, e) for idn, en in pairs for i in set(idn) for e in set(stem_words(en)))
    english_words = {w for _, en in pairs for w in en}
    t = ibm1(pairs)
    out: dict[str, list[str]] = {}
    for word, row in t.items():
        if word == "<null>" or seen[word] < min_count or word in english_words:
            continue  # a word the English questions use too is a name or a loan: it matches as it is
        kept = [(p, e) for e, p in row.items() if p >= min_p and together[word, e] >= min_count]
        best = sorted(kept, reverse=True)[:2]
        english = [surface[e].most_common(1)[0][0] for _, e in best]
        english = [e for e in english if e != word]
        if english:
            out[word] = english
    return out


def reversed_dictionary() -> dict[str, list[str]]:
    """Indonesian one-word translation -> the English headwords of data/dictionary-en-id.tsv."""
    out: dict[str, list[str]] = collections.defaultdict(list)
    for line in read_list("dictionary-en-id.tsv"):
        english, translations = line.split("\t")
        if english in _SKIP:
            continue
        for t in translations.split("|"):
            if " " not in t and t not in _SKIP and t != english:
                out[t].append(english)
    return {w: es[:3] for w, es in out.items()}


def merged(table: dict[str, list[str]], rev: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    return {w: tuple(dict.fromkeys([*table.get(w, []), *rev.get(w, [])])) for w in sorted(set(table) | set(rev))}


def fold_check(min_count: int, min_p: float) -> dict[str, Any]:
    """Whether retrieval should use the lexicon, judged on TRAIN alone: the TRAIN articles in
    two folds; a lexicon learned on one fold's question pairs; the other fold's Indonesian
    questions (bench/squad.py's sample) retrieved without and with it. (The shipped lexicon
    knows every TRAIN question, so TRAIN itself cannot judge it.)"""
    from assistant.lang import glossary
    from assistant.search.retriever import RetrievalConfig, Retriever
    from bench.squad import holds_gold, setup

    articles, _ = load()
    splits = split_of([a["title"] for a in articles])
    train = sorted(t for t, (split, _) in splits.items() if split == "train")
    library, questions = setup(12)
    ranks: dict[bool, list[int | None]] = {False: [], True: []}
    shipped = glossary._lexicon
    try:
        for fold in (0, 1):
            learn = set(train[fold::2])
            lexicon = merged(learned(training_pairs(learn), min_count, min_p), reversed_dictionary())
            glossary._lexicon = lambda lexicon=lexicon: lexicon  # type: ignore[assignment]
            asked = [
                q
                for q in questions
                if q.split == "train" and q.article not in learn and q.language == "id" and q.kind == "answerable"
            ]
            for on in (False, True):
                retriever = Retriever(library, RetrievalConfig(lexicon=on))
                for q in asked:
                    hits = retriever.search(q.text, k=10, language="id")
                    found = [i for i, h in enumerate(hits) if holds_gold(h.passage.text, q.golds)]
                    ranks[on].append(found[0] if found else None)
    finally:
        glossary._lexicon = shipped
    out: dict[str, Any] = {"questions": len(ranks[False])}
    for on, rs in ranks.items():
        out["with lexicon" if on else "without"] = {
            "recall@1": round(sum(r == 0 for r in rs) / len(rs), 3),
            "recall@5": round(sum(r is not None and r < 5 for r in rs) / len(rs), 3),
            "mrr@10": round(sum(1 / (r + 1) for r in rs if r is not None) / len(rs), 3),
        }
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--min-count", type=int, default=2)
    ap.add_argument("--min-p", type=float, default=0.25)
    ap.add_argument(
        "--fold-check",
        action="store_true",
        help="judge the lexicon for retrieval on TRAIN folds; record the verdict in search/data/fusion.json",
    )
    args = ap.parse_args()
    if args.fold_check:
        check = fold_check(args.min_count, args.min_p)
        print(json.dumps(check, indent=1))
        better = check["with lexicon"]["mrr@10"] > check["without"]["mrr@10"]
        data = json.loads(FUSION.read_text(encoding="utf-8"))
        data["lexicon"] = better
        data["lexicon_check"] = {"by": "bench/lexicon.py --fold-check (two folds of the TRAIN articles)", **check}
        FUSION.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        print(f"lexicon for retrieval: {better} -> {FUSION}")
        return 0
    pairs = training_pairs()
    table = learned(pairs, args.min_count, args.min_p)
    rev = reversed_dictionary()
    words = sorted(set(table) | set(rev))
    lines = [
        "# Indonesian -> English words. Learned: IBM Model 1 on SQuAD question and sentence pairs",
        "# (English SQuAD v1.1 and its machine translation, CC BY-SA 4.0) of bench/squad.py's TRAIN articles;",
        "# reversed: FreeDict English-Bahasa Indonesia (data/dictionary-en-id.tsv, CC BY-SA 3.0).",
        f"# Made by bench/lexicon.py --min-count {args.min_count} --min-p {args.min_p}.",
        "# indonesian<TAB>english words separated by '|'",
    ]
    for w in words:
        english = list(dict.fromkeys([*table.get(w, []), *rev.get(w, [])]))
        lines.append(f"{w}\t{'|'.join(english)}")
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(pairs)} training pairs; {len(table)} learned, {len(rev)} reversed, {len(words)} words -> {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
