"""Mitra's core: ingest, chunk, embed, index and retrieve. Never imports Textual."""
