"""Why BM25 runs on SQLite FTS5: bm25s and FTS5 measured on BEIR SciFact (test split).

    .venv/bin/python bench/lexical_choice.py

Prints nDCG@10, index time and per-query time for bm25s (Lucene BM25, Snowball
stems, English stopwords: the configuration of its published 0.687) and for FTS5
with three tokenisations (porter, unicode61 over Snowball-stemmed text as Mitra
stores it).
"""

from __future__ import annotations

import re
import sqlite3
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.beir import bm25_index, load, ndcg10

DATA = Path(__file__).resolve().parents[2] / "shared/bench/scifact"


def main() -> None:
    import bm25s
    import Stemmer

    ids, texts, queries, splits = load(DATA)
    qrels = splits["test"]
    qids = list(qrels)
    rows = []

    stemmer = Stemmer.Stemmer("english")
    t = time.perf_counter()
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize(texts, stopwords="en", stemmer=stemmer, show_progress=False), show_progress=False)
    index_s = time.perf_counter() - t
    t = time.perf_counter()
    tokens = bm25s.tokenize([queries[q] for q in qids], stopwords="en", stemmer=stemmer, show_progress=False)
    results, _ = retriever.retrieve(tokens, k=10, show_progress=False)
    query_s = time.perf_counter() - t
    score = np.mean([ndcg10([ids[j] for j in results[i]], qrels[q]) for i, q in enumerate(qids)])
    rows.append(("bm25s (Lucene BM25, Snowball, stopwords)", score, index_s, query_s, "no: rebuilt whole"))

    for tokenizer in ("porter unicode61 remove_diacritics 2", "unicode61 remove_diacritics 2"):
        conn = sqlite3.connect(":memory:")
        conn.execute(f"CREATE VIRTUAL TABLE f USING fts5(t, tokenize='{tokenizer}')")
        t = time.perf_counter()
        conn.executemany("INSERT INTO f(rowid, t) VALUES (?, ?)", enumerate(texts))
        index_s = time.perf_counter() - t
        t = time.perf_counter()
        scores = []
        for q in qids:
            words = [w for w in re.findall(r"\w+", queries[q].lower()) if w not in bm25s.stopwords.STOPWORDS_EN]
            match = " OR ".join(f'"{w}"' for w in dict.fromkeys(words))
            found = conn.execute("SELECT rowid FROM f WHERE f MATCH ? ORDER BY rank LIMIT 10", (match,)).fetchall()
            scores.append(ndcg10([ids[r[0]] for r in found], qrels[q]))
        rows.append(
            (
                f"FTS5 tokenize='{tokenizer}', raw text",
                float(np.mean(scores)),
                index_s,
                time.perf_counter() - t,
                "yes",
            )
        )

    conn, lexical, index_s = bm25_index(texts)
    t = time.perf_counter()
    scores = [ndcg10([ids[p] for p, _ in lexical.search(conn, queries[q], 10)], qrels[q]) for q in qids]
    rows.append(
        (
            "FTS5 over Snowball stems (Mitra's Fts5Index)",
            float(np.mean(scores)),
            index_s,
            time.perf_counter() - t,
            "yes",
        )
    )

    print(f"SciFact test, {len(qids)} queries, {len(texts)} documents\n")
    print("| BM25 implementation | nDCG@10 | index s | 300 queries s | incremental |\n|---|---|---|---|---|")
    for name, nd, ix, qs, inc in rows:
        print(f"| {name} | {nd:.3f} | {ix:.2f} | {qs:.2f} | {inc} |")


if __name__ == "__main__":
    main()
