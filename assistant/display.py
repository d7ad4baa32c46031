"""Document text made safe to show in a terminal.

Documents are untrusted: an ESC or OSC sequence in a passage (`\\x1b]0;title\\x1b\\\\`, an
OSC 52 clipboard write, `\\x1b[2J`) would be obeyed by the terminal if printed raw. Every
control character except newline and tab is shown as a visible stand-in instead: C0 controls
as their Unicode Control Pictures (ESC as "␛"), DEL and C1 controls (U+0080-U+009F, which
include the 8-bit CSI) and the bidirectional overrides as `<U+XXXX>`. Rich markup is escaped
separately, where Rich renders (`rich.markup.escape`), because plain JSON output must keep
brackets as they are.
"""

from __future__ import annotations

import re

# C0 controls but \t and \n, DEL, C1 controls, and the bidi embedding/override/isolate marks
# (which can make a displayed line read differently from its bytes).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    ch = match.group(0)
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # U+2400.. Control Pictures: "␛" for ESC
    return f"<U+{code:04X}>"


def printable(text: str) -> str:
    """`text` with every control character but newline and tab made visible."""
    return _UNSAFE.sub(_visible, text)


# Markdown's inline markup, as the deletions that turn the source into the text a reader
# sees. Hand-written rather than asked of markdown-it (which the heading reader uses):
# the parser gives no character offsets inside a line, and the Reader and the evidence
# panel style spans of the stored text, so every deletion must map back to an offset.
# Each pattern's groups are the markup to delete; what lies between them is kept.
_MARKUP = [
    re.compile(r"(\^\{)[^{}\n]{1,24}(\})"),  # a superscript ^{2}, ^{1*} (see markup_cuts)
    # **strong**: opening after no word character, closing before none (as CommonMark's
    # flanking rules: "0.512**, p=0.301**" and "________" are no markup)
    re.compile(r"(?<![\w\\])(\*\*|__)(?=[^\s*_])[^\n]*?(?<=[^\s*_\\])(\1)(?![\w])"),
    # *emphasis*, _emphasis_: opening on a letter or digit, so that a regulation's footnote
    # marks ("Kadar maksimum* ... Keterangan: *= Rumah susun") stay as printed
    re.compile(r"(?<![\w*\\])(\*)(?=[^\W_])[^\n*]*?(?<=[^\s*\\])(\*)(?![\w*])"),
    re.compile(r"(?<![\w\\])(_)(?=[^\W_])[^\n_]*?(?<=[^\s_\\])(_)(?!\w)"),
    re.compile(r"(!?\[)[^\]\n]+(\]\([^)\s]+(?:\s+\"[^\"\n]*\")?\))"),  # [text](url), ![alt](src)
    re.compile(r"(<)(?:https?://|mailto:)[^>\s]+(>)"),  # <https://...>
    re.compile(r"(?<!`)(`)[^`\n]+(`)(?!`)"),  # `code`
    re.compile(r"(?m)^(#{1,6}[ \t]+)\S()"),  # an ATX heading's #s
    re.compile(r"(\\)[\\`*_{}\[\]()#+\-.!^]()"),  # a backslash escape
]


Cut = tuple[int, int, str]  # [start, end) of the source and what a reader sees there


def markup_cuts(text: str) -> list[Cut]:
    """The ranges of `text` that are Markdown markup, sorted, not overlapping.

    A superscript that Unicode can write reads as one (`m^{2}` "m²", `10^{-6}` "10⁻⁶");
    any other (`^{1*}`, `^{1, 2}`: affiliation and footnote marks) goes whole. Other markup
    loses its markers and keeps its words (`*Sister City*` reads "Sister City"). Markup
    between two words ("ISSUE****Fadhlan") becomes a space, so they stay two words."""
    cuts: list[Cut] = []
    taken = [False] * (len(text) + 1)
    for i, pattern in enumerate(_MARKUP):
        for m in pattern.finditer(text):
            found = [(m.start(), m.end())] if i == 0 else [m.span(1), m.span(2)]
            if any(taken[a] or taken[max(a, b - 1)] for a, b in found if b > a):
                continue  # inside markup already read (a `*` of a `**`, an escaped char)
            sub = _superscript(m.group(0)[2:-1]) if i == 0 else ""
            for a, b in found:
                if b > a:
                    cuts.append((a, b, sub))
                    taken[a:b] = [True] * (b - a)
    merged: list[Cut] = []
    for a, b, sub in sorted(cuts):
        if merged and merged[-1][1] == a and not sub and not merged[-1][2]:
            a = merged.pop()[0]
        merged.append((a, b, sub))
    return [
        (a, b, sub or (" " if a > 0 and b < len(text) and text[a - 1].isalnum() and text[b].isalnum() else ""))
        for a, b, sub in merged
    ]


_SUPERSCRIPTS = str.maketrans("0123456789+-=()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ")


def _superscript(content: str) -> str:
    """`content` in Unicode superscript characters, or '' when one has none."""
    return content.translate(_SUPERSCRIPTS) if content and all(c in "0123456789+-=()n" for c in content) else ""


def without(text: str, cuts: list[Cut], base: int = 0) -> str:
    """`text` (which starts at offset `base` of the text `cuts` were found in) with the
    cut ranges replaced, clipped to it: a slice loses the markup inside it and nothing else."""
    out, at = [], 0
    for a, b, sub in cuts:
        here = a - base >= 0  # the replacement belongs to the slice where the cut begins
        a, b = max(a - base, at), min(b - base, len(text))
        if b <= a:
            continue
        out.append(text[at:a] + (sub if here else ""))
        at = b
    out.append(text[at:])
    return "".join(out)


def plain(text: str) -> str:
    """Document text as a reader sees it: Markdown markup gone, control characters visible."""
    return printable(without(text, markup_cuts(text)))


def clipped(text: str, limit: int) -> str:
    """`text` up to `limit` characters, cut after a whole word and marked '…' when cut."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = max(cut.rfind(" "), cut.rfind("\n"))
    return (cut[:space] if space > limit // 2 else cut).rstrip() + " …"
