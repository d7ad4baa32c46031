"""Fusion weights learned on training questions and checked on others: Recall@1/5/10 and
MRR by language, per question set, for the fusion Mitra had and the one fitted here.

    nice -n 10 .venv/bin/python bench/fusion.py [--index DIR] [--corpus DIR] [--squad DIR] [--write]

Data, and what each is for:
- TRAIN: tests/eval/questions.jsonl (the set retrieval was developed on), the odd-numbered
  questions of tests/eval/regulations.jsonl (r001, r003, ...), and with `--squad` the English
  and Indonesian SQuAD questions on the TRAIN articles of bench/squad.py's library (the
  Indonesian ones over English text: the cross-lingual signal).
- CHECK, never fitted on: tests/eval/heldout.jsonl and the even-numbered regulations.

Each question's raw rankings (BM25 with and without the glossary; MiniLM with and without the
glossary's English rendering of an Indonesian question; e5; and, with the glossary and the
general dictionary, BM25 and MiniLM exactly as Mitra ranks, `Retriever.rankings`: the
lexicon's English for an Indonesian question's English documents, Indonesian passages'
English glosses; 50 candidates each) are made once and cached in bench/.cache/. The fit
(bench/fusion_fit.py), per query language: a grid over the three retrievers' weights and
the bonus of a passage of the regulation the question names, maximising MRR@10 + Recall@5
of the fused ranking on TRAIN. Then each configuration runs end to end (`Retriever.rank`:
fusion, priors, de-duplication) on every set; latency is that of `Retriever.search` with
the models loaded. `--write` stores the fitted weights in
assistant/search/data/fusion.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import statistics
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.config import Settings
from assistant.evaluate.retrieval import Question, Scores, is_relevant, load_questions
from assistant.index.library import Library
from assistant.lang.detect import detect_language
from assistant.lang.glossary import expand, to_english
from assistant.search.articles import named_documents
from assistant.search.fusion import FusionWeights
from assistant.search.retriever import RetrievalConfig, Retriever
from bench.fusion_fit import Candidates, cross_validated, fit
from bench.paths import REAL_CORPUS, REAL_INDEX, SHARED

REPO = Path(__file__).resolve().parents[1]
EVAL = REPO / "tests" / "eval"
CACHE = REPO / "bench" / ".cache"
DATA = REPO / "assistant" / "search" / "data" / "fusion.json"
N = 50  # candidates from each retriever, as RetrievalConfig.candidates
# The general dictionary's content: cached rankings made with another version are redone.
DICTIONARY_SHA = hashlib.sha256(
    (REPO / "assistant" / "lang" / "data" / "dictionary-en-id.tsv").read_bytes()
).hexdigest()[:12]

# The configuration of before this bench (hand-set on questions.jsonl and heldout.jsonl).
HAND = {
    "en": FusionWeights(bm25=1.0, dense=0.5, multilingual=0.5),
    "id": FusionWeights(bm25=1.0, dense=0.6, multilingual=1.0),
}


@dataclass
class Item:
    """One question, its set and split, and its retrievers' raw rankings."""

    set: str
    split: str  # "train" | "check"
    q: Question
    lang: str  # as detected, which is what the retriever uses
    raw: dict[str, list[tuple[int, float]]] = field(default_factory=dict)
    ms: dict[str, float] = field(default_factory=dict)
    pasal: str | None = None


def real_items() -> list[Item]:
    items = []
    for name, path in (("questions", "questions"), ("heldout", "heldout"), ("regulations", "regulations")):
        extra = {
            raw["id"]: raw.get("pasal")
            for raw in map(json.loads, (EVAL / f"{path}.jsonl").read_text(encoding="utf-8").splitlines())
        }
        for q in load_questions(EVAL / f"{path}.jsonl"):
            if not (q.answerable and q.gold):
                continue
            if name == "regulations":
                split = "train" if int(q.id.lstrip("r")) % 2 else "check"
            else:
                split = "train" if name == "questions" else "check"
            items.append(Item(name, split, q, detect_language(q.question), pasal=extra.get(q.id)))
    return items


