"""Answers on SQuAD articles nobody tuned for, English and Indonesian, with a baseline.

    nice -n 10 .venv/bin/python bench/squad.py [--per-article 12] [--split test] [--json F]
        [--text en|id|both|real]

Data: ../shared/bench/squad (README there). The 23 English articles, sorted by title, are
split deterministically: every fourth (3, 7, 11, ...) is left OUT of the library (its
questions are about an article the library does not hold; alternately TRAIN and TEST),
the others alternate TRAIN (0, 2, ...) and TEST (1, 3, ...). One library holds the TRAIN
and TEST articles (one Markdown file per article, one paragraph per block), indexed with
the real embedders (minilm, e5) under bench/paths.py CACHE/squad (kept: a rerun reuses it).

Questions, sampled per article with a fixed seed (`--per-article N` of each kind):
English answerable (SQuAD v1.1), Indonesian answerable (SQuAD 2.0 machine-translated;
same ids, so the English paragraph and answers apply), Indonesian SQuAD 2.0 impossible,
and English and Indonesian questions about the OUT articles.

`--text id`: a library of the Indonesian (machine-translated) articles instead, asked the
Indonesian questions whose translated answer is in the translated paragraph (rows "id>id":
an Indonesian question over Indonesian text, as the officials ask of the regulations), the
impossible ones, and those about the OUT articles. `--text real`: the project's library,
asked the English and Indonesian questions (every one off its topic; "off-topic").

Figures per split and language, for the engine and, in the same run, a baseline (the
engine's own top retrieved passage, its sentence with most question words; never
refuses): gold answer span in the answer's quotes, in its first quote, mean quoted words,
answerable refused, not-in-library refused, impossible refused.
"""

from __future__ import annotations

import argparse
import functools
import json
import random
import re
import statistics
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.answer import AnswerEngine, passage_units, tokens
from assistant.answer.question import QUESTION_STOPWORDS
from assistant.config import Settings
from assistant.evaluate.answers import holds_gold
from assistant.index.build import build_index
from assistant.index.library import Library
from bench.embedcache import cached_embedders
from bench.paths import CACHE, REAL_CORPUS, REAL_INDEX, SHARED

DATA = SHARED / "bench" / "squad"
WORK = CACHE / "squad"
WORK_ID = CACHE / "squad-id"  # the library of the Indonesian (machine-translated) articles
SPLITS = ("train", "test")


@dataclass(frozen=True)
class SquadQuestion:
    id: str
    article: str
    split: str  # "train" | "test": of its article
    language: str  # "en" | "id"
    kind: str  # "answerable" | "impossible" | "absent" (article not in the library) | "altered" (`altered`)
    text: str
    golds: tuple[str, ...]
    context: str = ""  # the English paragraph holding the answer
    over: str = "en"  # the library's text: "en" (the English articles) or "id" (their translation)


def load() -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    en = json.loads((DATA / "dev-v1.1-en.json").read_text(encoding="utf-8"))["data"]
    idn = json.loads((DATA / "dev-v2.0-id.json").read_text(encoding="utf-8"))["data"]
    return sorted(en, key=lambda a: a["title"]), {a["title"]: a for a in idn}


def split_of(titles: list[str]) -> dict[str, tuple[str, bool]]:
    """Title -> (split, in library): see the module docstring."""
    out: dict[str, tuple[str, bool]] = {}
    kept = out_n = 0
    for i, t in enumerate(sorted(titles)):
        if i % 4 == 3:
            out[t] = (SPLITS[out_n % 2], False)
            out_n += 1
        else:
            out[t] = (SPLITS[kept % 2], True)
            kept += 1
    return out


def slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def build_library(
    articles: list[dict[str, Any]],
    splits: dict[str, tuple[str, bool]],
    work: Path = WORK,
    leave_out: frozenset[str] = frozenset(),
) -> Library:
    """Write the library's Markdown files (unchanged files are left alone) and bring its
    index up to date with the real embedders; vectors cached by text hash. `work`: the
    folder of this library; `leave_out`: titles of in-library articles kept out of it (the
    training folds of `bench/train_answer.py`)."""
    corpus, index = work / "corpus", work / "index"
    corpus.mkdir(parents=True, exist_ok=True)
    wanted = set()
    for a in articles:
        if not splits[a["title"]][1] or a["title"] in leave_out:
            continue
        path = corpus / f"{slug(a['title'])}.md"
        wanted.add(path.name)
        body = f"# {a['title'].replace('_', ' ')}\n\n" + "\n\n".join(p["context"].strip() for p in a["paragraphs"])
        if not path.exists() or path.read_text(encoding="utf-8") != body + "\n":
            path.write_text(body + "\n", encoding="utf-8")
    for old in corpus.glob("*.md"):
        if old.name not in wanted:
            old.unlink()
    settings = Settings(corpus_dir=corpus, index_dir=index, embedders=("minilm", "e5"))
    embedders = cached_embedders(settings.embedders)
    t = time.perf_counter()
    build_index(settings, embedders=embedders)
    print(f"library: {len(wanted)} articles, index ready in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    return Library.open(settings, embedders)


def questions(
    articles: list[dict[str, Any]],
    indonesian: dict[str, dict[str, Any]],
    splits: dict[str, tuple[str, bool]],
    per_article: int,
) -> list[SquadQuestion]:
    """The sampled questions of every article (see the module docstring)."""
    out: list[SquadQuestion] = []
    names = question_names(articles)
    for a in articles:
        title = a["title"]
        split, inside = splits[title]
        rng = random.Random(f"squad:{title}")
        en = [(q, p["context"]) for p in a["paragraphs"] for q in p["qas"]]
        by_id = {q["id"]: (q, ctx) for q, ctx in en}
        golds = {q["id"]: tuple(dict.fromkeys(x["text"] for x in q["answers"])) for q, _ in en}
        kind = "answerable" if inside else "absent"
        for q, ctx in rng.sample(en, min(per_article, len(en))):
            out.append(SquadQuestion(q["id"], title, split, "en", kind, q["question"], golds[q["id"]], ctx))
        idq = [q for p in indonesian.get(title, {}).get("paragraphs", []) for q in p["qas"]]
        possible = [q for q in idq if not q.get("is_impossible") and q["id"] in by_id]
        impossible = [q for q in idq if q.get("is_impossible")]
        for q in rng.sample(possible, min(per_article, len(possible))):
            ctx = by_id[q["id"]][1]
            out.append(SquadQuestion(q["id"], title, split, "id", kind, q["question"], golds[q["id"]], ctx))
        if inside:
            for q in rng.sample(impossible, min(per_article // 2, len(impossible))):
                out.append(SquadQuestion(q["id"], title, split, "id", "impossible", q["question"], ()))
            out += altered_questions(a, [q for q in out if q.article == title and q.kind == "answerable"], names)
    return out


_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")
_NAME = re.compile(r"(?<=\s)[A-Z][\w'-]+(?:\s+(?:of\s+|de\s+)?[A-Z][\w'-]+)*")


def question_names(articles: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Title -> the names (capitalised words past the first) its English questions use."""
    return {
        a["title"]: [m.group(0) for p in a["paragraphs"] for q in p["qas"] for m in _NAME.finditer(q["question"])]
        for a in articles
    }


def altered(text: str, article: str, pool: list[str], rng: random.Random) -> str | None:
    """`text` with one constraint changed so that the article no longer answers it, as SQuAD
    2.0's writers made unanswerable questions: a year it names moved to one the article never
    mentions, else a name it shares with the article replaced by a name from another
    article's questions that this article never mentions. None when it has neither."""
    years = [m for m in _YEAR.finditer(text) if m.group(0) in article]
    if years:
        m = rng.choice(years)
        offsets = [d for d in range(-30, 31) if d and str(int(m.group(0)) + d) not in article]
        if offsets:
            new = str(int(m.group(0)) + rng.choice(offsets))
            return text[: m.start()] + new + text[m.end() :]
    found = [m for m in _NAME.finditer(text) if m.group(0) in article]
    others = _unmentioned(article, tuple(pool))
    if not found or not others:
        return None
    m = rng.choice(found)
    return text[: m.start()] + rng.choice(others) + text[m.end() :]


@functools.lru_cache(maxsize=4)
def _unmentioned(article: str, pool: tuple[str, ...]) -> list[str]:
    """The names of `pool` the article never mentions, sorted (once per article)."""
    lower = article.lower()
    return sorted({n for n in pool if n not in article and n.lower() not in lower})


def altered_questions(
    article: dict[str, Any], answerable: list[SquadQuestion], names: dict[str, list[str]]
) -> list[SquadQuestion]:
    """An altered twin (kind "altered", never answerable: `altered`) of each answerable
    question of `article` that names a year or a name of it; seeded by the article."""
    rng = random.Random(f"altered:{article['title']}")
    text = "\n".join(p["context"] for p in article["paragraphs"])
    pool = [n for t, ns in names.items() if t != article["title"] for n in ns]
    out = []
    for q in answerable:
        new = altered(q.text, text, pool, rng)
        if new is not None:
            out.append(SquadQuestion(f"{q.id}-altered", q.article, q.split, q.language, "altered", new, ()))
    return out


def setup(per_article: int) -> tuple[Library, list[SquadQuestion]]:
    articles, indonesian = load()
    splits = split_of([a["title"] for a in articles])
    return build_library(articles, splits), questions(articles, indonesian, splits, per_article)


def indonesian_text_questions(
    indonesian: dict[str, dict[str, Any]], splits: dict[str, tuple[str, bool]], per_article: int
) -> list[SquadQuestion]:
    """Indonesian questions over the Indonesian text (`over` "id"), as the project's
    officials ask of its regulations: answerable ones whose translated answer is found in
    the translated paragraph (1,839 of 2,111; the rest were translated apart), SQuAD 2.0
    impossible ones, and those about the OUT articles ("absent"); sampled as `questions`."""
    out: list[SquadQuestion] = []
    for title in sorted(indonesian):
        split, inside = splits[title]
        rng = random.Random(f"squad-id:{title}")
        qas = [(q, p["context"]) for p in indonesian[title]["paragraphs"] for q in p["qas"]]
        found = []
        for q, ctx in qas:
            golds = tuple(dict.fromkeys(x["text"] for x in q["answers"] if x["text"].strip() and x["text"] in ctx))
            if not q.get("is_impossible") and golds:
                found.append((q, golds, ctx))
        kind = "answerable" if inside else "absent"
        for q, golds, ctx in rng.sample(found, min(per_article, len(found))):
            out.append(SquadQuestion(q["id"], title, split, "id", kind, q["question"], golds, ctx, over="id"))
        if inside:
            impossible = [q for q, _ in qas if q.get("is_impossible")]
            for q in rng.sample(impossible, min(per_article // 2, len(impossible))):
                out.append(SquadQuestion(q["id"], title, split, "id", "impossible", q["question"], (), over="id"))
    return out


def setup_off_topic(per_article: int) -> tuple[Library, list[SquadQuestion]]:
    """The project's library (bench/paths.py REAL_CORPUS, REAL_INDEX, built with `mitra
    index`) and the SQuAD questions about Wikipedia articles, English and Indonesian (kind
    "off_topic"): none is about the library's subject, though many share common words with
    it ("Apa ibu kota ...?" and a row naming 'RS Khusus Ibu dan Anak')."""
    articles, indonesian = load()
    splits = split_of([a["title"] for a in articles])
    settings = Settings(corpus_dir=REAL_CORPUS, index_dir=REAL_INDEX, embedders=("minilm", "e5"))
    library = Library.open(settings, cached_embedders(settings.embedders))
    asked = [q for q in questions(articles, indonesian, splits, per_article) if q.kind in ("answerable", "absent")]
    return library, [replace(q, kind="off_topic", golds=()) for q in asked]


def setup_indonesian(per_article: int, work: Path = WORK_ID) -> tuple[Library, list[SquadQuestion]]:
    """The library of the translated articles and its questions (`indonesian_text_questions`)."""
    articles, indonesian = load()
    splits = split_of([a["title"] for a in articles])
    library = build_library(sorted(indonesian.values(), key=lambda a: a["title"]), splits, work)
    return library, indonesian_text_questions(indonesian, splits, per_article)


# -- the baseline ---------------------------------------------------------------------------


def baseline_sentence(engine: AnswerEngine, question: str, hits: Iterable[Any]) -> str:
    """The sentence of the top passage with most question words (stems)."""
    asked = {s for s in tokens(question) if s not in QUESTION_STOPWORDS}
    for hit in hits:
        text = engine.library.text(hit.passage.doc_id)
        spans = passage_units(text, hit.passage)
        if spans:
            a, b = max(spans, key=lambda sp: len(asked & set(tokens(text[sp[0] : sp[1]]))))
            return text[a:b]
        break
    return ""


# -- the run ------------------------------------------------------------------------------------


def ask(engine: AnswerEngine, qs: list[SquadQuestion]) -> list[dict[str, Any]]:
    rows = []
    for q in qs:
        t = time.perf_counter()
        a = engine.answer(q.text)
        ms = (time.perf_counter() - t) * 1000
        quotes = [c.quote for c in a.citations]
        ev = engine.gather(q.text)
        base = baseline_sentence(engine, q.text, ev.hits)
        rows.append(
            {
                "id": q.id,
                "split": q.split,
                "language": q.language if q.over == "en" else f"{q.language}>{q.over}",
                "kind": q.kind,
                "refused": a.abstained,
                "reason": getattr(a, "refusal_reason", ""),
                "gold": bool(q.golds) and holds_gold(" ".join(quotes), q.golds),
                "gold_first": bool(q.golds and quotes) and holds_gold(quotes[0], q.golds),
                "words": sum(len(x.split()) for x in quotes),
                "base_gold": bool(q.golds) and holds_gold(base, q.golds),
                "base_words": len(base.split()),
                "ms": ms,
            }
        )
    return rows


def _mean(xs: list[float]) -> float:
    return statistics.mean(xs) if xs else float("nan")


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for split in SPLITS:
        for lang in dict.fromkeys(r["language"] for r in rows):
            sel = [r for r in rows if r["split"] == split and r["language"] == lang]
            ans = [r for r in sel if r["kind"] == "answerable"]
            said = [r for r in ans if not r["refused"]]
            out[f"{split}/{lang}"] = {
                "answerable": len(ans),
                "gold_in_answer": _mean([r["gold"] for r in ans]),
                "gold_in_first_quote": _mean([r["gold_first"] for r in ans]),
                "mean_quoted_words": _mean([r["words"] for r in said]),
                "answerable_refused": _mean([r["refused"] for r in ans]),
                "absent_refused": _mean([r["refused"] for r in sel if r["kind"] == "absent"]),
                "absent_n": sum(r["kind"] == "absent" for r in sel),
                "impossible_refused": _mean([r["refused"] for r in sel if r["kind"] == "impossible"]),
                "impossible_n": sum(r["kind"] == "impossible" for r in sel),
                "altered_refused": _mean([r["refused"] for r in sel if r["kind"] == "altered"]),
                "altered_n": sum(r["kind"] == "altered" for r in sel),
                "off_topic_refused": _mean([r["refused"] for r in sel if r["kind"] == "off_topic"]),
                "off_topic_n": sum(r["kind"] == "off_topic" for r in sel),
                "baseline_gold": _mean([r["base_gold"] for r in ans]),
                "baseline_words": _mean([r["base_words"] for r in ans]),
            }
    lat = sorted(r["ms"] for r in rows)
    out["latency_ms"] = {"p50": statistics.median(lat), "p95": lat[int(0.95 * (len(lat) - 1))]} if lat else {}
    return out


def print_report(report: dict[str, Any]) -> None:
    cols = (
        ("n", "answerable", "{:.0f}"),
        ("gold", "gold_in_answer", "{:.3f}"),
        ("1st q", "gold_in_first_quote", "{:.3f}"),
        ("words", "mean_quoted_words", "{:.1f}"),
        ("refused", "answerable_refused", "{:.3f}"),
        ("absent ref", "absent_refused", "{:.3f}"),
        ("imposs ref", "impossible_refused", "{:.3f}"),
        ("alter ref", "altered_refused", "{:.3f}"),
        ("off-topic", "off_topic_refused", "{:.3f}"),
        ("base gold", "baseline_gold", "{:.3f}"),
        ("base words", "baseline_words", "{:.1f}"),
    )
    print(f"{'split/lang':10} " + " ".join(f"{c[0]:>10}" for c in cols))
    for key, m in report.items():
        if key == "latency_ms":
            continue
        print(f"{key:10} " + " ".join(f"{c[2].format(m[c[1]]):>10}" for c in cols))
    print(f"latency per answer (models loaded): {report['latency_ms']}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--per-article", type=int, default=12, help="questions of each kind per article")
    ap.add_argument("--split", choices=("train", "test", "both"), default="both")
    ap.add_argument("--json", type=Path, help="also write the rows and summary here")
    ap.add_argument(
        "--text",
        choices=("en", "id", "both", "real"),
        default="en",
        help="the library: the English articles (English and Indonesian questions), their Indonesian "
        "translation (Indonesian questions, rows 'id>id'), both in turn, or the project's (every "
        "question off its topic: `setup_off_topic`)",
    )
    args = ap.parse_args()
    rows = []
    made = {"en": setup, "id": setup_indonesian, "real": setup_off_topic}
    for text in ("en", "id") if args.text == "both" else (args.text,):
        library, qs = made[text](args.per_article)
        if args.split != "both":
            qs = [q for q in qs if q.split == args.split]
        engine = AnswerEngine(library)
        engine.warm_up()
        t = time.perf_counter()
        rows += ask(engine, qs)
    print(f"{len(rows)} questions in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    report = summarise(rows)
    print_report(report)
    if args.json:
        args.json.write_text(json.dumps({"summary": report, "rows": rows}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
