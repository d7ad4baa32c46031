"""Evaluation: metrics on question sets with gold evidence."""
