"""Mitra: an offline document assistant for the Bandung-Kawasaki cooperation."""

__version__ = "0.1.0"