def slug(title: str) -> str:
    """A SQuAD article's document id in bench/squad.py's library."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def train_titles(titles: list[str]) -> set[str]:
    """bench/squad.py's TRAIN articles: of the titles sorted, every fourth is out of the
    library, the others alternate TRAIN and TEST."""
    kept = [t for i, t in enumerate(sorted(titles)) if i % 4 != 3]
    return set(kept[::2])


def squad_items(folder: Path, per_article: int) -> list[Item]:
    """SQuAD questions on the TRAIN articles of bench/squad.py's split (every fourth title out
    of the library; the others alternate TRAIN, TEST), `per_article` of each language."""
    en = sorted(json.loads((folder / "dev-v1.1-en.json").read_text(encoding="utf-8"))["data"], key=lambda a: a["title"])
    idn = {a["title"]: a for a in json.loads((folder / "dev-v2.0-id.json").read_text(encoding="utf-8"))["data"]}
    items = []
    for article in en:
        if article["title"] not in train_titles([a["title"] for a in en]):
            continue
        doc = slug(article["title"])
        answers = {qa["id"]: qa["answers"] for p in article["paragraphs"] for qa in p["qas"]}
        english = [(qa["id"], qa["question"]) for p in article["paragraphs"] for qa in p["qas"]][::7][:per_article]
        indonesian = [
            (qa["id"], qa["question"])
            for p in idn.get(article["title"], {}).get("paragraphs", [])
            for qa in p["qas"]
            if not qa.get("is_impossible") and qa["id"] in answers
        ][::7][:per_article]
        for lang, qs in (("en", english), ("id", indonesian)):
            for qid, text in qs:
                gold = tuple(dict.fromkeys((doc, a["text"]) for a in answers[qid]))
                q = Question(f"{lang}-{qid}", text, lang, "squad", True, gold)
                items.append(Item("squad", "train", q, detect_language(text)))
    return items


def collect(library: Library, items: list[Item], key: str) -> None:
    """Fill each item's raw rankings, from the cache when it has them."""
    path = CACHE / f"fusion-{key}.json"
    cached: dict[str, Any] = json.loads(path.read_text()) if path.exists() else {}
    english, multilingual = library.space_for("english"), library.space_for("multilingual")
    assert english and multilingual, "the library needs both embedding spaces (minilm, e5)"
    mini, e5 = library.embedder(english), library.embedder(multilingual)
    runtime = Retriever(library, RetrievalConfig(glossary=True, dictionary=True, lexicon=True))
    for item in items:
        text, ident = item.q.question, f"{item.set}/{item.q.id}/{item.q.question}"
        if ident not in cached or cached[ident].get("dictionary") != DICTIONARY_SHA:
            raw: dict[str, Any] = {}
            ms: dict[str, float] = {}
            t = time.perf_counter()
            raw["bm25"] = library.lexical_search(expand(text, item.lang), N, glosses=item.lang == "en")  # type: ignore[arg-type]
            raw["bm25_plain"] = library.lexical_search(text, N, glosses=item.lang == "en")
            ms["bm25"] = (time.perf_counter() - t) * 500  # two searches
            t = time.perf_counter()
            translated = to_english(text) if item.lang == "id" else text
            raw["dense_glossary"] = library.dense_search(english, mini.embed_queries([translated])[0], N)
            ms["dense"] = (time.perf_counter() - t) * 1000
            plain = raw["dense_glossary"] if translated == text else None
            raw["dense_plain"] = plain or library.dense_search(english, mini.embed_queries([text])[0], N)
            t = time.perf_counter()
            raw["multilingual"] = library.dense_search(multilingual, e5.embed_queries([text])[0], N)
            ms["multilingual"] = (time.perf_counter() - t) * 1000
            # With the dictionary (and the lexicon), exactly as Mitra ranks: BM25 of an
            # Indonesian question split by document language, MiniLM with its English.
            shipped = runtime.rankings(text, language=item.lang)  # type: ignore[arg-type]
            raw["bm25_dictionary"], raw["dense"] = shipped["bm25"], shipped["dense"]
            cached[ident] = {"raw": raw, "ms": ms, "dictionary": DICTIONARY_SHA}
        item.raw = {k: [(int(p), float(s)) for p, s in v] for k, v in cached[ident]["raw"].items()}
        item.ms = cached[ident]["ms"]
    CACHE.mkdir(exist_ok=True)
    path.write_text(json.dumps(cached))


