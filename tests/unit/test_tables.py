"""Table rows: fields, extremes, and retrieval's use of them (row vectors, extreme rows)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from assistant.cite.references import citation_location
from assistant.config import Settings
from assistant.index import store
from assistant.index.build import build_index
from assistant.index.embed import HashEmbedder
from assistant.index.library import Library
from assistant.model import Citation, Hit, Passage, TableRow
from assistant.search.priors import asks_for_sources, in_bibliography
from assistant.search.retriever import RetrievalConfig, Retriever
from assistant.search.tables import (
    extreme_column,
    extreme_of,
    extreme_row,
    fields_at,
    oriented,
    passage_rows,
    row_fields,
    sort_key,
    value_numbers,
)


def test_row_fields_and_sort_keys() -> None:
    assert row_fields("Row 7: Sungai: Sungai Cibiru; Skor: -18.0") == {"Sungai": "Sungai Cibiru", "Skor": "-18.0"}
    # A line without stored rows (a table in a text) is read as well as it can be.
    assert row_fields("Row 2: Jenis: organik; anorganik; Skor: 5") == {"Jenis": "organik; anorganik", "Skor": "5"}
    assert sort_key("-18.0", "max") == -18.0
    assert sort_key("Cemar Berat", "max") is None
    assert sort_key("5-Mar-19", "first") == 20190305
    assert sort_key("tahun 2014", "last") == 2014


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Which TPS received the most waste?", "max"),
        ("TPS mana yang paling sedikit sampahnya?", "min"),
        ("Sungai dengan skor terendah?", "min"),
        ("Sungai mana yang kualitas airnya paling buruk tahun 2018?", "min"),
        ("Kecamatan mana yang terbaik?", "max"),
        ("When was the first outreach event?", "first"),
        ("TPA mana yang paling awal ditutup?", "first"),
        ("Sungai mana yang paling tercemar?", "min"),
        ("TPA mana yang paling akhir ditutup?", "last"),
        ("What does the MoU cover?", None),
    ],
)
def test_extreme_of(question: str, kind: str | None) -> None:
    assert extreme_of(question) == kind


def test_range_bounds_are_not_values_to_look_for() -> None:
    assert value_numbers("Which year between 2005 and 2015 had the most containers?") == []
    assert value_numbers("Tahun mana dari 2005 sampai 2015, selain 2010?") == ["2010"]
    assert value_numbers("Data 2005–2015: most waste in 2012?") == ["2012"]
    assert value_numbers("Which site received the most waste in 2016?") == ["2016"]


def _table(rows: list[str]) -> tuple[str, list[Passage]]:
    """A rendered table of one row per line, cut into passages of two rows."""
    text = "\n".join(rows)
    passages, start = [], 0
    for i in range(0, len(rows), 2):
        chunk = "\n".join(rows[i : i + 2])
        passages.append(Passage(i, "t", i, chunk, start, start + len(chunk), rows=f"{i + 1}-{i + 2}"))
        start += len(chunk) + 1
    return text, passages


def test_extreme_row_picks_the_named_column_and_narrows_by_number() -> None:
    text, passages = _table(
        [
            "Row 1: Lokasi: Alfa; Tahun: 2015; Volume: 10.0; Ritasi: 9",
            "Row 2: Lokasi: Beta; Tahun: 2016; Volume: 80.5; Ritasi: 1",
            "Row 3: Lokasi: Gamma; Tahun: 2016; Volume: 12.0; Ritasi: 4",
            "Row 4: Lokasi: Delta; Tahun: 2015; Volume: 95.0; Ritasi: 2",
        ]
    )
    glossed = "waste volume (Volume), collection trips (Ritasi)"
    most_waste = extreme_row(passages, text, "Which site received the most waste?", "max", glossed)
    assert most_waste is not None and "Delta" in most_waste.text
    most_trips = extreme_row(passages, text, "Which site has the most collection trips?", "max", glossed)
    assert most_trips is not None and "Alfa" in most_trips.text
    in_2016 = extreme_row(passages, text, "Which site received the most waste in 2016?", "max", glossed)
    assert in_2016 is not None and "Beta" in in_2016.text
    between = extreme_row(passages, text, "Most waste between 2015 and 2016?", "max", glossed)
    assert between is not None and "Delta" in between.text
    least_2016 = extreme_row(passages, text, "Least waste in 2016?", "min", glossed)
    assert least_2016 is not None and "Gamma" in least_2016.text
    assert extreme_row(passages, "no rows here", "most waste?", "max") is None


def test_the_earliest_or_latest_row_is_read_from_years_written_in_a_text_cell() -> None:
    # "TPA mana yang paling awal ditutup?" of a table with no date column had answered with
    # the landfill still operating
    text, passages = _table(
        [
            "Row 1: no: 1.0; nama_tpa: CICABE; keterangan: DITUTUP PADA TAHUN 1998",
            "Row 2: no: 2.0; nama_tpa: PASIR IMPUN; keterangan: DITUTUP PADA TAHUN 1999",
            "Row 3: no: 3.0; nama_tpa: JELEKONG; keterangan: DITUTUP PADA TAHUN 2010;",
            "Row 4: no: 4.0; nama_tpa: SARIMUKTI; keterangan: BEROPERASI TAHUN 2006",
        ]
    )
    earliest = extreme_row(passages, text, "TPA mana yang paling awal ditutup?", "first")
    assert earliest is not None and "CICABE" in earliest.text
    latest = extreme_row(passages, text, "Which landfill was closed last?", "last")
    assert latest is not None and "JELEKONG" in latest.text


def test_a_tab_separated_table_of_a_text_is_read_as_rows_under_the_columns_its_section_keeps() -> None:
    # Hakiem et al.'s Table 1 of partner cities: "Berapa kota mitra Bandung di Jepang?" counts its rows
    lines = ["No\tCity government\tStates", "9.\tHamamatsu\tJapan", "10.\tKawasaki\tJapan", "A note."]
    text = "\n".join(lines)
    section = "RESULTS > Table 1. Partner cities (No | City government | States)"
    passage = Passage(1, "paper", 0, text, 0, len(text), section=section, rows="1-4")
    rows = passage_rows(passage, text)
    assert [(r.n, r.fields) for r in rows] == [
        (2, {"No": "9.", "City government": "Hamamatsu", "States": "Japan"}),
        (3, {"No": "10.", "City government": "Kawasaki", "States": "Japan"}),
    ]
    assert text[rows[1].start : rows[1].end] == lines[2]
    later = Passage(2, "paper", 1, lines[2], 0, len(lines[2]), section=section, rows="11-11")
    assert [r.n for r in passage_rows(later, lines[2])] == [11]  # numbered on from its passage's first row


def test_the_worst_or_most_polluted_is_the_low_end_of_a_score_and_the_high_end_of_a_concentration() -> None:
    # "Which river is the most polluted?" had given a lightly polluted stretch (the highest score)
    assert oriented("Which river is the most polluted?", "max", "Storet_Score") == "min"
    assert oriented("Sungai mana yang kualitas airnya paling buruk?", "min", "Storet_Score") == "min"
    assert oriented("Which location had the worst PM2.5?", "min", "pm_2_5") == "max"
    assert oriented("Which river has the best STORET score?", "max", "Storet_Score") == "max"
    assert oriented("Lokasi mana yang paling bersih udaranya?", "max", "no2") == "min"
    assert oriented("Which TPS received the most waste?", "max", "Sampah_masuk") == "max"  # neither: as asked


def test_bibliography_passages_and_questions_about_sources() -> None:
    ref = Hit(Passage(1, "a", 0, "Acuto, M. (2013). City leadership.", 0, 10, section="REFERENCES"), 1.0)
    body = Hit(Passage(2, "a", 1, "The programme ran from 2017.", 0, 10, section="RESULTS"), 1.0)
    assert in_bibliography(ref) and not in_bibliography(body)
    assert asks_for_sources("Which source does the article cite for the 2018 figures?")
    assert asks_for_sources("Apa judul berita Kompas yang dikutip artikel?")
    assert not asks_for_sources("When did the waste programme start?")


PAPER_MD = """# A Synthetic Paper on River Care

