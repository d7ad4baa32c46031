"""Which language a text is in, English or Bahasa Indonesia: py3langid's naive Bayes model
restricted to the two, offline. On the 165 questions of tests/eval (questions.jsonl and
heldout.jsonl) it is right on all, at about 0.07 ms a question (bench/lang.py)."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from assistant.lang.words import LANGUAGES, Language

# Names carry no language: 'composting Kawasaki' is English. A capitalised word after the
# first, and any all-capitals word (TPS, UU), are left out when other words remain.
_NAME = re.compile(r"(?<=\s)[A-Z][\w-]*|\b[A-Z][A-Z\d]+\b")
_WORD = re.compile(r"[^\W\d_]{2,}")


@cache
def _identifier() -> Any:  # py3langid is untyped
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
    identifier.set_languages(list(LANGUAGES))
    return identifier


def detect_language(text: str) -> Language:
    """'id' for Bahasa Indonesia, else 'en' (also for a text without words)."""
    rest = _NAME.sub(" ", text)
    sample = rest if _WORD.search(rest) else text
    if not _WORD.search(sample):
        return "en"
    language = str(_identifier().classify(sample)[0])
    return "id" if language == "id" else "en"