def parts(item: Item, glossary: bool, dictionary: bool = False) -> dict[str, list[tuple[int, float]]]:
    """The rankings a configuration fuses: with the glossary and the dictionary, Mitra's own;
    with the glossary alone, the glossary's English for MiniLM; without, the question as is."""
    if glossary and dictionary:
        return {
            "bm25": item.raw["bm25_dictionary"],
            "dense": item.raw["dense"],
            "multilingual": item.raw["multilingual"],
        }
    suffix = "_glossary" if glossary else "_plain"
    return {
        "bm25": item.raw["bm25" if glossary else "bm25_plain"],
        "dense": item.raw["dense" + suffix],
        "multilingual": item.raw["multilingual"],
    }


def candidates(library: Library, items: list[Item], glossary: bool, dictionary: bool = False) -> list[Candidates]:
    """The fit's view of each question: its candidates' normalised scores and relevance."""
    out = []
    for item in items:
        ranked = parts(item, glossary, dictionary)
        ids = sorted({pid for r in ranked.values() for pid, _ in r})
        passages = {p.id: p for p in library.passages(ids)}
        named = {d.id for d in named_documents(library, item.q.question)}
        other = {d.id for d in library.documents() if d.language and d.language != item.lang}
        docs = [passages[i].doc_id for i in ids]
        relevant = [is_relevant(passages[i].doc_id, passages[i].text, item.q.gold) for i in ids]
        out.append(
            Candidates.make(item.lang, ranked, ids, relevant, [d in named for d in docs], [d in other for d in docs])
        )
    return out


def evaluate(library: Library, items: list[Item], config: RetrievalConfig) -> dict[str, dict[str, float]]:
    """End to end on cached rankings: set/language -> R@1/5/10, MRR, and for regulations the
    share whose first relevant passage in the top 5 is of the Pasal the question is about."""
    retriever = Retriever(library, config)
    groups: dict[str, Scores] = {}
    pasal_hits: dict[str, list[int]] = {}
    for item in items:
        used = config.weights[item.lang].used()  # type: ignore[index]
        ranked = {n: r for n, r in parts(item, config.glossary, config.dictionary).items() if n in used}
        hits = retriever.rank(item.q.question, ranked, 10, language=item.lang)  # type: ignore[arg-type]
        ranks = [i for i, h in enumerate(hits, 1) if is_relevant(h.passage.doc_id, h.passage.text, item.q.gold)]
        for key in (f"{item.set}/{item.q.language}", f"{item.set}:{item.split}/{item.q.language}"):
            groups.setdefault(key, Scores()).add(ranks, 1)
        if item.pasal and ranks and ranks[0] <= 5:
            article = " ".join(item.pasal.split()[:2])
            section = hits[ranks[0] - 1].passage.section or ""
            ok = any(part.strip().startswith(article) for part in section.split(" > "))
            pasal_hits.setdefault(f"{item.set}/{item.q.language}", []).append(int(ok))
        elif item.pasal:
            pasal_hits.setdefault(f"{item.set}/{item.q.language}", []).append(0)
    out = {k: v.as_dict() for k, v in sorted(groups.items())}
    for k, v in pasal_hits.items():
        out[k]["pasal@5"] = sum(v) / len(v)
    return out


def en_over_id(library: Library, items: list[Item], config: RetrievalConfig) -> float:
    """MRR@10 + Recall@5 of the fused ranking on `items`."""
    report = evaluate(library, [replace(i, set="x", split="x") for i in items], config)
    return round(sum(m["mrr"] + m["recall@5"] for k, m in report.items() if k.startswith("x/")), 4)


