"""Every word the app shows, in English and Bahasa Indonesia.

`tr("key", n=3)` returns the text in the current interface language, formatted.
Key bindings carry a key as their description and are translated when shown.
"""

from __future__ import annotations

LANGUAGES = ("en", "id")
LANGUAGE_NAMES = {"en": "English", "id": "Bahasa Indonesia"}

_current = "en"

STRINGS: dict[str, tuple[str, str]] = {
    # -- bindings (footer, help) --
    "k.help": ("Help", "Bantuan"),
    "k.library": ("Library", "Pustaka"),
    "k.type": ("Type", "Jenis"),
    "k.lang": ("Doc language", "Bahasa dok."),
    "k.answer_lang": ("Answer language", "Bahasa jawaban"),
    "k.brief": ("Brief", "Ringkasan"),
    "k.copy": ("Copy", "Salin"),
    "palette": ("commands", "perintah"),
    "k.reindex": ("Re-index", "Indeks ulang"),
    "k.back": ("Back", "Kembali"),
    "k.next": ("Next", "Lanjut"),  # short: the Reader's footer fits 80 columns
    "k.prev": ("Previous", "Sebelum"),
    "k.open": ("Open", "Buka"),
    "k.cancel": ("Cancel indexing", "Batalkan"),
    "k.ui_lang": ("Bahasa", "English"),
    "k.quit": ("Quit", "Keluar"),
    "k.focus": ("Next pane", "Panel brkt"),
    "k.ask": ("Ask", "Tanya"),
    # -- status bar --
    "status.docs": ("{n} documents · {p} passages", "{n} dokumen · {p} bagian"),
    "reader.goto.title": ("Go to a Pasal, a page or a row", "Ke Pasal, halaman atau baris"),
    "reader.goto.placeholder": ("44 · Pasal 13A · hlm 12 · baris 50", "44 · Pasal 13A · hlm 12 · baris 50"),
    "reader.goto.missing": ("No {asked} in this document.", "Tidak ada {asked} di dokumen ini."),
    "k.goto": ("Go to", "Ke"),
    "reader.find.title": ("Find in this document", "Cari di dokumen ini"),
    "reader.find.placeholder": ("words (Enter: the next; Esc: close)", "kata (Enter: berikutnya; Esc: tutup)"),
    "reader.find.missing": ("“{asked}” is not in this document.", "“{asked}” tidak ada di dokumen ini."),
    "reader.find.found": ("“{asked}”: {i} of {n}", "“{asked}”: {i} dari {n}"),
    "k.find": ("Find", "Cari"),
    "status.unreadable": (" · {n} unreadable", " · {n} tak terbaca"),
    "status.no_index": ("no index yet", "belum ada indeks"),
    "status.opening": ("opening the library…", "membuka pustaka…"),
    "status.models_loading": ("loading models {done}/{total} ({space})…", "memuat model {done}/{total} ({space})…"),
    "status.models_ready": ("models ready", "model siap"),
    "status.models_waiting": ("models not loaded", "model belum dimuat"),
    "status.indexing": ("indexing…", "mengindeks…"),
    "scope.type": ("type", "jenis"),
    "scope.lang": ("language", "bahasa"),
    "scope.all": ("all", "semua"),
    "scope.answer": ("answers", "jawaban"),
    "scope.auto": ("auto", "otomatis"),
    "lang.en": ("English", "Inggris"),
    "lang.id": ("Indonesian", "Indonesia"),
    "type.study": ("study", "kajian"),
    "type.agreement": ("agreement", "perjanjian"),
    "type.manual": ("manual", "panduan"),
    "type.regulation": ("regulation", "peraturan"),
    "type.data": ("data", "data"),
    "type.other": ("other", "lainnya"),
    "status.indexed": ("indexed", "terindeks"),
    "status.revoked": ("revoked", "dicabut"),
    "status.partial": ("partial", "sebagian"),
    "status.needs-ocr": ("needs OCR", "perlu OCR"),
    "status.failed": ("failed", "gagal"),
    # -- ask screen --
    "ask.placeholder": (
        "Ask a question (Enter) · ↑/↓ history",
        "Ajukan pertanyaan (Enter) · ↑/↓ riwayat",
    ),
    "ask.welcome.title": ("Ask Mitra about the library", "Tanyakan kepada Mitra tentang pustaka"),
    "ask.welcome.body": (
        "Mitra answers from the documents of the Bandung–Kawasaki environmental cooperation "
        "only, and every sentence carries a numbered citation [n] you can open and check.\n\n"
        "Try: When did Bandung and Kawasaki sign the MoU?\n"
        "     Berapa banyak bank sampah di Kota Bandung?\n\n"
        "F1 help · Ctrl+L library · Ctrl+P all commands",
        "Mitra menjawab hanya dari dokumen kerja sama lingkungan Bandung–Kawasaki, dan setiap "
        "kalimat diberi kutipan bernomor [n] yang dapat Anda buka dan periksa.\n\n"
        "Coba: When did Bandung and Kawasaki sign the MoU?\n"
        "      Berapa banyak bank sampah di Kota Bandung?\n\n"
        "F1 bantuan · Ctrl+L pustaka · Ctrl+P semua perintah",
    ),
    "turn.queued_models": (
        "Waiting for the models to load — answered as soon as they are ready.",
        "Menunggu model dimuat — dijawab segera setelah siap.",
    ),
    "turn.queued_index": (
        "Waiting for the index — answered as soon as it is ready.",
        "Menunggu indeks — dijawab segera setelah siap.",
    ),
    "turn.queued": ("Queued behind the previous question…", "Menunggu pertanyaan sebelumnya…"),
    "turn.thinking": ("Searching the library…", "Mencari di pustaka…"),
    "turn.failed": ("Could not answer: {error}", "Tidak dapat menjawab: {error}"),
    "turn.abstained": ("Not in the library.", "Tidak ada di pustaka."),
    "turn.meta": ("{n} citations · {ms} ms", "{n} kutipan · {ms} md"),
    "turn.meta1": ("1 citation · {ms} ms", "1 kutipan · {ms} md"),
    "turn.meta_nearest": ("nearest passages below · {ms} ms", "bagian terdekat di bawah · {ms} md"),
    "evidence.for": ("Evidence for: {q}", "Bukti untuk: {q}"),
    "evidence.empty": (
        "The citations of the selected answer appear here. Enter opens one in the Reader.",
        "Kutipan dari jawaban terpilih muncul di sini. Enter membukanya di Pembaca.",
    ),
    "evidence.nearest": (
        "Not in the library. The nearest passages (none answers the question):",
        "Tidak ada di pustaka. Bagian terdekat (tidak ada yang menjawab pertanyaan):",
    ),
    "evidence.no_figure": (
        "No figure for this in the library. The nearest passages (none gives it):",
        "Pustaka tidak menyebut angkanya. Bagian terdekat (tidak ada yang menyebutnya):",
    ),
    "evidence.filtered": (
        "Filtered out: other documents answer this. The nearest passages the filter admits:",
        "Tersaring: dokumen lain menjawabnya. Bagian terdekat yang lolos filter:",
    ),
    "evidence.score": ("score {s}", "skor {s}"),
    "where.page": ("p. {p}", "hlm. {p}"),
    "where.pdf_page": (" (PDF page {n})", " (halaman PDF {n})"),
    "where.rows": ("rows {r}", "baris {r}"),
    # -- indexing --
    "index.stage.scan": ("Scanning the library folder", "Memindai folder pustaka"),
    "index.stage.read": ("Reading documents", "Membaca dokumen"),
    "index.stage.ocr": ("OCR: {done} of {total} pages", "OCR: {done} dari {total} halaman"),
    "index.stage.documents": ("Storing documents", "Menyimpan dokumen"),
    "index.left_s": ("about {s} s left", "sekitar {s} detik lagi"),
    "index.left_min": ("about {m} min left", "sekitar {m} menit lagi"),
    "index.stage.load": ("Loading model {space}", "Memuat model {space}"),
    "index.stage.embed": ("Embedding passages ({space})", "Menyematkan bagian ({space})"),
    "index.stage.start": ("Checking the library…", "Memeriksa pustaka…"),
    "index.cancel_hint": (
        "Esc or the button cancels; the previous index is kept.",
        "Esc atau tombol membatalkan; indeks lama tetap dipakai.",
    ),
    "index.cancel_hint_first": (
        "Esc or the button cancels; Ctrl+R starts it again later.",
        "Esc atau tombol membatalkan; Ctrl+R memulainya lagi nanti.",
    ),
    "index.cancel_button": ("Cancel", "Batal"),
    "index.title_first": ("Building the index (first run)", "Membangun indeks (pertama kali)"),
    "index.title": ("Updating the index", "Memperbarui indeks"),
    "index.done": (
        "Index ready: {docs} documents{unreadable}, {passages} passages ({added} added, {changed} changed, "
        "{removed} removed).",
        "Indeks siap: {docs} dokumen{unreadable}, {passages} bagian ({added} baru, {changed} berubah, "
        "{removed} dihapus).",
    ),
    "index.uptodate": (
        "The index is up to date: {docs} documents{unreadable}.",
        "Indeks sudah mutakhir: {docs} dokumen{unreadable}.",
    ),
    "index.skipped": (
        "{n} file(s) not indexed — see the Library (Ctrl+L).",
        "{n} berkas tidak terindeks — lihat Pustaka (Ctrl+L).",
    ),
    "index.cancelled": (
        "Indexing cancelled; the previous index is kept.",
        "Pengindeksan dibatalkan; indeks lama tetap dipakai.",
    ),
    "index.cancelling": ("Cancelling after the current step…", "Membatalkan setelah langkah ini…"),
    "index.already": ("The index is already being built.", "Indeks sedang dibangun."),
    "index.stale": (
        "{n} file(s) changed since the last index: updating it.",
        "{n} berkas berubah sejak indeks terakhir: memperbarui.",
    ),
    "index.needed": (
        "No usable index ({reason}): building it now.",
        "Belum ada indeks yang dapat dipakai ({reason}): membangunnya sekarang.",
    ),
    # -- notifications --
    "notify.no_answer": (
        "Ask a question first: there is no answer to export.",
        "Ajukan pertanyaan dulu: belum ada jawaban untuk diekspor.",
    ),
    "notify.no_citation": ("Select an answer with citations first.", "Pilih jawaban yang memiliki kutipan dulu."),
    "notify.exported": ("Evidence brief written to {path}", "Ringkasan bukti ditulis ke {path}"),
    "notify.copied": ("Copied to the clipboard:\n{text}", "Disalin ke papan klip:\n{text}"),
    "notify.copy_hint": (
        "(Some terminals do not pass a copy on; Ctrl+S saves it in the evidence brief.)",
        "(Sebagian terminal tidak meneruskan salinan; Ctrl+S menyimpannya di ringkasan bukti.)",
    ),
    "notify.scope": ("Scope: {scope}", "Cakupan: {scope}"),
    "notify.ui_lang": ("Interface language: English", "Bahasa antarmuka: Bahasa Indonesia"),
    "notify.no_text": (
        "{title} has no text to show: {reason}",
        "{title} tidak memiliki teks untuk ditampilkan: {reason}",
    ),
    "notify.no_library": ("The library is not open yet.", "Pustaka belum dibuka."),
    "error.title": ("Something went wrong", "Terjadi kesalahan"),
    "error.unexpected": (
        "Unexpected error: {error}. Mitra keeps running; details are in {log}.",
        "Kesalahan tak terduga: {error}. Mitra tetap berjalan; rinciannya ada di {log}.",
    ),
    "error.what_to_do": ("What to do: {hint}", "Yang dapat dilakukan: {hint}"),
    "error.close": ("Close", "Tutup"),
    # -- reader --
    "reader.position": ("citation {i} of {n}", "kutipan {i} dari {n}"),
    "reader.document_start": ("start of the document", "awal dokumen"),
    "reader.window": (
        "Showing characters {a}–{b} of {n}; the rest of this long document is left out here.",
        "Menampilkan karakter {a}–{b} dari {n}; sisa dokumen panjang ini tidak ditampilkan di sini.",
    ),
    "reader.empty": ("This document has no extracted text.", "Dokumen ini tidak memiliki teks hasil ekstraksi."),
    "reader.no_more": ("No more citations in that direction.", "Tidak ada kutipan lagi ke arah itu."),
    # -- library --
    "library.filter": ("Filter: title, type, year, language, status…", "Saring: judul, jenis, tahun, bahasa, status…"),
    "library.col.title": ("Title", "Judul"),
    "library.col.type": ("Type", "Jenis"),
    "library.col.year": ("Year", "Tahun"),
    "library.col.lang": ("Lang", "Bhs"),
    "library.col.size": ("Size", "Ukuran"),
    "library.col.passages": ("Passages", "Bagian"),
    "library.col.status": ("Status", "Status"),
    "library.size.pages": ("{n} p.", "{n} hlm."),
    "library.size.rows": ("{n} rows", "{n} baris"),
    "library.count": ("{shown} of {total} files", "{shown} dari {total} berkas"),
    "library.hint": (
        "Enter opens · Ctrl+R re-indexes after files are added to {corpus}",
        "Enter membuka · Ctrl+R mengindeks ulang setelah berkas ditambahkan ke {corpus}",
    ),
    "library.empty": ("The library is not open yet.", "Pustaka belum dibuka."),
    "library.no_match": ("No document matches “{words}”.", "Tidak ada dokumen yang cocok dengan “{words}”."),
    # -- commands (palette) --
    "cmd.reindex": ("Re-index the library", "Indeks ulang pustaka"),
    "cmd.reindex.help": ("Read added or changed files into the index", "Baca berkas baru atau berubah ke dalam indeks"),
    "cmd.rebuild": ("Rebuild the whole index", "Bangun ulang seluruh indeks"),
    "cmd.rebuild.help": ("Re-read and re-embed every document", "Baca dan sematkan ulang setiap dokumen"),
    "cmd.cancel": ("Cancel indexing", "Batalkan pengindeksan"),
    "cmd.cancel.help": (
        "Stop the running build; the previous index is kept",
        "Hentikan pembangunan; indeks lama tetap dipakai",
    ),
    "cmd.export": ("Export evidence brief", "Ekspor ringkasan bukti"),
    "cmd.export.help": (
        "Write the selected answer and its quotes to a Markdown file",
        "Tulis jawaban terpilih dan kutipannya ke berkas Markdown",
    ),
    "cmd.copy": ("Copy citation", "Salin kutipan"),
    "cmd.copy.help": ("Copy its quote and reference (APA, with page)", "Salin teks dan rujukannya (APA, halaman)"),
    "cmd.answer_lang": ("Switch answer language", "Ganti bahasa jawaban"),
    "cmd.answer_lang.help": (
        "Auto (the question's language) → English → Indonesian",
        "Otomatis (bahasa pertanyaan) → Inggris → Indonesia",
    ),
    "palette.placeholder": ("Search for commands…", "Cari perintah…"),
    "cmd.ui_lang": ("Switch interface language (Bahasa Indonesia)", "Ganti bahasa antarmuka (English)"),
    "cmd.ui_lang.help": ("English ↔ Bahasa Indonesia", "Bahasa Indonesia ↔ English"),
    "cmd.type": ("Scope: next document type", "Cakupan: jenis dokumen berikutnya"),
    "cmd.type.help": ("All → each type in the library → all", "Semua → tiap jenis di pustaka → semua"),
    "cmd.lang": ("Scope: next document language", "Cakupan: bahasa dokumen berikutnya"),
    "cmd.lang.help": ("All → English → Indonesian → all", "Semua → Inggris → Indonesia → semua"),
    "cmd.library": ("Show the library", "Tampilkan pustaka"),
    "cmd.library.help": ("Every document, its type, size and status", "Setiap dokumen, jenis, ukuran dan statusnya"),
    "cmd.help": ("Help", "Bantuan"),
    "cmd.help.help": (
        "Keys, and what Mitra can and cannot do",
        "Tombol, serta apa yang bisa dan tidak bisa dilakukan Mitra",
    ),
    "cmd.dark": ("Toggle light/dark theme", "Ganti tema terang/gelap"),
    "cmd.dark.help": ("Switch between the light and the dark theme", "Beralih antara tema terang dan gelap"),
    "cmd.open": ("Open document: {title}", "Buka dokumen: {title}"),
    "cmd.open.help": ("{type} · {year} · {id}", "{type} · {year} · {id}"),
}

