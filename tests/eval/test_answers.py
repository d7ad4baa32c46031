"""Answers on the real models and the real library: every output format once, then the
quality gates over the whole question set (one pass, shared by the gates).

Thresholds sit a little below the figures measured with `bench/answers.py --real` on the
25-document library with the learned models of issue 10 (docs/answers.md, 2026-12-04): key
fact stated 84.9% (English, 45/53) / 80.0% (Indonesian, 36/45), answerable refused 4.1%
(4/98), unanswerable refused 41.2% (7/17), every displayed quote verified (177/177).
These are below the hand-tuned engine's figures on this set (90.6% / 91.1%, 76.5%
refused), which were tuned on it; the issue's targets (90%, 85%) are not met.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from assistant.answer import AnswerEngine
from assistant.cite.quotes import verify_citation
from assistant.cli.main import main
from assistant.config import Settings
from assistant.evaluate.answers import answer_texts, states_key_fact
from assistant.evaluate.retrieval import load_questions
from assistant.index.build import IndexReport
from assistant.index.library import Library
from tests.eval.conftest import REPO

pytestmark = [pytest.mark.model, pytest.mark.eval]

QUESTIONS = REPO / "tests" / "eval" / "questions.jsonl"
CITATION_FIELDS = {"n", "doc_id", "title", "page", "page_label", "section", "rows", "quote", "start", "end"}
CITATION_FIELDS |= {"passage", "score"}


def _mitra(settings: Settings, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--corpus", str(settings.corpus_dir), "--index", str(settings.index_dir), *args])
    out, err = capsys.readouterr()
    return code, out, err


# -- output formats -------------------------------------------------------------------------


def test_text_output(real_index: tuple[Settings, IndexReport], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _mitra(
        real_index[0], capsys, "ask", "Under which mechanism is the air quality programme carried out?"
    )
    assert code == 0
    assert "Joint Crediting Mechanism" in out and "[1]" in out
    assert "Bandung and Kawasaki: A Partnership in Environmental Issue" in out  # the quote's title


def test_json_output(real_index: tuple[Settings, IndexReport], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _mitra(real_index[0], capsys, "ask", "Kapan TPA Jelekong ditutup?", "--json")
    data = json.loads(out)
    assert code == 0
    assert {"question", "answer", "abstained", "language", "citations", "timings_ms"} <= set(data)
    assert data["language"] == "id" and data["abstained"] is False
    assert set(data["timings_ms"]) == {"retrieve", "answer", "total"}
    c = data["citations"][0]
    assert set(c) == CITATION_FIELDS
    assert c["doc_id"] == "keterangan-tpa" and "JELEKONG" in c["quote"] and "2010" in c["quote"]
    assert c["rows"] and c["page"] is None
    assert c["quote"] in c["passage"] and c["end"] - c["start"] == len(c["quote"])


def test_a_question_about_an_attendance_the_library_never_gives_is_refused(real_library: Library) -> None:
    # Answered from the dictionary on ('ceremony' -> 'upacara', a word the library uses, so
    # the question no longer looked unseen) until quotes giving no figure stopped answering
    # a question asking one: the rows of the KangPisMan events count no one.
    answer = AnswerEngine(real_library).answer("How many people attended the KangPisMan Award ceremony?")
    assert answer.abstained and answer.refusal_reason == "no_figure"


def test_file_of_questions_gives_one_json_line_each(
    real_index: tuple[Settings, IndexReport], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    questions = tmp_path / "q.txt"
    # the second is about nothing the library holds (refusals measured by bench/answers.py)
    questions.write_text("Kapan TPA Jelekong ditutup?\n\nWho won the 2015 Rugby World Cup?\n")
    code, out, _ = _mitra(real_index[0], capsys, "ask", "--file", str(questions), "--json")
    lines = [json.loads(line) for line in out.strip().split("\n")]
    assert code == 0 and len(lines) == 2
    assert lines[0]["abstained"] is False
    assert lines[1]["abstained"] is True and lines[1]["citations"] == [] and lines[1]["nearest"]
    assert lines[0]["refusal_reason"] == "" and lines[1]["refusal_reason"] in {"nothing_relevant", "no_sentence"}


def test_evidence_brief_and_bibtex(
    real_index: tuple[Settings, IndexReport],
    real_library: Library,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    brief, bib = tmp_path / "brief.md", tmp_path / "refs.bib"
    question = "What share of the air-quality programme budget does the Japanese government fund?"
    code, _, err = _mitra(real_index[0], capsys, "ask", question, "--export", str(brief), "--bibtex", str(bib))
    assert code == 0 and "brief.md" in err
    text = brief.read_text(encoding="utf-8")
    doc = real_library.document("hakiem-2025")
    assert doc is not None
    assert f"**Question:** {question}" in text and "40%" in text
    assert "Hakiem, F. N., Argenti, G., & Gustianti, N. A. (2025)" in text  # APA from the catalogue
    assert f"SHA-256: `{doc.sha256}`" in text
    assert "sentence-transformers/all-MiniLM-L6-v2" in text and "generation" in text
    entries = bib.read_text(encoding="utf-8")
    assert entries.startswith("@article{hakiem-2025,") and "doi = {10.33373/jtp.v9i1.6924}" in entries


# -- quality gates on the whole question set -----------------------------------------------------


@pytest.fixture(scope="module")
def results(real_library: Library) -> list[dict[str, Any]]:
    engine = AnswerEngine(real_library)
    out = []
    for q in load_questions(QUESTIONS):
        a = engine.answer(q.question)
        out.append(
            {
                "q": q,
                "answer": a,
                "key_fact": bool(q.answer) and not a.abstained and states_key_fact(q.answer or "", answer_texts(a)),
                "verified": [verify_citation(c, real_library) for c in a.citations],
            }
        )
    return out


def _rate(rows: list[dict[str, Any]], pick: Any) -> float:
    return sum(bool(pick(r)) for r in rows) / len(rows)


def test_every_displayed_quote_verifies(results: list[dict[str, Any]]) -> None:
    checks = [ok for r in results for ok in r["verified"]]
    assert len(checks) > 80 and all(checks)


def test_refusals(results: list[dict[str, Any]]) -> None:
    answerable = [r for r in results if r["q"].answerable]
    unanswerable = [r for r in results if not r["q"].answerable]
    # Measured 2026-12-06 (the listwise sentence model, the refusal model learned with the
    # fold libraries' questions about absent articles, rows read with a cross-fitted
    # lexicon): 3/98 and 5/17; with the English glosses: 3/98 and 6/17; 2026-12-07, with no
    # answer to a figure asked that no quote gives: 3/98 and 11/17.
    assert _rate(answerable, lambda r: r["answer"].abstained) <= 0.05
    assert _rate(unanswerable, lambda r: r["answer"].abstained) >= 0.5
    for r in unanswerable:
        if r["answer"].abstained:
            assert r["answer"].nearest and not r["answer"].citations
            assert r["answer"].refusal_reason in ("nothing_relevant", "no_sentence", "no_figure")


def test_key_fact_stated(results: list[dict[str, Any]]) -> None:
    # measured 2026-12-06: 44/53 = 0.830 English, 37/45 = 0.822 Indonesian; with the English
    # glosses: 43/53 = 0.811, 38/45 = 0.844
    for language, floor in (("en", 0.8), ("id", 0.8)):
        rows = [r for r in results if r["q"].answerable and r["q"].language == language]
        assert _rate(rows, lambda r: r["key_fact"]) >= floor, language


def test_indonesian_questions_get_indonesian_framing(results: list[dict[str, Any]]) -> None:
    for r in results:
        a = r["answer"]
        if r["q"].language == "id":
            assert a.language == "id"
            # quoted ("Menurut ..."), refused, or computed from a table's rows ("Dari 9 baris ...")
            framed = a.text.startswith(("Menurut ", "Perpustakaan ini tidak menjawab", "Dari "))
            assert framed or " baris " in a.text, a.text


@pytest.mark.parametrize(
    "question",
    ["Which TPS received the most waste in 2016?", "TPS mana yang menerima sampah paling banyak pada tahun 2016?"],
)
def test_a_tables_extreme_is_read_from_the_table_retrieval_found(real_library: Library, question: str) -> None:
    """Another table (waste by type, 2016 rows) also matches '2016' and 'sampah'; the answer
    must come from the 2016 TPS table, and be its largest 'sampah_masuk' row."""
    answer = AnswerEngine(real_library).answer(question)
    assert not answer.abstained and "PASAR CIROYOM" in answer.citations[0].quote


@pytest.mark.parametrize(
    ("question", "head"),
    [
        (
            "Berapa banyak bank sampah di Kota Bandung?",
            "“Unit Bank Sampah Binaan Bank Sampah Resik Tahun 2018” memuat 110",
        ),
        (
            "How many waste banks are there in Bandung?",
            "“Unit Bank Sampah Binaan Bank Sampah Resik Tahun 2018” has 110",
        ),
        ("How many river stretches are heavily polluted?", "15 of the 56 rows"),
    ],
)
def test_how_many_is_counted_from_the_table(real_library: Library, question: str, head: str) -> None:
    """The welcome screen's example was answered with the city's population sentence."""
    answer = AnswerEngine(real_library).answer(question)
    assert not answer.abstained and answer.text.startswith(head), answer.text
    assert {c.doc_id for c in answer.citations} in ({"bank-sampah"}, {"kual-sungai"})
    assert all(verify_citation(c, real_library) for c in answer.citations)


def test_regulation_questions_in_both_languages_are_answered_from_the_regulations(real_library: Library) -> None:
    """English questions over the Indonesian regulations are judged with the threshold of
    questions over prose in the other language (measured: key fact 15/23 English, 24/30
    Indonesian; 8/23 when English questions had the same-language threshold; since
    2026-12-06, lists whole and the listwise sentence model: 18/23, 27/30; with the English
    glosses, no title in capitals as an answer and the dictionary's inflection rule: 19/23,
    28/30; 18/23 once the answer's citation marks were no longer read as a key fact's
    numbers, "[2]" for "2 or more")."""
    engine = AnswerEngine(real_library)
    stated: dict[str, list[bool]] = {"en": [], "id": []}
    for q in load_questions(REPO / "tests" / "eval" / "regulations.jsonl"):
        if not q.answerable:
            continue
        a = engine.answer(q.question)
        stated[q.language].append(not a.abstained and states_key_fact(q.answer or "", answer_texts(a)))
        assert all(verify_citation(c, real_library) for c in a.citations)
    assert sum(stated["en"]) / len(stated["en"]) >= 0.7
    assert sum(stated["id"]) / len(stated["id"]) >= 0.85


def test_the_annex_tables_of_the_regulation_asked_about_give_the_limits(real_library: Library) -> None:
    # PermenLH 11/2025's annex tables were one unit of every parameter, filed under a table
    # header ("Lampiran I > KADAR PALING TINGGI"); a question naming the regulation was
    # answered from the one it revoked (P.68/2016), whose catalogue entry names it; and the
    # watering limit (12) was quoted as if it were the BOD limit.
    engine = AnswerEngine(real_library)
    named = engine.answer("Berapa baku mutu BOD air limbah domestik menurut PermenLH 11/2025?")
    assert {c.doc_id for c in named.citations} == {"permenlh-11-2025"}, named.text
    for limit in ("mg/l 30 50 75", "mg/l 150", "mg/l 12", "mg/l 6"):  # each table's, with its section
        assert limit in named.text, named.text
    row = next(c for c in named.citations if "30 50 75" in c.quote)
    assert "DIBUANG KE MEDIA AIR" in (row.passage.section or ""), row.passage.section
    assert "Klasifikasi" in named.text  # the first row of its table: the daily volumes 30, 50 and 75 are for
    generic = engine.answer("Berapa kadar maksimum BOD air limbah domestik?")  # P.68's, then each in force
    assert "BOD mg/L 30" in generic.text and "mg/l 30 50 75" in generic.text, generic.text
    english = engine.answer("What is the COD limit under PermenLH 11/2025?")
    assert {c.doc_id for c in english.citations} == {"permenlh-11-2025"} and "mg/l 100 100" in english.text
    assert all(verify_citation(c, real_library) for c in named.citations + english.citations + generic.citations)


def test_the_sentence_going_on_with_a_kept_one_is_read_from_its_document(real_library: Library) -> None:
    # "... followed by a memorandum of understanding in 2016." was quoted without the next
    # sentence, which names the MoU's fields ("Their cooperation spanned several areas: ...")
    # and lies in a passage retrieval had not read.
    answer = AnswerEngine(real_library).answer("Bidang apa saja yang dicakup dalam MoU Bandung–Kawasaki tahun 2016?")
    assert "Solid waste management" in answer.text and "air quality management" in answer.text, answer.text
    assert all(verify_citation(c, real_library) for c in answer.citations)
