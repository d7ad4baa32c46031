"""Answers with verified citations, composed from the library's own sentences (no language model).

The package: `question` reads the question, `matching` scores sentences against it,
`citations` verifies quotes and words the answer, `engine` ties them together.
"""

from assistant.answer.citations import (
    compose,
    make_citations,
    refusal_text,
    short_reference,
)
from assistant.answer.engine import AnswerConfig, AnswerEngine
from assistant.answer.matching import Candidate, Evidence, passage_units
from assistant.answer.question import (
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
    "refusal_text",
    "short_reference",
    "tokens",
    "wanted_kinds",
]
