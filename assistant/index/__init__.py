"""The on-disk index: manifest (the typed commit point), store (all SQL), vectors (the only
FAISS import), lexical (FTS5), embed (the Embedder Protocol and models), cache (extracted text
and uncommitted vectors), plan / prepare / generation / build (the builder), verify and
library (the checked read side)."""
