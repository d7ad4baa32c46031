"""Extraction artefacts of PDFs, cleaned in the text that is stored.

Passages and quotes are offsets into the stored document text, so the cleaning
happens here, before anything is stored: what is shown is what is quoted.

- Runs of spaces (justified text) become one space; "( 1)" and "prosedur ," lose
  the stray space.
- Running heads and footers: lines at the edge of many pages, numbers ignored
  ("PRESIDEN REPUBLIK INDONESIA", "2012, No.188 2", "- 12 -"). A page number
  printed as a line of its own is kept as the page's printed label.
- Catchwords ("Pasal 21 . . ." at the foot of a page, repeating the next page's
  first words) are dropped.
- Words split by a stray space ("be rtambahnya", "dilakuka n", "P asal") are
  rejoined when the joined word is a word of the document itself (or shares the
  Indonesian stem of one) and its parts are not both words; two real words
  ("di maksud") only when the document writes them as one far more often.
- Words hyphenated across lines are rejoined; the hyphen stays where the document
  writes the hyphenated form elsewhere or the word is a reduplication
  ("perundang-undangan", "sehari-hari", "masing-masing").
- A regulation's opening labels, printed in a column of their own, are put back before
  their items ("Menimbang :", "Mengingat :" read one after the other; `labels_in_place`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from assistant.ingest.legal import STRUCTURE_LINE
from assistant.lang.stem import STOPWORDS, stem_words

_SPACES = re.compile(r"[ \u00a0]{2,}")
_OPEN_PAREN = re.compile(r"\( (?=\w)")
_CLOSE_PAREN = re.compile(r"(?<=\w) \)")
_BEFORE_COMMA = re.compile(r"(?<=[^\W\d_]) (?=[,;](?:\s|$))")
_PAGE_NUMBER = re.compile(r"[-–—\s]*(?:page\s+|hlm\.?\s+|halaman\s+)?(\d+|[ivxlcdm]+)[-–—\s]*", re.IGNORECASE)
_PRINTED_NUMBER = re.compile(r"\s*[-–—]\s*(\d+)\s*[-–—]\s*")  # "- 12 -", "-2-"
_ENDS_SENTENCE = re.compile(r"[.!?;:]$")
_CATCHWORD = re.compile(r"^(?P<words>\S.{0,60}?)\s*(?P<dots>\.(?:\s*\.){2})\s*$")
# Words are rejoined only in a document that shows stray spaces: measured on the bundled
# regulations, UU 18/2008 gives 3.7 candidate joins a page, the four cleanly typeset
# ones at most 0.07 (each a false join such as "kerja sama", "tata cara").
SPLIT_EVIDENCE_PER_PAGE = 0.5
SPLIT_EVIDENCE_MIN = 5
_EDGE = 3  # lines at the top and at the bottom of a page where running heads sit

_LETTERS = r"[^\W\d_]+"
_FIRST = re.compile(rf"[(\"“‘]?({_LETTERS})")
_SECOND = re.compile(rf"({_LETTERS})[,.;:)\"”’!?]*")
_HYPHEN_BREAK = re.compile(rf"({_LETTERS})-[ \t]*\n[ \t]*({_LETTERS})")
_HYPHEN_SPACE = re.compile(rf"({_LETTERS})- ({_LETTERS})")
_HYPHENATED = re.compile(rf"{_LETTERS}(?:-{_LETTERS})+")


def tidy_line(line: str) -> str:
    """One line with single spaces and no stray space inside parentheses or before a comma."""
    line = _SPACES.sub(" ", line).strip()
    line = _OPEN_PAREN.sub("(", line)
    line = _CLOSE_PAREN.sub(")", line)
    return _BEFORE_COMMA.sub("", line)


def signature(line: str) -> str:
    """A line with its numbers wildcarded, so "Page 3 of 9" and "Page 4 of 9" match.

    Only whole numbers are wildcarded: "zircon3" and "marker00042" stay distinct.
    A line that is only a page number (arabic or roman, "- 7 -", "xii") is "#".
    """
    line = line.strip().lower()
    if _PAGE_NUMBER.fullmatch(line):
        return "#"
    return re.sub(r"\b\d+\b", "#", line)


def may_be_running_head(line: str) -> bool:
    """A running head is short, ends no sentence and is no article or chapter heading."""
    line = line.strip()
    return bool(line) and len(line.split()) <= 12 and not _ENDS_SENTENCE.search(line) and not STRUCTURE_LINE.match(line)


def _edges(lines: list[str]) -> list[int]:
    """Indices of the first and last `_EDGE` non-blank lines."""
    body = [i for i, ln in enumerate(lines) if ln.strip()]
    return sorted(set(body[:_EDGE] + body[-_EDGE:]))


def running_heads(pages: list[list[str]]) -> set[str]:
    """Line signatures at a page edge on at least 40% of pages (and 2 or more)."""
    if len(pages) < 2:
        return set()
    counts = Counter(
        sig for lines in pages for sig in {signature(lines[i]) for i in _edges(lines) if may_be_running_head(lines[i])}
    )
    need = max(2, int(0.4 * len(pages) + 0.5))
    return {sig for sig, c in counts.items() if c >= need and sig}


def _drop_heads(lines: list[str], heads: set[str]) -> tuple[list[str], str | None]:
    """The page without its running heads, and the page number it prints, if any."""
    edges = set(_edges(lines))
    kept: list[str] = []
    printed = None
    for i, line in enumerate(lines):
        if i in edges and signature(line) in heads:
            if m := _PRINTED_NUMBER.fullmatch(line):
                printed = printed or m.group(1)
            continue
        kept.append(line)
    return kept, printed


def _drop_catchword(lines: list[str], next_lines: list[str]) -> list[str]:
    """The page without a last line that announces the next page's first words."""
    body = [i for i, ln in enumerate(lines) if ln.strip()]
    if not body:
        return lines
    last = body[-1]
    m = _CATCHWORD.match(lines[last])
    if not m or len(m["words"].split()) > 6:
        return lines
    following = " ".join(ln for ln in next_lines if ln.strip())[:200]
    repeats = following.lower().startswith(m["words"].lower())
    if repeats or " " in m["dots"]:  # ". . ." is the typographic catchword; "..." only if it repeats
        return lines[:last] + lines[last + 1 :]
    return lines


