from assistant.display import clipped, printable


def test_escape_sequences_become_visible() -> None:
    hostile = "a\x1b]0;title\x1b\\b\x1b[2Jc\x1b]52;c;ZXZpbA==\x07d"
    shown = printable(hostile)
    assert "\x1b" not in shown and "\x07" not in shown
    assert shown == "a␛]0;title␛\\b␛[2Jc␛]52;c;ZXZpbA==␇d"


def test_newline_tab_and_text_kept() -> None:
    assert printable("Pasal 1\n\tayat (1) — sampah [x]") == "Pasal 1\n\tayat (1) — sampah [x]"


def test_c1_del_and_bidi_controls() -> None:
    assert printable("x\x9by\x7fz\u202eq") == "x<U+009B>y<U+007F>z<U+202E>q"


def test_markdown_markup_is_not_shown() -> None:
    from assistant.display import plain

    shown = plain("the *Sister City* Cooperation, **Keywords**: _waste_")
    assert shown == "the Sister City Cooperation, Keywords: waste"
    assert plain("Hakiem^{1*}, Argenti²") == "Hakiem, Argenti²"
    assert plain("see <https://x.org/a_b> and [the site](http://y.org/p)") == "see https://x.org/a_b and the site"
    assert plain("# Title\n\\*not emphasis\\* `code`") == "Title\n*not emphasis* code"
    # markup between two words leaves them two words
    assert plain("**ISSUE****Fadhlan**") == "ISSUE Fadhlan"


def test_text_that_only_looks_like_markup_is_kept() -> None:
    from assistant.display import plain

    for text in (
        "2*3*4 = 24",
        "a * b * c",
        "snake_case and file_name_x",
        "huruf a* dan b*",
        "Pasal 5 ayat (1)",
        # a regulation's footnote marks, which a quote must keep ("*=" had opened emphasis)
        "Keterangan: *= Rumah susun. Parameter Kadar maksimum* pH",
        "pH*) _) catatan_",
    ):
        assert plain(text) == text


def test_a_slice_loses_the_markup_inside_it_and_nothing_else() -> None:
    from assistant.display import markup_cuts, without

    text = "**BANDUNG AND KAWASAKI****Fadhlan Hakiem^{1*}, the *Sister City* of [Kawasaki](http://k.jp)"
    cuts = markup_cuts(text)
    whole = without(text, cuts)
    for k in range(1, 12):
        assert "".join(without(text[i : i + k], cuts, i) for i in range(0, len(text), k)) == whole


def test_a_superscript_unicode_can_write_is_kept_and_a_mark_goes() -> None:
    from assistant.display import markup_cuts, plain, without

    assert plain("luas 500 m^{2}, debit 3 m^{3}/detik, 10^{-6}") == "luas 500 m², debit 3 m³/detik, 10⁻⁶"
    assert plain("Hakiem^{1*}, Argenti^{1, 2}") == "Hakiem, Argenti"
    text = "a 10^{-6} b **c**"
    cuts = markup_cuts(text)
    for k in range(1, 6):
        assert "".join(without(text[i : i + k], cuts, i) for i in range(0, len(text), k)) == "a 10⁻⁶ b c"


def test_stars_and_underscores_that_open_or_close_nothing_are_kept() -> None:
    from assistant.display import plain

    assert plain("r = 0.512**, p = 0.301**") == "r = 0.512**, p = 0.301**"  # significance stars
    assert plain("Nama: ________ Tanda tangan: ________") == "Nama: ________ Tanda tangan: ________"


def test_clipped_cuts_after_a_whole_word_and_says_so() -> None:
    assert clipped("short text", 40) == "short text"
    assert clipped("Satuan Kerja Perangkat Daerah atau Unit Kerja", 30) == "Satuan Kerja Perangkat Daerah …"
    assert clipped("Row 1: a\nRow 2: b", 12) == "Row 1: a …"
    assert clipped("x" * 50, 10) == "x" * 10 + " …"  # one long word: cut inside it
