"""Scale benchmark: hybrid search latency and memory at 100,000 passages, and the
exact-vs-approximate vector index trade-off that sets `vectors.APPROX_THRESHOLD`.

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
from assistant.index.manifest import DocumentEntry, EmbedderInfo, Manifest, faiss_name, write_manifest
from assistant.index.vectors import VectorIndex, ivf_nprobe, vector_index_kind
from assistant.ingest.sentences import sentence_spans
from assistant.model import DocStatus, DocType, Document, Passage
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
    manifest = Manifest(
        embedders={"minilm": EmbedderInfo(MiniLMEmbedder.id, 384), "e5": EmbedderInfo(E5Embedder.id, 384)},
        chunking={},
        generation=1,
    )
    folder = root / manifest.folder
    folder.mkdir(parents=True)
    conn = store.connect(folder / store.DB_NAME)
    docs = 100
    per_doc = n // docs
    pid = 1
    lexical = Fts5Index()
    # A fifth of the passages are table blocks of five rows, each row with its own vector
    # (searched exactly, besides FAISS: see Library.dense_search).
    tables = n // 5
    centres = {space: rng.standard_normal((256, 384)).astype(np.float32) for space in manifest.embedders}
    for d in range(docs):
        doc_id = f"synthetic-{d:03d}"
        passages, parts, offset = [], [], 0
        for o in range(per_doc):
            text = " ".join(pyrng.sample(sentences, 3)) + " " + " ".join(pyrng.sample(vocab, 12))
            rows = "1-5" if pid <= tables else None
            passages.append(
                Passage(pid, doc_id, o, text, offset, offset + len(text), section=f"Part {o // 20}", rows=rows)
            )
            parts.append(text)
            offset += len(text) + 2
            pid += 1
        doc = Document(
            doc_id,
            f"{doc_id}.txt",
            f"Synthetic report {d}",
            DocType.STUDY,
            "0" * 64,
            DocStatus.INDEXED,
            year=2000 + d % 25,
            language="en",
            passages=per_doc,
        )
        store.insert_document(conn, doc, "0", "\n\n".join(parts))
        store.insert_passages(conn, passages)
        lexical.add(conn, ((p.id, doc_id, p.text, "") for p in passages))
        for space in manifest.embedders:
            vecs = clustered(len(passages), 384, rng, centres[space])
            store.insert_vectors(
                conn, space, ((p.id, f"{space}{p.id}", v.tobytes()) for p, v in zip(passages, vecs, strict=True))
            )
            tabled = [p for p in passages if p.rows]
            rows_v = clustered(len(tabled) * 5, 384, rng, centres[space])
            store.insert_row_vectors(
                conn,
                space,
                (
                    (p.id, r, f"{space}{p.id}-{r}", rows_v[5 * i + r].tobytes())
                    for i, p in enumerate(tabled)
                    for r in range(5)
                ),
            )
        manifest.documents[doc_id] = DocumentEntry(
            f"{doc_id}.txt", "0" * 64, "0", DocStatus.INDEXED, tuple(p.id for p in passages)
        )
    conn.commit()
    for space, info in manifest.embedders.items():
        ids, vectors = store.load_vectors(conn, space)
        VectorIndex.new(info.dim, vectors, ids).write(folder / faiss_name(space))
    conn.close()
    manifest.next_passage_id = pid
    manifest.files = {p.name: p.stat().st_size for p in folder.iterdir()}
    write_manifest(root, manifest)


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
        ivf.nprobe = ivf_nprobe(nlist)
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
        t = time.perf_counter()
        lib = Library(work)  # checks the generation: sizes, SQLite quick_check, vector counts
        open_s = time.perf_counter() - t
        retriever = Retriever(lib)
        retriever.search("warm up the models", k=10)
        loaded_rss = rss_mib()
        latencies = []
        for q in QUERIES:
            t = time.perf_counter()
            retriever.search(q, k=10)
            latencies.append((time.perf_counter() - t) * 1000)
        latencies.sort()
        kind = vector_index_kind(args.passages)
        print(f"## {args.passages:,} passages ({kind} vector index), {len(QUERIES)} queries\n")
        print("| figure | value |\n|---|---|")
        print(f"| generated index on disk | {size_mb:.0f} MiB (built in {build_s:.0f} s) |")
        print(f"| opening it, checks included (sizes, SQLite quick_check, vector counts) | {open_s:.2f} s |")
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
    for nprobe in sorted({8, 16, ivf_nprobe(nlist), 48}):
        ivf.nprobe = nprobe
        _, approx = ivf.search(queries, 11)
        recall = np.mean([len(set(exact[i][1:]) & set(approx[i][1:])) / 10 for i in range(len(queries))])
        print(f"| {nprobe} | {recall:.3f} |")


if __name__ == "__main__":
    main()