class Vocabulary:
    """The words a document uses: how often, as pairs, hyphenated, and their stems."""

    def __init__(self, text: str) -> None:
        words = [w.lower() for w in re.findall(_LETTERS, text)]
        self.counts = Counter(words)
        self.pairs = Counter(
            (m.group(1).lower(), m.group(2).lower()) for m in re.finditer(rf"(?=\b({_LETTERS}) ({_LETTERS})\b)", text)
        )
        self.hyphenated = Counter(w.lower() for w in _HYPHENATED.findall(text))
        common = sorted(w for w, c in self.counts.items() if c >= 2 and len(w) >= 4)
        self.stems = set(stem_words(common, "id"))

    def is_word(self, word: str) -> bool:
        """Whether `word` stands on its own in this document (fragments of splits do not)."""
        w = word.lower()
        if len(w) <= 2:
            return w in STOPWORDS
        return self.counts[w] >= 3

    def knows(self, word: str) -> bool:
        """Whether the document uses `word` whole somewhere, or a word of the same stem."""
        w = word.lower()
        return self.counts[w] >= 1 or (len(w) >= 5 and stem_words([w], "id")[0] in self.stems)

    def should_join(self, first: str, second: str) -> bool:
        """Whether "first second" is one word split by a stray space."""
        joined = (first + second).lower()
        # Known only by its stem, the stem must come from both parts: "ke hilir" would be
        # "kehilir", stem "hilir", a word with a prefix glued on, not a split word.
        tail = second.lower()
        if self.counts[joined] == 0 and (
            not self.knows(joined) or stem_words([joined], "id")[0] in (tail, *stem_words([tail], "id"))
        ):
            return False
        if self.is_word(first) and self.is_word(second):
            together = self.counts[joined]
            return together >= 3 and together >= 5 * self.pairs[(first.lower(), second.lower())]
        return True


