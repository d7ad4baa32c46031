"""The notes a file's reading left (why it failed, what OCR did) in Bahasa Indonesia, for
the Indonesian interface.

The loaders write their notes in English, and the index stores them so (`Document.warnings`:
"rusak.pdf: not a readable PDF (PdfReadError) — the file is damaged or not a PDF; get a
fresh copy"), which the CLI and the JSON output show as they are. Here each known message
and hint is matched by a pattern and said again in Indonesian; a file name, a number or an
exception's name is carried over; a part no pattern knows stays in English, whole. The
patterns are written against the loaders' own sentences (`ingest/loaders`, `ingest/sandbox`):
a test reads the notes a library of damaged files leaves and checks each is translated.
"""

from __future__ import annotations

import re

# (message pattern, Indonesian) — the name of the file first, as the loaders write it.
_MESSAGES: tuple[tuple[str, str], ...] = (
    (r"(?P<f>.+): the file is empty \(0 bytes\)", "{f}: berkas kosong (0 bita)"),
    (r"(?P<f>.+): the file is empty", "{f}: berkas kosong"),
    (r"(?P<f>.+): the PDF is password-protected", "{f}: PDF dilindungi kata sandi"),
    (r"(?P<f>.+): the PDF has no pages", "{f}: PDF tidak memiliki halaman"),
    (r"(?P<f>.+): not a readable PDF \((?P<x>.*)\)", "{f}: bukan PDF yang dapat dibaca ({x})"),
    (
        r"(?P<f>.+): not readable as text \(binary content or unknown encoding\)",
        "{f}: tidak dapat dibaca sebagai teks (isi biner atau pengodean tak dikenal)",
    ),
    (r"(?P<f>.+): unsupported format", "{f}: format tidak didukung"),
    (r"(?P<f>.+): no data rows under the header", "{f}: tidak ada baris data di bawah baris judul kolom"),
    (r"(?P<f>.+): could not be read \((?P<x>.*)\)", "{f}: tidak dapat dibaca ({x})"),
    (r"(?P<f>.+): reading it needed more than (?P<n>\d+) MB", "{f}: membacanya memerlukan lebih dari {n} MB"),
    (
        r"(?P<f>.+): reading took longer than the (?P<n>[\d.]+) s time limit and was stopped",
        "{f}: pembacaan melewati batas waktu {n} detik dan dihentikan",
    ),
    (
        r"(?P<f>.+): reading took longer than its (?P<n>[\d.]+) s time limit \((?P<x>.*)\) and was stopped",
        "{f}: pembacaan melewati batas waktunya, {n} detik, dan dihentikan",
    ),
    (r"(?P<f>.+): the reader crashed \(exit code (?P<n>-?\d+)\)", "{f}: pembaca berhenti mendadak (kode keluar {n})"),
    (
        r"(?P<f>.+): no text layer on any of its (?P<n>\d+) pages, and OCR found no text on them",
        "{f}: tidak ada lapisan teks di {n} halamannya, dan OCR tidak menemukan teks",
    ),
    (r"(?P<f>.+): no text layer on any of its (?P<n>\d+) pages.*", "{f}: tidak ada lapisan teks di {n} halamannya"),
    (
        r"(?P<f>.+): no text could be read from any of its (?P<n>\d+) pages: (?P<x>.*)",
        "{f}: tidak ada teks yang terbaca dari {n} halamannya: {x}",
    ),
    (
        r"(?P<n>\d+) page\(s\) read by OCR \((?P<x>.*)\), mean confidence (?P<c>[\d.]+)",
        "{n} halaman dibaca dengan OCR ({x}), keyakinan rata-rata {c}",
    ),
    (
        r"page (?P<n>\S+): OCR found no text on it \(a blank page, or a picture\?\)",
        "halaman {n}: OCR tidak menemukan teks (halaman kosong, atau gambar?)",
    ),
    (r"scanned page\(s\) with no text: (?P<x>[^;]*)", "halaman pindaian tanpa teks: {x}"),
    (
        r"(?P<n>\d+) rows have a different number of fields than the header \(rows (?P<x>[^)]*)\); extra cells kept "
        r"as extra_N",
        "{n} baris memiliki jumlah kolom yang berbeda dari baris judul (baris {x}); sel lebihnya disimpan "
        "sebagai extra_N",
    ),
    (r"not UTF-8: decoded as (?P<x>.+)", "bukan UTF-8: dibaca sebagai {x}"),
    (r"(?P<n>\d+) repeated running heads? removed", "{n} kepala halaman berulang dihapus"),
    (
        r"(?P<n>\d+) sentences? split by page breaks rejoined",
        "{n} kalimat yang terpotong pergantian halaman disambung kembali",
    ),
)

