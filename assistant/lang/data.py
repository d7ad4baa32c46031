"""The word lists of `assistant/lang/data/`, read once from the installed package."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib.resources import files
from typing import Any


def read_text(name: str) -> str:
    """The text of the data file `name`."""
    return files("assistant.lang").joinpath("data", name).read_text(encoding="utf-8")


def read_list(name: str) -> tuple[str, ...]:
    """The lines of a word-list file, without blank lines and `#` comments."""
    lines = (line.split("#", 1)[0].strip() for line in read_text(name).splitlines())
    return tuple(line for line in lines if line)


@cache
def read_toml(name: str) -> dict[str, Any]:
    """A TOML data file, parsed."""
    return tomllib.loads(read_text(name))
