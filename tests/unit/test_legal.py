"""The structure of Indonesian regulations: a fictional regulation the tests write, the
real UU 18/2008 (with its Penjelasan) and PP 81/2012's separate Penjelasan."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.config import ChunkSettings
from assistant.index.prepare import is_answer_unit
from assistant.ingest.chunk import chunk_blocks
from assistant.ingest.legal import LegalPoint, in_capitals, is_certification, is_heading, legal_point, pasal_of
from assistant.ingest.loaders.pdf_loader import PdfLoader
from assistant.ingest.loaders.text_loader import TextLoader
from assistant.model import Block, LoadedText
from tests.fixtures.regulations import regulation, regulation_pdf

UU = "regulations/uu-18-2008-pengelolaan-sampah.pdf"
PP_PENJELASAN = "regulations/pp-81-2012-penjelasan.pdf"


def block_of(doc: LoadedText, needle: str) -> Block:
    at = doc.text.index(needle)
    return next(b for b in doc.blocks if b.start <= at < b.end)


@pytest.fixture(scope="module")
def fictional(tmp_path_factory: pytest.TempPathFactory) -> LoadedText:
    return PdfLoader().load(regulation_pdf(tmp_path_factory.mktemp("reg") / "perkot.pdf"))


@pytest.fixture(scope="module")
def uu() -> LoadedText:
    return PdfLoader().load(regulation(UU))


def test_sections_follow_bab_bagian_pasal(fictional: LoadedText) -> None:
    sections = [b.section for b in fictional.blocks]
    assert "BAB I KETENTUAN UMUM > Pasal 2" in sections
    assert "BAB II TUGAS DAN WEWENANG > Bagian Kesatu Tugas Dinas > Pasal 3" in sections
    assert block_of(fictional, "mengawasi pemilahan sampah").section.endswith("> Pasal 3")  # type: ignore[union-attr]
    assert block_of(fictional, "bahwa pengelolaan sampah kota").section == "Pembukaan"
    # "dimaksud dalam\nPasal 3." is a reference, not a heading
    assert block_of(fictional, "Wali kota mengawasi").section.endswith("> Pasal 4")  # type: ignore[union-attr]


def test_penjelasan_has_its_own_tree(fictional: LoadedText) -> None:
    assert block_of(fictional, "tanggung jawab bersama").section == "Penjelasan > Umum"
    assert block_of(fictional, "perangkat daerah kota").section == "Penjelasan > Pasal 2"


def test_running_heads_page_numbers_and_catchwords_are_cleaned(fictional: LoadedText) -> None:
    text = fictional.text
    assert "PEMERINTAH KOTA FIKTIF" not in text and "REPUBLIK FIKTIF" not in text
    assert not re.search(r"- \d+ -", text)
    assert ". . ." not in text
    assert {(b.page, b.page_label) for b in fictional.blocks} == {(1, "1"), (2, "6"), (3, "7")}


def test_words_split_by_stray_spaces_are_rejoined(fictional: LoadedText) -> None:
    text = fictional.text
    for split in ("dilakuka n", "pengelola an", "pemilaha n", "se bagaimana"):
        assert split not in text
    assert "Pengelolaan sampah kota dilakukan oleh dinas kebersihan." in text
    assert "wali kota" in text  # two words stay two words


def test_passages_never_cross_a_pasal(fictional: LoadedText) -> None:
    spans = chunk_blocks(fictional.text, fictional.blocks, ChunkSettings(target_words=200, max_words=400))
    for span in spans:
        inside = fictional.text[span.start : span.end]
        assert len(re.findall(r"^Pasal \d+$", inside, re.M)) <= 1, inside
        assert inside.count("PENJELASAN") == 0 or span.block.section == "Penjelasan"


def test_legal_point_finds_ayat_and_huruf(fictional: LoadedText) -> None:
    text = fictional.text
    quote = "mengawasi pemilahan sampah di setiap kelurahan"
    at = text.index(quote)
    section = block_of(fictional, quote).section
    assert legal_point(text, section, at, at + len(quote)) == LegalPoint("3", "1", None, "b")
    report = text.index("Laporan sebagaimana")
    assert legal_point(text, section, report, report + 20) == LegalPoint("3", "2")
    # a quote running from ayat (1) into ayat (2): both named, no huruf
    assert legal_point(text, section, at, report + 20) == LegalPoint("3", "1", "2")
    penjelasan = text.index("Yang dimaksud dengan dinas kebersihan")
    assert legal_point(text, "Penjelasan > Pasal 2", penjelasan, penjelasan + 20) == LegalPoint("2", "1")
    assert legal_point(text, "BAB I KETENTUAN UMUM", 0, 5) is None
    assert pasal_of("Penjelasan > Pasal 28H") == "28H" and pasal_of("Pembukaan") is None


def test_legal_point_reads_an_ayat_whose_bracket_ocr_misread() -> None:
    # PP 28/2018's published transcription: "(21" for "(2)", "(3l" for "(3)"
    text = (
        "Pasal 33\n(1) Menteri menyampaikan rancangan. (21 Menteri luar negeri membahas naskah. "
        "(3l Dalam hal disepakati."
    )
    quote = "Menteri luar negeri membahas naskah"
    at = text.index(quote)
    assert legal_point(text, "BAB IV > Pasal 33", at, at + len(quote)) == LegalPoint("33", "2")
    last = text.index("Dalam hal")
    assert legal_point(text, "BAB IV > Pasal 33", last, last + 9) == LegalPoint("33", "3")
    # a number in brackets never closed, not after a sentence, opens nothing
    text = "Pasal 5\n(1) Biaya sebesar Rp 5 juta (21 April 2020) Tidak berlaku."
    at = text.index("Tidak")
    assert legal_point(text, "Pasal 5", at, at + 5) == LegalPoint("5", "1")


def test_real_uu_18_2008_pasal_13_and_its_penjelasan(uu: LoadedText) -> None:
    body = [b for b in uu.blocks if b.section and b.section.endswith("> Pasal 13") and "Penjelasan" not in b.section]
    assert body and body[0].section == "BAB IV HAK DAN KEWAJIBAN > Bagian Kedua Kewajiban > Pasal 13"
    text = " ".join(" ".join(uu.text[b.start : b.end].split()) for b in body)
    assert "Pengelola kawasan permukiman, kawasan komersial, kawasan industri" in text
    assert "fasilitas pemilahan sampah" in text
    explained = [b for b in uu.blocks if b.section == "Penjelasan > Pasal 13"]
    assert explained and "Kawasan permukiman meliputi" in " ".join(
        uu.text[explained[0].start : explained[-1].end].split()
    )


def test_real_uu_18_2008_every_pasal_once_in_body_and_penjelasan(uu: LoadedText) -> None:
    body = {pasal_of(b.section) for b in uu.blocks if b.section and not b.section.startswith("Penjelasan")}
    explained = {pasal_of(b.section) for b in uu.blocks if b.section and b.section.startswith("Penjelasan")}
    numbers = {str(n) for n in range(1, 50)}
    assert numbers <= body and numbers <= explained
    assert block_of(uu, "Agar setiap orang").section == "Penutup"
    assert uu.title == "UNDANG-UNDANG REPUBLIK INDONESIA NOMOR 18 TAHUN 2008 TENTANG PENGELOLAAN SAMPAH"


def test_real_uu_18_2008_pasal_44_ayat_2(uu: LoadedText) -> None:
    quote = "Pemerintah daerah harus menutup tempat pemrosesan akhir sampah"
    at = uu.text.index(quote)
    block = block_of(uu, quote)
    assert block.section == "BAB XVI KETENTUAN PERALIHAN > Pasal 44"
    assert legal_point(uu.text, block.section, at, at + len(quote)) == LegalPoint("44", "2")


def test_real_uu_18_2008_extraction_artefacts_are_gone(uu: LoadedText) -> None:
    text = uu.text
    for artefact in ("be rtambahnya", "dilakuka n", "P asal", "PRESIDEN\nREPUBLIK INDONESIA", "Pasal 21 . . ."):
        assert artefact not in text, artefact
    assert "bertambahnya volume" in text and "perlu dilakukan secara komprehensif" in text
    assert not re.search(r"^- \d+ -$", text, re.M)
    assert "peraturan perundang-undangan" in text  # the hyphen of a compound stays
    # printed page numbers are the labels: the Penjelasan restarts at "- 2 -" on PDF page 27
    assert (block_of(uu, "sedangkan kegiatan penanganan sampah").page, block_of(uu, "sedangkan").page_label) == (
        27,
        "2",
    )


def test_real_pp_81_2012_penjelasan_pairs_each_pasal() -> None:
    doc = PdfLoader().load(regulation(PP_PENJELASAN))
    sections = {b.section for b in doc.blocks}
    assert "Penjelasan > Umum" in sections and "Penjelasan > Pasal 11" in sections
    block = block_of(doc, "Yang dimaksud dengan “pembatasan timbulan sampah”")
    assert block.section == "Penjelasan > Pasal 11"
    at = doc.text.index("Yang dimaksud dengan “pembatasan timbulan sampah”")
    assert legal_point(doc.text, block.section, at, at + 30) == LegalPoint("11", "1", None, "a")


def loaded_text(path: Path, text: str) -> LoadedText:
    """`text` written to `path` and read back by the text loader."""
    path.write_text(text, encoding="utf-8")
    return TextLoader().load(path)


def test_regulation_in_a_text_file_gets_its_structure(tmp_path: Path) -> None:
    text = (
        "PERATURAN DESA FIKTIF\n\nSYNTHETIC TEST FIXTURE - not a real document.\n\n"
        "BAB I\nKETENTUAN UMUM\nPasal 1\nDesa mengelola sampahnya sendiri.\n"
        "Pasal 2\n(1) Warga memilah sampah.\n(2) Kepala desa mengawasi.\n"
        "Pasal 3\nPeraturan ini berlaku sejak diundangkan.\n"
        "Pasal 1\nCukup jelas.\n"  # the elucidation, its heading lost in transcription
    )
    doc = loaded_text(tmp_path / "perdes.md", text)
    assert block_of(doc, "Warga memilah").section == "BAB I KETENTUAN UMUM > Pasal 2"
    assert block_of(doc, "Cukup jelas").section == "Penjelasan > Pasal 1"


def test_an_amending_regulations_pasal_i_stands_above_the_articles_it_amends(tmp_path: Path) -> None:
    text = (
        "PERATURAN DESA FIKTIF\nTENTANG PERUBAHAN ATAS PERATURAN DESA NOMOR 1\n\n"
        "SYNTHETIC TEST FIXTURE - not a real document.\n\n"
        "DENGAN RAHMAT TUHAN YANG MAHA ESA\nKEPALA DESA FIKTIF,\n\nMenimbang : a. bahwa sampah perlu dikelola;\n\n"
        "Pasal I\n\nMengubah beberapa ketentuan dalam Peraturan Desa Nomor 1:\n\n"
        "1. Ketentuan Pasal 6A diubah, sehingga berbunyi:\n\nPasal 6A\n\nDesa mengelola sampahnya sendiri.\n\n"
        "Bagian Kesatu\nUmum\n\nPasal 28\n\nWarga memilah sampah.\n\n"
        "Pasal II\n\nPeraturan ini berlaku sejak diundangkan.\n"
    )
    doc = loaded_text(tmp_path / "perdes-perubahan.md", text)
    assert block_of(doc, "Menimbang").section == "Pembukaan"
    assert block_of(doc, "Desa mengelola").section == "Pasal I > Pasal 6A"  # not "Pembukaan > Pasal 6A"
    assert block_of(doc, "Warga memilah").section == "Pasal I > Bagian Kesatu Umum > Pasal 28"
    assert block_of(doc, "berlaku sejak").section == "Pasal II"


def test_inline_headings_of_a_transcription_are_cut_out() -> None:
    from assistant.ingest.legal import split_inline_headings

    paragraph = (
        "BAB II KERJA SAMA DAERAH Bagian Kesatu Umum Pasal 2 (1) Daerah diwakili oleh gubernur. "
        "(2) Sebagaimana dimaksud dalam Pasal 3 ayat (1) dan berdasarkan Pasal 5 Undang-Undang. Pasal lO Jika terjadi"
    )
    assert split_inline_headings(paragraph) == [
        "BAB II KERJA SAMA DAERAH",
        "Bagian Kesatu Umum",
        "Pasal 2",
        "(1) Daerah diwakili oleh gubernur. (2) Sebagaimana dimaksud dalam Pasal 3 ayat (1) dan berdasarkan "
        "Pasal 5 Undang-Undang.",
        "Pasal lO",
        "Jika terjadi",
    ]
    # OCR's "Pasil27" is Pasal 27; the elucidation's headings run into the closing formula
    assert split_inline_headings("Bagian Kedua Persyaratan Pasil27 (1) Pelaksanaan harus", 27) == [
        "Bagian Kedua Persyaratan",
        "Pasil27",
        "(1) Pelaksanaan harus",
    ]
    closing = "Diundangkan di Jakarta. PENJE[,ASAN ATAS PERATURAN PEMERINTAH I. UMUM Kerja sama. II. PASAL DEMI PASAL"
    assert split_inline_headings(closing) == [
        "Diundangkan di Jakarta.",
        "PENJE[,ASAN",
        "ATAS PERATURAN PEMERINTAH",
        "I. UMUM",
        "Kerja sama.",
        "II. PASAL DEMI PASAL",
    ]


def test_real_pp_28_2018_transcription_finds_its_pasal_on_ksdpl() -> None:
    doc = TextLoader().load(regulation("regulations/pp-28-2018-kerja-sama-daerah.md"))
    body = {pasal_of(b.section) for b in doc.blocks if b.section and not b.section.startswith("Penjelasan")}
    assert len(body - {None}) >= 45  # of 52, in a noisy OCR transcription
    assert block_of(doc, "KSDPL terdiri atas").section.endswith("> Pasal 24")  # type: ignore[union-attr]


def test_ocr_noise_in_headings_of_a_transcription(tmp_path: Path) -> None:
    """What PP 28/2018's OCR transcription does to headings: a BAB whose long title ends no
    sentence, "Pasal lO", "pasal 45" in lower case, a heading after a sentence OCR cut short
    ("ketentuan Pasal 46 (1) ..."), and an article whose first word was lost."""
    text = (
        "PERATURAN KOTA FIKTIF\n\nSYNTHETIC TEST FIXTURE - not a real document.\n\n"
        "BAB I KETENTUAN UMUM\n\nPasal 1\n\nKota mengelola sampahnya sendiri.\n\n"
        "Pasal 2\n\nWarga memilah sampah.\n\n"
        "Pasal lO\n\nSengketa diselesaikan dengan musyawarah.\n\n"
        "BAB IV KERJA SAMA KOTA DENGAN PEMERINTAH DAERAH DI LUAR NEGERI DAN LEMBAGA DI LUAR NEGERI\n\n"
        "Bagran Kesatu Umum Pasal 11 (1) Dalam kerja sama luar negeri, kota diwakili oleh wali kota.\n\n"
        "Pasal 12\n\nmengenai tata cara kerja sama luar negeri diatur oleh wali kota.\n\n"
        "BAB V KETENTUAN LAIN-LAIN pasal 13 (l) Kota dapat membentuk asosiasi. (2) Asosiasi dibentuk "
        "sesuai dengan ketentuan Pasal 14 (1) Pendanaan kerja sama dibebankan pada anggaran kota. "
        "(2) Dana sebagaimana dimaksud dalam Pasal 13 ayat (1) diaudit.\n"
    )
    doc = loaded_text(tmp_path / "perkot.md", text)
    assert block_of(doc, "Sengketa diselesaikan").section == "BAB I KETENTUAN UMUM > Pasal 10"
    bab_iv = "BAB IV KERJA SAMA KOTA DENGAN PEMERINTAH DAERAH DI LUAR NEGERI DAN LEMBAGA DI LUAR NEGERI"
    assert block_of(doc, "kota diwakili oleh wali kota").section == f"{bab_iv} > Bagian Kesatu Umum > Pasal 11"
    assert block_of(doc, "mengenai tata cara").section == f"{bab_iv} > Bagian Kesatu Umum > Pasal 12"
    assert block_of(doc, "membentuk asosiasi").section == "BAB V KETENTUAN LAIN-LAIN > Pasal 13"
    assert block_of(doc, "Pendanaan kerja sama").section == "BAB V KETENTUAN LAIN-LAIN > Pasal 14"
    assert block_of(doc, "diaudit").section == "BAB V KETENTUAN LAIN-LAIN > Pasal 14"  # a reference stays one
    start = doc.text.index("Sengketa")
    assert legal_point(doc.text, "BAB I > Pasal 10", start, start + 8) == LegalPoint("10")


def test_real_pp_28_2018_has_every_bab_and_every_pasal_its_transcription_prints() -> None:
    doc = TextLoader().load(regulation("regulations/pp-28-2018-kerja-sama-daerah.md"))
    body = [b.section for b in doc.blocks if b.section and not b.section.startswith("Penjelasan")]
    babs = {s.split(" > ")[0].split()[1] for s in body if s.startswith("BAB ")}
    assert babs == {"I", "II", "III", "IV", "V", "VI", "VII", "VIII"}
    found = {int(p) for s in body if (p := pasal_of(s)) and p.isdigit()}
    assert set(range(1, 53)) <= found  # Pasal 27 too, though OCR printed its heading "Pasil27"
    assert block_of(doc, "Pelaksanaan KSDPL dan KSDLL harus").section.endswith(  # type: ignore[union-attr]
        "> Bagian Kedua Persyaratan > Pasal 27"
    )
    # the elucidation's title, OCR-damaged ("PENJE[,ASAN ATAS ..."), and its general part run on
    # after the closing formula in one paragraph: they are the Penjelasan's, not Pasal 52's
    assert block_of(doc, "Kerja Sama Daerah dilaksanakan untuk").section == "Penjelasan > Umum"  # type: ignore[union-attr]
    assert block_of(doc, "mulai berlaku pada tanggal diundangkan").section.endswith("> Pasal 52")  # type: ignore[union-attr]
    assert block_of(doc, "Pemerintah Daerah melaporkan pelaks").section.endswith("> Pasal 43")  # type: ignore[union-attr]
    # "BAB II ... Bagran Kesatu Subjek Hukum Pasal 2": OCR's "Bagran" opens its Bagian
    pasal_2 = "BAB II KERJA SAMA DAERAH DENGAN DAERAH LAIN > Bagian Kesatu Subjek Hukum > Pasal 2"
    assert block_of(doc, "Dalam pelaksanaan KSDD, daerah").section == pasal_2


def test_a_heading_names_a_unit_and_a_numbered_ayat_is_a_statement() -> None:
    assert is_heading("Paragraf 3 Penyusunan Rancangan Naskah KSDPL")
    assert is_heading("BAB III  TUGAS DAN WEWENANG") and is_heading("Pasal 12") and is_heading("Bagian Kedua Hak")
    assert not is_heading("(1) Setiap orang wajib membatasi penggunaan kantong plastik.")
    assert not is_heading("Pasal 12 ayat (3) berbunyi sebagai berikut")
    assert is_heading("NOMOR 18 TAHUN 2008") and is_heading("NOMOR P.68/MENLHK/SETJEN/KUM.1/8/2016")
    assert not is_heading("Nomor 18 Tahun 2008 mengatur pengelolaan sampah.")


def test_a_line_in_capitals_is_a_title_not_an_answer() -> None:
    title = "BAKU MUTU AIR LIMBAH DOMESTIK TERSENDIRI"
    assert in_capitals(title) and not is_answer_unit(title, row=False)
    table = "Parameter Satuan Kadar maksimum* pH – 6 – 9 BOD mg/L 30 COD mg/L 100"
    assert not in_capitals(table) and is_answer_unit(table, row=False)
    certification = "Salinan sesuai dengan alinya MENTERI LINGKUNGAN HIDUP DAN KEHUTANAN REPUBLIK INDONESIA,"
    assert is_certification(certification) and not is_answer_unit(certification, row=False)
    # A table row is a record: read whole, whatever its case.
    assert is_answer_unit("Row 6: TPA SARIMUKTI BEROPERASI TAHUN 2006", row=True)


def test_a_numbered_item_is_cited_by_its_angka() -> None:
    text = (
        "Pasal 1\nDalam Peraturan Daerah ini yang dimaksud dengan:\n"
        "21. Tempat Pengolahan Sampah adalah tempat di satu kota.\n"
        "22. Tempat Pengolahan Sampah Regional adalah tempat untuk 2 (dua) kota atau lebih.\n"
        "Pasal 2\n(1) Sampah terdiri atas:\na. sampah rumah tangga yang meliputi:\n"
        "1. Sampah dapur dari rumah;\n2. Sampah halaman dari rumah.\n"
    )
    at = text.index("Regional adalah")
    assert legal_point(text, "BAB I > Pasal 1", at, at + 10) == LegalPoint("1", angka="22")
    garden = text.index("Sampah halaman")
    assert legal_point(text, "BAB I > Pasal 2", garden, garden + 10) == LegalPoint("2", "1", huruf="a", angka="2")
    ocr = "Pasal 1\nyang dimaksud dengan:\nl. Kerja Sama Daerah adalah usaha bersama.\n"
    at = ocr.index("usaha")
    assert legal_point(ocr, "Pasal 1", at, at + 5) == LegalPoint("1")  # "l." is an OCR'd "1.", not huruf l


ANNEX = (
    "PERATURAN MENTERI FIKTIF\n\nSYNTHETIC TEST FIXTURE - not a real document.\n\n"
    "Pasal 1\nBaku mutu tercantum dalam Lampiran.\n\nPasal 2\nPeraturan ini berlaku.\n\nPasal 3\nCukup.\n\n"
    "LAMPIRAN I\n\nPERATURAN MENTERI FIKTIF\n\nNOMOR 1 TAHUN 2099\n\n"
    "A. BAKU MUTU AIR LIMBAH UNTUK KEGIATAN PEMBUANGAN AIR LIMBAH\n\nDOMESTIK.\n\n"
    "1. AIR LIMBAH NONKAKUS, ATAU GABUNGAN AIR LIMBAH KAKUS\n\n"
    "DENGAN AIR LIMBAH NONKAKUS DAN DIBUANG KE MEDIA AIR\n\n"
    "PARAMETER SATUAN\n\nKADAR PALING TINGGI\n\n"
    "Kebutuhan Oksigen\nBiokimiawi (BOD)\nmg/l 30 50 75\nAmoniak (NH3-N) mg/l 10 20\n"
    "Deterjen Total mg/l 5 10\nMinyak & Lemak mg/l 5 10 10\n\n"
    "B. BAKU MUTU AIR LIMBAH DOMESTIK UNTUK PEMANFAATAN AIR\n\nLIMBAH.\n\n"
    "NO PARAMETER SATUAN KADAR\n\nTERTINGGI\n\n1. Tingkat Keasaman (pH) - 6 – 9\n\n"
    "2. Kebutuhan Oksigen\n\nBiokimiawi (BOD)\nmg/l 12\n"
)


def test_an_annex_keeps_its_lettered_and_numbered_titles_and_its_tables_under_them(tmp_path: Path) -> None:
    # Every line in capitals of PermenLH 11/2025's annex was a heading: its BOD table was
    # filed under "Lampiran I > KADAR PALING TINGGI", away from the title saying what it is for.
    doc = loaded_text(tmp_path / "permen.md", ANNEX)
    a = "Lampiran I > A. BAKU MUTU AIR LIMBAH UNTUK KEGIATAN PEMBUANGAN AIR LIMBAH DOMESTIK"
    table = block_of(doc, "mg/l 30 50 75").section
    one = " > 1. AIR LIMBAH NONKAKUS, ATAU GABUNGAN AIR LIMBAH KAKUS DENGAN AIR LIMBAH NONKAKUS DAN DIBUANG KE MEDIA"
    assert table == a + one + " AIR"
    assert (
        block_of(doc, "mg/l 12").section == "Lampiran I > B. BAKU MUTU AIR LIMBAH DOMESTIK UNTUK PEMANFAATAN AIR LIMBAH"
    )
    assert block_of(doc, "NOMOR 1 TAHUN 2099").section == "Lampiran I"  # the title block opens no section
    assert not any("PARAMETER" in (b.section or "") or "Tingkat" in (b.section or "") for b in doc.blocks)


def test_an_annex_numbered_title_in_lower_case_heads_its_prose_but_a_table_row_does_not(tmp_path: Path) -> None:
    body = (
        "Penentuan kadar paling tinggi pada parameter yang sama ditentukan dengan metoda neraca massa sebagai berikut:"
    )
    text = ANNEX.split("LAMPIRAN I")[0] + (
        "LAMPIRAN II\n\nPENGHITUNGAN BAKU MUTU\n\n2. Kadar air limbah gabungan paling tinggi\n\n" + body + "\n\n"
        "9. Vibrio cholera - Negatif\n\n10. Streptococus - Negatif\n\n"
        "Keterangan: diukur langsung pada titik penaatan bila pengolahan air limbah domestik menggunakan khlorinasi.\n"
    )
    doc = loaded_text(tmp_path / "permen.md", text)
    assert block_of(doc, "neraca massa").section == "Lampiran II > 2. Kadar air limbah gabungan paling tinggi"
    assert block_of(doc, "titik penaatan").section == "Lampiran II > 2. Kadar air limbah gabungan paling tinggi"


def test_a_repeated_sentence_is_text_not_a_running_head() -> None:
    from assistant.ingest.structure import repair_paragraphs

    # PP 28/2018's elucidation says "Cukup jelas." under 35 of its Pasal: the Reader showed
    # them as bare headings, the repeats dropped as running heads
    paras = ["JURNAL KOTA", "Pasal 1", "Cukup jelas.", "JURNAL KOTA", "Pasal 2", "Cukup jelas.", "JURNAL KOTA"]
    paras += ["Pasal 3", "Cukup jelas."]
    kept, dropped, _ = repair_paragraphs(paras)
    assert kept.count("Cukup jelas.") == 3
    assert kept.count("JURNAL KOTA") == 1 and dropped == 2  # a short line ending no sentence still goes
    doc = TextLoader().load(regulation("regulations/pp-28-2018-kerja-sama-daerah.md"))
    pasal_41 = [doc.text[b.start : b.end] for b in doc.blocks if b.section == "Penjelasan > Pasal 41"]
    assert pasal_41 == ["Pasal 41\n\nCukup ^jelas."]  # as OCR read it


def test_the_first_article_of_a_regulation_without_chapters_ends_the_opening(tmp_path: Path) -> None:
    # P.68/2016 has no BAB: the Reader's header read "Pembukaan > Pasal 8"
    text = (
        "PERATURAN MENTERI FIKTIF\nNOMOR 9 TAHUN 2099\nTENTANG AIR LIMBAH\n\n"
        "SYNTHETIC TEST FIXTURE - not a real document.\n\n"
        "DENGAN RAHMAT TUHAN YANG MAHA ESA\nMENTERI FIKTIF,\n\nMenimbang : a. bahwa air limbah perlu diolah;\n\n"
        "MEMUTUSKAN:\n\nMenetapkan : PERATURAN MENTERI TENTANG AIR LIMBAH.\n\n"
        "Pasal 1\n\nAir limbah diolah sebelum dibuang.\n\nPasal 2\n\nAir limbah dipantau.\n\n"
        "Pasal 3\n\nPeraturan ini berlaku sejak diundangkan.\n"
    )
    doc = loaded_text(tmp_path / "permen-fiktif.md", text)
    assert block_of(doc, "Menimbang").section == "Pembukaan"
    assert block_of(doc, "Air limbah diolah").section == "Pasal 1"
    assert block_of(doc, "berlaku sejak").section == "Pasal 3"


def test_the_openings_labels_stand_before_their_items(tmp_path: Path) -> None:
    # UU 18/2008's PDF prints the labels in a column of their own: read as "Menimbang :",
    # "Mengingat :", then the considerations under "Mengingat"
    text = (
        "UNDANG-UNDANG FIKTIF\nNOMOR 9 TAHUN 2099\nTENTANG SAMPAH\n\nSYNTHETIC TEST FIXTURE - not a real document.\n\n"
        "Menimbang :\n\nMengingat :\n\na. bahwa sampah bertambah;\n\nb. bahwa sampah perlu dikelola\n\n"
        "secara terpadu;\n\nPasal 5 Undang-Undang Dasar Fiktif;\n\nMEMUTUSKAN:\n\nPasal 1\n\nSampah dipilah.\n\n"
        "Pasal 2\n\nSampah diolah.\n\nPasal 3\n\nPeraturan ini berlaku sejak diundangkan.\n"
    )
    doc = loaded_text(tmp_path / "uu-fiktif.md", text)
    order = [doc.text.index(s) for s in ("Menimbang :", "a. bahwa", "secara terpadu;", "Mengingat :", "Pasal 5 Undang")]
    assert order == sorted(order)
    assert block_of(doc, "Sampah dipilah").section == "Pasal 1"