HELP = {
    "en": """\
# Mitra — help

Mitra answers questions from the documents of the **Bandung–Kawasaki environmental
sister-city cooperation**, offline. Every sentence of an answer carries a marker such
as **[1]**: the evidence panel shows that quote inside its passage, and **Enter** opens
the document in the Reader at that exact place.

## Keys everywhere

- **F1** this help · **F2** interface language (English ↔ Bahasa Indonesia)
- **Ctrl+L** the Library · **Ctrl+R** re-index after files were added to the corpus folder
- **Ctrl+P** all commands (open a document, export, copy, theme…) · **Ctrl+Q** quit
- **Tab** / **Shift+Tab** move between the question, the answers and the evidence

## Asking

- **Enter** asks; a question asked while the models load is answered when they are ready
- **↑** / **↓** in the question: earlier questions
- **PgUp** / **PgDn** scroll the answers a page at a time (a long answer too), from the question as well
- **Ctrl+T** scope: next document type · **Ctrl+G** scope: next document language
- **Ctrl+N** answer language: auto (the question's), English, Indonesian
- **Enter** on a citation, or **Ctrl+O** from anywhere, opens it in the Reader
- **Ctrl+S** writes the evidence brief of the selected answer (Markdown) and shows where
- **Ctrl+Y** copies the selected citation, its quote and reference (APA, with page), and shows it
- **Esc** cancels a running index build (the previous index is kept)

## Reading and browsing

- Reader: **n** / **p** next / previous citation of the same answer · **g** go to a Pasal or a
  page ("44", "hlm 12") · **/** or **Ctrl+F** find words (Enter: the next; Esc: close) · **Esc** back
- Library: type to filter · **↑** / **↓** move · **Enter** opens the document · **Esc** back

## What Mitra can do

- Find the passages that answer a question, in English or Bahasa Indonesia, across
  studies, agreements and open-data tables, and quote them **verbatim** with their page,
  section or table rows.
- Say honestly when the library does not answer a question, and show the nearest passages.
- Write an evidence brief (question, answer, quotes, references, file checksums) to attach
  to a memo.

## What Mitra cannot do

- It knows only the documents in its library: nothing from the internet, no news, no
  opinions. Check important figures in the Reader before you use them.
- Scanned pages are read by OCR: their quotes are marked "OCR, check the page"; compare
  them with the page in the Reader before you quote them.
- It composes answers from quotes; it does not translate the documents.
""",
    "id": """\
# Mitra — bantuan

Mitra menjawab pertanyaan dari dokumen **kerja sama lingkungan kota kembar
Bandung–Kawasaki**, secara luring. Setiap kalimat jawaban diberi penanda seperti
**[1]**: panel bukti menampilkan kutipan itu di dalam bagiannya, dan **Enter** membuka
dokumen di Pembaca tepat di tempat tersebut.

## Tombol di mana saja

- **F1** bantuan ini · **F2** bahasa antarmuka (Bahasa Indonesia ↔ English)
- **Ctrl+L** Pustaka · **Ctrl+R** indeks ulang setelah berkas ditambahkan ke folder korpus
- **Ctrl+P** semua perintah (buka dokumen, ekspor, salin, tema…) · **Ctrl+Q** keluar
- **Tab** / **Shift+Tab** berpindah antara pertanyaan, jawaban, dan bukti

## Bertanya

- **Enter** bertanya; pertanyaan saat model dimuat dijawab setelah model siap
- **↑** / **↓** di kolom pertanyaan: pertanyaan sebelumnya
- **PgUp** / **PgDn** menggulir jawaban per halaman (juga jawaban yang panjang), juga dari kolom pertanyaan
- **Ctrl+T** cakupan: jenis dokumen berikutnya · **Ctrl+G** cakupan: bahasa dokumen berikutnya
- **Ctrl+N** bahasa jawaban: otomatis (bahasa pertanyaan), Inggris, Indonesia
- **Enter** pada kutipan, atau **Ctrl+O** dari mana saja, membukanya di Pembaca
- **Ctrl+S** menulis ringkasan bukti dari jawaban terpilih (Markdown) dan menampilkan lokasinya
- **Ctrl+Y** menyalin kutipan terpilih, teksnya dan rujukannya (APA, dengan halaman), dan menampilkannya
- **Esc** membatalkan pembangunan indeks yang sedang berjalan (indeks lama tetap dipakai)

## Membaca dan menjelajah

- Pembaca: **n** / **p** kutipan berikutnya / sebelumnya dari jawaban yang sama · **g** ke Pasal
  atau halaman ("44", "hlm 12") · **/** atau **Ctrl+F** cari kata (Enter: berikutnya; Esc: tutup) · **Esc** kembali
- Pustaka: ketik untuk menyaring · **↑** / **↓** pindah · **Enter** membuka dokumen · **Esc** kembali

## Yang dapat dilakukan Mitra

- Menemukan bagian dokumen yang menjawab pertanyaan, dalam bahasa Inggris atau Bahasa
  Indonesia, di kajian, perjanjian, dan tabel data terbuka, lalu mengutipnya **kata demi
  kata** beserta halaman, bagian, atau baris tabelnya.
- Menyatakan dengan jujur bila pustaka tidak menjawab pertanyaan, dan menampilkan bagian terdekat.
- Menulis ringkasan bukti (pertanyaan, jawaban, kutipan, referensi, checksum berkas) untuk
  dilampirkan pada memo.

## Yang tidak dapat dilakukan Mitra

- Mitra hanya mengenal dokumen di pustakanya: tidak ada internet, berita, atau opini.
  Periksa angka penting di Pembaca sebelum Anda menggunakannya.
- Halaman pindaian dibaca dengan OCR: kutipannya ditandai "OCR, periksa halamannya";
  bandingkan dengan halamannya di Pembaca sebelum mengutipnya.
- Mitra menyusun jawaban dari kutipan; Mitra tidak menerjemahkan dokumen.
""",
}


def set_language(language: str) -> None:
    """Switch the interface language ("en" or "id"; anything else means English)."""
    global _current
    _current = language if language in LANGUAGES else "en"


def language() -> str:
    return _current


def tr(key: str, **values: object) -> str:
    """The text of `key` in the current language; an unknown key is shown as itself."""
    pair = STRINGS.get(key)
    if pair is None:
        return key.format(**values) if values else key
    text = pair[1] if _current == "id" else pair[0]
    return text.format(**values) if values else text


def help_text() -> str:
    return HELP[_current]


def initial_language(explicit: str | None, environ: dict[str, str]) -> str:
    """The interface language to start in: the argument, MITRA_UI_LANGUAGE, then LANG."""
    for value in (explicit, environ.get("MITRA_UI_LANGUAGE"), environ.get("LANG", "")[:2]):
        if value in LANGUAGES:
            return value
    return "en"