def rejoin_split_words(line: str, vocab: Vocabulary) -> tuple[str, int]:
    """`line` with its words split by a stray space rejoined, and how many were."""
    tokens = list(re.finditer(r"\S+", line))
    out: list[str] = []
    joined = 0
    cursor = 0
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if i + 1 < len(tokens) and tokens[i + 1].start() == tok.end() + 1:
            a, b = _FIRST.fullmatch(tok.group()), _SECOND.fullmatch(tokens[i + 1].group())
            if a and b and vocab.should_join(a.group(1), b.group(1)):
                out.append(line[cursor : tok.end()])
                cursor = tokens[i + 1].start()  # the stray space goes
                joined += 1
                i += 2
                continue
        i += 1
    out.append(line[cursor:])
    return "".join(out), joined


def rejoin_hyphens(text: str, vocab: Vocabulary) -> str:
    """Words hyphenated across a line break (or before a stray space) put back together."""

    def keep_hyphen(a: str, b: str) -> bool:
        x, y = a.lower(), b.lower()
        return vocab.hyphenated[f"{x}-{y}"] > 0 or y.startswith(x) or x.endswith(y)

    def at_break(m: re.Match[str]) -> str:
        a, b = m.group(1), m.group(2)
        if keep_hyphen(a, b):
            return f"{a}-{b}"
        if vocab.knows(a + b) or (a[-1].islower() and b[0].islower()):
            return a + b
        return m.group()

    def at_space(m: re.Match[str]) -> str:
        a, b = m.group(1), m.group(2)
        return f"{a}-{b}" if keep_hyphen(a, b) else m.group()

    return _HYPHEN_SPACE.sub(at_space, _HYPHEN_BREAK.sub(at_break, text))


@dataclass(frozen=True, slots=True)
class CleanPages:
    """Cleaned text per page, the page numbers printed on them, and what was repaired."""

    texts: list[str]
    printed_labels: list[str | None]
    words_rejoined: int


def clean_pages(pages: list[list[str]]) -> CleanPages:
    """Clean the lines of every page of one document (see the module docstring)."""
    tidy = [[tidy_line(ln) for ln in lines] for lines in pages]
    heads = running_heads(tidy)
    stripped = [_drop_heads(lines, heads) for lines in tidy]
    bodies = [lines for lines, _ in stripped]
    bodies = [_drop_catchword(lines, bodies[i + 1] if i + 1 < len(bodies) else []) for i, lines in enumerate(bodies)]
    vocab = Vocabulary("\n".join("\n".join(lines) for lines in bodies))
    repaired = [[rejoin_split_words(line, vocab) for line in lines] for lines in bodies]
    total = sum(n for lines in repaired for _, n in lines)
    if total < max(SPLIT_EVIDENCE_MIN, SPLIT_EVIDENCE_PER_PAGE * len(pages)):
        repaired = [[(line, 0) for line in lines] for lines in bodies]  # no sign of stray spaces
        total = 0
    texts = [rejoin_hyphens("\n".join(line for line, _ in lines), vocab) for lines in repaired]
    return CleanPages(texts, [printed for _, printed in stripped], total)


# The opening's labels, which a regulation prints in a column of their own left of their items.
_LABEL = re.compile(r"^(?:Menimbang|Mengingat|Memperhatikan)\s*:\s*$")
_CONSIDERATION = re.compile(r"^[a-z]\.\s")  # "a. bahwa ..."
LABELLED_ITEMS = 40  # paragraphs a label's items may span: past them, the order is left as read


def labels_in_place(paras: list[str]) -> list[str]:
    """The opening with each label before its items. A PDF read column by column gives the
    labels one after the other ("Menimbang :", "Mengingat :", then the considerations "a.
    bahwa ...;" and the laws): a label that directly follows another moves to the first
    paragraph after the first label's lettered items, those ending in ';'."""
    out = list(paras)
    i = 0
    while i + 1 < len(out):
        if _LABEL.match(out[i].strip()) and _LABEL.match(out[i + 1].strip()):
            j = i + 2  # past the items, and the parts of one a page break split (no ';' yet)
            while j < len(out) and (_CONSIDERATION.match(out[j].strip()) or not out[j - 1].rstrip().endswith(";")):
                j += 1
            if j < len(out) and j - i <= LABELLED_ITEMS and _CONSIDERATION.match(out[i + 2].strip()):
                out.insert(j - 1, out.pop(i + 1))
        i += 1
    return out
