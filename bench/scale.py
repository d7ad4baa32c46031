"""Scale benchmark: hybrid search latency and memory at 100,000 passages, and the
exact-vs-approximate vector index trade-off that sets `store.APPROX_THRESHOLD`.

    .venv/bin/python bench/scale.py [--passages 100000]

Passages are generated: their text recombines sentences of the bundled library with
random domain words (so BM25 has realistic postings); a fifth of them are table blocks
of five rows with a vector per row. Vectors are drawn around random cluster centres
(embedding 100,000 passages would take hours on 2 cores; search cost does not depend
on what the vectors mean). Queries go through the real pipeline: real query embedding
(both models), FTS5, FAISS and row vectors, fusion, dedup.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.index import store
from assistant.index.embed import E5Embedder, MiniLMEmbedder
from assistant.index.lexical import Fts5Index
from assistant.index.library import Library
from assistant.ingest.sentences import sentence_spans
from assistant.search.retriever import Retriever

REPO = Path(__file__).resolve().parents[1]
QUERIES = [json.loads(line)["question"] for line in (REPO / "tests/eval/questions.jsonl").open()]


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def clustered(n: int, dim: int, rng: np.random.Generator, centres: np.ndarray) -> np.ndarray:
    v = centres[rng.integers(0, len(centres), n)] + 0.35 * rng.standard_normal((n, dim)).astype(np.float32)
    return (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)


def make_index(root: Path, n: int, seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    pyrng = random.Random(seed)
    sentences = []
    for path in (REPO / "corpus/studies").glob("*.md"):
        text = path.read_text(encoding="utf-8")
        sentences += [text[a:b] for a, b in sentence_spans(text) if len(text[a:b].split()) > 5]
    vocab = sorted({w for s in sentences for w in s.split() if w.isalpha()})
    folder = root / "gen-000001"
    folder.mkdir(parents=True)
    conn = store.connect(folder / store.DB_NAME)
    docs = 100
    per_doc = n // docs
    manifest_docs = {}
    pid = 1
    lexical = Fts5Index()
    for d in range(docs):
        doc_id = f"synthetic-{d:03d}"
        parts, rows, offset = [], [], 0
        for o in range(per_doc):
            text = " ".join(pyrng.sample(sentences, 3)) + " " + " ".join(pyrng.sample(vocab, 12))
            rows.append((pid, doc_id, o, offset, offset + len(text), None, None, f"Part {o // 20}", None, text))
            parts.append(text)
            offset += len(text) + 2
            pid += 1
        conn.execute(
            "INSERT INTO documents (id, path, title, type, sha256, fingerprint, status, year, language, "
            "passages, text) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (
                doc_id,
                f"{doc_id}.txt",
                f"Synthetic report {d}",
                "study",
                "0" * 64,
                "0",
                "indexed",
                2000 + d % 25,
                "en",
                per_doc,
                "\n\n".join(parts),
            ),
        )
        conn.executemany(
            'INSERT INTO passages (id, doc_id, ordinal, start, "end", page, page_label, section, '
            "rows, text) VALUES (?,?,?,?,?,?,?,?,?,?)",
            rows,
        )
        lexical.add(conn, ((r[0], doc_id, r[9]) for r in rows))
        manifest_docs[doc_id] = {
            "path": f"{doc_id}.txt",
            "sha256": "0" * 64,
            "fingerprint": "0",
            "status": "indexed",
            "passage_ids": [r[0] for r in rows],
        }
    conn.commit()
    conn.close()
    ids = np.arange(1, pid, dtype=np.int64)
    # A fifth of the passages are table blocks of five rows, each row with its own vector
    # (searched exactly, besides FAISS: see Library.dense_search).
    table_ids = ids[: len(ids) // 5]
    conn = store.connect(folder / store.DB_NAME)
    conn.executemany("UPDATE passages SET rows = '1-5' WHERE id = ?", ((int(i),) for i in table_ids))
    for space, dim in (("minilm", 384), ("e5", 384)):
        centres = rng.standard_normal((256, dim)).astype(np.float32)
        index = store.new_vector_index(dim, clustered(len(ids), dim, rng, centres), ids)
        store.write_faiss(index, folder / store.faiss_name(space))
        row_vectors = clustered(len(table_ids) * 5, dim, rng, centres)
        conn.executemany(
            "INSERT INTO row_vectors (passage_id, space, row, vector) VALUES (?, ?, ?, ?)",
            ((int(table_ids[i // 5]), space, i % 5, row_vectors[i].tobytes()) for i in range(len(table_ids) * 5)),
        )
    conn.commit()
    conn.close()
    manifest = store.Manifest(
        embedders={"minilm": {"id": MiniLMEmbedder.id, "dim": 384}, "e5": {"id": E5Embedder.id, "dim": 384}},
        chunking={},
        generation=1,
        next_passage_id=pid,
        documents=manifest_docs,
    )
    store.write_atomic(root / store.MANIFEST, manifest.to_json().encode())


def vector_tradeoff(
    sizes: list[int], dim: int = 384, queries: int = 200
) -> list[tuple[int, float, float, float, float]]:
    """(n, flat p95 ms, ivf p95 ms, ivf recall@10 vs exact, ivf build s) per size."""
    import faiss

    rng = np.random.default_rng(1)
    centres = rng.standard_normal((256, dim)).astype(np.float32)
    out = []
    for n in sizes:
        data = clustered(n, dim, rng, centres)
        qs = clustered(queries, dim, rng, centres)
        ids = np.arange(n, dtype=np.int64)
        flat = faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
        flat.add_with_ids(data, ids)
        t = time.perf_counter()
        nlist = int(4 * np.sqrt(n))
        ivf = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, nlist, faiss.METRIC_INNER_PRODUCT)
        ivf.train(data[rng.permutation(n)[: nlist * 64]])
        ivf.add_with_ids(data, ids)
        ivf.nprobe = store.ivf_nprobe(nlist)
        build = time.perf_counter() - t
        lat = {"flat": [], "ivf": []}
        recall = []
        for q in qs:
            q = q.reshape(1, -1)
            t = time.perf_counter()
            _, exact = flat.search(q, 10)
            lat["flat"].append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            _, approx = ivf.search(q, 10)
            lat["ivf"].append((time.perf_counter() - t) * 1000)
            recall.append(len(set(exact[0]) & set(approx[0])) / 10)
        p95 = {k: sorted(v)[int(0.95 * len(v))] for k, v in lat.items()}
        out.append((n, p95["flat"], p95["ivf"], float(np.mean(recall)), build))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--passages", type=int, default=100_000)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="mitra-scale-"))
    try:
        t = time.perf_counter()
        make_index(work, args.passages)
        build_s = time.perf_counter() - t
        size_mb = sum(p.stat().st_size for p in work.rglob("*") if p.is_file()) / 2**20
        base_rss = rss_mib()
        lib = Library(work)
        retriever = Retriever(lib)
        retriever.search("warm up the models", k=10)
        loaded_rss = rss_mib()
        latencies = []
        for q in QUERIES:
            t = time.perf_counter()
            retriever.search(q, k=10)
            latencies.append((time.perf_counter() - t) * 1000)
        latencies.sort()
        kind = store.vector_index_kind(args.passages)
        print(f"## {args.passages:,} passages ({kind} vector index), {len(QUERIES)} queries\n")
        print("| figure | value |\n|---|---|")
        print(f"| generated index on disk | {size_mb:.0f} MiB (built in {build_s:.0f} s) |")
        print(
            f"| hybrid search p50 / p95 (query embedding included) | {statistics.median(latencies):.0f} / "
            f"{latencies[int(0.95 * len(latencies))]:.0f} ms |"
        )
        print(
            f"| peak RSS before opening / with index and both models loaded | {base_rss:.0f} / {loaded_rss:.0f} MiB |"
        )
        print(
            "\n## Exact vs approximate (IVF: nlist 4*sqrt(n), nprobe nlist/16, at least 32) vector search,"
            " one space, 200 queries, clustered synthetic vectors\n"
        )
        print("| passages | exact p95 ms | IVF p95 ms | IVF recall@10 vs exact | IVF build s |\n|---|---|---|---|---|")
        for n, flat, ivf, rec, b in vector_tradeoff([10_000, 50_000, 100_000, 200_000, 400_000]):
            print(f"| {n:,} | {flat:.1f} | {ivf:.1f} | {rec:.3f} | {b:.1f} |")
        real_vector_recall()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def real_vector_recall() -> None:
    """IVF recall on real embeddings: SciFact documents (cached by bench/beir.py), as queries too."""
    import faiss

    cached = sorted((REPO / "bench/.cache").glob("scifact-minilm-*.npy"))
    if not cached:
        print("\n(run bench/beir.py once to add the IVF recall on real all-MiniLM-L6-v2 vectors)")
        return
    v = np.load(cached[0], allow_pickle=False)
    n, dim = v.shape
    queries = v[np.random.default_rng(0).permutation(n)[:300]]
    flat = faiss.IndexFlatIP(dim)
    flat.add(v)
    nlist = int(4 * np.sqrt(n))
    ivf = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, nlist, faiss.METRIC_INNER_PRODUCT)
    ivf.train(v)
    ivf.add(v)
    print(f"\n## IVF on real vectors: SciFact, all-MiniLM-L6-v2, {n:,} documents, nlist {nlist}\n")
    print("| nprobe | recall@10 vs exact |\n|---|---|")
    _, exact = flat.search(queries, 11)
    for nprobe in sorted({8, 16, store.ivf_nprobe(nlist), 48}):
        ivf.nprobe = nprobe
        _, approx = ivf.search(queries, 11)
        recall = np.mean([len(set(exact[i][1:]) & set(approx[i][1:])) / 10 for i in range(len(queries))])
        print(f"| {nprobe} | {recall:.3f} |")


if __name__ == "__main__":
    main()
