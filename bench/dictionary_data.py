"""Make assistant/lang/data/dictionary-en-id.tsv, the general English -> Indonesian word list
that English questions over Indonesian documents are expanded with (after the glossary).

    apt-get download dict-freedict-eng-ind && dpkg-deb -x dict-freedict-eng-ind_*.deb /tmp/fd
    .venv/bin/python bench/dictionary_data.py /tmp/fd/usr/share/dictd

Source: the FreeDict English-Bahasa Indonesia dictionary (WikDict, from Wiktionary via DBnary;
Debian package dict-freedict-eng-ind 2022.12.07), CC BY-SA 3.0. Kept: one-word lower-case
headwords, the translations of their first two senses, at most four, each of one or two
words (a phrase of three or more is a definition, not a translation).
"""

from __future__ import annotations

import gzip
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "assistant" / "lang" / "data" / "dictionary-en-id.tsv"
_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_SENSE = re.compile(r"^\s*(\d+)\.\s*(.*)$")
_WORD = re.compile(r"^[a-z][a-z-]*$")


def _number(b64: str) -> int:
    n = 0
    for ch in b64:
        n = n * 64 + _B64.index(ch)
    return n


def entries(folder: Path) -> dict[str, list[str]]:
    """Headword -> translations, read with the dictd index's offsets."""
    data = gzip.decompress((folder / "freedict-eng-ind.dict.dz").read_bytes())
    out: dict[str, list[str]] = {}
    for line in (folder / "freedict-eng-ind.index").read_text("utf-8").splitlines():
        head, offset, length = line.split("\t")
        if not _WORD.match(head) or head.startswith("00"):
            continue
        lines = data[_number(offset) : _number(offset) + _number(length)].decode("utf-8").split("\n")[1:]
        senses = [lines[0]] if lines and not _SENSE.match(lines[0]) else []
        senses += [m.group(2) for x in lines if (m := _SENSE.match(x)) and int(m.group(1)) <= 2]
        words: list[str] = []
        for sense in senses[:2]:
            for t in sense.split(","):
                t = re.sub(r"\s+\d+\.?$", "", t.strip().lower())  # 'sentris 2.' (a broken sense mark)
                # a bare affix ('ir-', 'swa-') is no translation
                ok = re.fullmatch(r"[a-z](?:[a-z -]*[a-z])?", t) and len(t.split()) <= 2 and t != head
                if ok and t not in words:
                    words.append(t)
        if words:
            out.setdefault(head, [])
            out[head] += [w for w in words if w not in out[head]]
    return {h: ts[:4] for h, ts in out.items()}


def main() -> None:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/fd/usr/share/dictd")
    table = entries(folder)
    head = [
        "# English -> Indonesian words: FreeDict English-Bahasa Indonesia (WikDict; Wiktionary via DBnary),",
        "# Debian dict-freedict-eng-ind 2022.12.07, CC BY-SA 3.0; extracted by bench/dictionary_data.py.",
        "# english<TAB>indonesian translations separated by '|'",
    ]
    lines = [f"{h}\t{'|'.join(ts)}" for h, ts in sorted(table.items())]
    OUT.write_text("\n".join(head + lines) + "\n", "utf-8")
    print(f"{len(lines)} headwords -> {OUT}")


if __name__ == "__main__":
    main()
