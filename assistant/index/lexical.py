"""BM25 over SQLite FTS5, kept in the same database as the passages.

Chosen by measurement (bench/lexical_choice.py, BEIR SciFact test): FTS5 over
Snowball-stemmed text scores nDCG@10 0.688, bm25s 0.686; FTS5 is also
incremental (a changed document replaces only its rows) and transactional with
the passages, so an interrupted build cannot leave them out of step.
Text is stemmed in Python (PyStemmer), each passage with its document's language's
Snowball stemmer, and FTS5 tokenizes with unicode61; a query is searched with both stems
of each word. Against English stems for everything, Indonesian stems for Indonesian
documents raised BM25 R@1 0.602 -> 0.622 and hybrid MRR 0.832 -> 0.845 on
tests/eval/questions.jsonl, hybrid MRR 0.771 -> 0.779 on heldout.jsonl (nothing fell).
An Indonesian passage also holds the words of its English gloss
(index.prepare.english_gloss), in English stems, in a second column, so that English
questions find the Indonesian regulations (README, "English glosses of Indonesian passages").
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Protocol

from assistant.lang.stem import query_stems, stem_tokens, stem_words
from assistant.lang.words import words

LEXICAL_SCHEMA = """
CREATE VIRTUAL TABLE IF NOT EXISTS lexical USING fts5(
    body, gloss, doc_id UNINDEXED, tokenize = 'unicode61 remove_diacritics 2'
);
"""


def _passage_count(conn: sqlite3.Connection) -> int:
    """Rows in the FTS table, counted once per connection (kept in a TEMP table:
    searches run on read-only connections to a committed, immutable generation)."""
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS lexical_total AS SELECT COUNT(*) AS n FROM lexical")
    (total,) = conn.execute("SELECT n FROM temp.lexical_total").fetchone()
    return int(total)


class LexicalIndex(Protocol):
    def add(self, conn: sqlite3.Connection, rows: Iterable[tuple[int, str, str, str]]) -> None: ...
    def delete_documents(self, conn: sqlite3.Connection, doc_ids: list[str]) -> None: ...
    def search(
        self, conn: sqlite3.Connection, query: str, k: int, doc_ids: list[str] | None = None, glosses: bool = True
    ) -> list[tuple[int, float]]: ...


def _translated(text: str, gloss: str) -> list[str]:
    """The words of `gloss` that are not words of `text` (names, numbers and words the
    lexicon lacks pass through a gloss unchanged)."""
    own = set(words(text))
    return [w for w in words(gloss) if w not in own]


class Fts5Index:
    """BM25 (k1=1.2, b=0.75, FTS5's own) over stemmed passage text."""

    @staticmethod
    def _informative(conn: sqlite3.Connection, terms: list[str], glosses: bool) -> list[str]:
        """Drop terms found in more than half of the passages (in the columns searched: the
        text, and with `glosses` the glosses): FTS5 gives them an IDF of ~0 (1e-6), so they
        cannot change the ranking, but matching them costs a scan of most rows (the
        difference between 20 ms and 200 ms at 100,000 passages)."""
        conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.lexical_vocab USING fts5vocab(main, lexical, 'row')")
        conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.lexical_cols USING fts5vocab(main, lexical, 'col')")
        marks = ",".join("?" * len(terms))
        if glosses:
            sql = f"SELECT term, doc FROM temp.lexical_vocab WHERE term IN ({marks})"
        else:
            sql = f"SELECT term, doc FROM temp.lexical_cols WHERE col = 'body' AND term IN ({marks})"
        df = dict(conn.execute(sql, terms))
        total = _passage_count(conn)
        kept = [t for t in terms if df.get(t, 0) and df[t] <= total / 2]
        return kept or [t for t in terms if df.get(t, 0)]

    def add(self, conn: sqlite3.Connection, rows: Iterable[tuple[int, str, str, str]]) -> None:
        """Index (passage id, doc id, text, English gloss) rows: the text stemmed in its
        document's language; the words the gloss of an Indonesian passage ("" for none)
        translated, in English stems and a column of their own, so that an English
        question's words find the passage and an Indonesian question, which searches the
        text column only, does not count its words twice. (FTS5's BM25 measures a row's
        length over both columns: the gloss lengthens an Indonesian passage by about a
        tenth for every question; the figures in the README are measured with it.)"""
        languages = dict(conn.execute("SELECT id, language FROM documents"))
        conn.executemany(
            "INSERT INTO lexical (rowid, body, gloss, doc_id) VALUES (?, ?, ?, ?)",
            (
                (
                    pid,
                    " ".join(stem_tokens(text, language="id" if languages.get(doc_id) == "id" else "en")),
                    " ".join(stem_words(_translated(text, gloss), "en")),
                    doc_id,
                )
                for pid, doc_id, text, gloss in rows
            ),
        )

    def delete_documents(self, conn: sqlite3.Connection, doc_ids: list[str]) -> None:
        if doc_ids:
            marks = ",".join("?" * len(doc_ids))
            conn.execute(f"DELETE FROM lexical WHERE doc_id IN ({marks})", doc_ids)

    def search(
        self, conn: sqlite3.Connection, query: str, k: int, doc_ids: list[str] | None = None, glosses: bool = True
    ) -> list[tuple[int, float]]:
        """(passage id, BM25 score, higher is better) for the best k passages; the English
        glosses of Indonesian passages are searched too when `glosses` (an English query:
        an Indonesian one's domain words, which the glossary gives in English, would count
        twice in an Indonesian passage)."""
        terms = list(dict.fromkeys(query_stems(query, drop_stopwords=True)))
        if not terms:
            terms = list(dict.fromkeys(query_stems(query)))
        if not terms or doc_ids == []:
            return []
        terms = self._informative(conn, terms, glosses)
        if not terms:
            return []
        match = " OR ".join(f'"{t}"' for t in terms)
        if not glosses:
            match = f"body : ({match})"
        sql = "SELECT rowid, bm25(lexical) FROM lexical WHERE lexical MATCH ?"
        args: list[object] = [match]
        if doc_ids is not None:
            sql += f" AND doc_id IN ({','.join('?' * len(doc_ids))})"
            args.extend(doc_ids)
        sql += " ORDER BY rank LIMIT ?"
        args.append(k)
        return [(int(pid), -float(score)) for pid, score in conn.execute(sql, args)]