SYNTHETIC TEST FIXTURE - not a real document.

## Results

The river care programme was funded by Northbrook and ran from 2017 to 2020.

## References

- Smith, A. (2019). River care programme funding in Northbrook. Journal of Rivers, 3, 1-9.
- Jones, B. (2020). River care programme funding and results. Northbrook Press.
"""


def _settings(tmp_path: Path, files: dict[str, str]) -> Settings:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, content in files.items():
        (corpus / name).write_text(content, encoding="utf-8")
    return Settings(corpus_dir=corpus, index_dir=tmp_path / "index", embedders=("fake",))


def test_reference_lists_yield_to_the_text_unless_sources_are_asked_for(tmp_path: Path) -> None:
    settings = _settings(tmp_path, {"paper.md": PAPER_MD})
    build_index(settings)
    library = Library.open(settings)
    question = "Who funded the river care programme in Northbrook?"
    plain = Retriever(library, RetrievalConfig(bibliography_weight=1.0)).search(question, k=2)
    assert in_bibliography(plain[0])  # the reference list repeats the question's words
    assert not in_bibliography(Retriever(library).search(question, k=2)[0])
    sources = Retriever(library).search("Which references does the paper cite on river care funding?", k=2)
    assert in_bibliography(sources[0])


def _sites_csv(n: int) -> str:
    lines = ["No,Lokasi,Volume"]
    lines += [f"{i},Site {chr(65 + i % 26)}{i},{(i * 37) % 101}.5" for i in range(1, n + 1)]
    return "\n".join(lines) + "\n"


def test_table_rows_get_their_own_vectors_and_extremes_come_first(tmp_path: Path) -> None:
    settings = _settings(tmp_path, {"sites.csv": _sites_csv(60)})
    build_index(settings)
    library = Library.open(settings, {"fake": HashEmbedder()})
    passages = library.passages_of("sites")
    assert len(passages) > 2  # the table is cut into several passages of several rows
    conn = store.connect(settings.index_dir / library.manifest.folder / store.DB_NAME, readonly=True)
    (n_rows,) = conn.execute("SELECT COUNT(*) FROM row_vectors WHERE space = 'fake'").fetchone()
    assert n_rows == sum(p.text.count("\n") + 1 for p in passages)

    # A query that is one row's text: its passage scores as that row, above the block's own vector.
    target = passages[3]
    row = target.text.split("\n")[1]
    vector = library.embedder("fake").embed_queries([row])[0]
    ranked = dict(library.dense_search("fake", vector, k=5))
    block_only = float(np.dot(vector, library.embedder("fake").embed_passages([target.text])[0]))
    assert next(iter(ranked)) == target.id and ranked[target.id] > block_only

    top = Retriever(library).search("Which site has the largest volume?", k=3)
    assert top and "Volume: 100.5" in top[0].passage.text and top[0].scores.get("table_extreme") == 1.0


def test_the_extreme_comes_from_the_table_the_question_names(tmp_path: Path) -> None:
    trucks = "No,Tahun,Volume\n" + "".join(f"{i},{2000 + i},{(i * 13) % 50}.0\n" for i in range(1, 40))
    settings = _settings(tmp_path, {"sites.csv": _sites_csv(60), "trucks.csv": trucks})
    build_index(settings)
    retriever = Retriever(Library.open(settings))
    top = retriever.search("Which year had the largest truck volume?", k=3)
    assert top[0].passage.doc_id == "trucks" and "Volume: 49.0" in top[0].passage.text
    top = retriever.search("Which site has the largest volume?", k=3)
    assert top[0].passage.doc_id == "sites" and "Volume: 100.5" in top[0].passage.text


# A cell holding "; " (and one that reads like another cell): the displayed line cannot be
# parsed back, so the rows are stored as data and read from the store.
TRICKY_CSV = 'Lokasi,Volume,Catatan\nAlfa,10,"dulu; Volume: 99"\nBeta,50,"organik; anorganik"\nGamma,20,\n'


def test_a_cell_holding_semicolons_keeps_its_value_from_file_to_answer(tmp_path: Path) -> None:
    settings = _settings(tmp_path, {"tricky.csv": TRICKY_CSV})
    build_index(settings)
    library = Library.open(settings)
    (passage,) = library.passages_of("tricky")
    text = library.text("tricky")
    # What is shown and quoted is the line, unchanged; what is read is the cells.
    assert text.split("\n")[0] == "Row 1: Lokasi: Alfa; Volume: 10; Catatan: dulu; Volume: 99"
    assert [r.fields for r in passage.table_rows] == [
        {"Lokasi": "Alfa", "Volume": "10", "Catatan": "dulu; Volume: 99"},
        {"Lokasi": "Beta", "Volume": "50", "Catatan": "organik; anorganik"},
        {"Lokasi": "Gamma", "Volume": "20"},
    ]
    assert all(text[r.start : r.end] == line for r, line in zip(passage.table_rows, text.split("\n"), strict=True))
    assert row_fields(text.split("\n")[0])["Volume"] == "99"  # what reading the line back got wrong
    beta = passage.table_rows[1]
    assert fields_at(passage, beta.start + 3) == beta.fields and fields_at(passage, -1) is None

    largest = extreme_row([passage], text, "Which site has the largest volume?", "max")
    assert largest is not None and largest.id == passage.id
    assert [r.fields["Lokasi"] for r in passage_rows(passage, text)] == ["Alfa", "Beta", "Gamma"]


def test_the_extreme_is_read_from_the_cells_not_from_the_line() -> None:
    rows = (
        TableRow(1, 0, 10, (("Lokasi", "Alfa"), ("Volume", "10"), ("Catatan", "dulu; Volume: 99"))),
        TableRow(2, 11, 20, (("Lokasi", "Beta"), ("Volume", "50"))),
    )
    alfa = Passage(0, "t", 0, "x", 0, 10, rows="1", table_rows=rows[:1])
    beta = Passage(1, "t", 1, "y", 11, 20, rows="2", table_rows=rows[1:])
    picked = extreme_row([alfa, beta], "", "Which site has the largest volume?", "max")
    assert picked is beta


def test_a_citation_of_one_row_names_that_row() -> None:
    rows = tuple(TableRow(n, 10 * (n - 1), 10 * n - 1, (("Lokasi", f"L{n}"),)) for n in range(1, 4))
    passage = Passage(0, "t", 0, "x" * 29, 0, 29, rows="1-3", table_rows=rows)
    cite = Citation(1, "t", "T", "x" * 5, 12, 17, passage, 1.0)
    assert citation_location(cite, None) == "row 2"
    assert citation_location(replace(cite, end=25), None, "id") == "baris 2-3"
    assert citation_location(replace(cite, passage=replace(passage, table_rows=())), None) == "rows 1-3"


def test_a_column_the_question_writes_as_a_code_is_the_one_its_extreme_is_about() -> None:
    # "PM2.5 tertinggi" had read the hc column: the stems of "pm_2_5" ("pm") and "PM2.5" ("pm2") differ
    rows = [
        {"lokasi": "Terminal Ledeng", "hc": "19.0", "pm_2_5": "75.0", "no2": "11"},
        {"lokasi": "Terminal Cicaheum", "hc": "20.0", "pm_2_5": "65.0", "no2": "45.67"},
    ]

    def named(name: str) -> int:
        return 0

    question = "Lokasi mana yang memiliki PM2.5 tertinggi?"
    assert extreme_column(rows, "max", None, named, question) == "pm_2_5"
    assert extreme_column(rows, "max", None, named, "Where is NO2 highest?") == "no2"
    assert extreme_column(rows, "max", None, named, "Where is the air worst?") == "hc"  # no code: as before
