"""Indexing benchmark: cold build, no-op re-index, pipeline vs raw encode throughput, memory.

Run from the repository root:  .venv/bin/python bench/indexing.py [--corpus corpus]

Prints one table of figures. The pipeline throughput is compared with the
model's raw `encode` throughput on exactly the same texts (passages, and the rows of
table passages), in the same process, with the same loaded model, so the ratio is
robust to machine noise.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.config import Settings
from assistant.index.build import build_index, embedding_input, row_embedding_inputs
from assistant.index.embed import EMBEDDER_ROLES, E5Embedder, MiniLMEmbedder
from assistant.index.library import Library
from assistant.index.prepare import english_gloss


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=Path("corpus"))
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="mitra-bench-"))
    try:
        corpus = work / "corpus"
        shutil.copytree(args.corpus, corpus)
        # Cold: the vectors shipped with the bundled library (corpus/.mitra) are not used.
        settings = Settings(corpus_dir=corpus, index_dir=work / "index", bundled_vectors=False)

        t = time.perf_counter()
        embedders = {"minilm": MiniLMEmbedder(batch_size=settings.batch_size), "e5": E5Embedder()}
        model_load = time.perf_counter() - t

        # Warm-up so that neither measurement pays first-call costs.
        for e in embedders.values():
            e.embed_passages(["warm up the model"] * 8)

        report = build_index(settings, embedders=embedders)
        pipeline_s = report.timings["total_s"]

        lib = Library.open(settings, embedders=embedders)

        def texts_for(english: bool) -> list[str]:
            """What the pipeline embeds in a space: in the English model's, an Indonesian
            passage's English gloss (and its rows')."""
            texts = []
            for doc in lib.documents():
                for p in lib.passages_of(doc.id):
                    if english and doc.language == "id":
                        texts.append(english_gloss(p.text))
                        if row_embedding_inputs(doc.title, p.section, p.text, p.rows, doc.description):
                            texts.extend(english_gloss(r) for r in p.text.split("\n") if r.strip())
                        continue
                    texts.append(embedding_input(doc.title, p.section, p.text, doc.description))
                    texts.extend(row_embedding_inputs(doc.title, p.section, p.text, p.rows, doc.description))
            return texts

        raw_s = 0.0
        raw_by_model = {}
        for name, e in embedders.items():
            texts = texts_for(EMBEDDER_ROLES.get(name) == "english")
            t = time.perf_counter()
            for i in range(0, len(texts), settings.batch_size):
                e.embed_passages(texts[i : i + settings.batch_size])
            raw_by_model[name] = time.perf_counter() - t
            raw_s += raw_by_model[name]

        t = time.perf_counter()
        noop = build_index(settings, embedders=embedders)
        noop_inproc = time.perf_counter() - t
        assert noop.embedded == 0

        mitra = Path(sys.executable).with_name("mitra")
        t = time.perf_counter()
        subprocess.run(
            [str(mitra), "--corpus", str(corpus), "--index", str(settings.index_dir), "index"],
            check=True,
            capture_output=True,
        )
        noop_cli = time.perf_counter() - t

        t = time.perf_counter()
        cold_cli = subprocess.run(
            [str(mitra), "--corpus", str(corpus), "--index", str(work / "index2"), "index"],
            check=True,
            capture_output=True,
        )
        cold_cli_s = time.perf_counter() - t
        del cold_cli

        n = report.passages
        pipe_tp = len(texts) / pipeline_s
        raw_tp = len(texts) / raw_s
        self_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        child_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        rows = [
            (
                "documents / passages / texts embedded (passages and table rows)",
                f"{report.documents} / {n} / {len(texts)}",
            ),
            ("cold build, `mitra index` in a fresh process (model load included)", f"{cold_cli_s:.2f} s"),
            ("cold build in-process, model already loaded", f"{pipeline_s:.2f} s"),
            (
                "  of which read+chunk / embed / write",
                f"{report.timings['read_s']:.2f} / {report.timings['embed_s']:.2f} / {report.timings['write_s']:.2f} s",
            ),
            ("model load (in this process, both models)", f"{model_load:.2f} s"),
            (
                "raw encode time: all-MiniLM-L6-v2 / multilingual-e5-small",
                f"{raw_by_model['minilm']:.2f} / {raw_by_model['e5']:.2f} s",
            ),
            ("no-op re-index, in-process", f"{noop_inproc * 1000:.0f} ms"),
            ("no-op re-index, `mitra index` command (process start included)", f"{noop_cli * 1000:.0f} ms"),
            ("indexing throughput (pipeline)", f"{pipe_tp:.1f} texts/s"),
            ("raw encode throughput, same texts, same models", f"{raw_tp:.1f} texts/s"),
            ("pipeline overhead vs raw encode", f"{(1 - pipe_tp / raw_tp) * 100:.1f} %"),
            ("peak RSS, this process (model + index)", f"{self_rss:.0f} MiB"),
            ("peak RSS, largest child (file readers, CLI runs)", f"{child_rss:.0f} MiB"),
        ]
        width = max(len(r[0]) for r in rows)
        print("| figure | value |\n|---|---|")
        for name, value in rows:
            print(f"| {name.ljust(width)} | {value} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