def latency(library: Library, items: list[Item], config: RetrievalConfig) -> tuple[float, float]:
    """p50 / p95 ms of `Retriever.search` (models loaded, query embedding included)."""
    retriever = Retriever(library, config)
    retriever.search("warm up the models", k=10)
    times = []
    for item in items:
        t = time.perf_counter()
        retriever.search(item.q.question, k=10)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(0.95 * len(times)))]


def print_table(name: str, report: dict[str, dict[str, float]]) -> None:
    print(f"\n{name}\n| set / language | n | R@1 | R@5 | R@10 | MRR | Pasal@5 |\n|---|---|---|---|---|---|---|")
    for key, m in report.items():
        pasal = f"{m['pasal@5']:.3f}" if "pasal@5" in m else ""
        row = f"{m['recall@1']:.3f} | {m['recall@5']:.3f} | {m['recall@10']:.3f} | {m['mrr']:.3f}"
        print(f"| {key} | {m['n']} | {row} | {pasal} |")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--index", type=Path, default=REAL_INDEX)
    ap.add_argument("--corpus", type=Path, default=REAL_CORPUS)
    ap.add_argument("--squad", type=Path, help="bench/squad.py's library folder (corpus/, index/)")
    ap.add_argument("--squad-data", type=Path, default=SHARED / "bench" / "squad")
    ap.add_argument("--per-article", type=int, default=12)
    ap.add_argument("--latency", action="store_true", help="also time Retriever.search per configuration")
    ap.add_argument("--write", action="store_true", help="store the fitted weights in " + str(DATA.relative_to(REPO)))
    args = ap.parse_args()

    settings = Settings(corpus_dir=args.corpus, index_dir=args.index, embedders=("minilm", "e5"))
    library = Library.open(settings)
    key = hashlib.sha256(f"{args.index.resolve()}:{library.manifest.folder}".encode()).hexdigest()[:12]
    items = real_items()
    collect(library, items, key)
    print(
        f"{len(items)} questions of the real library; mean ms per query: "
        + ", ".join(f"{n} {statistics.mean(i.ms[n] for i in items):.1f}" for n in ("bm25", "dense", "multilingual"))
    )
    train = [i for i in items if i.split == "train"]
    extra: list[Candidates] = []
    squad_library = None
    if args.squad:
        squad_settings = Settings(
            corpus_dir=args.squad / "corpus", index_dir=args.squad / "index", embedders=("minilm", "e5")
        )
        squad_library = Library.open(squad_settings)
        sq = squad_items(args.squad_data, args.per_article)
        skey = hashlib.sha256(f"{args.squad.resolve()}:{squad_library.manifest.folder}".encode()).hexdigest()[:12]
        collect(squad_library, sq, "squad-" + skey)
        print(f"{len(sq)} SQuAD training questions (TRAIN articles)")

    configs: dict[str, RetrievalConfig] = {"hand-set (before)": RetrievalConfig(weights=HAND, dictionary=False)}
    configs["hand-set, no glossary"] = RetrievalConfig(weights=HAND, glossary=False, dictionary=False)
    fitted: dict[str, dict[str, Any]] = {}
    # The lexical translations of a query: none, the glossary (domain terms, both ways), or the
    # glossary and, for an English query, the general dictionary (data/dictionary-en-id.tsv).
    for glossary, dictionary in ((True, True), (True, False), (False, False)):
        cands = candidates(library, train, glossary, dictionary)
        if squad_library is not None:
            extra = candidates(squad_library, sq, glossary, dictionary)
        for cross in (False, True):
            weights, info = fit(cands + extra, cross)
            info["cross_validated"] = cross_validated(cands + extra, cross)
            label = (
                f"fitted{', per document language' if cross else ''}{'' if glossary else ', no glossary'}"
                f"{', dictionary' if dictionary else ''}"
            )
            configs[label] = RetrievalConfig(weights=weights, glossary=glossary, dictionary=dictionary)
            fitted[label] = {
                "glossary": glossary,
                "dictionary": dictionary,
                "weights": {k: vars(v) for k, v in weights.items()},
                "train": info,
            }
            print(f"{label}: {json.dumps(fitted[label])}", flush=True)
    results = {}
    for name, config in configs.items():
        results[name] = evaluate(library, items, config)
        print_table(name, results[name])
        if args.latency:
            p50, p95 = latency(library, items, config)
            print(f"latency of Retriever.search over the {len(items)} questions: p50 {p50:.0f} ms, p95 {p95:.0f} ms")
    # The dictionary changes an English query only where the documents are Indonesian:
    # between classes alike but for it, it is judged on the TRAIN questions it is for.
    language = {d.id: d.language for d in library.documents()}
    crossing = [i for i in train if i.q.language == "en" and all(language.get(doc) == "id" for doc, _ in i.q.gold)]
    for label in fitted:
        fitted[label]["train"]["english_over_indonesian"] = en_over_id(library, crossing, configs[label])
        print(
            f"{label}: TRAIN English questions over Indonesian documents (n={len(crossing)}): "
            f"{fitted[label]['train']['english_over_indonesian']}"
        )
    if args.write:
        write(fitted, results, bool(args.squad))


