from assistant.display import printable


def test_escape_sequences_become_visible() -> None:
    hostile = "a\x1b]0;title\x1b\\b\x1b[2Jc\x1b]52;c;ZXZpbA==\x07d"
    shown = printable(hostile)
    assert "\x1b" not in shown and "\x07" not in shown
    assert shown == "a␛]0;title␛\\b␛[2Jc␛]52;c;ZXZpbA==␇d"


def test_newline_tab_and_text_kept() -> None:
    assert printable("Pasal 1\n\tayat (1) — sampah [x]") == "Pasal 1\n\tayat (1) — sampah [x]"


def test_c1_del_and_bidi_controls() -> None:
    assert printable("x\x9by\x7fz\u202eq") == "x<U+009B>y<U+007F>z<U+202E>q"
