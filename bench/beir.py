"""BEIR SciFact with Mitra's own retrievers: BM25 (SQLite FTS5 over Snowball stems),
dense all-MiniLM-L6-v2, multilingual-e5-small, and their fusions, including the one
Mitra uses for English queries (RetrievalConfig's "en" weights).

    .venv/bin/python bench/beir.py [--data ../shared/bench/scifact] [--tune]

Prints nDCG@10 and Recall@100 on the 300 test queries. `--tune` grid-searches the
fusion (method and weights) on the train split only, then reports test with the
chosen setting. Document embeddings are cached in bench/.cache/ (first run: a few
minutes on 2 cores).
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import math
import sqlite3
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.index.embed import E5Embedder, Embedder, MiniLMEmbedder
from assistant.index.lexical import Fts5Index
from assistant.index.store import SCHEMA
from assistant.search.fusion import rrf_fuse, score_fuse
from assistant.search.retriever import RetrievalConfig

CACHE = Path(__file__).resolve().parent / ".cache"


def load(data: Path) -> tuple[list[str], list[str], dict[str, str], dict[str, dict[str, dict[str, int]]]]:
    ids, texts = [], []
    for line in (data / "corpus.jsonl").read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        ids.append(d["_id"])
        texts.append(f"{d.get('title', '')}\n{d['text']}".strip())
    queries = {}
    for line in (data / "queries.jsonl").read_text(encoding="utf-8").splitlines():
        q = json.loads(line)
        queries[q["_id"]] = q["text"]
    qrels: dict[str, dict[str, dict[str, int]]] = {}
    for split in ("train", "test"):
        rows = (data / "qrels" / f"{split}.tsv").read_text().splitlines()[1:]
        for row in rows:
            qid, did, score = row.split("\t")
            qrels.setdefault(split, {}).setdefault(qid, {})[did] = int(score)
    return ids, texts, queries, qrels


def ndcg10(ranked: list[str], rel: dict[str, int]) -> float:
    dcg = sum(1 / math.log2(i + 2) for i, d in enumerate(ranked[:10]) if rel.get(d, 0) > 0)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(10, len(rel))))
    return dcg / ideal


def recall100(ranked: list[str], rel: dict[str, int]) -> float:
    return len(set(ranked[:100]) & set(rel)) / len(rel)


def embed_corpus(texts: list[str], model: Embedder, name: str = "minilm") -> np.ndarray:
    key = hashlib.sha256("\x00".join(texts).encode()).hexdigest()[:16]
    path = CACHE / f"scifact-{name}-{key}.npy"
    if path.exists():
        return np.load(path, allow_pickle=False)
    CACHE.mkdir(exist_ok=True)
    t = time.perf_counter()
    out = np.vstack([model.embed_passages(texts[i : i + 256]) for i in range(0, len(texts), 256)])
    print(f"embedded {len(texts)} documents in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    np.save(path, out, allow_pickle=False)
    return out


def bm25_index(texts: list[str]) -> tuple[sqlite3.Connection, Fts5Index, float]:
    """Mitra's BM25 (FTS5 over Snowball stems) over `texts` in memory, and the seconds it took."""
    conn = sqlite3.connect(":memory:")
    conn.executescript(SCHEMA)  # the lexical table beside the documents (whose language picks the stemmer)
    lexical = Fts5Index()
    t = time.perf_counter()
    lexical.add(conn, ((i, "d", text, "") for i, text in enumerate(texts)))
    return conn, lexical, time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared/bench/scifact")
    ap.add_argument("--tune", action="store_true", help="tune the fusion on the train split")
    args = ap.parse_args()
    ids, texts, queries, qrels = load(args.data)

    conn, lexical, bm25_index_s = bm25_index(texts)
    model, e5 = MiniLMEmbedder(), E5Embedder()
    vectors = embed_corpus(texts, model)
    e5_vectors = embed_corpus(texts, e5, "e5")

    def rankings(split: str) -> dict[str, dict[str, list[tuple[int, float]]]]:
        out = {}
        for qid in qrels[split]:
            q = queries[qid]
            bm = lexical.search(conn, q, 100)
            out[qid] = {"bm25": bm}
            for name, m, vecs in (("dense", model, vectors), ("multilingual", e5, e5_vectors)):
                scores = vecs @ m.embed_queries([q])[0]
                top = np.argsort(-scores)[:100]
                out[qid][name] = [(int(i), float(scores[i])) for i in top]
        return out

    def evaluate(
        ranks: dict[str, dict[str, list[tuple[int, float]]]],
        split: str,
        method: str,
        w: dict[str, float],
        k: int = 60,
    ) -> tuple[float, float]:
        nd = rc = 0.0
        for qid, rk in ranks.items():
            if method == "single":
                fused = rk[next(n for n, v in w.items() if v)]
            elif method == "rrf":
                fused = rrf_fuse({n: [p for p, _ in r] for n, r in rk.items()}, w, k)
            else:
                fused = score_fuse(rk, w)
            ranked = [ids[p] for p, _ in fused]
            nd += ndcg10(ranked, qrels[split][qid])
            rc += recall100(ranked, qrels[split][qid])
        return nd / len(ranks), rc / len(ranks)

    test = rankings("test")
    en = RetrievalConfig().weights["en"]
    chosen: tuple[str, dict[str, float], int] = ("score", {"bm25": 1.0, "dense": 1.0}, 60)
    if args.tune:
        train = rankings("train")
        best = None
        for method, wd, k in itertools.product(("score", "rrf"), (0.3, 0.5, 0.7, 1.0, 1.5, 2.0), (10, 30, 60)):
            if method == "score" and k != 60:
                continue
            w = {"bm25": 1.0, "dense": wd}
            nd, _ = evaluate(train, "train", method, w, k)
            if best is None or nd > best[0]:
                best = (nd, (method, w, k))
        assert best is not None
        chosen = best[1]
        print(
            f"tuned on train ({len(train)} queries): {chosen[0]} fusion, dense weight "
            f"{chosen[1]['dense']}, rrf k {chosen[2]}; train nDCG@10 {best[0]:.3f}"
        )
    rows = [
        ("BM25 (FTS5, Snowball stems)", evaluate(test, "test", "single", {"bm25": 1.0})),
        ("dense all-MiniLM-L6-v2", evaluate(test, "test", "single", {"dense": 1.0})),
        ("multilingual-e5-small", evaluate(test, "test", "single", {"multilingual": 1.0})),
        (
            f"hybrid BM25 + MiniLM ({chosen[0]} fusion, dense w={chosen[1]['dense']})",
            evaluate(test, "test", chosen[0], chosen[1], chosen[2]),
        ),
        (
            f"hybrid as Mitra ranks English (BM25 {en.bm25}, MiniLM {en.dense}, e5 {en.multilingual})",
            evaluate(test, "test", "score", {"bm25": en.bm25, "dense": en.dense, "multilingual": en.multilingual}),
        ),
    ]
    print(f"SciFact test: {len(test)} queries, {len(ids)} documents; BM25 indexed in {bm25_index_s:.1f} s")
    print("| retriever | nDCG@10 | Recall@100 |\n|---|---|---|")
    for name, (nd, rc) in rows:
        print(f"| {name} | {nd:.3f} | {rc:.3f} |")


if __name__ == "__main__":
    main()
