"""Regulations named in text, and the revocations a regulation's text declares
(assistant.ingest.regulations), down to the library's documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.index.build import build_index
from assistant.index.library import Library
from assistant.ingest.regulations import named_regulation, revocations
from assistant.model import DocStatus, DocType, Document


def _reg(doc_id: str, title: str, revoked_by: str | None = None) -> Document:
    return Document(
        doc_id, f"{doc_id}.md", title, DocType.REGULATION, "0" * 64, DocStatus.INDEXED, revoked_by=revoked_by
    )


P68 = _reg(
    "permenlhk-p68-2016", "Peraturan Menteri LHK No. P.68/Menlhk-Setjen/2016 tentang Baku Mutu Air Limbah Domestik"
)
PP50 = _reg("pp-50-2007", "Peraturan Pemerintah No. 50 Tahun 2007 tentang Tata Cara Pelaksanaan Kerja Sama Daerah")
MIGAS = _reg("permen-19-2010", "Peraturan Menteri Negara LH No. 19 Tahun 2010 tentang Baku Mutu Air Limbah Migas")
LH11 = _reg(
    "permenlh-11-2025", "Peraturan Menteri LH/Kepala BPLH No. 11 Tahun 2025 tentang Baku Mutu Air Limbah Domestik"
)
PP28 = _reg("pp-28-2018", "PP No. 28 Tahun 2018 tentang Kerja Sama Daerah")

# As printed (PermenLH 11/2025 Pasal 14; PP 28/2018 Pasal 51), line breaks and all.
LH11_TEXT = """Pasal 13

Peraturan ini mengatur baku mutu.

Pasal 14

Pada saat Peraturan Menteri/Badan ini mulai berlaku:
a. Peraturan Menteri Lingkungan Hidup dan Kehutanan
Nomor P.68/MENLHK/SETJEN/KUM.1/8/2016 tentang
Baku Mutu Air Limbah Domestik (Berita Negara Republik
Indonesia Tahun 2016 Nomor 1323); dan
b. ketentuan mengenai Air Limbah Domestik dalam
Lampiran I huruf A angka 3 Peraturan Menteri Negara Lingkungan Hidup Nomor 19
Tahun 2010 tentang Baku Mutu Air Limbah bagi Usaha dan/atau Kegiatan Minyak dan Gas
(Berita Negara Republik Indonesia Tahun 2010 Nomor 582),
dicabut dan dinyatakan tidak berlaku.
"""
PP28_TEXT = """Pasal 51

Pada saat Peraturan Pemerintah ini mulai berlaku, Peraturan Pemerintah Nomor 50 Tahun 2007 tentang
Tata Cara Pelaksanaan Kerja Sama Daerah (Lembaran Negara Republik Indonesia Tahun 2007 Nomor 112)
dicabut dan dinyatakan tidak berlaku.
"""


def test_a_revocation_clause_marks_the_whole_regulations_it_names_and_not_a_part() -> None:
    texts = {LH11.id: LH11_TEXT, PP28.id: PP28_TEXT, P68.id: "Pasal 1\n\nBOD 30 mg/L.", PP50.id: "", MIGAS.id: ""}
    found = revocations([P68, PP50, MIGAS, LH11, PP28], texts.__getitem__)
    assert found == {P68.id: "Permen LH/Kepala BPLH 11/2025, Pasal 14", PP50.id: "PP 28/2018, Pasal 51"}
    # only a part of PermenLH 19/2010 (an annex item) was revoked: it stays in force


def test_no_clause_no_revocation() -> None:
    text = "Pasal 3\n\nIzin usaha dapat dicabut oleh wali kota.\n"  # 'dicabut' alone is no revocation
    assert revocations([P68, LH11], {LH11.id: text, P68.id: ""}.__getitem__) == {}


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("Nomor P.68/MENLHK/SETJEN/KUM.1/8/2016 tentang", ("68", "2016", None)),
        ("menurut UU 18/2008", ("18", "2008", "uu")),
        ("Peraturan Pemerintah Nomor 50 Tahun 2007", ("50", "2007", "pp")),
        ("Law No. 18 of 2008", ("18", "2008", "uu")),
        ("apa isi pasal 13", (None, None, None)),
    ],
)
def test_the_regulation_a_text_names(text: str, named: tuple[str | None, ...]) -> None:
    assert named_regulation(text) == named


def test_the_library_marks_a_regulation_its_successor_revokes_unless_the_catalogue_says(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "p68.md").write_text("# Baku Mutu\n\nPasal 1\n\nKadar BOD paling tinggi 30 mg/L.\n", encoding="utf-8")
    (corpus / "pp50.md").write_text("# Kerja Sama\n\nPasal 1\n\nKerja sama daerah diatur.\n", encoding="utf-8")
    (corpus / "lh11.md").write_text(f"# Baku Mutu 2025\n\n{LH11_TEXT}\n{PP28_TEXT}", encoding="utf-8")
    entry = '[[document]]\nid = "{}"\npath = "{}.md"\ntype = "regulation"\nlanguage = "id"\ntitle = "{}"\n'
    (corpus / "catalog.toml").write_text(
        entry.format("p68", "p68", P68.title)
        + entry.format("pp50", "pp50", PP50.title)
        + 'revoked_by = "PP 28/2018, Pasal 51"\n'
        + entry.format("lh11", "lh11", LH11.title),
        encoding="utf-8",
    )
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", embedders=("fake",))
    build_index(settings)
    library = Library.open(settings)
    p68, pp50, lh11 = (library.document(i) for i in ("p68", "pp50", "lh11"))
    assert p68 is not None and p68.revoked_by == "Permen LH/Kepala BPLH 11/2025, Pasal 14"  # from the text
    assert pp50 is not None and pp50.revoked_by == "PP 28/2018, Pasal 51"  # the catalogue's, kept
    assert lh11 is not None and lh11.revoked_by is None
