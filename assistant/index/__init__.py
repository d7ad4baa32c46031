"""The on-disk index: store (SQL), manifest, vectors (FAISS), lexical (FTS5),
embedders, the builder, and the Library reader."""
