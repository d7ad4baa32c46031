"""Answers with verified citations, composed from the library's own sentences (no language model).

The package: `question` reads the question, `matching` scores sentences against it,
`citations` verifies quotes and words the answer, `engine` ties them together.
"""

from assistant.core.answer.citations import (
    compose,
    make_citations,
    quote_checks,
    refusal_text,
    short_reference,
    verify_citation,
    verify_quote,
)
from assistant.core.answer.engine import AnswerConfig, AnswerEngine
from assistant.core.answer.matching import Candidate, Evidence, passage_units
from assistant.core.answer.question import (
    acronyms_in,
    answer_kinds,
    glossary_table,
    normalise_number,
    numbers_in,
    tokens,
    wanted_kinds,
)

__all__ = [
    "AnswerConfig",
    "AnswerEngine",
    "Candidate",
    "Evidence",
    "acronyms_in",
    "answer_kinds",
    "compose",
    "glossary_table",
    "make_citations",
    "normalise_number",
    "numbers_in",
    "passage_units",
    "quote_checks",
    "refusal_text",
    "short_reference",
    "tokens",
    "verify_citation",
    "verify_quote",
    "wanted_kinds",
]
