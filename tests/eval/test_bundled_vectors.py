"""The vectors shipped with the bundled library (corpus/.mitra) are the models' own and cover
what a build of it embeds: a stale or forged bundle fails here (remake it with
bench/bundle_vectors.py)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from assistant.config import Settings
from assistant.index import store
from assistant.index.build import IndexReport
from assistant.index.cache import text_sha
from assistant.index.embed import make_embedder
from assistant.index.library import Library
from assistant.index.manifest import read_manifest
from assistant.index.prepare import embedding_input, english_gloss, sentence_inputs
from assistant.index.reuse import BundledVectors, bundle_path
from tests.eval.conftest import REPO

pytestmark = [pytest.mark.model]
SAMPLE = 6  # passages re-embedded per space (and sentences in e5's): about 2 s with e5


def test_the_shipped_vectors_cover_the_library_and_are_what_the_models_compute(
    real_index: tuple[Settings, IndexReport], real_library: Library
) -> None:
    settings, _ = real_index
    manifest = read_manifest(settings.index_dir)
    assert manifest is not None
    conn = store.connect(settings.index_dir / manifest.folder / store.DB_NAME, readonly=True)
    doc_text = real_library.text

    def bodies(english: bool) -> list[str]:
        """What a build embeds for each passage in a space: in the English model's, an
        Indonesian passage's English gloss."""
        return [
            english_gloss(p.text)
            if english and doc.language == "id"
            else embedding_input(doc.title, p.section, p.text, doc.description)
            for doc in real_library.documents()
            for p in real_library.passages_of(doc.id)
        ]

    sentences = [
        u
        for doc in real_library.documents()
        for p in real_library.passages_of(doc.id)
        for u in sentence_inputs(doc_text(doc.id), p)
    ]
    for space, info in manifest.embedders.items():
        bundle, problem = BundledVectors.load(bundle_path(REPO / "corpus", space), info.id, info.dim)
        assert problem is None
        stored = store.stored_vectors(conn, space)
        shipped = bundle.find(list(stored))
        assert len(shipped) >= 0.95 * len(stored), f"{space}: {len(shipped)} of {len(stored)} texts shipped"
        assert all(stored[s] == v for s, v in shipped.items())  # the build used them as they are

        texts = bodies(space == real_library.space_for("english"))
        sample = [b for b in random.Random(space).sample(texts, 3 * SAMPLE) if text_sha(b) in shipped][:SAMPLE]
        assert len(sample) == SAMPLE
        if space == real_library.space_for("multilingual"):  # and the sentences the answer engine reads
            units = [u for u in random.Random(space).sample(sentences, 3 * SAMPLE) if text_sha(u) in shipped]
            assert len(units) >= SAMPLE
            sample += units[:SAMPLE]
        computed = make_embedder(space).embed_passages(sample)
        for text, vector in zip(sample, computed, strict=True):
            cosine = float(np.frombuffer(shipped[text_sha(text)], dtype=np.float32) @ vector)
            assert cosine > 0.999, (space, text[:60], cosine)
    conn.close()
