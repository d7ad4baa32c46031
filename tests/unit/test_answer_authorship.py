"""Who wrote a document the question names (`answer/authorship.py`), on a synthetic library
(fake embedder): the answer quotes the document's own line naming its catalogued authors."""

from __future__ import annotations

from pathlib import Path

from assistant.answer import AnswerEngine
from assistant.answer.authorship import authorship_quotes
from tests.conftest import built_library

PAPER = """# Rivers of a Fictional City

Journal of Fiction, Vol 1

**RIVERS OF A FICTIONAL CITY** **Ana Alfa, Budi Beta, Citra Gamma** Faculty of Fiction, Nowhere

The rivers of the fictional city were studied by Dewi Delta in 2019 and by Eka Epsilon later.
The authors thank the city council for its data.
"""

CATALOG = """
[[document]]
id = "rivers"
path = "rivers.md"
title = "Rivers of a Fictional City"
type = "study"
language = "en"
authors = ["Alfa, A.", "Beta, B.", "Gamma, C."]
year = 2025
"""


def test_who_wrote_a_named_document_is_its_own_line_naming_its_authors(tmp_path: Path) -> None:
    engine = AnswerEngine(built_library(tmp_path, {"rivers.md": PAPER, "catalog.toml": CATALOG}))
    for question in (
        "Who wrote the article Rivers of a Fictional City?",
        "Siapa penulis artikel Rivers of a Fictional City?",
    ):
        answer = engine.answer(question)
        assert not answer.abstained, question
        assert len(answer.citations) == 1 and "Ana Alfa, Budi Beta, Citra Gamma" in answer.citations[0].quote
    texts: dict[str, str] = {}
    # no author asked, or no document named by its title: no route
    assert authorship_quotes(engine.library, "What do the rivers of a fictional city carry?", texts) == []
    assert authorship_quotes(engine.library, "Who wrote about the rivers?", texts) == []
