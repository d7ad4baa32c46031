"""Retrieval: the retrievers fused, priors and table helpers."""
