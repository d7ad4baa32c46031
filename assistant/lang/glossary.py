"""A bilingual (Bahasa Indonesia <-> English) glossary of the library's domain, for
cross-lingual query expansion.

BM25 and all-MiniLM-L6-v2 only match words of the query's language, and the
library mixes English studies with Indonesian tables. No offline translation
library covers Indonesian environmental administration well enough to ship, so
this is a short hand-kept list of the domain's terms (waste, water, cooperation,
administration, question words). `expand` adds the other language's terms to a
query; `to_english` rewrites an Indonesian query word by word for the English
dense model. Unknown words pass through unchanged.
"""

from __future__ import annotations

import re

# (Indonesian, English). Multi-word entries are matched first.
PAIRS: tuple[tuple[str, str], ...] = (
    ("nota kesepahaman", "memorandum of understanding"),
    ("kerja sama", "cooperation"),
    ("kerjasama", "cooperation"),
    ("kota kembar", "sister city"),
    ("kota bersaudara", "sister city"),
    ("surat pernyataan kehendak", "letter of intent"),
    ("kualitas udara", "air quality"),
    ("kualitas air", "water quality"),
    ("air limbah", "wastewater"),
    ("limbah cair", "wastewater"),
    ("tercemar berat", "heavily polluted"),
    ("cemar berat", "heavily polluted"),
    ("cemar sedang", "moderately polluted"),
    ("cemar ringan", "lightly polluted"),
    ("bank sampah", "waste bank"),
    ("sisa makanan", "food waste"),
    ("sumber daya manusia", "human resources"),
    ("pegawai negeri", "civil servants"),
    ("pemerintah kota", "city government"),
    ("pemkot", "city government"),
    ("wali kota", "mayor"),
    ("walikota", "mayor"),
    ("tempat pembuangan akhir", "landfill"),
    ("tempat pembuangan sementara", "temporary waste site"),
    ("perubahan iklim", "climate change"),
    ("rendah karbon", "low carbon"),
    ("alih teknologi", "technology transfer"),
    ("transfer teknologi", "technology transfer"),
    ("alih pengetahuan", "knowledge transfer"),
    ("proyek percontohan", "pilot project"),
    ("daur ulang", "recycling"),
    ("pengelolaan sampah", "waste management"),
    ("sampah", "waste"),
    ("limbah", "waste"),
    ("sungai", "river"),
    ("air", "water"),
    ("udara", "air"),
    ("lingkungan", "environment"),
    ("lingkungan hidup", "environment"),
    ("pencemaran", "pollution"),
    ("tercemar", "polluted"),
    ("cemar", "polluted"),
    ("baku mutu", "quality standard"),
    ("mutu", "quality"),
    ("pengelolaan", "management"),
    ("mengelola", "manage"),
    ("pengolahan", "treatment"),
    ("pemerintah", "government"),
    ("kota", "city"),
    ("daerah", "local"),
    ("pusat", "central"),
    ("kementerian", "ministry"),
    ("pemerintahan", "government"),
    ("program", "program"),
    ("proyek", "project"),
    ("kegiatan", "activity"),
    ("tujuan", "objective"),
    ("sasaran", "target"),
    ("target", "target"),
    ("pendanaan", "funding"),
    ("dana", "funding"),
    ("anggaran", "budget"),
    ("biaya", "cost"),
    ("hibah", "grant"),
    ("bantuan", "assistance"),
    ("donor", "donor"),
    ("dibiayai", "funded"),
    ("membiayai", "fund"),
    ("ditanggung", "covered"),
    ("tantangan", "challenge"),
    ("hambatan", "obstacle"),
    ("kendala", "constraint"),
    ("birokrasi", "bureaucracy"),
    ("kepemimpinan", "leadership"),
    ("pemimpin", "leader"),
    ("pergantian", "change"),
    ("perubahan", "change"),
    ("prioritas", "priority"),
    ("masyarakat", "community"),
    ("warga", "residents"),
    ("penduduk", "population"),
    ("kesadaran", "awareness"),
    ("sosialisasi", "socialization"),
    ("pendidikan", "education"),
    ("kurikulum", "curriculum"),
    ("sekolah", "school"),
    ("pelatihan", "training"),
    ("kapasitas", "capacity"),
    ("peningkatan", "increasing"),
    ("meningkatkan", "improve"),
    ("pengurangan", "reduction"),
    ("berkurang", "reduced"),
    ("mengurangi", "reduce"),
    ("penelitian", "research"),
    ("peneliti", "researchers"),
    ("studi", "study"),
    ("artikel", "article"),
    ("jurnal", "journal"),
    ("penulis", "authors"),
    ("metode", "method"),
    ("wawancara", "interview"),
    ("kualitatif", "qualitative"),
    ("teori", "theory"),
    ("konsep", "concept"),
    ("diplomasi", "diplomacy"),
    ("jaringan", "network"),
    ("kesimpulan", "conclusion"),
    ("temuan", "findings"),
    ("dampak", "impact"),
    ("manfaat", "benefit"),
    ("keberhasilan", "success"),
    ("berhasil", "succeeded"),
    ("ditandatangani", "signed"),
    ("menandatangani", "signed"),
    ("penandatanganan", "signing"),
    ("diperpanjang", "extended"),
    ("perpanjangan", "extension"),
    ("berlaku", "valid"),
    ("dimulai", "began"),
    ("mulai", "start"),
    ("berakhir", "end"),
    ("selesai", "conclude"),
    ("jepang", "japan"),
    ("jepang", "japanese"),
    ("indonesia", "indonesian"),
    ("mekanisme", "mechanism"),
    ("kredit", "crediting"),
    ("bersama", "joint"),
    ("teknologi", "technology"),
    ("energi", "energy"),
    ("transportasi", "transportation"),
    ("air bersih", "clean water"),
    ("banjir", "flood"),
    ("bidang", "field"),
    ("sektor", "sector"),
    ("ruang lingkup", "scope"),
    ("cakupan", "scope"),
    ("lingkup", "scope"),
    ("kantor", "office"),
    ("pasar", "market"),
    ("pemukiman", "settlements"),
    ("permukiman", "settlements"),
    ("jalan", "street"),
    ("industri", "industry"),
    ("rumah tangga", "household"),
    ("jenis", "type"),
    ("sumber", "source"),
    ("produksi", "production"),
    ("jumlah", "number"),
    ("persentase", "percentage"),
    ("persen", "percent"),
    ("rata-rata", "average"),
    ("ton", "tonnes"),
    ("per hari", "per day"),
    ("tahun", "year"),
    ("tahunan", "annual"),
    ("terbanyak", "most"),
    ("terbesar", "largest"),
    ("tertinggi", "highest"),
    ("terendah", "lowest"),
    ("truk", "truck"),
    ("gerobak", "cart"),
    ("kendaraan", "vehicle"),
    ("motor", "motorbike"),
    ("alat berat", "heavy equipment"),
    ("kontainer", "container"),
    ("bak", "container"),
    ("pengangkutan", "collection"),
    ("diangkut", "transported"),
    ("pengomposan", "composting"),
    ("kompos", "compost"),
    ("organik", "organic"),
    ("anorganik", "inorganic"),
    ("plastik", "plastic"),
    ("kertas", "paper"),
    ("kaca", "glass"),
    ("logam", "metal"),
    ("kayu", "wood"),
    ("daun", "leaves"),
    ("kain", "textile"),
    ("karet", "rubber"),
    ("kulit", "leather"),
    ("ditutup", "closed"),
    ("beroperasi", "operating"),
    ("lokasi", "location"),
    ("koordinat", "coordinates"),
    ("kecamatan", "district"),
    ("kelurahan", "sub-district"),
    ("wilayah", "region"),
    ("jadwal", "schedule"),
    ("narasumber", "speaker"),
    ("tempat", "place"),
    ("tanggal", "date"),
    ("instansi", "institution"),
    ("alamat", "address"),
    ("kategori", "category"),
    ("golongan", "class"),
    ("skor", "score"),
    ("hulu", "upstream"),
    ("hilir", "downstream"),
    ("tengah", "middle"),
    ("langsung", "direct"),
    ("validitas", "validity"),
    ("menjamin", "ensure"),
    ("jamin", "ensure"),
    ("kelayakan", "feasibility"),
    ("studi kelayakan", "feasibility study"),
    ("kaji", "study"),
    ("informan", "informants"),
    ("staf", "staff"),
    ("bagian", "section"),
    ("pihak", "party"),
    ("mitra", "partner"),
    ("kemitraan", "partnership"),
    ("dipilih", "chosen"),
    ("alasan", "reason"),
    ("pengalaman", "experience"),
    ("belajar", "learning"),
    ("keahlian", "expertise"),
    ("sumber dana", "funding source"),
    ("persetujuan", "agreement"),
    ("perjanjian", "agreement"),
    ("luar negeri", "abroad"),
    ("internasional", "international"),
    ("negara", "country"),
    ("kebijakan", "policy"),
    ("peraturan", "regulation"),
    ("regulasi", "regulation"),
    ("nasional", "national"),
    ("rencana induk", "master plan"),
    ("masterplan", "master plan"),
    ("pedoman", "manual"),
    ("panduan", "guide"),
    ("tahu", "tofu"),
    ("industri tahu", "tofu industry"),
    ("laundry", "laundry"),
    ("emisi", "emission"),
    ("karbon", "carbon"),
    ("listrik", "electricity"),
    ("lampu", "lamp"),
    ("penerangan jalan", "street lighting"),
    ("kendaraan listrik", "electric vehicle"),
    ("komunitas", "community"),
    ("relawan", "volunteers"),
    ("perusahaan", "company"),
    ("rumah sakit", "hospital"),
    ("tpa", "landfill"),
    ("tps", "temporary waste site"),
    ("kapan", "when"),
    ("berapa", "how many"),
    ("siapa", "who"),
    ("mengapa", "why"),
    ("bagaimana", "how"),
    ("apa", "what"),
    ("mana", "which"),
    ("dimana", "where"),
)