# What to do, as the loaders say it.
_HINTS: dict[str, str] = {
    "replace it with the real PDF": "ganti dengan PDF yang sebenarnya",
    "get a fresh copy": "ambil salinan baru",
    "save an unprotected copy (for example `qpdf --decrypt`) and re-index": (
        "simpan salinan tanpa kata sandi (misalnya `qpdf --decrypt`) lalu indeks ulang"
    ),
    "the file is damaged or not a PDF; get a fresh copy": "berkas rusak atau bukan PDF; ambil salinan baru",
    "the file is damaged or hostile; get a clean copy": "berkas rusak atau berbahaya; ambil salinan yang bersih",
    "add rows to it or remove it": "isi dengan baris data atau hapus berkasnya",
    "add text to it or remove it": "isi dengan teks atau hapus berkasnya",
    "check the file": "periksa berkasnya",
    "check the file; the rest of the library was indexed": "periksa berkasnya; dokumen lain sudah diindeks",
    "save it as UTF-8 text, or remove it from the library": "simpan sebagai teks UTF-8, atau hapus dari pustaka",
    "split the file or raise MITRA_LOADER_MEMORY_MB": "pecah berkasnya atau naikkan MITRA_LOADER_MEMORY_MB",
    "the file may be damaged or very large; raise MITRA_FILE_TIMEOUT_S to retry": (
        "berkas mungkin rusak atau sangat besar; naikkan MITRA_FILE_TIMEOUT_S untuk mencoba lagi"
    ),
    "raise MITRA_OCR_PAGE_TIMEOUT_S or MITRA_FILE_TIMEOUT_S to retry; the rest of the library was indexed": (
        "naikkan MITRA_OCR_PAGE_TIMEOUT_S atau MITRA_FILE_TIMEOUT_S untuk mencoba lagi; dokumen lain sudah diindeks"
    ),
    "the file is probably damaged, or needs more memory than MITRA_LOADER_MEMORY_MB; get a fresh copy or raise "
    "the limit": (
        "berkas mungkin rusak, atau memerlukan memori lebih dari MITRA_LOADER_MEMORY_MB; ambil salinan baru atau "
        "naikkan batasnya"
    ),
    "check the scan (blank pages, or pictures without text?)": (
        "periksa pindaiannya (halaman kosong, atau gambar tanpa teks?)"
    ),
    "run OCR on it (for example `ocrmypdf in.pdf out.pdf`) and re-index, or enable MITRA_OCR_ENABLED": (
        "jalankan OCR (misalnya `ocrmypdf in.pdf out.pdf`) lalu indeks ulang, atau aktifkan MITRA_OCR_ENABLED"
    ),
}

_COMPILED = tuple((re.compile(pattern + r"$", re.DOTALL), text) for pattern, text in _MESSAGES)


def in_indonesian(note: str) -> str:
    """`note` ("message — hint", or a message alone) in Indonesian, as far as it is known."""
    message, dash, hint = note.partition(" — ")
    said = _message(message.strip())
    if not dash:
        return said
    return f"{said} — {_HINTS.get(hint.strip(), hint.strip())}"


def _message(message: str) -> str:
    head, semi, rest = message.partition("; ")  # "scanned page(s) with no text: 3; <hint>"
    for pattern, text in _COMPILED:
        if m := pattern.match(message):
            return text.format(**m.groupdict())
        if semi and (m := pattern.match(head)):
            return f"{text.format(**m.groupdict())}; {_HINTS.get(rest.strip(), rest.strip())}"
    return message