def write(fitted: dict[str, dict[str, Any]], results: dict[str, dict[str, dict[str, float]]], squad: bool) -> None:
    """The configuration whose class (glossary or not, weights per document language or not)
    cross-validates best on TRAIN, into assistant/search/data/fusion.json, with where it came
    from and its CHECK figures."""
    best = max(v["train"]["cross_validated"][0] for v in fitted.values())
    # The one-standard-error rule (Breiman et al. 1984): the simplest class (fewest weights:
    # no per-document-language weights; then with the glossary, the shipped default) whose
    # cross-validated objective is within one standard error of the best. The dictionary
    # adds no weight: it is taken when it does better on the TRAIN questions it is for
    # (English over Indonesian documents; see main).
    within = [
        k for k, v in fitted.items() if v["train"]["cross_validated"][0] >= best - v["train"]["cross_validated"][1]
    ]
    label = min(within, key=lambda k: ("per document language" in k, "no glossary" in k, "dictionary" in k))
    twin = f"{label}, dictionary"
    if (
        twin in within
        and fitted[twin]["train"]["english_over_indonesian"] > fitted[label]["train"]["english_over_indonesian"]
    ):
        label = twin
    checks = {k: {m: round(v[m], 3) for m in ("recall@5", "mrr")} for k, v in results[label].items() if ":check" in k}
    data = {
        "about": "Fusion weights per query language: score fusion of min-max normalised BM25, MiniLM (dense) and "
        "e5 (multilingual) scores, plus a bonus for a passage of the regulation the question names by number.",
        "fitted_by": "bench/fusion.py (grid search in bench/fusion_fit.py), maximising MRR@10 + Recall@5 of the fused "
        "ranking on TRAIN, each training set counting equally",
        "train": "tests/eval/questions.jsonl, odd-numbered tests/eval/regulations.jsonl"
        + (", SQuAD questions (English, Indonesian) on bench/squad.py's TRAIN articles" if squad else ""),
        "check": "tests/eval/heldout.jsonl, even-numbered tests/eval/regulations.jsonl (never fitted on)",
        "chosen": f"{label}: the simplest class within one standard error of the best in 2-fold cross-validation "
        "on TRAIN (mean, s.e.: "
        + "; ".join(f"{k} {v['train']['cross_validated']}" for k, v in fitted.items())
        + "); the dictionary taken when it does better on the TRAIN English questions over Indonesian documents "
        "(train_objective.english_over_indonesian); its weights refitted on all of TRAIN",
        "glossary": fitted[label]["glossary"],
        "dictionary": fitted[label]["dictionary"],
        "train_objective": fitted[label]["train"],
        "check_figures": checks,
        "weights": fitted[label]["weights"],
    }
    if DATA.exists():  # the lexicon's verdict is bench/lexicon.py --fold-check's
        previous = json.loads(DATA.read_text(encoding="utf-8"))
        data |= {k: previous[k] for k in ("lexicon", "lexicon_check") if k in previous}
    DATA.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {DATA.relative_to(REPO)} ({label})")


if __name__ == "__main__":
    main()