_TOKEN = re.compile(r"[\w-]+")


def _table(pairs: tuple[tuple[str, str], ...], reverse: bool) -> dict[tuple[str, ...], list[str]]:
    table: dict[tuple[str, ...], list[str]] = {}
    for idn, en in pairs:
        src, dst = (en, idn) if reverse else (idn, en)
        table.setdefault(tuple(src.split()), []).append(dst)
    return table


_ID_EN = _table(PAIRS, reverse=False)
_EN_ID = _table(PAIRS, reverse=True)
_LONGEST = max(len(k) for k in (*_ID_EN, *_EN_ID))


def _translate(words: list[str], table: dict[tuple[str, ...], list[str]]) -> list[tuple[str, list[str]]]:
    """Greedy longest-match: (source phrase, translations or []) in order."""
    out: list[tuple[str, list[str]]] = []
    i = 0
    while i < len(words):
        for n in range(min(_LONGEST, len(words) - i), 0, -1):
            key = tuple(words[i : i + n])
            if key in table:
                out.append((" ".join(key), table[key]))
                i += n
                break
        else:
            word = words[i]
            out.append((word, next((table[(v,)] for v in _variants(word) if (v,) in table), [])))
            i += 1
    return out


_ID_PREFIX = re.compile(r"^(?:ber|ter|per|mem|men|meng|meny|me|di|ke|se|pe|pem|pen|peng)")
_ID_SUFFIX = re.compile(r"(?:kan|an|nya|lah|i)$")


def _variants(word: str) -> list[str]:
    """Root forms to look up: an English plural, Indonesian affixes stripped."""
    out = []
    if word.endswith("s") and len(word) > 3:
        out.append(word[:-1])
    stem = _ID_SUFFIX.sub("", word) if len(word) > 5 else word
    for w in (stem, word):
        bare = _ID_PREFIX.sub("", w)
        if len(bare) >= 4 and bare != word:
            out.append(bare)
    if stem != word:
        out.append(stem)
    return out


def expand(query: str) -> str:
    """The query plus the other language's terms for the domain words it contains."""
    words = _TOKEN.findall(query.lower())
    extra: list[str] = []
    for table in (_ID_EN, _EN_ID):
        for _, translations in _translate(words, table):
            extra.extend(translations)
    return query if not extra else f"{query} {' '.join(dict.fromkeys(extra))}"


def to_english(query: str) -> str:
    """An Indonesian query with every known term replaced by its English equivalent."""
    words = _TOKEN.findall(query.lower())
    return " ".join(t[0] if t else src for src, t in _translate(words, _ID_EN))
